#include "support/prop_support.hpp"
#include "pnc/spec_tables.hpp"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace pnc::prop {

// ---------------------------------------------------------------- generators

rc::Gen<Bytes> bytes(std::size_t n) { return rc::gen::container<Bytes>(n, rc::gen::arbitrary<std::uint8_t>()); }

rc::Gen<Bytes> bytes_between(std::size_t lo, std::size_t hi) {
  return rc::gen::mapcat(rc::gen::inRange(lo, hi + 1), [](std::size_t n) { return bytes(n); });
}

rc::Gen<std::string> string_of(std::string_view alphabet, std::size_t lo, std::size_t hi) {
  const std::string chars(alphabet);
  return rc::gen::mapcat(rc::gen::inRange(lo, hi + 1), [chars](std::size_t n) {
    return rc::gen::container<std::string>(n, rc::gen::elementOf(chars));
  });
}

namespace {

// Printable ASCII plus a few multi-byte UTF-8 characters: what JSON strings carry.
rc::Gen<std::string> json_text() {
  return rc::gen::map(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100)), [](const std::vector<int>& v) {
    static const char* const kExtra[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x94\x91", "\"", "\\", "\n", "\t"};
    std::string out;
    for (int c : v) {
      if (c < 93) out.push_back(static_cast<char>(' ' + c));
      else out += kExtra[c - 93];
    }
    return out;
  });
}

rc::Gen<nlohmann::json> json_scalar() {
  return rc::gen::oneOf(
      rc::gen::just(nlohmann::json(nullptr)),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return nlohmann::json(b); }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t i) { return nlohmann::json(i); }),
      rc::gen::map(rc::gen::inRange(-1000000, 1000000),
                   [](int i) { return nlohmann::json(static_cast<double>(i) / 8.0); }),
      rc::gen::map(json_text(), [](std::string s) { return nlohmann::json(std::move(s)); }));
}

rc::Gen<nlohmann::json> json_value(int depth);

rc::Gen<nlohmann::json> json_object_at(int depth) {
  return rc::gen::map(
      rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 5),
                      [depth](std::size_t n) {
                        return rc::gen::container<std::vector<std::pair<std::string, nlohmann::json>>>(
                            n, rc::gen::pair(json_text(), json_value(depth + 1)));
                      }),
      [](const std::vector<std::pair<std::string, nlohmann::json>>& members) {
        nlohmann::json obj = nlohmann::json::object();
        for (const auto& [k, v] : members) obj[k] = v;  // duplicates collapse: a valid object
        return obj;
      });
}

rc::Gen<nlohmann::json> json_value(int depth) {
  if (depth >= 3) return json_scalar();
  return rc::gen::weightedOneOf<nlohmann::json>(
      {{6, json_scalar()},
       {1, rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 4),
                                        [depth](std::size_t n) {
                                          return rc::gen::container<std::vector<nlohmann::json>>(n, json_value(depth + 1));
                                        }),
                        [](const std::vector<nlohmann::json>& v) { return nlohmann::json(v); })},
       {1, rc::gen::lazy([depth] { return json_object_at(depth + 1); })}});
}

}  // namespace

rc::Gen<nlohmann::json> json_object() { return json_object_at(0); }

rc::Gen<nlohmann::json> inner_message() {
  return rc::gen::map(rc::gen::pair(json_object(), json_text()), [](std::pair<nlohmann::json, std::string> p) {
    p.first["type"] = p.second;
    return p.first;
  });
}

// ---------------------------------------------------------------- mutations

Bytes flip_bit(ByteView b, std::size_t bit) {
  Bytes out(b.begin(), b.end());
  out.at(bit / 8) ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return out;
}

std::string replace_byte(std::string_view s, std::size_t index, char value) {
  std::string out(s);
  out.at(index) = value;
  return out;
}

// ---------------------------------------------------------------- OpenSSL oracles

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
  Pkey priv(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, sk32.data(), sk32.size()));
  Pkey pub(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, pk32.data(), pk32.size()));
  if (!priv || !pub) return std::nullopt;
  PkeyCtx ctx(EVP_PKEY_CTX_new(priv.get(), nullptr));
  Bytes out(32);
  std::size_t len = out.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), pub.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != 32)
    return std::nullopt;
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
  const Bytes ct = ossl_chacha_seal(key32, nonce12, as_bytes(plaintext));
  return nlohmann::json{{"enc", "chacha20poly1305"}, {"nonce", ossl_b64(nonce12)}, {"ciphertext", ossl_b64(ct)}}.dump();
}

// ---------------------------------------------------------------- spec data

namespace {
Bytes from_hex(std::string_view text) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
  return out;
}
}  // namespace

const std::vector<Bytes>& low_order_x25519() {
  static const std::vector<Bytes> keys = [] {
    std::vector<Bytes> v;
    for (std::string_view h : pnc::spec::kLowOrderX25519Hex)
      v.push_back(from_hex(h));
    return v;
  }();
  return keys;
}

const std::vector<Bytes>& bad_ed25519_points() {
  static const std::vector<Bytes> keys = [] {
    std::vector<Bytes> v;
    for (const char* h : {"0100000000000000000000000000000000000000000000000000000000000000",
                          "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                          "0000000000000000000000000000000000000000000000000000000000000000",
                          "0000000000000000000000000000000000000000000000000000000000000080",
                          "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
                          "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
                          "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
                          "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
                          "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                          "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"})
      v.push_back(from_hex(h));
    return v;
  }();
  return keys;
}

std::string to_hex(ByteView data) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : data) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// ---------------------------------------------------------------- Rng doubles

void ScriptedRng::fill(std::span<std::uint8_t> out) {
  if (!queue_.empty() && queue_.front().size() == out.size()) {
    std::copy(queue_.front().begin(), queue_.front().end(), out.begin());
    queue_.pop_front();
    return;
  }
  fallback_.fill(out);
}

}  // namespace pnc::prop
