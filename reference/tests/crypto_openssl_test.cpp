// Differential check of pnc::crypto against OpenSSL 3 (an independent implementation) on
// deterministic pseudo-random inputs: X25519, Ed25519, ChaCha20-Poly1305, HKDF, SHA-256/512.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

#include "pnc/crypto.hpp"
#include "pnc/rng.hpp"
#include "support/vectors.hpp"

namespace pnc::crypto {
namespace {

constexpr int kRounds = 200;

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Bytes ossl_x25519(ByteView sk, ByteView pk) {
  Pkey priv(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, sk.data(), sk.size()));
  Pkey pub(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, pk.data(), pk.size()));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new(priv.get(), nullptr));
  Bytes out(32);
  std::size_t len = out.size();
  if (EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), pub.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1)
    return {};
  return out;
}

Bytes ossl_ed25519_sign(ByteView seed, ByteView msg) {
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  Bytes sig(64);
  std::size_t len = sig.size();
  EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key.get());
  EVP_DigestSign(md, sig.data(), &len, msg.data(), msg.size());
  EVP_MD_CTX_free(md);
  return sig;
}

bool ossl_ed25519_verify(ByteView pk, ByteView msg, ByteView sig) {
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pk.data(), pk.size()));
  if (!key) return false;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(md, nullptr, nullptr, nullptr, key.get());
  int ok = EVP_DigestVerify(md, sig.data(), sig.size(), msg.data(), msg.size());
  EVP_MD_CTX_free(md);
  return ok == 1;
}

Bytes ossl_chacha_seal(ByteView key, ByteView nonce, ByteView pt, ByteView aad) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  Bytes out(pt.size() + 16);
  int len = 0;
  EVP_EncryptInit_ex(c, EVP_chacha20_poly1305(), nullptr, key.data(), nonce.data());
  if (!aad.empty()) EVP_EncryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size()));
  EVP_EncryptUpdate(c, out.data(), &len, pt.data(), static_cast<int>(pt.size()));
  EVP_EncryptFinal_ex(c, out.data() + len, &len);
  EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out.data() + pt.size());
  EVP_CIPHER_CTX_free(c);
  return out;
}

Bytes ossl_hkdf(ByteView salt, ByteView ikm, ByteView info, std::size_t n) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(ikm.data()), ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<std::uint8_t*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(n);
  EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

Bytes ossl_digest(const EVP_MD* md, ByteView data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr);
  return out;
}

TEST(OpenSslDifferential, X25519Agrees) {
  DeterministicRng rng(101);
  for (int i = 0; i < kRounds; ++i) {
    Bytes sk = rng.bytes(32), peer = rng.bytes(32);
    auto ours = x25519(sk, peer);
    Bytes theirs = ossl_x25519(sk, peer);
    ASSERT_TRUE(ours);
    EXPECT_EQ(Bytes(ours->view().begin(), ours->view().end()), theirs) << i;
  }
}

TEST(OpenSslDifferential, Ed25519SignaturesAndVerdictsAgree) {
  DeterministicRng rng(102);
  for (int i = 0; i < kRounds; ++i) {
    Bytes seed = rng.bytes(32), msg = rng.bytes(static_cast<std::size_t>(i));
    auto kp = ed25519_from_seed(seed);
    auto sig = ed25519_sign(seed, msg);
    EXPECT_EQ(Bytes(sig.begin(), sig.end()), ossl_ed25519_sign(seed, msg)) << i;
    Bytes bad(sig.begin(), sig.end());
    bad[static_cast<std::size_t>(i) % 64] ^= 0x20;
    EXPECT_EQ(ed25519_verify(kp.pub, msg, sig).ok(), ossl_ed25519_verify(kp.pub, msg, sig));
    EXPECT_EQ(ed25519_verify(kp.pub, msg, bad).ok(), ossl_ed25519_verify(kp.pub, msg, bad)) << i;
  }
  // The S + L signature of V4: both implementations reject it.
  Bytes splus = test::b64(test::gs("V4", "sig_s_plus_l_b64"));
  EXPECT_FALSE(ossl_ed25519_verify(test::gh("V4", "pk"), as_bytes(test::gs("V4", "canonical")), splus));
}

TEST(OpenSslDifferential, ChaCha20Poly1305Agrees) {
  DeterministicRng rng(103);
  for (int i = 0; i < kRounds; ++i) {
    Bytes k = rng.bytes(32), n = rng.bytes(12), pt = rng.bytes(static_cast<std::size_t>(i * 3)),
          aad = rng.bytes(static_cast<std::size_t>(i % 5));
    auto ours = aead_seal(k, n, pt, aad);
    ASSERT_TRUE(ours);
    EXPECT_EQ(*ours, ossl_chacha_seal(k, n, pt, aad)) << i;
  }
}

TEST(OpenSslDifferential, HkdfAndShaAgree) {
  DeterministicRng rng(104);
  for (int i = 0; i < kRounds; ++i) {
    Bytes salt = rng.bytes(static_cast<std::size_t>(i % 40)), ikm = rng.bytes(32),
          info = rng.bytes(static_cast<std::size_t>(i % 25));
    std::size_t n = 1 + static_cast<std::size_t>(i) % 100;
    if (salt.empty()) salt = Bytes(32, 0);  // OpenSSL needs an explicit salt; RFC: zeros
    SecretBytes ours = hkdf_sha256(salt, ikm, info, n);
    EXPECT_EQ(Bytes(ours.view().begin(), ours.view().end()), ossl_hkdf(salt, ikm, info, n)) << i;
    Bytes data = rng.bytes(static_cast<std::size_t>(i * 5));
    auto s256 = sha256(data);
    auto s512 = sha512(data);
    EXPECT_EQ(Bytes(s256.begin(), s256.end()), ossl_digest(EVP_sha256(), data));
    EXPECT_EQ(Bytes(s512.begin(), s512.end()), ossl_digest(EVP_sha512(), data));
  }
}

}  // namespace
}  // namespace pnc::crypto
