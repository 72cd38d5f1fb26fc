// §9.5 event log / RTMR replay, §3.8 ExtractEnvMode, §9.5 compose-hash check, rtmrs JSON.
#include <gtest/gtest.h>

#include <random>

#include "pnc/attestation.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;
using pnc::test::gs;
using pnc::test::golden;
using nlohmann::json;

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }

// V1 digest computed with OpenSSL: SHA384(LE32(0x08000001) || ":" || name || ":" || payload).
Bytes oracle_v1_digest(std::string_view name, ByteView payload) {
  Bytes msg = {0x01, 0x00, 0x00, 0x08, ':'};
  msg.insert(msg.end(), name.begin(), name.end());
  msg.push_back(':');
  msg.insert(msg.end(), payload.begin(), payload.end());
  return ossl_sha384(msg);
}

// A dstack array log of runtime events, written by the test (member order irrelevant).
std::string oracle_log(const std::vector<std::pair<std::string, Bytes>>& events) {
  json log = json::array();
  for (const auto& [name, payload] : events)
    log.push_back({{"imr", 3}, {"event_type", 134217729}, {"digest", test::to_hex(oracle_v1_digest(name, payload))},
                   {"event", name}, {"event_payload", test::to_hex(payload)}});
  return log.dump();
}

TEST(TdxEventLogV8, ParsesTheGoldenLog) {
  auto r = parse_event_log(gs("V8", "event_log"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  const char* names[] = {"app-id", "compose-hash", "instance-id", "environment-mode"};
  const Bytes payloads[] = {Bytes(20, 0x11), ossl_sha256("mock-compose"), Bytes(20, 0x22), to_bytes("dev")};
  const json raw = json::parse(gs("V8", "event_log"));
  for (std::size_t i = 0; i < 4; ++i) {
    const Event& e = (*r)[i];
    EXPECT_EQ(e.imr, 3u);
    EXPECT_EQ(e.event_type, 134217729u);
    EXPECT_EQ(e.event, names[i]);
    EXPECT_EQ(e.payload, payloads[i]);
    EXPECT_EQ(B(e.digest), test::hex(raw[i]["digest"].get<std::string>()));
    // The golden digests are the V1 digests of §9.5 (OpenSSL oracle) ...
    EXPECT_EQ(B(e.digest), oracle_v1_digest(names[i], payloads[i]));
    // ... and so is the library's.
    EXPECT_EQ(B(runtime_event_digest(names[i], payloads[i])), oracle_v1_digest(names[i], payloads[i]));
  }
  EXPECT_TRUE(runtime_digests_consistent(*r));
}

TEST(TdxEventLogV8, ReplayGivesGoldenRtmr3AndTextRoundTrips) {
  auto r = parse_event_log(gs("V8", "event_log"));
  ASSERT_TRUE(r);
  const auto mr = replay_rtmrs(*r);
  EXPECT_EQ(B(mr[3]), test::hex(golden()["V8"]["rtmrs"]["rtmr3"].get<std::string>()));
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(B(mr[i]), Bytes(48, 0)) << "no events for imr " << i;
  EXPECT_EQ(event_log_json(*r), gs("V8", "event_log"));  // exact compact V8 form
}

// P-RTMR: replay equals iterated SHA-384 extension (OpenSSL); order matters.
TEST(TdxEventLogReplay, RandomLogsMatchIteratedSha384AndOrderMatters) {
  std::mt19937 gen(99);
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<Event> events(2 + gen() % 8);
    std::array<Bytes, 4> expect;
    expect.fill(Bytes(48, 0));
    for (auto& e : events) {
      e.imr = gen() % 4;
      for (auto& b : e.digest) b = static_cast<std::uint8_t>(gen());
      expect[e.imr] = ossl_extend(expect[e.imr], e.digest);
    }
    const auto mr = replay_rtmrs(events);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(B(mr[i]), expect[i]);
    // Swapping two events of the same imr with different digests changes the result.
    events[1].imr = events[0].imr;
    const auto before = replay_rtmrs(events)[events[0].imr];
    std::swap(events[0], events[1]);
    EXPECT_NE(replay_rtmrs(events)[events[0].imr], before);
  }
  EXPECT_EQ(B(rtmr_extend(Measurement{}, Bytes(48, 7))), ossl_extend(Bytes(48, 0), Bytes(48, 7)));
}

TEST(TdxEventLogParse, RejectsMalformedLogsWithNamedCodes) {
  const std::string good = R"({"imr":3,"event_type":134217729,"digest":")" + std::string(96, 'a') +
                           R"(","event":"x","event_payload":"00"})";
  EXPECT_TRUE(parse_event_log("[" + good + "]"));
  EXPECT_TRUE(parse_event_log("[]"));
  struct Case { std::string text; const char* code; };
  const Case cases[] = {
      {"", kLogSyntax},
      {"[", kLogSyntax},
      {"[NaN]", kLogSyntax},
      {"{}", kLogNotArray},
      {"\"x\"", kLogNotArray},
      {"[1]", kLogBadEvent},
      {"[{}]", kLogBadEvent},
      {R"([{"imr":4,"event_type":1,"digest":")" + std::string(96, 'a') + R"(","event":"x","event_payload":""}])", kLogBadEvent},
      {R"([{"imr":-1,"event_type":1,"digest":")" + std::string(96, 'a') + R"(","event":"x","event_payload":""}])", kLogBadEvent},
      {R"([{"imr":3,"event_type":4294967296,"digest":")" + std::string(96, 'a') + R"(","event":"x","event_payload":""}])", kLogBadEvent},
      {R"([{"imr":3.0,"event_type":1,"digest":")" + std::string(96, 'a') + R"(","event":"x","event_payload":""}])", kLogBadEvent},
      {R"([{"imr":3,"event_type":1,"digest":")" + std::string(94, 'a') + R"(","event":"x","event_payload":""}])", kLogBadEvent},
      {R"([{"imr":3,"event_type":1,"digest":")" + std::string(96, 'g') + R"(","event":"x","event_payload":""}])", kLogBadEvent},
      {R"([{"imr":3,"event_type":1,"digest":")" + std::string(96, 'a') + R"(","event":"x","event_payload":"abc"}])", kLogBadEvent},
      {R"([{"imr":3,"event_type":1,"digest":")" + std::string(96, 'a') + R"(","event":7,"event_payload":""}])", kLogBadEvent},
      {R"([{"imr":3,"event_type":1,"digest":")" + std::string(96, 'a') + R"(","event":"x"}])", kLogBadEvent},
      {"[" + good + "," + good + "]x", kLogSyntax},
      {std::string(65, '[') + std::string(65, ']'), kLogSyntax},  // nesting deeper than 64
      {std::string(kMaxEventLogBytes + 1, ' '), kLogTooLarge},
  };
  for (const auto& c : cases) {
    auto r = parse_event_log(c.text);
    ASSERT_FALSE(r) << c.text.substr(0, 80);
    EXPECT_EQ(r.error().code, c.code) << c.text.substr(0, 80);
  }
}

TEST(TdxEventLogDigests, InconsistentRuntimeDigestIsDetected) {
  auto r = parse_event_log(gs("V8", "event_log"));
  ASSERT_TRUE(r);
  auto events = *r;
  events[2].payload.push_back(0x00);
  EXPECT_FALSE(runtime_digests_consistent(events));
  events = *r;
  events[0].digest[0] ^= 1;
  EXPECT_FALSE(runtime_digests_consistent(events));
  events = *r;
  events[0].event_type = 1;  // not a runtime event: its digest is not a V1 digest
  events[0].digest[0] ^= 1;
  EXPECT_TRUE(runtime_digests_consistent(events));
}

// §3.8, object shape.
TEST(TdxEnvMode, ObjectShape) {
  for (Profile p : pnc::kProfiles) {
    EXPECT_EQ(extract_env_mode(R"({"environment_mode":"dev"})", p), "dev");
    EXPECT_EQ(extract_env_mode(R"({"environment_mode":"prod","dev_mode":true})", p), "prod");
    EXPECT_EQ(extract_env_mode(R"({"dev_mode":true})", p), "dev");
    EXPECT_EQ(extract_env_mode(R"({"environment_mode":"","dev_mode":true})", p), "dev");
    EXPECT_EQ(extract_env_mode(R"({"dev_mode":false})", p), std::nullopt);
    EXPECT_EQ(extract_env_mode(R"({"dev_mode":0})", p), std::nullopt);
    EXPECT_EQ(extract_env_mode(R"({"dev_mode":1})", p), "dev");
    EXPECT_EQ(extract_env_mode(R"({})", p), std::nullopt);
    EXPECT_EQ(extract_env_mode(R"({"environment_mode":null})", p), std::nullopt);
    EXPECT_EQ(extract_env_mode(R"({"original":"not json","environment_mode":"prod"})", p), "prod");
  }
  // A truthy non-string environment_mode: ignored by seed-spec, a (never matching) value in compat.
  EXPECT_EQ(extract_env_mode(R"({"environment_mode":true})", Profile::seed_spec), std::nullopt);
  EXPECT_EQ(extract_env_mode(R"({"environment_mode":true,"dev_mode":true})", Profile::seed_spec), "dev");
  auto compat = extract_env_mode(R"({"environment_mode":1})", Profile::sdk_compat);
  ASSERT_TRUE(compat);
  EXPECT_NE(*compat, "dev");
  EXPECT_NE(*compat, "prod");
  // Duplicate members: seed rejects the JSON (undefined), compat takes the last one.
  EXPECT_EQ(extract_env_mode(R"({"environment_mode":"dev","environment_mode":"prod"})", Profile::seed_spec), std::nullopt);
  EXPECT_EQ(extract_env_mode(R"({"environment_mode":"dev","environment_mode":"prod"})", Profile::sdk_compat), "prod");
}

// §3.8, array (dstack) shape: last runtime environment-mode event in seed; undefined in compat.
TEST(TdxEnvMode, ArrayShape) {
  EXPECT_EQ(extract_env_mode(gs("V8", "event_log"), Profile::seed_spec), "dev");
  EXPECT_EQ(extract_env_mode(gs("V8", "event_log"), Profile::hardened), "dev");
  EXPECT_EQ(extract_env_mode(gs("V8", "event_log"), Profile::sdk_compat), std::nullopt);
  const std::string two = oracle_log({{"environment-mode", to_bytes("dev")}, {"app-id", Bytes(3, 1)},
                                      {"environment-mode", to_bytes("prod")}});
  EXPECT_EQ(extract_env_mode(two, Profile::seed_spec), "prod");
  EXPECT_EQ(extract_env_mode(oracle_log({{"app-id", Bytes(3, 1)}}), Profile::seed_spec), std::nullopt);
  EXPECT_EQ(extract_env_mode("[]", Profile::seed_spec), std::nullopt);
  // Not a runtime event (wrong type / imr): not an environment carrier.
  json log = json::parse(oracle_log({{"environment-mode", to_bytes("prod")}}));
  log[0]["event_type"] = 1;
  EXPECT_EQ(extract_env_mode(log.dump(), Profile::seed_spec), std::nullopt);
  log[0]["event_type"] = 134217729;
  log[0]["imr"] = 2;
  EXPECT_EQ(extract_env_mode(log.dump(), Profile::seed_spec), std::nullopt);
  // A malformed dstack log is unparseable ⇒ undefined.
  EXPECT_EQ(extract_env_mode(R"([{"event":"environment-mode","event_payload":"646576"}])", Profile::seed_spec),
            std::nullopt);
}

TEST(TdxEnvMode, UnparseableIsUndefinedAndExtractionIsTotal) {
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    for (const char* text : {"", "not json", "{", "[", "\"dev\"", "42", "null", "\xc3\x28", "{\"a\":NaN}"})
      EXPECT_EQ(extract_env_mode(text, p), std::nullopt) << text;
  }
  std::mt19937 gen(5);
  const std::string alphabet = "{}[]\":,0123456789truefalsnl environment_mode dev_mode \\u00ff\x80";
  for (int i = 0; i < 5000; ++i) {
    std::string s(gen() % 64, ' ');
    for (auto& c : s) c = alphabet[gen() % alphabet.size()];
    (void)extract_env_mode(s, Profile::seed_spec);
    (void)extract_env_mode(s, Profile::sdk_compat);
    (void)parse_event_log(s);
    (void)check_compose_hash(s, "x");
  }
  SUCCEED();
}

// §9.5 compose-hash check and N-HS-27.
TEST(TdxComposeHash, FirstComposeHashEventMustMatchExactly) {
  const std::string expected = test::to_hex(ossl_sha256("mock-compose"));
  EXPECT_TRUE(check_compose_hash(gs("V8", "event_log"), expected));
  auto fail_code = [](const std::optional<std::string>& log, std::string_view exp) {
    auto s = check_compose_hash(log, exp);
    return s ? std::string("ok") : s.error().code;
  };
  std::string upper = expected;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(fail_code(gs("V8", "event_log"), upper), attest_errc::kComposeHash);  // case-sensitive
  EXPECT_EQ(fail_code(gs("V8", "event_log"), std::string(64, '0')), attest_errc::kComposeHash);
  EXPECT_EQ(fail_code(std::nullopt, expected), attest_errc::kComposeHash);
  EXPECT_EQ(fail_code(R"({"compose-hash":")" + expected + "\"}", expected), attest_errc::kComposeHash);
  EXPECT_EQ(fail_code(oracle_log({{"app-id", Bytes(2, 0)}}), expected), attest_errc::kComposeHash);
  EXPECT_EQ(fail_code("not json", expected), attest_errc::kComposeHash);
  // Only the first compose-hash event counts (VAL).
  const Bytes a = ossl_sha256("a"), b = ossl_sha256("b");
  const std::string two = oracle_log({{"compose-hash", a}, {"compose-hash", b}});
  EXPECT_EQ(fail_code(two, test::to_hex(a)), "ok");
  EXPECT_EQ(fail_code(two, test::to_hex(b)), attest_errc::kComposeHash);
  // VAL reads plain arrays of objects, not only well-formed dstack events.
  EXPECT_EQ(fail_code(R"([1,{"event":"compose-hash","event_payload":"abc"}])", "abc"), "ok");
  EXPECT_EQ(fail_code(R"([{"event":"compose-hash","event_payload":5}])", "5"), attest_errc::kComposeHash);
}

TEST(TdxRtmrsJson, BuilderMatchesGoldenAndValidatorIsExact) {
  std::array<Measurement, 4> mr{};
  for (std::size_t i = 0; i < 4; ++i) {
    const Bytes v = test::hex(golden()["V8"]["rtmrs"]["rtmr" + std::to_string(i)].get<std::string>());
    std::copy(v.begin(), v.end(), mr[i].begin());
  }
  EXPECT_EQ(rtmrs_json(mr), golden()["V8"]["rtmrs"]);
  auto back = parse_rtmrs_json(golden()["V8"]["rtmrs"]);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, mr);

  const json good = golden()["V8"]["rtmrs"];
  std::vector<json> bad;
  { json j = good; j.erase("rtmr2"); bad.push_back(j); }
  { json j = good; j["rtmr4"] = good["rtmr0"]; bad.push_back(j); }
  { json j = good; j.erase("rtmr3"); j["rtmrX"] = good["rtmr0"]; bad.push_back(j); }
  { json j = good; std::string s = j["rtmr1"]; s[0] = 'A'; j["rtmr1"] = s; bad.push_back(j); }  // uppercase
  { json j = good; std::string s = j["rtmr1"]; s.pop_back(); j["rtmr1"] = s; bad.push_back(j); }
  { json j = good; j["rtmr0"] = nullptr; bad.push_back(j); }
  { json j = good; j["rtmr0"] = std::string(96, 'g'); bad.push_back(j); }
  bad.push_back(json::array({good["rtmr0"], good["rtmr1"], good["rtmr2"], good["rtmr3"]}));  // VAL shape
  bad.push_back(json::object());
  bad.push_back(nullptr);
  for (const auto& j : bad) {
    auto r = parse_rtmrs_json(j);
    ASSERT_FALSE(r) << j.dump();
    EXPECT_EQ(r.error().code, kRtmrsShape) << j.dump();
  }
}

TEST(TdxRtmrsJson, ChecksAgainstTheQuote) {
  auto q = parse_quote(v8_quote());
  ASSERT_TRUE(q);
  EXPECT_TRUE(check_rtmrs(golden()["V8"]["rtmrs"], *q));
  for (int i = 0; i < 4; ++i) {
    json j = golden()["V8"]["rtmrs"];
    const std::string key = "rtmr" + std::to_string(i);
    std::string s = j[key];
    s[10] = s[10] == '0' ? '1' : '0';
    j[key] = s;
    auto st = check_rtmrs(j, *q);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, attest_errc::kRtmrMismatch) << key;
  }
  auto events = parse_event_log(gs("V8", "event_log"));
  ASSERT_TRUE(events);
  EXPECT_TRUE(check_rtmr3_replay(*events, *q));
  (*events)[1].digest[5] ^= 0x40;
  auto st = check_rtmr3_replay(*events, *q);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, attest_errc::kRtmrMismatch);
}

}  // namespace
}  // namespace pnc::tdx
