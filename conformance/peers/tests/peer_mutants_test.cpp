// Each mutant next to the correct peer: the one behaviour it changes, observed from outside.
#include <cstdio>
#include <functional>
#include <string>

#include "peer_test_support.hpp"
#include "pnc/miner_token.hpp"

namespace pnc::peers::test {
namespace {

std::string run_capture(const std::string& command) {
  std::string out;
  if (FILE* f = popen(command.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, f)) out.append(buf, n);
    pclose(f);
  }
  return out;
}

TEST(PeerMutants, ListedByBothPeers) {
  const std::string challenge = run_capture(std::string(PNC_REF_CHALLENGE) + " --list-mutants");
  for (const char* name : {"accept-replay", "nonce-at-584", "skip-zero-check", "ignore-timestamp",
                           "accept-http-replay", "accept-alg-none", "trust-verified-headers",
                           "no-deadline", "accept-binary"}) {
    EXPECT_NE(challenge.find(std::string(name) + "\t"), std::string::npos) << name;
  }
  const std::string validator = run_capture(std::string(PNC_REF_VALIDATOR) + " --list-mutants");
  EXPECT_NE(validator.find("nonce-at-584\t"), std::string::npos);
  EXPECT_EQ(validator.find("accept-alg-none"), std::string::npos);
  // An unknown or unsupported mutant is refused at start-up.
  EXPECT_FALSE(PeerProcess::start(PNC_REF_CHALLENGE, {"--mutant", "bogus"}, kWait).ok());
  EXPECT_FALSE(PeerProcess::start(PNC_REF_VALIDATOR, {"--mutant", "accept-alg-none"}, kWait).ok());
}

// accept-replay: the same envelope sent twice is answered twice instead of closing 1008.
TEST(PeerMutants, AcceptReplay) {
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    auto peer = mutant ? start_challenge({"--mutant", "accept-replay"}) : start_challenge();
    ASSERT_TRUE(peer);
    auto s = attest(*peer);
    ASSERT_TRUE(s.ok());
    SystemRng rng;
    auto frame = s->channel->seal_json(Json{{"type", "db_version_request"}, {"message_id", "r"}}, rng);
    ASSERT_TRUE(frame.ok());
    ASSERT_TRUE(s->ws->send_text(*frame, kWait).ok());
    ASSERT_TRUE(receive_inner(*s));
    ASSERT_TRUE(s->ws->send_text(*frame, kWait).ok());  // the replay
    net::Frame last;
    auto second = receive_inner(*s, kWait, &last);
    if (mutant) {
      ASSERT_TRUE(second);
      EXPECT_EQ((*second)["type"], "db_version_response");
    } else {
      EXPECT_FALSE(second);
      EXPECT_EQ(last.kind, net::FrameKind::close);
      EXPECT_EQ(last.close_code, 1008);
    }
  }
}

// nonce-at-584: SHA256(N) sits at offset 584 of the challenge's quote, not at 568; a strict
// client rejects it.
TEST(PeerMutants, NonceAt584) {
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    auto peer = mutant ? start_challenge({"--mutant", "nonce-at-584"}) : start_challenge();
    ASSERT_TRUE(peer);
    SystemRng rng;
    handshake::ClientConfig cc;
    cc.mode = AttestationMode::mock;
    cc.env_mode = "dev";
    tdx::MockQuoteProvider quotes;
    handshake::ClientHandshake hs(cc, rng, &quotes);
    const std::string begin = hs.start().send.at(0);
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    ASSERT_TRUE((*ws)->send_text(begin, kWait).ok());
    net::Frame f = (*ws)->receive(kWait);
    ASSERT_EQ(f.kind, net::FrameKind::text);
    auto quote = codec::b64_decode(Json::parse(f.data)["quote"].get<std::string>());
    ASSERT_TRUE(quote.ok());
    ASSERT_GE(quote->size(), 632u);
    auto nonce = codec::hex_decode(Json::parse(begin)["nonce"].get<std::string>());
    ASSERT_TRUE(nonce.ok());
    const auto digest = crypto::sha256(*nonce);
    const bool at568 = std::equal(digest.begin(), digest.end(), quote->begin() + 568);
    const bool at584 = std::equal(digest.begin(), digest.end(), quote->begin() + 584);
    EXPECT_EQ(at568, !mutant);
    EXPECT_EQ(at584, mutant);
    auto step = hs.on_text(f.data);
    EXPECT_EQ(step.error.has_value(), mutant);  // hs.peer_quote_rejected
  }
}

// skip-zero-check: a low-order val_x25519_pub (u = 0) is accepted and the session key becomes
// HKDF(salt, 0^32) instead of attestation_reject + 1008.
TEST(PeerMutants, SkipZeroCheck) {
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    auto peer = mutant ? start_challenge({"--mutant", "skip-zero-check"}) : start_challenge();
    ASSERT_TRUE(peer);
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    const Bytes nonce(32, 0x11), zero(32, 0), salt(32, 0x22);
    const Json begin{{"type", "attestation_begin"}, {"nonce", codec::hex_encode(nonce)},
                     {"val_x25519_pub", codec::b64_encode(zero)}};
    ASSERT_TRUE((*ws)->send_text(json::dump(begin), kWait).ok());
    net::Frame f = (*ws)->receive(kWait);
    ASSERT_EQ(f.kind, net::FrameKind::text);
    ASSERT_EQ(Json::parse(f.data)["type"], "attestation_response");
    const Json ok{{"type", "attestation_ok"}, {"aead", "chacha20poly1305"},
                  {"hkdf_salt", codec::b64_encode(salt)}};
    ASSERT_TRUE((*ws)->send_text(json::dump(ok), kWait).ok());
    if (!mutant) {
      f = (*ws)->receive(kWait);
      while (f.kind == net::FrameKind::text) f = (*ws)->receive(kWait);  // attestation_reject
      EXPECT_EQ(f.kind, net::FrameKind::close);
      EXPECT_EQ(f.close_code, 1008);
      continue;
    }
    envelope::Channel channel(Profile::seed_spec,
                              crypto::hkdf_sha256_32(salt, zero, handshake::kInfo));
    SystemRng rng;
    auto sealed = channel.seal_json(Json{{"type", "db_version_request"}}, rng);
    ASSERT_TRUE(sealed.ok());
    ASSERT_TRUE((*ws)->send_text(*sealed, kWait).ok());
    f = (*ws)->receive(kWait);
    ASSERT_EQ(f.kind, net::FrameKind::text);
    auto out = channel.receive_text(f.data);
    ASSERT_TRUE(out.delivered());
    EXPECT_EQ(out.opened.message["type"], "db_version_response");
  }
}

// ignore-timestamp: a request signed 1000 s in the past passes V2.
TEST(PeerMutants, IgnoreTimestamp) {
  const Signer who = make_signer();
  FixedClock past(SystemClock().now() - 1000);
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--session", who.session_arg()};
    if (mutant) args.insert(args.end(), {"--mutant", "ignore-timestamp"});
    auto challenge = start_challenge(args);
    auto validator = start_validator(args);
    ASSERT_TRUE(challenge && validator);
    auto r = send_signed(*challenge, who, "/sdk/weights", R"({"jobs":[]})", past);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, mutant ? 200 : 401);
    auto v = send_signed(*validator, who, "/results/heartbeat", R"({"status":"ok"})", past);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->status, mutant ? 200 : 401);
    if (!mutant) {
      EXPECT_EQ(net::find_header(v->headers, "X-Reason").value_or(""), "sig.timestamp_skew");
    }
  }
}

// accept-http-replay: the very same signed request is accepted twice.
TEST(PeerMutants, AcceptHttpReplay) {
  const Signer who = make_signer();
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--session", who.session_arg()};
    if (mutant) args.insert(args.end(), {"--mutant", "accept-http-replay"});
    auto peer = start_challenge(args);
    ASSERT_TRUE(peer);
    SystemRng rng;
    SystemClock clock;
    signed_http::Signer signer(who.seed, who.token, std::nullopt, clock, rng);
    auto req = signer.sign("POST", "/sdk/weights", R"({"jobs":[]})");
    ASSERT_TRUE(req.ok());
    for (int i = 0; i < 2; ++i) {
      auto r = net::http_request(peer->http_url(), "POST", req->target, req->headers,
                                 to_string(req->body), kWait);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->status, (i == 0 || mutant) ? 200 : 401) << i;
    }
  }
}

// accept-alg-none: an unsigned X-Miner-Token with alg "none" becomes the miner identity.
TEST(PeerMutants, AcceptAlgNone) {
  const auto issuer = crypto::ed25519_from_seed(Bytes(32, 3));
  const std::string header = codec::b64url_encode(as_bytes(R"({"alg":"none","typ":"MinerToken"})"));
  // Valid claims (the fault skips only the header and signature checks, §7.2 steps 3-4).
  const std::int64_t now = SystemClock().now();
  const std::string payload = codec::b64url_encode(as_bytes(
      R"({"iss":"platform-api","aud":"c1","challenge_id":"c1","miner_hotkey":"5Forged","uid":"1",)"
      R"("job_id":"","job_type":"","iat":)" + std::to_string(now) + R"(,"exp":)" + std::to_string(now + 300) +
      R"(,"jti":"0123456789abcdef"})"));
  const std::string token = header + "." + payload + ".AAAA";
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--admin", "--challenge-id", "c1", "--miner-token-issuer",
                                     codec::b64_encode(issuer.pub)};
    if (mutant) args.insert(args.end(), {"--mutant", "accept-alg-none"});
    auto peer = start_challenge(args);
    ASSERT_TRUE(peer);
    auto r = net::http_request(peer->http_url(), "GET", "/sdk/public/whoami",
                               {{"X-Miner-Token", token}}, "", kWait);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, mutant ? 200 : 401) << r->body;
    if (mutant) {
      EXPECT_EQ(Json::parse(r->body)["miner_hotkey"], "5Forged");
    }
  }
}

// trust-verified-headers: X-Verified-Miner-Hotkey from an unauthenticated client is honoured.
TEST(PeerMutants, TrustVerifiedHeaders) {
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--admin"};
    if (mutant) args.insert(args.end(), {"--mutant", "trust-verified-headers"});
    auto peer = start_challenge(args);
    ASSERT_TRUE(peer);
    auto r = net::http_request(peer->http_url(), "GET", "/sdk/public/whoami",
                               {{"X-Verified-Miner-Hotkey", "5Spoofed"}}, "", kWait);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, mutant ? 200 : 401);
  }
}

// no-deadline: a silent client is not closed at the handshake deadline.
TEST(PeerMutants, NoDeadline) {
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--handshake-deadline-ms", "200"};
    if (mutant) args.insert(args.end(), {"--mutant", "no-deadline"});
    auto peer = start_challenge(args);
    ASSERT_TRUE(peer);
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    net::Frame f = (*ws)->receive(Millis{1500});
    if (mutant) {
      EXPECT_EQ(f.kind, net::FrameKind::timeout);
    } else {
      EXPECT_EQ(f.kind, net::FrameKind::close);
      EXPECT_EQ(f.close_code, 1008);
    }
  }
}

// accept-binary: a binary frame is ignored (the handshake still works) instead of 1003.
TEST(PeerMutants, AcceptBinary) {
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    auto peer = mutant ? start_challenge({"--mutant", "accept-binary"}) : start_challenge();
    ASSERT_TRUE(peer);
    auto ws = net::WsClient::connect(peer->ws_url("/sdk/ws"), kWait);
    ASSERT_TRUE(ws.ok());
    const std::vector<std::uint8_t> bytes = {0};
    ASSERT_TRUE((*ws)->send_binary(bytes, kWait).ok());
    net::Frame f = (*ws)->receive(Millis{1000});
    if (mutant) {
      EXPECT_EQ(f.kind, net::FrameKind::timeout);
    } else {
      while (f.kind == net::FrameKind::text) f = (*ws)->receive(kWait);
      EXPECT_EQ(f.close_code, 1003);
    }
  }
}

// Validator nonce-at-584: its val_quote binds N at 584, so a strict challenge rejects it.
TEST(PeerMutants, ValidatorNonceAt584) {
  auto challenge = start_challenge();
  ASSERT_TRUE(challenge);
  for (bool mutant : {false, true}) {
    SCOPED_TRACE(mutant ? "mutant" : "correct");
    std::vector<std::string> args = {"--connect", challenge->ws_url("/sdk/ws"),
                                     "--exit-after-client"};
    if (mutant) args.insert(args.end(), {"--mutant", "nonce-at-584"});
    auto validator = start_validator(args);
    ASSERT_TRUE(validator);
    EXPECT_EQ(validator->wait_exit(kWait), mutant ? 1 : 0);
  }
}

// Campaign-only mutants over the network: the one envelope change a campaign makes, the correct
// peer closing, the mutant answering.
void expect_envelope_outcome(const std::string& mutant, const std::function<std::string(const std::string&)>& edit,
                             std::uint16_t correct_close) {
  for (bool faulted : {false, true}) {
    SCOPED_TRACE(faulted ? mutant : "correct");
    auto peer = faulted ? start_challenge({"--mutant", mutant}) : start_challenge();
    ASSERT_TRUE(peer);
    auto s = attest(*peer);
    ASSERT_TRUE(s.ok());
    SystemRng rng;
    auto frame = s->channel->seal_json(Json{{"type", "db_version_request"}, {"message_id", "c"}}, rng);
    ASSERT_TRUE(frame.ok());
    ASSERT_TRUE(s->ws->send_text(edit(*frame), kWait).ok());
    net::Frame last;
    auto answer = receive_inner(*s, kWait, &last);
    if (faulted) {
      ASSERT_TRUE(answer);
      EXPECT_EQ((*answer)["type"], "db_version_response");
    } else {
      EXPECT_FALSE(answer);
      EXPECT_EQ(last.kind, net::FrameKind::close);
      EXPECT_EQ(last.close_code, correct_close);
    }
  }
}

TEST(PeerMutants, EncPrefixCompareTakesALongerLabel) {
  expect_envelope_outcome("enc-prefix-compare", [](const std::string& f) {
    Json e = Json::parse(f);
    e["enc"] = "chacha20poly1305x";
    return e.dump();
  }, 1008);
}

TEST(PeerMutants, EnvelopeDuplicateMemberPasses) {
  expect_envelope_outcome("envelope-duplicate-member", [](const std::string& f) {
    return "{\"enc\":\"chacha20poly1305\"," + f.substr(1);
  }, 1007);
}

// replay-cache-4: five envelopes, then the first again.
TEST(PeerMutants, ReplayCache4ForgetsTheFifthNewest) {
  for (bool faulted : {false, true}) {
    SCOPED_TRACE(faulted ? "mutant" : "correct");
    auto peer = faulted ? start_challenge({"--mutant", "replay-cache-4"}) : start_challenge();
    ASSERT_TRUE(peer);
    auto s = attest(*peer);
    ASSERT_TRUE(s.ok());
    SystemRng rng;
    std::string first;
    for (int i = 0; i < 5; ++i) {
      auto frame = s->channel->seal_json(Json{{"type", "db_version_request"}, {"message_id", "m" + std::to_string(i)}}, rng);
      ASSERT_TRUE(frame.ok());
      if (i == 0) first = *frame;
      ASSERT_TRUE(s->ws->send_text(*frame, kWait).ok());
      ASSERT_TRUE(receive_inner(*s));
    }
    ASSERT_TRUE(s->ws->send_text(first, kWait).ok());
    net::Frame last;
    auto again = receive_inner(*s, kWait, &last);
    if (faulted) {
      ASSERT_TRUE(again);
    } else {
      EXPECT_FALSE(again);
      EXPECT_EQ(last.close_code, 1008);
    }
  }
}

// sig-key-lenient-b64 / sig-nonce-base64-chars: one header of a valid signed request changed.
void expect_signed_outcome(const std::string& mutant, bool nonce_with_plus) {
  const Signer who = make_signer();
  for (bool faulted : {false, true}) {
    SCOPED_TRACE(faulted ? mutant : "correct");
    std::vector<std::string> args = {"--session", who.session_arg()};
    if (faulted) args.insert(args.end(), {"--mutant", mutant});
    auto peer = start_challenge(args);
    ASSERT_TRUE(peer);
    SystemRng rng;
    SystemClock clock;
    signed_http::Signer signer(who.seed, who.token, std::nullopt, clock, rng);
    const std::string nonce = nonce_with_plus ? "0123456789abcdef+0123" : rng.uuid_v4();
    auto req = signer.sign_body("POST", "/sdk/weights", to_bytes(R"({"jobs":[]})"), signed_http::kContentTypeJson,
                                std::to_string(clock.now()), nonce);
    ASSERT_TRUE(req.ok());
    if (!nonce_with_plus) req->set_header(signed_http::kHdrPublicKey, std::string(*req->header(signed_http::kHdrPublicKey)) + "A");
    auto r = net::http_request(peer->http_url(), "POST", req->target, req->headers, to_string(req->body), kWait);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, faulted ? 200 : 401);
  }
}

TEST(PeerMutants, SigKeyLenientB64IgnoresTextAfterThePadding) { expect_signed_outcome("sig-key-lenient-b64", false); }
TEST(PeerMutants, SigNonceBase64CharsTakesAPlus) { expect_signed_outcome("sig-nonce-base64-chars", true); }

}  // namespace
}  // namespace pnc::peers::test
