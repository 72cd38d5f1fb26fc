// pnc-ref-challenge as a subprocess on 127.0.0.1:0: health, full handshake + db_version and
// job round trips (all profiles), signed /sdk/weights, sealed credentials, §7.4 identity, the
// handshake deadline, hostile input, 256 concurrent sessions and SIGTERM → exit 0.
#include <atomic>
#include <thread>

#include "peer_test_support.hpp"
#include "pnc/credentials.hpp"

namespace pnc::peers::test {
namespace {

TEST(PeerChallenge, HealthThenCleanSigterm) {
  auto peer = start_challenge();
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->host(), "127.0.0.1");
  auto r = net::http_request(peer->http_url(), "GET", "/sdk/health", {}, "", kWait);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Json::parse(r->body), Json({{"status", "ready"}}));
  auto missing = net::http_request(peer->http_url(), "GET", "/nope", {}, "", kWait);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(peer->terminate(), 0);
}

TEST(PeerChallenge, HandshakeThenDbVersionAndJobInEveryProfile) {
  for (const char* profile : {"seed-spec", "sdk-compat", "hardened"}) {
    SCOPED_TRACE(profile);
    auto peer = start_challenge({"--profile", profile, "--db-version", "3"});
    ASSERT_TRUE(peer);
    auto s = attest(*peer, *parse_profile(profile));
    ASSERT_TRUE(s.ok()) << s.error().code << " " << s.error().message;
    ASSERT_TRUE(send_inner(*s, Json{{"type", "db_version_request"}, {"message_id", "m1"}}).ok());
    auto answer = receive_inner(*s);
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["type"], "db_version_response");
    EXPECT_EQ((*answer)["message_id"], "m1");
    EXPECT_EQ((*answer)["payload"]["db_version"], 3);
    ASSERT_TRUE(send_inner(*s, Json{{"type", "job_execute"}, {"message_id", "m2"},
                                    {"job_id", "j1"}, {"job_name", "demo"},
                                    {"payload", {{"x", 1}}}})
                    .ok());
    answer = receive_inner(*s);
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["type"], "job_result");
    EXPECT_EQ((*answer)["job_id"], "j1");
    EXPECT_EQ((*answer)["result"]["payload"]["x"], 1);
    ASSERT_TRUE(send_inner(*s, Json{{"type", "migrations_request"}}).ok());
    answer = receive_inner(*s);
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["type"], "migrations_response");
    EXPECT_TRUE((*answer)["message_id"].is_null());  // the request had none (§5.4)
    EXPECT_EQ((*answer)["payload"]["migrations"], Json::array());
    EXPECT_TRUE(s->ws->close(1000, "bye", kWait).ok());
    EXPECT_EQ(peer->terminate(), 0);
  }
}

TEST(PeerChallenge, OrmReadyGetsPermissionsWhenConfigured) {
  auto peer = start_challenge({"--challenge-id", "chal-1", "--orm-permissions"});
  ASSERT_TRUE(peer);
  auto s = attest(*peer);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(send_inner(*s, Json{{"type", "orm_ready"}}).ok());
  auto answer = receive_inner(*s);
  ASSERT_TRUE(answer);
  EXPECT_EQ((*answer)["type"], "orm_permissions");
  EXPECT_EQ((*answer)["challenge_id"], "chal-1");
  EXPECT_EQ((*answer)["payload"]["challenge_id"], "chal-1");  // [SEED] payload copy
  EXPECT_TRUE((*answer)["permissions"].contains("demo"));
}

TEST(PeerChallenge, ProdEnvironmentRejectsDevClient) {
  auto peer = start_challenge({"--env", "prod"});
  ASSERT_TRUE(peer);
  auto s = attest(*peer, Profile::seed_spec, "dev");
  ASSERT_FALSE(s.ok());  // environment isolation (§3.8)
}

TEST(PeerChallenge, SignedWeights) {
  const Signer who = make_signer();
  auto peer = start_challenge({"--session", who.session_arg()});
  ASSERT_TRUE(peer);
  SystemClock clock;
  auto ok = send_signed(*peer, who, "/sdk/weights", R"({"jobs":[]})", clock);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(Json::parse(ok->body)["meta"]["policy"], "custom_required");
  auto unsigned_request = net::http_request(peer->http_url(), "POST", "/sdk/weights",
                                            {{"Content-Type", "application/json"}}, "{}", kWait);
  ASSERT_TRUE(unsigned_request.ok());
  EXPECT_EQ(unsigned_request->status, 401);
  Signer stranger = make_signer(9);  // same token, unregistered key
  auto wrong_key = send_signed(*peer, stranger, "/sdk/weights", "{}", clock);
  ASSERT_TRUE(wrong_key.ok());
  EXPECT_EQ(wrong_key->status, 401);
  EXPECT_EQ(Json::parse(wrong_key->body)["detail"], "sig.key_mismatch");
}

TEST(PeerChallenge, SealedCredentialsToAdminEndpoint) {
  const Signer who = make_signer();
  const Bytes seed(32, 0x42);
  const auto receiver = crypto::ed25519_from_seed(seed);
  auto peer = start_challenge({"--admin", "--session", who.session_arg(), "--ed25519-seed",
                               codec::hex_encode(seed)});
  ASSERT_TRUE(peer);
  SystemRng rng;
  SystemClock clock;
  auto sealed = credentials::seal_credentials(Profile::seed_spec, receiver.pub,
                                              R"({"dsn":"postgres://u:p@db/x"})", rng);
  ASSERT_TRUE(sealed.ok());
  auto r = send_signed(*peer, who, "/sdk/admin/db/credentials",
                       credentials::sealed_request_body(*sealed, "demo", 1), clock);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Json::parse(r->body), Json({{"migrated", true}}));
  EXPECT_EQ(r->body.find("postgres"), std::string::npos);  // the DSN never comes back
  // Sealed to another key: 400 decrypt failed.
  const auto other = crypto::ed25519_from_seed(Bytes(32, 0x43));
  auto wrong = credentials::seal_credentials(Profile::seed_spec, other.pub, "postgres://x", rng);
  ASSERT_TRUE(wrong.ok());
  r = send_signed(*peer, who, "/sdk/admin/db/credentials",
                  credentials::sealed_request_body(*wrong, "demo", 1), clock);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Json::parse(r->body)["detail"], "credentials decrypt failed");
}

TEST(PeerChallenge, SealedCredentialsKeyFromEnvironment) {
  const Signer who = make_signer();
  const Bytes seed(32, 0x44);
  const auto receiver = crypto::ed25519_from_seed(seed);
  auto peer = start_peer(PNC_REF_CHALLENGE, {"--admin", "--session", who.session_arg()},
                         {{"SDK_EPHEMERAL_SK_B64", codec::b64_encode(seed)}});
  ASSERT_TRUE(peer);
  SystemRng rng;
  SystemClock clock;
  auto sealed = credentials::seal_credentials(Profile::seed_spec, receiver.pub, "postgres://a", rng);
  ASSERT_TRUE(sealed.ok());
  auto r = send_signed(*peer, who, "/sdk/admin/db/credentials",
                       credentials::sealed_request_body(*sealed, "demo", 1), clock);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

TEST(PeerChallenge, PublicIdentityNeedsProxyAuthenticationInSeedSpec) {
  const Signer proxy = make_signer(5);
  auto peer = start_challenge({"--admin", "--challenge-id", "c1", "--trust-key",
                               codec::b64_encode(proxy.pk)});
  ASSERT_TRUE(peer);
  const net::Headers identity = {{"X-Verified-Miner-Hotkey", "5Miner"}};
  auto unsigned_request =
      net::http_request(peer->http_url(), "GET", "/sdk/public/whoami", identity, "", kWait);
  ASSERT_TRUE(unsigned_request.ok());
  EXPECT_EQ(unsigned_request->status, 401);
  Signer as_proxy = proxy;
  as_proxy.token = "proxy";
  SystemClock clock;
  auto r = send_signed(*peer, as_proxy, "/sdk/public/whoami", "{}", clock, identity);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Json::parse(r->body)["miner_hotkey"], "5Miner");
  EXPECT_EQ(Json::parse(r->body)["challenge_id"], "c1");
}

TEST(PeerChallenge, PublicIdentityTrustedInSdkCompat) {
  auto peer = start_challenge({"--admin", "--profile", "sdk-compat"});
  ASSERT_TRUE(peer);
  auto r = net::http_request(peer->http_url(), "GET", "/sdk/public/whoami",
                             {{"X-Verified-Miner-Hotkey", "5Miner"}}, "", kWait);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Json::parse(r->body)["uid"], "verified-uid");
}

TEST(PeerChallenge, HandshakeDeadlineCloses1008) {
  auto peer = start_challenge({"--handshake-deadline-ms", "200"});
  ASSERT_TRUE(peer);
  auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
  ASSERT_TRUE(ws.ok());
  const auto t0 = std::chrono::steady_clock::now();
  net::Frame f = (*ws)->receive(kWait);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, Millis{3000});
  EXPECT_EQ(f.kind, net::FrameKind::close);
  EXPECT_EQ(f.close_code, 1008);
}

TEST(PeerChallenge, HostileInputNeverKillsThePeer) {
  auto peer = start_challenge();
  ASSERT_TRUE(peer);
  {  // not JSON as the first frame
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    ASSERT_TRUE((*ws)->send_text("garbage {", kWait).ok());
    net::Frame f = (*ws)->receive(kWait);
    while (f.kind == net::FrameKind::text) f = (*ws)->receive(kWait);  // attestation_reject
    EXPECT_EQ(f.kind, net::FrameKind::close);
    EXPECT_TRUE(f.close_code == 1007 || f.close_code == 1008) << f.close_code;
  }
  {  // binary frame: 1003
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    const std::vector<std::uint8_t> bytes = {1, 2, 3};
    ASSERT_TRUE((*ws)->send_binary(bytes, kWait).ok());
    net::Frame f = (*ws)->receive(kWait);
    while (f.kind == net::FrameKind::text) f = (*ws)->receive(kWait);
    EXPECT_EQ(f.close_code, 1003);
  }
  {  // a 100 MiB frame announced: 1009 without reading it
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    net::RawFrameSpec spec;
    spec.declared_length = 100ull * net::kMiB;
    ASSERT_TRUE((*ws)->send_raw_bytes(net::encode_ws_frame(spec, "{"), kWait).ok());
    net::Frame f = (*ws)->receive(kWait);
    EXPECT_EQ(f.close_code, 1009);
  }
  {  // a handshake message over 1 MiB: 1009
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    auto sent = (*ws)->send_text(std::string(net::kMiB + 1, ' '), kWait);
    net::Frame f = (*ws)->receive(kWait);
    EXPECT_EQ(f.close_code, 1009) << static_cast<int>(f.kind) << " " << f.error << " "
                                  << (sent.ok() ? "" : sent.error().message);
  }
  {  // mid-handshake close and raw garbage
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    (*ws)->abort();
    auto tcp = net::TcpClient::connect("127.0.0.1", peer->port(), kWait);
    ASSERT_TRUE(tcp.ok());
    (void)(*tcp)->send(std::string(4096, '\xff'), kWait);
    EXPECT_TRUE((*tcp)->wait_closed(kWait));
  }
  auto s = attest(*peer);  // still serving
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(peer->running());
  EXPECT_EQ(peer->terminate(), 0);
}

TEST(PeerChallenge, TwoHundredFiftySixConcurrentSessions) {
  auto peer = start_challenge();
  ASSERT_TRUE(peer);
  constexpr int kThreads = 16, kPerThread = 16;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<ClientSession> sessions;
      for (int i = 0; i < kPerThread; ++i) {
        auto s = attest(*peer);
        if (s.ok()) sessions.push_back(std::move(*s));
      }
      for (auto& s : sessions) {  // all 256 are open at the same time here
        if (!send_inner(s, Json{{"type", "db_version_request"}}).ok()) continue;
        auto a = receive_inner(s);
        if (a && (*a)["type"] == "db_version_response") ++good;
      }
      for (auto& s : sessions) (void)s.ws->close(1000, "", kWait);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), kThreads * kPerThread);
  EXPECT_EQ(peer->terminate(), 0);
}

}  // namespace
}  // namespace pnc::peers::test
