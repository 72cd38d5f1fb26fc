#include "cases/ws_expect.hpp"

#include <algorithm>

#include "cases/text.hpp"
#include "pnc/json.hpp"
#include "pnc/net/ws_frame.hpp"

namespace pnc::conf {

namespace {

template <class Peer>
Observation observe_impl(Peer& ws, Millis quiet, int max_frames, bool stop_at_first_text) {
  Observation obs;
  for (int i = 0; i < max_frames; ++i) {
    const net::Frame f = ws.receive(quiet);
    switch (f.kind) {
      case net::FrameKind::text:
        obs.texts.push_back(f.data);
        if (stop_at_first_text) return obs;
        continue;
      case net::FrameKind::binary:
        ++obs.binaries;
        continue;
      case net::FrameKind::close:
        obs.closed = true;
        obs.close_code = f.close_code;
        obs.close_reason = f.close_reason;
        return obs;
      case net::FrameKind::timeout:
        obs.silent = true;
        return obs;
      case net::FrameKind::error:
        obs.closed = true;
        obs.close_code = 0;
        obs.transport_error = f.error.empty() ? "connection dropped" : f.error;
        return obs;
    }
  }
  return obs;
}

std::string type_of(const std::string& text) {
  auto doc = json::parse(text, Profile::sdk_compat);
  if (!doc || !doc->is_object()) return {};
  auto it = doc->find("type");
  return it != doc->end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The `reason` of an attestation_reject, clipped; "" when it has none.
std::string reject_reason_of(const std::string& text) {
  auto doc = json::parse(text, Profile::sdk_compat);
  if (!doc || !doc->is_object()) return {};
  const std::string reason = string_member(*doc, "reason");
  return reason.empty() ? reason : " \"" + clip(reason, 80) + "\"";
}

}  // namespace

bool Observation::saw_type(const std::string& type) const {
  for (const auto& t : texts)
    if (type_of(t) == type) return true;
  return false;
}

std::string Observation::describe() const {
  std::string out;
  for (const auto& t : texts) {
    const std::string type = type_of(t);
    out += (out.empty() ? "" : ", ");
    if (type == "attestation_reject") out += type + reject_reason_of(t);
    else if (!type.empty()) out += type;
    else if (!t.empty() && t.front() == '{' && t.find("\"enc\"") != std::string::npos) out += "an encrypted envelope";
    else out += "text \"" + clip(t, 60) + "\"";
  }
  if (binaries > 0) out += (out.empty() ? "" : ", ") + std::to_string(binaries) + " binary frame(s)";
  if (closed) {
    out += out.empty() ? "" : ", then ";
    if (!transport_error.empty()) out += "connection dropped without a close frame (" + clip(transport_error, 80) + ")";
    else out += "close " + std::to_string(close_code) + (close_reason.empty() ? "" : " \"" + clip(close_reason, 60) + "\"");
  } else if (silent) {
    out += out.empty() ? "no answer, connection still open" : ", then silence (connection still open)";
  }
  return out.empty() ? "nothing" : out;
}

Observation observe(net::WsClient& ws, Millis quiet, int max_frames) { return observe_impl(ws, quiet, max_frames, false); }
Observation observe(net::ServerWsPeer& ws, Millis quiet, int max_frames) { return observe_impl(ws, quiet, max_frames, false); }
Observation first_message(net::WsClient& ws, Millis wait) { return observe_impl(ws, wait, 4, true); }
Observation first_message(net::ServerWsPeer& ws, Millis wait) { return observe_impl(ws, wait, 4, true); }

Observation send_oversized(net::WsClient& ws, std::string_view prefix, std::uint64_t fill, std::string_view suffix,
                           Millis timeout) {
  net::RawFrameSpec spec;
  spec.declared_length = prefix.size() + fill + suffix.size();
  spec.mask_key = 0;
  static const std::string chunk(256 * 1024, 'a');
  auto bytes = [](std::string_view s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  auto failed = [&](const Error& e) {
    Observation after = observe(ws, timeout, 2);
    if (!after.closed) {
      after.closed = true;
      after.transport_error = "sending failed: " + e.message;
    }
    return after;
  };
  const auto header = net::encode_ws_frame(spec, std::string_view());
  if (auto s = ws.send_raw_bytes(header, timeout); !s) return failed(s.error());
  if (auto s = ws.send_raw_bytes(bytes(prefix), timeout); !s) return failed(s.error());
  for (std::uint64_t sent = 0; sent < fill; sent += chunk.size()) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), fill - sent));
    const auto s = ws.send_raw_bytes(bytes(std::string_view(chunk).substr(0, n)), timeout);
    Observation early = observe(ws, Millis(1), 2);
    if (early.closed || !early.texts.empty()) return early;
    if (!s) return failed(s.error());
  }
  if (auto s = ws.send_raw_bytes(bytes(suffix), timeout); !s) return failed(s.error());
  return observe(ws, timeout);
}

const WsExpect& ProfileExpect::of(Profile p) const {
  switch (p) {
    case Profile::seed_spec: return seed;
    case Profile::sdk_compat: return compat;
    case Profile::hardened: return hard;
  }
  return seed;
}

std::string WsExpect::describe(bool server_side) const {
  const std::string code_text = code == 0 ? "a close" : "close " + std::to_string(code);
  switch (kind) {
    case Kind::reject_close: return "attestation_reject, then " + code_text;
    case Kind::silent_close: return code_text + " without attestation_reject";
    case Kind::close: return code_text;
    case Kind::responds:
      return server_side ? "attestation_response (input accepted)" : "attestation_ok (input accepted)";
    case Kind::alive: return "frame dropped, connection stays open (liveness probe answered)";
    case Kind::accepted: return "frame accepted and processed";
  }
  return "?";
}

DeadlineWatch deadline_watch(const SutDescription& sut, Millis timeout) {
  DeadlineWatch w;
  if (!sut.handshake_deadline_ms) {
    w.expected = "close 1008 once the spec's " + std::to_string(kSpecHandshakeDeadlineMs) + " ms handshake deadline passes (§3.5 S0)";
    w.verdict = Outcome::fail("the SUT description declares no handshake deadline (handshake_deadline_ms: null)", w.expected);
    return w;
  }
  w.deadline = Millis(*sut.handshake_deadline_ms);
  w.wait = w.deadline + timeout;
  w.expected = "close 1008 once the " + std::to_string(*sut.handshake_deadline_ms) + " ms handshake deadline passes, not before";
  if (*sut.handshake_deadline_ms > kSpecHandshakeDeadlineMs)
    w.verdict = Outcome::fail("the SUT description declares a " + std::to_string(*sut.handshake_deadline_ms) +
                                  " ms handshake deadline, longer than the spec's " + std::to_string(kSpecHandshakeDeadlineMs) + " ms",
                              w.expected);
  return w;
}

Outcome judge_deadline_close(const DeadlineWatch& watch, const Observation& obs, Millis elapsed, bool server_side) {
  Outcome o = judge_close(WsExpect::closes(1008), obs, server_side);
  o.expected = watch.expected;
  if (!obs.closed) return o;
  const std::string when = " after " + std::to_string(elapsed.count()) + " ms";
  o.observed += when;
  // A timer may round its expiry down a little; a close this much earlier is the SUT's own choice.
  const Millis slack = std::max(Millis(50), watch.deadline / 20);
  if (server_side && o.verdict == Verdict::pass && elapsed < watch.deadline - slack)
    return Outcome::fail("closed" + when + ", before the " + std::to_string(watch.deadline.count()) +
                             " ms deadline: " + obs.describe(),
                         watch.expected);
  return o;
}

Outcome judge_close(const WsExpect& e, const Observation& obs, bool server_side) {
  const std::string expected = e.describe(server_side);
  const std::string seen = obs.describe();
  const bool rejected = obs.saw_type("attestation_reject");
  if (!obs.closed) {
    if (obs.saw_type("attestation_response") || obs.saw_type("attestation_ok"))
      return Outcome::fail("accepted: " + seen, expected);
    return Outcome::fail(seen, expected);
  }
  const bool code_ok = e.code == 0 || obs.close_code == e.code;
  switch (e.kind) {
    case WsExpect::Kind::reject_close:
      if (rejected && code_ok) return Outcome::pass(seen);
      if (!rejected && code_ok) return Outcome::fail("no attestation_reject before the close: " + seen, expected);
      return Outcome::fail(seen, expected);
    case WsExpect::Kind::silent_close:
      if (rejected) return Outcome::fail("sent attestation_reject: " + seen, expected);
      return code_ok ? Outcome::pass(seen) : Outcome::fail(seen, expected);
    case WsExpect::Kind::close:
      return code_ok ? Outcome::pass(seen) : Outcome::fail(seen, expected);
    default:
      return Outcome::fail(seen, expected);
  }
}

}  // namespace pnc::conf
