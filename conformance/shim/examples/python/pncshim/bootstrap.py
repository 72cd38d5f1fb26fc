"""The HTTP bootstrap (§2): the validator's nonce store and /attest check in mock mode (§2.5),
and the challenge's handling of the /attestation/challenge and /attest answers (§2.1, §2.6)."""
import os
import re

from . import codec, crypto, quotes
from .codec import Rejected, strict

NONCE_LIFETIME = 300          # §2.1
INFO = b"platform-api-sdk-v1"


class HttpAnswer(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


class AttestVerifier:
    """The validator's /attest in mock mode for one issued nonce (§2.5, DEC-15, DEC-20)."""

    def __init__(self, nonce_bytes, issued_at, profile):
        self.nonce_text = nonce_bytes.hex()
        self.issued_at, self.profile = issued_at, profile
        self.used = False

    def attest(self, content_type, body_text, now):
        """Returns normally for 200; raises HttpAnswer otherwise."""
        if content_type is None or content_type.split(";", 1)[0].strip().lower() != "application/json":
            raise HttpAnswer(415, "boot.unsupported_media_type")
        try:
            body = codec.json_parse(body_text, self.profile)
        except Rejected:
            raise HttpAnswer(400, "boot.bad_json")
        if not (isinstance(body, dict) and isinstance(body.get("ephemeral_public_key"), str)
                and isinstance(body.get("sdk_x25519_pub"), str) and isinstance(body.get("attestation"), dict)):
            raise HttpAnswer(422, "boot.unprocessable")
        att = body["attestation"]
        if att.get("attestation_type") != "Tdx":                                              # 1
            raise HttpAnswer(400, "boot.bad_attestation_type")
        quote_b64, nonce = att.get("quote"), att.get("nonce")
        if not isinstance(quote_b64, str) or not isinstance(nonce, str):                     # 2
            raise HttpAnswer(400, "boot.bad_quote_or_nonce")
        if strict(self.profile):                                                              # 0
            if nonce != self.nonce_text:
                raise HttpAnswer(401, "boot.nonce_unknown")
            if now > self.issued_at + NONCE_LIFETIME:
                raise HttpAnswer(401, "boot.nonce_expired")
            if self.used:
                raise HttpAnswer(401, "boot.nonce_used")
        try:                                                                                  # 3
            q = codec.b64_decode(quote_b64, "seed-spec")
        except Rejected:
            raise HttpAnswer(400, "boot.quote_encoding")
        try:                                                                                  # 4 (mock mode)
            fields = quotes.parse(q, "seed-spec")
        except Rejected:
            raise HttpAnswer(400 if strict(self.profile) else 500, "boot.quote_unparseable")
        if fields["user_data"] != quotes.MOCK_MARKER or not crypto.equal(fields["quote_signature"], quotes.mock_signature(q)):
            raise HttpAnswer(400, "boot.quote_rejected")
        if not crypto.equal(fields["report_data"][:32], crypto.sha256(nonce.encode("utf-8"))):  # 5
            raise HttpAnswer(401, "boot.report_data_mismatch")
        for name in ("event_log", "rtmrs"):                                                   # 6
            if name not in att or (att[name] is None and strict(self.profile)):
                raise HttpAnswer(400, "boot.evidence_missing")
        if isinstance(att["event_log"], str):
            try:
                codec.json_parse(att["event_log"], self.profile)
            except Rejected:
                raise HttpAnswer(400, "boot.bad_event_log")
        try:                                                                                  # 7
            sdk_x = codec.b64_decode(body["sdk_x25519_pub"], "seed-spec", 32)
        except Rejected:
            raise HttpAnswer(400, "boot.bad_x25519_key")
        try:
            ed_pk = codec.b64_decode(body["ephemeral_public_key"], "seed-spec")
        except Rejected:
            raise HttpAnswer(400, "boot.bad_ed25519_key")
        if strict(self.profile):
            if len(ed_pk) != 32 or not crypto.sodium.crypto_core_ed25519_is_valid_point(ed_pk):
                raise HttpAnswer(400, "boot.bad_ed25519_key")
            try:
                crypto.x25519(os.urandom(32), sdk_x)          # the fresh srv key of this request
            except Rejected:
                raise HttpAnswer(400, "boot.low_order_x25519")
            self.used = True


def attest_response(x25519_sk, status, body_text, profile):
    """§2.6: the HTTP session key (or None: sdk-compat without `crypto`); raises Rejected.
    (Step 3 also keeps the Ed25519 seed as SDK_EPHEMERAL_SK_B64; it plays no part in the key.)"""
    if not 200 <= status < 300:
        raise Rejected("boot.http_status")
    try:
        doc = codec.json_parse(body_text, profile, want_object=True)
    except Rejected:
        raise Rejected("boot.bad_json")
    crypto_block = doc.get("crypto")
    if strict(profile):                                                                   # DEC-15
        codec.member(doc, "session_token", "string")
        codec.member(doc, "crypto", "object")
        if crypto_block.get("aead") != "chacha20poly1305":
            raise Rejected("boot.bad_aead")
        salt = codec.b64_decode(codec.member(crypto_block, "hkdf_salt", "string"), profile, 32)
        srv_pub = codec.b64_decode(codec.member(crypto_block, "srv_x25519_pub", "string"), profile, 32)
    else:
        if not isinstance(crypto_block, dict):
            return None                              # §2.6 step 4: no crypto, plaintext bodies
        salt_b64 = crypto_block.get("hkdf_salt") or crypto_block.get("hkdf_salt_b64")     # DEC-60
        if not crypto_block.get("srv_x25519_pub") or not salt_b64:
            return None
        salt = codec.b64_decode(salt_b64, profile)
        srv_pub = codec.b64_decode(crypto_block["srv_x25519_pub"], profile, 32)
    return crypto.hkdf_sha256(crypto.x25519(x25519_sk, srv_pub), salt, INFO)


def nonce_response(status, body_text, profile):
    """§2.1: the nonce string from /attestation/challenge; raises Rejected."""
    if not 200 <= status < 300:
        raise Rejected("boot.http_status")
    doc = codec.json_parse(body_text, profile)
    if strict(profile):
        if not isinstance(doc, dict):
            raise Rejected("boot.bad_json")
        nonce = codec.member(doc, "nonce", "string")
        if not re.fullmatch(r"[0-9a-fA-F]{64}", nonce):
            raise Rejected("boot.bad_nonce")
        return nonce
    nonce = doc.get("nonce", "") if isinstance(doc, dict) else ""
    return nonce if isinstance(nonce, str) else str(nonce)
