"""The shim operations (conformance/shim/README.md): each takes (args, profile) and returns the
`result` object, or raises Rejected for an `error` answer. OPS maps op names to them."""
from . import bootstrap, codec, credentials, crypto, envelope, handshake, quotes, signed_http, tokens
from .codec import Rejected, arg_hex

NAME, VERSION, PROTOCOL = "pnc-python-shim", "0.1.0", 1
SESSIONS = handshake.Sessions()


def hello(args, profile):
    return {"name": NAME, "version": VERSION, "protocol": PROTOCOL}


# ---- primitives (§0.3, §0.4) -------------------------------------------------------------------------

def x25519(args, profile):
    return {"shared": crypto.x25519(arg_hex(args, "private"), arg_hex(args, "public")).hex()}


def x25519_public(args, profile):
    return {"public": crypto.x25519_public(arg_hex(args, "private", 32)).hex()}


def ed25519_public(args, profile):
    return {"public": crypto.ed25519_public(arg_hex(args, "seed", 32)).hex()}


def ed25519_sign(args, profile):
    return {"sig": crypto.ed25519_sign(arg_hex(args, "seed", 32), arg_hex(args, "msg")).hex()}


def ed25519_verify(args, profile):
    crypto.ed25519_verify(arg_hex(args, "pk"), arg_hex(args, "msg"), arg_hex(args, "sig"))
    return {}


def ed25519_to_x25519(args, profile):
    if "seed" in args:
        return {"private": crypto.ed25519_seed_to_x25519(arg_hex(args, "seed", 32)).hex()}
    return {"public": crypto.ed25519_pk_to_x25519(arg_hex(args, "pk")).hex()}


def hkdf_sha256(args, profile):
    okm = crypto.hkdf_sha256(arg_hex(args, "ikm"), arg_hex(args, "salt"), arg_hex(args, "info"), _int(args, "size"))
    return {"okm": okm.hex()}


def aead_encrypt(args, profile):
    key, iv, aad, msg = (arg_hex(args, n) for n in ("key", "iv", "aad", "msg"))
    if args.get("alg") == "xchacha20poly1305":
        out = crypto.xchacha20poly1305_encrypt(key, iv, msg, aad)
    else:
        out = crypto.chacha20poly1305_encrypt(key, iv, msg, aad)
    return {"ct": out[:-16].hex(), "tag": out[-16:].hex()}


def aead_decrypt(args, profile):
    key, iv, aad, ct, tag = (arg_hex(args, n) for n in ("key", "iv", "aad", "ct", "tag"))
    if len(tag) != 16:
        raise Rejected("aead.bad_tag_length")
    if args.get("alg") == "xchacha20poly1305":
        msg = crypto.xchacha20poly1305_decrypt(key, iv, ct + tag, aad)
    else:
        msg = crypto.chacha20poly1305_decrypt(key, iv, ct + tag, aad)
    return {"msg": msg.hex()}


def hchacha20(args, profile):
    return {"subkey": crypto.hchacha20(arg_hex(args, "key"), arg_hex(args, "input")).hex()}


def sha256(args, profile):
    return {"digest": crypto.sha256(arg_hex(args, "msg")).hex()}


def sha384(args, profile):
    return {"digest": crypto.sha384(arg_hex(args, "msg")).hex()}


def sha512(args, profile):
    return {"digest": crypto.sha512(arg_hex(args, "msg")).hex()}


# ---- codecs (§0.3) ------------------------------------------------------------------------------

def b64_decode(args, profile):
    return {"bytes": codec.b64_decode(args.get("text"), profile, args.get("length")).hex()}


def b64url_decode(args, profile):
    return {"bytes": codec.b64url_decode(args.get("text")).hex()}


def hex_decode(args, profile):
    return {"bytes": codec.hex_decode(args.get("text"), profile, args.get("length")).hex()}


def json_member(args, profile):
    doc = codec.json_parse(args.get("text"), profile, want_object=True)
    codec.member(doc, args.get("member"), args.get("kind"))
    return {}


def json_parse(args, profile):
    codec.json_parse(args.get("text"), profile, want_object=bool(args.get("object")))
    return {}


# ---- key derivation, report data, envelopes (§2-§5) ----------------------------------------------------

def ws_session_key(args, profile):
    shared = crypto.x25519(arg_hex(args, "private", 32), arg_hex(args, "public", 32))
    info = handshake.INFO
    if args.get("direction") in ("c2s", "s2c"):
        info += b"/" + args["direction"].encode("ascii")
    return {"key": crypto.hkdf_sha256(shared, arg_hex(args, "salt"), info).hex()}


def report_data_ws(args, profile):
    return {"report_data": (crypto.sha256(arg_hex(args, "nonce")) + bytes(32)).hex()}


def report_data_http(args, profile):
    return {"report_data": (crypto.sha256(codec.wire_bytes(_str(args, "nonce_text"))) + bytes(32)).hex()}


def envelope_seal(args, profile):
    text = envelope.seal(arg_hex(args, "key", 32), arg_hex(args, "nonce", 12), codec.wire_bytes(_str(args, "plaintext")))
    return {"envelope": text}


def envelope_open(args, profile):
    _, plaintext = envelope.open_envelope(arg_hex(args, "key", 32), _str(args, "envelope"), profile)
    return {"plaintext": _text(plaintext)}


def channel_receive(args, profile):
    channel = envelope.Channel(profile, arg_hex(args, "key", 32))
    for action in args.get("setup") or []:
        if action.get("op") == "send":
            channel.send(codec.wire_bytes(_str(action, "plaintext")), arg_hex(action, "nonce", 12))
        else:
            channel.receive(_str(action, "frame"))
    frame = _pad(_str(args, "frame"), args.get("pad_to"))
    return {"plaintext": _text(channel.receive(frame, binary=bool(args.get("binary"))))}


# ---- signed HTTP requests (§6) ------------------------------------------------------------------------

def canonical_string(args, profile):
    text = signed_http.canonical(_str(args, "method"), _str(args, "path"), arg_hex(args, "body"),
                                 _str(args, "timestamp"), _str(args, "nonce"), _str(args, "session_token"))
    return {"canonical": text}


def signed_request_sign(args, profile):
    headers = signed_http.sign(arg_hex(args, "seed", 32), _str(args, "method"), _str(args, "target"),
                               arg_hex(args, "body"), _str(args, "content_type"), _str(args, "timestamp"),
                               _str(args, "nonce"), _str(args, "session_token"))
    return {"headers": headers}


def signed_request_verify(args, profile):
    flavour = "strict" if codec.strict(profile) else args.get("compat_verifier") or "val_middleware"
    verifier = signed_http.Verifier(flavour, [_session(s) for s in args.get("sessions") or []])
    status, reason = 200, "ok"
    for request in list(args.get("replay") or []) + [args]:
        try:
            verifier.verify(_str(request, "method"), _str(request, "target"), request.get("headers") or [],
                            _body(request), _int(args, "now"))
            status, reason = 200, "ok"
        except signed_http.Refused as refused:
            status, reason = refused.status, refused.reason
    return {"status": status, "reason": reason}


def body_encrypt(args, profile):
    body = signed_http.body_encrypt(arg_hex(args, "key", 32), arg_hex(args, "nonce", 12), arg_hex(args, "plaintext"),
                                    args.get("cipher"))
    return {"body": body}


def body_decrypt(args, profile):
    plaintext = signed_http.body_decrypt(arg_hex(args, "key", 32), _str(args, "body"), args.get("cipher"), profile)
    return {"plaintext": plaintext.hex()}


# ---- miner identity (§7) ---------------------------------------------------------------------------

def miner_token_verify(args, profile):
    verifier = tokens.TokenVerifier(arg_hex(args, "issuer_public", 32), _str(args, "issuer"), _str(args, "audience"),
                                    _int(args, "leeway", 30), bool(args.get("replay_cache")))
    now = _int(args, "now")
    for earlier in args.get("earlier") or []:
        try:
            verifier.verify(earlier, now)
        except Rejected:
            pass
    return {"token_info": verifier.verify(_str(args, "token"), now)}


def identity_resolve(args, profile):
    info = tokens.resolve_identity(_str(args, "route"), args.get("headers") or [], bool(args.get("dev_mode")),
                                   bool(args.get("authenticated_by_signed_request")), args.get("challenge_id"),
                                   args.get("routes") or [], profile)
    return {"token_info": info}


# ---- credentials (§8) -------------------------------------------------------------------------------

def sealed_box_open(args, profile):
    plaintext = crypto.sealed_box_open(arg_hex(args, "sealed"), arg_hex(args, "recipient_public", 32),
                                       arg_hex(args, "recipient_private", 32))
    return {"plaintext": plaintext.hex()}


def sealed_credentials(args, profile):
    try:
        dsn = credentials.receive_sealed(_str(args, "body"), args.get("receiver_key_b64"), profile)
    except credentials.HttpAnswer as answer:
        return {"status": answer.status, "body": codec.compact({"detail": answer.detail})}
    return {"status": 200, "body": codec.compact({"migrated": True}), "dsn": dsn}


def credential_transfer_encrypt(args, profile):
    ct, e_pk = credentials.transfer_encrypt(arg_hex(args, "recipient_public", 32), codec.wire_bytes(_str(args, "plaintext")),
                                            arg_hex(args, "ephemeral_private", 32), arg_hex(args, "nonce", 12),
                                            args.get("aad_mode"))
    return {"encrypted_data": ct.hex(), "ephemeral_public_key": e_pk.hex()}


def credential_transfer_decrypt(args, profile):
    creds = credentials.transfer_decrypt(_str(args, "response"), arg_hex(args, "recipient_private", 32),
                                         args.get("aad_mode"), profile)
    return {"credentials": creds}


def credential_receive(args, profile):
    creds = credentials.transfer_decrypt(_str(args, "response"), arg_hex(args, "recipient_private", 32),
                                         args.get("aad_mode"), profile)
    return {"dsn": credentials.dsn_from_credentials(creds)}


def credential_request_parse(args, profile):
    challenge_id, public_key = credentials.parse_request(_str(args, "body"), profile)
    return {"challenge_id": challenge_id, "public_key": public_key.hex()}


# ---- TDX (§3.7, §9) ---------------------------------------------------------------------------------

def quote_parse(args, profile):
    f = quotes.parse(arg_hex(args, "quote"), profile)
    out = {"version": f["version"], "tee_type": f["tee_type"], "user_data": f["user_data"].hex(),
           "mr_td": f["mr_td"].hex(), "report_data": f["report_data"].hex(), "debug": f["debug"]}
    out.update({"rtmr%d" % i: r.hex() for i, r in enumerate(f["rtmrs"])})
    return out


def quote_verify_peer(args, profile):
    quotes.verify_peer(args.get("quote_b64"), args.get("event_log"), arg_hex(args, "nonce"), _str(args, "local_env"),
                       _str(args, "mode"), profile, key_binding=_opt_hex(args, "key_binding"),
                       expected_compose_hash=args.get("expected_compose_hash"), dcap=args.get("dcap") or "reject")
    return {}


def signed_quote_verify(args, profile):
    # The signature step runs in every profile and its verdict is in every answer (DEC-38): strict
    # profiles refuse with it (attest.dcap_failed: <code>); sdk-compat keeps §3.7 [COMPAT] 4 (the
    # SDK checks no signature, so the verdict does not depend on it) but reports what it found.
    check = quotes.pck_signature_check(_str(args, "root_ca_pem"), _int(args, "now"))
    signature = quotes.signature_verdict(args.get("quote_b64"), profile, check)

    def dcap_step(q, fields):
        if signature != "ok":
            raise Rejected("attest.dcap_failed", signature)

    quotes.verify_peer(args.get("quote_b64"), args.get("event_log"), arg_hex(args, "nonce"), _str(args, "local_env"),
                       "prod", profile, key_binding=_opt_hex(args, "key_binding"),
                       signature_check=None if not codec.strict(profile) else dcap_step,
                       rtmrs=args.get("rtmrs") if codec.strict(profile) else None)
    return {"signature": signature}


def mock_quote(args, profile):
    quote, log, rtmrs = quotes.mock_quote(arg_hex(args, "nonce"), args.get("env_mode") or "dev")
    return {"quote": quote.hex(), "event_log": log, "rtmrs": rtmrs}


def event_log_replay(args, profile):
    mrs = quotes.replay(quotes.parse_event_log(args.get("event_log"), profile))
    return {"rtmr%d" % i: mr.hex() for i, mr in enumerate(mrs)}


def env_mode_extract(args, profile):
    return {"env_mode": quotes.extract_env_mode(args.get("event_log"), profile)}


def runtime_event_digest(args, profile):
    return {"digest": quotes.runtime_event_digest(_str(args, "event"), arg_hex(args, "payload")).hex()}


def rtmr3_check(args, profile):
    quotes.rtmr3_check(quotes.parse(arg_hex(args, "quote"), profile), args.get("event_log"))
    return {}


def rtmrs_check(args, profile):
    quotes.rtmrs_check(quotes.parse(arg_hex(args, "quote"), profile), args.get("rtmrs"))
    return {}


def compose_hash_check(args, profile):
    quotes.compose_hash_check(args.get("event_log"), args.get("expected"))
    return {}


# ---- bootstrap (§2) ---------------------------------------------------------------------------------

def attest_request(args, profile):
    verifier = bootstrap.AttestVerifier(arg_hex(args, "nonce_bytes", 32), _int(args, "issued_at"), profile)
    status, reason = 200, "ok"
    for _ in range(_int(args, "replays", 0) + 1):
        try:
            verifier.attest(args.get("content_type"), _str(args, "body"), _int(args, "now"))
            status, reason = 200, "ok"
        except bootstrap.HttpAnswer as answer:
            status, reason = answer.status, answer.reason
    return {"status": status, "reason": reason}


def attest_response(args, profile):
    key = bootstrap.attest_response(arg_hex(args, "x25519_sk", 32), _int(args, "status"),
                                    _str(args, "body"), profile)
    return {"aead_key": key.hex() if key is not None else None}


def nonce_response(args, profile):
    return {"nonce": bootstrap.nonce_response(_int(args, "status"), _str(args, "body"), profile)}


# ---- handshake transcripts (stateful) ----------------------------------------------------------------

def handshake_start(args, profile):
    step = SESSIONS.start(_str(args, "session"), args.get("role"), profile, _str(args, "mode"), _str(args, "env_mode"),
                          arg_hex(args, "rng"), args.get("expected_compose_hash"), args.get("dcap") or "reject")
    return step.result()


def handshake_input(args, profile):
    machine = SESSIONS.get(_str(args, "session"))
    if args.get("timeout"):
        return machine.input(timeout=True).result()
    if args.get("binary"):
        return machine.input(binary=True).result()
    return machine.input(text=_pad(_str(args, "text"), args.get("pad_to"))).result()


def handshake_probe(args, profile):
    return {"plaintext": _text(SESSIONS.get(_str(args, "session")).probe(_str(args, "frame")))}


def handshake_end(args, profile):
    SESSIONS.end(_str(args, "session"))
    return {}


# ---- argument helpers ---------------------------------------------------------------------------------

def _str(args, name):
    value = args.get(name)
    if not isinstance(value, str):
        raise Rejected("args.missing", name)
    return value


def _int(args, name, default=None):
    value = args.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Rejected("args.missing", name)
    return value


def _opt_hex(args, name):
    return arg_hex(args, name) if isinstance(args.get(name), str) else None


def _text(plaintext):
    return plaintext.decode("utf-8", "surrogateescape")


def _pad(text, pad_to):
    size = codec.byte_length(text)
    return text + " " * (pad_to - size) if isinstance(pad_to, int) and pad_to > size else text


def _body(request):
    fill = request.get("body_fill")
    if isinstance(fill, dict):
        return bytes.fromhex(fill["byte"]) * fill["length"]
    return arg_hex(request, "body")


def _session(entry):
    return {"token": entry.get("token"), "public_key": entry.get("public_key", ""),
            "aead_key": entry.get("aead_key"), "expires_at": entry.get("expires_at", 0)}


OPS = {name: fn for name, fn in list(globals().items())
       if callable(fn) and not name.startswith("_") and fn.__module__ == __name__}
