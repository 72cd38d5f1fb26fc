// Differential check of pnc::crypto against OpenSSL 3 (an independent implementation) on
// deterministic pseudo-random inputs: X25519, Ed25519, ChaCha20-Poly1305, HKDF, SHA-256/512.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>

#include "pnc/crypto.hpp"
#include "pnc/rng.hpp"
#include "pnc/testkit/oracles.hpp"
#include "support/vectors.hpp"

namespace pnc::crypto {
namespace {

constexpr int kRounds = 200;

// The toolkit's OpenSSL oracles (testing/, pnc::testkit).
using testkit::ossl_chacha_seal;
using testkit::ossl_ed25519_sign;
using testkit::ossl_ed25519_verify;
Bytes ossl_x25519(ByteView sk, ByteView pk) { return testkit::ossl_x25519(sk, pk).value_or(Bytes{}); }
Bytes ossl_hkdf(ByteView salt, ByteView ikm, ByteView info, std::size_t n) {
  return testkit::ossl_hkdf_sha256(salt, ikm, info, n);
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
