// Target "validator", WebSocket (§3.6, §5 against a validator SUT): the runner plays the
// challenge. It answers the SUT's attestation_begin with a valid or mutated attestation_response
// and judges whether the client sends attestation_ok, or rejects and closes as its profile
// requires; envelope cases mutate the runner's answers after the handshake.
#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/runner_evidence.hpp"
#include "cases/text.hpp"
#include "cases/validator_session.hpp"
#include "cases/ws_expect.hpp"
#include "pnc/codec.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf {

namespace {

using json::Json;
using K = WsExpect::Kind;

// One connection: the SUT's attestation_begin accepted by the script.
struct Link {
  std::shared_ptr<net::ServerWsPeer> peer;
  std::unique_ptr<ServerScript> script;
};

Result<Link> open_link(Context& ctx) {
  ValidatorSession& vs = validator_of(ctx);
  auto peer = vs.next_connection();
  if (!peer) return peer.error();
  Link l{*peer, std::make_unique<ServerScript>(ctx.profile, vs.sut(), vs.rng())};
  const Observation first = first_message(*l.peer, ctx.timeout);
  if (first.texts.empty()) return make_error("link.no_begin", "the SUT sent no attestation_begin: " + first.describe());
  if (auto s = l.script->accept_begin(first.texts.front()); !s) return s.error();
  return l;
}

// The response (edited), then the judgement of the client's reaction.
Case response_case(std::string id, std::string title, ExpectFn expect, std::function<std::string(ServerScript&, Json&)> edit,
                   std::vector<Need> needs = {}) {
  Case c = ws_case(Target::validator, std::move(id), std::move(title), Mechanism::handshake, expect);
  c.needs = std::move(needs);
  c.run = [expect, edit](Context& ctx) {
    auto link = open_link(ctx);
    if (!link) return Outcome::blocked(link.error().message);
    Json response = link->script->response();
    const std::string frame = edit(*link->script, response);
    link->peer->send_text(frame.empty() ? json::dump(response) : frame);
    const WsExpect want = expect(ctx.profile, *ctx.sut);
    if (want.kind == K::responds) {
      const Observation obs = first_message(*link->peer, ctx.timeout);
      if (obs.saw_type("attestation_ok")) return Outcome::pass("attestation_ok");
      return Outcome::fail(obs.describe(), want.describe(false));
    }
    return judge_close(want, observe(*link->peer, ctx.timeout), false);
  };
  return c;
}

ExpectFn client_quote_failure() {
  // [SEED] reject + 1008; [COMPAT] VALIDATOR_MOCK_VMM waives quote failures (mock), VAL rejects in prod.
  return [](Profile p, const SutDescription& sut) {
    if (is_strict(p)) return WsExpect::reject();
    return sut.mode == AttestationMode::mock ? WsExpect::responds() : WsExpect::reject(0);
  };
}

// An established session: the SUT's first envelope (its first scripted request) received.
struct Established {
  Link link;
  envelope::Channel channel;
  std::string request_frame;  // the SUT's first envelope as sent
  Json request;               // its inner message
};

Result<Established> establish(Context& ctx) {
  auto link = open_link(ctx);
  if (!link) return link.error();
  link->peer->send_text(json::dump(link->script->response()));
  const Observation ok = first_message(*link->peer, ctx.timeout);
  if (!ok.saw_type("attestation_ok")) return make_error("est.no_ok", "valid attestation_response not accepted: " + ok.describe());
  auto channel = link->script->session_from_ok(ok.texts.front());
  if (!channel) return channel.error();
  const net::Frame f = link->peer->receive(ctx.timeout);
  if (f.kind != net::FrameKind::text) return make_error("est.no_request", "no envelope from the SUT after the handshake");
  auto opened = channel->receive_text(f.data);
  if (!opened.delivered())
    return make_error("est.bad_envelope", "the SUT's first envelope does not open: " + (opened.error ? opened.error->code : std::string("?")));
  return Established{std::move(*link), std::move(*channel), f.data, opened.opened.message};
}

std::string reply_to(Context& ctx, Established& e) {
  return *e.channel.seal_json(ServerScript::answer_to(e.request), validator_of(ctx).rng());
}

// After a mutated frame: strict clients close; sdk-compat clients drop it and carry on (the
// runner answers the pending request properly and the SUT sends its next message or ends its
// script with close 1000).
Outcome after_mutation(Context& ctx, Established& e, const WsExpect& want) {
  if (want.kind != K::alive && want.kind != K::accepted) return judge_close(want, observe(*e.link.peer, ctx.timeout), false);
  e.link.peer->send_text(reply_to(ctx, e));
  const Observation obs = observe(*e.link.peer, ctx.timeout, 2);
  if (!obs.texts.empty() || (obs.closed && obs.close_code == 1000)) return Outcome::pass("frame dropped, the SUT carried on: " + obs.describe());
  return Outcome::fail(obs.describe(), want.describe(false));
}

// Established session, then one frame in place of the runner's answer; judged per profile.
Case envelope_case(std::string id, std::string title, ExpectFn expect, std::function<std::string(Context&, Established&)> frame) {
  Case c = ws_case(Target::validator, std::move(id), std::move(title), Mechanism::envelope, expect);
  c.run = [expect, frame](Context& ctx) {
    auto e = establish(ctx);
    if (!e) return Outcome::blocked(e.error().message);
    e->link.peer->send_text(frame(ctx, *e));
    return after_mutation(ctx, *e, expect(ctx.profile, *ctx.sut));
  };
  return c;
}

}  // namespace

// The client's handshake (§3.6): a valid attestation_response, low-order keys (§12.2, N-X-02),
// responses of the wrong type or shape.
std::vector<Case> client_handshake_cases() {
  std::vector<Case> out;
  {
    Case c = ws_case(Target::validator, "VHS-OK", "valid attestation_response: the client attests, derives the key and sends an envelope", Mechanism::handshake,
                     per_profile(WsExpect::accepted(), WsExpect::accepted()));
    c.expected.clear();
    c.expected_default = "attestation_ok, then envelopes that open under the session key";
    c.run = [](Context& ctx) {
      auto e = establish(ctx);
      if (!e) return Outcome::fail(e.error().message);  // the valid handshake is this case's subject
      return Outcome::pass("attestation_ok, then " + string_member(e->request, "type") + " in an envelope");
    };
    out.push_back(std::move(c));
  }
  for (int i = 0; i < 14; ++i) {
    const std::string pub = codec::b64_encode(*codec::hex_decode(kLowOrderPoints[i]));
    out.push_back(response_case("N-X-02." + two_digits(i + 1), "chal_x25519_pub = low-order point #" + std::to_string(i + 1) + " (§12.2)",
                                per_profile(WsExpect::closes(1008), WsExpect::responds()), [pub](ServerScript& s, Json& r) {
                                  r["chal_x25519_pub"] = pub;
                                  if (s.profile() == Profile::hardened) {
                                    // Bind the low-order key too, so that only the zero check can refuse it.
                                    const Bytes raw = *codec::b64_decode(pub);
                                    r["quote"] = s.quote_b64(s.mock_params(), ws_report_data(s.nonce(), key_binding_challenge(s.val_pub(), raw)));
                                  }
                                  return std::string();
                                }));
  }
  out.push_back(response_case("N-HS-24", "server attestation_ok {chal_x25519_pub, hkdf_salt} instead of attestation_response (D-32)",
                              per_profile(WsExpect::closes(1008), WsExpect::closes(0)), [](ServerScript& s, Json&) {
                                return json::dump(Json{{"type", "attestation_ok"},
                                                       {"chal_x25519_pub", codec::b64_encode(s.chal_pub())},
                                                       {"hkdf_salt", codec::b64_encode(Bytes(32, 7))}});
                              }));
  out.push_back(response_case("N-HS-25", "attestation_response without quote", per_profile(WsExpect::closes(1008), WsExpect::closes(0)),
                              [](ServerScript&, Json& r) {
                                r.erase("quote");
                                return std::string();
                              }));
  out.push_back(response_case("N-HS-26", "chal_x25519_pub of 31 bytes", per_profile(WsExpect::closes(1008), WsExpect::closes(0)),
                              [](ServerScript&, Json& r) {
                                Bytes b = *codec::b64_decode(r["chal_x25519_pub"].get<std::string>());
                                b.pop_back();
                                r["chal_x25519_pub"] = codec::b64_encode(b);
                                return std::string();
                              }));
  return out;
}

// The challenge's quote and event log as the client checks them (§3.6 C4, §3.7).
std::vector<Case> client_quote_cases() {
  std::vector<Case> out;
  out.push_back(response_case("N-HS-09.client", "challenge quote bound to another nonce", client_quote_failure(), [](ServerScript& s, Json& r) {
    Bytes other = s.nonce();
    other[0] ^= 0xff;
    r["quote"] = s.quote_b64(s.mock_params(), ws_report_data(other));
    return std::string();
  }));
  {
    // §3.7 step 3 / N-Q-11: a challenge quote validly signed under the mock PKI, TD_ATTRIBUTES.DEBUG set.
    Case c = response_case("N-Q-11.client", "prod mode, validly signed challenge quote of a debuggable TD (TD_ATTRIBUTES.DEBUG set)",
                           client_quote_failure(), [](ServerScript& s, Json& r) {
                             std::optional<ByteArray<32>> binding;
                             if (s.profile() == Profile::hardened) binding = key_binding_challenge(s.val_pub(), s.chal_pub());
                             r["quote"] = signed_mock_quote_b64(ws_report_data(s.nonce(), binding), s.mock_params(), "debug-bit");
                             return std::string();
                           }, {Need::signed_mock});
    c.profiles = {Profile::seed_spec, Profile::hardened};
    out.push_back(std::move(c));
  }
  out.push_back(response_case("N-HS-10.client", "challenge quote with SHA256(N) at offset 584 only", client_quote_failure(), [](ServerScript& s, Json& r) {
    ByteArray<64> rd{};
    const auto digest = crypto::sha256(s.nonce());
    std::copy(digest.begin(), digest.end(), rd.begin() + 16);
    r["quote"] = s.quote_b64(s.mock_params(), rd);
    return std::string();
  }));
  // §9.7: VAL parses REPORTDATA (568) while the SDK's lenient offsets apply to the server side;
  // the compat client behaviour is not pinned down by §12, so the case is strict-only.
  out.back().profiles = {Profile::seed_spec, Profile::hardened};
  {
    // The other mode is the SUT's other one (from the SUT description).
    const ExpectFn expect = per_profile(WsExpect::reject(), WsExpect::reject(0));
    Case c = ws_case(Target::validator, "N-HS-13.client", "challenge event log {\"environment_mode\": <the other mode>}",
                     Mechanism::handshake, expect);
    c.run = [expect](Context& ctx) {
      auto link = open_link(ctx);
      if (!link) return Outcome::blocked(link.error().message);
      Json r = link->script->response();
      r["event_log"] = json::dump(Json{{"environment_mode", ctx.sut->env_mode == "dev" ? "prod" : "dev"}});
      link->peer->send_text(json::dump(r));
      return judge_close(expect(ctx.profile, *ctx.sut), observe(*link->peer, ctx.timeout), false);
    };
    out.push_back(std::move(c));
  }
  out.push_back(response_case("N-HS-17.client", "mock quote with one body byte flipped (mock signature mismatch)", client_quote_failure(),
                              [](ServerScript&, Json& r) {
                                Bytes q = *codec::b64_decode(r["quote"].get<std::string>());
                                q[200] ^= 0x01;
                                r["quote"] = codec::b64_encode(q);
                                return std::string();
                              },
                              {Need::mock_mode}));
  out.push_back(response_case("N-HS-27", "event log whose compose-hash differs from the expected one",
                              [](Profile p, const SutDescription&) { return is_strict(p) ? WsExpect::reject() : WsExpect::reject(0); },
                              [](ServerScript& s, Json& r) {
                                tdx::MockParams p = s.mock_params();
                                ByteArray<32> other{};
                                other.fill(0x5a);
                                p.compose_hash = other;
                                const auto events = tdx::mock_events(p);
                                r["event_log"] = tdx::event_log_json(events);
                                r["quote"] = s.quote_b64(p);
                                return std::string();
                              },
                              {Need::compose_hash}));
  return out;
}

// The client's handshake deadline (§3.5 S0, §3.9).
std::vector<Case> client_deadline_cases() {
  std::vector<Case> out;
  {
    Case c = ws_case(Target::validator, "N-HS-23.client", "no attestation_response (handshake deadline of the client)", Mechanism::handshake,
                     per_profile(WsExpect::closes(1008), WsExpect::closes(1008)));
    c.profiles = {Profile::seed_spec, Profile::hardened};
    c.run = [](Context& ctx) {
      const DeadlineWatch watch = deadline_watch(*ctx.sut, ctx.timeout);
      if (watch.verdict) return *watch.verdict;
      const auto start = std::chrono::steady_clock::now();
      auto link = open_link(ctx);
      if (!link) return Outcome::blocked(link.error().message);
      const Observation obs = observe(*link->peer, watch.wait);
      return judge_deadline_close(watch, obs, std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start), false);
    };
    out.push_back(std::move(c));
  }
  return out;
}

// Envelopes to the client (§5.3) and a binary frame (§3.1).
std::vector<Case> client_envelope_cases() {
  std::vector<Case> out;
  const auto drop = per_profile(WsExpect::closes(1008), WsExpect::alive());
  out.push_back(envelope_case("N-ENV-04.client", "answer with the last tag byte flipped", drop, [](Context& ctx, Established& e) {
    Json env = Json::parse(reply_to(ctx, e));
    Bytes ct = *codec::b64_decode(env["ciphertext"].get<std::string>());
    ct.back() ^= 0x01;
    env["ciphertext"] = codec::b64_encode(ct);
    return json::dump(env);
  }));
  out.push_back(envelope_case("N-ENV-11.client", "the client's own envelope reflected back", drop,
                              [](Context&, Established& e) { return e.request_frame; }));
  out.push_back(envelope_case("N-ENV-12.client", "an envelope whose plaintext is not JSON", per_profile(WsExpect::closes(1007), WsExpect::alive()),
                              [](Context& ctx, Established& e) { return *e.channel.seal("not json", validator_of(ctx).rng()); }));
  {
    const ExpectFn expect = per_profile(WsExpect::closes(1008), WsExpect::accepted());
    Case c = ws_case(Target::validator, "N-ENV-10.client", "the runner's answer replayed byte for byte", Mechanism::envelope, expect);
    c.run = [expect](Context& ctx) {
      auto e = establish(ctx);
      if (!e) return Outcome::blocked(e.error().message);
      const std::string answer = reply_to(ctx, *e);
      e->link.peer->send_text(answer);
      e->link.peer->send_text(answer);
      const WsExpect want = expect(ctx.profile, *ctx.sut);
      if (want.kind != K::accepted) return judge_close(want, observe(*e->link.peer, ctx.timeout), false);
      const Observation obs = observe(*e->link.peer, ctx.timeout, 2);
      if (obs.closed && obs.close_code != 1000 && obs.close_code != 0) return Outcome::fail(obs.describe(), "the replay is accepted (COMPAT, D-10)");
      return Outcome::pass(obs.describe());
    };
    out.push_back(std::move(c));
  }
  {
    const WsExpect want = WsExpect::closes(1003);  // [COMPAT] (alive) is not judged: the case is strict-only
    Case c = ws_case(Target::validator, "T-BINARY.client", "binary frame after the handshake", Mechanism::transport,
                     per_profile(want, WsExpect::alive()));
    c.profiles = {Profile::seed_spec, Profile::hardened};
    c.run = [want](Context& ctx) {
      auto e = establish(ctx);
      if (!e) return Outcome::blocked(e.error().message);
      e->link.peer->send_binary("\x01\x02\x03");
      return judge_close(want, observe(*e->link.peer, ctx.timeout), false);
    };
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pnc::conf
