"""The encrypted WebSocket envelope (§5.1) and one connection's receive side (§5.3)."""
import os

from . import codec, crypto
from .codec import Rejected, strict

MAX_FRAME = 16 * 1024 * 1024          # §10: any WebSocket message
ENC = "chacha20poly1305"


def seal(key, nonce, plaintext):
    """Envelope text for UTF-8 `plaintext` (bytes) under `key` with the 12-byte `nonce`."""
    ct = crypto.chacha20poly1305_encrypt(key, nonce, plaintext)
    return codec.compact({"enc": ENC, "nonce": codec.b64_encode(nonce), "ciphertext": codec.b64_encode(ct)})


def parse_fields(text, profile, labels=(ENC,)):
    """§5.3 R1-R4: the envelope's (nonce, ciphertext || tag); also used for HTTP bodies (§6.5)."""
    env = codec.json_parse(text, profile, want_object=True)                       # R1
    for name in ("enc", "nonce", "ciphertext"):                                   # R2
        codec.member(env, name, "string")
    if env["enc"] not in labels:                                                  # R3
        raise Rejected("env.unsupported_enc")
    try:                                                                          # R4
        nonce = codec.b64_decode(env["nonce"], profile)
        ct = codec.b64_decode(env["ciphertext"], profile)
    except Rejected:
        raise Rejected("env.invalid_envelope")
    if len(nonce) != 12 or len(ct) < 16:
        raise Rejected("env.invalid_envelope")
    return nonce, ct


def open_envelope(key, text, profile):
    """§5.3 R1-R5 and R7; returns (nonce, plaintext bytes)."""
    nonce, ct = parse_fields(text, profile)
    plaintext = crypto.chacha20poly1305_decrypt(key, nonce, ct)                   # R5
    check_inner(plaintext, profile)                                               # R7
    return nonce, plaintext


def check_inner(plaintext, profile):
    """R7: a JSON object with a string `type`. sdk-compat delivers objects without one (DEC-13)."""
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("env.bad_plaintext")
    inner = codec.json_parse(text, profile, want_object=True)
    if strict(profile) and not isinstance(inner.get("type"), str):
        raise Rejected("env.missing_type")
    return inner


class Channel:
    """The envelope side of one connection: receive key, send key, and the R6 nonce cache."""

    def __init__(self, profile, recv_key, send_key=None):
        self.profile = profile
        self.recv_key = recv_key
        self.send_key = send_key or recv_key
        self.seen = set()            # nonces received or sent (§5.3 R6, exact set)

    def send(self, plaintext, nonce=None):
        nonce = nonce or os.urandom(12)
        self.seen.add(nonce)
        return seal(self.send_key, nonce, plaintext)

    def receive(self, frame, binary=False):
        if binary:
            raise Rejected("env.binary_frame")       # [SEED] 1003; [COMPAT] ignored after the handshake
        if codec.byte_length(frame) > MAX_FRAME:
            raise Rejected("env.too_large")
        nonce, plaintext = open_envelope(self.recv_key, frame, self.profile)
        if strict(self.profile):                                                   # R6
            if nonce in self.seen:
                raise Rejected("env.replay")
            self.seen.add(nonce)
        return plaintext
