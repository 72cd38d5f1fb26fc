// Target "validator" (§2, §3.6, §5, §6 against a validator SUT): the runner plays the challenge.
// WebSocket cases answer the SUT's attestation_begin with a valid or mutated
// attestation_response and judge whether the client sends attestation_ok, or rejects and closes
// as its profile requires; envelope cases mutate the runner's answers after the handshake.
// Bootstrap cases call the SUT's /attestation/challenge and /attest (§2.5, N-BOOT, N-X-03), and
// the signed-request cases its /results/submit with the session /attest issued.
#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "cases/case_builders.hpp"
#include "cases/catalogue.hpp"
#include "cases/http_result.hpp"
#include "cases/runner_evidence.hpp"
#include "cases/text.hpp"
#include "cases/validator_session.hpp"
#include "cases/ws_expect.hpp"
#include "pnc/bootstrap.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/signed_http.hpp"
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
  Case c = ws_case(Target::validator, std::move(id), std::move(title), "handshake", expect);
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

Case envelope_case(std::string id, std::string title, ExpectFn expect, std::function<std::string(Context&, Established&)> frame,
                   std::string mechanism = "envelope") {
  Case c = ws_case(Target::validator, std::move(id), std::move(title), std::move(mechanism), expect);
  c.run = [expect, frame](Context& ctx) {
    auto e = establish(ctx);
    if (!e) return Outcome::blocked(e.error().message);
    e->link.peer->send_text(frame(ctx, *e));
    return after_mutation(ctx, *e, expect(ctx.profile, *ctx.sut));
  };
  return c;
}

// ---- HTTP (§2 bootstrap, §6 /results/*)

HttpResult post(Context& ctx, const std::string& target, const std::string& body, net::Headers headers = {{"Content-Type", "application/json"}}) {
  ValidatorSession& vs = validator_of(ctx);
  if (vs.ensure_running) {
    if (std::string problem = vs.ensure_running(); !problem.empty()) return HttpResult::blocked(problem);
  }
  return http_result("POST " + target, net::http_request(*ctx.sut->bootstrap_url, "POST", target, headers, body, Millis(ctx.timeout.count() * 2)));
}

// A fresh bootstrap nonce, or why there is none: a 5xx stays the SUT's failure (DEC-52), anything
// else is a failed precondition of the case that needed the nonce.
struct NonceOrFailure {
  std::string nonce;  // 64 hex; empty: see failure
  HttpResult failure;
};

NonceOrFailure fresh_nonce(Context& ctx) {
  const HttpResult r = post(ctx, "/attestation/challenge", "", {});
  if (r.server_error()) return {{}, r};
  if (r.status != 200) return {{}, HttpResult::blocked("/attestation/challenge: " + r.describe())};
  auto doc = json::parse_object(r.body, Profile::sdk_compat);
  const std::string nonce = doc ? string_member(*doc, "nonce") : "";
  if (nonce.size() != 64) return {{}, HttpResult::blocked("/attestation/challenge returned no 64-hex nonce: " + r.describe())};
  return {nonce, {}};
}

// A valid /attest body for `nonce`: the runner's quote (mock, signed-mock or the TDX host's, see
// runner_evidence.hpp) bound to SHA256(ASCII nonce).
Json attest_body(Context& ctx, const bootstrap::ChallengeKeys& keys, const std::string& nonce) {
  const SutDescription& sut = *ctx.sut;
  ServerScript quotes(ctx.profile, sut, validator_of(ctx).rng());
  Evidence ev = runner_evidence(sut, bootstrap::attest_report_data(nonce), quotes.mock_params());
  if (!(sut.runner_tdx && sut.runner_tdx->provider)) {
    const auto events = tdx::mock_events(quotes.mock_params());  // a mock quote's log, in its long form
    ev.event_log = tdx::event_log_json(events);
    ev.rtmrs = tdx::rtmrs_json(tdx::replay_rtmrs(events));
  }
  auto rq = tdx::parse_quote(ev.quote);
  if (rq) {
    std::array<tdx::Measurement, 4> r{};
    for (std::size_t i = 0; i < 4; ++i) r[i] = rq->rtmr[i];
    ev.rtmrs = tdx::rtmrs_json(r);
  }
  return Json::parse(*bootstrap::build_attest_body(keys, nonce, ev, Profile::seed_spec));
}


struct StatusCase {
  int seed;
  int compat;
};

Case boot_case(std::string id, std::string title, StatusCase want, std::function<HttpResult(Context&)> run,
               std::string mechanism = "bootstrap") {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = std::move(mechanism);
  c.target = Target::validator;
  c.needs = {Need::bootstrap};
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat, Profile::hardened})
    c.expected[p] = "HTTP " + std::to_string(is_strict(p) ? want.seed : want.compat);
  c.run = [want, run](Context& ctx) {
    const HttpResult r = run(ctx);
    if (!r.precondition.empty()) return Outcome::blocked(r.precondition);
    if (auto server_error = server_error_outcome(r)) return *server_error;
    const int expected = is_strict(ctx.profile) ? want.seed : want.compat;
    if (r.error.empty() && r.status == expected) return Outcome::pass(r.describe());
    return Outcome::fail(r.describe(), "HTTP " + std::to_string(expected));
  };
  return c;
}

// /attest with the body edited after a fresh nonce.
std::function<HttpResult(Context&)> attest_with(std::function<void(Json&, const std::string& nonce)> edit) {
  return [edit](Context& ctx) {
    auto nonce = fresh_nonce(ctx);
    if (nonce.nonce.empty()) return nonce.failure;
    const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
    Json body = attest_body(ctx, keys, nonce.nonce);
    edit(body, nonce.nonce);
    return post(ctx, "/attest", json::dump(body));
  };
}

// §2.5: a refused /attest, then the valid body with the same nonce. The refusal's status is
// judged, and the nonce must still be usable: only an accepted request consumes its nonce.
Case refused_then_valid(std::string id, std::string title, int want, std::vector<Profile> profiles,
                        std::function<std::string(Json body)> damage, std::string content_type = "application/json") {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = "bootstrap";
  c.target = Target::validator;
  c.needs = {Need::bootstrap};
  c.profiles = profiles;
  const std::string expected = "HTTP " + std::to_string(want) + ", then HTTP 200 for the valid /attest with the same nonce";
  for (Profile p : profiles) c.expected[p] = expected;
  c.run = [=](Context& ctx) {
    auto nonce = fresh_nonce(ctx);
    if (nonce.nonce.empty()) {
      if (auto server_error = server_error_outcome(nonce.failure)) return *server_error;
      return Outcome::blocked(nonce.failure.precondition);
    }
    const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
    const Json valid = attest_body(ctx, keys, nonce.nonce);
    const HttpResult refused = post(ctx, "/attest", damage(valid), {{"Content-Type", content_type}});
    if (!refused.precondition.empty()) return Outcome::blocked(refused.precondition);
    if (auto server_error = server_error_outcome(refused)) return *server_error;
    if (!refused.error.empty() || refused.status != want) return Outcome::fail(refused.describe(), expected);
    const HttpResult again = post(ctx, "/attest", json::dump(valid));
    if (auto server_error = server_error_outcome(again)) return *server_error;
    // The accepted answer carries a session token: its body stays out of the report.
    if (again.status == 200) return Outcome::pass(refused.describe() + "; then the valid /attest: HTTP 200");
    const std::string seen = refused.describe() + "; then the valid /attest: " + again.describe();
    if (again.status == 401) return Outcome::fail("the refused request consumed the nonce: " + seen, expected);
    return Outcome::blocked("the valid /attest after the refusal was refused: " + seen);
  };
  return c;
}

}  // namespace

std::vector<Case> validator_cases() {
  std::vector<Case> out;
  // ---- handshake (§3.6)
  {
    Case c = ws_case(Target::validator, "VHS-OK", "valid attestation_response: the client attests, derives the key and sends an envelope", "handshake",
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
  out.push_back(response_case("N-HS-13.client", "challenge event log {\"environment_mode\": <the other mode>}",
                              [](Profile p, const SutDescription&) { return is_strict(p) ? WsExpect::reject() : WsExpect::reject(0); },
                              [](ServerScript& s, Json& r) {
                                (void)s;
                                r["event_log"] = json::dump(Json{{"environment_mode", "__other__"}});
                                return std::string();
                              }));
  {
    // The other mode is the SUT's other one.
    Case& c = out.back();
    c.run = [run = c.run](Context& ctx) {
      auto link = open_link(ctx);
      if (!link) return Outcome::blocked(link.error().message);
      Json r = link->script->response();
      r["event_log"] = json::dump(Json{{"environment_mode", ctx.sut->env_mode == "dev" ? "prod" : "dev"}});
      link->peer->send_text(json::dump(r));
      const WsExpect want = is_strict(ctx.profile) ? WsExpect::reject() : WsExpect::reject(0);
      return judge_close(want, observe(*link->peer, ctx.timeout), false);
    };
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
  {
    Case c = ws_case(Target::validator, "N-HS-23.client", "no attestation_response (handshake deadline of the client)", "handshake",
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

  // ---- envelopes to the client (§5.3)
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
    Case c = ws_case(Target::validator, "N-ENV-10.client", "the runner's answer replayed byte for byte", "envelope", per_profile(WsExpect::closes(1008), WsExpect::accepted()));
    c.run = [](Context& ctx) {
      auto e = establish(ctx);
      if (!e) return Outcome::blocked(e.error().message);
      const std::string answer = reply_to(ctx, *e);
      e->link.peer->send_text(answer);
      e->link.peer->send_text(answer);
      if (is_strict(ctx.profile)) return judge_close(WsExpect::closes(1008), observe(*e->link.peer, ctx.timeout), false);
      const Observation obs = observe(*e->link.peer, ctx.timeout, 2);
      if (obs.closed && obs.close_code != 1000 && obs.close_code != 0) return Outcome::fail(obs.describe(), "the replay is accepted (COMPAT, D-10)");
      return Outcome::pass(obs.describe());
    };
    out.push_back(std::move(c));
  }
  {
    Case c = ws_case(Target::validator, "T-BINARY.client", "binary frame after the handshake", "transport", per_profile(WsExpect::closes(1003), WsExpect::alive()));
    c.profiles = {Profile::seed_spec, Profile::hardened};
    c.run = [](Context& ctx) {
      auto e = establish(ctx);
      if (!e) return Outcome::blocked(e.error().message);
      e->link.peer->send_binary("\x01\x02\x03");
      return judge_close(WsExpect::closes(1003), observe(*e->link.peer, ctx.timeout), false);
    };
    out.push_back(std::move(c));
  }

  // ---- bootstrap (§2.5, §12.10)
  {
    Case c = boot_case("BOOT-OK", "nonce, then /attest with a quote bound to SHA256(ASCII nonce): a session with crypto", {200, 200},
                       attest_with([](Json&, const std::string&) {}));
    c.run = [](Context& ctx) {
      auto nonce = fresh_nonce(ctx);
      if (nonce.nonce.empty()) return server_error_outcome(nonce.failure).value_or(Outcome::fail(nonce.failure.describe()));
      const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
      const HttpResult r = post(ctx, "/attest", json::dump(attest_body(ctx, keys, nonce.nonce)));
      if (r.status != 200) return Outcome::fail(r.describe(), "HTTP 200 with session_token and crypto");
      auto doc = json::parse_object(r.body, Profile::sdk_compat);
      if (!doc) return Outcome::fail("the answer is not a JSON object: " + r.describe());
      const Json crypto = doc->contains("crypto") ? (*doc)["crypto"] : Json();
      const std::string want_aead = is_strict(ctx.profile) ? "chacha20poly1305" : "xchacha20poly1305";
      if (string_member(*doc, "session_token").empty()) return Outcome::fail("no session_token: " + r.describe());
      if (!codec::b64_decode_exact(string_member(crypto, "srv_x25519_pub"), 32) || !codec::b64_decode_exact(string_member(crypto, "hkdf_salt"), 32))
        return Outcome::fail("crypto.srv_x25519_pub / hkdf_salt not 32 bytes: " + r.describe());
      if (string_member(crypto, "aead") != want_aead)
        return Outcome::fail("crypto.aead = \"" + string_member(crypto, "aead") + "\"", "crypto.aead = \"" + want_aead + "\" (D-20)");
      return Outcome::pass("200, session_token, crypto {srv_x25519_pub, aead " + want_aead + ", hkdf_salt}");
    };
    out.push_back(std::move(c));
  }
  out.push_back(boot_case("N-BOOT-01.unknown", "/attest with a nonce never issued", {401, 200}, [](Context& ctx) {
    const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
    const std::string nonce = codec::hex_encode(validator_of(ctx).rng().bytes(32));
    return post(ctx, "/attest", json::dump(attest_body(ctx, keys, nonce)));
  }));
  out.push_back(boot_case("N-BOOT-01.used", "/attest twice with the same nonce", {401, 200}, [](Context& ctx) {
    auto nonce = fresh_nonce(ctx);
    if (nonce.nonce.empty()) return nonce.failure;
    const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
    const std::string body = json::dump(attest_body(ctx, keys, nonce.nonce));
    const HttpResult first = post(ctx, "/attest", body);
    if (first.server_error()) return first;
    if (first.status != 200) return HttpResult::blocked("the first /attest was refused: " + first.describe());
    return post(ctx, "/attest", body);
  }));
  out.push_back(boot_case("N-BOOT-02", "quote bound to SHA256(decoded nonce bytes) instead of SHA256(ASCII nonce)", {401, 401}, [](Context& ctx) {
    auto nonce = fresh_nonce(ctx);
    if (nonce.nonce.empty()) return nonce.failure;
    const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
    Json body = attest_body(ctx, keys, nonce.nonce);
    ServerScript quotes(ctx.profile, *ctx.sut, validator_of(ctx).rng());
    body["attestation"]["quote"] = quotes.quote_b64(quotes.mock_params(), ws_report_data(*codec::hex_decode(nonce.nonce)));
    return post(ctx, "/attest", json::dump(body));
  }));
  for (const char* type : {"tdx", "Sgx"}) {
    const std::string t = type;
    out.push_back(boot_case("N-BOOT-03." + t, "attestation_type \"" + t + "\"", {400, 400},
                            attest_with([t](Json& b, const std::string&) { b["attestation"]["attestation_type"] = t; })));
  }
  out.push_back(boot_case("N-BOOT-05.event-log-missing", "attestation.event_log missing", {400, 400},
                          attest_with([](Json& b, const std::string&) { b["attestation"].erase("event_log"); })));
  out.push_back(boot_case("N-BOOT-05.rtmrs-missing", "attestation.rtmrs missing", {400, 400},
                          attest_with([](Json& b, const std::string&) { b["attestation"].erase("rtmrs"); })));
  out.push_back(boot_case("N-BOOT-05.event-log-null", "attestation.event_log null", {400, 200},
                          attest_with([](Json& b, const std::string&) { b["attestation"]["event_log"] = nullptr; })));
  out.push_back(boot_case("N-BOOT-06.short", "ephemeral_public_key of 31 bytes", {400, 200}, attest_with([](Json& b, const std::string&) {
                            Bytes k = *codec::b64_decode(b["ephemeral_public_key"].get<std::string>());
                            k.pop_back();
                            b["ephemeral_public_key"] = codec::b64_encode(k);
                          })));
  out.push_back(boot_case("N-BOOT-06.small-order", "ephemeral_public_key = the Ed25519 identity (small order)", {400, 200},
                          attest_with([](Json& b, const std::string&) {
                            b["ephemeral_public_key"] = codec::b64_encode(*codec::hex_decode(kLowOrderPoints[1]));
                          })));
  for (int i = 0; i < 14; ++i) {
    const std::string lo(kLowOrderPoints[i]);
    out.push_back(boot_case("N-X-03." + two_digits(i + 1), "sdk_x25519_pub = low-order point #" + std::to_string(i + 1), {400, 200},
                            attest_with([lo](Json& b, const std::string&) { b["sdk_x25519_pub"] = codec::b64_encode(*codec::hex_decode(lo)); })));
  }

  // ---- a refused /attest consumes no nonce (§2.5): refused after step 0, and by the typed extractor
  const std::vector<Profile> strict = {Profile::seed_spec, Profile::hardened};
  const std::vector<Profile> every = {Profile::seed_spec, Profile::sdk_compat, Profile::hardened};
  auto edited = [](std::function<void(Json&)> edit) {
    return [edit](Json b) {
      edit(b);
      return json::dump(b);
    };
  };
  out.push_back(refused_then_valid("N-BOOT-08.step-1", "/attest refused for attestation_type \"tdx\" (step 1), then the valid one", 400,
                                   strict, edited([](Json& b) { b["attestation"]["attestation_type"] = "tdx"; })));
  out.push_back(refused_then_valid("N-BOOT-08.step-6", "/attest refused for a missing event_log (step 6), then the valid one", 400,
                                   strict, edited([](Json& b) { b["attestation"].erase("event_log"); })));
  out.push_back(refused_then_valid("N-BOOT-08.step-7", "/attest refused for an ephemeral_public_key of 31 bytes (step 7), then the valid one",
                                   400, strict, edited([](Json& b) {
                                     Bytes k = *codec::b64_decode(b["ephemeral_public_key"].get<std::string>());
                                     k.pop_back();
                                     b["ephemeral_public_key"] = codec::b64_encode(k);
                                   })));
  struct BadBody {
    const char* kind;
    const char* title;
    int status;
    std::function<std::string(Json)> body;
  };
  const std::vector<BadBody> bad_bodies = {
      {"not-json", "the body cut after its first member", 400,
       [](Json b) { const std::string t = json::dump(b); return t.substr(0, t.find(',')); }},
      {"empty", "an empty body", 400, [](Json) { return std::string(); }},
      {"array", "the body inside a JSON array", 422, [](Json b) { return "[" + json::dump(b) + "]"; }},
      {"string", "a JSON string", 422, [](Json) { return std::string(R"("attestation")"); }},
      {"null", "JSON null", 422, [](Json) { return std::string("null"); }},
      {"no-attestation", "attestation missing", 422, edited([](Json& b) { b.erase("attestation"); })},
      {"attestation-string", "attestation as a JSON string", 422, edited([](Json& b) { b["attestation"] = b["attestation"].dump(); })},
      {"ephemeral-key-number", "ephemeral_public_key a number", 422, edited([](Json& b) { b["ephemeral_public_key"] = 5; })},
      {"x25519-pub-null", "sdk_x25519_pub null", 422, edited([](Json& b) { b["sdk_x25519_pub"] = nullptr; })},
  };
  for (const BadBody& bad : bad_bodies)
    out.push_back(refused_then_valid(std::string("N-BODY-02.attest.") + bad.kind, std::string("/attest body: ") + bad.title +
                                         ", then the valid one", bad.status, every, bad.body));
  out.push_back(refused_then_valid("N-BODY-02.attest.content-type-text", "/attest with Content-Type: text/plain, then the valid one",
                                   415, every, [](Json b) { return json::dump(b); }, "text/plain"));

  // ---- signed requests to /results/submit with the /attest session (§6.4)
  const std::string kSubmitPayload =
      R"({"session_token":"x","score":0.5,"metrics":{"m":1.0},"job_type":"demo","logs":[],"allowed_log_containers":[],"error":null})";
  auto signed_submit = [kSubmitPayload](Context& ctx, std::int64_t skew, bool twice, std::optional<std::string> body_text = std::nullopt) -> HttpResult {
    auto nonce = fresh_nonce(ctx);
    if (nonce.nonce.empty()) return nonce.failure;
    Rng& rng = validator_of(ctx).rng();
    const auto keys = bootstrap::generate_challenge_keys(rng);
    const HttpResult attested = post(ctx, "/attest", json::dump(attest_body(ctx, keys, nonce.nonce)));
    auto session = bootstrap::process_attest_response(attested.status, attested.body, keys, ctx.profile);
    if (attested.server_error()) return attested;
    if (!session) return HttpResult::blocked("bootstrap failed: " + attested.describe());
    SystemClock clock;
    signed_http::Signer signer(keys.ed_seed.view(), session->session_token.value_or(""), session->aead_key, clock, rng,
                               signed_http::SignerOptions{ctx.profile, signed_http::BodyCipher::ietf});
    auto full = signer.sign("POST", "/results/submit", kSubmitPayload);
    if (body_text && session->aead_key) {
      // A payload sign() refuses (not JSON): encrypted and signed as it is.
      auto sealed = signed_http::encrypt_body(session->aead_key->view(), as_bytes(*body_text), signed_http::BodyCipher::ietf, rng);
      if (!sealed) return HttpResult::blocked("the runner cannot encrypt the payload: " + sealed.error().message);
      full = signer.sign_body("POST", "/results/submit", to_bytes(*sealed), signed_http::kContentTypeEncrypted,
                              std::to_string(clock.now()), rng.uuid_v4());
    } else if (body_text) {
      full = signer.sign_body("POST", "/results/submit", to_bytes(*body_text), "application/json", std::to_string(clock.now()), rng.uuid_v4());
    }
    if (!full) return HttpResult::blocked("the runner cannot sign the request: " + full.error().message);
    if (skew != 0) {
      // Re-sign the same body with the skewed timestamp.
      const auto ct = full->header(signed_http::kHdrContentType);
      auto skewed = signer.sign_body("POST", "/results/submit", full->body, std::string(ct.value_or("application/json")),
                                     std::to_string(clock.now() + skew), rng.uuid_v4());
      full = std::move(skewed);
    }
    net::Headers headers(full->headers.begin(), full->headers.end());
    const std::string body = pnc::to_string(ByteView(full->body));
    HttpResult r = post(ctx, "/results/submit", body, headers);
    if (!twice || r.server_error()) return r;
    if (r.status != 200) return HttpResult::blocked("the original request was refused: " + r.describe());
    return post(ctx, "/results/submit", body, headers);
  };
  out.push_back(boot_case("SIG-OK.validator", "signed /results/submit with the /attest session (body encrypted under the session key)",
                          {200, 200}, [signed_submit](Context& ctx) { return signed_submit(ctx, 0, false); }, "signed-http"));
  out.push_back(boot_case("N-SIG-05.validator", "the same signed /results/submit sent twice", {401, 401},
                          [signed_submit](Context& ctx) { return signed_submit(ctx, 0, true); }, "signed-http"));
  out.push_back(boot_case("N-SIG-02.validator", "signed /results/submit with X-Timestamp = now - 125", {401, 401},
                          [signed_submit](Context& ctx) { return signed_submit(ctx, -125, false); }, "signed-http"));
  // §6.8 / D-40: a /results/* payload is the validator's business (its shape is out of scope),
  // but a validly signed request whose payload cannot be used must never get a 5xx (DEC-52).
  for (const auto& [kind, text] : std::vector<std::pair<std::string, std::string>>{
           {"not-json", R"({"score": )"}, {"array", "[]"}, {"empty", ""}, {"wrong-types", R"({"score":"high","metrics":[1]})"}}) {
    Case c;
    c.id = "N-BODY-03.results-submit." + kind;
    c.title = "signed /results/submit whose payload is " + (kind == "wrong-types" ? std::string("of the wrong member types") : kind);
    c.mechanism = "signed-http";
    c.target = Target::validator;
    c.needs = {Need::bootstrap};
    c.expected_default = "any answer but a 5xx (the payload's shape is the validator's, D-40)";
    c.run = [signed_submit, text = text](Context& ctx) {
      const HttpResult r = signed_submit(ctx, 0, false, text);
      if (!r.precondition.empty()) return Outcome::blocked(r.precondition);
      if (auto server_error = server_error_outcome(r)) return *server_error;
      if (!r.error.empty()) return Outcome::fail(r.describe(), "an HTTP answer");
      return Outcome::pass("HTTP " + std::to_string(r.status));
    };
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pnc::conf
