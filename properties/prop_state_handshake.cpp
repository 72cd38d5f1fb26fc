// P-STATE (PROTOCOL.md §14, §3.5, §3.6, §3.10, §4): the two handshake state machines against a
// small model of the allowed sequences. Any sequence of begin / response / ok / reject / envelope /
// garbage / binary / timeout inputs, in any order, valid or near-miss (§12.4 mutations), in every
// profile and in mock and prod mode: a key is derived iff the sequence is valid, and the derived
// key equals HKDF(salt, X25519(...)) computed with OpenSSL (single or [HARD] directional keys).
// The real attestation check runs (pnc::verify_peer_quote) on MockQuoteV4 evidence; prod mode
// uses mock-shaped quotes without the marker and an accept-all DCAP stub.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include "pnc/handshake.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "support/prop_support.hpp"

// Counterexamples print profiles, modes and states by name (RapidCheck finds these by ADL).
namespace pnc {
inline void showValue(Profile p, std::ostream& os) { os << to_string(p); }
inline void showValue(AttestationMode m, std::ostream& os) { os << to_string(m); }
}  // namespace pnc
namespace pnc::handshake {
inline void showValue(ServerState s, std::ostream& os) {
  static const char* const names[] = {"await_begin", "sent_response", "encrypted", "closed"};
  os << names[static_cast<int>(s)];
}
inline void showValue(ClientState s, std::ostream& os) {
  static const char* const names[] = {"init", "sent_begin", "encrypted", "closed"};
  os << names[static_cast<int>(s)];
}
}  // namespace pnc::handshake

namespace {

using namespace pnc;
using namespace pnc::prop;
namespace hs = pnc::handshake;
using Json = nlohmann::json;


class AcceptAllDcap final : public DcapVerifier {
 public:
  Status verify(ByteView) override { return {}; }
};

std::string env_of(AttestationMode mode) { return mode == AttestationMode::mock ? "dev" : "prod"; }

// Evidence a correct peer would send: MockQuoteV4 in mock mode; in prod the same quote without the
// mock marker (the DCAP stub accepts it; §3.7 prod rejects the marker).
Evidence evidence_for(AttestationMode mode, ByteView nonce, const std::optional<ByteArray<32>>& binding) {
  tdx::MockParams params;
  params.env_mode = env_of(mode);
  params.key_binding = binding;
  Evidence ev = tdx::mock_quote_v4(nonce, params);
  if (mode == AttestationMode::prod) {
    auto q = *tdx::parse_quote(ev.quote);
    q.user_data = ByteArray<20>{};
    ev.quote = tdx::serialize_quote(q);
  }
  return ev;
}

// {"type":"x","type":<type>,...}: strict JSON rejects the duplicate, sdk-compat keeps the last.
std::string with_duplicate_type(const Json& msg) {
  const std::string text = msg.dump();
  return "{\"type\":\"x\"," + text.substr(1);
}

// The key(s) the session must hold: (receive key, send key) of the side under test.
struct Keys {
  Bytes recv, send;
};
Keys expected_keys(Profile p, const Bytes& shared, const Bytes& salt, bool server_side) {
  if (p != Profile::hardened) {
    const Bytes k = ossl_hkdf_sha256(salt, shared, as_bytes("platform-api-sdk-v1"), 32);
    return {k, k};
  }
  const Bytes c2s = ossl_hkdf_sha256(salt, shared, as_bytes("platform-api-sdk-v1/c2s"), 32);
  const Bytes s2c = ossl_hkdf_sha256(salt, shared, as_bytes("platform-api-sdk-v1/s2c"), 32);
  return server_side ? Keys{c2s, s2c} : Keys{s2c, c2s};
}

// The session opens what OpenSSL seals under `recv` and seals what OpenSSL opens under `send`.
void check_session(envelope::Channel& ch, const Keys& keys) {
  const auto in = ch.receive_text(ossl_envelope(keys.recv, Bytes(12, 0x5a), R"({"type":"probe"})"));
  RC_ASSERT(in.delivered());
  DeterministicRng rng(99);
  const auto out = ch.seal(R"({"type":"pong"})", rng);
  RC_ASSERT(out.ok());
  const Json env = Json::parse(*out);
  const auto pt = ossl_chacha_open(keys.send, *ossl_b64_decode(env.at("nonce").get<std::string>()),
                                   *ossl_b64_decode(env.at("ciphertext").get<std::string>()));
  RC_ASSERT(pt.has_value());
  RC_ASSERT(to_string(*pt) == R"({"type":"pong"})");
}

// Inputs that are never valid for the side under test (shared by both models).
enum class Noise { reject, envelope, garbage, binary, timeout, foreign_type };
rc::Gen<Noise> noise() {
  return rc::gen::element(Noise::reject, Noise::envelope, Noise::garbage, Noise::binary, Noise::timeout,
                          Noise::foreign_type);
}
const char* noise_name(Noise n) {
  switch (n) {
    case Noise::reject: return "attestation_reject";
    case Noise::envelope: return "envelope";
    case Noise::garbage: return "garbage";
    case Noise::binary: return "binary";
    case Noise::timeout: return "timeout";
    default: return "attestation_request";
  }
}
template <class Machine>
hs::Step feed_noise(Machine& m, Noise n) {
  switch (n) {
    case Noise::reject: return m.on_text(R"({"type":"attestation_reject","reason":"no"})");
    case Noise::envelope: return m.on_text(ossl_envelope(Bytes(32, 7), Bytes(12, 9), R"({"type":"x"})"));
    case Noise::garbage: return m.on_text("\x01not json");
    case Noise::binary: return m.on_binary();
    case Noise::timeout: return m.on_timeout();
    default: return m.on_text(R"({"type":"attestation_request","nonce":"00","api_x25519_pub":"AA=="})");
  }
}

// ================================================================= server (challenge, §3.5)

enum class BeginKind {
  valid, no_quote, upper_hex, nonce_31, nonce_empty, pub_31, pub_low_order, missing_nonce,
  duplicate_type, quote_other_nonce, quote_unbound, env_mismatch
};
const char* begin_name(BeginKind k) {
  static const char* const names[] = {"valid", "no_quote", "upper_hex", "nonce_31", "nonce_empty", "pub_31",
                                      "pub_low_order", "missing_nonce", "duplicate_type", "quote_other_nonce",
                                      "quote_unbound", "env_mismatch"};
  return names[static_cast<int>(k)];
}
enum class OkKind { valid, missing_salt, empty_salt, salt_16, salt_b64_member, other_aead, shared_aead, duplicate_type };
const char* ok_name(OkKind k) {
  static const char* const names[] = {"valid", "missing_salt", "empty_salt", "salt_16", "salt_b64_member",
                                      "other_aead", "shared_aead", "duplicate_type"};
  return names[static_cast<int>(k)];
}

struct ServerModel {
  Profile profile = Profile::seed_spec;
  AttestationMode mode = AttestationMode::mock;
  hs::ServerState state = hs::ServerState::await_begin;
  Bytes val_sk;            // of the accepted begin
  bool s6_fails = false;   // the accepted begin carried a key that fails in S6
  bool strict() const { return is_strict(profile); }
};

struct ServerSut {
  DeterministicRng rng{3};
  tdx::MockQuoteProvider quotes;
  AcceptAllDcap dcap;
  std::optional<hs::ServerHandshake> machine;
  Bytes chal_pub;  // from the attestation_response actually sent
  bool derived = false;
};

using ServerCmd = rc::state::Command<ServerModel, ServerSut>;

// Common bookkeeping: the step must match the model's transition.
void check_transition(const hs::Step& st, hs::ServerState before, hs::ServerState after, hs::ServerState got) {
  RC_ASSERT(got == after);
  const bool finished = before == hs::ServerState::encrypted || before == hs::ServerState::closed;
  if (finished) {
    RC_ASSERT(st.send.empty());
    RC_ASSERT_FALSE(st.close.has_value());
    RC_ASSERT_FALSE(st.established);
  }
  if (!finished && after == hs::ServerState::closed) {
    RC_ASSERT(st.close.has_value());
    RC_ASSERT(st.error.has_value());
    RC_ASSERT_FALSE(st.established);
  }
}

struct ServerBegin : ServerCmd {
  BeginKind kind = *rc::gen::weightedOneOf<BeginKind>(
      {{6, rc::gen::just(BeginKind::valid)},
       {6, rc::gen::element(BeginKind::no_quote, BeginKind::upper_hex, BeginKind::nonce_31, BeginKind::nonce_empty,
                            BeginKind::pub_31, BeginKind::pub_low_order, BeginKind::missing_nonce,
                            BeginKind::duplicate_type, BeginKind::quote_other_nonce, BeginKind::quote_unbound,
                            BeginKind::env_mismatch)}});
  Bytes nonce = *bytes(32);
  Bytes val_sk = *bytes(32);
  Bytes other_nonce = flip_bit(nonce, *rc::gen::inRange<std::size_t>(0, 256));  // never equal to N
  Bytes low_order = *rc::gen::elementOf(low_order_x25519());

  bool begin_valid(const ServerModel& m) const {
    const bool strict = m.strict(), mock = m.mode == AttestationMode::mock;
    switch (kind) {
      case BeginKind::valid: case BeginKind::upper_hex: case BeginKind::pub_low_order: return true;
      case BeginKind::no_quote: return mock;                          // S3: prod requires it (N-HS-07)
      case BeginKind::nonce_31: case BeginKind::nonce_empty: return !strict;  // N-HS-05/06
      case BeginKind::pub_31: return !strict;                         // compat decodes it in S6
      case BeginKind::missing_nonce: return false;                    // N-HS-04
      case BeginKind::duplicate_type: return !strict;                 // N-ENC-09
      case BeginKind::quote_other_nonce: return !strict && mock;      // N-HS-09; compat mock waives
      case BeginKind::quote_unbound: return m.profile != Profile::hardened;  // [HARD] key binding
      case BeginKind::env_mismatch: return !strict && mock;           // N-HS-13
    }
    return false;
  }
  Bytes decoded_nonce() const {
    if (kind == BeginKind::nonce_31) return Bytes(nonce.begin(), nonce.begin() + 31);
    if (kind == BeginKind::nonce_empty) return {};
    return nonce;
  }
  Bytes val_pub() const {
    if (kind == BeginKind::pub_low_order) return low_order;
    Bytes pub = ossl_x25519_public(val_sk);
    if (kind == BeginKind::pub_31) pub.pop_back();
    return pub;
  }
  std::string frame(const ServerModel& m) const {
    const Bytes n = decoded_nonce();
    std::string nonce_hex = to_hex(n);
    if (kind == BeginKind::upper_hex)
      for (char& c : nonce_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    Json msg = {{"type", "attestation_begin"}, {"val_x25519_pub", ossl_b64(val_pub())}};
    if (kind != BeginKind::missing_nonce) msg["nonce"] = nonce_hex;
    if (kind != BeginKind::no_quote) {
      std::optional<ByteArray<32>> binding;
      if (kind != BeginKind::quote_unbound) binding = key_binding_validator(val_pub());
      Evidence ev = evidence_for(m.mode, kind == BeginKind::quote_other_nonce ? ByteView(other_nonce) : ByteView(n), binding);
      msg["val_quote"] = ossl_b64(ev.quote);
      msg["val_event_log"] = kind == BeginKind::env_mismatch ? R"({"environment_mode":"staging"})" : *ev.event_log;
    }
    return kind == BeginKind::duplicate_type ? with_duplicate_type(msg) : msg.dump();
  }
  hs::ServerState next(const ServerModel& m) const {
    if (m.state != hs::ServerState::await_begin)
      return m.state == hs::ServerState::sent_response ? hs::ServerState::closed : m.state;  // N-HS-21
    return begin_valid(m) ? hs::ServerState::sent_response : hs::ServerState::closed;
  }
  void apply(ServerModel& m) const override {
    const auto before = m.state;
    m.state = next(m);
    if (before == hs::ServerState::await_begin && m.state == hs::ServerState::sent_response) {
      m.val_sk = val_sk;
      m.s6_fails = kind == BeginKind::pub_low_order || kind == BeginKind::pub_31;
    }
  }
  void run(const ServerModel& m, ServerSut& s) const override {
    const auto st = s.machine->on_text(frame(m));
    const auto after = next(m);
    check_transition(st, m.state, after, s.machine->state());
    if (m.state == hs::ServerState::await_begin && after == hs::ServerState::sent_response) {
      RC_ASSERT(st.send.size() == 1u);
      const Json resp = Json::parse(st.send[0]);
      RC_ASSERT(resp.at("type") == "attestation_response");
      s.chal_pub = *ossl_b64_decode(resp.at("chal_x25519_pub").get<std::string>());
      // §3.4: the server's quote binds SHA256(N) at 568.
      const Bytes quote = *ossl_b64_decode(resp.at("quote").get<std::string>());
      RC_ASSERT(quote.size() >= 600u);
      RC_ASSERT(Bytes(quote.begin() + 568, quote.begin() + 600) == ossl_sha256(decoded_nonce()));
    }
  }
  void show(std::ostream& os) const override { os << "Begin(" << begin_name(kind) << ")"; }
};

struct ServerOk : ServerCmd {
  OkKind kind = *rc::gen::weightedOneOf<OkKind>(
      {{6, rc::gen::just(OkKind::valid)},
       {5, rc::gen::element(OkKind::missing_salt, OkKind::empty_salt, OkKind::salt_16, OkKind::salt_b64_member,
                            OkKind::other_aead, OkKind::shared_aead, OkKind::duplicate_type)}});
  Bytes salt = *bytes(32);

  bool ok_valid(const ServerModel& m) const {
    const bool strict = m.strict();
    switch (kind) {
      case OkKind::valid: return true;
      case OkKind::missing_salt: case OkKind::empty_salt: return false;  // N-HS-18
      case OkKind::salt_16: return !strict;                              // N-HS-19
      case OkKind::salt_b64_member: return !strict;                      // §3.3 [COMPAT] hkdf_salt_b64
      case OkKind::other_aead: return !strict;                           // N-HS-20
      case OkKind::shared_aead: return m.profile != Profile::hardened;   // hardened wants "-dir"
      case OkKind::duplicate_type: return !strict;
    }
    return false;
  }
  Bytes salt_used() const { return kind == OkKind::salt_16 ? Bytes(salt.begin(), salt.begin() + 16) : salt; }
  std::string frame(const ServerModel& m) const {
    std::string aead = m.profile == Profile::hardened ? "chacha20poly1305-dir" : "chacha20poly1305";
    if (kind == OkKind::other_aead) aead = "xchacha20poly1305";
    if (kind == OkKind::shared_aead) aead = "chacha20poly1305";
    Json msg = {{"type", "attestation_ok"}, {"aead", aead}};
    if (kind == OkKind::salt_b64_member) msg["hkdf_salt_b64"] = ossl_b64(salt);
    else if (kind == OkKind::empty_salt) msg["hkdf_salt"] = "";
    else if (kind != OkKind::missing_salt) msg["hkdf_salt"] = ossl_b64(salt_used());
    return kind == OkKind::duplicate_type ? with_duplicate_type(msg) : msg.dump();
  }
  hs::ServerState next(const ServerModel& m) const {
    if (m.state == hs::ServerState::await_begin) return hs::ServerState::closed;  // N-HS-01
    if (m.state != hs::ServerState::sent_response) return m.state;
    return ok_valid(m) && !m.s6_fails ? hs::ServerState::encrypted : hs::ServerState::closed;
  }
  void apply(ServerModel& m) const override { m.state = next(m); }
  void run(const ServerModel& m, ServerSut& s) const override {
    const auto st = s.machine->on_text(frame(m));
    const auto after = next(m);
    check_transition(st, m.state, after, s.machine->state());
    const bool derived = m.state == hs::ServerState::sent_response && after == hs::ServerState::encrypted;
    RC_ASSERT(st.established == derived);
    auto session = s.machine->take_session();
    RC_ASSERT(session.has_value() == derived);
    if (derived) {
      s.derived = true;
      const auto shared = ossl_x25519(m.val_sk, s.chal_pub);
      RC_ASSERT(shared.has_value());
      check_session(*session, expected_keys(m.profile, *shared, salt_used(), /*server_side=*/true));
    }
  }
  void show(std::ostream& os) const override { os << "Ok(" << ok_name(kind) << ")"; }
};

struct ServerNoise : ServerCmd {
  Noise kind = *noise();
  hs::ServerState next(const ServerModel& m) const {
    if (m.state == hs::ServerState::encrypted || m.state == hs::ServerState::closed) return m.state;
    if (kind == Noise::timeout && !m.strict()) return m.state;  // [COMPAT] no deadline
    return hs::ServerState::closed;
  }
  void apply(ServerModel& m) const override { m.state = next(m); }
  void run(const ServerModel& m, ServerSut& s) const override {
    const auto st = feed_noise(*s.machine, kind);
    check_transition(st, m.state, next(m), s.machine->state());
    RC_ASSERT_FALSE(st.established);
  }
  void show(std::ostream& os) const override { os << "Noise(" << noise_name(kind) << ")"; }
};

// A server-side attestation_response arriving at the server (wrong direction).
struct ServerGetsResponse : ServerCmd {
  hs::ServerState next(const ServerModel& m) const {
    if (m.state == hs::ServerState::encrypted || m.state == hs::ServerState::closed) return m.state;
    return hs::ServerState::closed;
  }
  void apply(ServerModel& m) const override { m.state = next(m); }
  void run(const ServerModel& m, ServerSut& s) const override {
    const Evidence ev = evidence_for(m.mode, Bytes(32, 1), std::nullopt);
    const Json msg = {{"type", "attestation_response"}, {"quote", ossl_b64(ev.quote)}, {"event_log", *ev.event_log},
                      {"rtmrs", Json::object()}, {"chal_x25519_pub", ossl_b64(Bytes(32, 9))}};
    const auto st = s.machine->on_text(msg.dump());
    check_transition(st, m.state, next(m), s.machine->state());
  }
  void show(std::ostream& os) const override { os << "Response"; }
};

RC_GTEST_PROP(HandshakeModel, ServerDerivesKeyIffSequenceValid, ()) {
  ServerModel m;
  m.profile = *rc::gen::elementOf(kProfiles);
  m.mode = *rc::gen::element(AttestationMode::mock, AttestationMode::prod);
  RC_TAG(std::string(to_string(m.profile)) + "/" + std::string(to_string(m.mode)));
  ServerSut s;
  hs::ServerConfig cfg;
  cfg.profile = m.profile;
  cfg.mode = m.mode;
  cfg.env_mode = env_of(m.mode);
  cfg.dcap = &s.dcap;
  s.machine.emplace(cfg, s.rng, s.quotes);
  // Any command may come in any state; the expected next message is favoured so that complete
  // handshakes (and what follows them) are frequent.
  rc::state::check(m, s, [](const ServerModel& cur) {
    using rc::state::gen::execOneOfWithArgs;
    return rc::gen::weightedOneOf<std::shared_ptr<const ServerCmd>>(
        {{cur.state == hs::ServerState::await_begin ? 8 : 1, execOneOfWithArgs<ServerBegin>()(cur)},
         {cur.state == hs::ServerState::sent_response ? 8 : 1, execOneOfWithArgs<ServerOk>()(cur)},
         {1, execOneOfWithArgs<ServerNoise>()(cur)},
         {1, execOneOfWithArgs<ServerGetsResponse>()(cur)}});
  });
  RC_CLASSIFY(s.derived, "key derived");
}

// ================================================== client (validator / platform-api, §3.6)

enum class RespKind {
  valid, missing_quote, chal_31, chal_low_order, quote_other_nonce, env_mismatch, duplicate_type, quote_unbound
};
const char* resp_name(RespKind k) {
  static const char* const names[] = {"valid", "missing_quote", "chal_31", "chal_low_order", "quote_other_nonce",
                                      "env_mismatch", "duplicate_type", "quote_unbound"};
  return names[static_cast<int>(k)];
}

struct ClientModel {
  Profile profile = Profile::seed_spec;
  AttestationMode mode = AttestationMode::mock;
  hs::ClientState state = hs::ClientState::init;
  Bytes nonce, val_sk, salt;  // what the client's Rng hands out, in that order
  bool strict() const { return is_strict(profile); }
};

struct ClientSut {
  ScriptedRng rng{5};
  tdx::MockQuoteProvider quotes;
  AcceptAllDcap dcap;
  std::optional<hs::ClientHandshake> machine;
  bool derived = false;
};

using ClientCmd = rc::state::Command<ClientModel, ClientSut>;

void check_client_transition(const hs::Step& st, hs::ClientState before, hs::ClientState after, hs::ClientState got) {
  RC_ASSERT(got == after);
  if (before != hs::ClientState::sent_begin && !(before == hs::ClientState::init && after == hs::ClientState::sent_begin)) {
    RC_ASSERT(st.send.empty());
    RC_ASSERT_FALSE(st.close.has_value());
    RC_ASSERT_FALSE(st.established);
  }
  if (before == hs::ClientState::sent_begin && after == hs::ClientState::closed) {
    RC_ASSERT(st.close.has_value());
    RC_ASSERT(st.error.has_value());
    RC_ASSERT_FALSE(st.established);
  }
}

struct ClientStart : ClientCmd {
  hs::ClientState next(const ClientModel& m) const {
    return m.state == hs::ClientState::init ? hs::ClientState::sent_begin : m.state;
  }
  void apply(ClientModel& m) const override { m.state = next(m); }
  void run(const ClientModel& m, ClientSut& s) const override {
    const auto st = s.machine->start();
    check_client_transition(st, m.state, next(m), s.machine->state());
    if (m.state == hs::ClientState::init) {
      RC_ASSERT(st.send.size() == 1u);
      const Json begin = Json::parse(st.send[0]);
      RC_ASSERT(begin.at("type") == "attestation_begin");
      RC_ASSERT(begin.at("nonce") == to_hex(m.nonce));
      RC_ASSERT(begin.at("val_x25519_pub") == ossl_b64(ossl_x25519_public(m.val_sk)));
      RC_ASSERT(begin.contains("val_quote"));
    } else {
      RC_ASSERT(st.error.has_value());
    }
  }
  void show(std::ostream& os) const override { os << "Start"; }
};

struct ClientResponse : ClientCmd {
  RespKind kind = *rc::gen::weightedOneOf<RespKind>(
      {{6, rc::gen::just(RespKind::valid)},
       {5, rc::gen::element(RespKind::missing_quote, RespKind::chal_31, RespKind::chal_low_order,
                            RespKind::quote_other_nonce, RespKind::env_mismatch, RespKind::duplicate_type,
                            RespKind::quote_unbound)}});
  Bytes chal_sk = *bytes(32);
  std::size_t other_bit = *rc::gen::inRange<std::size_t>(0, 256);  // the stale quote's N differs in one bit
  Bytes low_order = *rc::gen::elementOf(low_order_x25519());

  bool valid(const ClientModel& m) const {
    const bool strict = m.strict(), mock = m.mode == AttestationMode::mock;
    switch (kind) {
      case RespKind::valid: return true;
      case RespKind::missing_quote: case RespKind::chal_31: return false;  // N-HS-25/26
      case RespKind::chal_low_order: return !strict;                       // N-X-02; VAL quirk D-33
      case RespKind::quote_other_nonce: return !strict && mock;            // VALIDATOR_MOCK_VMM waiver
      case RespKind::env_mismatch: return false;                           // VAL never waives it
      case RespKind::duplicate_type: return !strict;
      case RespKind::quote_unbound: return m.profile != Profile::hardened;
    }
    return false;
  }
  Bytes chal_pub() const {
    if (kind == RespKind::chal_low_order) return low_order;
    Bytes pub = ossl_x25519_public(chal_sk);
    if (kind == RespKind::chal_31) pub.pop_back();
    return pub;
  }
  std::string frame(const ClientModel& m) const {
    const Bytes val_pub = ossl_x25519_public(m.val_sk);
    std::optional<ByteArray<32>> binding;
    if (kind != RespKind::quote_unbound) binding = key_binding_challenge(val_pub, chal_pub());
    const Evidence ev = evidence_for(m.mode, kind == RespKind::quote_other_nonce ? flip_bit(m.nonce, other_bit) : m.nonce, binding);
    Json msg = {{"type", "attestation_response"},
                {"event_log", kind == RespKind::env_mismatch ? R"({"environment_mode":"staging"})" : *ev.event_log},
                {"rtmrs", ev.rtmrs},
                {"chal_x25519_pub", ossl_b64(chal_pub())}};
    if (kind != RespKind::missing_quote) msg["quote"] = ossl_b64(ev.quote);
    return kind == RespKind::duplicate_type ? with_duplicate_type(msg) : msg.dump();
  }
  hs::ClientState next(const ClientModel& m) const {
    if (m.state != hs::ClientState::sent_begin) return m.state;
    return valid(m) ? hs::ClientState::encrypted : hs::ClientState::closed;
  }
  void apply(ClientModel& m) const override { m.state = next(m); }
  void run(const ClientModel& m, ClientSut& s) const override {
    const auto st = s.machine->on_text(frame(m));
    const auto after = next(m);
    check_client_transition(st, m.state, after, s.machine->state());
    const bool derived = m.state == hs::ClientState::sent_begin && after == hs::ClientState::encrypted;
    RC_ASSERT(st.established == derived);
    auto session = s.machine->take_session();
    RC_ASSERT(session.has_value() == derived);
    if (!derived) return;
    s.derived = true;
    RC_ASSERT(st.send.size() == 1u);
    const Json ok = Json::parse(st.send[0]);
    RC_ASSERT(ok.at("type") == "attestation_ok");
    RC_ASSERT(ok.at("hkdf_salt") == ossl_b64(m.salt));
    RC_ASSERT(ok.at("aead") == (m.profile == Profile::hardened ? "chacha20poly1305-dir" : "chacha20poly1305"));
    // sdk-compat derives from the all-zero secret for a low-order key (x25519-dalek, D-33).
    const Bytes shared = kind == RespKind::chal_low_order ? Bytes(32, 0) : *ossl_x25519(chal_sk, ossl_x25519_public(m.val_sk));
    check_session(*session, expected_keys(m.profile, shared, m.salt, /*server_side=*/false));
  }
  void show(std::ostream& os) const override { os << "Response(" << resp_name(kind) << ")"; }
};

// Anything else a server could send before attestation_response: all abort (C3), except that
// sdk-compat clients skip binary frames and have no deadline.
struct ClientNoise : ClientCmd {
  int kind = *rc::gen::inRange(0, 8);  // 0..5: Noise, 6: server attestation_ok (D-32), 7: begin echoed
  hs::ClientState next(const ClientModel& m) const {
    if (m.state != hs::ClientState::sent_begin) return m.state;
    if (kind < 6) {
      const auto n = static_cast<Noise>(kind);
      if (!m.strict() && (n == Noise::binary || n == Noise::timeout)) return m.state;
    }
    return hs::ClientState::closed;
  }
  void apply(ClientModel& m) const override { m.state = next(m); }
  void run(const ClientModel& m, ClientSut& s) const override {
    hs::Step st;
    if (kind < 6) {
      st = feed_noise(*s.machine, static_cast<Noise>(kind));
    } else if (kind == 6) {
      st = s.machine->on_text(Json{{"type", "attestation_ok"}, {"chal_x25519_pub", ossl_b64(Bytes(32, 4))},
                                   {"hkdf_salt", ossl_b64(Bytes(32, 5))}}.dump());
    } else {
      st = s.machine->on_text(Json{{"type", "attestation_begin"}, {"nonce", to_hex(m.nonce)},
                                   {"val_x25519_pub", ossl_b64(Bytes(32, 6))}}.dump());
    }
    check_client_transition(st, m.state, next(m), s.machine->state());
    RC_ASSERT_FALSE(st.established);
  }
  void show(std::ostream& os) const override {
    os << "Noise(" << (kind < 6 ? noise_name(static_cast<Noise>(kind)) : kind == 6 ? "server attestation_ok" : "attestation_begin") << ")";
  }
};

RC_GTEST_PROP(HandshakeModel, ClientDerivesKeyIffSequenceValid, ()) {
  ClientModel m;
  m.profile = *rc::gen::elementOf(kProfiles);
  m.mode = *rc::gen::element(AttestationMode::mock, AttestationMode::prod);
  m.nonce = *bytes(32);
  m.val_sk = *bytes(32);
  m.salt = *bytes(32);
  RC_TAG(std::string(to_string(m.profile)) + "/" + std::string(to_string(m.mode)));
  ClientSut s;
  s.rng.push(m.nonce);
  s.rng.push(m.val_sk);
  s.rng.push(m.salt);
  hs::ClientConfig cfg;
  cfg.profile = m.profile;
  cfg.mode = m.mode;
  cfg.env_mode = env_of(m.mode);
  cfg.dcap = &s.dcap;
  s.machine.emplace(cfg, s.rng, &s.quotes);
  rc::state::check(m, s, [](const ClientModel& cur) {
    using rc::state::gen::execOneOfWithArgs;
    return rc::gen::weightedOneOf<std::shared_ptr<const ClientCmd>>(
        {{cur.state == hs::ClientState::init ? 8 : 1, execOneOfWithArgs<ClientStart>()(cur)},
         {cur.state == hs::ClientState::sent_begin ? 8 : 1, execOneOfWithArgs<ClientResponse>()(cur)},
         {1, execOneOfWithArgs<ClientNoise>()(cur)}});
  });
  RC_CLASSIFY(s.derived, "key derived");
}

}  // namespace
