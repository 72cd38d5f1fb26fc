// Test-side oracle for the tdx tests: OpenSSL digests, the §9.6 mock-signature reseal and the
// golden V8 quote, all independent of the code under test.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "support/vectors.hpp"

namespace pnc::tdx_test {

inline Bytes ossl_digest(const EVP_MD* md, ByteView data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr) != 1) ADD_FAILURE() << "EVP_Digest";
  out.resize(n);
  return out;
}
inline Bytes ossl_sha256(ByteView d) { return ossl_digest(EVP_sha256(), d); }
inline Bytes ossl_sha384(ByteView d) { return ossl_digest(EVP_sha384(), d); }
inline Bytes ossl_sha512(ByteView d) { return ossl_digest(EVP_sha512(), d); }
inline Bytes ossl_sha256(std::string_view s) { return ossl_sha256(as_bytes(s)); }
inline Bytes ossl_sha384(std::string_view s) { return ossl_sha384(as_bytes(s)); }
inline Bytes ossl_sha512(std::string_view s) { return ossl_sha512(as_bytes(s)); }

inline Bytes cat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
inline Bytes slice(ByteView b, std::size_t off, std::size_t len) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(off), b.begin() + static_cast<std::ptrdiff_t>(off + len));
}
// SHA384(mr || digest), via OpenSSL.
inline Bytes ossl_extend(ByteView mr, ByteView digest) { return ossl_sha384(cat(mr, digest)); }

inline std::uint16_t rd16(ByteView b, std::size_t off) {
  return static_cast<std::uint16_t>(b[off] | b[off + 1] << 8);
}
inline std::uint32_t rd32(ByteView b, std::size_t off) {
  return static_cast<std::uint32_t>(b[off]) | static_cast<std::uint32_t>(b[off + 1]) << 8 |
         static_cast<std::uint32_t>(b[off + 2]) << 16 | static_cast<std::uint32_t>(b[off + 3]) << 24;
}
inline void wr16(Bytes& b, std::size_t off, std::uint32_t v) {
  b[off] = static_cast<std::uint8_t>(v);
  b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}
inline void wr32(Bytes& b, std::size_t off, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void put_at(Bytes& b, std::size_t off, ByteView v) {
  std::copy(v.begin(), v.end(), b.begin() + static_cast<std::ptrdiff_t>(off));
}

// §9.6: signature field Q[636:700) = SHA512("PNC-MOCK-SIG" || Q[0:632)), recomputed with OpenSSL
// after a mutation inside [0, 632) so that the intended check rejects (§12.9).
inline void reseal(Bytes& q) { put_at(q, 636, ossl_sha512(cat(as_bytes("PNC-MOCK-SIG"), slice(q, 0, 632)))); }

// Golden V8 quote (decoded with the test-side OpenSSL base64) and the V3 nonce.
inline Bytes v8_quote() { return test::b64(test::gs("V8", "quote_b64")); }
inline Bytes v3_nonce() { return test::gh("V3", "nonce_hex"); }

}  // namespace pnc::tdx_test
