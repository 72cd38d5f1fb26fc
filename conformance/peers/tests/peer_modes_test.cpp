// The peer modes a certifier uses to try the runner against foreign-looking SUTs: the upstream
// SDK stand-in (`--profile sdk-compat --tdx upstream-mock`), a slow SUT (`--reply-delay-ms`) and
// the `weights-500` mutant. Expected values come from PROTOCOL.md §9.6 / D-03 (the SDK's
// fallback mock quote), §5.3 (sdk-compat has no R6) and the flags' documented contract.
#include <algorithm>
#include <chrono>

#include "peer_test_support.hpp"

namespace pnc::peers::test {
namespace {

using SteadyClock = std::chrono::steady_clock;

// attestation_begin with a known N, so the quote's binding can be located.
std::string begin_frame(const Bytes& nonce) {
  SystemRng rng;
  const auto kp = crypto::x25519_keypair(rng);
  return json::dump(Json{{"type", "attestation_begin"},
                         {"nonce", codec::hex_encode(nonce)},
                         {"val_x25519_pub", codec::b64_encode(kp.pub)}});
}

TEST(PeerModes, UpstreamMockSendsTheSdkFallbackQuote) {
  auto peer = start_challenge({"--profile", "sdk-compat", "--tdx", "upstream-mock"});
  ASSERT_TRUE(peer);
  auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
  ASSERT_TRUE(ws.ok());
  const Bytes nonce(32, 0x5a);
  ASSERT_TRUE((*ws)->send_text(begin_frame(nonce), kWait).ok());
  const net::Frame f = (*ws)->receive(kWait);
  ASSERT_EQ(f.kind, net::FrameKind::text);
  auto response = json::parse(f.data, Profile::sdk_compat);
  ASSERT_TRUE(response.ok());
  auto quote = codec::b64_decode((*response)["quote"].get<std::string>(), Profile::seed_spec);
  ASSERT_TRUE(quote.ok());
  // D-03: 1024 bytes, SHA256(N) written at 568, 576 and 584, complete only at 584.
  ASSERT_EQ(quote->size(), 1024u);
  const auto digest = crypto::sha256(nonce);
  EXPECT_TRUE(std::equal(digest.begin(), digest.end(), quote->begin() + 584));
  EXPECT_FALSE(std::equal(digest.begin(), digest.end(), quote->begin() + 568));
  // §9.6 SDK fallback: an object log marked dev-mode-fallback and empty rtmrs.
  auto log = json::parse((*response)["event_log"].get<std::string>(), Profile::sdk_compat);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)["compose-hash"], "dev-mode-fallback");
  EXPECT_EQ((*response)["rtmrs"], Json::object());
}

TEST(PeerModes, UpstreamMockCompletesAnSdkCompatSessionAndAcceptsReplays) {
  auto peer = start_challenge({"--profile", "sdk-compat", "--tdx", "upstream-mock"});
  ASSERT_TRUE(peer);
  auto s = attest(*peer, Profile::sdk_compat);
  ASSERT_TRUE(s.ok()) << s.error().code;
  SystemRng rng;
  auto frame = s->channel->seal_json(Json{{"type", "db_version_request"}, {"message_id", "r"}}, rng);
  ASSERT_TRUE(frame.ok());
  for (int i = 0; i < 2; ++i) {  // the second is a byte-identical replay: [COMPAT] no R6
    ASSERT_TRUE(s->ws->send_text(*frame, kWait).ok());
    auto answer = receive_inner(*s);
    ASSERT_TRUE(answer) << i;
    EXPECT_EQ((*answer)["type"], "db_version_response");
  }
}

TEST(PeerModes, UpstreamMockOnlyWithSdkCompat) {
  for (const char* profile : {"seed-spec", "hardened"}) {
    EXPECT_FALSE(PeerProcess::start(PNC_REF_CHALLENGE,
                                    {"--listen", "127.0.0.1:0", "--profile", profile, "--tdx", "upstream-mock"},
                                    kWait)
                     .ok())
        << profile;
  }
}

TEST(PeerModes, ReplyDelayWithNoDeadline) {
  constexpr int kDelayMs = 300;
  auto peer = start_challenge({"--reply-delay-ms", std::to_string(kDelayMs), "--mutant", "no-deadline",
                               "--handshake-deadline-ms", "100"});
  ASSERT_TRUE(peer);
  // HTTP: every answer comes after the delay.
  const auto t0 = SteadyClock::now();
  auto health = net::http_request(peer->http_url(), "GET", "/sdk/health", {}, "", kWait);
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  EXPECT_GE(SteadyClock::now() - t0, std::chrono::milliseconds(kDelayMs));
  // WebSocket: the handshake answer is delayed too, and works.
  const auto t1 = SteadyClock::now();
  auto s = attest(*peer);
  ASSERT_TRUE(s.ok());
  EXPECT_GE(SteadyClock::now() - t1, std::chrono::milliseconds(kDelayMs));
  // No deadline: a silent client is still connected long after --handshake-deadline-ms.
  auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ((*ws)->receive(Millis{3 * kDelayMs}).kind, net::FrameKind::timeout);
}

TEST(PeerModes, ReplyDelayOutOfRangeRefused) {
  EXPECT_FALSE(PeerProcess::start(PNC_REF_CHALLENGE, {"--listen", "127.0.0.1:0", "--reply-delay-ms", "-1"}, kWait).ok());
}

TEST(PeerModes, Weights500AnswersServerErrorToEveryRequest) {
  const Signer who = make_signer();
  SystemClock clock;
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--session", who.session_arg()};
    if (mutant) args.insert(args.end(), {"--mutant", "weights-500"});
    auto peer = start_challenge(args);
    ASSERT_TRUE(peer);
    auto unsigned_request = net::http_request(peer->http_url(), "POST", "/sdk/weights", {}, "{}", kWait);
    ASSERT_TRUE(unsigned_request.ok());
    EXPECT_EQ(unsigned_request->status, mutant ? 500 : 401);
    auto signed_request = send_signed(*peer, who, "/sdk/weights", R"({"jobs":[]})", clock);
    ASSERT_TRUE(signed_request.ok());
    EXPECT_EQ(signed_request->status, mutant ? 500 : 200);
    // Only the weights route is broken.
    auto health = net::http_request(peer->http_url(), "GET", "/sdk/health", {}, "", kWait);
    ASSERT_TRUE(health.ok());
    EXPECT_EQ(health->status, 200);
  }
}

}  // namespace
}  // namespace pnc::peers::test
