// P-TOK (PROTOCOL.md §14, §7.1-7.2): MinerToken issue/verify round trip for random claims, and any
// change of any byte of the token fails verification. Oracles: OpenSSL Ed25519 over the
// signing input (§7.1) and the spec's claim rules (lifetime, leeway) applied by the test.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/miner_token.hpp"
#include "support/prop_support.hpp"

namespace pnc::miner_token {
// Counterexamples print the claims (RapidCheck finds this by ADL).
inline void showValue(const MinerClaims& c, std::ostream& os) {
  os << claims_json(c);
}
}  // namespace pnc::miner_token

namespace {

using namespace pnc;
using namespace pnc::prop;
namespace mt = pnc::miner_token;

constexpr std::int64_t kIat = 1700000000;

rc::Gen<mt::MinerClaims> claims() {
  return rc::gen::apply(
      [](std::string hotkey, rc::Maybe<std::uint32_t> uid, std::string job, std::string job_type, std::int64_t life, std::string jti) {
        mt::MinerClaims c;
        c.iss = "platform-api";
        c.aud = "challenge_demo";
        c.challenge_id = "challenge_demo";
        c.miner_hotkey = std::move(hotkey);
        c.uid = uid ? std::to_string(*uid) : std::string();  // §0.3 decimal or empty
        c.job_id = std::move(job);
        c.job_type = std::move(job_type);
        c.iat = kIat;
        c.exp = kIat + life;
        c.jti = std::move(jti);
        return c;
      },
      string_of("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 1, 64), rc::gen::maybe(rc::gen::arbitrary<std::uint32_t>()),
      string_of("abcdefghijklmnopqrstuvwxyz-0123456789", 0, 20), string_of("abcdefghijklmnopqrstuvwxyz_", 0, 12),
      rc::gen::inRange<std::int64_t>(1, 3601), string_of(kNonceAlphabet, 16, 128));
}

mt::VerifierConfig config(const Bytes& seed) {
  mt::VerifierConfig cfg;
  const Bytes pk = ossl_ed25519_public(seed);
  std::copy(pk.begin(), pk.end(), cfg.issuer_public_key.begin());
  cfg.issuer = "platform-api";
  cfg.audience = "challenge_demo";
  return cfg;
}

RC_GTEST_PROP(PTok, IssueVerifyRoundTrip, ()) {
  const Bytes seed = *bytes(32);
  const mt::MinerClaims c = *claims();
  const auto token = mt::issue(c, seed);
  RC_ASSERT(token.ok());
  RC_ASSERT(token->size() <= mt::kMaxTokenBytes);
  // Any verifier time inside [iat - leeway, exp + leeway) accepts (§7.2 step 6).
  const std::int64_t now = *rc::gen::inRange<std::int64_t>(c.iat - 30, c.exp + 30);
  FixedClock clock(now);
  const auto got = mt::verify(*token, config(seed), clock);
  RC_ASSERT(got.ok());
  RC_ASSERT(got->miner_hotkey == c.miner_hotkey);
  RC_ASSERT(got->jti == c.jti);
  RC_ASSERT(got->exp == c.exp);
  RC_ASSERT(mt::token_info(*got) == mt::token_info(c));
  // §7.1: the third segment is Ed25519 over the first two, verifiable by OpenSSL.
  const std::size_t dot = token->rfind('.');
  RC_ASSERT(ossl_ed25519_verify(ossl_ed25519_public(seed), as_bytes(std::string_view(*token).substr(0, dot)),
                                [&] {
                                  std::string sig = token->substr(dot + 1);
                                  std::replace(sig.begin(), sig.end(), '-', '+');
                                  std::replace(sig.begin(), sig.end(), '_', '/');
                                  return *ossl_b64_decode(sig + "==");
                                }()));
  // Outside the window it is refused.
  FixedClock late(c.exp + 30);
  RC_ASSERT_FALSE(mt::verify(*token, config(seed), late).ok());
}

RC_GTEST_PROP(PTok, AnyByteChangeFails, ()) {
  const Bytes seed = *bytes(32);
  const mt::MinerClaims c = *claims();
  std::string token = *mt::issue(c, seed);
  const std::size_t i = *rc::gen::inRange<std::size_t>(0, token.size());
  const char old = token[i];
  token[i] = *rc::gen::suchThat(rc::gen::arbitrary<char>(), [old](char ch) { return ch != old; });
  FixedClock clock(c.iat + 1);
  RC_ASSERT_FALSE(mt::verify(token, config(seed), clock).ok());
}

RC_GTEST_PROP(PTok, OtherIssuerKeyFails, ()) {
  const Bytes seed = *bytes(32);
  const Bytes other = *rc::gen::suchThat(bytes(32), [seed](const Bytes& s) { return s != seed; });
  const mt::MinerClaims c = *claims();
  FixedClock clock(c.iat + 1);
  const auto r = mt::verify(*mt::issue(c, other), config(seed), clock);
  RC_ASSERT_FALSE(r.ok());
  RC_ASSERT(r.error().code == std::string(mt::kBadSignature));
}

}  // namespace
