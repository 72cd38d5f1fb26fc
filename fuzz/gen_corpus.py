#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the golden vectors (PROTOCOL.md §13) and the §12
negative cases. Standard library only (runs in the ClusterFuzzLite builder as well).

    gen_corpus.py --vectors vectors/PROTOCOL-vectors.json --out <dir>

writes <dir>/fuzz_<target>/<case-name> for every target. Input formats are documented at the
top of each fuzz_<target>.cc; the helpers below mirror them.
"""
import argparse
import base64
import hashlib
import json
import os
import struct

LOW_ORDER_X25519 = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
]


def b64(b):
    return base64.b64encode(b).decode()


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def compact(obj):
    return json.dumps(obj, separators=(",", ":"))


def lp(data):
    """u16 little-endian length prefix (fuzz::Input::length_prefixed)."""
    if isinstance(data, str):
        data = data.encode()
    data = data[:0xFFFF]
    return struct.pack("<H", len(data)) + data


class Corpus:
    def __init__(self, root):
        self.root = root

    def add(self, target, name, data):
        if isinstance(data, str):
            data = data.encode()
        d = os.path.join(self.root, "fuzz_" + target)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def reseal_mock(q):
    """§9.6: rewrite the mock signature after a change inside [0, 632)."""
    q = bytearray(q)
    q[636:700] = hashlib.sha512(b"PNC-MOCK-SIG" + bytes(q[:632])).digest()
    return bytes(q)


def codecs(c, v):
    b64_values = {
        "v1_val_pub": v["V1"]["val_pub_b64"], "v1_chal_pub": v["V1"]["chal_pub_b64"],
        "v1_salt": v["V1"]["salt_b64"], "v4_pk": v["V4"]["pk_b64"], "v4_sig": v["V4"]["sig_b64"],
        "v4_sig_s_plus_l": v["V4"]["sig_s_plus_l_b64"], "v6_sealed": v["V6"]["sealed_b64"],
        "v6_receiver": v["V6"]["sdk_ephemeral_sk_b64"], "v7_ct": v["V7"]["ct_with_aad_b64"],
        "v7_nonce": v["V7"]["nonce_b64"], "v2_tampered": v["V2"]["tampered_tag_ciphertext_b64"],
        "empty": "", "one_byte": "AA==", "two_bytes": "AAE=",
        # N-ENC-01..04, 06
        "n_enc_01_star": "AA*=", "n_enc_01_space": "AA E=", "n_enc_01_lf": "AAE=\n",
        "n_enc_01_dash": "-_8=", "n_enc_02_no_padding": "AAE", "n_enc_03_trailing_bits": "AAF=",
        "n_enc_04_inner_padding": "AA==AA==", "n_enc_01_non_ascii": "AAA\xd7", "n_enc_01_non_ascii_url": "eyJ\xd7", "n_enc_05_31_bytes": b64(bytes(31)),
    }
    for name, text in b64_values.items():
        c.add("b64_strict", name, text.encode("latin-1"))
    for seg_i, seg in enumerate(v["V9"]["token"].split(".")):
        c.add("b64_strict", "v9_segment_%d" % seg_i, seg)
    c.add("b64_strict", "v8_quote", v["V8"]["quote_b64"])

    hex_values = {
        "v3_nonce": v["V3"]["nonce_hex"], "v1_key": v["V1"]["key"], "v4_body_sha256": v["V4"]["body_sha256"],
        "upper": v["V3"]["nonce_hex"].upper(), "empty": "",
        # N-ENC-07
        "n_enc_07_63": v["V3"]["nonce_hex"][:63], "n_enc_07_65": v["V3"]["nonce_hex"] + "0",
        "n_enc_07_0x": "0x" + v["V3"]["nonce_hex"][2:], "n_enc_07_g": "g" + v["V3"]["nonce_hex"][1:],
        "n_enc_07_space": v["V3"]["nonce_hex"][:32] + " " + v["V3"]["nonce_hex"][32:],
    }
    for name, text in hex_values.items():
        c.add("hex", name, text)


def json_docs(c, v):
    docs = {
        "v2_plaintext": v["V2"]["plaintext"], "v2_envelope": v["V2"]["envelope"],
        "v8_event_log": v["V8"]["event_log"], "v9_header": v["V9"]["header"], "v9_payload": v["V9"]["payload"],
        "rtmrs": compact(v["V8"]["rtmrs"]),
        "python_form": '{"type": "attestation_ok", "aead": "chacha20poly1305", "hkdf_salt": "%s"}' % v["V1"]["salt_b64"],
        "unicode_escapes": '{"a":"\\u00e9\\ud83d\\ude00","b":[1,-0.5e+3,true,false,null]}',
        "bom": "\ufeff{}", "number_overflow": '{"a":1e999}', "number_underflow": "[1e-999,-0.0]",
        # N-ENC-08..11
        "n_enc_08_array": "[1,2]", "n_enc_08_string": '"attestation_begin"',
        "n_enc_09_duplicate": '{"type":"attestation_ok","type":"x"}',
        "n_enc_09_escaped_duplicate": '{"type":1,"typ\\u0065":2}',
        "n_enc_10_nan": '{"a":NaN}', "n_enc_10_infinity": '{"a":Infinity}',
        "n_enc_10_lone_surrogate": '{"a":"\\ud800"}',
        "n_enc_11_depth_65": "[" * 65 + "]" * 65, "depth_64": "[" * 64 + "]" * 64,
        "n_enc_12_wrong_type": '{"type":"attestation_begin","nonce":123,"hkdf_salt":null,"quote":[]}',
    }
    for name, text in docs.items():
        c.add("json_strict", name, text)
    c.add("json_strict", "n_enc_10_bad_utf8", b'{"a":"\xc3\x28"}')
    c.add("json_strict", "overlong_utf8", b'{"a":"\xc0\xaf"}')
    # RFC 8259: nothing but whitespace may follow the value (nlohmann stops at a NUL byte).
    c.add("json_strict", "nul_after_document", b'{"type":"attestation_ok"}\x00{"type":"x"}')


def frames(config, items):
    """Handshake input: config byte, then [kind][len u16][bytes] frames (kind 0 text, 1 binary, 2 deadline)."""
    out = bytes([config])
    for kind, payload in items:
        if isinstance(payload, str):
            payload = payload.encode()
        out += bytes([kind]) + lp(payload)
    return out


def handshakes(c, v):
    nonce_hex = v["V3"]["nonce_hex"]
    quote_b64 = v["V8"]["quote_b64"]
    log = v["V8"]["event_log"]
    val_pub = base64.b64decode(v["V1"]["val_pub_b64"])
    chal_pub = base64.b64decode(v["V1"]["chal_pub_b64"])
    quote = base64.b64decode(quote_b64)

    def begin(**kw):
        m = {"type": "attestation_begin", "nonce": nonce_hex, "val_x25519_pub": v["V1"]["val_pub_b64"],
             "val_quote": quote_b64, "val_event_log": log}
        m.update(kw)
        return compact({k: x for k, x in m.items() if x is not None})

    def ok(**kw):
        m = {"type": "attestation_ok", "aead": "chacha20poly1305", "hkdf_salt": v["V1"]["salt_b64"]}
        m.update(kw)
        return compact({k: x for k, x in m.items() if x is not None})

    hard_val_quote = bytearray(quote)
    hard_val_quote[600:632] = hashlib.sha256(b"pnc-kx-v1" + val_pub).digest()
    hard_val_quote = b64(reseal_mock(hard_val_quote))
    hard_chal_quote = bytearray(quote)
    hard_chal_quote[600:632] = hashlib.sha256(b"pnc-kx-v1" + val_pub + chal_pub).digest()
    hard_chal_quote = b64(reseal_mock(hard_chal_quote))
    other_nonce_quote = bytearray(quote)
    other_nonce_quote[568:600] = hashlib.sha256(b"other").digest()
    other_nonce_quote = b64(reseal_mock(other_nonce_quote))
    at_584 = bytearray(quote)
    at_584[584:616] = at_584[568:600]
    at_584[568:600] = bytes(32)
    at_584 = b64(reseal_mock(at_584))
    flipped = bytearray(quote)
    flipped[200] ^= 1
    flipped = b64(bytes(flipped))

    SEED, COMPAT, HARD = 0, 1, 2
    MOCK, DCAP_OK, PROD_ENV, OWN_QUOTE = 4, 8, 16, 32
    env2 = v["V2"]["envelope"]
    s = {
        # V10: begin -> ok -> V2 envelope (K = V1 K)
        "v10_seed_mock": frames(SEED | MOCK, [(0, begin()), (0, ok()), (0, env2)]),
        "v10_compat_mock": frames(COMPAT | MOCK, [(0, begin()), (0, ok()), (0, env2)]),
        "v10_hardened_mock": frames(HARD | MOCK, [(0, begin(val_quote=hard_val_quote)), (0, ok(aead="chacha20poly1305-dir"))]),
        "v10_seed_no_quote": frames(SEED | MOCK, [(0, begin(val_quote=None, val_event_log=None)), (0, ok()), (0, env2), (0, env2)]),
        "v10_then_binary": frames(SEED | MOCK, [(0, begin()), (0, ok()), (1, "")]),
        "n_hs_01_ok_first": frames(SEED | MOCK, [(0, ok())]),
        "n_hs_02_api_head": frames(SEED | MOCK, [(0, compact({"type": "attestation_request", "nonce": nonce_hex, "api_x25519_pub": v["V1"]["val_pub_b64"]}))]),
        "n_hs_03_not_json": frames(SEED | MOCK, [(0, "attestation_begin")]),
        "n_hs_03_binary": frames(SEED | MOCK, [(1, begin())]),
        "n_hs_04_no_nonce": frames(SEED | MOCK, [(0, begin(nonce=None))]),
        "n_hs_04_no_pub": frames(COMPAT | MOCK, [(0, begin(val_x25519_pub=None)), (0, ok())]),
        "n_hs_05_nonce_31": frames(COMPAT | MOCK, [(0, begin(nonce=nonce_hex[:62], val_quote=None)), (0, ok())]),
        "n_hs_06_empty_nonce": frames(COMPAT | MOCK, [(0, begin(nonce="", val_quote=None)), (0, ok(hkdf_salt=None, hkdf_salt_b64=v["V1"]["salt_b64"]))]),
        "n_hs_07_prod_no_quote": frames(SEED, [(0, begin(val_quote=None))]),
        "n_hs_07_prod_dcap_ok": frames(SEED | DCAP_OK | PROD_ENV, [(0, begin(val_quote=other_nonce_quote, val_event_log='{"environment_mode":"prod"}')), (0, ok())]),
        "n_hs_09_other_nonce": frames(SEED | MOCK, [(0, begin(val_quote=other_nonce_quote))]),
        "n_hs_10_at_584": frames(COMPAT | MOCK, [(0, begin(val_quote=at_584)), (0, ok())]),
        "n_hs_13_env_mismatch": frames(SEED | MOCK | PROD_ENV, [(0, begin(val_event_log='{"environment_mode":"dev"}'))]),
        "n_hs_14_dev_mode": frames(SEED | MOCK | PROD_ENV, [(0, begin(val_event_log='{"dev_mode":true}'))]),
        "n_hs_17_flipped": frames(SEED | MOCK, [(0, begin(val_quote=flipped))]),
        "n_hs_18_no_salt": frames(SEED | MOCK, [(0, begin()), (0, ok(hkdf_salt=None))]),
        "n_hs_19_salt_16": frames(SEED | MOCK, [(0, begin()), (0, ok(hkdf_salt=b64(bytes(16))))]),
        "n_hs_20_xchacha": frames(SEED | MOCK, [(0, begin()), (0, ok(aead="xchacha20poly1305"))]),
        "n_hs_21_second_begin": frames(SEED | MOCK, [(0, begin()), (0, begin())]),
        "n_hs_22_plain_after": frames(SEED | MOCK, [(0, begin()), (0, ok()), (0, begin())]),
        "n_hs_23_deadline": frames(SEED | MOCK, [(0, begin()), (2, "")]),
        "reject_after_response": frames(SEED | MOCK, [(0, begin()), (0, compact({"type": "attestation_reject", "reason": "no"}))]),
        "n_enc_09_duplicate": frames(SEED | MOCK, [(0, '{"type":"attestation_begin",' + begin()[1:])]),
    }
    for i, lo in enumerate(LOW_ORDER_X25519):
        s["n_x_01_low_order_%d" % i] = frames(SEED | MOCK, [(0, begin(val_x25519_pub=b64(bytes.fromhex(lo)))), (0, ok())])
    for name, data in s.items():
        c.add("handshake_server", name, data)

    def response(**kw):
        m = {"type": "attestation_response", "quote": quote_b64, "event_log": log, "rtmrs": v["V8"]["rtmrs"],
             "chal_x25519_pub": v["V1"]["chal_pub_b64"]}
        m.update(kw)
        return compact({k: x for k, x in m.items() if x is not None})

    s = {
        "v10_seed_mock": frames(SEED | MOCK, [(0, response()), (0, env2)]),
        "v10_seed_mock_own_quote": frames(SEED | MOCK | OWN_QUOTE, [(0, response()), (0, env2), (0, env2)]),
        "v10_compat_mock": frames(COMPAT | MOCK | OWN_QUOTE, [(0, response()), (0, env2)]),
        "v10_hardened_mock": frames(HARD | MOCK | OWN_QUOTE, [(0, response(quote=hard_chal_quote))]),
        "prod_dcap_ok_mock_marker": frames(SEED | DCAP_OK, [(0, response())]),
        "n_hs_24_server_ok": frames(SEED | MOCK, [(0, compact({"type": "attestation_ok", "chal_x25519_pub": v["V1"]["chal_pub_b64"], "hkdf_salt": v["V1"]["salt_b64"]}))]),
        "n_hs_25_no_quote": frames(SEED | MOCK, [(0, response(quote=None))]),
        "n_hs_26_pub_31": frames(SEED | MOCK, [(0, response(chal_x25519_pub=b64(chal_pub[:31])))]),
        "n_hs_09_other_nonce": frames(SEED | MOCK, [(0, response(quote=other_nonce_quote))]),
        "n_hs_13_env_prod": frames(SEED | MOCK | PROD_ENV, [(0, response())]),
        "n_hs_27_object_log": frames(SEED | MOCK, [(0, response(event_log='{"environment_mode":"dev"}'))]),
        "reject": frames(SEED | MOCK, [(0, compact({"type": "attestation_reject", "reason": "no"}))]),
        "binary": frames(SEED | MOCK, [(1, response())]),
        "deadline": frames(SEED | MOCK, [(2, "")]),
    }
    for i, lo in enumerate(LOW_ORDER_X25519):
        s["n_x_02_low_order_%d" % i] = frames((SEED if i % 2 else COMPAT) | MOCK, [(0, response(chal_x25519_pub=b64(bytes.fromhex(lo))))])
    for name, data in s.items():
        c.add("handshake_client", name, data)

    # Structure-aware: [profile][op...]; begin = 0 f1 f2 n0; ok = 1 f salt32; encrypted ops =
    # op>=2, sub-op, nonce12, type index, message id.
    salt = bytes(range(32))
    valid_begin = bytes([0, 0, 0x08, 0x00])       # valid nonce, key, quote with the mock log
    no_quote_begin = bytes([0, 0, 0x00, 0x00])
    valid_ok = bytes([1, 0]) + salt

    def enc(sub, nonce_byte, type_index=0, mid=1):
        return bytes([2, sub]) + bytes([nonce_byte]) * 12 + bytes([type_index, mid])

    struct_seeds = {
        "valid_then_traffic": bytes([0]) + valid_begin + valid_ok + enc(0, 1) + enc(1, 2, 1, 2) + enc(2, 0) + enc(3, 0),
        "valid_no_quote": bytes([0]) + no_quote_begin + valid_ok + enc(0, 7) + enc(0, 7),
        "hardened": bytes([1]) + valid_begin + valid_ok + enc(0, 1) + enc(4, 2) + enc(0, 3),
        "reflection": bytes([0]) + valid_begin + valid_ok + enc(3, 0) + enc(0, 9),
        "bad_plaintext": bytes([0]) + valid_begin + valid_ok + enc(6, 5),
        "wrong_key": bytes([0]) + valid_begin + valid_ok + enc(5, 5),
        "plain_after": bytes([0]) + valid_begin + valid_ok + enc(7, 5),
        "low_order": bytes([0, 0, 0x28, 0x00, 0x00]) + valid_ok,
        "bad_salt": bytes([0]) + valid_begin + bytes([1, 0x10]) + salt,
        "ok_first": bytes([0]) + valid_ok,
        "reject": bytes([0]) + valid_begin + bytes([2]),
        "binary": bytes([0]) + valid_begin + bytes([4]),
        "raw_text": bytes([0, 6]) + lp(b'{"type":"attestation_begin"}'),
        # Regression (CI fuzz smoke, session 25): an envelope arriving with the nonce of the reply
        # the session sealed in check_session_keys is a reflection (§5.3 R6); the model had not
        # counted that nonce as sent.
        "regress_reply_reflection": base64.b64decode(
            "AAAAAAABAAABAgMEBQYHCAkKCwwNFA4PEBESExQVFgEAAAAAAAAAHwByGO1L4rXeES8mFcgCAAcHBwcHBwcHBwcHBwAB"
            "AgAHAAAAAAABAAABAgcHBwcHBwcHBwcDBAdW"),
    }
    for name, data in struct_seeds.items():
        c.add("handshake_struct", name, data)


def envelopes(c, v):
    env = json.loads(v["V2"]["envelope"])
    e = lambda **kw: compact({**env, **kw})
    s = {
        "v2": v["V2"]["envelope"],
        "v2_reordered": compact({"ciphertext": env["ciphertext"], "nonce": env["nonce"], "enc": env["enc"], "extra": 1}),
        "n_env_01_case": e(enc="ChaCha20Poly1305"), "n_env_01_dash": e(enc="chacha20-poly1305"),
        "n_env_01_x": e(enc="xchacha20poly1305"), "n_env_01_empty": e(enc=""),
        "n_env_01_missing": compact({"nonce": env["nonce"], "ciphertext": env["ciphertext"]}),
        "n_env_02_nonce_11": e(nonce=b64(bytes(11))), "n_env_02_nonce_24": e(nonce=b64(bytes(24))),
        "n_env_03_ct_15": e(ciphertext=b64(bytes(15))),
        "n_env_04_tag": e(ciphertext=v["V2"]["tampered_tag_ciphertext_b64"]),
        "n_env_08_aad": e(ciphertext=v["V2"]["aad_x_ciphertext_b64"]),
        "n_env_09_xchacha_body": e(ciphertext=b64(bytes.fromhex(v["V5"]["sdk_xchacha_ct"]))),
        "n_env_14_types": compact({"enc": 1, "nonce": [], "ciphertext": None}),
        "n_enc_09_duplicate": '{"enc":"chacha20poly1305",' + v["V2"]["envelope"][1:],
        "n_enc_08_array": "[" + v["V2"]["envelope"] + "]",
    }
    for name, data in s.items():
        c.add("envelope_open", name, data)
    n = bytes.fromhex(v["V2"]["nonce"])
    for name, pt in {"seal_v2_plaintext": v["V2"]["plaintext"], "seal_minimal": '{"type":"x"}',
                     "seal_n_env_12_array": "[]", "seal_n_env_12_no_type": '{"a":1}',
                     "seal_n_env_12_type_int": '{"type":1}', "seal_not_json": "hello",
                     "seal_duplicate": '{"type":"a","type":"b"}'}.items():
        c.add("envelope_open", name, b"\x00" + n + pt.encode())


def quotes(c, v):
    q = base64.b64decode(v["V8"]["quote_b64"])
    c.add("quote_parse", "v8", q)
    sig_len = struct.unpack_from("<I", q, 632)[0]

    def put(qb, off, fmt, val, reseal=True):
        qb = bytearray(qb)
        struct.pack_into(fmt, qb, off, val)
        return reseal_mock(qb) if reseal and off < 632 else bytes(qb)

    s = {}
    for n in (47, 48, 631, 632, 635, 636, 636 + sig_len - 1):
        s["n_q_01_truncate_%d" % n] = q[:n]
    s["n_q_02_append"] = q + b"\x00"
    for ver in (3, 5, 0xFFFF):
        s["n_q_03_version_%d" % ver] = put(q, 0, "<H", ver)
    s["n_q_04_sgx"] = put(q, 4, "<I", 0)
    s["n_q_04_0x80"] = put(q, 4, "<I", 0x80)
    s["n_q_05_p384"] = put(q, 2, "<H", 3)
    for name, val in (("plus1", len(q) - 635), ("zero", 0), ("max", 0xFFFFFFFF)):
        s["n_q_06_sig_len_" + name] = put(q, 632, "<I", val)
    s["n_q_07_outer_type_5"] = put(q, 636 + 128, "<H", 5)
    m = struct.unpack_from("<I", q, 636 + 130)[0]
    s["n_q_07_m_plus1"] = put(q, 636 + 130, "<I", m + 1)
    s["n_q_07_m_minus1"] = put(q, 636 + 130, "<I", m - 1)
    a_off = 636 + 134 + 384 + 64
    s["n_q_07_a_large"] = put(q, a_off, "<H", 0xFFFF)
    a = struct.unpack_from("<H", q, a_off)[0]
    s["n_q_07_inner_type_6"] = put(q, a_off + 2 + a, "<H", 6)
    s["n_q_08_seam"] = put(q, 160, "<B", 1)
    moved = bytearray(q)
    moved[576:608] = moved[568:600]
    s["n_q_09_at_576"] = reseal_mock(moved)
    s["n_q_10_upper_garbage"] = reseal_mock(q[:600] + b"\xee" * 32 + q[632:])
    s["n_q_11_debug"] = put(q, 168, "<B", 1)
    s["n_q_12_marker_only"] = q
    s["n_q_13_sig_zeroed"] = q[:636] + bytes(64) + q[700:]
    s["upstream_mock_1024_zeros"] = b"0" * 1024
    for name, data in s.items():
        c.add("quote_parse", name, data)


def event_logs(c, v):
    log = json.loads(v["V8"]["event_log"])
    s = {
        "v8": v["V8"]["event_log"],
        "object_env": '{"environment_mode":"dev"}', "object_dev_mode": '{"dev_mode":true}',
        "object_annotated": compact({"environment_mode": "prod", "original": "garbage", "compose-hash": "x"}),
        "object_env_number": '{"environment_mode":1,"dev_mode":0}',
        "empty_array": "[]", "not_json": "not json", "rtmrs": compact(v["V8"]["rtmrs"]),
    }
    altered = [dict(e) for e in log]
    altered[0]["digest"] = "00" * 48
    s["n_q_15_digest_altered"] = compact(altered)
    bad = [dict(e) for e in log]
    bad[1]["imr"] = 4
    s["imr_out_of_range"] = compact(bad)
    bad = [dict(e) for e in log]
    bad[2]["event_type"] = "134217729"
    s["event_type_string"] = compact(bad)
    bad = [dict(e) for e in log]
    bad[3]["event_payload"] = "6465766"
    s["payload_odd_hex"] = compact(bad)
    two_env = log + [dict(log[3], event_payload="70726f64")]
    s["two_env_events"] = compact(two_env)
    s["val_mock_style"] = compact([{"imr": 3, "event_type": 4, "digest": "ab" * 48, "event": "dev-mode", "event_payload": "true"}])
    for name, data in s.items():
        c.add("event_log", name, data)


def signed_requests(c, v):
    V4 = v["V4"]
    token = "session_00000000-0000-4000-8000-000000000000"

    def req(method="POST", target="/results/submit", body=V4["body"], ts="1700000000",
            nonce="123e4567-e89b-12d3-a456-426614174000", tok=token, pk=V4["pk_b64"], sig=V4["sig_b64"],
            extra=(), drop=()):
        headers = [("X-Session-Token", tok), ("X-Public-Key", pk), ("X-Timestamp", ts), ("X-Nonce", nonce),
                   ("X-Signature", sig), ("Content-Type", "application/json")] + list(extra)
        lines = ["%s %s" % (method, target)] + ["%s: %s" % (n, x) for n, x in headers if n not in drop]
        return ("\n".join(lines) + "\n\n" + body).encode()

    SEED, VAL, HARD, SDK, SIGN, DEV = 0, 1, 2, 3, 4, 8
    s = {
        "v4": bytes([SEED]) + lp(req()),
        "v4_twice_n_sig_05": bytes([SEED]) + lp(req()) + lp(req()),
        "v4_val": bytes([VAL]) + lp(req()) + lp(req(ts="+1700000000")),
        "v4_sdk_presence": bytes([SDK]) + lp(req(sig="x")),
        "v4_hardened": bytes([HARD]) + lp(req()),
        "v4_empty_body": bytes([SEED]) + lp(req(target="/cvm/heartbeat", body="", tok="", sig=V4["sig_empty_b64"])),
        "n_sig_02_skew": bytes([SEED | SIGN]) + lp(req(ts="1700000121")),
        "n_sig_03_boundary": bytes([SEED | SIGN]) + lp(req(ts="1699999880")),
        "n_sig_04_plus": bytes([SEED | SIGN]) + lp(req(ts="+1700000000")),
        "n_sig_04_leading_zero": bytes([VAL | SIGN]) + lp(req(ts="01700000000")),
        "n_sig_06_nonce_reuse": bytes([SEED | SIGN]) + lp(req()) + lp(req(body='{"score":0.6}')),
        "n_sig_08_body": bytes([SEED]) + lp(req(body='{"score":0.6}')),
        "n_sig_11_query": bytes([SEED]) + lp(req(target="/results/submit?a=1")),
        "n_sig_11_slash": bytes([SEED]) + lp(req(target="/results/submit/")),
        "n_sig_13_other_session": bytes([SEED | SIGN]) + lp(req(tok="session_11111111-1111-4111-8111-111111111111")),
        "n_sig_16_s_plus_l": bytes([SEED]) + lp(req(sig=V4["sig_s_plus_l_b64"])),
        "n_sig_17_hex_sig": bytes([SEED]) + lp(req(sig=base64.b64decode(V4["sig_b64"]).hex())),
        "n_sig_21_short_nonce": bytes([SEED | SIGN]) + lp(req(nonce="abc")),
        "n_sig_01_missing_nonce": bytes([SEED | SIGN]) + lp(req(drop=("X-Nonce",))),
        "duplicate_header": bytes([SEED | SIGN]) + lp(req(extra=(("x-nonce", "123e4567-e89b-12d3-a456-426614174001"),))),
        "encrypted_body": bytes([SEED | SIGN]) + lp(req(body=v["V2"]["envelope"], extra=(("Content-Type", "application/x-encrypted+json"),), drop=("Content-Type",))),
        "n_sig_19_xchacha_body": bytes([SEED | SIGN]) + lp(req(body=compact({"enc": "chacha20poly1305", "nonce": b64(bytes.fromhex(v["V5"]["nonce"])), "ciphertext": b64(bytes.fromhex(v["V5"]["sdk_xchacha_ct"]))}), extra=(("Content-Type", "application/x-encrypted+json; charset=utf-8"),), drop=("Content-Type",))),
        "sdk_dev_mode": bytes([SDK | DEV]) + lp(req(drop=("X-Signature",))),
    }
    for name, data in s.items():
        c.add("signed_request", name, data)


def canonicals(c, v):
    V4 = v["V4"]
    six = lambda *f: b"".join(lp(x) for x in f)
    s = {
        "v4": six("POST", "/results/submit", V4["body"], "1700000000", "123e4567-e89b-12d3-a456-426614174000",
                  "session_00000000-0000-4000-8000-000000000000"),
        "v4_empty": six("POST", "/cvm/heartbeat", "", "1700000000", "123e4567-e89b-12d3-a456-426614174000", ""),
        "query_fragment": six("POST", "/a%2Fb/../c?x=1#frag", "{}", "1", "n", "t"),
        "crlf": six("POST\r", "/p\r\n", "\r\n", "1\n", "n\r", "t\n"),
        "empty": b"",
    }
    for name, data in s.items():
        c.add("canonical", name, data)


def tokens(c, v):
    V9 = v["V9"]
    h, p, sig = V9["token"].split(".")
    payload = json.loads(V9["payload"])
    s = {"v9": V9["token"], "n_tok_09_padding": h + "=." + p + "." + sig, "n_tok_10_two": h + "." + p,
         "n_tok_10_four": V9["token"] + ".x", "n_tok_10_empty": h + ".." + sig,
         "n_tok_10_4097": V9["token"] + "A" * (4097 - len(V9["token"])),
         "n_tok_09_plus_slash": h + "." + p + "." + sig.replace("-", "+").replace("_", "/"),
         "n_tok_07_truncated": h + "." + p + "." + b64url(base64.urlsafe_b64decode(sig + "==")[:63]),
         "n_tok_08_payload_changed": h + "." + b64url(compact(dict(payload, uid="8")).encode()) + "." + sig}
    for name, data in s.items():
        c.add("miner_token", name, data)

    def signed(header, claims):
        hj = header if isinstance(header, str) else compact(header)
        pj = claims if isinstance(claims, str) else compact(claims)
        return b"\x00" + lp(hj) + pj.encode()

    hdr = {"alg": "EdDSA", "typ": "MinerToken"}
    base = dict(payload)
    s = {
        "signed_v9": signed(V9["header"], V9["payload"]),
        "signed_kid": signed(dict(hdr, kid="k1"), base),
        "signed_nbf": signed(hdr, dict(base, nbf=1700000100)),
        "n_tok_03_iat_future": signed(hdr, dict(base, iat=1700000131, exp=1700000300)),
        "n_tok_04_nbf_future": signed(hdr, dict(base, nbf=1700000131)),
        "n_tok_05_lifetime": signed(hdr, dict(base, exp=base["iat"] + 3601)),
        "n_tok_06_none": signed(dict(hdr, alg="none"), base),
        "n_tok_06_hs256": signed(dict(hdr, alg="HS256"), base),
        "n_tok_06_jwt": signed(dict(hdr, typ="JWT"), base),
        "n_tok_06_crit": signed(dict(hdr, crit=["exp"]), base),
        "n_tok_11_no_hotkey": signed(hdr, {k: x for k, x in base.items() if k != "miner_hotkey"}),
        "n_tok_11_exp_string": signed(hdr, dict(base, exp="1700000300")),
        "n_tok_12_aud": signed(hdr, dict(base, aud="other", challenge_id="other")),
        "n_tok_12_iss": signed(hdr, dict(base, iss="someone")),
        "jti_short": signed(hdr, dict(base, jti="short")),
        "uid_leading_zero": signed(hdr, dict(base, uid="07")),
        "duplicate_claim": signed(hdr, V9["payload"][:-1] + ',"aud":"x"}'),
        "big_numbers": signed(hdr, dict(base, iat=-9223372036854775808, exp=9223372036854775807)),
    }
    for name, data in s.items():
        c.add("miner_token", name, data)


def sealed(c, v):
    box = base64.b64decode(v["V6"]["sealed_b64"])
    s = {"v6": box, "n_cred_01_47": box[:47], "empty": b""}
    for i, off in enumerate((0, 40, len(box) - 1)):
        flipped = bytearray(box)
        flipped[off] ^= 1
        s["n_cred_02_flip_%d" % i] = bytes(flipped)
    for i, lo in enumerate(LOW_ORDER_X25519):
        s["n_x_05_low_order_%d" % i] = bytes.fromhex(lo) + box[32:]
    for name, data in s.items():
        c.add("sealed_open", name, data)

    def seal(pt, flip_at=0, mask=0):
        return b"\x00" + struct.pack("<HB", flip_at, mask) + (pt.encode() if isinstance(pt, str) else pt)

    s = {"seal_v6_plaintext": seal(v["V6"]["plaintext"]), "seal_raw_dsn": seal("postgresql://u:p@db:5432/x"),
         "seal_n_cred_07_empty_dsn": seal('{"dsn": ""}'), "seal_n_cred_07_other": seal('{"other": 1}'),
         "seal_n_cred_07_number": seal('{"dsn": 5}'), "seal_n_cred_07_broken": seal("{broken json"),
         "seal_n_cred_08_not_utf8": seal(b"\xff\xfe"), "seal_nul": seal("a\x00b"),
         "seal_too_long": seal("d" * 4097), "seal_tampered": seal(v["V6"]["plaintext"], 40, 0x80),
         "seal_empty": seal("")}
    for name, data in s.items():
        c.add("sealed_open", name, data)


def routers(c):
    # [profile][ops]: 0 request (k), 1/2 message (raw: 0 + lp(json) | structured: 1 k id flag),
    # 3 advance (seconds), 4 close, 5 handler (type index).
    s = {
        "request_reply": bytes([0, 5, 0, 0, 1, 1, 5, 0, 0, 2, 1, 0, 0, 0]),
        "query_id_correlation": bytes([0, 0, 5, 2, 1, 6, 1, 0]),
        "error_reply": bytes([0, 0, 5, 1, 1, 1, 1, 3, 65, 66, 67]),
        "timeout": bytes([0, 0, 1, 0, 5, 3, 20, 3, 20]),
        "close": bytes([0, 0, 1, 0, 9, 4, 0, 1]),
        "raw_message": bytes([1, 0, 1, 1, 0]) + lp('{"type":"orm_result","message_id":"q0","result":{"rows":[]}}'),
        "raw_payload_query_id": bytes([0, 0, 1, 1, 0]) + lp('{"type":"orm_result","payload":{"query_id":"q0"}}'),
        "long_id": bytes([0, 0, 2, 0, 0x12]),
    }
    for name, data in s.items():
        c.add("router", name, data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.vectors) as f:
        v = json.load(f)
    c = Corpus(args.out)
    codecs(c, v)
    json_docs(c, v)
    handshakes(c, v)
    envelopes(c, v)
    quotes(c, v)
    event_logs(c, v)
    signed_requests(c, v)
    canonicals(c, v)
    tokens(c, v)
    sealed(c, v)
    routers(c)


if __name__ == "__main__":
    main()
