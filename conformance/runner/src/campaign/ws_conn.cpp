#include "campaign/ws_conn.hpp"

#include "pnc/json.hpp"

namespace pnc::conf::campaign {

using json::Json;

WsConn open_conn(Endpoint& ep, Profile profile, const SutDescription& sut, Rng& rng) {
  WsConn c;
  c.handle = ep.ws_open(c.error);
  c.script = std::make_unique<ClientScript>(profile, sut, rng);
  return c;
}

std::string normal(WsConn& c, const WsEvent& e) {
  switch (e.kind) {
    case WsEvent::Kind::close:
      c.gone = true;
      return "close:" + std::to_string(e.code);
    case WsEvent::Kind::dropped:
      c.gone = true;
      return "dropped";
    case WsEvent::Kind::timeout: return "silent";
    case WsEvent::Kind::text: break;
  }
  c.last_received = e.text;
  auto j = json::parse_object(e.text, Profile::sdk_compat);
  if (j && !j->contains("enc") && j->contains("type") && (*j)["type"].is_string()) {
    const std::string type = (*j)["type"].get<std::string>();
    if (type == "attestation_response" && !c.accepted && c.script) {
      c.accepted = true;
      if (auto s = c.script->accept_response(e.text); !s) return "msg:attestation_response(unusable: " + s.error().code + ")";
      // The SUT's own quote and event log, checked as the runner's handshake cases check them.
      if (const Status& q = c.script->quote_check(); c.judge_quote && !q) return "msg:attestation_response(quote: " + q.error().code + ")";
    }
    return "msg:" + type;
  }
  if (c.channel) {
    auto o = c.channel->receive_text(e.text);
    if (!o.delivered()) return "enc-bad:" + (o.error ? o.error->code : std::string("?"));
    const Json& m = o.opened.message;
    return "enc:" + (m.contains("type") && m["type"].is_string() ? m["type"].get<std::string>() : std::string("?"));
  }
  return "text";
}

std::vector<std::string> send_and_collect(Endpoint& ep, WsConn& c, const std::string& text, int want) {
  if (c.gone || !ep.ws_send(c.handle, text)) {
    c.gone = true;
    return {"not-sent"};
  }
  std::vector<std::string> seen;
  for (const auto& e : ep.ws_collect(c.handle, want)) seen.push_back(normal(c, e));
  return seen;
}

std::string clean_handshake(Endpoint& ep, WsConn& c) {
  for (const auto& e : ep.ws_collect(c.handle, 0)) normal(c, e);
  if (!ep.ws_send(c.handle, json::dump(c.script->begin()))) return "hs:not-sent";
  std::string first;
  for (const auto& e : ep.ws_collect(c.handle, 1)) first = normal(c, e);
  if (!c.accepted || c.gone || first.rfind("msg:attestation_response(unusable", 0) == 0)
    return "hs:failed" + (first.empty() ? std::string() : " (" + first + ")");
  if (!ep.ws_send(c.handle, json::dump(c.script->ok_message()))) return "hs:not-sent";
  auto ch = c.script->session();
  if (!ch) return "hs:failed (" + ch.error().code + ")";
  c.channel.emplace(std::move(*ch));
  return {};
}

}  // namespace pnc::conf::campaign
