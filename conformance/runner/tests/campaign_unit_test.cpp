// The campaign's pure parts: typed mutations act on decoded bytes, finding files round-trip and
// malformed ones are refused with a named error, and the in-process oracle predicts what the
// reference does (no sockets).
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "campaign/campaign.hpp"
#include "campaign/mutation.hpp"
#include "campaign/scenario.hpp"
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

TEST(CampaignMutation, RegionOpsStayInsideTheirRegion) {
  const Bytes zero(100, 0x00);
  Bytes b = zero;
  ASSERT_TRUE(mutate_region(b, 40, 8, Mutation{"flip", 0, "quote.x", 2}));  // last byte of [40, 48), bit 0
  Bytes want = zero;
  want[47] = 0x01;
  EXPECT_EQ(b, want);
  b = zero;
  ASSERT_TRUE(mutate_region(b, 40, 8, Mutation{"set-byte", 0, "quote.x", 3}));  // first byte := 0xff
  want = zero;
  want[40] = 0xff;
  EXPECT_EQ(b, want);
  // set-byte always changes the byte: 0x00 where it already is 0xff. Two endpoints whose bytes
  // differ (ciphertexts under two session keys) both get a mutated value.
  Bytes ones(100, 0xff);
  ASSERT_TRUE(mutate_region(ones, 40, 8, Mutation{"set-byte", 0, "quote.x", 3}));
  EXPECT_EQ(ones[40], 0x00);
  b = zero;
  ASSERT_TRUE(mutate_region(b, 40, 8, Mutation{"boundary", 0, "quote.x", 1}));  // all 0xff
  want = zero;
  std::fill(want.begin() + 40, want.begin() + 48, 0xff);
  EXPECT_EQ(b, want);
  b = zero;
  EXPECT_FALSE(mutate_region(b, 95, 8, Mutation{"flip", 0, "quote.x", 0}));  // does not fit
  EXPECT_FALSE(mutate_region(b, 0, 8, Mutation{"truncate", 0, "quote.x", 0}));
  EXPECT_EQ(b, zero);
}

TEST(CampaignMutation, BadcharIncludesBase64OnlyCharacters) {
  std::set<char> inserted;
  for (std::int64_t arg = 0; arg < 18; ++arg) {
    auto out = mutate_string("abcdefgh", Mutation{"badchar", 0, "x", arg}, ValueKind::generic, 0);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->size(), 9u);
    for (char c : *out)
      if (std::string("abcdefgh").find(c) == std::string::npos) inserted.insert(c);
  }
  for (char c : {'+', '/', '=', '*'}) EXPECT_TRUE(inserted.count(c)) << c;
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
  for (Profile p : kProfiles) {
    auto a = make_oracle_endpoint(p, sut);
    auto b = make_oracle_endpoint(p, sut);
    ASSERT_TRUE(a && b);
    for (const auto& sc : scenarios()) {
      if (sc.target() != Target::challenge) continue;  // the validator's oracle is a client process (validator_fuzz)
      const Input in{sc.name, {}};
      const Executor run = endpoint_executor(p, sut, **b, **a);
      auto got = check_input(in, p, run, 42 + static_cast<std::uint64_t>(p));
      EXPECT_FALSE(got) << sc.name << ": " << (got ? got->outcome : "");
      Trace t;
      check_input(in, p, run, 99, &t);
      ASSERT_FALSE(t.empty()) << sc.name;
      EXPECT_FALSE(t.back().seen.empty()) << sc.name << ": the judging step saw nothing";
    }
  }
}

// What the reference predicts for the structure-aware mutations, judged against the spec: a quote
// whose RTMR3 no longer replays from its log (§9.5; resealed, so the mock signature still holds),
// a mock signature with one bit changed (§9.6), an environment-mode event that names another mode
// (§3.8) are refused with close 1008 (§3.5); the first envelope sent again after four others is a
// replay (§5.3 R6): close 1008 in the strict profiles.
TEST(CampaignOracle, PredictsTheSpecsVerdictForStructureAwareMutations) {
  SutDescription sut;
  auto oracle = make_oracle_endpoint(Profile::seed_spec, sut);
  ASSERT_TRUE(oracle);
  const ExecEnv env{Profile::seed_spec, &sut, 5};
  auto has = [](const StepResult& r, const std::string& e) { return std::find(r.seen.begin(), r.seen.end(), e) != r.seen.end(); };

  const Trace clean = execute(Input{"ws-session", {}}, **oracle, env);
  ASSERT_EQ(clean.size(), 8u);  // begin, ok, env1..env5, probe
  ASSERT_TRUE(has(clean[0], "msg:attestation_response")) << ::testing::PrintToString(clean[0].seen);

  for (const auto& [field, arg] : std::vector<std::pair<std::string, std::int64_t>>{
           {"quote.rtmr3", 2}, {"quote.signature", 2}, {"quote.report_data", 0}}) {
    const Trace t = execute(Input{"ws-session", {Mutation{"flip", 0, field, arg}}}, **oracle, env);
    ASSERT_FALSE(t.empty());
    EXPECT_TRUE(has(t[0], "close:1008")) << field << ": " << ::testing::PrintToString(t[0].seen);
    EXPECT_FALSE(has(t[0], "msg:attestation_response")) << field;
  }
  const Trace env_case = execute(Input{"ws-session", {Mutation{"case", 0, "log.environment-mode", 0}}}, **oracle, env);
  ASSERT_FALSE(env_case.empty());
  EXPECT_TRUE(has(env_case[0], "close:1008")) << ::testing::PrintToString(env_case[0].seen);

  const Trace late = execute(Input{"ws-session", {Mutation{"late-replay", 2, "", 0}}}, **oracle, env);
  ASSERT_EQ(late.size(), 9u);
  EXPECT_EQ(late[7].step, "env1 (late-replay)");
  EXPECT_TRUE(has(late[7], "close:1008")) << ::testing::PrintToString(late[7].seen);
}

}  // namespace
}  // namespace pnc::conf::campaign
