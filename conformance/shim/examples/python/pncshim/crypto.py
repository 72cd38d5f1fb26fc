"""Primitives of spec §0.4 on PyNaCl (libsodium) and `cryptography` (OpenSSL).

Nothing here is hand-rolled: each function is a thin, named wrapper that turns the library's
failure into Rejected. HChaCha20 is the one primitive neither library exposes; it is read off
one ChaCha20 block (see hchacha20).
"""
import hashlib
import hmac
import struct

import nacl.bindings as sodium
import nacl.exceptions
import nacl.signing
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .codec import Rejected

ZERO32 = bytes(32)


def equal(a, b):
    """Constant-time comparison for MACs, keys, digests."""
    return hmac.compare_digest(a, b)


# ---- X25519 ---------------------------------------------------------------------------------------

def x25519(private, public):
    """X25519 with the all-zero check of §0.4 / D-33."""
    if len(private) != 32 or len(public) != 32:
        raise Rejected("x25519.bad_length")
    try:
        shared = sodium.crypto_scalarmult(private, public)
    except (nacl.exceptions.RuntimeError, nacl.exceptions.CryptoError):
        raise Rejected("x25519.all_zero")
    if equal(shared, ZERO32):
        raise Rejected("x25519.all_zero")
    return shared


def x25519_public(private):
    if len(private) != 32:
        raise Rejected("x25519.bad_length")
    return sodium.crypto_scalarmult_base(private)


# ---- Ed25519 ------------------------------------------------------------------------------------------

def ed25519_public(seed):
    if len(seed) != 32:
        raise Rejected("ed25519.bad_seed")
    return bytes(nacl.signing.SigningKey(seed).verify_key)


def ed25519_sign(seed, msg):
    if len(seed) != 32:
        raise Rejected("ed25519.bad_seed")
    return nacl.signing.SigningKey(seed).sign(msg).signature


def ed25519_verify(pk, msg, sig):
    """Strict verification (§0.4 [SEED]): libsodium's verify after a point-validity check (DEC-07)."""
    if len(pk) != 32:
        raise Rejected("ed25519.bad_public_key")
    if len(sig) != 64:
        raise Rejected("ed25519.bad_signature")
    if not sodium.crypto_core_ed25519_is_valid_point(pk):
        raise Rejected("ed25519.bad_public_key")
    try:
        sodium.crypto_sign_open(sig + msg, pk)
    except nacl.exceptions.BadSignatureError:
        raise Rejected("ed25519.bad_signature")


def ed25519_seed_to_x25519(seed):
    """§8.3: clamp(SHA512(seed)[0:32]), via libsodium."""
    return sodium.crypto_sign_ed25519_sk_to_curve25519(seed + ed25519_public(seed))


def ed25519_pk_to_x25519(pk):
    if len(pk) != 32:
        raise Rejected("ed25519.bad_public_key")
    try:
        return sodium.crypto_sign_ed25519_pk_to_curve25519(pk)
    except (nacl.exceptions.RuntimeError, nacl.exceptions.CryptoError, ValueError):
        raise Rejected("ed25519.bad_public_key")


# ---- hashes, HKDF -------------------------------------------------------------------------------------

def sha256(data):
    return hashlib.sha256(data).digest()


def sha384(data):
    return hashlib.sha384(data).digest()


def sha512(data):
    return hashlib.sha512(data).digest()


def hkdf_sha256(ikm, salt, info, size=32):
    try:
        return HKDF(algorithm=hashes.SHA256(), length=size, salt=salt, info=info).derive(ikm)
    except ValueError as err:
        raise Rejected("hkdf.bad_size", str(err))


# ---- AEADs --------------------------------------------------------------------------------------------

def chacha20poly1305_encrypt(key, nonce, msg, aad=b""):
    """RFC 8439; returns ciphertext || tag."""
    if len(key) != 32 or len(nonce) != 12:
        raise Rejected("aead.bad_length")
    return ChaCha20Poly1305(key).encrypt(nonce, msg, aad)


def chacha20poly1305_decrypt(key, nonce, ct_and_tag, aad=b""):
    if len(key) != 32 or len(nonce) != 12 or len(ct_and_tag) < 16:
        raise Rejected("aead.bad_length")
    try:
        return ChaCha20Poly1305(key).decrypt(nonce, ct_and_tag, aad)
    except InvalidTag:
        raise Rejected("aead.bad_tag")


def xchacha20poly1305_encrypt(key, nonce24, msg, aad=b""):
    if len(key) != 32 or len(nonce24) != 24:
        raise Rejected("aead.bad_length")
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, aad or None, nonce24, key)


def xchacha20poly1305_decrypt(key, nonce24, ct_and_tag, aad=b""):
    if len(key) != 32 or len(nonce24) != 24 or len(ct_and_tag) < 16:
        raise Rejected("aead.bad_length")
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(ct_and_tag, aad or None, nonce24, key)
    except nacl.exceptions.CryptoError:
        raise Rejected("aead.bad_tag")


_SIGMA = struct.unpack("<4I", b"expand 32-byte k")


def hchacha20(key, input16):
    """HChaCha20 (draft-irtf-cfrg-xchacha §2.2).

    One ChaCha20 block over the state (sigma, key, input16) is `rounds(state) + state`; HChaCha20
    is words 0-3 and 12-15 of `rounds(state)`, so subtracting the known state words recovers it.
    `cryptography`'s ChaCha20 takes the 16 bytes after the key as its nonce (counter || nonce).
    """
    if len(key) != 32 or len(input16) != 16:
        raise Rejected("hchacha20.bad_length")
    block = Cipher(algorithms.ChaCha20(key, input16), mode=None).encryptor().update(bytes(64))
    words = struct.unpack("<16I", block)
    inputs = struct.unpack("<4I", input16)
    head = [(words[i] - _SIGMA[i]) & 0xFFFFFFFF for i in range(4)]
    tail = [(words[12 + i] - inputs[i]) & 0xFFFFFFFF for i in range(4)]
    return struct.pack("<8I", *head, *tail)


# ---- sealed box (§8.2) --------------------------------------------------------------------------------

def sealed_box_open(sealed, recipient_public, recipient_private):
    if len(sealed) < 48:
        raise Rejected("seal.too_short")
    try:
        return sodium.crypto_box_seal_open(sealed, recipient_public, recipient_private)
    except (nacl.exceptions.CryptoError, nacl.exceptions.RuntimeError, ValueError):
        raise Rejected("seal.open_failed")
