#include "cases/challenge_session.hpp"

#include <stdexcept>

#include "cases/text.hpp"

namespace pnc::conf {

ChallengeSession& challenge_of(Context& ctx) {
  auto* s = dynamic_cast<ChallengeSession*>(ctx.session);
  if (s == nullptr) throw std::logic_error("a challenge case ran without a challenge session");
  return *s;
}

Result<Conn> connect(Context& ctx) {
  ChallengeSession& cs = challenge_of(ctx);
  net::WsClientOptions options;
  options.max_message = 64u * 1024u * 1024u;  // the runner must see what an SUT sends, up to a bound
  auto ws = net::WsClient::connect(cs.ws_url(), ctx.timeout, options);
  if (!ws) return make_error("conn.failed", "cannot connect to " + cs.ws_url() + ": " + ws.error().message);
  Conn c;
  c.ws = std::move(*ws);
  c.script = std::make_unique<ClientScript>(ctx.profile, cs.sut(), cs.rng());
  return c;
}

std::string send_text(Context& ctx, Conn& conn, const std::string& text) {
  auto s = conn.ws->send_text(text, ctx.timeout);
  return s ? std::string() : "sending failed: " + s.error().message;
}

Result<Conn> answered(Context& ctx) {
  auto conn = connect(ctx);
  if (!conn) return conn.error();
  Conn& c = *conn;
  if (auto e = send_text(ctx, c, json::dump(c.script->begin())); !e.empty()) return make_error("conn.failed", e);
  Observation first = first_message(*c.ws, ctx.timeout);
  if (first.texts.empty())
    return make_error("conn.no_response", "valid attestation_begin not answered: " + first.describe());
  if (auto s = c.script->accept_response(first.texts.front()); !s)
    return make_error("conn.bad_response", "valid attestation_begin: " + s.error().message);
  return conn;
}

Result<Conn> establish(Context& ctx) {
  auto conn = answered(ctx);
  if (!conn) return conn.error();
  Conn& c = *conn;
  if (auto e = send_text(ctx, c, json::dump(c.script->ok_message())); !e.empty()) return make_error("conn.failed", e);
  auto channel = c.script->session();
  if (!channel) return make_error("conn.bad_response", "key exchange failed: " + channel.error().message);
  c.channel.emplace(std::move(*channel));
  return conn;
}

std::string probe(Context& ctx, Conn& conn) {
  if (!conn.channel) return "no session to probe";
  const std::string id = "probe-" + std::to_string(++conn.probes);
  auto sealed = conn.channel->seal(probe_request(id), challenge_of(ctx).rng());
  if (!sealed) return "cannot seal the probe: " + sealed.error().message;
  if (auto e = send_text(ctx, conn, *sealed); !e.empty()) return e;
  // Skip unrelated messages the SUT may push (e.g. orm_permissions); bounded.
  for (int i = 0; i < 8; ++i) {
    const net::Frame f = conn.ws->receive(ctx.timeout);
    if (f.kind == net::FrameKind::close)
      return "connection closed with " + std::to_string(f.close_code) + (f.close_reason.empty() ? "" : " \"" + clip(f.close_reason, 60) + "\"");
    if (f.kind == net::FrameKind::timeout) return "no answer to the liveness probe within " + std::to_string(ctx.timeout.count()) + " ms";
    if (f.kind == net::FrameKind::error) return "connection dropped (" + clip(f.error, 80) + ")";
    if (f.kind != net::FrameKind::text) continue;
    auto outcome = conn.channel->receive_text(f.data);
    if (!outcome.delivered()) return "the answer does not open under the session key (" + (outcome.error ? outcome.error->code : std::string("?")) + ")";
    if (is_probe_answer(outcome.opened.message, id)) return {};
  }
  return "no db_version_response to the liveness probe";
}

}  // namespace pnc::conf
