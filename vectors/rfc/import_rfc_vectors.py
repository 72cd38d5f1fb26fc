#!/usr/bin/env python3
"""Imports the published RFC test vectors of the primitives the protocol uses into
rfc_vectors.json, from Debian's python3-cryptography-vectors package (the pyca/cryptography
project's copies of RFC 5869, RFC 7748, RFC 7539/8439 and the RFC 8032 Ed25519 set).

Usage: python3 vectors/rfc/import_rfc_vectors.py > vectors/rfc/rfc_vectors.json
The output is committed; the unit tests read it at test time.
"""
import json
import os
import sys

try:
    import cryptography_vectors
    ROOT = os.path.dirname(cryptography_vectors.__file__)
except ImportError:  # a non-Debian python3 first on PATH
    ROOT = "/usr/lib/python3/dist-packages/cryptography_vectors"


def blocks(path):
    """Yields dicts of KEY = VALUE lines separated by COUNT lines / blank lines."""
    cur, comment = {}, []
    for raw in open(os.path.join(ROOT, path), encoding="utf-8"):
        line = raw.strip()
        if line.startswith("#"):
            comment.append(line.lstrip("# "))
            continue
        if not line:
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key == "COUNT" and cur:
            yield cur
            cur = {}
        if key == "COUNT":
            cur["comment"] = " ".join(comment)
            comment = []
        if value.startswith('"') and value.endswith('"'):
            value = value[1:-1].encode().hex()
        cur[key] = value.lower() if key != "comment" else value
    if cur:
        yield cur


def lenblocks(path):
    """Yields Len/Msg/MD records of NIST .rsp style files."""
    cur = {}
    for raw in open(os.path.join(ROOT, path), encoding="utf-8"):
        key, sep, value = raw.strip().partition("=")
        if not sep:
            continue
        key, value = key.strip(), value.strip().lower()
        if key == "Len" and "Len" in cur:
            yield cur
            cur = {}
        cur[key] = value
    if "Len" in cur:
        yield cur


def main():
    out = {
        "source": "Debian python3-cryptography-vectors (pyca/cryptography test vectors)",
        "hkdf_sha256": [
            {"rfc": "RFC 5869 " + b["comment"].split("  ")[0].rstrip("."), "ikm": b["IKM"], "salt": b.get("salt", ""),
             "info": b.get("info", ""), "length": int(b["L"]), "prk": b["PRK"], "okm": b["OKM"]}
            for b in blocks("KDF/rfc-5869-HKDF-SHA256.txt")
        ],
        "x25519": [
            {"rfc": "RFC 7748 §5.2", "scalar": b["INPUT_SCALAR"], "u": b["INPUT_U"], "out": b["OUTPUT_U"]}
            for b in blocks("asymmetric/X25519/rfc7748.txt")
        ],
        "chacha20poly1305": [
            {"rfc": "RFC 7539/8439 §2.8.2" if i == 0 else "BoringSSL vector " + str(i + 1),
             "key": b["KEY"], "nonce": b["NONCE"], "plaintext": b["IN"], "aad": b["AD"],
             "ciphertext": b["CT"], "tag": b["TAG"]}
            for i, b in enumerate(blocks("ciphers/ChaCha20Poly1305/boringssl.txt"))
            if len(b.get("NONCE", "")) == 24
        ],
        "ed25519": [],
    }
    # sign.input: sk(64)||pk : pk : msg : sig(64)||msg. The first three are RFC 8032 §7.1 TEST 1-3.
    for i, line in enumerate(open(os.path.join(ROOT, "asymmetric/Ed25519/sign.input"))):
        if i >= 16:
            break
        sk, pk, msg, sig = line.strip().split(":")[:4]
        out["ed25519"].append({"rfc": "RFC 8032 §7.1 TEST %d" % (i + 1) if i < 3 else "ed25519 sign.input #%d" % (i + 1),
                               "seed": sk[:64], "public": pk, "message": msg, "signature": sig[:128]})
    # FIPS 180-4 SHA-2 (NIST CAVP short messages, byte-oriented) and BLAKE2b-512 (RFC 7693 set).
    for name, path in (("sha256", "hashes/SHA2/SHA256ShortMsg.rsp"),
                       ("sha384", "hashes/SHA2/SHA384ShortMsg.rsp"),
                       ("sha512", "hashes/SHA2/SHA512ShortMsg.rsp"),
                       ("blake2b512", "hashes/blake2/blake2b.txt")):
        out[name] = [{"message": b["Msg"] if int(b["Len"]) else "", "digest": b["MD"]}
                     for b in lenblocks(path) if int(b["Len"]) % 8 == 0][:24]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
