// The campaign's pure parts: typed mutations act on decoded bytes, finding files round-trip and
// malformed ones are refused with a named error, and the in-process oracle predicts what the
// reference does (no sockets).
#include <gtest/gtest.h>

#include "campaign/campaign.hpp"
#include "campaign/mutation.hpp"
#include "pnc/codec.hpp"

namespace pnc::conf::campaign {
namespace {

TEST(CampaignMutation, FlipChangesOneBitOfTheDecodedBytes) {
  const Bytes raw(32, 0x00);
  const std::string b64 = codec::b64_encode(raw);
  ASSERT_EQ(guess_encoding(b64), Encoding::b64);
  Mutation m{"flip", 0, "x", 2};  // arg 2: the last byte, bit 0
  auto out = mutate_string(b64, m, ValueKind::generic, 0);
  ASSERT_TRUE(out);
  auto bytes = codec::b64_decode(*out);
  ASSERT_TRUE(bytes);
  Bytes want = raw;
  want.back() = 0x01;
  EXPECT_EQ(*bytes, want);
  // hex stays hex, lowercase, same length
  const std::string hex = codec::hex_encode(raw);
  auto h = mutate_string(hex, Mutation{"flip", 0, "x", 0}, ValueKind::generic, 0);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->substr(0, 2), "01");
  EXPECT_EQ(h->size(), hex.size());
}

TEST(CampaignMutation, TimestampBoundariesAreTheWindowEdges) {
  const std::int64_t now = 1700000000;
  EXPECT_EQ(*mutate_string("1700000000", Mutation{"boundary", 0, "t", 0}, ValueKind::timestamp, now), "1699999879");  // now - 121
  EXPECT_EQ(*mutate_string("1700000000", Mutation{"boundary", 0, "t", 5}, ValueKind::timestamp, now), "1700000121");  // now + 121
}

TEST(CampaignMutation, JsonDropAndDuplicate) {
  const std::string text = R"({"a":1,"b":"x"})";
  EXPECT_EQ(mutate_json_text(text, "a", Mutation{"drop", 0, "a", 0}, ValueKind::generic, 0), R"({"b":"x"})");
  EXPECT_EQ(mutate_json_text(text, "b", Mutation{"dup", 0, "b", 0}, ValueKind::generic, 0), R"({"b":"x","a":1,"b":"x"})");
  EXPECT_EQ(mutate_json_text(text, "missing", Mutation{"drop", 0, "missing", 0}, ValueKind::generic, 0), text);
}

TEST(CampaignFinding, RoundTripsAndRefusesMalformedFiles) {
  Finding f;
  f.kind = "difference";
  f.profile = "hardened";
  f.seed = 7;
  f.input = Input{"signed-weights", {Mutation{"boundary", 0, "signed.X-Timestamp", 0}}};
  f.klass = "k";
  f.outcome = "o";
  f.expected = {{"signed", {"HTTP 401"}}};
  f.observed = {{"signed", {"HTTP 200"}}};
  auto back = finding_from_json(to_json(f).dump());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->input.mutations, f.input.mutations);
  EXPECT_EQ(back->expected, f.expected);
  EXPECT_EQ(back->key(), f.key());
  EXPECT_EQ(finding_from_json("[]").error().code, "finding.not_json");
  EXPECT_EQ(finding_from_json(R"({"format":"pnc-campaign-finding","version":2})").error().code, "finding.version");
  auto j = to_json(f);
  j["input"]["scenario"] = "nope";
  EXPECT_EQ(finding_from_json(j.dump()).error().code, "finding.unknown_scenario");
  j = to_json(f);
  j["input"]["mutations"][0]["step"] = 9;
  EXPECT_EQ(finding_from_json(j.dump()).error().code, "finding.bad_mutation");
}

// The oracle against itself: the reference predicts the reference, so no input differs.
TEST(CampaignOracle, AgreesWithItselfOnEveryScenario) {
  SutDescription sut;
  sut.signer = TrustedSigner{"s", Bytes(32, 1)};
  sut.proxy_signer = TrustedSigner{"proxy", Bytes(32, 2)};
  sut.sealed_key_seed = Bytes(32, 3);
  sut.token_issuer = TokenIssuer{Bytes(32, 4), "platform-api", "challenge_demo"};
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat, Profile::hardened}) {
    auto a = make_oracle_endpoint(p, sut);
    auto b = make_oracle_endpoint(p, sut);
    ASSERT_TRUE(a && b);
    for (const auto& sc : scenarios()) {
      const Input in{sc.name, {}};
      auto got = check_input(in, p, sut, **b, **a, 42 + static_cast<std::uint64_t>(p));
      EXPECT_FALSE(got) << sc.name << ": " << (got ? got->outcome : "");
      Trace t;
      check_input(in, p, sut, **b, **a, 99, &t);
      ASSERT_FALSE(t.empty()) << sc.name;
      EXPECT_FALSE(t.back().seen.empty()) << sc.name << ": the judging step saw nothing";
    }
  }
}

}  // namespace
}  // namespace pnc::conf::campaign
