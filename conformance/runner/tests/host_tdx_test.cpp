// `run --tdx dstack` end to end, as on a dstack CVM: the runner's own quotes come from a guest agent
// on a Unix socket (here a fake agent that answers like the real one, with ECDSA-signed mock
// quotes for the REPORTDATA it is asked), the SUT is a bundled challenge in prod mode checking them
// against the mock PKI root, and the runner checks the SUT's quotes against the --root it is given.
// A failing quote service makes the cases that need the runner's quote BLOCKED, never FAIL.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/run_command.hpp"
#include "fake_dstack_agent.hpp"
#include "pnc/codec.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "report/report.hpp"

#ifdef PNC_REF_CHALLENGE

namespace pnc::conf {
namespace {

using providers::testing::FakeDstackAgent;

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("pnc-host-tdx-" + std::to_string(::getpid()) + "-" + name)).string();
}

// The guest agent's GetQuote: {"report_data": hex} -> {"quote": hex, "event_log": JSON text}.
std::optional<std::string> signed_mock_agent(const FakeDstackAgent::Request& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  const auto rd_hex = body.is_object() && body.contains("report_data") ? body["report_data"].get<std::string>() : "";
  auto rd = codec::hex_decode_exact(rd_hex, 64);
  if (!rd) return FakeDstackAgent::http(400, "{\"error\":\"bad report_data\"}");
  ByteArray<64> report_data{};
  std::copy(rd->begin(), rd->end(), report_data.begin());
  const Evidence ev = mock_tdx::signed_quote_v4_for(report_data);
  const nlohmann::json answer = {{"quote", codec::hex_encode(ev.quote)}, {"event_log", ev.event_log.value_or("[]")}};
  return FakeDstackAgent::http(200, answer.dump());
}

struct HostRun {
  std::string agent_socket = temp_path("agent.sock");
  std::string sut_file = temp_path("sut.json");
  std::string root_file = temp_path("root.pem");
  HostRun() {
    std::ofstream(sut_file) << R"({"name": "prod challenge", "attestation_mode": "prod", "env_mode": "dev"})";
    std::ofstream(root_file) << mock_tdx::mock_root_ca().pem;
  }
  ~HostRun() {
    std::remove(sut_file.c_str());
    std::remove(root_file.c_str());
  }
  RunSettings settings(const std::string& filter = "*") const {
    RunSettings s;
    s.target = Target::challenge;
    s.profile = Profile::seed_spec;
    s.cmd = std::string(PNC_REF_CHALLENGE) +
            " --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx signed-mock --handshake-deadline-ms {deadline_ms}"
            // the keys the runner makes for a started SUT, as the bundled-peer tests pass them
            " --admin --session {signer_token}:{signer_public_b64} --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64}"
            " --proxy-session {proxy_token} --miner-token-issuer {issuer_public_b64} --miner-token-iss {issuer} --challenge-id {audience}";
    s.sut_file = sut_file;
    s.filter = filter;
    s.vectors_dir = PNC_VECTORS_DIR;
    s.timeout_ms = 3000;
    s.deadline_ms = 20000;  // the agent ECDSA-signs each quote: a generous deadline (not the subject here)
    s.tdx = "dstack";
    s.dstack_socket = agent_socket;
    s.root_file = root_file;
    return s;
  }
};

std::set<std::string> with_verdict(const RunReport& r, Verdict v) {
  std::set<std::string> out;
  for (const auto& c : r.cases)
    if (c.verdict == v) out.insert(c.id);
  return out;
}

TEST(HostTdx, DstackQuotesMakeTheRunnerQuoteCasesRunAgainstAProdSut) {
  HostRun h;
  FakeDstackAgent agent(h.agent_socket, signed_mock_agent);
  std::ostringstream ignored;
  auto report = execute_run(h.settings(), ignored, false);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->acceptable()) << ::testing::PrintToString(with_verdict(*report, Verdict::fail))
                                    << ::testing::PrintToString(with_verdict(*report, Verdict::blocked));
  // Without --tdx these need a mock or signed-mock SUT; here the host's quotes make them run.
  const auto passed = with_verdict(*report, Verdict::pass);
  EXPECT_TRUE(passed.count("HS-OK.validator")) << "HS-OK.validator not PASS";
  EXPECT_TRUE(passed.count("ENV-OK.type-only"));
  EXPECT_GT(passed.size(), 40u);
  EXPECT_FALSE(agent.requests().empty());
  EXPECT_EQ(agent.requests().front().target, "/GetQuote");
  EXPECT_EQ(report->provenance.attestation_mode, "prod");
}

// The same prod SUT run without --tdx: the runner has no quote of its own that the SUT accepts.
Result<RunReport> run_without_tdx(const std::string& filter) {
  HostRun h;
  RunSettings s = h.settings(filter);
  s.tdx = "mock";
  s.root_file.clear();
  std::ostringstream ignored;
  return execute_run(s, ignored, false);
}

TEST(HostTdx, WithoutTdxTheSameSutSkipsThoseCases) {
  auto report = run_without_tdx("HS-OK.validator");
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->cases.size(), 1u);
  EXPECT_EQ(report->cases[0].verdict, Verdict::skipped);
  EXPECT_NE(report->cases[0].observed.find("--tdx configfs|dstack"), std::string::npos) << report->cases[0].observed;
}

// HTTP cases need no handshake, so no runner quote: they run against a prod SUT without --tdx.
TEST(HostTdx, WithoutTdxTheHttpBodyCasesStillRun) {
  auto report = run_without_tdx("N-BODY-01.weights.*");
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_FALSE(report->cases.empty());
  for (const auto& c : report->cases) EXPECT_EQ(c.verdict, Verdict::pass) << c.id << ": " << c.observed;
}

TEST(HostTdx, AnAbsentAgentBlocksTheCasesThatNeedTheRunnersQuote) {
  HostRun h;  // no agent listens at h.agent_socket
  std::ostringstream ignored;
  auto report = execute_run(h.settings("HS-OK.validator,ENV-OK.*"), ignored, false);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_FALSE(report->cases.empty());
  for (const auto& c : report->cases) {
    EXPECT_EQ(c.verdict, Verdict::blocked) << c.id << ": " << c.observed;
    EXPECT_NE(c.observed.find("tdx.provider.dstack.unreachable"), std::string::npos) << c.id << ": " << c.observed;
  }
  EXPECT_EQ(report->exit_status(), 3);
}

TEST(HostTdx, ASutNotInProdModeOrABadRootIsASetupError) {
  HostRun h;
  RunSettings s = h.settings();
  const std::string mock_sut = temp_path("mock-sut.json");
  std::ofstream(mock_sut) << R"({"attestation_mode": "mock"})";
  s.sut_file = mock_sut;
  std::ostringstream ignored;
  auto report = execute_run(s, ignored, false);
  std::remove(mock_sut.c_str());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, "setup.tdx");
  EXPECT_NE(report.error().message.find("attestation_mode \"prod\""), std::string::npos) << report.error().message;

  RunSettings bad_root = h.settings();
  bad_root.root_file = h.sut_file;  // JSON, not PEM
  report = execute_run(bad_root, ignored, false);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, "setup.tdx");
}

}  // namespace
}  // namespace pnc::conf

#endif  // PNC_REF_CHALLENGE
