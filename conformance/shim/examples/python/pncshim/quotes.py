"""TDX quotes (§9): v4 structure, MockQuoteV4, dstack event logs and RTMRs, VerifyPeerQuote (§3.7),
environment isolation (§3.8) and the signed-quote (PCK chain) check (§3.7 step 3, §9.2)."""
import datetime
import re
import struct

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.serialization import Encoding

from . import codec, crypto
from .codec import Rejected, strict

INTEL_QE_VENDOR = bytes.fromhex("939a7233f79c4ca9940a0db3957f0607")
MOCK_MARKER = b"PNC-MOCK-TDX-QUOTE-1"
RUNTIME_EVENT = 0x08000001
MAX_QUOTE = 65536
MAX_EVENT_LOG = 1024 * 1024
COMPAT_OFFSETS = (568, 576, 584)   # §3.7 [COMPAT] step 2
SIG = 636                          # start of the signature data

# Absolute offsets of the v4 TD report body fields (§9.2).
SEAM_ATTRIBUTES, TD_ATTRIBUTES, MR_TD, RTMR0, REPORT_DATA = 160, 168, 184, 376, 568


def _u16(q, off):
    return struct.unpack_from("<H", q, off)[0]


def _u32(q, off):
    return struct.unpack_from("<I", q, off)[0]


# ---- structure (§9.3) ---------------------------------------------------------------------------

def parse(q, profile):
    """§9.3 steps 1-6 (DEC-08); returns the fields a verifier reads."""
    if len(q) < SIG:
        raise Rejected("tdx.truncated")
    if len(q) > MAX_QUOTE:
        raise Rejected("tdx.too_large")
    if _u16(q, 0) != 4:
        raise Rejected("tdx.bad_version")
    if _u16(q, 2) != 2:
        raise Rejected("tdx.bad_att_key_type")
    if _u32(q, 4) != 0x81:
        raise Rejected("tdx.bad_tee_type")
    if q[12:28] != INTEL_QE_VENDOR:
        raise Rejected("tdx.bad_qe_vendor")
    s = _u32(q, 632)
    if SIG + s > len(q):
        raise Rejected("tdx.truncated")
    if s < 134 or s > 64900:
        raise Rejected("tdx.bad_sig_len")
    # Zero bytes after the signature data are a real quote buffer's padding (DEC-30); any other
    # byte there is a second encoding of the quote.
    if any(q[SIG + s:]) and strict(profile):
        raise Rejected("tdx.trailing_bytes")
    if _u16(q, SIG + 128) != 6:
        raise Rejected("tdx.bad_cert_type")
    m = _u32(q, SIG + 130)
    if 134 + m != s or m < 384 + 64 + 2:
        raise Rejected("tdx.bad_cert_size")
    a = _u16(q, SIG + 582)
    if 584 + a + 6 > s:
        raise Rejected("tdx.bad_qe_auth_size")
    if _u16(q, SIG + 584 + a) != 5:
        raise Rejected("tdx.bad_inner_cert_type")
    p = _u32(q, SIG + 586 + a)
    if 590 + a + p != s:
        raise Rejected("tdx.bad_pck_size")
    if any(q[SEAM_ATTRIBUTES:SEAM_ATTRIBUTES + 8]):
        raise Rejected("tdx.seam_attributes")
    sig = q[SIG:SIG + s]
    return {
        "version": 4,
        "tee_type": 0x81,
        "user_data": q[28:48],
        "mr_td": q[MR_TD:MR_TD + 48],
        "rtmrs": [q[RTMR0 + 48 * i:RTMR0 + 48 * (i + 1)] for i in range(4)],
        "report_data": q[REPORT_DATA:REPORT_DATA + 64],
        "debug": bool(q[TD_ATTRIBUTES] & 1),
        "quote_signature": sig[0:64],
        "attestation_key": sig[64:128],
        "qe_report": sig[134:518],
        "qe_report_signature": sig[518:582],
        "qe_auth_data": sig[584:584 + a],
        "pck_chain": sig[590 + a:590 + a + p],
    }


def mock_signature(q):
    return crypto.sha512(b"PNC-MOCK-SIG" + q[0:632])


# ---- MockQuoteV4 (§9.6) -------------------------------------------------------------------------

MOCK_AK = crypto.sha512(b"PNC-MOCK-AK")
MOCK_QE_AUTH = bytes(range(32))
MOCK_PCK = b"PNC-MOCK-PCK-CHAIN"


def runtime_event_digest(event, payload):
    """dstack V1: SHA384(LE32(0x08000001) || ':' || event || ':' || payload)."""
    return crypto.sha384(struct.pack("<I", RUNTIME_EVENT) + b":" + event.encode("utf-8") + b":" + payload)


def mock_event_log(env_mode, compose_hash=None):
    events = [("app-id", b"\x11" * 20), ("compose-hash", compose_hash or crypto.sha256(b"mock-compose")),
              ("instance-id", b"\x22" * 20), ("environment-mode", env_mode.encode("utf-8"))]
    return [{"imr": 3, "event_type": RUNTIME_EVENT, "digest": runtime_event_digest(name, payload).hex(),
             "event": name, "event_payload": payload.hex()} for name, payload in events]


def mock_quote(nonce, env_mode="dev", report_data_upper=bytes(32)):
    """Returns (quote bytes, event log text, rtmrs object)."""
    log = mock_event_log(env_mode)
    rtmrs = [crypto.sha384(bytes(48) + crypto.sha384(b"mock-rtmr%d" % i)) for i in range(3)]
    rtmrs.append(replay(log)[3])
    header = struct.pack("<HHI", 4, 2, 0x81) + bytes(4) + INTEL_QE_VENDOR + MOCK_MARKER
    body = bytearray(584)
    body[16:64] = crypto.sha384(b"mock-mr-seam")
    body[136:184] = crypto.sha384(b"mock-mr-td")
    for i, value in enumerate(rtmrs):
        body[328 + 48 * i:376 + 48 * i] = value
    body[520:584] = crypto.sha256(nonce) + report_data_upper
    signed = header + bytes(body)
    qe_report = bytearray(384)
    qe_report[320:352] = crypto.sha256(MOCK_AK + MOCK_QE_AUTH)
    cert_data = (bytes(qe_report) + bytes(64) + struct.pack("<H", len(MOCK_QE_AUTH)) + MOCK_QE_AUTH
                 + struct.pack("<HI", 5, len(MOCK_PCK)) + MOCK_PCK)
    sig_data = mock_signature(signed) + MOCK_AK + struct.pack("<HI", 6, len(cert_data)) + cert_data
    quote = signed + struct.pack("<I", len(sig_data)) + sig_data
    return quote, codec.compact(log), {"rtmr%d" % i: v.hex() for i, v in enumerate(rtmrs)}


# ---- event logs and RTMRs (§9.5) ------------------------------------------------------------------

def parse_event_log(text, profile="seed-spec"):
    """A dstack array log (§9.5): events with imr 0-3, an integer event_type, a name, a 48-byte hex
    digest and a hex payload."""
    if not isinstance(text, str):
        raise Rejected("log.not_string")
    if codec.byte_length(text) > MAX_EVENT_LOG:
        raise Rejected("log.too_large")
    events = codec.json_parse(text, profile)
    if not isinstance(events, list):
        raise Rejected("log.not_array")
    for e in events:
        if not isinstance(e, dict):
            raise Rejected("log.bad_event")
        imr = e.get("imr")
        if not isinstance(imr, int) or isinstance(imr, bool) or not 0 <= imr <= 3:
            raise Rejected("log.bad_imr")
        digest = e.get("digest")
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-fA-F]{96}", digest):
            raise Rejected("log.bad_digest")
        event_type = e.get("event_type")
        if not isinstance(event_type, int) or isinstance(event_type, bool):
            raise Rejected("log.bad_event_type")
        if not isinstance(e.get("event"), str):
            raise Rejected("log.bad_event_name")
        payload = e.get("event_payload", "")
        if not isinstance(payload, str) or not re.fullmatch(r"(?:[0-9a-fA-F]{2})*", payload):
            raise Rejected("log.bad_payload")
    return events


def replay(events):
    """RTMR replay from 48 zero bytes; returns the four registers."""
    mrs = [bytes(48)] * 4
    for e in events:
        mrs[e["imr"]] = crypto.sha384(mrs[e["imr"]] + bytes.fromhex(e["digest"]))
    return mrs


def is_runtime_event(e):
    return e.get("event_type") == RUNTIME_EVENT and e.get("imr") == 3     # DEC-10


def check_event_digests(events):
    """[HARD] every runtime event's digest is the V1 digest of its payload (DEC-09)."""
    for e in events:
        if not is_runtime_event(e):
            continue
        name, payload = e.get("event"), e.get("event_payload")
        if not isinstance(name, str) or not isinstance(payload, str):
            raise Rejected("attest.event_digest_mismatch")
        try:
            raw = bytes.fromhex(payload)
        except ValueError:
            raise Rejected("attest.event_digest_mismatch")
        if not crypto.equal(runtime_event_digest(name, raw), bytes.fromhex(e["digest"])):
            raise Rejected("attest.event_digest_mismatch")


def rtmr3_check(quote_fields, log_text):
    events = parse_event_log(log_text)
    if not crypto.equal(replay(events)[3], quote_fields["rtmrs"][3]):
        raise Rejected("attest.rtmr3_mismatch")


def rtmrs_check(quote_fields, rtmrs):
    """§9.5 [SEED] rtmrs shape: exactly rtmr0..3, 96 lowercase hex each, equal to the quote."""
    names = ["rtmr%d" % i for i in range(4)]
    if not isinstance(rtmrs, dict) or sorted(rtmrs) != names:
        raise Rejected("attest.rtmrs_shape")
    for i, name in enumerate(names):
        value = rtmrs[name]
        if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{96}", value):
            raise Rejected("attest.rtmrs_shape")
        if not crypto.equal(bytes.fromhex(value), quote_fields["rtmrs"][i]):
            raise Rejected("attest.rtmrs_mismatch")


def compose_hash_check(log_text, expected):
    """VAL's check (§9.5): the first `compose-hash` event of an array log carries `expected`."""
    if not isinstance(log_text, str):
        raise Rejected("attest.compose_hash_mismatch")
    try:
        events = codec.json_parse(log_text, "sdk-compat")
    except Rejected:
        raise Rejected("attest.compose_hash_mismatch")
    if not isinstance(events, list):
        raise Rejected("attest.compose_hash_mismatch")
    for e in events:
        if isinstance(e, dict) and e.get("event") == "compose-hash":
            if e.get("event_payload") == expected:
                return
            break
    raise Rejected("attest.compose_hash_mismatch")


# ---- environment (§3.8) ------------------------------------------------------------------------

def extract_env_mode(log, profile):
    """ExtractEnvMode: the peer's environment, or None when undefined."""
    if isinstance(log, dict) and not strict(profile):
        doc = log                               # [COMPAT] a val_event_log sent as an object
    elif isinstance(log, str):
        try:
            doc = codec.json_parse(log, profile)
        except Rejected:
            return None
    else:
        return None
    if isinstance(doc, dict):
        mode = doc.get("environment_mode")
        if strict(profile):
            if isinstance(mode, str) and mode:
                return mode
        elif mode:                               # [COMPAT] any truthy value
            return mode if isinstance(mode, str) else str(mode)
        if doc.get("dev_mode"):                  # Python truthiness (DEC-10)
            return "dev"
        return None
    if isinstance(doc, list) and strict(profile):
        if not all(_well_formed_event(e) for e in doc):
            return None                          # DEC-116: one malformed element, no environment
        found = None
        for e in doc:
            if is_runtime_event(e) and e["event"] == "environment-mode":
                try:
                    found = bytes.fromhex(e["event_payload"]).decode("ascii")
                except ValueError:
                    found = None
        return found
    return None


def _well_formed_event(e):
    """A §9.5 element as the reference reads it (DEC-116): imr 0-3 and event_type 0..2^32-1 as
    integers, event a string, event_payload even-length hex, digest 96 hex digits ("" only for a
    runtime event, DEC-31); other members are ignored."""
    if not isinstance(e, dict):
        return False
    for name, top in (("imr", 3), ("event_type", 0xFFFFFFFF)):
        value = e.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
            return False
    payload, digest = e.get("event_payload"), e.get("digest")
    if not isinstance(e.get("event"), str) or not isinstance(payload, str) or not isinstance(digest, str):
        return False
    if not re.fullmatch(r"(?:[0-9a-fA-F]{2})*", payload):
        return False
    if digest == "":
        return e["event_type"] == RUNTIME_EVENT
    return re.fullmatch(r"[0-9a-fA-F]{96}", digest) is not None


def check_environment(log, local_env, mode, profile):
    peer_env = extract_env_mode(log, profile)
    if peer_env is None:
        if strict(profile) and mode == "prod":
            raise Rejected("attest.env_missing")
        return
    if peer_env != local_env:
        raise Rejected("attest.env_mismatch", f"Environment mismatch: peer {peer_env}, local {local_env}")


# ---- VerifyPeerQuote (§3.7) -----------------------------------------------------------------------

def verify_peer(quote_b64, event_log, nonce, local_env, mode, profile, key_binding=None,
                expected_compose_hash=None, dcap="reject", signature_check=None, rtmrs=None):
    """§3.7 in `profile`. `signature_check(q, fields)` replaces the stubbed DCAP step when given."""
    expected = crypto.sha256(nonce)
    if not strict(profile):
        q = _decode_quote(quote_b64, profile)
        if len(q) < 1024:
            raise Rejected("attest.quote_too_short", f"Validator quote too short: {len(q)} bytes (minimum 1024)")
        if not any(len(q) >= o + 32 and crypto.equal(q[o:o + 32], expected) for o in COMPAT_OFFSETS):
            raise Rejected("attest.nonce_mismatch")
        check_environment(event_log, local_env, mode, profile)
        if expected_compose_hash is not None:
            compose_hash_check(event_log, expected_compose_hash)
        return
    q = _decode_quote(quote_b64, profile)
    try:
        fields = parse(q, profile)
    except Rejected as err:
        if err.code == "tdx.truncated":
            raise Rejected("attest.quote_too_short")
        raise Rejected("attest.bad_structure", err.code)
    if not crypto.equal(fields["report_data"][:32], expected):
        raise Rejected("attest.nonce_mismatch", "nonce binding failed")
    if profile == "hardened":                     # §3.4 [HARD]: a verifier always knows the binding
        if key_binding is None or not crypto.equal(fields["report_data"][32:], key_binding):
            raise Rejected("attest.key_binding")
    marked = fields["user_data"] == MOCK_MARKER
    if mode == "prod" or signature_check is not None:
        if marked:
            raise Rejected("attest.mock_marker_in_prod")
        if signature_check is not None:
            signature_check(q, fields)
        if fields["debug"]:
            raise Rejected("attest.debug")
        if signature_check is None and dcap != "accept":
            raise Rejected("attest.dcap_failed")
    else:
        if not marked:
            raise Rejected("attest.mock_marker_missing")
        if not crypto.equal(fields["quote_signature"], mock_signature(q)):
            raise Rejected("attest.mock_signature")
    check_event_log(fields, event_log, profile)
    if rtmrs is not None:
        rtmrs_check(fields, rtmrs)
    check_environment(event_log, local_env, "prod" if signature_check is not None else mode, profile)
    if expected_compose_hash is not None:
        compose_hash_check(event_log, expected_compose_hash)


def check_event_log(fields, event_log, profile):
    """DEC-09: size limit, RTMR3 replay of array logs; [HARD] a matching array log is required."""
    if isinstance(event_log, str) and codec.byte_length(event_log) > MAX_EVENT_LOG:
        raise Rejected("attest.event_log_too_large")
    events = None
    if isinstance(event_log, str):
        try:
            doc = codec.json_parse(event_log, profile)
        except Rejected:
            doc = None
        if isinstance(doc, list):
            events = parse_event_log(event_log, profile)
    if events is None:
        if profile == "hardened":
            raise Rejected("attest.event_log_required")
        return
    if not crypto.equal(replay(events)[3], fields["rtmrs"][3]):
        raise Rejected("attest.rtmr3_mismatch")
    if profile == "hardened":
        check_event_digests(events)


def _decode_quote(quote_b64, profile):
    if not isinstance(quote_b64, str) or not quote_b64:
        raise Rejected("attest.quote_too_short")
    try:
        return codec.b64_decode(quote_b64, profile)
    except Rejected:
        raise Rejected("attest.bad_quote_encoding")


# ---- the real signature check (PCK chain, QE report, quote signature) ---------------------------------

def signature_verdict(quote_b64, profile, check):
    """What the signed-quote check alone says about the quote: "ok" or the code of its first failure
    (structure, mock marker, `check`'s chain and signatures, DEBUG), in the order of the reference's
    verify_signed_quote. Runs in every profile, so no answer hides a failed signature (DEC-38)."""
    try:
        q = codec.b64_decode(quote_b64 if isinstance(quote_b64, str) else "", "sdk-compat")
        fields = parse(q, profile)
        if fields["user_data"] == MOCK_MARKER:
            raise Rejected("dcap.mock_marker")
        check(q, fields)
        if fields["debug"]:
            raise Rejected("dcap.debug_td")
    except Rejected as err:
        return err.code
    return "ok"


_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.S)


def pck_signature_check(root_pem, now):
    """Returns the signature_check for verify_peer: the DCAP signature chain against `root_pem`."""
    try:
        anchor = x509.load_pem_x509_certificate(root_pem.encode("utf-8"))
    except ValueError:
        raise Rejected("dcap.bad_root")
    when = datetime.datetime.utcfromtimestamp(now)

    def check(q, fields):
        blocks = _PEM.findall(fields["pck_chain"])
        if not blocks:
            raise Rejected("dcap.bad_chain")
        try:
            certs = [x509.load_pem_x509_certificate(b) for b in blocks]
        except ValueError:
            raise Rejected("dcap.bad_chain")
        anchor_der = anchor.public_bytes(Encoding.DER)
        chain = [c for c in certs if c.public_bytes(Encoding.DER) != anchor_der]
        if not chain:
            raise Rejected("dcap.bad_chain")
        for cert, issuer in zip(chain, chain[1:] + [anchor]):
            _check_issued(cert, issuer, when)
        _check_valid_at(anchor, when)
        leaf_key = chain[0].public_key()
        _ecdsa_verify(leaf_key, fields["qe_report_signature"], fields["qe_report"], "dcap.qe_report_signature")
        bound = fields["qe_report"][320:384]
        if not crypto.equal(bound, crypto.sha256(fields["attestation_key"] + fields["qe_auth_data"]) + bytes(32)):
            raise Rejected("dcap.qe_report_binding")
        try:
            ak = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + fields["attestation_key"])
        except ValueError:
            raise Rejected("dcap.bad_attestation_key")
        _ecdsa_verify(ak, fields["quote_signature"], q[0:632], "dcap.quote_signature")

    return check


def _check_valid_at(cert, when):
    # DEC-18: the notAfter second itself counts as expired (OpenSSL), notBefore as valid.
    if when < cert.not_valid_before or when >= cert.not_valid_after:
        raise Rejected("dcap.cert_validity")


def _check_issued(cert, issuer, when):
    _check_valid_at(cert, when)
    if cert.issuer != issuer.subject:
        raise Rejected("dcap.chain_name")
    try:
        constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        raise Rejected("dcap.issuer_not_ca")
    if not constraints.ca:
        raise Rejected("dcap.issuer_not_ca")
    key = issuer.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise Rejected("dcap.bad_issuer_key")
    try:
        key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    except InvalidSignature:
        raise Rejected("dcap.chain_signature")


def _ecdsa_verify(key, raw_sig, data, code):
    """ECDSA-P256-SHA256 with an Intel-style raw r || s signature."""
    if not isinstance(key, ec.EllipticCurvePublicKey) or len(raw_sig) != 64:
        raise Rejected(code)
    der = utils.encode_dss_signature(int.from_bytes(raw_sig[:32], "big"), int.from_bytes(raw_sig[32:], "big"))
    try:
        key.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Rejected(code)
