// P-SEAL (PROTOCOL.md §14, §8.2-8.3): SealOpen(Seal(m, EdPkToX25519(pk)), x_sk(seed)) == m and
// X25519(Ed25519SeedToX25519(seed), 9) == EdPkToX25519(Ed25519Pub(seed)) for random seeds, plus
// the near misses: any bit flip, truncation or wrong recipient fails. Oracles: the algebraic
// identity itself, OpenSSL for Ed25519/X25519 public keys and SHA-512, and §8.3's clamp formula.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/crypto.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;

Bytes v(ByteView b) { return Bytes(b.begin(), b.end()); }

RC_GTEST_PROP(PSeal, ConversionsCommute, ()) {
  const Bytes seed = *bytes(32);
  const auto x_sk = crypto::ed25519_seed_to_x25519(seed);
  // §8.3: clamp(SHA512(seed)[0:32]).
  Bytes expect_sk = ossl_sha512(seed);
  expect_sk.resize(32);
  expect_sk[0] &= 0xf8;
  expect_sk[31] &= 0x7f;
  expect_sk[31] |= 0x40;
  RC_ASSERT(v(x_sk.view()) == expect_sk);
  const auto x_pk = crypto::ed25519_public_to_x25519(ossl_ed25519_public(seed));
  RC_ASSERT(x_pk.ok());
  RC_ASSERT(v(*x_pk) == ossl_x25519_public(x_sk.view()));
}

RC_GTEST_PROP(PSeal, SealOpenRoundTrip, ()) {
  const Bytes seed = *bytes(32);
  const Bytes msg = *bytes_between(0, 300);
  const auto x_pk = crypto::ed25519_public_to_x25519(ossl_ed25519_public(seed));
  RC_ASSERT(x_pk.ok());
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const auto sealed = crypto::seal(*x_pk, msg, rng);
  RC_ASSERT(sealed.ok());
  RC_ASSERT(sealed->size() == msg.size() + crypto::kSealBytes);
  const auto x_sk = crypto::ed25519_seed_to_x25519(seed);
  const auto opened = crypto::seal_open(*sealed, *x_pk, x_sk.view());
  RC_ASSERT(opened.ok());
  RC_ASSERT(v(opened->view()) == msg);
}

RC_GTEST_PROP(PSeal, AnyBitFlipTruncationOrWrongRecipientFails, ()) {
  const Bytes seed = *bytes(32);
  const Bytes msg = *bytes_between(0, 64);
  const auto x_pk = crypto::ed25519_public_to_x25519(ossl_ed25519_public(seed));
  const auto x_sk = crypto::ed25519_seed_to_x25519(seed);
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const Bytes sealed = *crypto::seal(*x_pk, msg, rng);
  const int what = *rc::gen::inRange(0, 3);
  RC_TAG(what);
  if (what == 0) {  // N-CRED-02: ephemeral key, tag or ciphertext bit
    const Bytes bad = flip_bit(sealed, *rc::gen::inRange<std::size_t>(0, 8 * sealed.size()));
    RC_ASSERT_FALSE(crypto::seal_open(bad, *x_pk, x_sk.view()).ok());
  } else if (what == 1) {  // N-CRED-01 and any shorter prefix
    const std::size_t n = *rc::gen::inRange<std::size_t>(0, sealed.size());
    RC_ASSERT_FALSE(crypto::seal_open(ByteView(sealed).first(n), *x_pk, x_sk.view()).ok());
  } else {  // N-CRED-03: another recipient
    const Bytes other = *rc::gen::suchThat(bytes(32), [seed](const Bytes& s) { return s != seed; });
    const auto o_pk = crypto::ed25519_public_to_x25519(ossl_ed25519_public(other));
    const auto o_sk = crypto::ed25519_seed_to_x25519(other);
    RC_ASSERT_FALSE(crypto::seal_open(sealed, *o_pk, o_sk.view()).ok());
  }
}

RC_GTEST_PROP(PSeal, LowOrderEphemeralKeyFails, ()) {
  const Bytes seed = *bytes(32);
  const auto x_pk = crypto::ed25519_public_to_x25519(ossl_ed25519_public(seed));
  const auto x_sk = crypto::ed25519_seed_to_x25519(seed);
  Bytes sealed = *rc::gen::elementOf(low_order_x25519());  // N-X-05
  const Bytes rest = *bytes_between(16, 64);
  sealed.insert(sealed.end(), rest.begin(), rest.end());
  RC_ASSERT_FALSE(crypto::seal_open(sealed, *x_pk, x_sk.view()).ok());
}

RC_GTEST_PROP(PSeal, BadEdwardsKeysDoNotConvert, ()) {
  const Bytes& bad = *rc::gen::elementOf(bad_ed25519_points());  // §8.3: MUST fail
  RC_ASSERT_FALSE(crypto::ed25519_public_to_x25519(bad).ok());
}

}  // namespace
