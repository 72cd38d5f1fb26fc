"""Signed HTTP requests (§6): canonical string, signer, the three verifiers, encrypted bodies."""
import re
import uuid

from . import codec, crypto, envelope
from .codec import Rejected

MAX_BODY = 16 * 1024 * 1024        # §10; 413 in every profile (DEC-14)
SKEW = 120                         # §6.4 V2
SIGNED_HEADERS = ("X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature")
ENCRYPTED_TYPE = "application/x-encrypted+json"
_TIMESTAMP = re.compile(r"\A(0|[1-9][0-9]*)\Z")
_NONCE = re.compile(r"\A[A-Za-z0-9_-]{16,128}\Z")
_PRINTABLE = re.compile(r"\A[\x20-\x7e]*\Z")


def wire_path(target):
    """§6.2 PATH: the request-target without query or fragment, no normalisation."""
    return re.split(r"[?#]", target, maxsplit=1)[0]


def canonical(method, path, body, timestamp, nonce, session_token):
    return "\n".join([method, path, crypto.sha256(body).hex(), timestamp, nonce, session_token])


def sign(seed, method, target, body, content_type, timestamp, nonce=None, session_token=""):
    """§6.3: the six headers of a signed request."""
    nonce = nonce if nonce is not None else str(uuid.uuid4())
    text = canonical(method, wire_path(target), body, timestamp, nonce, session_token)
    return {
        "X-Session-Token": session_token,
        "X-Public-Key": codec.b64_encode(crypto.ed25519_public(seed)),
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature": codec.b64_encode(crypto.ed25519_sign(seed, text.encode("utf-8"))),
        "Content-Type": content_type,
    }


# ---- encrypted bodies (§6.5) -------------------------------------------------------------------------

def body_encrypt(key, n12, plaintext, cipher):
    if cipher == "ietf":
        ct = crypto.chacha20poly1305_encrypt(key, n12, plaintext)
    elif cipher == "sdk_xchacha":       # [COMPAT] quirk D-12: XChaCha20 with n12 || 0^12, same label
        ct = crypto.xchacha20poly1305_encrypt(key, n12 + bytes(12), plaintext)
    else:
        raise Rejected("body.bad_cipher")
    return codec.compact({"enc": envelope.ENC, "nonce": codec.b64_encode(n12), "ciphertext": codec.b64_encode(ct)})


def body_decrypt(key, body, cipher, profile, labels=(envelope.ENC,)):
    n12, ct = envelope.parse_fields(body, profile, labels)
    if cipher == "sdk_xchacha":
        return crypto.xchacha20poly1305_decrypt(key, n12 + bytes(12), ct)
    return crypto.chacha20poly1305_decrypt(key, n12, ct)


# ---- verification (§6.4) ---------------------------------------------------------------------------

class Refused(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


class Verifier:
    """A server's verifier with its session table and per-session nonce cache.

    `flavour` is 'strict' (§6.4 V1-V8, seed-spec / hardened), 'val_middleware' (VAL, sdk-compat)
    or 'sdk_presence_only' (the SDK's own check, sdk-compat).
    """

    def __init__(self, flavour, sessions):
        self.flavour = flavour
        self.sessions = {s["token"]: s for s in sessions}
        self.nonces = set()                    # (session token, nonce)

    def verify(self, method, target, headers, body, now):
        """Returns the plaintext body; raises Refused(status, reason)."""
        values = {}
        for name, value in headers:
            if any(c in value for c in "\r\n\0"):
                raise Refused(400, "sig.malformed_header")      # no HTTP server delivers these
            if self.flavour == "val_middleware" and name.lower().startswith("x-") and not _PRINTABLE.match(value):
                raise Refused(401, "sig.bad_header:" + name)   # axum's HeaderValue::to_str fails
            key = name.lower()
            if key in values and self.flavour == "strict" and key.startswith("x-"):
                raise Refused(401, "sig.repeated_header")
            values.setdefault(key, value)
        get = {h: values.get(h.lower()) for h in SIGNED_HEADERS}
        content_type = values.get("content-type", "")
        if self.flavour == "sdk_presence_only":
            if any(not v for v in get.values()):
                raise Refused(401, "sig.missing_headers")
            if len(body) > MAX_BODY:
                raise Refused(413, "sig.body_too_large")
            return body
        if self.flavour == "strict":
            return self._strict(method, target, get, content_type, body, now)
        return self._val(method, target, get, body, now)

    def _strict(self, method, target, h, content_type, body, now):
        for name, value in h.items():                                                   # V1
            if not value or not _PRINTABLE.match(value):
                raise Refused(401, "sig.bad_header:" + name)
        ts = h["X-Timestamp"]
        if not _TIMESTAMP.match(ts) or int(ts) > 2 ** 53:
            raise Refused(401, "sig.bad_timestamp")
        if not _NONCE.match(h["X-Nonce"]) or len(h["X-Session-Token"]) > 256:
            raise Refused(401, "sig.bad_nonce")
        try:
            pk = codec.b64_decode(h["X-Public-Key"], "seed-spec", 32)
            sig = codec.b64_decode(h["X-Signature"], "seed-spec", 64)
        except Rejected:
            raise Refused(401, "sig.bad_encoding")
        if abs(now - int(ts)) > SKEW:                                                   # V2
            raise Refused(401, "sig.stale")
        if len(body) > MAX_BODY:                                                        # V3
            raise Refused(413, "sig.body_too_large")
        session = self._session(h["X-Session-Token"], now)                              # V4
        if not crypto.equal(pk, bytes.fromhex(session["public_key"])):                  # V5
            raise Refused(401, "sig.key_mismatch")
        self._signature(method, target, body, ts, h, pk, sig)                           # V6
        self._remember_nonce(h)                                                         # V7
        if _media_type(content_type) == ENCRYPTED_TYPE:                                  # V8
            if not session.get("aead_key"):
                raise Refused(400, "sig.no_session_key")
            try:
                return body_decrypt(bytes.fromhex(session["aead_key"]), _body_text(body), "ietf", "seed-spec")
            except Rejected:
                raise Refused(400, "sig.body_decrypt")
        return body

    def _val(self, method, target, h, body, now):
        """VAL's middleware (§6.4 'Differences in VAL', DEC-14 order)."""
        for name, value in h.items():
            if value is None or (not value and name != "X-Nonce"):
                raise Refused(401, "sig.missing_header:" + name)
        ts = _rust_u64(h["X-Timestamp"])                                                # V1
        if ts is None:
            raise Refused(401, "sig.bad_timestamp")
        if abs(now - ts) > SKEW:                                                        # V2
            raise Refused(401, "sig.stale")
        if len(body) > MAX_BODY:                                                        # V3
            raise Refused(413, "sig.body_too_large")
        session = self._session(h["X-Session-Token"], now)                              # V4
        self._remember_nonce(h)                                                         # D-15: before V5/V6
        try:
            pk = codec.b64_decode(h["X-Public-Key"], "seed-spec")
            sig = codec.b64_decode(h["X-Signature"], "seed-spec", 64)
        except Rejected:
            raise Refused(401, "sig.bad_encoding")
        if pk != bytes.fromhex(session["public_key"]):                                  # V5
            raise Refused(401, "sig.key_mismatch")
        self._signature(method, target, body, str(ts), h, pk, sig)                      # V6
        if session.get("aead_key"):                                                     # V8
            fields = _envelope_like(body)
            if fields is not None:
                try:
                    return body_decrypt(bytes.fromhex(session["aead_key"]), _body_text(body), "ietf", "seed-spec",
                                        labels=("chacha20poly1305", "xchacha20poly1305"))
                except Rejected:
                    raise Refused(400, "sig.body_decrypt")
        return body

    def _session(self, token, now):
        session = self.sessions.get(token)
        if session is None or not now < session["expires_at"]:
            raise Refused(401, "sig.unknown_session")
        return session

    def _signature(self, method, target, body, timestamp, h, pk, sig):
        text = canonical(method, wire_path(target), body, timestamp, h["X-Nonce"], h["X-Session-Token"])
        try:
            crypto.ed25519_verify(pk, text.encode("utf-8"), sig)
        except Rejected:
            raise Refused(401, "sig.bad_signature")

    def _remember_nonce(self, h):
        entry = (h["X-Session-Token"], h["X-Nonce"])
        if entry in self.nonces:
            raise Refused(401, "sig.replay")
        self.nonces.add(entry)


def _media_type(content_type):
    return content_type.split(";", 1)[0].strip().lower()


def _body_text(body):
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("body.bad_utf8")


def _envelope_like(body):
    """VAL decrypts only a JSON object with three string members and a known label."""
    try:
        doc = codec.json_parse(_body_text(body), "sdk-compat", want_object=True)
    except Rejected:
        return None
    if not all(isinstance(doc.get(k), str) for k in ("enc", "nonce", "ciphertext")):
        return None
    if doc["enc"] not in ("chacha20poly1305", "xchacha20poly1305"):
        return None
    return doc


def _rust_u64(text):
    """Rust's `str::parse::<u64>`: optional '+', ASCII digits, no overflow."""
    digits = text[1:] if text.startswith("+") else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    value = int(digits)
    return value if value < 2 ** 64 else None
