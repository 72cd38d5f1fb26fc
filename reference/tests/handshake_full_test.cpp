// A complete handshake between ServerHandshake and ClientHandshake with the real attestation
// check (pnc::verify_peer_quote) and the tdx module's MockQuoteV4 provider, in mock mode, for
// each profile; then encrypted traffic in both directions, including a db_version_request ->
// db_version_response round trip through two routers (PROTOCOL.md §3, §4, §5, §13 V10).
#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "pnc/handshake.hpp"
#include "pnc/router.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/testkit/oracles.hpp"
#include "pnc/testkit/rng.hpp"
#include "support/vectors.hpp"

namespace {

using pnc::AttestationMode;
using pnc::Bytes;
using pnc::Profile;
using pnc::handshake::ClientConfig;
using pnc::handshake::ClientHandshake;
using pnc::handshake::ServerConfig;
using pnc::handshake::ServerHandshake;
using pnc::handshake::Step;
using pnc::test::gh;
using pnc::test::gs;
using Json = nlohmann::json;
using pnc::testkit::ossl_b64;

// Queued draws of their size, else DeterministicRng(5) (the toolkit's scripted Rng).
class ScriptedRng : public pnc::testkit::ScriptedRng {
 public:
  ScriptedRng() : pnc::testkit::ScriptedRng(5) {}
};

struct Pair {
  ScriptedRng crng, srng;
  pnc::tdx::MockQuoteProvider cprov{pnc::tdx::MockParams{}};  // env_mode "dev"
  pnc::tdx::MockQuoteProvider sprov{pnc::tdx::MockParams{}};
  std::optional<ClientHandshake> client;
  std::optional<ServerHandshake> server;
  std::vector<std::string> wire;  // every handshake frame, in order

  explicit Pair(Profile p) {
    // V10: V3 nonce, V1 keys and salt.
    crng.push(gh("V3", "nonce_hex"));
    crng.push(gh("V1", "val_sk"));
    crng.push(gh("V1", "salt"));
    srng.push(gh("V1", "chal_sk"));
    ClientConfig cc;
    cc.profile = p;
    cc.mode = AttestationMode::mock;
    cc.env_mode = "dev";
    ServerConfig sc;
    sc.profile = p;
    sc.mode = AttestationMode::mock;
    sc.env_mode = "dev";
    client.emplace(cc, crng, &cprov);
    server.emplace(sc, srng, sprov);
  }

  // Runs the four messages; returns false (with test failures) when any step fails.
  bool run() {
    Step b = client->start();
    if (b.error || b.send.size() != 1) return fail("start", b);
    wire.push_back(b.send[0]);
    Step r = server->on_text(b.send[0]);
    if (r.error || r.send.size() != 1) return fail("server begin", r);
    wire.push_back(r.send[0]);
    Step ok = client->on_text(r.send[0]);
    if (ok.error || !ok.established || ok.send.size() != 1) return fail("client response", ok);
    wire.push_back(ok.send[0]);
    Step fin = server->on_text(ok.send[0]);
    if (fin.error || !fin.established) return fail("server ok", fin);
    EXPECT_TRUE(r.waived.empty() && ok.waived.empty()) << "nothing may need a waiver";
    return true;
  }
  static bool fail(const char* where, const Step& s) {
    ADD_FAILURE() << where << ": " << (s.error ? s.error->code + " " + s.error->message : "no frame")
                  << (s.cause ? " cause " + s.cause->code + " " + s.cause->message : "");
    return false;
  }
};

constexpr const auto& kAllProfiles = pnc::kProfiles;

TEST(HandshakeFull, MutualAttestationThenEncryptedTrafficBothWays) {
  for (Profile p : kAllProfiles) {
    SCOPED_TRACE(std::string(pnc::to_string(p)));
    Pair pair(p);
    ASSERT_TRUE(pair.run());
    auto cs = pair.client->take_session();
    auto ss = pair.server->take_session();
    ASSERT_TRUE(cs && ss);
    EXPECT_EQ(cs->directional(), p == Profile::hardened);

    pnc::DeterministicRng rng(std::uint64_t{42});
    pnc::FixedClock clock(1'700'000'000);
    pnc::router::Router crouter(p, rng, clock), srouter(p, rng, clock);

    // Server handler: db_version_request -> db_version_response echoing message_id (§5.4).
    std::vector<Json> server_out;
    srouter.on("db_version_request", [&](const Json& m) {
      server_out.push_back(pnc::router::Router::reply_to(
          m, Json{{"type", "db_version_response"}, {"payload", {{"db_version", 1}}}}));
    });

    // Client -> server: the request, sealed and opened through the sessions.
    std::optional<pnc::Result<Json>> answer;
    auto req = crouter.request(Json{{"type", "db_version_request"}},
                               [&](pnc::Result<Json> r) { answer.emplace(std::move(r)); });
    ASSERT_TRUE(req.ok());
    auto up = cs->seal_json(*req, rng);
    ASSERT_TRUE(up.ok());
    auto in = ss->receive_text(*up);
    ASSERT_TRUE(in.delivered()) << (in.error ? in.error->code : "");
    EXPECT_EQ(srouter.receive(in.opened.message).handlers_run, 1u);
    ASSERT_EQ(server_out.size(), 1u);

    // Server -> client: the response completes the pending request.
    auto down = ss->seal_json(server_out[0], rng);
    ASSERT_TRUE(down.ok());
    auto back = cs->receive_text(*down);
    ASSERT_TRUE(back.delivered());
    EXPECT_TRUE(crouter.receive(back.opened.message).correlated);
    ASSERT_TRUE(answer.has_value());
    ASSERT_TRUE(answer->ok());
    EXPECT_EQ(answer->value()["payload"]["db_version"], 1);
    EXPECT_EQ(answer->value()["message_id"], (*req)["message_id"]);
    EXPECT_EQ(crouter.pending(), 0u);

    // A server-initiated message the other way, and a replay of it.
    auto push = ss->seal_json(Json{{"type", "heartbeat"}, {"payload", Json::object()}}, rng);
    ASSERT_TRUE(push.ok());
    EXPECT_TRUE(cs->receive_text(*push).delivered());
    auto replay = cs->receive_text(*push);
    EXPECT_EQ(replay.delivered(), !pnc::is_strict(p));  // R6 [SEED]; D-10 quirk in compat
  }
}

TEST(HandshakeFull, V10TranscriptInSeedSpec) {
  Pair pair(Profile::seed_spec);
  ASSERT_TRUE(pair.run());
  ASSERT_EQ(pair.wire.size(), 3u);
  Json begin = Json::parse(pair.wire[0]);
  EXPECT_EQ(begin["nonce"], gs("V3", "nonce_hex"));
  EXPECT_EQ(begin["val_x25519_pub"], gs("V1", "val_pub_b64"));
  EXPECT_EQ(begin["val_quote"], gs("V8", "quote_b64"));  // B64(MockQuoteV4(N))
  EXPECT_EQ(begin["val_event_log"], gs("V8", "event_log"));
  Json resp = Json::parse(pair.wire[1]);
  EXPECT_EQ(resp["chal_x25519_pub"], gs("V1", "chal_pub_b64"));
  EXPECT_EQ(resp["quote"], gs("V8", "quote_b64"));
  EXPECT_EQ(resp["event_log"], gs("V8", "event_log"));
  Json ok = Json::parse(pair.wire[2]);
  EXPECT_EQ(ok, Json({{"type", "attestation_ok"}, {"aead", "chacha20poly1305"}, {"hkdf_salt", gs("V1", "salt_b64")}}));
  // Both hold K of V1: "the first envelope from C may be V2".
  auto ss = pair.server->take_session();
  auto in = ss->receive_text(gs("V2", "envelope"));
  ASSERT_TRUE(in.delivered());
  EXPECT_EQ(in.opened.plaintext, gs("V2", "plaintext"));
}

TEST(HandshakeFull, RealVerifierRejectsTamperedAndCrossEnvironmentQuotes) {
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    // A server in "prod" environment refuses the validator's dev mock quote (§3.8).
    ScriptedRng crng, srng;
    pnc::tdx::MockQuoteProvider cprov{pnc::tdx::MockParams{}}, sprov{pnc::tdx::MockParams{}};
    ClientConfig cc;
    cc.profile = p;
    cc.mode = AttestationMode::mock;
    cc.env_mode = "dev";
    ServerConfig sc;
    sc.profile = p;
    sc.mode = AttestationMode::mock;
    sc.env_mode = "prod";
    ClientHandshake client(cc, crng, &cprov);
    ServerHandshake server(sc, srng, sprov);
    Step r = server.on_text(client.start().send.at(0));
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->code, pnc::handshake::kPeerQuoteRejected);
    ASSERT_TRUE(r.cause.has_value());
    EXPECT_EQ(r.cause->code, pnc::attest_errc::kEnvMismatch);
    EXPECT_EQ(r.close->code, pnc::kClosePolicy);

    // N-HS-17: one body byte flipped in the challenge's mock quote -> the client rejects.
    Pair pair(p);
    Step b = pair.client->start();
    Step resp = pair.server->on_text(b.send.at(0));
    ASSERT_FALSE(resp.error.has_value());
    Json rj = Json::parse(resp.send.at(0));
    Bytes q = pnc::test::b64(rj["quote"].get<std::string>());
    q[200] ^= 0x01;  // inside MRTD
    rj["quote"] = ossl_b64(q);
    Step st = pair.client->on_text(rj.dump());
    ASSERT_TRUE(st.error.has_value());
    EXPECT_EQ(st.error->code, pnc::handshake::kPeerQuoteRejected);
    EXPECT_EQ(st.cause->code, pnc::attest_errc::kMockSignature);
    EXPECT_FALSE(st.established);
  }
}

TEST(HandshakeFull, HardenedClientRejectsAQuoteWithoutKeyBinding) {
  // A challenge quote bound to the nonce only (seed-spec style) fails the [HARD] key binding.
  Pair pair(Profile::hardened);
  ASSERT_EQ(pair.client->start().send.size(), 1u);
  Json resp = {{"type", "attestation_response"},
               {"quote", gs("V8", "quote_b64")},  // MockQuoteV4(N) with 32 zero bytes in [32:64]
               {"event_log", gs("V8", "event_log")},
               {"rtmrs", Json::object()},
               {"chal_x25519_pub", gs("V1", "chal_pub_b64")}};
  Step st = pair.client->on_text(resp.dump());
  ASSERT_TRUE(st.error.has_value());
  EXPECT_EQ(st.error->code, pnc::handshake::kPeerQuoteRejected);
  EXPECT_EQ(st.cause->code, pnc::attest_errc::kKeyBinding);
  // The same response is fine for a seed-spec client.
  Pair seed(Profile::seed_spec);
  seed.client->start();
  EXPECT_TRUE(seed.client->on_text(resp.dump()).established);
}

}  // namespace
