#include "pnc/testkit/oracles.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace pnc::testkit {

namespace {
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct CipherCtxFree { void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

int as_int(std::size_t n) { return static_cast<int>(n); }

Bytes raw_public(EVP_PKEY* key) {
  Bytes out(32);
  std::size_t len = out.size();
  if (key == nullptr || EVP_PKEY_get_raw_public_key(key, out.data(), &len) != 1 || len != 32)
    throw std::runtime_error("OpenSSL raw public key");
  return out;
}

Bytes digest(const EVP_MD* md, ByteView data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1)
    throw std::runtime_error("OpenSSL digest");
  return out;
}
}  // namespace

std::optional<Bytes> ossl_x25519(ByteView sk32, ByteView pk32) {
  if (sk32.size() != 32 || pk32.size() != 32) return std::nullopt;
  Pkey priv(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, sk32.data(), sk32.size()));
  Pkey pub(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, pk32.data(), pk32.size()));
  if (!priv || !pub) return std::nullopt;
  PkeyCtx ctx(EVP_PKEY_CTX_new(priv.get(), nullptr));
  Bytes out(32);
  std::size_t len = out.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), pub.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != 32)
    return std::nullopt;
  // OpenSSL already refuses an all-zero result (low-order peer, the §0.4 [SEED] rule); say so.
  if (std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; })) return std::nullopt;
  return out;
}

Bytes ossl_x25519_public(ByteView sk32) {
  Pkey priv(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, sk32.data(), sk32.size()));
  return raw_public(priv.get());
}

Bytes ossl_hkdf_sha256(ByteView salt, ByteView ikm, ByteView info, std::size_t length) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  Bytes out(length);
  std::size_t len = out.size();
  // OpenSSL wants a non-null buffer even for empty inputs.
  static const std::uint8_t kEmpty[1] = {0};
  const auto* salt_p = salt.empty() ? kEmpty : salt.data();
  const auto* ikm_p = ikm.empty() ? kEmpty : ikm.data();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt_p, as_int(salt.size())) != 1 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), ikm_p, as_int(ikm.size())) != 1 ||
      (!info.empty() && EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), info.data(), as_int(info.size())) != 1) ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != length)
    throw std::runtime_error("OpenSSL HKDF");
  return out;
}

Bytes ossl_chacha_seal(ByteView key32, ByteView nonce12, ByteView pt, ByteView aad) {
  if (key32.size() != 32 || nonce12.size() != 12) throw std::runtime_error("ChaCha20-Poly1305 key/nonce size");
  CipherCtx c(EVP_CIPHER_CTX_new());
  Bytes out(pt.size() + 16);
  int len = 0;
  if (EVP_EncryptInit_ex(c.get(), EVP_chacha20_poly1305(), nullptr, key32.data(), nonce12.data()) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(c.get(), nullptr, &len, aad.data(), as_int(aad.size())) != 1) ||
      (!pt.empty() && EVP_EncryptUpdate(c.get(), out.data(), &len, pt.data(), as_int(pt.size())) != 1) ||
      EVP_EncryptFinal_ex(c.get(), out.data() + pt.size(), &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_AEAD_GET_TAG, 16, out.data() + pt.size()) != 1)
    throw std::runtime_error("OpenSSL ChaCha20-Poly1305 seal");
  return out;
}

std::optional<Bytes> ossl_chacha_open(ByteView key32, ByteView nonce12, ByteView ct_and_tag, ByteView aad) {
  if (ct_and_tag.size() < 16 || nonce12.size() != 12 || key32.size() != 32) return std::nullopt;
  const std::size_t n = ct_and_tag.size() - 16;
  CipherCtx c(EVP_CIPHER_CTX_new());
  Bytes out(n + 1);  // +1: never a zero-size buffer
  int len = 0;
  Bytes tag(ct_and_tag.end() - 16, ct_and_tag.end());
  if (EVP_DecryptInit_ex(c.get(), EVP_chacha20_poly1305(), nullptr, key32.data(), nonce12.data()) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(c.get(), nullptr, &len, aad.data(), as_int(aad.size())) != 1) ||
      (n > 0 && EVP_DecryptUpdate(c.get(), out.data(), &len, ct_and_tag.data(), as_int(n)) != 1) ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(c.get(), out.data() + n, &len) != 1)
    return std::nullopt;
  out.resize(n);
  return out;
}

Bytes ossl_ed25519_public(ByteView seed32) {
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed32.data(), seed32.size()));
  return raw_public(key.get());
}

Bytes ossl_ed25519_sign(ByteView seed32, ByteView msg) {
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed32.data(), seed32.size()));
  MdCtx md(EVP_MD_CTX_new());
  Bytes sig(64);
  std::size_t len = sig.size();
  if (!key || EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(md.get(), sig.data(), &len, msg.data(), msg.size()) != 1 || len != 64)
    throw std::runtime_error("OpenSSL Ed25519 sign");
  return sig;
}

bool ossl_ed25519_verify(ByteView pk32, ByteView msg, ByteView sig64) {
  if (pk32.size() != 32 || sig64.size() != 64) return false;
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pk32.data(), pk32.size()));
  if (!key) return false;
  MdCtx md(EVP_MD_CTX_new());
  if (EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(md.get(), sig64.data(), sig64.size(), msg.data(), msg.size()) == 1;
}

Bytes ossl_sha256(ByteView data) { return digest(EVP_sha256(), data); }
Bytes ossl_sha384(ByteView data) { return digest(EVP_sha384(), data); }
Bytes ossl_sha512(ByteView data) { return digest(EVP_sha512(), data); }

std::string ossl_b64(ByteView data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(), as_int(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<Bytes> ossl_b64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  Bytes out(text.size() / 4 * 3 + 1);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), as_int(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t len = static_cast<std::size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string ossl_envelope(ByteView key32, ByteView nonce12, std::string_view plaintext) {
  const Bytes ct = ossl_chacha_seal(key32, nonce12, view_of(plaintext));
  return nlohmann::json{{"enc", "chacha20poly1305"}, {"nonce", ossl_b64(nonce12)}, {"ciphertext", ossl_b64(ct)}}.dump();
}

std::string to_hex(ByteView data) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Bytes from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::runtime_error("from_hex: not a hex digit");
  };
  if (hex.size() % 2 != 0) throw std::runtime_error("from_hex: odd length");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return out;
}

}  // namespace pnc::testkit
