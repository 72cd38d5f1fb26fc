#include "handshake_sessions.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>

#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"
#include "pnc/rng.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::shim {

namespace {

// Serves the vector's byte script in order (server: chal_sk; client: N, val_sk, salt), then a
// fixed keystream: the transcript depends only on the script, the rest only has to be random-ish.
class ScriptRng final : public Rng {
 public:
  explicit ScriptRng(Bytes script) : script_(std::move(script)) {}
  void fill(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min(out.size(), script_.size() - pos_);
    std::copy_n(script_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
    pos_ += n;
    if (n < out.size()) rest_.fill(out.subspan(n));
  }

 private:
  Bytes script_;
  std::size_t pos_ = 0;
  DeterministicRng rest_{std::uint64_t{0}};
};

// One machine and what it borrows (the machines keep references: the session owns them all).
struct Session {
  Session(Bytes script, tdx::MockParams own, bool accept_dcap)
      : rng(std::move(script)), quotes(std::move(own)), dcap(accept_dcap) {}
  ScriptRng rng;
  tdx::MockQuoteProvider quotes;
  StubDcap dcap;
  std::unique_ptr<handshake::ServerHandshake> server;
  std::unique_ptr<handshake::ClientHandshake> client;
  std::optional<envelope::Channel> channel;
  std::uint64_t serial = 0;  // creation order, for eviction
};

std::map<std::string, std::unique_ptr<Session>>& sessions() {
  static std::map<std::string, std::unique_ptr<Session>> all;
  return all;
}

std::uint64_t next_serial() {
  static std::uint64_t n = 0;
  return ++n;
}

Session& session_of(const Json& a) {
  auto it = sessions().find(text(a, "session"));
  if (it == sessions().end()) throw BadRequest("unknown handshake session " + text(a, "session"));
  return *it->second;
}

std::string state_of(const Session& s) {
  if (s.server) {
    switch (s.server->state()) {
      case handshake::ServerState::encrypted: return "established";
      case handshake::ServerState::closed: return "closed";
      default: return "handshaking";
    }
  }
  switch (s.client->state()) {
    case handshake::ClientState::encrypted: return "established";
    case handshake::ClientState::closed: return "closed";
    default: return "handshaking";
  }
}

// The answer to one step: frames sent, close code, state, and the machine's reason on failure.
Answer step_answer(Session& s, handshake::Step step) {
  if (step.established) {
    s.channel = s.server ? s.server->take_session() : s.client->take_session();
  }
  Json result = {{"sent", step.send}, {"state", state_of(s)}, {"close", step.close ? Json(step.close->code) : Json(nullptr)}};
  if (step.error) result["reason"] = step.error->code;
  return ok(std::move(result));
}

AttestationMode mode_of(const Json& a) {
  const std::string mode = text(a, "mode");
  if (mode == "mock") return AttestationMode::mock;
  if (mode == "prod") return AttestationMode::prod;
  throw BadRequest("mode must be mock or prod");
}

}  // namespace

Answer op_handshake_start(const Json& a, Profile p) {
  const std::string id = text(a, "session");
  const std::string role = text(a, "role");
  if (role != "server" && role != "client") throw BadRequest("role must be server or client");
  const AttestationMode mode = mode_of(a);
  tdx::MockParams own;
  own.env_mode = text(a, "env_mode");
  std::optional<std::string> compose;
  if (auto it = a.find("expected_compose_hash"); it != a.end() && it->is_string()) compose = it->get<std::string>();
  const bool accept_dcap = a.contains("dcap") && text(a, "dcap") == "accept";
  auto s = std::make_unique<Session>(hex(a, "rng"), own, accept_dcap);
  s->serial = next_serial();
  handshake::Step first;
  if (role == "server") {
    handshake::ServerConfig config;
    config.profile = p;
    config.mode = mode;
    config.env_mode = own.env_mode;
    config.dcap = &s->dcap;
    config.expected_compose_hash = compose;
    if (const auto* f = active_faults()) {
      config.faults = &f->handshake;
      config.envelope_faults = &f->envelope;
    }
    s->server = std::make_unique<handshake::ServerHandshake>(config, s->rng, s->quotes);
  } else {
    handshake::ClientConfig config;
    config.profile = p;
    config.mode = mode;
    config.env_mode = own.env_mode;
    config.dcap = &s->dcap;
    config.expected_compose_hash = compose;
    if (const auto* f = active_faults()) {
      config.faults = &f->handshake;
      config.envelope_faults = &f->envelope;
    }
    s->client = std::make_unique<handshake::ClientHandshake>(config, s->rng, &s->quotes);
    first = s->client->start();
  }
  auto& all = sessions();
  all.erase(id);
  while (all.size() >= kMaxHandshakeSessions) {
    auto oldest = std::min_element(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.second->serial < y.second->serial; });
    all.erase(oldest);
  }
  Session& kept = *(all[id] = std::move(s));
  return step_answer(kept, std::move(first));
}

Answer op_handshake_input(const Json& a, Profile) {
  Session& s = session_of(a);
  const bool binary = a.contains("binary") && a.at("binary") == true;
  const bool timeout = a.contains("timeout") && a.at("timeout") == true;
  if (binary) return step_answer(s, s.server ? s.server->on_binary() : s.client->on_binary());
  if (timeout) {
    // The 30-second deadline elapsed: a profile without a deadline ([COMPAT]) does not notice.
    const bool applies = s.server ? s.server->deadline_applies() : s.client->deadline_applies();
    if (!applies) return step_answer(s, {});
    return step_answer(s, s.server ? s.server->on_timeout() : s.client->on_timeout());
  }
  std::string frame = text(a, "text");
  if (auto it = a.find("pad_to"); it != a.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > (64u << 20)) throw BadRequest("pad_to must be a size up to 64 MiB");
    const auto size = it->get<std::size_t>();
    if (size > frame.size()) frame.append(size - frame.size(), ' ');
  }
  return step_answer(s, s.server ? s.server->on_text(frame) : s.client->on_text(frame));
}

Answer op_handshake_probe(const Json& a, Profile) {
  Session& s = session_of(a);
  if (!s.channel) return rejected("hs.not_established");
  const auto out = s.channel->receive_text(text(a, "frame"));
  if (!out.delivered()) return rejected(out.error ? out.error->code : std::string("env.dropped"));
  return ok({{"plaintext", out.opened.plaintext}});
}

Answer op_handshake_end(const Json& a, Profile) {
  sessions().erase(text(a, "session"));
  return ok(Json::object());
}

}  // namespace pnc::shim
