// One subject per case (DEC-50..DEC-53): a failed precondition is BLOCKED, never the subject's
// FAIL; the SUT's quote is judged only by the quote cases; 5xx is always a server error; the
// false positives of D-37 and of the header checks under SDK_DEV_MODE are gone; quotes are
// described by their shape; cases run concurrently in catalogue order.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "app/run_command.hpp"
#include "cases/catalogue.hpp"
#include "cases/challenge_session.hpp"
#include "cases/quote_shape.hpp"
#include "core/engine.hpp"
#include "report/report.hpp"
#include "pnc/crypto.hpp"
#include "pnc/net/server.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf {
namespace {

using std::chrono::milliseconds;

// ---- quote shapes (expected words from PROTOCOL.md §9.2 / §9.6)

TEST(QuoteShape, UpstreamSdkMockIsNamed) {
  // §9.6: 1024 CSPRNG bytes, SHA256(N) written at 568, 576 and 584 (overlapping: complete only at 584).
  DeterministicRng rng(7);
  Bytes q = rng.bytes(1024);
  q[0] = 0x21;
  q[1] = 0x4f;  // version field 0x4f21
  const Bytes nonce(32, 0xab);
  const auto d = crypto::sha256(nonce);
  for (std::size_t o : {568u, 576u, 584u}) std::copy(d.begin(), d.end(), q.begin() + static_cast<std::ptrdiff_t>(o));
  const std::string s = describe_quote_shape(q, nonce);
  EXPECT_NE(s.find("1024 bytes"), std::string::npos) << s;
  EXPECT_NE(s.find("not a TDX v4/v5 quote (version field 0x4f21)"), std::string::npos) << s;
  EXPECT_NE(s.find("complete only at offset 584: an upstream-style mock quote"), std::string::npos) << s;
  EXPECT_NE(s.find("D-03"), std::string::npos) << s;
}

TEST(QuoteShape, PythonTestMockAndMissingDigest) {
  const Bytes zeros(1024, '0');
  EXPECT_NE(describe_quote_shape(zeros, Bytes(32, 1)).find("upstream Python test mock"), std::string::npos);
  Bytes v4(1276, 0);
  v4[0] = 4;
  const std::string s = describe_quote_shape(v4, Bytes(32, 1));
  EXPECT_NE(s.find("a TDX v4 quote"), std::string::npos) << s;
  EXPECT_NE(s.find("SHA256(N) is nowhere"), std::string::npos) << s;
  EXPECT_NE(describe_quote_shape(Bytes(1, 4), Bytes(32, 1)).find("too short"), std::string::npos);
}

// ---- engine: BLOCKED and the exit status, concurrency

Case scripted(std::string id, Outcome o, milliseconds sleep = milliseconds(0)) {
  Case c;
  c.id = std::move(id);
  c.title = c.id;
  c.mechanism = Mechanism::handshake;
  c.run = [o, sleep](Context&) {
    std::this_thread::sleep_for(sleep);
    return o;
  };
  return c;
}

TEST(Engine, BlockedIsCountedApartAndExitsThree) {
  SutDescription sut;
  EngineOptions o;
  o.sut = &sut;
  const std::vector<Case> blocked_only = {scripted("a", Outcome::pass("ok")), scripted("b", Outcome::blocked("no handshake"))};
  const RunReport r = run_cases(blocked_only, o);
  EXPECT_EQ(r.summary().at(Verdict::blocked), 1);
  EXPECT_EQ(r.summary().at(Verdict::fail), 0);
  EXPECT_EQ(r.cases[1].observed, "precondition failed: no handshake");
  EXPECT_FALSE(r.acceptable());  // BLOCKED is not PASS
  EXPECT_EQ(r.exit_status(), 3);
  EXPECT_EQ(result_word(r), "INCOMPLETE");
  const std::vector<Case> with_fail = {scripted("a", Outcome::fail("bad")), scripted("b", Outcome::blocked("x"))};
  EXPECT_EQ(run_cases(with_fail, o).exit_status(), 1);
}

TEST(Engine, ConcurrentWaitsOverlapAndOrderIsKept) {
  SutDescription sut;
  std::vector<Case> cases;
  for (int i = 0; i < 8; ++i) cases.push_back(scripted("c" + std::to_string(i), Outcome::pass("ok"), milliseconds(300)));
  cases[3].exclusive = true;
  EngineOptions o;
  o.sut = &sut;
  o.jobs = 8;
  const RunReport r = run_cases(cases, o);
  ASSERT_EQ(r.cases.size(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(r.cases[static_cast<std::size_t>(i)].id, "c" + std::to_string(i));
  // Seven shared cases in one 300 ms wave, then the exclusive one: about 600 ms, not 2400.
  EXPECT_LT(r.duration_ms, 1500);
  EXPECT_GE(r.duration_ms, 600);
}

TEST(ConsoleReport, SkippedCasesAreGroupedByTheMissingDescriptionMember) {
  RunReport r;
  for (const char* id : {"SIG-OK", "N-SIG-05"}) {
    CaseReport c;
    c.id = id;
    c.verdict = Verdict::skipped;
    c.observed = need_reason(Need::signer);
    r.cases.push_back(c);
  }
  CaseReport other;
  other.id = "N-HS-07.absent";
  other.verdict = Verdict::skipped;
  other.observed = "not in profile sdk-compat";
  r.cases.push_back(other);
  std::ostringstream out;
  write_console_report(out, r, false);
  EXPECT_NE(out.str().find("trusted_signer: 2 case(s): SIG-OK N-SIG-05"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("would enable:\n  not in profile"), std::string::npos) << out.str();  // a profile skip is no hint
}

// The challenge catalogue (filtered) against a SUT at 127.0.0.1:port described by `sut`.
RunReport run_challenge(std::uint16_t port, const SutDescription& sut, const std::string& filter, Profile profile = Profile::seed_spec) {
  ChallengeSession session("127.0.0.1", port, sut);
  EngineOptions o;
  o.profile = profile;
  o.filter = filter;
  o.sut = &session.sut();
  o.session = &session;
  o.timeout = milliseconds(1000);
  static const std::vector<Case> cases = challenge_cases();
  return run_cases(cases, o);
}

// ---- SUT description: no deadline

TEST(SutDescription, NullDeadlineMeansNoneAndN_HS_23FailsAtOnce) {
  auto sut = parse_sut_description(R"({"handshake_deadline_ms": null})");
  ASSERT_TRUE(sut.ok());
  EXPECT_FALSE(sut->handshake_deadline_ms.has_value());
  EXPECT_FALSE(parse_sut_description(R"({"handshake_deadline_ms": 0})").ok());
  // Nothing listens on port 1: the verdict must come from the description, without a wait.
  const RunReport r = run_challenge(1, *sut, "N-HS-23.*");
  ASSERT_EQ(r.cases.size(), 2u);
  for (const auto& c : r.cases) {
    EXPECT_EQ(c.verdict, Verdict::fail) << c.id;
    EXPECT_NE(c.observed.find("declares no handshake deadline"), std::string::npos) << c.observed;
    EXPECT_NE(c.expected.find("30000 ms"), std::string::npos) << c.expected;
  }
  EXPECT_LT(r.duration_ms, 1000);
}

// ---- HTTP: 5xx is a server error, D-37 may 404

std::unique_ptr<net::Server> http_server(int status_for_sdk) {
  net::ServerOptions o;
  o.http = [status_for_sdk](const net::HttpRequest& req) {
    if (req.path() == "/sdk/health") return net::json_response(200, R"({"status":"ok"})");
    return net::json_response(status_for_sdk, R"({"detail":"Internal Server Error: boom"})");
  };
  auto s = net::Server::start(o);
  EXPECT_TRUE(s.ok());
  return std::move(*s);
}

RunReport run_http(std::uint16_t port, const std::string& filter, Profile profile = Profile::seed_spec) {
  SutDescription sut;
  SystemRng rng;
  sut.signer = TrustedSigner{"s", rng.bytes(32)};
  return run_challenge(port, sut, filter, profile);
}

TEST(ServerError, Any5xxFailsInEveryProfileNamingTheRoute) {
  auto s = http_server(500);
  for (Profile p : kProfiles) {
    const RunReport r = run_http(s->port(), "SIG-OK,N-SIG-08,N-SIG-01.Nonce", p);
    ASSERT_EQ(r.cases.size(), 3u);
    for (const auto& c : r.cases) {
      EXPECT_EQ(c.verdict, Verdict::fail) << c.id;
      EXPECT_NE(c.observed.find("server error: POST /sdk/weights answered HTTP 500"), std::string::npos) << c.observed;
      EXPECT_NE(c.observed.find("boom"), std::string::npos) << c.observed;
    }
  }
}

TEST(ServerError, ReplayCaseWhoseFirstRequestIsRefusedIsBlocked) {
  auto s = http_server(401);
  const RunReport r = run_http(s->port(), "N-SIG-05,N-SIG-06");
  ASSERT_EQ(r.cases.size(), 2u);
  for (const auto& c : r.cases) EXPECT_EQ(c.verdict, Verdict::blocked) << c.id << ": " << c.observed;
}

// Without a SUT description (no trusted signer): a SUT accepting a stranger's signature
// verifies nothing in the strict profiles; sdk-compat only checks header presence (§6.4).
TEST(WithoutSutFile, StrangerSignatureMustBeRefusedInStrictProfiles) {
  auto accepting = http_server(200);
  SutDescription none;
  for (Profile p : kProfiles) {
    const RunReport r = run_challenge(accepting->port(), none, "N-SIG-UNTRUSTED", p);
    ASSERT_EQ(r.cases.size(), 1u);
    EXPECT_EQ(r.cases[0].verdict, is_strict(p) ? Verdict::fail : Verdict::pass) << r.cases[0].observed;
  }
}

TEST(FalsePositives, D37AcceptsA404AfterIdentityAndRefusesA401) {
  auto missing = http_server(404);
  RunReport r = run_http(missing->port(), "D-37");
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].verdict, Verdict::pass) << r.cases[0].observed;
  auto refusing = http_server(401);
  r = run_http(refusing->port(), "D-37");
  EXPECT_EQ(r.cases[0].verdict, Verdict::fail) << r.cases[0].observed;
}

#ifdef PNC_REF_CHALLENGE

std::string challenge_cmd(const std::string& extra) {
  return std::string(PNC_REF_CHALLENGE) +
         " --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx mock --admin --handshake-deadline-ms {deadline_ms}"
         " --session {signer_token}:{signer_public_b64} --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64}"
         " --proxy-session {proxy_token} --miner-token-issuer {issuer_public_b64} --miner-token-iss {issuer} --challenge-id {audience} " +
         extra;
}

RunReport run_peer(Profile profile, const std::string& extra, const std::string& sut_json = {}, const std::string& filter = "*") {
  RunSettings s;
  s.target = Target::challenge;
  s.profile = profile;
  s.cmd = challenge_cmd(extra);
  s.filter = filter;
  s.vectors_dir = PNC_VECTORS_DIR;
  s.timeout_ms = 2000;
  std::string path;
  if (!sut_json.empty()) {
    path = ::testing::TempDir() + "/one_subject_sut.json";
    std::ofstream(path) << sut_json;
    s.sut_file = path;
  }
  std::ostringstream ignored;
  auto report = execute_run(s, ignored, false);
  if (!path.empty()) std::remove(path.c_str());
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message);
  return report.ok() ? *report : RunReport{};
}

// A peer whose own quote is bad (SHA256(N) at 584): only the quote cases fail, and they say
// what the quote is; every envelope / attestation_ok case tests its own subject and passes.
TEST(OneSubject, BadQuoteFailsOnlyTheQuoteCases) {
  const RunReport r = run_peer(Profile::seed_spec, "--mutant nonce-at-584");
  std::set<std::string> failed;
  for (const auto& c : r.cases)
    if (!c.acceptable()) failed.insert(c.id);
  EXPECT_EQ(failed, (std::set<std::string>{"HS-OK.validator", "HS-QUOTE"}));
  for (const auto& c : r.cases) {
    if (failed.count(c.id)) {
      EXPECT_NE(c.observed.find("SHA256(N) complete only at offset 584"), std::string::npos) << c.observed;
    } else if (c.mechanism == "envelope") {
      EXPECT_EQ(c.verdict, Verdict::pass) << c.id << ": " << c.observed;
      EXPECT_EQ(c.observed.find("quote"), std::string::npos) << c.id << ": " << c.observed;
    }
  }
}

// §6.4 / D-14: with SDK_DEV_MODE=true the SDK does not even check that the headers are present.
TEST(FalsePositives, HeaderChecksUnderSdkDevModeInSdkCompat) {
  const RunReport r = run_peer(Profile::sdk_compat, "--sdk-dev-mode", R"({"sdk_dev_mode": true})", "N-SIG-01.*,N-SIG-04.empty");
  ASSERT_EQ(r.cases.size(), 6u);
  for (const auto& c : r.cases) {
    EXPECT_EQ(c.verdict, Verdict::pass) << c.id << ": " << c.observed << " / " << c.expected;
    EXPECT_NE(c.observed.find("HTTP 200"), std::string::npos) << c.observed;
  }
  // Without dev mode the same cases still require the 401.
  const RunReport strict = run_peer(Profile::sdk_compat, "", {}, "N-SIG-01.*,N-SIG-04.empty");
  for (const auto& c : strict.cases) EXPECT_NE(c.observed.find("HTTP 401"), std::string::npos) << c.id << ": " << c.observed;
}

#endif  // PNC_REF_CHALLENGE

}  // namespace
}  // namespace pnc::conf
