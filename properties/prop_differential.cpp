// Differential properties (PROTOCOL.md §14 "Differential testing"): the reference (libsodium) and
// OpenSSL 3 on the same random inputs — X25519 (canonical and non-canonical u, low-order u),
// Ed25519 signatures and strict verification verdicts, ChaCha20-Poly1305, HKDF-SHA256, SHA-2.
//
// Where the two legitimately differ (documented in README.md): OpenSSL's Ed25519 verification
// is not strict about small-order public keys. With A = identity and R = [S]B the cofactorless
// equation [S]B = R + [k]A holds, OpenSSL accepts and the reference (§0.4 [SEED] strict) must
// reject. Verdicts are compared for equality only when A is a valid, canonical, non-small-order
// point (ed25519_public_key_is_valid) — the class on which both are defined to agree.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sodium.h>

#include "pnc/crypto.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;

Bytes v(ByteView b) { return Bytes(b.begin(), b.end()); }

// L = 2^252 + 27742317777372353535851937790883648493, little-endian (RFC 8032).
const Bytes kL = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// S + L over 32 little-endian bytes (the non-canonical S of N-ED-01; S < L so no overflow).
Bytes add_l(ByteView s) {
  Bytes out(32);
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned sum = static_cast<unsigned>(s[i]) + kL[i] + carry;
    out[i] = static_cast<std::uint8_t>(sum & 0xff);
    carry = sum >> 8;
  }
  return out;
}

RC_GTEST_PROP(DiffX25519, AgreesWithOpenSsl, ()) {
  const Bytes sk = *bytes(32);
  // Arbitrary u (bit 255 set, u >= p included), a real public key, or a low-order point.
  const Bytes u = *rc::gen::oneOf(bytes(32), rc::gen::map(bytes(32), [](const Bytes& k) { return ossl_x25519_public(k); }),
                                  rc::gen::elementOf(low_order_x25519()));
  const auto ours = crypto::x25519(sk, u);
  const auto theirs = ossl_x25519(sk, u);
  RC_CLASSIFY(!theirs.has_value(), "refused");
  RC_ASSERT(ours.ok() == theirs.has_value());
  if (ours.ok()) RC_ASSERT(v(ours->view()) == *theirs);
  RC_ASSERT(v(crypto::x25519_from_secret(sk).pub) == ossl_x25519_public(sk));
}

RC_GTEST_PROP(DiffEd25519, SignaturesAndPublicKeysAreIdentical, ()) {
  const Bytes seed = *bytes(32);
  const Bytes msg = *bytes_between(0, 200);
  RC_ASSERT(v(crypto::ed25519_from_seed(seed).pub) == ossl_ed25519_public(seed));
  RC_ASSERT(v(crypto::ed25519_sign(seed, msg)) == ossl_ed25519_sign(seed, msg));  // deterministic (RFC 8032)
}

RC_GTEST_PROP(DiffEd25519, VerdictsAgreeOnValidKeys, ()) {
  const Bytes seed = *bytes(32);
  const Bytes msg = *bytes_between(0, 100);
  Bytes pk = ossl_ed25519_public(seed);
  Bytes sig = ossl_ed25519_sign(seed, msg);
  Bytes m = msg;
  const int what = *rc::gen::inRange(0, 6);
  switch (what) {
    case 0: break;                                                                          // honest
    case 1: sig = flip_bit(sig, *rc::gen::inRange<std::size_t>(0, 512)); break;            // R or S bit
    case 2: pk = flip_bit(pk, *rc::gen::inRange<std::size_t>(0, 256)); break;              // key bit
    case 3: m = msg.empty() ? Bytes{0} : flip_bit(msg, *rc::gen::inRange<std::size_t>(0, 8 * msg.size())); break;
    case 4: pk = ossl_ed25519_public(flip_bit(seed, *rc::gen::inRange<std::size_t>(0, 256))); break;  // another key
    default: sig = *bytes(64); break;                                                      // garbage
  }
  const bool ours = crypto::ed25519_verify(pk, m, sig).ok();
  const bool theirs = ossl_ed25519_verify(pk, m, sig);
  RC_TAG(what, ours);
  RC_ASSERT(ours == (what == 0));
  if (crypto::ed25519_public_key_is_valid(pk)) RC_ASSERT(ours == theirs);
}

RC_GTEST_PROP(DiffEd25519, NonCanonicalSIsRejectedByBoth, ()) {
  const Bytes seed = *bytes(32);
  const Bytes msg = *bytes_between(0, 100);
  Bytes sig = ossl_ed25519_sign(seed, msg);
  const Bytes s_plus_l = add_l(ByteView(sig).subspan(32));
  std::copy(s_plus_l.begin(), s_plus_l.end(), sig.begin() + 32);
  const Bytes pk = ossl_ed25519_public(seed);
  RC_ASSERT_FALSE(crypto::ed25519_verify(pk, msg, sig).ok());
  RC_ASSERT_FALSE(ossl_ed25519_verify(pk, msg, sig));
}

// The class where the two legitimately differ: A = identity, R = [S]B.
RC_GTEST_PROP(DiffEd25519, SmallOrderKeyIsRejectedByTheStrictVerifier, ()) {
  const Bytes wide = *bytes(64);
  Bytes s(32), r(32);
  crypto_core_ed25519_scalar_reduce(s.data(), wide.data());
  RC_PRE(crypto_scalarmult_ed25519_base_noclamp(r.data(), s.data()) == 0);
  Bytes sig = r;
  sig.insert(sig.end(), s.begin(), s.end());
  const Bytes identity = bad_ed25519_points()[0];
  const Bytes msg = *bytes_between(0, 64);
  const auto ours = crypto::ed25519_verify(identity, msg, sig);
  RC_ASSERT_FALSE(ours.ok());
  RC_ASSERT(ours.error().code == std::string(crypto::kEdBadPublicKey));
  RC_CLASSIFY(ossl_ed25519_verify(identity, msg, sig), "OpenSSL accepts");
}

RC_GTEST_PROP(DiffEd25519, BadPointsRejectedByTheStrictVerifier, ()) {
  const Bytes& pk = *rc::gen::elementOf(bad_ed25519_points());
  const Bytes msg = *bytes_between(0, 64);
  const Bytes sig = *bytes(64);
  RC_ASSERT_FALSE(crypto::ed25519_public_key_is_valid(pk));
  RC_ASSERT_FALSE(crypto::ed25519_verify(pk, msg, sig).ok());
}

RC_GTEST_PROP(DiffAead, ChaCha20Poly1305AgreesWithOpenSsl, ()) {
  const Bytes key = *bytes(32);
  const Bytes nonce = *bytes(12);
  const Bytes pt = *bytes_between(0, 300);
  const Bytes aad = *bytes_between(0, 40);
  const auto ours = crypto::aead_seal(key, nonce, pt, aad);
  RC_ASSERT(ours.ok());
  RC_ASSERT(*ours == ossl_chacha_seal(key, nonce, pt, aad));
  // Both open it; after a bit flip neither does.
  const auto back = crypto::aead_open(key, nonce, *ours, aad);
  RC_ASSERT(back.ok() && *back == pt);
  const Bytes bad = flip_bit(*ours, *rc::gen::inRange<std::size_t>(0, 8 * ours->size()));
  RC_ASSERT_FALSE(crypto::aead_open(key, nonce, bad, aad).ok());
  RC_ASSERT_FALSE(ossl_chacha_open(key, nonce, bad, aad).has_value());
}

RC_GTEST_PROP(DiffHkdf, HkdfSha256AgreesWithOpenSsl, ()) {
  const Bytes salt = *bytes_between(0, 80);
  const Bytes ikm = *bytes_between(0, 80);
  const Bytes info = *bytes_between(0, 80);
  const std::size_t length = *rc::gen::inRange<std::size_t>(1, 600);
  const auto ours = crypto::hkdf_sha256(salt, ikm, info, length);
  RC_ASSERT(v(ours.view()) == ossl_hkdf_sha256(salt, ikm, info, length));
}

RC_GTEST_PROP(DiffSha2, DigestsAgreeWithOpenSsl, ()) {
  const Bytes data = *bytes_between(0, 400);
  RC_ASSERT(v(crypto::sha256(data)) == ossl_sha256(data));
  RC_ASSERT(v(crypto::sha384(data)) == ossl_sha384(data));
  RC_ASSERT(v(crypto::sha512(data)) == ossl_sha512(data));
}

}  // namespace
