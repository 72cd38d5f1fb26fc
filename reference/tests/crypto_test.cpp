// crypto: published RFC / NIST vectors (vectors/rfc/rfc_vectors.json), the golden vectors of
// PROTOCOL.md §13 that exercise primitives directly, and the §12.2 / §12.3 negative cases.
#include <gtest/gtest.h>

#include "pnc/crypto.hpp"
#include "pnc/spec_tables.hpp"
#include "pnc/rng.hpp"
#include "support/vectors.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::crypto {
namespace {

using test::gh;
using test::gs;
using test::hex;

const nlohmann::json& rfc() {
  static const nlohmann::json doc = test::load_json("rfc/rfc_vectors.json");
  return doc;
}
Bytes field(const nlohmann::json& v, const char* name) { return hex(v.at(name).get<std::string>()); }

// §12.2: the 14 low-order X25519 encodings (spec data).
constexpr const auto& kLowOrderX25519 = pnc::spec::kLowOrderX25519Hex;  // §12.2

// §12.3: small-order and non-canonical Ed25519 encodings (spec data).
constexpr const auto& kBadEd25519Points = pnc::spec::kBadEd25519PointsHex;  // §12.3

TEST(X25519, Rfc7748Vectors) {
  ASSERT_FALSE(rfc().at("x25519").empty());
  for (const auto& v : rfc().at("x25519")) {
    auto r = x25519(field(v, "scalar"), field(v, "u"));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(test::to_hex(r->view()), v.at("out").get<std::string>()) << v.at("rfc");
  }
}

TEST(X25519, GoldenV1SharedSecretBothWays) {
  auto alice = x25519_from_secret(gh("V1", "val_sk"));
  auto bob = x25519_from_secret(gh("V1", "chal_sk"));
  EXPECT_EQ(Bytes(alice.pub.begin(), alice.pub.end()), gh("V1", "val_pub"));
  EXPECT_EQ(Bytes(bob.pub.begin(), bob.pub.end()), gh("V1", "chal_pub"));
  auto s1 = x25519(gh("V1", "val_sk"), gh("V1", "chal_pub"));
  auto s2 = x25519(gh("V1", "chal_sk"), gh("V1", "val_pub"));
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(test::to_hex(s1->view()), gs("V1", "shared"));
  EXPECT_EQ(test::to_hex(s2->view()), gs("V1", "shared"));
}

// N-X-01..05 at the primitive level: every low-order encoding yields x25519.all_zero.
TEST(X25519, AllFourteenLowOrderKeysAreRejected) {
  DeterministicRng rng(11);
  for (std::string_view k : kLowOrderX25519) {
    auto kp = x25519_keypair(rng);
    auto r = x25519(kp.secret.view(), hex(k));
    ASSERT_FALSE(r) << k;
    EXPECT_EQ(r.error().code, kAllZeroShared) << k;
  }
}

TEST(X25519, WrongLengthsAreNamed) {
  Bytes k31(31, 9), k33(33, 9), sk(32, 1);
  EXPECT_EQ(x25519(sk, k31).error().code, kBadLength);
  EXPECT_EQ(x25519(sk, k33).error().code, kBadLength);
  EXPECT_EQ(x25519(k31, gh("V1", "val_pub")).error().code, kBadLength);
}

TEST(Hkdf, Rfc5869Vectors) {
  for (const auto& v : rfc().at("hkdf_sha256")) {
    Bytes salt = field(v, "salt"), ikm = field(v, "ikm"), info = field(v, "info");
    auto prk = hmac_sha256(salt.empty() ? Bytes(32, 0) : salt, ikm);
    EXPECT_EQ(test::to_hex(prk), v.at("prk").get<std::string>()) << v.at("rfc");
    auto okm = hkdf_sha256(salt, ikm, info, v.at("length").get<std::size_t>());
    EXPECT_EQ(test::to_hex(okm.view()), v.at("okm").get<std::string>()) << v.at("rfc");
  }
}

TEST(Hkdf, GoldenV1SessionKeyAndV7TransferKey) {
  auto k = hkdf_sha256_32(gh("V1", "salt"), gh("V1", "shared"), "platform-api-sdk-v1");
  EXPECT_EQ(test::to_hex(k.view()), gs("V1", "key"));
  auto t = hkdf_sha256_32(as_bytes("platform-credential-transfer-v1"), gh("V7", "shared"),
                          "credential-encryption");
  EXPECT_EQ(test::to_hex(t.view()), gs("V7", "key"));
}

TEST(Aead, Rfc8439AndBoringSslVectors) {
  ASSERT_GT(rfc().at("chacha20poly1305").size(), 10u);
  for (const auto& v : rfc().at("chacha20poly1305")) {
    Bytes key = field(v, "key"), nonce = field(v, "nonce"), pt = field(v, "plaintext"),
          aad = field(v, "aad"), expect = field(v, "ciphertext"), tag = field(v, "tag");
    expect.insert(expect.end(), tag.begin(), tag.end());
    auto ct = aead_seal(key, nonce, pt, aad);
    ASSERT_TRUE(ct);
    EXPECT_EQ(*ct, expect) << v.at("rfc");
    auto back = aead_open(key, nonce, expect, aad);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, pt);
    expect.back() ^= 1;
    EXPECT_EQ(aead_open(key, nonce, expect, aad).error().code, kAeadAuth);
  }
}

TEST(Aead, GoldenV2EnvelopeCiphertextAndNegativeVariants) {
  Bytes k = gh("V1", "key"), n = gh("V2", "nonce");
  auto ct = aead_seal(k, n, as_bytes(gs("V2", "plaintext")));
  ASSERT_TRUE(ct);
  EXPECT_EQ(test::to_hex(*ct), gs("V2", "ct_tag_hex"));
  auto x = aead_seal(k, n, as_bytes(gs("V2", "plaintext")), as_bytes("x"));
  EXPECT_EQ(*x, test::b64(gs("V2", "aad_x_ciphertext_b64")));
  EXPECT_EQ(aead_open(k, n, test::b64(gs("V2", "aad_x_ciphertext_b64"))).error().code, kAeadAuth);
  EXPECT_EQ(aead_open(k, n, test::b64(gs("V2", "tampered_tag_ciphertext_b64"))).error().code,
            kAeadAuth);
  EXPECT_EQ(aead_open(k, n, Bytes(15, 0)).error().code, kBadLength);
  EXPECT_EQ(aead_open(k, Bytes(11, 0), *ct).error().code, kBadLength);
}

TEST(Aead, GoldenV5XChaChaQuirkAndHChaChaIdentity) {
  Bytes k = gh("V5", "key"), n12 = gh("V5", "nonce");
  Bytes pt = to_bytes(gs("V5", "plaintext"));
  auto ietf = aead_seal(k, n12, pt);
  EXPECT_EQ(test::to_hex(*ietf), gs("V5", "ietf_ct"));
  Bytes n24 = n12;
  n24.resize(24, 0);
  auto x = xaead_seal(k, n24, pt);
  ASSERT_TRUE(x);
  EXPECT_EQ(test::to_hex(*x), gs("V5", "sdk_xchacha_ct"));
  Bytes in16(n12.begin(), n12.end());
  in16.resize(16, 0);
  auto sub = hchacha20(k, in16);
  ASSERT_TRUE(sub);
  EXPECT_EQ(test::to_hex(sub->view()), gs("V5", "hchacha_subkey"));
  auto same = aead_seal(sub->view(), Bytes(12, 0), pt);
  EXPECT_EQ(*same, *x) << "XChaCha20-Poly1305 = ChaCha20-Poly1305 under the HChaCha20 subkey";
  auto opened = xaead_open(k, n24, *x);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, pt);
  EXPECT_FALSE(aead_open(k, n12, *x)) << "N-ENV-09: the quirk body does not open as IETF";
}

TEST(Ed25519, Rfc8032Vectors) {
  for (const auto& v : rfc().at("ed25519")) {
    Bytes seed = field(v, "seed"), msg = field(v, "message"), sig = field(v, "signature");
    auto kp = ed25519_from_seed(seed);
    EXPECT_EQ(test::to_hex(kp.pub), v.at("public").get<std::string>()) << v.at("rfc");
    auto s = ed25519_sign(seed, msg);
    EXPECT_EQ(Bytes(s.begin(), s.end()), sig) << v.at("rfc");
    // The key-pair form (public key derived once) gives the same RFC signature.
    auto s2 = ed25519_sign(kp, msg);
    EXPECT_EQ(Bytes(s2.begin(), s2.end()), sig) << v.at("rfc");
    EXPECT_TRUE(ed25519_verify(kp.pub, msg, sig).ok());
  }
}

TEST(Ed25519, GoldenV4SignatureAndNonCanonicalS) {
  Bytes seed = gh("V4", "seed"), pk = gh("V4", "pk");
  std::string canonical = gs("V4", "canonical");
  auto sig = ed25519_sign(seed, as_bytes(canonical));
  EXPECT_EQ(Bytes(sig.begin(), sig.end()), test::b64(gs("V4", "sig_b64")));
  EXPECT_TRUE(ed25519_verify(pk, as_bytes(canonical), sig).ok());
  // N-ED-01: S + L is rejected.
  auto r = ed25519_verify(pk, as_bytes(canonical), test::b64(gs("V4", "sig_s_plus_l_b64")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kEdBadSignature);
  auto empty = ed25519_sign(seed, as_bytes(gs("V4", "canonical_empty")));
  EXPECT_EQ(Bytes(empty.begin(), empty.end()), test::b64(gs("V4", "sig_empty_b64")));
}

// N-ED-02: S = L and S = 2^256 - 1.
TEST(Ed25519, ScalarAtOrAboveTheGroupOrderRejected) {
  Bytes pk = gh("V4", "pk");
  std::string msg = gs("V4", "canonical");
  Bytes sig = test::b64(gs("V4", "sig_b64"));
  // L = 2^252 + 27742317777372353535851937790883648493, little-endian (RFC 8032 §5.1).
  Bytes l = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  Bytes s_eq_l = sig, s_max = sig;
  std::copy(l.begin(), l.end(), s_eq_l.begin() + 32);
  std::fill(s_max.begin() + 32, s_max.end(), 0xff);
  EXPECT_EQ(ed25519_verify(pk, as_bytes(msg), s_eq_l).error().code, kEdBadSignature);
  EXPECT_EQ(ed25519_verify(pk, as_bytes(msg), s_max).error().code, kEdBadSignature);
}

// N-ED-03 / N-ED-04: small-order or non-canonical A and R.
TEST(Ed25519, SmallOrderAndNonCanonicalPointsRejected) {
  std::string msg = gs("V4", "canonical");
  Bytes sig = test::b64(gs("V4", "sig_b64"));
  EXPECT_TRUE(ed25519_public_key_is_valid(gh("V4", "pk")));
  for (std::string_view p : kBadEd25519Points) {
    EXPECT_FALSE(ed25519_public_key_is_valid(hex(p))) << p;
    auto r = ed25519_verify(hex(p), as_bytes(msg), sig);
    ASSERT_FALSE(r) << p;
    EXPECT_EQ(r.error().code, kEdBadPublicKey) << p;
    Bytes bad_r = sig;
    Bytes point = hex(p);
    std::copy(point.begin(), point.end(), bad_r.begin());
    EXPECT_FALSE(ed25519_verify(gh("V4", "pk"), as_bytes(msg), bad_r).ok()) << p;
    EXPECT_FALSE(ed25519_public_to_x25519(hex(p))) << p;
  }
}

// N-ED-05 / N-ED-06: other key, other message, single bit flips, wrong lengths.
TEST(Ed25519, AnyChangeBreaksTheSignature) {
  Bytes pk = gh("V4", "pk");
  std::string msg = gs("V4", "canonical");
  Bytes sig = test::b64(gs("V4", "sig_b64"));
  auto other = ed25519_from_seed(gh("V9", "issuer_seed"));
  EXPECT_FALSE(ed25519_verify(other.pub, as_bytes(msg), sig).ok());
  EXPECT_FALSE(ed25519_verify(pk, as_bytes(msg + "x"), sig).ok());
  for (std::size_t bit = 0; bit < 512; bit += 7) {
    Bytes s = sig;
    s[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(ed25519_verify(pk, as_bytes(msg), s).ok()) << bit;
  }
  std::string m = msg;
  m[5] ^= 1;
  EXPECT_FALSE(ed25519_verify(pk, as_bytes(m), sig).ok());
  EXPECT_EQ(ed25519_verify(pk, as_bytes(msg), Bytes(sig.begin(), sig.end() - 1)).error().code,
            kBadLength);
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_EQ(ed25519_verify(pk, as_bytes(msg), longer).error().code, kBadLength);
}

TEST(Conversion, GoldenV6KeysAndConsistency) {
  auto x_sk = ed25519_seed_to_x25519(gh("V6", "ed_seed"));
  EXPECT_EQ(test::to_hex(x_sk.view()), gs("V6", "x25519_sk"));
  auto x_pk = ed25519_public_to_x25519(gh("V6", "ed_pk"));
  ASSERT_TRUE(x_pk);
  EXPECT_EQ(test::to_hex(*x_pk), gs("V6", "x25519_pk"));
  EXPECT_EQ(x25519_from_secret(x_sk.view()).pub, *x_pk);
}

TEST(SealedBox, GoldenV6SealAndOpen) {
  Bytes x_pk = gh("V6", "x25519_pk");
  auto sealed = seal_with_ephemeral(x_pk, as_bytes(gs("V6", "plaintext")), gh("V6", "eph_sk"));
  ASSERT_TRUE(sealed);
  EXPECT_EQ(*sealed, test::b64(gs("V6", "sealed_b64")));
  EXPECT_EQ(sealed->size(), test::golden().at("V6").at("sealed_len").get<std::size_t>());
  Bytes e_pk(sealed->begin(), sealed->begin() + 32);
  EXPECT_EQ(e_pk, gh("V6", "eph_pk"));
  Bytes n_in = e_pk;
  n_in.insert(n_in.end(), x_pk.begin(), x_pk.end());
  EXPECT_EQ(blake2b(n_in, 24), gh("V6", "seal_nonce"));
  auto opened = seal_open(*sealed, x_pk, gh("V6", "x25519_sk"));
  ASSERT_TRUE(opened);
  EXPECT_EQ(to_string(opened->view()), gs("V6", "plaintext"));
}

// N-CRED-01/02/03 and N-X-05 at the primitive level: one indistinguishable error.
TEST(SealedBox, EveryForgeryFailsWithTheSameError) {
  Bytes x_pk = gh("V6", "x25519_pk"), x_sk = gh("V6", "x25519_sk");
  Bytes sealed = test::b64(gs("V6", "sealed_b64"));
  EXPECT_EQ(seal_open(Bytes(sealed.begin(), sealed.begin() + 47), x_pk, x_sk).error().code,
            kSealOpen);
  for (std::size_t i : {0u, 31u, 32u, 47u, 48u, 83u}) {
    Bytes s = sealed;
    s[i] ^= 0x01;
    EXPECT_EQ(seal_open(s, x_pk, x_sk).error().code, kSealOpen) << i;
  }
  auto other = x25519_from_secret(gh("V1", "val_sk"));
  EXPECT_EQ(seal_open(sealed, other.pub, other.secret.view()).error().code, kSealOpen);
  for (std::string_view k : kLowOrderX25519) {
    Bytes s = sealed;
    Bytes low = hex(k);
    std::copy(low.begin(), low.end(), s.begin());
    EXPECT_EQ(seal_open(s, x_pk, x_sk).error().code, kSealOpen) << k;
  }
  DeterministicRng rng(5);
  auto round = seal(x_pk, as_bytes("postgresql://x"), rng);
  ASSERT_TRUE(round);
  EXPECT_EQ(to_string(seal_open(*round, x_pk, x_sk)->view()), "postgresql://x");
}

TEST(Hashes, NistAndBlake2Vectors) {
  for (const auto& v : rfc().at("sha256"))
    EXPECT_EQ(test::to_hex(sha256(field(v, "message"))), v.at("digest").get<std::string>());
  for (const auto& v : rfc().at("sha384"))
    EXPECT_EQ(test::to_hex(sha384(field(v, "message"))), v.at("digest").get<std::string>());
  for (const auto& v : rfc().at("sha512"))
    EXPECT_EQ(test::to_hex(sha512(field(v, "message"))), v.at("digest").get<std::string>());
  for (const auto& v : rfc().at("blake2b512"))
    EXPECT_EQ(test::to_hex(blake2b(field(v, "message"), 64)), v.at("digest").get<std::string>());
}

TEST(Hashes, GoldenV3ReportDataDigests) {
  EXPECT_EQ(test::to_hex(sha256(gh("V3", "nonce_hex"))), gs("V3", "rd_ws"));
  EXPECT_EQ(test::to_hex(sha256(as_bytes(gs("V3", "nonce_hex")))), gs("V3", "rd_http"));
  EXPECT_EQ(test::to_hex(sha256(as_bytes(gs("V4", "body")))), gs("V4", "body_sha256"));
}

}  // namespace
}  // namespace pnc::crypto
