// End to end: pnc-conformance against the bundled reference peers must be 100% PASS/SKIPPED in
// every profile, and each mutant peer (`--mutant NAME`) must FAIL exactly the cases that name
// its fault and nothing else.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/run_command.hpp"
#include "report/report.hpp"

#ifdef PNC_REF_CHALLENGE

namespace pnc::conf {
namespace {

std::string challenge_cmd(const std::string& mutant) {
  return std::string(PNC_REF_CHALLENGE) +
         " --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx mock --admin --handshake-deadline-ms {deadline_ms}"
         " --session {signer_token}:{signer_public_b64} --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64}"
         " --proxy-session {proxy_token} --miner-token-issuer {issuer_public_b64} --miner-token-iss {issuer} --challenge-id {audience}"
         " --mutant " + mutant;
}

std::string validator_cmd(const std::string& mutant) {
  return std::string(PNC_REF_VALIDATOR) +
         " --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx mock --handshake-deadline-ms {deadline_ms}"
         " --connect {ws_url} --script db_version,job --reply-timeout-ms 3000 --expected-compose-hash {compose_hash}"
         " --mutant " + mutant;
}

RunReport run(Target target, Profile profile, const std::string& cmd, unsigned jobs = 0, const std::string& sut_file = "") {
  RunSettings s;
  s.sut_file = sut_file;
  s.jobs = jobs;
  s.target = target;
  s.profile = profile;
  s.cmd = cmd;
  s.vectors_dir = PNC_VECTORS_DIR;
  s.requirements_file = PNC_REQUIREMENTS_FILE;
  s.timeout_ms = 2000;
  std::ostringstream ignored;
  auto report = execute_run(s, ignored, false);
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message);
  return report.ok() ? *report : RunReport{};
}

std::set<std::string> failed(const RunReport& r) {
  std::set<std::string> out;
  for (const auto& c : r.cases)
    if (!is_acceptable(c.verdict)) out.insert(c.id);
  return out;
}

std::string describe(const RunReport& r) {
  std::string out;
  for (const auto& c : r.cases)
    if (!is_acceptable(c.verdict)) out += "\n  " + std::string(to_string(c.verdict)) + " " + c.id + ": " + c.observed + " (expected " + c.expected + ")";
  return out;
}

class BundledPeers : public ::testing::TestWithParam<Profile> {};

TEST_P(BundledPeers, ChallengeTargetAllPass) {
  const RunReport r = run(Target::challenge, GetParam(), challenge_cmd("none"));
  EXPECT_GT(r.cases.size(), 150u);
  EXPECT_TRUE(r.acceptable()) << describe(r);
  EXPECT_GT(r.summary().at(Verdict::pass), 100);
  // A full, unfiltered, unwaived run of the reference: the certificate may say CONFORMANT.
  const Headline h = headline(r);
  EXPECT_EQ(h.word, "CONFORMANT") << ::testing::PrintToString(h.reasons);
  EXPECT_EQ(r.provenance.attestation_mode, "mock");
  // The report names the SUT by its program, never by the command line (it carries keys).
  EXPECT_EQ(r.sut_name, "pnc-ref-challenge");
  EXPECT_EQ(r.target.find("--session"), std::string::npos) << r.target;
}

TEST_P(BundledPeers, ValidatorTargetAllPass) {
  const RunReport r = run(Target::validator, GetParam(), validator_cmd("none"));
  EXPECT_GT(r.cases.size(), 40u);
  EXPECT_TRUE(r.acceptable()) << describe(r);
  const Headline h = headline(r);
  EXPECT_EQ(h.word, "CONFORMANT") << ::testing::PrintToString(h.reasons);
}

INSTANTIATE_TEST_SUITE_P(Profiles, BundledPeers,
                         ::testing::ValuesIn(kProfiles),
                         [](const ::testing::TestParamInfo<Profile>& p) {
                           std::string n(to_string(p.param));
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

struct MutantCase {
  std::string mutant;
  Target target;
  std::set<std::string> fails;  // exactly these case ids FAIL (empty: at least one)
  std::string reason;           // ...and each observation names the fault
  bool campaign_only = false;   // no fixed case catches it: nothing FAILs (a campaign must find it)
  Profile profile = Profile::seed_spec;
};

// gtest lists a parameter after its test's name ("# GetParam() = ..."); without this it prints
// the object's raw bytes, heap addresses included, so ctest's test names changed every build.
void PrintTo(const MutantCase& c, std::ostream* os) {
  *os << c.mutant << " (" << to_string(c.target) << ", " << to_string(c.profile) << ")";
}

std::set<std::string> low_order(const std::string& prefix) {
  std::set<std::string> out;
  for (int i = 1; i <= 14; ++i) out.insert(prefix + (i < 10 ? "0" : "") + std::to_string(i));
  return out;
}

class Mutants : public ::testing::TestWithParam<MutantCase> {};

std::string mutant_test_name(const ::testing::TestParamInfo<MutantCase>& p) {
  std::string n = std::string(to_string(p.param.target)) + "_" + p.param.mutant;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
}

TEST_P(Mutants, FailExactlyTheCasesNamingTheFault) {
  const MutantCase& m = GetParam();
  const RunReport r = run(m.target, m.profile,
                          m.target == Target::challenge ? challenge_cmd(m.mutant) : validator_cmd(m.mutant));
  const std::set<std::string> got = failed(r);
  if (m.campaign_only) {
    EXPECT_TRUE(got.empty()) << "a fixed case now catches it: update the catalogue" << describe(r);
  } else if (!m.fails.empty()) {
    EXPECT_EQ(got, m.fails) << describe(r);
  } else {
    EXPECT_FALSE(got.empty()) << "the mutant went unnoticed";
  }
  for (const auto& c : r.cases) {
    if (got.count(c.id)) {
      EXPECT_NE(c.observed.find(m.reason), std::string::npos) << c.id << ": " << c.observed;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Peers, Mutants,
    ::testing::Values(
        MutantCase{"accept-replay", Target::challenge, {"N-ENV-10", "N-ENV-11"}, ""},
        MutantCase{"skip-zero-check", Target::challenge, low_order("N-X-01."), ""},
        MutantCase{"ignore-timestamp", Target::challenge, {"N-SIG-02.past", "N-SIG-02.future"}, "HTTP 200"},
        MutantCase{"accept-http-replay", Target::challenge, {"N-SIG-05", "N-SIG-06"}, "HTTP 200"},
        MutantCase{"accept-alg-none", Target::challenge, {"N-TOK-06.alg-none"}, "HTTP 200"},
        MutantCase{"trust-verified-headers", Target::challenge, {"N-TOK-14"}, "HTTP 200"},
        MutantCase{"no-deadline", Target::challenge, {"N-HS-23.connect", "N-HS-23.after-response"}, "still open"},
        MutantCase{"deadline-early", Target::challenge, {"N-HS-23.connect", "N-HS-23.after-response"}, "before the 500 ms deadline"},
        MutantCase{"accept-binary", Target::challenge, {"N-HS-03.binary", "T-BINARY.encrypted-phase"}, ""},
        // Every case that verifies the challenge's quote fails, and says so.
        MutantCase{"nonce-at-584", Target::challenge, {}, "nonce binding"},
        MutantCase{"accept-replay", Target::validator, {"N-ENV-10.client", "N-ENV-11.client"}, ""},
        MutantCase{"no-deadline", Target::validator, {"N-HS-23.client"}, "still open"},
        MutantCase{"accept-binary", Target::validator, {"T-BINARY.client"}, ""},
        MutantCase{"ignore-timestamp", Target::validator, {"N-SIG-02.validator"}, "HTTP 200"},
        MutantCase{"accept-http-replay", Target::validator, {"N-SIG-05.validator"}, "HTTP 200"}),
    mutant_test_name);

// Every challenge case that needs a working session key (a broken §4 derivation fails them all).
std::set<std::string> encrypted_phase_cases() {
  std::set<std::string> out = {"ENV-OK.extra-members", "ENV-OK.member-order", "ENV-OK.type-only", "FRESH.envelope-nonce", "HS-OK.platform-api",
                               "HS-OK.validator", "N-ENV-03", "N-ENV-04", "N-ENV-06", "N-ENV-07", "N-ENV-08", "N-ENV-09",
                               "N-ENV-10", "N-ENV-11", "N-HS-22"};
  for (const char* suffix : {"dash", "empty", "missing", "mixed-case", "xchacha"}) out.insert(std::string("N-ENV-01.") + suffix);
  for (const char* suffix : {"11", "13", "24"}) out.insert(std::string("N-ENV-02.") + suffix);
  for (const char* suffix : {"appended", "flip", "truncated"}) out.insert(std::string("N-ENV-05.") + suffix);
  for (const char* suffix : {"array", "no-type", "not-json", "type-number"}) out.insert(std::string("N-ENV-12.") + suffix);
  for (const char* suffix : {"ciphertext", "enc", "nonce"}) out.insert(std::string("N-ENV-14.") + suffix);
  return out;
}

// §6.8: every malformed-body case of /sdk/weights (seed-spec).
std::set<std::string> weights_body_cases() {
  std::set<std::string> out;
  for (const char* kind : {"not-json", "empty", "array", "string", "null", "no-jobs", "jobs-object", "jobs-string", "jobs-null",
                           "duplicate-member", "nan", "depth-65", "bad-utf8"})
    out.insert(std::string("N-BODY-01.weights.") + kind);
  return out;
}

// The mutants that are one fault switch each (pnc/testing/faults.hpp), one realistic bug apiece.
INSTANTIATE_TEST_SUITE_P(
    Faults, Mutants,
    ::testing::Values(
        MutantCase{"accept-reflection", Target::challenge, {"N-ENV-11"}, ""},
        MutantCase{"reuse-send-nonce", Target::challenge, {"ENV-OK.type-only", "FRESH.envelope-nonce"}, "replay"},
        MutantCase{"malformed-closes-1008", Target::challenge,
                   {"N-ENV-12.not-json", "N-ENV-12.array", "N-ENV-12.no-type", "N-ENV-12.type-number"}, "1008"},
        MutantCase{"salt-ignored", Target::challenge, encrypted_phase_cases(), ""},
        MutantCase{"swapped-direction-labels", Target::challenge, encrypted_phase_cases(), "", false, Profile::hardened},
        MutantCase{"skip-aead-check", Target::challenge, {"N-HS-20"}, ""},
        MutantCase{"salt-any-length", Target::challenge, {"N-ENC-05.salt-31", "N-ENC-05.salt-33", "N-HS-19.16", "N-HS-19.64"}, ""},
        MutantCase{"ignore-peer-event-log", Target::challenge, {"N-HS-13"}, ""},
        MutantCase{"edit-own-event-log", Target::challenge, {}, "", true},
        MutantCase{"skew-121", Target::challenge, {}, "", true},
        MutantCase{"lenient-timestamp", Target::challenge, {"N-SIG-04.plus", "N-SIG-04.leading-zero"}, "HTTP 200"},
        MutantCase{"skip-nonce-format", Target::challenge, {"N-SIG-21.15", "N-SIG-21.129"}, "HTTP 200"},
        MutantCase{"skip-key-binding", Target::challenge, {"N-SIG-14"}, "HTTP 200"},
        MutantCase{"burn-nonce-early", Target::challenge, {"N-SIG-18"}, "HTTP 401"},
        MutantCase{"token-exp-unchecked", Target::challenge, {"N-TOK-01"}, "HTTP 200"},
        MutantCase{"token-audience-ignored", Target::challenge, {"N-TOK-12.aud", "N-TOK-12.challenge-id"}, "HTTP 200"},
        MutantCase{"token-jti-reusable", Target::challenge, {"N-TOK-13"}, "HTTP 200"},
        MutantCase{"sealed-key-unconverted", Target::challenge,
                   {"CRED-OK", "N-CRED-07.broken-json", "N-CRED-07.dsn-4097", "N-CRED-07.dsn-empty", "N-CRED-07.dsn-nul",
                    "N-CRED-07.dsn-number", "N-CRED-07.no-dsn", "N-CRED-08", "N-CRED-09"}, "credentials decrypt failed"},
        MutantCase{"dsn-echoed", Target::challenge, {"CRED-OK", "N-CRED-09"}, "\"dsn\":"},
        // §6.8: a refused credential request that stored its DSN first; seen through the peer's
        // GET /sdk/admin/dsn_digests.
        MutantCase{"cred-store-early", Target::challenge,
                   {"N-CRED-13.no-challenge-name", "N-CRED-13.challenge-name-empty", "N-CRED-13.version-null",
                    "N-CRED-13.no-version", "N-CRED-13.challenge-name-number", "N-CRED-13.version-17"}, "the DSN was stored"},
        MutantCase{"weights-any-body", Target::challenge, weights_body_cases(), "HTTP 200"},
        MutantCase{"accept-reflection", Target::validator, {"N-ENV-11.client"}, ""},
        MutantCase{"salt-ignored", Target::validator,
                   {"VHS-OK", "N-ENV-04.client", "N-ENV-10.client", "N-ENV-11.client", "N-ENV-12.client", "T-BINARY.client"}, ""},
        MutantCase{"boot-nonce-reusable", Target::validator, {"N-BOOT-01.used"}, "HTTP 200"},
        MutantCase{"results-bad-payload-500", Target::validator,
                   {"N-BODY-03.results-submit.not-json", "N-BODY-03.results-submit.array", "N-BODY-03.results-submit.empty"},
                   "server error"},
        MutantCase{"boot-nonce-no-expiry", Target::validator, {}, "", true},
        MutantCase{"boot-nonce-burned-on-refusal", Target::validator, {"N-BOOT-08.step-1", "N-BOOT-08.step-6", "N-BOOT-08.step-7"},
                   "consumed the nonce"}),
    mutant_test_name);

// The campaign-only mutants (one realistic bug each that no fixed case names, issue 14): no fixed
// case FAILs against them in any profile where a campaign can find them (the switch changes an
// outcome there; all three profiles were checked once with the CLI, conformance/peers/README.md).
std::vector<MutantCase> campaign_only_mutants() {
  constexpr Profile S = Profile::seed_spec, C = Profile::sdk_compat, H = Profile::hardened;
  constexpr Target Ch = Target::challenge, V = Target::validator;
  struct Row {
    std::string name;
    std::vector<std::pair<Target, std::vector<Profile>>> where;
  };
  const std::vector<Row> rows = {
      {"aead-case-insensitive", {{Ch, {S, H}}}},
      {"high-bit-pub-refused", {{Ch, {S, H}}}},
      {"enc-prefix-compare", {{Ch, {S, C, H}}, {V, {S, C, H}}}},
      {"envelope-duplicate-member", {{Ch, {S, H}}, {V, {S, H}}}},
      {"replay-cache-4", {{Ch, {S, H}}, {V, {S, H}}}},
      {"sig-nonce-base64-chars", {{Ch, {S, H}}, {V, {S, H}}}},
      {"sig-key-lenient-b64", {{Ch, {S, H}}, {V, {S, H}}}},
      {"token-iat-future", {{Ch, {S, H}}}},
      {"token-lifetime-unchecked", {{Ch, {S, H}}}},
      {"token-duplicate-claim", {{Ch, {S, H}}}},
      {"cred-version-16-refused", {{Ch, {S, H}}}},
      {"cred-dsn-duplicate", {{Ch, {S, H}}}},
      {"mock-sig-63", {{Ch, {S, H}}, {V, {S, H}}}},
      {"rtmr3-47", {{Ch, {S, H}}, {V, {S, H}}}},
      {"env-mode-case-insensitive", {{Ch, {S}}, {V, {S, C}}}},
      {"boot-reportdata-31", {{V, {S, C, H}}}},
      {"boot-x25519-pub-cut", {{V, {S, C, H}}}},
  };
  std::vector<MutantCase> out;
  for (const auto& row : rows)
    for (const auto& [target, profiles] : row.where)
      for (Profile p : profiles) out.push_back(MutantCase{row.name, target, {}, "", true, p});
  return out;
}

INSTANTIATE_TEST_SUITE_P(CampaignOnly, Mutants, ::testing::ValuesIn(campaign_only_mutants()),
                         [](const ::testing::TestParamInfo<MutantCase>& p) {
                           std::string n = mutant_test_name(p) + "_" + std::string(to_string(p.param.profile));
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// The in-tree stand-in for a foreign SDK (issue 12): the bundled challenge shaped like the upstream
// SDK where PROTOCOL.md §11 documents it (`--tdx upstream-mock`: its 1024-byte fallback quote,
// replay accepted, sdk-compat leniencies).
std::string upstream_shaped_cmd() {
  std::string cmd = challenge_cmd("none");
  auto replace = [&cmd](const std::string& from, const std::string& to) {
    const auto at = cmd.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    cmd.replace(at, from.size(), to);
  };
  replace("--tdx mock", "--tdx upstream-mock");
  replace("--profile {profile}", "--profile sdk-compat");
  return cmd;
}

const CaseReport* find_case(const RunReport& r, const std::string& id) {
  for (const auto& c : r.cases)
    if (c.id == id) return &c;
  return nullptr;
}

// A strict run judges the upstream-style quote once (HS-QUOTE, named by its shape) and still tests
// the envelope layer behind it: the replay the SDK accepts is N-ENV-10's FAIL, for the replay.
TEST(UpstreamShapedPeer, StrictRunJudgesTheQuoteOnlyInTheQuoteCase) {
  // Most strict expectations meet a silent SUT here, each waiting out the timeout: 16 at once.
  const RunReport report = run(Target::challenge, Profile::seed_spec, upstream_shaped_cmd(), 16);
  ASSERT_FALSE(report.cases.empty());

  const CaseReport* quote = find_case(report, "HS-QUOTE");
  ASSERT_NE(quote, nullptr);
  EXPECT_EQ(quote->verdict, Verdict::fail);
  EXPECT_NE(quote->observed.find("upstream-style mock quote"), std::string::npos) << quote->observed;

  const CaseReport* replay = find_case(report, "N-ENV-10");
  ASSERT_NE(replay, nullptr);
  EXPECT_EQ(replay->verdict, Verdict::fail);
  EXPECT_NE(replay->observed.find("encrypted envelope"), std::string::npos) << replay->observed;

  int envelope_or_key_cases = 0;
  for (const auto& c : report.cases) {
    const bool envelope_or_key = c.id.rfind("N-ENV-", 0) == 0 || c.id.rfind("ENV-OK", 0) == 0 ||
                                 c.id.rfind("N-X-", 0) == 0 || c.id.rfind("N-ENC-", 0) == 0;
    if (!envelope_or_key) continue;
    ++envelope_or_key_cases;
    EXPECT_NE(c.verdict, Verdict::blocked) << c.id << ": " << c.observed;
    EXPECT_EQ(c.observed.find("quote"), std::string::npos) << c.id << " reports the quote: " << c.observed;
  }
  EXPECT_GT(envelope_or_key_cases, 30);
}

TEST(UpstreamShapedPeer, SdkCompatRunPasses) {
  const RunReport r = run(Target::challenge, Profile::sdk_compat, upstream_shaped_cmd());
  EXPECT_FALSE(r.cases.empty());
  EXPECT_TRUE(failed(r).empty()) << describe(r);
}

// Signed-mock peers (prod checks against the mock PKI): the runner can re-sign an edited quote,
// so N-Q-11 sends one of a debuggable TD. The reference passes every case; the accept-debug-td
// mutant fails exactly N-Q-11 of its target.
RunReport signed_mock_run(Target target, const std::string& mutant) {
  const std::string sut_file = ::testing::TempDir() + "signed-mock-" + std::string(to_string(target)) + ".json";
  std::ofstream(sut_file) << R"({"name": "signed-mock peer", "attestation_mode": "signed-mock", "env_mode": "prod"})";
  std::string cmd = target == Target::challenge ? challenge_cmd(mutant) : validator_cmd(mutant);
  cmd.replace(cmd.find("--tdx mock"), 10, "--tdx signed-mock");
  RunReport r = run(target, Profile::seed_spec, cmd, 0, sut_file);
  std::remove(sut_file.c_str());
  return r;
}

class SignedMockPeers : public ::testing::TestWithParam<Target> {};

TEST_P(SignedMockPeers, ReferencePassesAndDebugTdIsRefused) {
  const RunReport r = signed_mock_run(GetParam(), "none");
  EXPECT_TRUE(r.acceptable()) << describe(r);
  EXPECT_EQ(r.provenance.attestation_mode, "signed-mock");
  const std::string debug_case = GetParam() == Target::challenge ? "N-Q-11.ws" : "N-Q-11.client";
  const CaseReport* c = find_case(r, debug_case);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->verdict, Verdict::pass) << c->observed;
}

TEST_P(SignedMockPeers, AcceptDebugTdMutantFailsExactlyTheDebugCase) {
  const RunReport r = signed_mock_run(GetParam(), "accept-debug-td");
  const std::string debug_case = GetParam() == Target::challenge ? "N-Q-11.ws" : "N-Q-11.client";
  EXPECT_EQ(failed(r), std::set<std::string>{debug_case}) << describe(r);
}

INSTANTIATE_TEST_SUITE_P(Targets, SignedMockPeers, ::testing::Values(Target::challenge, Target::validator),
                         [](const ::testing::TestParamInfo<Target>& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace pnc::conf

#endif  // PNC_REF_CHALLENGE
