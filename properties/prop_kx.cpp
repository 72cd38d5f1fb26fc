// P-KX (PROTOCOL.md §14, §0.4, §4): X25519 agreement is symmetric, public keys are X25519(sk, 9),
// low-order peers are refused, HKDF-SHA256 is a deterministic 32-byte function of (salt, IKM,
// info) whose output changes with every input. Oracles: the algebraic laws themselves, the
// §12.2 table and OpenSSL for the absolute values (the differential file goes further).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/crypto.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;

// The X25519 base point u = 9 (RFC 7748 §4.1).
Bytes base_point() {
  Bytes u(32, 0);
  u[0] = 9;
  return u;
}

RC_GTEST_PROP(PKx, AgreementIsSymmetric, ()) {
  const Bytes a = *bytes(32);
  const Bytes b = *bytes(32);
  const auto ka = crypto::x25519_from_secret(a);
  const auto kb = crypto::x25519_from_secret(b);
  const auto ab = crypto::x25519(a, kb.pub);
  const auto ba = crypto::x25519(b, ka.pub);
  RC_ASSERT(ab.ok());
  RC_ASSERT(ba.ok());
  RC_ASSERT(Bytes(ab->view().begin(), ab->view().end()) == Bytes(ba->view().begin(), ba->view().end()));
}

RC_GTEST_PROP(PKx, PublicKeyIsScalarMultOfBasePoint, ()) {
  const Bytes sk = *bytes(32);
  const auto kp = crypto::x25519_from_secret(sk);
  const auto viaBase = crypto::x25519(sk, base_point());
  RC_ASSERT(viaBase.ok());
  RC_ASSERT(Bytes(kp.pub.begin(), kp.pub.end()) == Bytes(viaBase->view().begin(), viaBase->view().end()));
  // Clamping happens inside (§0.4): flipping the bits clamping clears changes nothing.
  Bytes unclamped = sk;
  unclamped[0] ^= 0x07;
  unclamped[31] ^= 0x80;
  const auto kp2 = crypto::x25519_from_secret(unclamped);
  RC_ASSERT(kp.pub == kp2.pub);
}

RC_GTEST_PROP(PKx, LowOrderPeerIsRefused, ()) {
  const Bytes sk = *bytes(32);
  const Bytes& peer = *rc::gen::elementOf(low_order_x25519());
  const auto r = crypto::x25519(sk, peer);
  RC_ASSERT_FALSE(r.ok());
  RC_ASSERT(r.error().code == std::string(crypto::kAllZeroShared));
}

RC_GTEST_PROP(PKx, WrongLengthInputsAreErrors, ()) {
  const std::size_t n = *rc::gen::suchThat(rc::gen::inRange<std::size_t>(0, 65), [](std::size_t v) { return v != 32; });
  const Bytes good = *bytes(32);
  const Bytes bad = *bytes(n);
  RC_ASSERT_FALSE(crypto::x25519(good, bad).ok());
  RC_ASSERT_FALSE(crypto::x25519(bad, good).ok());
}

RC_GTEST_PROP(PKx, HkdfIsDeterministic32Bytes, ()) {
  const Bytes salt = *bytes_between(0, 64);
  const Bytes ikm = *bytes(32);
  const std::string info = *string_of("abcdefghijklmnopqrstuvwxyz-/0123456789", 0, 40);
  const auto k1 = crypto::hkdf_sha256_32(salt, ikm, info);
  const auto k2 = crypto::hkdf_sha256_32(salt, ikm, info);
  RC_ASSERT(k1.size() == 32u);
  RC_ASSERT(Bytes(k1.view().begin(), k1.view().end()) == Bytes(k2.view().begin(), k2.view().end()));
  // The absolute value: RFC 5869 as computed by OpenSSL.
  RC_ASSERT(Bytes(k1.view().begin(), k1.view().end()) == ossl_hkdf_sha256(salt, ikm, as_bytes(info), 32));
}

RC_GTEST_PROP(PKx, DifferentSaltGivesDifferentKey, ()) {
  const Bytes salt = *bytes(32);
  const std::size_t bit = *rc::gen::inRange<std::size_t>(0, 256);
  const Bytes other = flip_bit(salt, bit);
  const Bytes ikm = *bytes(32);
  const auto k1 = crypto::hkdf_sha256_32(salt, ikm, "platform-api-sdk-v1");
  const auto k2 = crypto::hkdf_sha256_32(other, ikm, "platform-api-sdk-v1");
  RC_ASSERT(Bytes(k1.view().begin(), k1.view().end()) != Bytes(k2.view().begin(), k2.view().end()));
}

RC_GTEST_PROP(PKx, DifferentIkmOrInfoGivesDifferentKey, ()) {
  const Bytes salt = *bytes(32);
  const Bytes ikm = *bytes(32);
  const Bytes ikm2 = flip_bit(ikm, *rc::gen::inRange<std::size_t>(0, 256));
  const auto k = crypto::hkdf_sha256_32(salt, ikm, "platform-api-sdk-v1");
  const auto k_ikm = crypto::hkdf_sha256_32(salt, ikm2, "platform-api-sdk-v1");
  // The [HARD] directional labels must separate keys from the shared one (§4).
  const auto k_c2s = crypto::hkdf_sha256_32(salt, ikm, "platform-api-sdk-v1/c2s");
  const auto k_s2c = crypto::hkdf_sha256_32(salt, ikm, "platform-api-sdk-v1/s2c");
  auto v = [](const Secret<32>& s) { return Bytes(s.view().begin(), s.view().end()); };
  RC_ASSERT(v(k) != v(k_ikm));
  RC_ASSERT(v(k) != v(k_c2s));
  RC_ASSERT(v(k) != v(k_s2c));
  RC_ASSERT(v(k_c2s) != v(k_s2c));
}

RC_GTEST_PROP(PKx, HandshakeKeyAgreesOnBothSides, ()) {
  // §4 end to end: both sides' K from their own secret and the other's public key.
  const Bytes val_sk = *bytes(32);
  const Bytes chal_sk = *bytes(32);
  const Bytes salt = *bytes(32);
  const auto val = crypto::x25519_from_secret(val_sk);
  const auto chal = crypto::x25519_from_secret(chal_sk);
  const auto s_client = crypto::x25519(val_sk, chal.pub);
  const auto s_server = crypto::x25519(chal_sk, val.pub);
  RC_ASSERT(s_client.ok() && s_server.ok());
  const auto kc = crypto::hkdf_sha256_32(salt, s_client->view(), "platform-api-sdk-v1");
  const auto ks = crypto::hkdf_sha256_32(salt, s_server->view(), "platform-api-sdk-v1");
  RC_ASSERT(Bytes(kc.view().begin(), kc.view().end()) == Bytes(ks.view().begin(), ks.view().end()));
}

}  // namespace
