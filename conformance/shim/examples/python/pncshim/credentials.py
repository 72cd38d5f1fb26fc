"""Credentials (§8): the sealed DSN receiver (mechanism A) and the X25519 + HKDF + ChaCha20-Poly1305
credential transfer (mechanism B), with where the DSN ends up (§8.5)."""
import os
import re

from . import codec, crypto
from .codec import Rejected, strict

TRANSFER_SALT = b"platform-credential-transfer-v1"
TRANSFER_INFO = b"credential-encryption"
MAX_DSN = 4096
_UUID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z", re.I)


class HttpAnswer(Exception):
    """A non-200 answer of the endpoint: status and the `detail` text (§8.1)."""

    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


# ---- mechanism A: POST /sdk/admin/db/credentials (§8.1) ------------------------------------------------

def receive_sealed(body_text, receiver_key_b64, profile):
    """Returns the DSN; raises HttpAnswer. `receiver_key_b64` is SDK_EPHEMERAL_SK_B64 (None = unset)."""
    try:
        body = codec.json_parse(body_text, profile, want_object=True)
    except Rejected:
        raise HttpAnswer(400, "missing fields")
    sealed, name, version = body.get("sealed"), body.get("challenge_name"), body.get("version")
    if not sealed or not name or version is None or version == "":                        # 2
        raise HttpAnswer(400, "missing fields")
    if strict(profile) and (not isinstance(sealed, str) or not isinstance(name, str) or not _valid_version(version)):
        raise HttpAnswer(400, "missing fields")                                             # DEC-17
    if not receiver_key_b64:                                                                 # 3
        raise HttpAnswer(500, "missing SDK ephemeral key")
    try:                                                                                     # 4
        key = codec.b64_decode(receiver_key_b64, profile, 32)
        # D-24: seed-spec / sdk-compat seal to the converted Ed25519 signing key; [HARD] seals to
        # sdk_x25519_pub, so the receiver key is the X25519 secret itself.
        x_sk = key if profile == "hardened" else crypto.ed25519_seed_to_x25519(key)
        box = codec.b64_decode(sealed, profile) if isinstance(sealed, str) else None
        if box is None:
            raise Rejected("creds.bad_sealed")
        plaintext = crypto.sealed_box_open(box, crypto.x25519_public(x_sk), x_sk)
    except Rejected:
        raise HttpAnswer(400, "credentials decrypt failed")
    return _dsn_from_plaintext(plaintext, profile)                                           # 5


def _valid_version(version):
    """[SEED] an integer 1-16 or a string of 1-2 decimal digits in that range, no leading zero."""
    if isinstance(version, bool):
        return False
    if isinstance(version, int):
        return 1 <= version <= 16
    return isinstance(version, str) and re.fullmatch(r"[1-9][0-9]?", version) is not None and int(version) <= 16


def _dsn_from_plaintext(plaintext, profile):
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpAnswer(400, "invalid credentials payload")
    dsn = text
    if text.startswith("{"):
        try:
            doc = codec.json_parse(text, profile, want_object=True)
        except Rejected:
            raise HttpAnswer(400, "invalid credentials payload")
        dsn = doc.get("dsn")
    if not isinstance(dsn, str) or not dsn:                                                  # DEC-17
        raise HttpAnswer(400, "invalid credentials payload")
    if strict(profile) and ("\0" in dsn or len(dsn.encode("utf-8")) > MAX_DSN):
        raise HttpAnswer(400, "invalid credentials payload")
    return dsn


# ---- mechanism B: credential transfer (§8.4) -------------------------------------------------------------

def _transfer_key(shared):
    return crypto.hkdf_sha256(shared, TRANSFER_SALT, TRANSFER_INFO, 32)


def _aad(aad_mode, e_pk):
    return e_pk if aad_mode == "seed" else b""          # platform_api: API sends no AAD (D-25)


def transfer_encrypt(recipient_public, plaintext, e_sk, n12, aad_mode):
    e_pk = crypto.x25519_public(e_sk)
    key = _transfer_key(crypto.x25519(e_sk, recipient_public))
    return crypto.chacha20poly1305_encrypt(key, n12, plaintext, _aad(aad_mode, e_pk)), e_pk


def transfer_decrypt(response_text, recipient_private, aad_mode, profile):
    """Returns the credentials dict (string -> string)."""
    doc = codec.json_parse(response_text, profile, want_object=True)
    enc = codec.member(doc, "encrypted_credentials", "object")
    ct = codec.b64_decode(codec.member(enc, "encrypted_data", "string"), profile)
    e_pk = codec.b64_decode(codec.member(enc, "ephemeral_public_key", "string"), profile, 32)
    n12 = codec.b64_decode(codec.member(enc, "nonce", "string"), profile, 12)
    if len(ct) < 16:
        raise Rejected("creds.short_ciphertext")
    key = _transfer_key(crypto.x25519(recipient_private, e_pk))
    plaintext = crypto.chacha20poly1305_decrypt(key, n12, ct, _aad(aad_mode, e_pk))
    try:
        creds = codec.json_parse(plaintext.decode("utf-8"), profile, want_object=True)
    except UnicodeDecodeError:
        raise Rejected("creds.bad_plaintext")
    if not all(isinstance(v, str) for v in creds.values()):
        raise Rejected("creds.bad_plaintext")
    return creds


def dsn_from_credentials(creds):
    """§8.5 [SEED]: `dsn` if present (a present but empty one is an error, DEC-17), else `database_url`."""
    dsn = creds["dsn"] if "dsn" in creds else creds.get("database_url")
    if not isinstance(dsn, str) or not dsn:
        raise Rejected("creds.no_dsn")
    return dsn


def parse_request(body_text, profile):
    """§8.4 request: canonical UUID challenge_id and a 32-byte, non-low-order X25519 public key."""
    doc = codec.json_parse(body_text, profile, want_object=True)
    challenge_id = codec.member(doc, "challenge_id", "string")
    if not _UUID.match(challenge_id):
        raise Rejected("creds.bad_challenge_id")
    public_key = codec.b64_decode(codec.member(doc, "public_key", "string"), profile, 32)
    crypto.x25519(os.urandom(32), public_key)          # N-X-04: a low-order key gives an all-zero secret
    if "migrations" in doc and not isinstance(doc["migrations"], list):
        raise Rejected("creds.bad_migrations")
    return challenge_id, public_key
