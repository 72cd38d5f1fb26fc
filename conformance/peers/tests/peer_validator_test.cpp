// pnc-ref-validator as a subprocess: the WebSocket client role against pnc-ref-challenge, the
// HTTP bootstrap (§2) followed by an encrypted signed /results request (§6), SIGTERM → exit 0.
#include "peer_test_support.hpp"
#include "pnc/bootstrap.hpp"

namespace pnc::peers::test {
namespace {

std::vector<std::string> read_client_lines(PeerProcess& peer) {
  std::vector<std::string> lines;
  while (auto line = peer.read_line(kWait)) {
    lines.push_back(*line);
    if (line->rfind("client done", 0) == 0 || line->rfind("client failed", 0) == 0 ||
        line->rfind("client closed", 0) == 0) {
      break;
    }
  }
  return lines;
}

TEST(PeerValidator, ClientRoleAttestsTheChallengeAndExchangesMessages) {
  for (const char* profile : {"seed-spec", "sdk-compat", "hardened"}) {
    SCOPED_TRACE(profile);
    auto challenge = start_challenge({"--profile", profile});
    ASSERT_TRUE(challenge);
    auto validator = start_validator({"--profile", profile, "--connect",
                                      challenge->ws_url("/sdk/ws"), "--script",
                                      "db_version,job,job_fail,orm_ready", "--exit-after-client"});
    ASSERT_TRUE(validator);
    const auto lines = read_client_lines(*validator);
    ASSERT_GE(lines.size(), 4u);
    EXPECT_EQ(lines.front(), "client established");
    EXPECT_NE(lines[1].find("\"db_version_response\""), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find("\"job_result\""), std::string::npos) << lines[2];
    EXPECT_NE(lines[3].find("\"error\":\"job failed\""), std::string::npos) << lines[3];
    EXPECT_EQ(lines.back(), "client done");
    EXPECT_EQ(validator->wait_exit(kWait), 0);
    EXPECT_EQ(challenge->terminate(), 0);
  }
}

TEST(PeerValidator, ClientFailsAgainstAProdChallenge) {
  auto challenge = start_challenge({"--env", "prod"});
  ASSERT_TRUE(challenge);
  auto validator = start_validator({"--connect", challenge->ws_url("/sdk/ws"),
                                    "--exit-after-client"});
  ASSERT_TRUE(validator);
  const auto lines = read_client_lines(*validator);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().rfind("client established", 0), 0u);
  EXPECT_EQ(validator->wait_exit(kWait), 1);
}

TEST(PeerValidator, SignedMockQuotesPassProdChecksAndMockQuotesDoNot) {
  auto challenge = start_challenge({"--tdx", "signed-mock"});
  ASSERT_TRUE(challenge);
  for (const char* tdx : {"signed-mock", "mock"}) {
    SCOPED_TRACE(tdx);
    auto validator = start_validator({"--tdx", tdx, "--connect", challenge->ws_url("/sdk/ws"),
                                      "--exit-after-client"});
    ASSERT_TRUE(validator);
    EXPECT_EQ(validator->wait_exit(kWait), std::string(tdx) == "signed-mock" ? 0 : 1);
  }
  EXPECT_EQ(challenge->terminate(), 0);
}

// A validator told to take its quotes from a TDX host's service that is not there fails the
// handshake with the provider's named error and exit 1, never a crash or a hang.
TEST(PeerValidator, HostQuoteSourceWithoutItsServiceFailsNamed) {
  auto challenge = start_challenge({"--tdx", "signed-mock"});
  ASSERT_TRUE(challenge);
  const std::vector<std::pair<std::vector<std::string>, std::string>> sources = {
      {{"--tdx", "configfs", "--configfs-root", "/nonexistent/pnc/tsm/report"}, "tdx.provider.configfs.no_tsm"},
      {{"--tdx", "dstack", "--dstack-socket", "/nonexistent/pnc/dstack.sock"}, "tdx.provider.dstack.unreachable"}};
  for (const auto& [flags, code] : sources) {
    SCOPED_TRACE(code);
    std::vector<std::string> args = flags;
    for (const char* a : {"--connect", "", "--exit-after-client"}) args.emplace_back(a);
    args[flags.size() + 1] = challenge->ws_url("/sdk/ws");
    auto validator = start_validator(args);
    ASSERT_TRUE(validator);
    const auto lines = read_client_lines(*validator);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back(), "client failed hs.quote_unavailable " + code);
    EXPECT_EQ(validator->wait_exit(kWait), 1);
  }
  EXPECT_EQ(challenge->terminate(), 0);
}

TEST(PeerValidator, BootstrapThenEncryptedSignedResults) {
  auto validator = start_validator();
  ASSERT_TRUE(validator);
  auto nonce_reply = net::http_request(validator->http_url(), "POST", "/attestation/challenge",
                                       {}, "", kWait);
  ASSERT_TRUE(nonce_reply.ok());
  ASSERT_EQ(nonce_reply->status, 200);
  auto nonce = bootstrap::parse_nonce_response(nonce_reply->status, nonce_reply->body);
  ASSERT_TRUE(nonce.ok());
  SystemRng rng;
  auto keys = bootstrap::generate_challenge_keys(rng);
  auto evidence = tdx::mock_quote_v4_for(bootstrap::attest_report_data(*nonce));
  auto body = bootstrap::build_attest_body(keys, *nonce, evidence);
  ASSERT_TRUE(body.ok());
  auto attest = net::http_request(validator->http_url(), "POST", "/attest",
                                  {{"Content-Type", "application/json"}}, *body, kWait);
  ASSERT_TRUE(attest.ok());
  ASSERT_EQ(attest->status, 200) << net::find_header(attest->headers, "X-Reason").value_or("");
  auto session = bootstrap::process_attest_response(attest->status, attest->body, keys);
  ASSERT_TRUE(session.ok()) << session.error().code;
  ASSERT_TRUE(session->aead_key && session->session_token);

  // The nonce is single use (§2.1 [SEED]).
  auto again = net::http_request(validator->http_url(), "POST", "/attest",
                                 {{"Content-Type", "application/json"}}, *body, kWait);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->status, 200);

  SystemClock clock;
  signed_http::Signer signer(keys.ed_seed.view(), *session->session_token,
                             Secret<32>(session->aead_key->view()), clock, rng);
  auto req = signer.sign("POST", "/results/heartbeat", R"({"status":"ok"})");
  ASSERT_TRUE(req.ok());
  auto r = net::http_request(validator->http_url(), req->method, req->target, req->headers,
                             to_string(req->body), kWait);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << net::find_header(r->headers, "X-Reason").value_or("");
  EXPECT_EQ(Json::parse(r->body)["decrypted"], true);
  EXPECT_EQ(Json::parse(r->body)["body"]["status"], "ok");
  // Replaying the same signed request: 401 (V7).
  r = net::http_request(validator->http_url(), req->method, req->target, req->headers,
                        to_string(req->body), kWait);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(validator->terminate(), 0);
}

}  // namespace
}  // namespace pnc::peers::test
