// P-QUOTE (PROTOCOL.md §14, §9.2-9.3, §9.6): Parse(MockQuoteV4(N)).report_data[0:32] == SHA256(N);
// serialize∘parse is the identity on every accepted byte string; the mock signature detects any
// single-byte change in [0, 632); parsing never fails badly on near-miss mutations. Oracles:
// OpenSSL SHA-256/512 and the §9.2 byte offsets (read directly from the bytes, not via the parser).
#include <algorithm>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;

rc::Gen<tdx::MockParams> mock_params() {
  return rc::gen::apply(
      [](std::string env, rc::Maybe<Bytes> mr_td, rc::Maybe<Bytes> compose, rc::Maybe<Bytes> binding) {
        tdx::MockParams p;
        p.env_mode = std::move(env);
        if (mr_td) std::copy(mr_td->begin(), mr_td->end(), p.mr_td.emplace().begin());
        if (compose) std::copy(compose->begin(), compose->end(), p.compose_hash.emplace().begin());
        if (binding) std::copy(binding->begin(), binding->end(), p.key_binding.emplace().begin());
        return p;
      },
      rc::gen::element<std::string>("dev", "prod"), rc::gen::maybe(bytes(48)), rc::gen::maybe(bytes(32)),
      rc::gen::maybe(bytes(32)));
}

RC_GTEST_PROP(PQuote, MockQuoteBindsTheNonce, ()) {
  const Bytes nonce = *bytes_between(0, 64);
  const tdx::MockParams params = *mock_params();
  const Evidence ev = tdx::mock_quote_v4(nonce, params);
  RC_ASSERT(ev.quote.size() == 1276u);  // §9.6 length with the defaults
  const auto q = tdx::parse_quote(ev.quote);
  RC_ASSERT(q.ok());
  const Bytes digest = ossl_sha256(nonce);
  RC_ASSERT(Bytes(q->report_data.begin(), q->report_data.begin() + 32) == digest);
  // The same bytes at the §9.2 absolute offset 568, read without the parser.
  RC_ASSERT(Bytes(ev.quote.begin() + 568, ev.quote.begin() + 600) == digest);
  const Bytes upper(q->report_data.begin() + 32, q->report_data.end());
  RC_ASSERT(upper == (params.key_binding ? Bytes(params.key_binding->begin(), params.key_binding->end()) : Bytes(32, 0)));
  RC_ASSERT(tdx::has_mock_marker(*q));
  RC_ASSERT(tdx::mock_signature_valid(ev.quote));
  // Mock signature = SHA512("PNC-MOCK-SIG" || Q[0:632]) at 636 (§9.6).
  Bytes sig_input = to_bytes("PNC-MOCK-SIG");
  sig_input.insert(sig_input.end(), ev.quote.begin(), ev.quote.begin() + 632);
  RC_ASSERT(Bytes(ev.quote.begin() + 636, ev.quote.begin() + 700) == ossl_sha512(sig_input));
}

RC_GTEST_PROP(PQuote, SerializeParseIsIdentity, ()) {
  const Evidence ev = tdx::mock_quote_v4(*bytes(32), *mock_params());
  auto q = *tdx::parse_quote(ev.quote);
  RC_ASSERT(tdx::serialize_quote(q) == ev.quote);
  // Random contents of every free field (and variable lengths) survive a round trip.
  q.user_data = ByteArray<20>{};
  const Bytes ud = *bytes(20);
  std::copy(ud.begin(), ud.end(), q.user_data.begin());
  const Bytes rd = *bytes(64);
  std::copy(rd.begin(), rd.end(), q.report_data.begin());
  const Bytes r3 = *bytes(48);
  std::copy(r3.begin(), r3.end(), q.rtmr[3].begin());
  q.qe_auth_data = *bytes_between(0, 80);
  q.pck_chain = *bytes_between(0, 200);
  const Bytes wire = tdx::serialize_quote(q);
  const auto back = tdx::parse_quote(wire);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == q);
  RC_ASSERT(tdx::serialize_quote(*back) == wire);
}

RC_GTEST_PROP(PQuote, MockSignatureDetectsAnyChangeInSignedPart, ()) {
  Bytes quote = tdx::mock_quote_v4(*bytes(32)).quote;
  // From byte 2: a changed version field is no v4 quote and never a valid mock (DEC-30, unit test).
  const std::size_t i = *rc::gen::inRange<std::size_t>(2, 632);
  const std::uint8_t delta = *rc::gen::inRange<std::uint8_t>(1, 255);
  quote[i] = static_cast<std::uint8_t>(quote[i] ^ delta);
  RC_ASSERT_FALSE(tdx::mock_signature_valid(quote));
  tdx::reseal_mock_signature(quote);  // resealing restores it: the check is over exactly [0, 632)
  RC_ASSERT(tdx::mock_signature_valid(quote));
}

RC_GTEST_PROP(PQuote, AcceptedMutationsRoundTripExactly, ()) {
  Bytes quote = tdx::mock_quote_v4(*bytes(32)).quote;
  const int what = *rc::gen::inRange(0, 4);
  RC_TAG(what);
  if (what == 0) {  // overwrite a few bytes anywhere (lengths, types, fields)
    const int n = *rc::gen::inRange(1, 4);
    for (int k = 0; k < n; ++k) quote[*rc::gen::inRange<std::size_t>(0, quote.size())] = *rc::gen::arbitrary<std::uint8_t>();
  } else if (what == 1) {  // truncate (N-Q-01)
    quote.resize(*rc::gen::inRange<std::size_t>(0, quote.size()));
  } else if (what == 2) {  // append (N-Q-02): at least one non-zero byte (zero padding is valid, DEC-30)
    Bytes extra = *bytes_between(1, 8);
    extra[*rc::gen::inRange<std::size_t>(0, extra.size())] |= 0x01;
    quote.insert(quote.end(), extra.begin(), extra.end());
  } else {  // the 32-bit length fields S (632) and M (636+130) set to boundary values (N-Q-06/07)
    const std::size_t at = *rc::gen::element<std::size_t>(632, 636 + 130);
    const std::uint32_t val = *rc::gen::oneOf(rc::gen::element<std::uint32_t>(0, 133, 134, 640, 641, 639, 0xffffffffu),
                                              rc::gen::arbitrary<std::uint32_t>());
    for (int b = 0; b < 4; ++b) quote[at + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(val >> (8 * b));
  }
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    const auto q = tdx::parse_quote(quote, p);
    if (!q.ok()) continue;
    RC_ASSERT(tdx::serialize_quote(*q) == quote);
    // Accepted ⇒ the §9.3 invariants hold on the bytes.
    RC_ASSERT(quote.size() >= 636u);
    const std::uint32_t s = static_cast<std::uint32_t>(quote[632]) | static_cast<std::uint32_t>(quote[633]) << 8 |
                            static_cast<std::uint32_t>(quote[634]) << 16 | static_cast<std::uint32_t>(quote[635]) << 24;
    RC_ASSERT(636u + s <= quote.size());
    if (p == Profile::seed_spec)  // only zero padding after the signature data
      RC_ASSERT(std::all_of(quote.begin() + 636 + s, quote.end(), [](std::uint8_t b) { return b == 0; }));
    RC_ASSERT(quote[0] == 4 && quote[1] == 0 && quote[4] == 0x81);
  }
  if (what == 1 || what == 2) RC_ASSERT_FALSE(tdx::parse_quote(quote, Profile::seed_spec).ok());
}

}  // namespace
