// The two handshake state machines (PROTOCOL.md §3.5, §3.6, §3.9, §3.10, §4) driven message by
// message with a fake QuoteProvider and an injected verifier: V1 key derivation reached through a
// full handshake, every state-machine-level N-HS case of §12.4 per profile (reason code, frames
// sent, close code), N-X-01/02 with the 14 low-order keys of §12.2 and a P-STATE-style sweep.
// Expected values: golden() vectors, the spec's tables, OpenSSL (SHA-256, HKDF, ChaCha20-Poly1305).
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pnc/testing/faults.hpp"
#include "pnc/handshake.hpp"
#include "pnc/spec_tables.hpp"
#include "pnc/testkit/oracles.hpp"
#include "pnc/testkit/rng.hpp"
#include "support/vectors.hpp"

namespace {

using pnc::AttestationMode;
using pnc::Bytes;
using pnc::ByteView;
using pnc::Profile;
using pnc::handshake::ClientConfig;
using pnc::handshake::ClientHandshake;
using pnc::handshake::ClientState;
using pnc::handshake::ServerConfig;
using pnc::handshake::ServerHandshake;
using pnc::handshake::ServerState;
using pnc::handshake::Step;
using pnc::test::gh;
using pnc::test::gs;
using Json = nlohmann::json;
namespace hs = pnc::handshake;

constexpr const auto& kAllProfiles = pnc::kProfiles;

// §12.2: the 14 low-order X25519 encodings (spec data).
constexpr const auto& kLowOrderKeys = pnc::spec::kLowOrderX25519Hex;  // §12.2

// ---------------------------------------------------------------- test doubles and oracles

// Queued draws of their size, else DeterministicRng(11) (the toolkit's scripted Rng).
class ScriptedRng : public pnc::testkit::ScriptedRng {
 public:
  ScriptedRng() : pnc::testkit::ScriptedRng(11) {}
};
using pnc::testkit::ossl_b64;
using pnc::testkit::ossl_envelope;
Bytes sha256(ByteView data) { return pnc::testkit::ossl_sha256(data); }
Bytes ossl_hkdf(ByteView salt, ByteView ikm, std::string_view info) {
  return pnc::testkit::ossl_hkdf_sha256(salt, ikm, info, 32);
}

class FakeProvider final : public pnc::QuoteProvider {
 public:
  std::optional<pnc::ByteArray<64>> last;
  int calls = 0;
  bool fail = false;
  Bytes quote = Bytes(700, 0x51);
  std::optional<std::string> event_log = std::string(R"([{"event":"app-id"}])");
  Json rtmrs = Json{{"rtmr0", std::string(96, 'a')}};
  pnc::Result<pnc::Evidence> get_quote(const pnc::ByteArray<64>& report_data) override {
    ++calls;
    last = report_data;
    if (fail) return pnc::make_error("fake.unavailable", "no quote");
    return pnc::Evidence{quote, event_log, rtmrs};
  }
};

// Records what the state machine asked and returns a scripted verdict.
struct FakeVerifier {
  struct Seen {
    Profile profile;
    AttestationMode mode;
    std::string quote_b64;
    std::optional<std::string> event_log;
    Bytes nonce;
    std::string local_env;
    std::optional<pnc::ByteArray<32>> key_binding;
    std::optional<std::string> compose;
    pnc::DcapVerifier* dcap;
  };
  std::vector<Seen> seen;
  std::optional<pnc::Error> verdict;
  hs::PeerVerifier fn() {
    return [this](const pnc::PeerQuoteCheck& c) -> pnc::Status {
      seen.push_back({c.profile, c.mode, std::string(c.quote_b64), c.event_log,
                      Bytes(c.nonce.begin(), c.nonce.end()), c.local_env, c.key_binding,
                      c.expected_compose_hash, c.dcap});
      if (verdict) return *verdict;
      return {};
    };
  }
};

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
// True iff the channel accepts an envelope sealed by OpenSSL under `key`.
bool channel_uses_recv_key(pnc::envelope::Channel& ch, ByteView key) {
  static std::uint8_t counter = 0;
  Bytes nonce(12, ++counter);
  return ch.receive_text(ossl_envelope(key, nonce, R"({"type":"probe"})")).delivered();
}
// The envelope the channel seals for a fixed nonce equals OpenSSL's under `key`.
bool channel_uses_send_key(pnc::envelope::Channel& ch, ByteView key) {
  ScriptedRng rng;
  Bytes nonce(12, 0xc3);
  rng.push(nonce);
  auto out = ch.seal(R"({"type":"probe"})", rng);
  return out.ok() && Json::parse(*out) == Json::parse(ossl_envelope(key, nonce, R"({"type":"probe"})"));
}

Json parse(const std::string& s) { return Json::parse(s); }
std::string type_of(const std::string& frame) { return parse(frame).value("type", ""); }

// Asserts a failure step: reason code, whether an attestation_reject went out, close code.
void expect_failure(const Step& s, const char* code, bool reject_sent, std::uint16_t close_code,
                    const std::string& context = "") {
  ASSERT_TRUE(s.error.has_value()) << context << ": expected " << code;
  EXPECT_EQ(s.error->code, code) << context;
  EXPECT_FALSE(s.established) << context;
  ASSERT_TRUE(s.close.has_value()) << context;
  EXPECT_EQ(s.close->code, close_code) << context;
  if (reject_sent) {
    ASSERT_EQ(s.send.size(), 1u) << context;
    EXPECT_EQ(type_of(s.send[0]), "attestation_reject") << context;
    EXPECT_TRUE(parse(s.send[0])["reason"].is_string()) << context;
  } else {
    EXPECT_TRUE(s.send.empty()) << context << ": unexpected frame " << (s.send.empty() ? "" : s.send[0]);
  }
}
// Per-profile expectation for a server-side abort: strict = reject + strict_close; compat per flag.
void expect_server_abort(Profile p, const Step& s, const char* code, bool compat_reject = false,
                         std::uint16_t strict_close = pnc::kClosePolicy) {
  if (pnc::is_strict(p))
    expect_failure(s, code, true, strict_close, std::string(pnc::to_string(p)));
  else
    expect_failure(s, code, compat_reject, pnc::kCloseNormal, std::string(pnc::to_string(p)));
}

// ---------------------------------------------------------------- fixtures

const Bytes& v3_nonce() {
  static const Bytes n = gh("V3", "nonce_hex");
  return n;
}

Json begin_msg(const std::string& nonce_hex, const std::string& val_pub_b64, bool with_quote = true) {
  Json b = {{"type", "attestation_begin"}, {"nonce", nonce_hex}, {"val_x25519_pub", val_pub_b64}};
  if (with_quote) {
    b["val_quote"] = ossl_b64(Bytes(1276, 0x21));
    b["val_event_log"] = R"({"environment_mode":"prod"})";
  }
  return b;
}
Json valid_begin() { return begin_msg(gs("V3", "nonce_hex"), gs("V1", "val_pub_b64")); }
Json ok_msg(Profile p, const std::string& salt_b64) {
  return {{"type", "attestation_ok"},
          {"aead", p == Profile::hardened ? "chacha20poly1305-dir" : "chacha20poly1305"},
          {"hkdf_salt", salt_b64}};
}
Json valid_ok(Profile p) { return ok_msg(p, gs("V1", "salt_b64")); }

struct Server {
  ScriptedRng rng;
  FakeProvider provider;
  FakeVerifier verifier;
  std::optional<ServerHandshake> hs;
  explicit Server(Profile p, AttestationMode mode = AttestationMode::prod, std::string env = "prod",
                  std::function<void(ServerConfig&)> tweak = {}) {
    rng.push(gh("V1", "chal_sk"));
    ServerConfig cfg;
    cfg.profile = p;
    cfg.mode = mode;
    cfg.env_mode = std::move(env);
    cfg.verifier = verifier.fn();
    if (tweak) tweak(cfg);
    hs.emplace(cfg, rng, provider);
  }
  Step begin(const Json& m) { return hs->on_text(m.dump()); }
  // Runs a valid begin; asserts the response went out.
  void respond(const Json& m = valid_begin()) {
    Step s = begin(m);
    ASSERT_FALSE(s.error.has_value()) << s.error->code << " " << s.error->message;
    ASSERT_EQ(s.send.size(), 1u);
    ASSERT_EQ(type_of(s.send[0]), "attestation_response");
    ASSERT_EQ(hs->state(), ServerState::sent_response);
  }
};

struct Client {
  ScriptedRng rng;
  FakeProvider provider;
  FakeVerifier verifier;
  std::optional<ClientHandshake> hs;
  explicit Client(Profile p, bool validator = true, AttestationMode mode = AttestationMode::prod,
                  std::function<void(ClientConfig&)> tweak = {}) {
    rng.push(v3_nonce());
    rng.push(gh("V1", "val_sk"));
    rng.push(gh("V1", "salt"));
    ClientConfig cfg;
    cfg.profile = p;
    cfg.mode = mode;
    cfg.verifier = verifier.fn();
    if (tweak) tweak(cfg);
    hs.emplace(cfg, rng, validator ? &provider : nullptr);
  }
  Json start() {
    Step s = hs->start();
    EXPECT_FALSE(s.error.has_value());
    EXPECT_EQ(s.send.size(), 1u);
    return s.send.empty() ? Json() : parse(s.send[0]);
  }
};

Json response_msg(const std::string& chal_pub_b64) {
  return {{"type", "attestation_response"},
          {"quote", ossl_b64(Bytes(1276, 0x31))},
          {"event_log", R"([{"event":"environment-mode","event_payload":"70726f64"}])"},
          {"rtmrs", Json::object()},
          {"chal_x25519_pub", chal_pub_b64}};
}
Json valid_response() { return response_msg(gs("V1", "chal_pub_b64")); }

// ---------------------------------------------------------------- V1 through the state machines

TEST(HandshakeV1, FullHandshakeDerivesV1KeyInSeedAndCompat) {
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    SCOPED_TRACE(std::string(pnc::to_string(p)));
    Client c(p);
    Server s(p);
    Json begin = c.start();
    EXPECT_EQ(begin["type"], "attestation_begin");
    EXPECT_EQ(begin["nonce"], gs("V3", "nonce_hex"));
    EXPECT_EQ(begin["val_x25519_pub"], gs("V1", "val_pub_b64"));
    // The validator's quote is bound to SHA256(N) || 0^32 (§3.4, V3).
    ASSERT_TRUE(c.provider.last.has_value());
    EXPECT_EQ(Bytes(c.provider.last->begin(), c.provider.last->begin() + 32), gh("V3", "rd_ws"));
    EXPECT_EQ(Bytes(c.provider.last->begin() + 32, c.provider.last->end()), Bytes(32, 0));
    EXPECT_EQ(pnc::test::b64(begin["val_quote"].get<std::string>()), c.provider.quote);

    Step r = s.hs->on_text(begin.dump());
    ASSERT_FALSE(r.error.has_value()) << r.error->code;
    ASSERT_EQ(r.send.size(), 1u);
    Json resp = parse(r.send[0]);
    EXPECT_EQ(resp["type"], "attestation_response");
    EXPECT_EQ(resp["chal_x25519_pub"], gs("V1", "chal_pub_b64"));
    EXPECT_EQ(pnc::test::b64(resp["quote"].get<std::string>()), s.provider.quote);
    ASSERT_TRUE(s.provider.last.has_value());
    EXPECT_EQ(Bytes(s.provider.last->begin(), s.provider.last->begin() + 32), gh("V3", "rd_ws"));
    EXPECT_EQ(Bytes(s.provider.last->begin() + 32, s.provider.last->end()), Bytes(32, 0));
    // Mutual attestation: the server checked the validator's quote against N.
    ASSERT_EQ(s.verifier.seen.size(), 1u);
    EXPECT_EQ(s.verifier.seen[0].nonce, v3_nonce());
    EXPECT_EQ(s.verifier.seen[0].quote_b64, begin["val_quote"]);
    EXPECT_EQ(s.verifier.seen[0].local_env, "prod");
    EXPECT_EQ(s.verifier.seen[0].profile, p);
    EXPECT_FALSE(s.verifier.seen[0].key_binding.has_value());

    Step ok = c.hs->on_text(r.send[0]);
    ASSERT_FALSE(ok.error.has_value()) << ok.error->code;
    ASSERT_TRUE(ok.established);
    EXPECT_EQ(c.hs->state(), ClientState::encrypted);
    Json okm = parse(ok.send.at(0));
    EXPECT_EQ(okm, Json({{"type", "attestation_ok"}, {"aead", "chacha20poly1305"}, {"hkdf_salt", gs("V1", "salt_b64")}}));
    ASSERT_EQ(c.verifier.seen.size(), 1u);
    EXPECT_EQ(c.verifier.seen[0].nonce, v3_nonce());
    EXPECT_EQ(c.verifier.seen[0].quote_b64, resp["quote"]);

    Step fin = s.hs->on_text(ok.send[0]);
    ASSERT_FALSE(fin.error.has_value()) << fin.error->code;
    EXPECT_TRUE(fin.established);
    EXPECT_TRUE(fin.send.empty());
    EXPECT_FALSE(fin.close.has_value());
    EXPECT_EQ(s.hs->state(), ServerState::encrypted);

    // Both hold K of V1: the server opens V2, the client reproduces V2 byte for byte.
    auto server_session = s.hs->take_session();
    auto client_session = c.hs->take_session();
    ASSERT_TRUE(server_session && client_session);
    EXPECT_FALSE(s.hs->take_session().has_value());  // handed out once
    auto in = server_session->receive_text(gs("V2", "envelope"));
    ASSERT_TRUE(in.delivered());
    EXPECT_EQ(in.opened.plaintext, gs("V2", "plaintext"));
    ScriptedRng nonce_rng;
    nonce_rng.push(gh("V2", "nonce"));
    auto sealed = client_session->seal(gs("V2", "plaintext"), nonce_rng);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(*sealed, gs("V2", "envelope"));
    EXPECT_FALSE(client_session->directional());
  }
}

TEST(HandshakeV1, HardenedDerivesDirectionalKeysAndBindsKeysInQuotes) {
  Client c(Profile::hardened);
  Server s(Profile::hardened);
  Json begin = c.start();
  const Bytes val_pub = gh("V1", "val_pub"), chal_pub = gh("V1", "chal_pub");
  const Bytes label = pnc::to_bytes("pnc-kx-v1");
  // Validator quote: [32:64] = SHA256("pnc-kx-v1" || val_pub) (§3.4 [HARD]).
  EXPECT_EQ(Bytes(c.provider.last->begin() + 32, c.provider.last->end()), sha256(cat({label, val_pub})));
  Step r = s.hs->on_text(begin.dump());
  ASSERT_FALSE(r.error.has_value()) << r.error->code;
  // Challenge quote: [32:64] = SHA256("pnc-kx-v1" || val_pub || chal_pub); both sides check them.
  EXPECT_EQ(Bytes(s.provider.last->begin(), s.provider.last->begin() + 32), gh("V3", "rd_ws"));
  EXPECT_EQ(Bytes(s.provider.last->begin() + 32, s.provider.last->end()), sha256(cat({label, val_pub, chal_pub})));
  ASSERT_TRUE(s.verifier.seen.at(0).key_binding.has_value());
  EXPECT_EQ(Bytes(s.verifier.seen[0].key_binding->begin(), s.verifier.seen[0].key_binding->end()),
            sha256(cat({label, val_pub})));
  Step ok = c.hs->on_text(r.send.at(0));
  ASSERT_TRUE(ok.established);
  ASSERT_TRUE(c.verifier.seen.at(0).key_binding.has_value());
  EXPECT_EQ(Bytes(c.verifier.seen[0].key_binding->begin(), c.verifier.seen[0].key_binding->end()),
            sha256(cat({label, val_pub, chal_pub})));
  EXPECT_EQ(parse(ok.send.at(0))["aead"], "chacha20poly1305-dir");
  ASSERT_TRUE(s.hs->on_text(ok.send[0]).established);

  const Bytes c2s = ossl_hkdf(gh("V1", "salt"), gh("V1", "shared"), "platform-api-sdk-v1/c2s");
  const Bytes s2c = ossl_hkdf(gh("V1", "salt"), gh("V1", "shared"), "platform-api-sdk-v1/s2c");
  auto cs = c.hs->take_session();
  auto ss = s.hs->take_session();
  ASSERT_TRUE(cs && ss);
  EXPECT_TRUE(cs->directional() && ss->directional());
  EXPECT_TRUE(channel_uses_send_key(*cs, c2s));
  EXPECT_TRUE(channel_uses_send_key(*ss, s2c));
  EXPECT_TRUE(channel_uses_recv_key(*ss, c2s));
  EXPECT_TRUE(channel_uses_recv_key(*cs, s2c));
  // The single V1 key is not in use.
  EXPECT_FALSE(ss->receive_text(gs("V2", "envelope")).delivered());
}

TEST(HandshakeV1, ClientAndServerInteroperateInEveryProfile) {
  for (Profile p : kAllProfiles) {
    pnc::DeterministicRng crng(std::uint64_t{100}), srng(std::uint64_t{200});
    FakeProvider cprov, sprov;
    FakeVerifier cver, sver;
    ClientConfig ccfg;
    ccfg.profile = p;
    ccfg.verifier = cver.fn();
    ServerConfig scfg;
    scfg.profile = p;
    scfg.verifier = sver.fn();
    ClientHandshake client(ccfg, crng, &cprov);
    ServerHandshake server(scfg, srng, sprov);
    Step b = client.start();
    Step r = server.on_text(b.send.at(0));
    Step ok = client.on_text(r.send.at(0));
    Step fin = server.on_text(ok.send.at(0));
    ASSERT_TRUE(ok.established && fin.established) << pnc::to_string(p);
    auto cs = client.take_session();
    auto ss = server.take_session();
    pnc::DeterministicRng mrng(std::uint64_t{300});
    auto up = cs->seal(R"({"type":"orm_ready"})", mrng);
    auto down = ss->seal(R"({"type":"orm_permissions"})", mrng);
    EXPECT_EQ(ss->receive_text(*up).opened.message["type"], "orm_ready");
    EXPECT_EQ(cs->receive_text(*down).opened.message["type"], "orm_permissions");
  }
}

// ---------------------------------------------------------------- server: S1 (N-HS-01..03)

TEST(ServerHandshakeS1, NHs01_FirstFrameAttestationOk) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    Step st = s.hs->on_text(valid_ok(p).dump());
    expect_server_abort(p, st, hs::kExpectedBegin);
    if (pnc::is_strict(p)) {
      EXPECT_EQ(parse(st.send[0])["reason"], "expected attestation_begin");
    }
    EXPECT_EQ(s.hs->state(), ServerState::closed);
    EXPECT_EQ(s.provider.calls, 0);
  }
}

TEST(ServerHandshakeS1, NHs02_ApiHeadAttestationRequest) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    Json req = {{"type", "attestation_request"}, {"nonce", gs("V3", "nonce_hex")}, {"api_x25519_pub", gs("V1", "val_pub_b64")}};
    expect_server_abort(p, s.begin(req), hs::kExpectedBegin);
  }
}

TEST(ServerHandshakeS1, NHs03_NotJsonAndBinary) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    expect_server_abort(p, s.hs->on_text("this is not json"), hs::kBadJson, false, pnc::kCloseInvalidPayload);
    Server b(p);
    Step st = b.hs->on_binary();
    expect_failure(st, hs::kBinaryFrame, false, pnc::is_strict(p) ? pnc::kCloseUnsupportedData : pnc::kCloseNormal);
    EXPECT_EQ(b.hs->state(), ServerState::closed);
  }
}

TEST(ServerHandshakeS1, NEnc08_TopLevelNotAnObject) {
  for (Profile p : kAllProfiles)
    for (const char* f : {"[]", R"(["attestation_begin"])", "\"attestation_begin\"", "42"}) {
      Server s(p);
      expect_server_abort(p, s.hs->on_text(f), hs::kExpectedBegin);
    }
}

TEST(ServerHandshakeS1, NEnc09_DuplicateMembers) {
  Json b = valid_begin();
  std::string body = b.dump().substr(1);  // members without the opening brace
  std::string dup_ok_first = R"({"type":"attestation_ok",)" + body;  // last wins: a begin
  for (Profile p : kAllProfiles) {
    Server s(p);
    Step st = s.hs->on_text(dup_ok_first);
    if (pnc::is_strict(p)) {
      expect_failure(st, hs::kBadJson, true, pnc::kCloseInvalidPayload);
    } else {
      EXPECT_FALSE(st.error.has_value());
      EXPECT_EQ(type_of(st.send.at(0)), "attestation_response");
    }
  }
}

TEST(ServerHandshakeS1, NEnc10_11_NanBadUtf8AndDepth) {
  std::string deep = std::string(65, '[') + std::string(65, ']');
  for (std::string f : {std::string(R"({"type":"attestation_begin","x":NaN})"),
                        std::string("{\"type\":\"attestation_begin\",\"x\":\"\xc3\x28\"}"),
                        std::string(R"({"type":"attestation_begin","x":"\ud800"})"),
                        R"({"type":"attestation_begin","x":)" + deep + "}"}) {
    Server s(Profile::seed_spec);
    expect_failure(s.hs->on_text(f), hs::kBadJson, true, pnc::kCloseInvalidPayload, f.substr(0, 40));
  }
}

// ---------------------------------------------------------------- server: S2 (N-HS-04..06)

TEST(ServerHandshakeS2, NHs04_MissingNonceOrKey) {
  for (Profile p : kAllProfiles)
    for (const char* member : {"nonce", "val_x25519_pub"}) {
      Server s(p);
      Json b = valid_begin();
      b.erase(member);
      expect_server_abort(p, s.begin(b), hs::kMissingField);
      EXPECT_EQ(s.provider.calls, 0);
    }
}

TEST(ServerHandshakeS2, NHs05_06_NonceLengthStrictRejectsCompatAccepts) {
  const std::string full = gs("V3", "nonce_hex");
  for (std::string nonce : {full.substr(0, 62), full + "20", std::string()}) {
    for (Profile p : kAllProfiles) {
      Server s(p);
      Step st = s.begin(begin_msg(nonce, gs("V1", "val_pub_b64")));
      if (pnc::is_strict(p)) {
        expect_failure(st, hs::kBadNonce, true, pnc::kClosePolicy, nonce);
      } else {
        // Quirk: accepted; report_data = SHA256(decoded bytes), SHA256(empty) for "".
        ASSERT_FALSE(st.error.has_value()) << nonce;
        ASSERT_TRUE(s.provider.last.has_value());
        EXPECT_EQ(Bytes(s.provider.last->begin(), s.provider.last->begin() + 32),
                  sha256(pnc::test::hex(nonce)));
        EXPECT_EQ(s.verifier.seen.at(0).nonce, pnc::test::hex(nonce));
      }
    }
  }
}

TEST(ServerHandshakeS2, NEnc07_HexNonceShapes) {
  const std::string full = gs("V3", "nonce_hex");
  std::string spaced = full.substr(0, 32) + " " + full.substr(32);
  std::string upper = full;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  struct Case { std::string nonce; bool compat_ok; };
  for (const Case& c : {Case{full.substr(0, 63), false}, Case{full + "0", false}, Case{"0x" + full.substr(2), false},
                        Case{full.substr(0, 63) + "g", false}, Case{spaced, true}}) {
    Server strict(Profile::seed_spec);
    expect_failure(strict.begin(begin_msg(c.nonce, gs("V1", "val_pub_b64"))), hs::kBadNonce, true, pnc::kClosePolicy, c.nonce);
    Server compat(Profile::sdk_compat);
    Step st = compat.begin(begin_msg(c.nonce, gs("V1", "val_pub_b64")));
    if (c.compat_ok) {
      EXPECT_FALSE(st.error.has_value()) << c.nonce;  // bytes.fromhex skips the space
      EXPECT_EQ(compat.verifier.seen.at(0).nonce, v3_nonce());
    } else {
      expect_failure(st, hs::kBadNonce, false, pnc::kCloseNormal, c.nonce);
    }
  }
  Server s(Profile::seed_spec);  // upper-case hex is accepted on input
  s.respond(begin_msg(upper, gs("V1", "val_pub_b64")));
  EXPECT_EQ(s.verifier.seen.at(0).nonce, v3_nonce());
}

TEST(ServerHandshakeS2, NEnc12_WrongMemberTypes) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    Json b = valid_begin();
    b["nonce"] = 123;
    expect_server_abort(p, s.begin(b), hs::kBadNonce);
  }
  Server s(Profile::seed_spec);
  Json b = valid_begin();
  b["val_x25519_pub"] = Json::array();
  expect_failure(s.begin(b), hs::kBadValPub, true, pnc::kClosePolicy);
  Server q(Profile::seed_spec);
  b = valid_begin();
  b["val_quote"] = Json::array();
  expect_failure(q.begin(b), hs::kBadValQuote, true, pnc::kClosePolicy);
  EXPECT_TRUE(q.verifier.seen.empty());
}

TEST(ServerHandshakeS2, NEnc05_ValPubLengthStrictAtS2CompatAtS6) {
  const Bytes pub = gh("V1", "val_pub");
  for (std::size_t n : {31u, 33u}) {
    Bytes bad = pub;
    bad.resize(n, 0x01);
    for (Profile p : kAllProfiles) {
      Server s(p);
      Step st = s.begin(begin_msg(gs("V3", "nonce_hex"), ossl_b64(bad)));
      if (pnc::is_strict(p)) {
        expect_failure(st, hs::kBadValPub, true, pnc::kClosePolicy);
        EXPECT_EQ(s.provider.calls, 0);
      } else {
        // [COMPAT] not validated until S6: the response already went out.
        ASSERT_FALSE(st.error.has_value());
        ASSERT_EQ(type_of(st.send.at(0)), "attestation_response");
        expect_failure(s.hs->on_text(valid_ok(p).dump()), hs::kBadValPub, false, pnc::kCloseNormal);
      }
    }
  }
}

TEST(ServerHandshakeS2, NEnc01_03_StrictBase64ForTheKey) {
  std::string b64 = gs("V1", "val_pub_b64");
  std::string with_star = b64;
  with_star[5] = '*';
  std::string no_pad = b64.substr(0, b64.size() - 1);
  for (const std::string& k : {with_star, no_pad, std::string(), " " + b64}) {
    Server s(Profile::seed_spec);
    expect_failure(s.begin(begin_msg(gs("V3", "nonce_hex"), k)), hs::kBadValPub, true, pnc::kClosePolicy, k);
  }
}

// ---------------------------------------------------------------- server: S3 (N-HS-07..17)

TEST(ServerHandshakeS3, NHs07_ProdRequiresValidatorQuote) {
  for (Profile p : kAllProfiles) {
    for (bool empty_string : {false, true}) {
      Server s(p);
      Json b = valid_begin();
      if (empty_string) b["val_quote"] = ""; else b.erase("val_quote");
      Step st = s.begin(b);
      // Both profiles send the reject with the exact reason (COMPAT then closes 1000).
      expect_failure(st, hs::kValQuoteRequired, true, pnc::is_strict(p) ? pnc::kClosePolicy : pnc::kCloseNormal);
      EXPECT_EQ(parse(st.send.at(0)), Json({{"type", "attestation_reject"},
                                           {"reason", "Validator quote required for mutual attestation"}}));
      EXPECT_TRUE(s.verifier.seen.empty());
      EXPECT_EQ(s.provider.calls, 0);
    }
  }
}

TEST(ServerHandshakeS3, NHs07_MockModeWithoutQuoteContinues) {
  for (Profile p : kAllProfiles) {
    Server s(p, AttestationMode::mock, "dev");
    Json b = valid_begin();
    b.erase("val_quote");
    s.respond(b);
    EXPECT_TRUE(s.verifier.seen.empty());
  }
}

// N-HS-08..17 and 13/14/15: whatever the attestation check reports is a rejection in prod
// (both profiles send attestation_reject with the check's reason) and in strict mock mode.
TEST(ServerHandshakeS3, NHs08to17_PeerQuoteFailuresReject) {
  const char* codes[] = {pnc::attest_errc::kTooShort, pnc::attest_errc::kNonceBinding,
                         pnc::attest_errc::kStructure, pnc::attest_errc::kEnvMismatch,
                         pnc::attest_errc::kEnvMissing, pnc::attest_errc::kMockMarkerInProd,
                         pnc::attest_errc::kMockSignature, pnc::attest_errc::kKeyBinding};
  for (const char* code : codes) {
    for (Profile p : kAllProfiles) {
      for (AttestationMode mode : {AttestationMode::prod, AttestationMode::mock}) {
        Server s(p, mode);
        s.verifier.verdict = pnc::make_error(code, std::string("check failed: ") + code);
        Step st = s.begin(valid_begin());
        ASSERT_EQ(s.verifier.seen.size(), 1u);
        if (!pnc::is_strict(p) && mode == AttestationMode::mock) {
          // [COMPAT] quirk: mock_attestation waives every failure (environment included).
          ASSERT_FALSE(st.error.has_value()) << code;
          ASSERT_EQ(st.waived.size(), 1u);
          EXPECT_EQ(st.waived[0].code, code);
          EXPECT_EQ(type_of(st.send.at(0)), "attestation_response");
          continue;
        }
        expect_failure(st, hs::kPeerQuoteRejected, true, pnc::is_strict(p) ? pnc::kClosePolicy : pnc::kCloseNormal, code);
        ASSERT_TRUE(st.cause.has_value());
        EXPECT_EQ(st.cause->code, code);
        EXPECT_EQ(parse(st.send.at(0))["reason"], std::string("check failed: ") + code);
        EXPECT_EQ(s.provider.calls, 0);  // nothing of ours was produced
      }
    }
  }
}

TEST(ServerHandshakeS3, CheckInputsArePassedThrough) {
  struct FakeDcap final : pnc::DcapVerifier {
    pnc::Status verify(ByteView) override { return {}; }
  } dcap;
  Server s(Profile::seed_spec, AttestationMode::prod, "prod", [&](ServerConfig& c) {
    c.dcap = &dcap;
    c.expected_compose_hash = "abc";
  });
  s.respond();
  const auto& seen = s.verifier.seen.at(0);
  EXPECT_EQ(seen.mode, AttestationMode::prod);
  EXPECT_EQ(seen.dcap, &dcap);
  EXPECT_EQ(seen.compose, std::optional<std::string>("abc"));
  EXPECT_EQ(seen.event_log, std::optional<std::string>(R"({"environment_mode":"prod"})"));
}

TEST(ServerHandshakeS3, EventLogShapes) {
  // [COMPAT] a JSON object log is accepted and handed over as text; [SEED] it must be text.
  Json b = valid_begin();
  b["val_event_log"] = Json{{"environment_mode", "dev"}};
  Server compat(Profile::sdk_compat);
  compat.respond(b);
  EXPECT_EQ(compat.verifier.seen.at(0).event_log, std::optional<std::string>(R"({"environment_mode":"dev"})"));
  Server strict(Profile::seed_spec);
  expect_failure(strict.begin(b), hs::kBadEventLog, true, pnc::kClosePolicy);
  // Absent or null: no log.
  b["val_event_log"] = nullptr;
  Server none(Profile::seed_spec);
  none.respond(b);
  EXPECT_FALSE(none.verifier.seen.at(0).event_log.has_value());
}

TEST(ServerHandshakeS3, CompatNonStringQuoteIsAVerificationFailure) {
  Json b = valid_begin();
  b["val_quote"] = 5;
  Server prod(Profile::sdk_compat);
  Step st = prod.begin(b);
  expect_failure(st, hs::kPeerQuoteRejected, true, pnc::kCloseNormal);
  Server mock(Profile::sdk_compat, AttestationMode::mock);
  Step ok = mock.begin(b);
  EXPECT_FALSE(ok.error.has_value());
  EXPECT_EQ(ok.waived.size(), 1u);
}

// ---------------------------------------------------------------- server: S4-S5

TEST(ServerHandshakeS4, QuoteUnavailable) {
  for (Profile p : kAllProfiles) {
    for (bool short_quote : {false, true}) {
      Server s(p);
      if (short_quote) s.provider.quote = Bytes(99, 1); else s.provider.fail = true;
      Step st = s.begin(valid_begin());
      if (pnc::is_strict(p)) {
        expect_failure(st, hs::kQuoteUnavailable, true, pnc::kCloseInternal);
        EXPECT_EQ(parse(st.send[0])["reason"], "quote unavailable");
      } else {
        expect_failure(st, hs::kQuoteUnavailable, false, pnc::kCloseNormal);
      }
    }
  }
  Server exact(Profile::seed_spec);  // 100 bytes is enough (§3.5 S4)
  exact.provider.quote = Bytes(100, 1);
  exact.respond();
}

TEST(ServerHandshakeS4, CompatMockFallbackQuote) {
  Server s(Profile::sdk_compat, AttestationMode::mock, "prod", [](ServerConfig& c) { c.compose_hash = "ch-1"; });
  s.provider.fail = true;
  Step st = s.begin(valid_begin());
  ASSERT_FALSE(st.error.has_value());
  Json resp = parse(st.send.at(0));
  Bytes quote = pnc::test::b64(resp["quote"].get<std::string>());
  ASSERT_EQ(quote.size(), 1024u);
  EXPECT_EQ(Bytes(quote.begin() + 584, quote.begin() + 616), gh("V3", "rd_ws"));  // §9.6 layout
  Json log = Json::parse(resp["event_log"].get<std::string>());
  EXPECT_EQ(log["environment_mode"], "prod");  // annotated with env_mode
  EXPECT_EQ(log["compose-hash"], "ch-1");
  EXPECT_EQ(resp["rtmrs"], Json::object());
}

TEST(ServerHandshakeS4, EventLogAnnotationCompatOnly) {
  struct Case { std::optional<std::string> log; std::function<void(const Json&)> compat_check; };
  const std::string arr = R"([{"event":"app-id"}])";
  std::vector<Case> cases = {
      {std::string(R"({"a":1})"), [](const Json& l) {
         Json v = Json::parse(l.get<std::string>());
         EXPECT_EQ(v["a"], 1);
         EXPECT_EQ(v["environment_mode"], "dev");
       }},
      {arr, [&](const Json& l) { EXPECT_EQ(l, arr); }},
      {std::string("not json"), [](const Json& l) {
         EXPECT_EQ(Json::parse(l.get<std::string>()), Json({{"environment_mode", "dev"}, {"original", "not json"}}));
       }},
      {std::nullopt, [](const Json& l) { EXPECT_TRUE(l.is_null()); }},
  };
  for (const auto& c : cases) {
    Server compat(Profile::sdk_compat, AttestationMode::prod, "dev");
    compat.provider.event_log = c.log;
    Step st = compat.begin(valid_begin());
    ASSERT_FALSE(st.error.has_value());
    c.compat_check(parse(st.send.at(0))["event_log"]);
    Server strict(Profile::seed_spec, AttestationMode::prod, "dev");
    strict.provider.event_log = c.log;
    Step st2 = strict.begin(valid_begin());
    ASSERT_FALSE(st2.error.has_value());
    Json l = parse(st2.send.at(0))["event_log"];
    if (c.log) EXPECT_EQ(l, *c.log); else EXPECT_TRUE(l.is_null());  // never edited
  }
}

TEST(ServerHandshakeS5, ResponseShape) {
  Server s(Profile::seed_spec);
  Step st = s.begin(valid_begin());
  Json r = parse(st.send.at(0));
  EXPECT_EQ(r["type"], "attestation_response");
  EXPECT_EQ(r["event_log"], *s.provider.event_log);
  EXPECT_EQ(r["rtmrs"], s.provider.rtmrs);
  EXPECT_EQ(pnc::test::b64(r["chal_x25519_pub"].get<std::string>()), gh("V1", "chal_pub"));
  EXPECT_FALSE(st.close.has_value());
}

// ---------------------------------------------------------------- server: S6 (N-HS-18..21)

TEST(ServerHandshakeS6, NHs18_MissingOrEmptySalt) {
  for (Profile p : kAllProfiles) {
    for (bool empty : {false, true}) {
      Server s(p);
      s.respond();
      Json ok = valid_ok(p);
      if (empty) ok["hkdf_salt"] = ""; else ok.erase("hkdf_salt");
      expect_server_abort(p, s.hs->on_text(ok.dump()), hs::kMissingSalt);
      EXPECT_FALSE(s.hs->take_session().has_value());
    }
  }
  Server s(Profile::seed_spec);
  s.respond();
  Json ok = valid_ok(Profile::seed_spec);
  ok["hkdf_salt"] = nullptr;  // N-ENC-12
  expect_failure(s.hs->on_text(ok.dump()), hs::kBadSalt, true, pnc::kClosePolicy);
}

TEST(ServerHandshakeS6, D09_CompatSaltB64Fallback) {
  for (bool empty_primary : {false, true}) {
    Server s(Profile::sdk_compat);
    s.respond();
    Json ok = {{"type", "attestation_ok"}, {"hkdf_salt_b64", gs("V1", "salt_b64")}};
    if (empty_primary) ok["hkdf_salt"] = "";
    Step st = s.hs->on_text(ok.dump());
    ASSERT_TRUE(st.established);
    auto session = s.hs->take_session();
    EXPECT_TRUE(session->receive_text(gs("V2", "envelope")).delivered());  // K of V1
  }
  Server strict(Profile::seed_spec);  // [SEED] only hkdf_salt
  strict.respond();
  Json ok = {{"type", "attestation_ok"}, {"aead", "chacha20poly1305"}, {"hkdf_salt_b64", gs("V1", "salt_b64")}};
  expect_failure(strict.hs->on_text(ok.dump()), hs::kMissingSalt, true, pnc::kClosePolicy);
}

TEST(ServerHandshakeS6, NHs19_SaltLength) {
  for (std::size_t n : {16u, 31u, 33u, 64u}) {
    Bytes salt(n, 0x07);
    for (Profile p : kAllProfiles) {
      Server s(p);
      s.respond();
      Step st = s.hs->on_text(ok_msg(p, ossl_b64(salt)).dump());
      if (pnc::is_strict(p)) {
        expect_failure(st, hs::kBadSalt, true, pnc::kClosePolicy);
      } else {
        ASSERT_TRUE(st.established) << n;  // quirk: any length, key = HKDF(that salt)
        auto session = s.hs->take_session();
        EXPECT_TRUE(channel_uses_recv_key(*session, ossl_hkdf(salt, gh("V1", "shared"), "platform-api-sdk-v1")));
      }
    }
  }
}

TEST(ServerHandshakeS6, NHs20_AeadLabel) {
  struct Case { Profile p; std::optional<std::string> aead; bool ok; };
  for (const Case& c : {Case{Profile::seed_spec, "xchacha20poly1305", false}, Case{Profile::seed_spec, std::nullopt, false},
                        Case{Profile::seed_spec, "chacha20poly1305-dir", false}, Case{Profile::hardened, "chacha20poly1305", false},
                        Case{Profile::hardened, "xchacha20poly1305", false}, Case{Profile::sdk_compat, "xchacha20poly1305", true},
                        Case{Profile::sdk_compat, std::nullopt, true}}) {
    Server s(c.p);
    s.respond();
    Json ok = valid_ok(c.p);
    if (c.aead) ok["aead"] = *c.aead; else ok.erase("aead");
    Step st = s.hs->on_text(ok.dump());
    if (c.ok) {
      EXPECT_TRUE(st.established);
    } else {
      expect_failure(st, hs::kBadAead, true, pnc::kClosePolicy, c.aead.value_or("(missing)"));
    }
  }
}

TEST(ServerHandshakeS6, NHs21_SecondBeginInsteadOfOk) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    s.respond();
    expect_server_abort(p, s.hs->on_text(valid_begin().dump()), hs::kExpectedOk);
    EXPECT_EQ(s.hs->state(), ServerState::closed);
  }
}

TEST(ServerHandshakeS6, GarbageAndNonObjectsAfterResponse) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    s.respond();
    expect_server_abort(p, s.hs->on_text("{"), hs::kBadJson, false, pnc::kCloseInvalidPayload);
    Server t(p);
    t.respond();
    expect_server_abort(p, t.hs->on_text("[1]"), hs::kExpectedOk);
  }
}

TEST(ServerHandshakeS6, ClientRejectClosesWithoutReply) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    s.respond();
    Step st = s.hs->on_text(R"({"type":"attestation_reject","reason":"Environment mismatch: dev != prod"})");
    expect_failure(st, hs::kPeerRejected, false, pnc::kCloseNormal);
    EXPECT_EQ(st.error->message, "Environment mismatch: dev != prod");
    EXPECT_EQ(s.hs->state(), ServerState::closed);
  }
}

TEST(ServerHandshakeS6, NX01_LowOrderClientKeys) {
  ASSERT_EQ(std::size(kLowOrderKeys), 14u);
  for (std::string_view hex : kLowOrderKeys) {
    for (Profile p : kAllProfiles) {
      Server s(p);
      // S2 accepts the encoding; the abort comes at S6 after attestation_response.
      s.respond(begin_msg(gs("V3", "nonce_hex"), ossl_b64(pnc::test::hex(hex))));
      Step st = s.hs->on_text(valid_ok(p).dump());
      expect_server_abort(p, st, hs::kLowOrderKey);
      ASSERT_TRUE(st.cause.has_value()) << hex;
      EXPECT_EQ(st.cause->code, pnc::crypto::kAllZeroShared);
      EXPECT_FALSE(s.hs->take_session().has_value());
    }
  }
}

// ---------------------------------------------------------------- server: transport, deadline, limits

TEST(ServerHandshakeTransport, NHs22_PlaintextAfterHandshakeGoesToTheChannel) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    s.respond();
    ASSERT_TRUE(s.hs->on_text(valid_ok(p).dump()).established);
    // The state machine is done with the connection.
    Step late = s.hs->on_text(valid_begin().dump());
    EXPECT_EQ(late.error->code, hs::kFinished);
    EXPECT_FALSE(late.close.has_value());
    EXPECT_TRUE(late.send.empty());
    // The channel treats the plaintext begin as a bad envelope (R2).
    auto session = s.hs->take_session();
    auto o = session->receive_text(valid_begin().dump());
    EXPECT_FALSE(o.delivered());
    EXPECT_EQ(o.error->code, pnc::envelope::kMissingMember);
    if (pnc::is_strict(p)) {
      EXPECT_EQ(o.close->code, pnc::kClosePolicy);
    } else {
      EXPECT_EQ(o.action, pnc::envelope::Outcome::Action::drop);
    }
  }
}

TEST(ServerHandshakeTransport, NHs23_Deadline) {
  for (Profile p : kAllProfiles) {
    for (bool after_response : {false, true}) {
      Server s(p);
      if (after_response) s.respond();
      Step st = s.hs->on_timeout();
      if (pnc::is_strict(p)) {
        EXPECT_TRUE(s.hs->deadline_applies());
        expect_failure(st, hs::kDeadline, false, pnc::kClosePolicy);
        EXPECT_EQ(s.hs->state(), ServerState::closed);
      } else {
        EXPECT_FALSE(s.hs->deadline_applies());  // COMPAT waits forever
        EXPECT_FALSE(st.close.has_value());
        EXPECT_FALSE(st.error.has_value());
        EXPECT_NE(s.hs->state(), ServerState::closed);
      }
    }
  }
  Server done(Profile::seed_spec);  // no deadline once established
  done.respond();
  ASSERT_TRUE(done.hs->on_text(valid_ok(Profile::seed_spec).dump()).established);
  EXPECT_FALSE(done.hs->on_timeout().close.has_value());
  EXPECT_EQ(hs::kDeadlineSeconds, 30);
}

TEST(ServerHandshakeTransport, NHs28_FrameOverOneMiB) {
  Json b = valid_begin();
  b["padding"] = std::string(hs::kMaxHandshakeFrameBytes, 'p');
  for (Profile p : kAllProfiles) {
    Server s(p);
    Step st = s.begin(b);
    if (pnc::is_strict(p)) {
      expect_failure(st, hs::kTooLarge, false, pnc::kCloseTooBig);
    } else {
      EXPECT_FALSE(st.error.has_value());  // only the 16 MiB framework limit applies
    }
  }
  Json exact = valid_begin();
  std::string base = exact.dump();
  exact["p"] = "";
  std::size_t pad = hs::kMaxHandshakeFrameBytes - exact.dump().size();
  exact["p"] = std::string(pad, 'p');
  ASSERT_EQ(exact.dump().size(), hs::kMaxHandshakeFrameBytes);
  Server s(Profile::seed_spec);
  s.respond(exact);  // exactly 1 MiB is allowed
}

TEST(ServerHandshakeTransport, BinaryAfterResponse) {
  for (Profile p : kAllProfiles) {
    Server s(p);
    s.respond();
    expect_failure(s.hs->on_binary(), hs::kBinaryFrame, false,
                   pnc::is_strict(p) ? pnc::kCloseUnsupportedData : pnc::kCloseNormal);
  }
}

TEST(ServerHandshakeTransport, ClosedMachineIgnoresInput) {
  Server s(Profile::seed_spec);
  s.hs->on_text("garbage");
  ASSERT_EQ(s.hs->state(), ServerState::closed);
  for (Step st : {s.hs->on_text(valid_begin().dump()), s.hs->on_binary(), s.hs->on_timeout()}) {
    EXPECT_FALSE(st.close.has_value());
    EXPECT_TRUE(st.send.empty());
    EXPECT_FALSE(st.established);
  }
}

// ---------------------------------------------------------------- client: C1-C2

TEST(ClientHandshakeC1, PlatformApiSendsNoQuote) {
  Client c(Profile::seed_spec, /*validator=*/false, AttestationMode::prod,
           [](ClientConfig& cfg) { cfg.platform_api_id = "platform-api"; });
  Json b = c.start();
  EXPECT_FALSE(b.contains("val_quote"));
  EXPECT_FALSE(b.contains("val_event_log"));
  EXPECT_EQ(b["platform_api_id"], "platform-api");
  EXPECT_EQ(c.hs->state(), ClientState::sent_begin);
  // A prod seed-spec server rejects it (D-05).
  Server s(Profile::seed_spec);
  Step st = s.begin(b);
  expect_failure(st, hs::kValQuoteRequired, true, pnc::kClosePolicy);
  // The client reports the server's reject.
  Step cr = c.hs->on_text(st.send[0]);
  expect_failure(cr, hs::kPeerRejected, false, pnc::kCloseNormal);
  EXPECT_EQ(cr.error->message, "Validator quote required for mutual attestation");
}

TEST(ClientHandshakeC1, ValidatorQuoteAndLogs) {
  Client strict(Profile::seed_spec);
  Json b = strict.start();
  EXPECT_EQ(b["val_event_log"], *strict.provider.event_log);  // sent as produced
  EXPECT_EQ(b["val_rtmrs"], strict.provider.rtmrs);
  // [COMPAT] VAL annotates its own log: an array is replaced by {"environment_mode": env}.
  Client compat(Profile::sdk_compat, true, AttestationMode::prod, [](ClientConfig& c) { c.env_mode = "dev"; });
  Json cb = compat.start();
  EXPECT_EQ(Json::parse(cb["val_event_log"].get<std::string>()), Json({{"environment_mode", "dev"}}));
  Client compat_obj(Profile::sdk_compat);
  compat_obj.provider.event_log = R"({"k":"v"})";
  Json ob = compat_obj.start();
  EXPECT_EQ(Json::parse(ob["val_event_log"].get<std::string>()), Json({{"environment_mode", "prod"}, {"k", "v"}}));
}

TEST(ClientHandshakeC1, OwnQuoteUnavailable) {
  for (Profile p : kAllProfiles) {
    Client c(p);
    c.provider.fail = true;
    Step st = c.hs->start();
    expect_failure(st, hs::kQuoteUnavailable, false, pnc::is_strict(p) ? pnc::kCloseInternal : pnc::kCloseNormal);
    EXPECT_EQ(c.hs->state(), ClientState::closed);
  }
  Client mock(Profile::sdk_compat, true, AttestationMode::mock);  // VALIDATOR_MOCK_VMM builds a mock
  mock.provider.fail = true;
  Json b = mock.start();
  Bytes q = pnc::test::b64(b["val_quote"].get<std::string>());
  ASSERT_EQ(q.size(), 1024u);
  EXPECT_EQ(Bytes(q.begin() + 584, q.begin() + 616), gh("V3", "rd_ws"));
}

TEST(ClientHandshakeC1, InputBeforeStartAndDoubleStart) {
  Client c(Profile::seed_spec);
  EXPECT_EQ(c.hs->on_text(valid_response().dump()).error->code, hs::kNotStarted);
  c.start();
  Step again = c.hs->start();
  EXPECT_TRUE(again.send.empty());
  EXPECT_TRUE(again.error.has_value());
}

// ---------------------------------------------------------------- client: C3-C5

TEST(ClientHandshakeC3, NHs24_ServerAttestationOkIsRejected) {
  Json fake_ok = {{"type", "attestation_ok"}, {"chal_x25519_pub", gs("V1", "chal_pub_b64")}, {"hkdf_salt", gs("V1", "salt_b64")}};
  for (Profile p : kAllProfiles) {
    Client c(p);
    c.start();
    Step st = c.hs->on_text(fake_ok.dump());
    // D-32: never derive a key without the quote; strict rejects + 1008, compat aborts silently.
    expect_failure(st, hs::kUnexpectedMessage, pnc::is_strict(p), pnc::is_strict(p) ? pnc::kClosePolicy : pnc::kCloseNormal);
    EXPECT_FALSE(c.hs->take_session().has_value());
    EXPECT_TRUE(c.verifier.seen.empty());
  }
}

TEST(ClientHandshakeC3, ServerRejectAndOtherMessages) {
  for (Profile p : kAllProfiles) {
    Client c(p);
    c.start();
    Step st = c.hs->on_text(R"({"type":"attestation_reject","reason":"nope"})");
    expect_failure(st, hs::kPeerRejected, false, pnc::kCloseNormal);
    EXPECT_EQ(st.error->message, "nope");
    Client d(p);
    d.start();
    expect_failure(d.hs->on_text(R"({"type":"heartbeat"})"), hs::kUnexpectedMessage, pnc::is_strict(p),
                   pnc::is_strict(p) ? pnc::kClosePolicy : pnc::kCloseNormal);
    Client e(p);
    e.start();
    expect_failure(e.hs->on_text("not json"), hs::kBadJson, pnc::is_strict(p),
                   pnc::is_strict(p) ? pnc::kCloseInvalidPayload : pnc::kCloseNormal);
  }
}

TEST(ClientHandshakeC3, BinaryTimeoutAndSize) {
  for (Profile p : kAllProfiles) {
    Client c(p);
    c.start();
    Step bin = c.hs->on_binary();
    Step tmo = c.hs->on_timeout();
    if (pnc::is_strict(p)) {
      expect_failure(bin, hs::kBinaryFrame, false, pnc::kCloseUnsupportedData);
      Client d(p);
      d.start();
      expect_failure(d.hs->on_timeout(), hs::kDeadline, false, pnc::kClosePolicy);
      Client e(p);
      e.start();
      Json big = valid_response();
      big["padding"] = std::string(hs::kMaxHandshakeFrameBytes, 'p');
      expect_failure(e.hs->on_text(big.dump()), hs::kTooLarge, false, pnc::kCloseTooBig);
    } else {
      // VAL/API skip non-text frames; no deadline.
      EXPECT_FALSE(bin.close.has_value());
      EXPECT_FALSE(tmo.close.has_value());
      EXPECT_EQ(c.hs->state(), ClientState::sent_begin);
      EXPECT_TRUE(c.hs->on_text(valid_response().dump()).established);
    }
  }
}

TEST(ClientHandshakeC4, NHs25_MissingQuote) {
  for (Profile p : kAllProfiles) {
    for (Json bad : {Json(), Json(5)}) {
      Client c(p);
      c.start();
      Json r = valid_response();
      if (bad.is_null()) r.erase("quote"); else r["quote"] = bad;
      expect_failure(c.hs->on_text(r.dump()), hs::kMissingQuote, pnc::is_strict(p),
                     pnc::is_strict(p) ? pnc::kClosePolicy : pnc::kCloseNormal);
      EXPECT_TRUE(c.verifier.seen.empty());
    }
  }
}

TEST(ClientHandshakeC4, NHs26_ChallengeKeyOf31Bytes) {
  Bytes short_key = gh("V1", "chal_pub");
  short_key.pop_back();
  for (Profile p : kAllProfiles) {
    Client c(p);
    c.start();
    Step st = c.hs->on_text(response_msg(ossl_b64(short_key)).dump());
    if (pnc::is_strict(p)) {
      expect_failure(st, hs::kBadChalPub, true, pnc::kClosePolicy);
      EXPECT_TRUE(c.verifier.seen.empty());  // checked before the quote
    } else {
      expect_failure(st, hs::kBadChalPub, false, pnc::kCloseNormal);
      EXPECT_EQ(c.verifier.seen.size(), 1u);  // VAL decodes it only after verification
    }
  }
}

TEST(ClientHandshakeC4, NHs27_QuoteEnvironmentComposeFailures) {
  for (const char* code : {pnc::attest_errc::kComposeHash, pnc::attest_errc::kEnvMismatch,
                           pnc::attest_errc::kNonceBinding, pnc::attest_errc::kDcap}) {
    for (Profile p : kAllProfiles) {
      for (AttestationMode mode : {AttestationMode::prod, AttestationMode::mock}) {
        Client c(p, true, mode, [](ClientConfig& cfg) { cfg.expected_compose_hash = "abcd"; });
        c.start();
        c.verifier.verdict = pnc::make_error(code, std::string("Compose hash mismatch: ") + code);
        Step st = c.hs->on_text(valid_response().dump());
        ASSERT_EQ(c.verifier.seen.size(), 1u);
        EXPECT_EQ(c.verifier.seen[0].compose, std::optional<std::string>("abcd"));
        const bool env_or_compose = std::string(code) == pnc::attest_errc::kComposeHash ||
                                    std::string(code) == pnc::attest_errc::kEnvMismatch;
        if (!pnc::is_strict(p) && mode == AttestationMode::mock && !env_or_compose) {
          EXPECT_TRUE(st.established) << code;  // VALIDATOR_MOCK_VMM waives quote failures
          EXPECT_EQ(st.waived.size(), 1u);
          continue;
        }
        // VAL sends attestation_reject too; strict closes 1008, compat 1000.
        expect_failure(st, hs::kPeerQuoteRejected, true, pnc::is_strict(p) ? pnc::kClosePolicy : pnc::kCloseNormal, code);
        EXPECT_EQ(st.cause->code, code);
        EXPECT_EQ(parse(st.send[0])["reason"], std::string("Compose hash mismatch: ") + code);
      }
    }
  }
}

TEST(ClientHandshakeC4, EventLogPassedOrRejected) {
  Client c(Profile::seed_spec);
  c.start();
  ASSERT_TRUE(c.hs->on_text(valid_response().dump()).established);
  EXPECT_EQ(c.verifier.seen.at(0).event_log, valid_response()["event_log"].get<std::string>());
  EXPECT_EQ(c.verifier.seen[0].local_env, "prod");
  Client d(Profile::seed_spec);
  d.start();
  Json r = valid_response();
  r["event_log"] = Json::array();
  expect_failure(d.hs->on_text(r.dump()), hs::kBadEventLog, true, pnc::kClosePolicy);
}

TEST(ClientHandshakeC4, NX02_LowOrderChallengeKeys) {
  for (std::string_view hex : kLowOrderKeys) {
    for (Profile p : kAllProfiles) {
      Client c(p);
      c.start();
      Step st = c.hs->on_text(response_msg(ossl_b64(pnc::test::hex(hex))).dump());
      if (pnc::is_strict(p)) {
        // Aborts before sending attestation_ok.
        expect_failure(st, hs::kLowOrderKey, true, pnc::kClosePolicy, std::string(hex));
        EXPECT_NE(type_of(st.send.at(0)), "attestation_ok");
        EXPECT_EQ(st.cause->code, pnc::crypto::kAllZeroShared);
        EXPECT_FALSE(c.hs->take_session().has_value());
      } else {
        // D-33 quirk (VAL/API): accepted; K = HKDF(salt, 0^32).
        ASSERT_TRUE(st.established) << hex;
        auto session = c.hs->take_session();
        EXPECT_TRUE(channel_uses_send_key(*session, ossl_hkdf(gh("V1", "salt"), Bytes(32, 0), "platform-api-sdk-v1")));
      }
    }
  }
}

// ---------------------------------------------------------------- P-STATE (§14)

// Server: a key is derived iff the effective input sequence starts begin -> ok (valid fields).
TEST(HandshakeProperty, ServerDerivesKeyIffValidSequence) {
  enum Input { kBegin, kOk, kOkNoSalt, kGarbage, kBinary, kTimeout, kReject, kRequest, kCount };
  for (Profile p : kAllProfiles) {
    int established_runs = 0;
    const int n = kCount;
    for (int len = 1; len <= 4; ++len) {
      int total = 1;
      for (int i = 0; i < len; ++i) total *= n;
      for (int code = 0; code < total; ++code) {
        std::vector<Input> seq;
        for (int i = 0, c = code; i < len; ++i, c /= n) seq.push_back(static_cast<Input>(c % n));
        Server s(p);
        bool established = false;
        for (Input in : seq) {
          Step st;
          switch (in) {
            case kBegin: st = s.begin(valid_begin()); break;
            case kOk: st = s.hs->on_text(valid_ok(p).dump()); break;
            case kOkNoSalt: st = s.hs->on_text(R"({"type":"attestation_ok","aead":"chacha20poly1305"})"); break;
            case kGarbage: st = s.hs->on_text("\x01\x02"); break;
            case kBinary: st = s.hs->on_binary(); break;
            case kTimeout: st = s.hs->on_timeout(); break;
            case kReject: st = s.hs->on_text(R"({"type":"attestation_reject","reason":"x"})"); break;
            case kRequest: st = s.hs->on_text(R"({"type":"attestation_request"})"); break;
            default: break;
          }
          if (st.established) {
            EXPECT_FALSE(established) << "derived twice";
            established = true;
          }
        }
        // Oracle: drop compat's no-op timeouts; then the first two inputs must be begin, ok.
        std::vector<Input> eff;
        for (Input in : seq)
          if (!(in == kTimeout && !pnc::is_strict(p))) eff.push_back(in);
        const bool valid = eff.size() >= 2 && eff[0] == kBegin && eff[1] == kOk;
        EXPECT_EQ(established, valid) << pnc::to_string(p) << " sequence code " << code << " len " << len;
        EXPECT_EQ(s.hs->take_session().has_value(), valid);
        if (valid) ++established_runs;
      }
    }
    EXPECT_GT(established_runs, 0);
  }
}

// ---- fault switches of the campaign-only mutants: the spec's server refuses (or accepts) and the
// faulted one does the opposite, on exactly this input.

TEST(HandshakeFaultSwitches, AeadCaseInsensitiveAcceptsMixedCase) {
  pnc::testing::HandshakeFaults f;
  f.aead_case_insensitive = true;
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    Json ok = valid_ok(p);
    std::string label = ok["aead"].get<std::string>();
    label[0] = 'C';  // "Chacha20poly1305..."
    ok["aead"] = label;
    Server spec(p);
    spec.respond();
    expect_failure(spec.hs->on_text(ok.dump()), hs::kBadAead, true, pnc::kClosePolicy, label);
    Server faulted(p, AttestationMode::prod, "prod", [&f](ServerConfig& c) { c.faults = &f; });
    faulted.respond();
    EXPECT_TRUE(faulted.hs->on_text(ok.dump()).established) << label;
  }
}

TEST(HandshakeFaultSwitches, HighBitPubRefusedOnlyByRejectHighBitPub) {
  Bytes pub = gh("V1", "val_pub");
  ASSERT_EQ(pub.back() & 0x80, 0);
  pub.back() |= 0x80;  // RFC 7748: masked, so the same u-coordinate and the same shared secret
  const Json begin = begin_msg(gs("V3", "nonce_hex"), ossl_b64(pub));
  Server spec(Profile::seed_spec);
  spec.respond(begin);
  EXPECT_TRUE(spec.hs->on_text(valid_ok(Profile::seed_spec).dump()).established);
  pnc::testing::HandshakeFaults f;
  f.reject_high_bit_pub = true;
  Server faulted(Profile::seed_spec, AttestationMode::prod, "prod", [&f](ServerConfig& c) { c.faults = &f; });
  expect_failure(faulted.begin(begin), hs::kBadValPub, true, pnc::kClosePolicy);
  Server faulted_valid(Profile::seed_spec, AttestationMode::prod, "prod", [&f](ServerConfig& c) { c.faults = &f; });
  faulted_valid.respond();  // the V1 key (bit 255 clear) still passes
}

}  // namespace
