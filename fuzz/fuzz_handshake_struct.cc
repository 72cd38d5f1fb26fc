// fuzz_handshake_struct (PROTOCOL.md §14 P-STATE, §3.5, §3.10, §5.3): structure-aware handshake
// fuzzing. The input is decoded into a sequence of *typed* messages — attestation_begin / _ok /
// _reject, other types, binary frames, deadlines, raw text, and encrypted-phase operations —
// whose fields are each drawn from a small set of valid and §12.4 invalid variants, so the
// fuzzer reaches the encrypted phase and explores it.
// Oracle: a model of the server state machine (seed-spec or hardened, mock mode, env "dev"):
// the server derives K iff the sequence is exactly valid begin -> valid ok (P-STATE); every
// message the model classifies as must-accept / must-reject is checked; in the encrypted phase
// the target holds K (derived independently with OpenSSL from its own val_sk) and the model
// predicts delivery, replay and reflection rejection (R6), tamper / wrong-key / bad-plaintext
// rejection and that a closed channel stays closed.
// Input: profile byte (bit 0: hardened), then operations (see decode below).
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "fuzz_support.hpp"
#include "handshake_oracle.hpp"
#include "pnc/handshake.hpp"
#include "pnc/spec_tables.hpp"
#include "pnc/tdx_mock.hpp"

using namespace pnc;
using NJson = nlohmann::json;
using handshake::ServerState;

namespace {

constexpr const auto& kLowOrder = pnc::spec::kLowOrderX25519Hex;  // §12.2

enum class Verdict { accept, reject, unknown };
enum class Model { await_begin, sent_response, encrypted, closed };

const char* const kInnerTypes[] = {"orm_ready", "job_execute", "orm_result", "error", "migrations_request",
                                   "db_version_request", "validator_status_update", "x"};

struct Driver {
  Profile profile;
  fuzz::Input& in;
  fuzz::ScriptedRng rng{17};
  tdx::MockQuoteProvider provider{tdx::MockParams{}};
  std::optional<handshake::ServerHandshake> server;
  Model model = Model::await_begin;
  Bytes val_sk = fuzz::unhex(fuzz::golden::kV1ValSk);
  Bytes val_pub;            // what the accepted begin carried
  bool low_order = false;   // the accepted begin's key is low order
  std::optional<envelope::Channel> session;
  fuzz::SessionKeys keys;
  std::set<Bytes> seen_nonces;          // received by the server or sent by it (R6)
  std::vector<std::string> sent;        // envelopes we sent that were delivered
  bool channel_closed = false;

  Driver(Profile p, fuzz::Input& input) : profile(p), in(input) {
    rng.push(fuzz::unhex(fuzz::golden::kV1ChalSk));
    handshake::ServerConfig config;
    config.profile = profile;
    config.mode = AttestationMode::mock;
    config.env_mode = "dev";
    server.emplace(config, rng, provider);
    std::uint8_t pub[32];
    crypto_scalarmult_base(pub, val_sk.data());
    val_pub.assign(pub, pub + 32);
  }

  // Feeds one handshake-phase input and checks it against the model's verdict.
  void handshake_step(const std::string* text, bool binary, Verdict verdict, const Bytes& pub_if_begin) {
    const ServerState before = server->state();
    const handshake::Step step = text != nullptr ? server->on_text(*text) : binary ? server->on_binary() : server->on_timeout();
    const ServerState after = server->state();
    if (model == Model::closed || model == Model::encrypted) {
      FUZZ_ASSERT(!step.established && step.send.empty(), "finished handshake reacted");
      return;
    }
    const bool advanced = after != before && after != ServerState::closed;
    if (verdict == Verdict::accept) FUZZ_ASSERT(advanced, "model: must accept, server rejected");
    if (verdict == Verdict::reject) FUZZ_ASSERT(!advanced && after == ServerState::closed, "model: must reject, server accepted");
    if (!advanced) {
      FUZZ_ASSERT(!step.established && after == ServerState::closed, "rejection did not close");
      model = Model::closed;
      return;
    }
    if (model == Model::await_begin) {
      FUZZ_ASSERT(after == ServerState::sent_response && !step.established, "begin did not lead to SENT_RESPONSE");
      model = Model::sent_response;
      val_pub = pub_if_begin;
      low_order = !fuzz::ossl_x25519(val_sk, val_pub).has_value() || val_pub.size() != 32;
      return;
    }
    // SENT_RESPONSE -> ENCRYPTED: the only way K comes to exist (P-STATE).
    FUZZ_ASSERT(step.established && after == ServerState::encrypted, "ok accepted without a session");
    FUZZ_ASSERT(!low_order, "K derived from a low-order key");
    model = Model::encrypted;
  }

  void establish_keys(const Bytes& salt) {
    session = server->take_session();
    FUZZ_ASSERT(session.has_value(), "no session after attestation_ok");
    const Bytes chal_pub = fuzz::unhex(fuzz::golden::kV1ChalPub);
    auto shared = fuzz::ossl_x25519(val_sk, chal_pub);
    keys = fuzz::derive_keys(profile, salt, *shared, /*server_side=*/true);
  }

  std::string begin_frame(Verdict& verdict, Bytes& pub_used) {
    const std::uint8_t f1 = in.u8(), f2 = in.u8();
    Bytes nonce = fuzz::unhex(fuzz::golden::kV3Nonce);
    nonce[0] = in.u8();
    NJson msg = {{"type", "attestation_begin"}};
    bool valid = true, unknown = false;
    switch (f1 % 8) {
      case 4: { std::string h = fuzz::lower_hex(nonce); for (auto& c : h) c = static_cast<char>(std::toupper(c)); msg["nonce"] = h; break; }
      case 5: msg["nonce"] = fuzz::lower_hex(nonce).substr(2); valid = false; break;
      case 6: msg["nonce"] = ""; valid = false; break;
      case 7: if (f2 & 1) msg["nonce"] = 123; valid = false; break;
      default: msg["nonce"] = fuzz::lower_hex(nonce); break;
    }
    pub_used = val_pub;
    switch (f1 / 8 % 8) {
      case 4: msg["val_x25519_pub"] = fuzz::sodium_b64_encode(ByteView(val_pub).first(31)); valid = false; break;
      case 5: pub_used = fuzz::unhex(kLowOrder[f2 % kLowOrder.size()]); msg["val_x25519_pub"] = fuzz::sodium_b64_encode(pub_used); unknown = true; break;
      case 6: { std::string b = fuzz::sodium_b64_encode(val_pub); b[42] = b[42] == 'o' ? 'p' : 'o'; msg["val_x25519_pub"] = b; valid = false; break; }
      case 7: valid = false; break;
      default: msg["val_x25519_pub"] = fuzz::sodium_b64_encode(val_pub); break;
    }
    tdx::MockParams params;
    if (profile == Profile::hardened) {
      const Bytes binding = fuzz::kx_binding(pub_used);
      params.key_binding.emplace();
      std::copy(binding.begin(), binding.end(), params.key_binding->begin());
    }
    const int quote_variant = f2 % 8;
    const int log_variant = f2 / 8 % 4;
    bool quote_present = true;
    Evidence ev;
    // A finished handshake never looks at the quote: skip building one (keeps inputs fast).
    if (model == Model::await_begin) {
      ev = tdx::mock_quote_v4(quote_variant == 7 ? Bytes(32, 0xEE) : nonce, params);  // 7: another nonce
      if (quote_variant == 6) ev.quote[200] ^= 1;  // body changed, mock signature not resealed
    }
    switch (quote_variant) {
      case 0: case 1: quote_present = false; break;
      case 2: msg["val_quote"] = ""; quote_present = false; break;
      case 6: case 7: msg["val_quote"] = fuzz::sodium_b64_encode(ev.quote); valid = false; break;
      default: msg["val_quote"] = fuzz::sodium_b64_encode(ev.quote); break;
    }
    switch (log_variant) {
      case 0: if (ev.event_log) msg["val_event_log"] = *ev.event_log; break;
      // No log: [HARD] must replay RTMR3 from the event log (§9.5), so a quote without one is
      // refused there; seed-spec only SHOULD check, and accepts.
      case 1: if (profile == Profile::hardened && quote_present) valid = false; break;
      case 2: msg["val_event_log"] = R"({"environment_mode":"prod"})"; if (quote_present) valid = false; break;
      default: msg["val_event_log"] = R"({"environment_mode":"dev"})"; if (quote_present) unknown = true; break;
    }
    std::string text = msg.dump();
    switch (f2 / 32 % 4) {
      case 1: msg["platform_api_id"] = "platform-api"; text = msg.dump(); break;
      case 2: text = R"({"type":"attestation_begin",)" + text.substr(1); valid = false; break;
      case 3: msg["val_rtmrs"] = NJson::array({std::string(96, '0')}); text = msg.dump(); break;
      default: break;
    }
    verdict = !valid ? Verdict::reject : unknown ? Verdict::unknown : Verdict::accept;
    return text;
  }

  std::string ok_frame(Verdict& verdict, Bytes& salt) {
    const std::uint8_t f = in.u8();
    salt = in.bytes(32);
    salt.resize(32, 0x5A);
    NJson msg = {{"type", "attestation_ok"}};
    bool valid = true;
    const char* aead = profile == Profile::hardened ? "chacha20poly1305-dir" : "chacha20poly1305";
    switch (f % 4) {
      case 2: msg["aead"] = profile == Profile::hardened ? "chacha20poly1305" : "xchacha20poly1305"; valid = false; break;
      case 3: valid = false; break;
      default: msg["aead"] = aead; break;
    }
    switch (f / 4 % 8) {
      case 4: msg["hkdf_salt"] = fuzz::sodium_b64_encode(ByteView(salt).first(16)); valid = false; break;
      case 5: msg["hkdf_salt"] = ""; valid = false; break;
      case 6: msg["hkdf_salt_b64"] = fuzz::sodium_b64_encode(salt); valid = false; break;  // [COMPAT] name only
      case 7: msg["hkdf_salt"] = 32; valid = false; break;
      default: msg["hkdf_salt"] = fuzz::sodium_b64_encode(salt); break;
    }
    std::string text = msg.dump();
    if (f / 32 % 4 == 1) text = R"({"type":"attestation_ok",)" + text.substr(1), valid = false;
    if (f / 32 % 4 == 2) { msg["extra"] = NJson::object(); text = msg.dump(); }
    verdict = valid && model == Model::sent_response && !low_order ? Verdict::accept : Verdict::reject;
    return text;
  }

  void encrypted_op() {
    const std::uint8_t op = in.u8() % 8;
    Bytes nonce = in.bytes(12);
    nonce.resize(12, 0x33);
    const std::string plaintext =
        NJson{{"type", kInnerTypes[in.u8() % 8]}, {"message_id", "m" + std::to_string(in.u8())}}.dump();
    std::string frame;
    bool expect_deliver = false;
    switch (op) {
      case 0: case 1:
        frame = seal_with(keys.recv, nonce, plaintext);
        expect_deliver = seen_nonces.count(nonce) == 0;
        break;
      case 2:
        if (sent.empty()) return;
        frame = sent[in.u8() % sent.size()];
        break;
      case 3: {
        auto reflected = session->seal(plaintext, rng);
        if (!reflected) {
          FUZZ_ASSERT(channel_closed, "open channel cannot seal");
          return;
        }
        auto n = fuzz::b64_member(fuzz::parse_any(*reflected), "nonce", Profile::seed_spec, 12);
        FUZZ_ASSERT(n.has_value(), "sealed envelope without a 12-byte nonce");
        FUZZ_ASSERT(fuzz::ossl_open_envelope(keys.send, *reflected) == plaintext, "server sealed under another key");
        FUZZ_ASSERT(seen_nonces.count(*n) == 0, "server reused a nonce of this connection (§5.2)");
        seen_nonces.insert(*n);
        frame = *reflected;
        break;
      }
      case 4: {
        frame = seal_with(keys.recv, nonce, plaintext);
        const auto pos = frame.find("\"ciphertext\":\"") + 15;
        frame[pos] = frame[pos] == 'A' ? 'B' : 'A';
        break;
      }
      case 5: frame = seal_with(Bytes(32, 0x77), nonce, plaintext); break;
      case 6: frame = seal_with(keys.recv, nonce, in.flag() ? "[1]" : R"({"type":1})"); break;
      default: frame = R"({"type":"attestation_begin","nonce":"00","val_x25519_pub":"AA=="})"; break;
    }
    auto out = session->receive_text(frame);
    if (channel_closed) expect_deliver = false;
    FUZZ_ASSERT(out.delivered() == expect_deliver, "encrypted-phase delivery differs from the model");
    if (out.delivered()) {
      FUZZ_ASSERT(out.opened.plaintext == plaintext, "delivered plaintext differs");
      seen_nonces.insert(nonce);
      sent.push_back(frame);
    } else if (!channel_closed) {
      FUZZ_ASSERT(out.action == envelope::Outcome::Action::close, "strict failure did not close the channel");
      channel_closed = true;
    }
  }

  static std::string seal_with(ByteView key, ByteView nonce, std::string_view plaintext) {
    const Bytes ct = fuzz::ossl_chacha_seal(key, nonce, as_bytes(plaintext));
    return R"({"enc":"chacha20poly1305","nonce":")" + fuzz::sodium_b64_encode(nonce) + R"(","ciphertext":")" +
           fuzz::sodium_b64_encode(ct) + R"("})";
  }

  void run() {
    for (int ops = 0; ops < 24 && !in.empty(); ++ops) {
      const std::uint8_t op = in.u8() % 8;
      if (model == Model::encrypted && op >= 2) {
        encrypted_op();
        continue;
      }
      Verdict verdict = Verdict::reject;
      std::string text;
      Bytes pub, salt;
      switch (op) {
        case 0:
          text = begin_frame(verdict, pub);
          if (model != Model::await_begin) verdict = Verdict::reject;
          break;
        case 1: text = ok_frame(verdict, salt); break;
        case 2: text = R"({"type":"attestation_reject","reason":"fuzz"})"; break;
        case 3: text = in.flag() ? R"({"type":"attestation_request","nonce":"00"})" : "[]"; break;
        case 4: handshake_step(nullptr, true, Verdict::reject, {}); continue;
        case 5: handshake_step(nullptr, false, Verdict::reject, {}); continue;
        case 6: text = in.length_prefixed(); verdict = Verdict::unknown; break;
        default: text = seal_with(Bytes(32, 1), Bytes(12, 2), "{}"); break;
      }
      const Model before = model;
      handshake_step(&text, false, verdict, pub);
      if (before == Model::sent_response && model == Model::encrypted) {
        if (op != 1) {
          // Only a raw text frame can get here unpredicted: re-derive its salt independently.
          auto s = fuzz::b64_member(fuzz::parse_any(text), "hkdf_salt", profile, 32);
          FUZZ_ASSERT(s.has_value(), "K derived from a frame without a valid salt");
          salt = *s;
        }
        establish_keys(salt);
        seen_nonces.insert(fuzz::check_session_keys(*session, keys, rng));  // the reply it sealed
        seen_nonces.insert(Bytes(12, 0xA5));  // the probe's nonce
      }
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::reseed_randombytes(data, size);
  fuzz::Input in(data, size);
  const Profile profile = (in.u8() & 1) != 0 ? Profile::hardened : Profile::seed_spec;
  Driver driver(profile, in);
  driver.run();
  return 0;
}
