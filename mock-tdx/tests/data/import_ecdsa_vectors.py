#!/usr/bin/env python3
"""Writes ecdsa_p256_sha256.json, the known answers of mock-tdx's deterministic ECDSA:

* nist_siggen: every [P-256,SHA-256] case of NIST CAVS 11.2 "SigGen" (FIPS 186-3), from Debian's
  python3-cryptography-vectors package (asymmetric/ECDSA/FIPS_186-3/SigGen.txt): message, d, Q,
  the k NIST used, and the expected r, s. They check ECDSA signing with an explicit k.
* rfc6979: RFC 6979 Appendix A.2.5 (NIST P-256, SHA-256, messages "sample" and "test"): key,
  deterministic k, r, s, copied from the RFC text. They check the k derivation.

Usage: python3 mock-tdx/tests/data/import_ecdsa_vectors.py > mock-tdx/tests/data/ecdsa_p256_sha256.json
The output is committed; the tests read it at test time.
"""
import json
import os

try:
    import cryptography_vectors
    ROOT = os.path.dirname(cryptography_vectors.__file__)
except ImportError:  # a non-Debian python3 first on PATH
    ROOT = "/usr/lib/python3/dist-packages/cryptography_vectors"

SIGGEN = "asymmetric/ECDSA/FIPS_186-3/SigGen.txt"


def nist_cases():
    section, cur, out = None, {}, []
    for raw in open(os.path.join(ROOT, SIGGEN), encoding="utf-8"):
        line = raw.strip()
        if line.startswith("["):
            section = line
            continue
        if section != "[P-256,SHA-256]" or not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip().lower()
        if key == "Msg" and cur:
            out.append(cur)
            cur = {}
        cur[{"Msg": "msg", "d": "d", "Qx": "qx", "Qy": "qy", "k": "k", "R": "r", "S": "s"}[key]] = value
    if cur:
        out.append(cur)
    return out


# RFC 6979 A.2.5, key pair and the two SHA-256 signatures.
RFC6979_X = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
RFC6979_UX = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
RFC6979_UY = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
RFC6979 = [
    {"message": "sample",
     "k": "a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60",
     "r": "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
     "s": "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"},
    {"message": "test",
     "k": "d16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0",
     "r": "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
     "s": "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"},
]


def main():
    cases = nist_cases()
    assert len(cases) == 15, len(cases)
    doc = {
        "source": {
            "nist_siggen": "NIST CAVS 11.2 SigGen [P-256,SHA-256], via python3-cryptography-vectors " + SIGGEN,
            "rfc6979": "RFC 6979 Appendix A.2.5, NIST P-256 with SHA-256",
        },
        "nist_siggen": cases,
        "rfc6979": {"x": RFC6979_X, "ux": RFC6979_UX, "uy": RFC6979_UY,
                    "signatures": [dict(m, message_hex=m["message"].encode().hex()) for m in RFC6979]},
    }
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
