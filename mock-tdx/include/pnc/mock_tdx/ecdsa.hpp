// Deterministic ECDSA P-256 / SHA-256 for the signed mock quotes and the mock PKI.
//
// OpenSSL 3.0 (Debian 12) has no deterministic ECDSA, so the nonce k is RFC 6979 §3.2 (HMAC-SHA256
// DRBG over the private key and the message hash) and the signature is computed here on OpenSSL's
// EC / BIGNUM primitives: R = k·G, r = x(R) mod n, s = k⁻¹(e + r·d) mod n. Same key, same message,
// same signature on every machine; OpenSSL's own verifier accepts them (tested), and the RFC 6979
// A.2.5 and NIST CAVS SigGen P-256/SHA-256 answers are reproduced (tested).
//
// Private keys come from public labels: d = (SHA512("PNC-MOCK-TDX-KEY-v1" || 0x00 || label)
// mod (n − 1)) + 1. They are mock keys by design — anyone can recompute them — so they live in
// plain arrays, and nothing here aims at constant time.
#pragma once

#include <string_view>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::mock_tdx {

inline constexpr std::string_view kKeyDomain = "PNC-MOCK-TDX-KEY-v1";

inline constexpr const char* kBadScalar = "mock_tdx.bad_scalar";  // d not in [1, n-1]
inline constexpr const char* kBadNonce = "mock_tdx.bad_nonce";    // k not in [1, n-1], or r / s = 0

class P256Key {
 public:
  // The mock key of `label` (e.g. "root-ca", "pck-leaf", "attestation-key").
  static P256Key from_label(std::string_view label);
  // A given scalar, big-endian; 1 <= d < n.
  static Result<P256Key> from_scalar(ByteView d32);

  const ByteArray<32>& scalar() const { return d_; }
  // Uncompressed public point without the 0x04 prefix: x || y, big-endian (the quote's form).
  const ByteArray<64>& public_xy() const { return q_; }
  // RFC 6979 deterministic signature over SHA-256(message): r || s, 32 bytes each, big-endian.
  ByteArray<64> sign(ByteView message) const;

 private:
  P256Key() = default;
  ByteArray<32> d_{};
  ByteArray<64> q_{};
};

// RFC 6979 §3.2 nonce candidates for P-256 / HMAC-SHA256 (qlen = hlen = 256): the first candidate
// (index 0) and, should r or s come out 0, the following ones.
ByteArray<32> rfc6979_nonce(const ByteArray<32>& d, const ByteArray<32>& h1, unsigned index = 0);

// ECDSA with an explicit k over an explicit SHA-256 digest (the known-answer tests use NIST's k).
Result<ByteArray<64>> ecdsa_sign_with_k(const ByteArray<32>& d, const ByteArray<32>& digest,
                                        const ByteArray<32>& k);

// r || s ⇒ DER Ecdsa-Sig-Value (SEQUENCE of two INTEGERs), the X.509 signature form.
Bytes ecdsa_der(const ByteArray<64>& rs);

}  // namespace pnc::mock_tdx
