// The "raw" side of every micro-benchmark pair: the same operation written directly on
// libsodium / OpenSSL (and nlohmann::json where the operation reads or writes JSON), with the
// per-process constants (long-lived keys, the constant parts of a mock quote, the trust anchor)
// prepared once, as a hand-written implementation would. It does the work the protocol requires
// and nothing else: no Result values, no error classification, no strict-JSON SAX layer. The
// ratio pnc / raw is therefore the overhead of the reference library over that floor.
#pragma once

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pnc::bench::raw {

using Json = nlohmann::json;
using Buf = std::vector<std::uint8_t>;

inline std::string b64(const std::uint8_t* p, std::size_t n, int variant = sodium_base64_VARIANT_ORIGINAL) {
  std::string out(sodium_base64_ENCODED_LEN(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, variant);
  out.pop_back();  // the terminating NUL
  return out;
}

// Decodes into `out` (resized); false on any failure.
inline bool unb64(std::string_view text, Buf& out, int variant = sodium_base64_VARIANT_ORIGINAL) {
  out.resize(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) != 0 ||
      end != text.data() + text.size())
    return false;
  out.resize(len);
  return true;
}

// Fixed-size decode into a caller buffer.
inline bool unb64_exact(std::string_view text, std::uint8_t* out, std::size_t n,
                        int variant = sodium_base64_VARIANT_ORIGINAL) {
  std::size_t len = 0;
  const char* end = nullptr;
  std::uint8_t tmp[128];
  if (n > sizeof tmp) return false;
  if (sodium_base642bin(tmp, sizeof tmp, text.data(), text.size(), nullptr, &len, &end, variant) != 0 ||
      end != text.data() + text.size() || len != n)
    return false;
  std::memcpy(out, tmp, n);
  return true;
}

inline bool unhex_exact(std::string_view text, std::uint8_t* out, std::size_t n) {
  std::size_t len = 0;
  const char* end = nullptr;
  return sodium_hex2bin(out, n, text.data(), text.size(), nullptr, &len, &end) == 0 && len == n &&
         end == text.data() + text.size();
}

inline std::string hex(const std::uint8_t* p, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

// RFC 5869 with one output block (L = 32), as libsodium's HMAC-SHA256.
inline void hkdf32(const std::uint8_t* salt, std::size_t salt_len, const std::uint8_t* ikm, std::size_t ikm_len,
                   std::string_view info, std::uint8_t out[32]) {
  std::uint8_t prk[32];
  std::uint8_t zero_salt[32] = {};
  crypto_auth_hmacsha256_state st;
  if (salt_len == 0) {
    salt = zero_salt;
    salt_len = 32;
  }
  crypto_auth_hmacsha256_init(&st, salt, salt_len);
  crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
  crypto_auth_hmacsha256_final(&st, prk);
  const std::uint8_t one = 1;
  crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const std::uint8_t*>(info.data()), info.size());
  crypto_auth_hmacsha256_update(&st, &one, 1);
  crypto_auth_hmacsha256_final(&st, out);
  sodium_memzero(prk, sizeof prk);
}

inline void sha384(const std::uint8_t* p, std::size_t n, std::uint8_t out[48]) {
  unsigned int len = 0;
  EVP_Digest(p, n, out, &len, EVP_sha384(), nullptr);
}

// mr' = SHA384(mr || digest)
inline void rtmr_extend(std::uint8_t mr[48], const std::uint8_t digest[48]) {
  std::uint8_t buf[96];
  std::memcpy(buf, mr, 48);
  std::memcpy(buf + 48, digest, 48);
  sha384(buf, sizeof buf, mr);
}

}  // namespace pnc::bench::raw
