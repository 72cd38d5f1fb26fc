#include "campaign/validator_link.hpp"

#include <future>

#include "cases/text.hpp"
#include "cases/ws_expect.hpp"

namespace pnc::conf::campaign {

std::optional<std::string> ChallengeEnd::seal(const std::string& inner) {
  if (!channel) return std::nullopt;
  auto sealed = channel->seal(inner, *rng);
  if (!sealed) return std::nullopt;
  return std::move(*sealed);
}

std::optional<std::string> ChallengeEnd::answer() {
  if (pending.is_null()) return std::nullopt;
  return seal(json::dump(ServerScript::answer_to(pending)));
}

void ChallengeEnd::send(const std::optional<std::string>& frame, bool binary) {
  if (!frame || done || !peer) return;
  if (binary) {
    peer->send_binary(*frame);
    return;
  }
  peer->send_text(*frame);
  sent.push_back(*frame);
}

std::string ChallengeEnd::react(Millis timeout) {
  if (done || !peer) return "closed";
  const net::Frame f = peer->receive(timeout);
  switch (f.kind) {
    case net::FrameKind::timeout: return "silent";
    case net::FrameKind::error: done = true; return "dropped";
    case net::FrameKind::binary: return "binary";
    case net::FrameKind::close:
      done = true;
      // After the handshake a normal close ends the client's script: it carried on.
      return channel && f.close_code == 1000 ? "carried-on" : "close:" + std::to_string(f.close_code);
    case net::FrameKind::text: break;
  }
  if (!channel) {
    auto doc = json::parse_object(f.data, Profile::sdk_compat);
    if (!doc) return "text";
    if (string_member(*doc, "type") == "attestation_ok") {
      auto opened = script->session_from_ok(f.data);
      if (!opened) return "msg:attestation_ok(unusable: " + opened.error().code + ")";
      channel.emplace(std::move(*opened));
    }
    return "msg:" + string_member(*doc, "type");
  }
  auto out = channel->receive_text(f.data);
  if (!out.delivered()) return "enc-bad:" + (out.error ? out.error->code : std::string("?"));
  pending = std::move(out.opened.message);
  pending_frame = f.data;
  return "carried-on";
}

void ChallengeEnd::abort() {
  if (peer) peer->abort();
}

Result<ChallengeEnd> accept_end(ValidatorSession& session, Profile profile, const SutDescription& description,
                                std::uint64_t seed, Millis timeout) {
  ChallengeEnd e;
  e.rng = std::make_unique<DeterministicRng>(seed);
  auto peer = session.next_connection();
  if (!peer) return make_error("campaign.no_connection", "did not connect (" + peer.error().message + ")");
  e.peer = *peer;
  const Observation first = first_message(*e.peer, timeout);
  if (first.texts.empty()) return make_error("campaign.no_begin", "sent no attestation_begin (" + first.describe() + ")");
  e.script = std::make_unique<ServerScript>(profile, description, *e.rng);
  if (auto st = e.script->accept_begin(first.texts.front()); !st)
    return make_error("campaign.bad_begin", "sent an unusable attestation_begin: " + st.error().message);
  return e;
}

std::pair<std::string, std::string> ValidatorPair::react_both() {
  auto r = std::async(std::launch::async, [this] { return reference.react(timeout); });
  std::string s = sut.react(timeout);
  return {std::move(s), r.get()};
}

}  // namespace pnc::conf::campaign
