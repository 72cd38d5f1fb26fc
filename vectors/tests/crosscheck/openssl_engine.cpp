#include "openssl_engine.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

namespace xcheck {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

int to_int(std::size_t n) { return static_cast<int>(n); }

Bytes digest(const EVP_MD* md, const Bytes& b) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int n = 0;
  EVP_Digest(b.data(), b.size(), out.data(), &n, md, nullptr);
  return out;
}

std::optional<Bytes> aead(bool seal, const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& in) {
  if (key.size() != 32 || iv.size() != 12 || (!seal && in.size() < 16)) return std::nullopt;
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  const std::size_t n = seal ? in.size() : in.size() - 16;
  Bytes out(n + 16);
  int len = 0;
  if (EVP_CipherInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key.data(), iv.data(), seal ? 1 : 0) != 1)
    return std::nullopt;
  if (!aad.empty() && EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data(), to_int(aad.size())) != 1) return std::nullopt;
  if (n > 0 && EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), to_int(n)) != 1) return std::nullopt;
  if (!seal) {
    Bytes tag(in.end() - 16, in.end());
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) != 1) return std::nullopt;
  }
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + n, &len) != 1) return std::nullopt;
  if (seal) {
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, out.data() + n) != 1) return std::nullopt;
    return out;
  }
  out.resize(n);
  return out;
}

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}
void put_le32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

std::optional<Bytes> unhex(std::string_view h) {
  if (h.size() % 2) return std::nullopt;
  Bytes out(h.size() / 2);
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int a = nib(h[2 * i]), b = nib(h[2 * i + 1]);
    if (a < 0 || b < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(a * 16 + b);
  }
  return out;
}

std::string hex(const Bytes& b) {
  static constexpr char k[] = "0123456789abcdef";
  std::string s;
  for (auto c : b) {
    s += k[c >> 4];
    s += k[c & 15];
  }
  return s;
}

std::string b64(const Bytes& b) {
  std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(), to_int(b.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<Bytes> b64_strict(std::string_view s) {
  if (s.empty()) return Bytes{};
  if (s.size() % 4) return std::nullopt;
  Bytes out(s.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()), to_int(s.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = 0;
  while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
  if (static_cast<std::size_t>(n) < pad) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);
  if (b64(out) != s) return std::nullopt;  // canonical: exactly the encoder's output
  return out;
}

std::optional<Bytes> b64url_strict(std::string_view s) {
  std::string t;
  for (char c : s) {
    if (c == '+' || c == '/' || c == '=') return std::nullopt;
    t += c == '-' ? '+' : c == '_' ? '/' : c;
  }
  if (t.size() % 4 == 1) return std::nullopt;
  while (t.size() % 4) t += '=';
  return b64_strict(t);
}

std::optional<Bytes> hex_openssl(std::string_view s) {
  if (s.empty()) return Bytes{};
  const std::string z(s);
  Bytes out(s.size() / 2 + 1);
  std::size_t len = 0;
  if (OPENSSL_hexstr2buf_ex(out.data(), out.size(), &len, z.c_str(), '\0') != 1) return std::nullopt;
  out.resize(len);
  if (len * 2 != s.size()) return std::nullopt;
  return out;
}

Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
Bytes cat(const Bytes& a, const Bytes& b) {
  Bytes o(a);
  o.insert(o.end(), b.begin(), b.end());
  return o;
}

std::optional<Bytes> x25519(const Bytes& priv, const Bytes& pub) {
  if (priv.size() != 32 || pub.size() != 32) return std::nullopt;
  Pkey a(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, priv.data(), 32), EVP_PKEY_free);
  Pkey b(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, pub.data(), 32), EVP_PKEY_free);
  if (!a || !b) return std::nullopt;
  PkeyCtx ctx(EVP_PKEY_CTX_new(a.get(), nullptr), EVP_PKEY_CTX_free);
  std::size_t n = 32;
  Bytes out(32);
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), b.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &n) != 1 || n != 32)
    return std::nullopt;
  return out;
}

std::optional<Bytes> x25519_public(const Bytes& priv) {
  if (priv.size() != 32) return std::nullopt;
  Pkey a(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, priv.data(), 32), EVP_PKEY_free);
  Bytes out(32);
  std::size_t n = 32;
  if (!a || EVP_PKEY_get_raw_public_key(a.get(), out.data(), &n) != 1) return std::nullopt;
  return out;
}

bool ed25519_verify(const Bytes& pub, const Bytes& msg, const Bytes& sig) {
  if (pub.size() != 32) return false;
  Pkey k(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub.data(), 32), EVP_PKEY_free);
  if (!k) return false;
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), msg.data(), msg.size()) == 1;
}

std::optional<Bytes> hkdf_sha256(const Bytes& salt, const Bytes& ikm, const Bytes& info, std::size_t n) {
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr), EVP_KDF_free);
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()), EVP_KDF_CTX_free);
  if (!ctx) return std::nullopt;
  char digest_name[] = "SHA256";
  Bytes s = salt, k = ikm, i = info;  // OpenSSL wants non-const pointers
  OSSL_PARAM params[5];
  int p = 0;
  params[p++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name, 0);
  params[p++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, k.data(), k.size());
  if (!s.empty()) params[p++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, s.data(), s.size());
  params[p++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, i.data(), i.size());
  params[p] = OSSL_PARAM_construct_end();
  Bytes out(n);
  if (EVP_KDF_derive(ctx.get(), out.data(), n, params) != 1) return std::nullopt;
  return out;
}

std::optional<Bytes> chacha_seal(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& msg) {
  return aead(true, key, iv, aad, msg);
}
std::optional<Bytes> chacha_open(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& ct) {
  return aead(false, key, iv, aad, ct);
}

std::optional<Bytes> hchacha20(const Bytes& key, const Bytes& in16) {
  if (key.size() != 32 || in16.size() != 16) return std::nullopt;
  // EVP_chacha20's 16-byte IV is the state's words 12..15 (counter || nonce): set it to in16 and
  // take one 64-byte keystream block = rounds(state) + state. HChaCha20 is rounds(state) words
  // 0..3 and 12..15, so subtract the constants and the input words back out.
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  Bytes zero(64, 0), ks(64);
  int len = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key.data(), in16.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), ks.data(), &len, zero.data(), 64) != 1 || len != 64)
    return std::nullopt;
  static constexpr std::uint32_t kSigma[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  Bytes out(32);
  for (int w = 0; w < 4; ++w) {
    put_le32(out.data() + 4 * w, le32(ks.data() + 4 * w) - kSigma[w]);
    put_le32(out.data() + 16 + 4 * w, le32(ks.data() + 48 + 4 * w) - le32(in16.data() + 4 * w));
  }
  return out;
}

namespace {
std::optional<std::pair<Bytes, Bytes>> xchacha_key_nonce(const Bytes& key, const Bytes& iv24) {
  if (iv24.size() != 24) return std::nullopt;
  auto sub = hchacha20(key, Bytes(iv24.begin(), iv24.begin() + 16));
  if (!sub) return std::nullopt;
  Bytes n12(4, 0);
  n12.insert(n12.end(), iv24.begin() + 16, iv24.end());
  return std::make_pair(*sub, n12);
}
}  // namespace

std::optional<Bytes> xchacha_seal(const Bytes& key, const Bytes& iv24, const Bytes& aad, const Bytes& msg) {
  auto kn = xchacha_key_nonce(key, iv24);
  return kn ? chacha_seal(kn->first, kn->second, aad, msg) : std::nullopt;
}
std::optional<Bytes> xchacha_open(const Bytes& key, const Bytes& iv24, const Bytes& aad, const Bytes& ct) {
  auto kn = xchacha_key_nonce(key, iv24);
  return kn ? chacha_open(kn->first, kn->second, aad, ct) : std::nullopt;
}

Bytes sha256(const Bytes& b) { return digest(EVP_sha256(), b); }
Bytes sha384(const Bytes& b) { return digest(EVP_sha384(), b); }
Bytes sha512(const Bytes& b) { return digest(EVP_sha512(), b); }

}  // namespace xcheck
