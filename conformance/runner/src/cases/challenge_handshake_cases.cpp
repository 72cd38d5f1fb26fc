// Target "challenge", the handshake (§3.5-§3.7, §12.1, §12.2, §12.4): the runner plays validator /
// platform-api, sends a valid prefix and exactly one deviation in attestation_begin or
// attestation_ok, and compares what the SUT does with the spec's expectation for the profile:
// reject + close code, silent close, the handshake going on, or "dropped, connection alive"
// proven by a liveness probe.
#include <chrono>
#include <functional>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/challenge_session.hpp"
#include "cases/challenge_ws_support.hpp"
#include "cases/quote_shape.hpp"
#include "cases/runner_evidence.hpp"
#include "cases/text.hpp"
#include "pnc/codec.hpp"
#include "pnc/handshake.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf {

namespace {

using json::Json;
using K = WsExpect::Kind;

const ProfileExpect kRejectOrSilent = ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::silent());
const ProfileExpect kRejectOrAccept = ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::responds());

// The shape of the quote in an attestation_response answering nonce N (describe_quote_shape),
// or "" when the message carries no decodable quote.
std::string response_quote_shape(ByteView nonce, const std::string& response) {
  auto r = json::parse_object(response, Profile::sdk_compat);
  if (!r) return {};
  auto quote = codec::b64_decode(string_member(*r, "quote"), Profile::sdk_compat);
  return quote && !quote->empty() ? describe_quote_shape(*quote, nonce) : std::string();
}

// " (the quote: <shape>)" for the attestation_response answering the attestation_begin `begin`.
std::string quote_shape_note(const std::string& begin, const std::string& response) {
  auto b = json::parse_object(begin, Profile::sdk_compat);
  if (!b) return {};
  auto nonce = codec::hex_decode(string_member(*b, "nonce"));
  const std::string shape = nonce ? response_quote_shape(*nonce, response) : std::string();
  return shape.empty() ? shape : " (the quote: " + shape + ")";
}

// ---------------------------------------------------------------- handshake: first frame

// A case that sends a (possibly mutated) first frame. `frame` returns the text to send.
Case first_frame_case(std::string id, std::string title, ExpectFn expect,
                      std::function<std::string(ClientScript&)> frame, std::vector<Need> needs = {}) {
  Case c = ws_case(Target::challenge, std::move(id), std::move(title), Mechanism::handshake, expect);
  c.needs = std::move(needs);
  c.run = [expect, frame](Context& ctx) {
    auto conn = connect(ctx);
    if (!conn) return Outcome::blocked(conn.error().message);
    if (auto e = send_text(ctx, *conn, frame(*conn->script)); !e.empty()) return Outcome::fail(e);
    return judge_reaction(ctx, *conn, expect(ctx.profile, *ctx.sut));
  };
  return c;
}

std::function<std::string(ClientScript&)> begin_with(std::function<void(Json&, ClientScript&)> mutate, bool with_quote = true) {
  return [mutate, with_quote](ClientScript& s) {
    Json b = s.begin(with_quote);
    mutate(b, s);
    return json::dump(b);
  };
}

// A quote for the begin message whose bytes were edited (fields re-sealed with the mock
// signature so that the intended check, not the signature, is what rejects).
std::string edited_quote(ClientScript& s, const std::function<void(tdx::QuoteV4&)>& edit, bool reseal = true) {
  auto bytes = codec::b64_decode(s.quote_b64(s.nonce(), s.val_pub(), s.mock_params()));
  auto q = tdx::parse_quote(*bytes);
  edit(*q);
  Bytes out = tdx::serialize_quote(*q);
  if (reseal) tdx::reseal_mock_signature(out);
  return codec::b64_encode(out);
}

// §3.5 S3: a quote failure in the SUT's mode. seed/hardened reject in both modes; sdk-compat
// waives every failure in mock mode (D-06) and rejects in prod unless upstream accepts it.
ExpectFn quote_failure(bool compat_prod_accepts) {
  return [compat_prod_accepts](Profile p, const SutDescription& sut) {
    if (is_strict(p)) return WsExpect::reject();
    if (sut.mode == AttestationMode::mock || compat_prod_accepts) return WsExpect::responds();
    return WsExpect::reject(1000);
  };
}

// ---------------------------------------------------------------- handshake: attestation_ok

// Valid begin, then a (possibly mutated) attestation_ok / other second frame.
Case second_frame_case(std::string id, std::string title, ExpectFn expect,
                       std::function<std::string(ClientScript&, Bytes& salt_used)> frame) {
  Case c = ws_case(Target::challenge, std::move(id), std::move(title), Mechanism::handshake, expect);
  c.run = [expect, frame](Context& ctx) {
    auto conn = connect(ctx);
    if (!conn) return Outcome::blocked(conn.error().message);
    if (auto e = send_text(ctx, *conn, json::dump(conn->script->begin())); !e.empty()) return Outcome::fail(e);
    const Observation first = first_message(*conn->ws, ctx.timeout);
    if (first.texts.empty()) return Outcome::blocked("valid attestation_begin not answered: " + first.describe());
    if (auto s = conn->script->accept_response(first.texts.front()); !s)
      return Outcome::blocked("valid attestation_begin: " + s.error().message);
    Bytes salt;
    if (auto e = send_text(ctx, *conn, frame(*conn->script, salt)); !e.empty()) return Outcome::fail(e);
    const WsExpect want = expect(ctx.profile, *ctx.sut);
    if (want.kind == K::alive) {
      auto channel = conn->script->session(salt);
      if (!channel) return Outcome::blocked("key exchange failed: " + channel.error().message);
      conn->channel.emplace(std::move(*channel));
    }
    return judge_reaction(ctx, *conn, want);
  };
  return c;
}

std::function<std::string(ClientScript&, Bytes&)> ok_with(std::function<void(Json&, Bytes&)> mutate) {
  return [mutate](ClientScript& s, Bytes& salt) {
    Json ok = s.ok_message();
    salt = *codec::b64_decode(ok["hkdf_salt"].get<std::string>());
    mutate(ok, salt);
    return json::dump(ok);
  };
}

}  // namespace

// Valid handshakes (validator, platform-api), and HS-QUOTE: the SUT's own attestation (§3.6 C4, §3.7).
std::vector<Case> valid_handshake_cases() {
  std::vector<Case> out;
  {
    Case c = ws_case(Target::challenge, "HS-OK.validator", "valid handshake: validator with a mock (or signed-mock) quote, reference ClientHandshake, then a request",
                     Mechanism::handshake, per_profile(ProfileExpect::all(WsExpect::accepted())));
    c.expected_default = "handshake completes; db_version_request answered";
    c.expected.clear();
    c.run = [](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::fail(conn.error().message);
      ChallengeSession& cs = challenge_of(ctx);
      handshake::ClientConfig config;
      config.profile = ctx.profile;
      config.mode = cs.sut().mode;
      config.env_mode = cs.sut().env_mode;
      config.expected_compose_hash = cs.sut().compose_hash;
      const auto own = conn->script->own_provider();
      const auto dcap = conn->script->dcap_verifier();
      config.dcap = dcap.get();
      handshake::ClientHandshake client(config, cs.rng(), own.get());
      handshake::Step step = client.start();
      // The runner's own quote is this case's precondition, not its subject (--tdx configfs|dstack).
      if (step.error && step.error->code == handshake::kQuoteUnavailable)
        return Outcome::blocked("the runner's own quote is unavailable: " +
                                (step.cause ? step.cause->code + ": " + step.cause->message : step.error->message));
      for (const auto& f : step.send)
        if (auto e = send_text(ctx, *conn, f); !e.empty()) return Outcome::fail(e);
      const Observation first = first_message(*conn->ws, ctx.timeout);
      if (first.texts.empty()) return Outcome::fail("attestation_begin not answered: " + first.describe());
      const std::string sent_begin = step.send.empty() ? std::string() : step.send.front();
      step = client.on_text(first.texts.front());
      // The SUT's quote is HS-QUOTE's subject (DEC-50): a refusal for the quote alone leaves this
      // case's subject, the rest of the handshake, untested.
      if (!step.established && step.error && step.error->code == handshake::kPeerQuoteRejected)
        return Outcome::blocked("the reference client refuses the SUT's quote, which HS-QUOTE judges: " +
                                step.error->message + quote_shape_note(sent_begin, first.texts.front()));
      if (!step.established)
        return Outcome::fail("the reference client refused the answer: " +
                             (step.error ? step.error->code + " " + step.error->message : first.describe()) +
                             quote_shape_note(sent_begin, first.texts.front()));
      for (const auto& f : step.send)
        if (auto e = send_text(ctx, *conn, f); !e.empty()) return Outcome::fail(e);
      conn->channel = client.take_session();
      if (auto p = probe(ctx, *conn); !p.empty()) return Outcome::fail("session established but " + p);
      return Outcome::pass("handshake completed, db_version_response received");
    };
    out.push_back(std::move(c));
  }
  {
    Case c = ws_case(Target::challenge, "HS-OK.platform-api", "valid handshake: platform-api without val_quote in mock mode (D-05), then a request",
                     Mechanism::handshake, per_profile(ProfileExpect::all(WsExpect::accepted())));
    c.needs = {Need::mock_mode};
    c.expected.clear();
    c.expected_default = "handshake completes; db_version_request answered";
    c.run = [](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::fail(conn.error().message);
      Json begin = conn->script->begin(false);
      begin["platform_api_id"] = "platform-api";
      if (auto e = send_text(ctx, *conn, json::dump(begin)); !e.empty()) return Outcome::fail(e);
      const Observation first = first_message(*conn->ws, ctx.timeout);
      if (first.texts.empty()) return Outcome::fail("attestation_begin not answered: " + first.describe());
      if (auto s = conn->script->accept_response(first.texts.front()); !s) return Outcome::fail(s.error().message);
      if (auto e = send_text(ctx, *conn, json::dump(conn->script->ok_message())); !e.empty()) return Outcome::fail(e);
      auto channel = conn->script->session();
      if (!channel) return Outcome::fail(channel.error().message);
      conn->channel.emplace(std::move(*channel));
      if (auto p = probe(ctx, *conn); !p.empty()) return Outcome::fail("session established but " + p);
      return Outcome::pass("handshake completed, db_version_response received");
    };
    out.push_back(std::move(c));
  }

  {
    // The one case whose subject is the SUT's own attestation (§3.6 C4, §3.7): every other case
    // completes its handshake whatever the quote (DEC-50).
    Case c = ws_case(Target::challenge, "HS-QUOTE", "the SUT's attestation_response quote passes the validator's checks in its mode (§3.6 C4, §3.7)",
                     Mechanism::attestation, per_profile(ProfileExpect::all(WsExpect::responds())));
    c.expected.clear();
    c.expected_default = "attestation_response whose quote is bound to N and passes the validator's checks for the SUT's mode";
    c.run = [](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      if (auto e = send_text(ctx, *conn, json::dump(conn->script->begin())); !e.empty()) return Outcome::blocked(e);
      const Observation first = first_message(*conn->ws, ctx.timeout);
      if (first.texts.empty()) return Outcome::blocked("valid attestation_begin not answered: " + first.describe());
      if (auto s = conn->script->accept_response(first.texts.front()); !s) return Outcome::fail(s.error().message);
      if (const Status& q = conn->script->quote_check(); !q) return Outcome::fail(q.error().message);
      return Outcome::pass("the quote passes: " + response_quote_shape(conn->script->nonce(), first.texts.front()));
    };
    out.push_back(std::move(c));
  }
  return out;
}

// The first frame (§3.5 S1-S2, §12.4): its type, form and required members, the nonce's length.
std::vector<Case> first_frame_cases() {
  std::vector<Case> out;
  out.push_back(first_frame_case("N-HS-01", "first frame is attestation_ok (wrong order)", per_profile(kRejectOrSilent), [](ClientScript& s) {
    return json::dump(s.ok_message());
  }));
  out.push_back(first_frame_case("N-HS-02", "first frame attestation_request with api_x25519_pub (API HEAD, D-01)", per_profile(kRejectOrSilent),
                                 [](ClientScript& s) {
                                   Json b = s.begin(false);
                                   b["type"] = "attestation_request";
                                   b["api_x25519_pub"] = b["val_x25519_pub"];
                                   b.erase("val_x25519_pub");
                                   return json::dump(b);
                                 }));
  out.push_back(first_frame_case("N-HS-03.not-json", "first frame is not JSON",
                                 per_profile(ProfileExpect::strict_compat(WsExpect::closes(1007), WsExpect::closes(0))),
                                 [](ClientScript&) { return std::string("hello, challenge"); }));
  {
    const ProfileExpect expect = ProfileExpect::strict_compat(WsExpect::closes(1003), WsExpect::closes(0));
    Case c = ws_case(Target::challenge, "N-HS-03.binary", "first frame is a binary frame", Mechanism::handshake, per_profile(expect));
    c.run = [expect](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      const std::string begin = json::dump(conn->script->begin());
      if (auto s = conn->ws->send_binary(as_bytes(begin), ctx.timeout); !s) return Outcome::fail("sending failed: " + s.error().message);
      return judge_reaction(ctx, *conn, expect.of(ctx.profile));
    };
    out.push_back(std::move(c));
  }
  out.push_back(first_frame_case("N-HS-04.no-nonce", "attestation_begin without nonce", per_profile(kRejectOrSilent),
                                 begin_with([](Json& b, ClientScript&) { b.erase("nonce"); })));
  out.push_back(first_frame_case("N-HS-04.no-pub", "attestation_begin without val_x25519_pub", per_profile(kRejectOrSilent),
                                 begin_with([](Json& b, ClientScript&) { b.erase("val_x25519_pub"); })));
  for (int n : {31, 33}) {
    out.push_back(first_frame_case("N-HS-05." + std::to_string(2 * n) + "hex", "nonce of " + std::to_string(n) + " bytes (" + std::to_string(2 * n) + " hex)",
                                   per_profile(kRejectOrAccept), begin_with([n](Json& b, ClientScript& s) {
                                     const Bytes nonce = s.nonce().size() >= 32 ? Bytes(s.nonce().begin(), s.nonce().begin() + std::min(n, 32)) : s.nonce();
                                     Bytes nn = nonce;
                                     nn.resize(static_cast<std::size_t>(n), 0x5a);
                                     b["nonce"] = codec::hex_encode(nn);
                                     b["val_quote"] = s.quote_b64(nn, s.val_pub(), s.mock_params());
                                   })));
  }
  out.push_back(first_frame_case("N-HS-06", "empty nonce \"\"", per_profile(kRejectOrAccept), begin_with([](Json& b, ClientScript& s) {
                                   b["nonce"] = "";
                                   b["val_quote"] = s.quote_b64(Bytes{}, s.val_pub(), s.mock_params());
                                 })));
  for (const char* variant : {"absent", "empty"}) {
    const std::string v = variant;
    out.push_back(first_frame_case(
        "N-HS-07." + v, "prod mode, val_quote " + v,
        [](Profile p, const SutDescription&) { return is_strict(p) ? WsExpect::reject() : WsExpect::reject(1000); },
        begin_with([v](Json& b, ClientScript&) {
          if (v == "absent") b.erase("val_quote");
          else b["val_quote"] = "";
        }),
        {Need::prod_mode}));
  }
  return out;
}

// attestation_begin's quote and event log: size, nonce binding, REPORTDATA layout, environment,
// mock marker, debug bit, signature (§3.5 S3, §3.7, §9, §12.9 over the WebSocket).
std::vector<Case> begin_quote_cases() {
  std::vector<Case> out;
  out.push_back(first_frame_case("N-HS-08", "val_quote truncated to 1023 bytes", quote_failure(false), begin_with([](Json& b, ClientScript&) {
                                   Bytes q = *codec::b64_decode(b["val_quote"].get<std::string>());
                                   q.resize(1023);
                                   b["val_quote"] = codec::b64_encode(q);
                                 })));
  // §12.9 N-Q-02 over the WebSocket: one non-zero byte after the signature data ([SEED] §9.3;
  // zero padding would be accepted, DEC-30).
  out.push_back(first_frame_case("N-Q-02.ws", "val_quote with one non-zero byte appended after the signature data",
                                 [](Profile p, const SutDescription&) { return is_strict(p) ? WsExpect::reject() : WsExpect::responds(); },
                                 begin_with([](Json& b, ClientScript&) {
                                   Bytes q = *codec::b64_decode(b["val_quote"].get<std::string>());
                                   q.push_back(0x01);
                                   b["val_quote"] = codec::b64_encode(q);
                                 })));
  {
    // §12.9 N-Q-15 over the WebSocket: one event's digest altered, the quote's RTMR3 left as the
    // replay of the original log ([HARD] §9.5: RTMR3 MUST equal the replay).
    Case c = first_frame_case("N-Q-15.ws", "val_event_log with one event digest altered (RTMR3 no longer replays)",
                              [](Profile, const SutDescription&) { return WsExpect::reject(); },
                              begin_with([](Json& b, ClientScript& s) {
                                auto events = tdx::mock_events(s.mock_params());
                                events[1].digest[0] ^= 0x01;
                                b["val_event_log"] = tdx::event_log_json(events);
                              }));
    c.profiles = {Profile::hardened};
    out.push_back(std::move(c));
  }
  out.push_back(first_frame_case("N-HS-09", "val_quote bound to another nonce (replayed old quote)", quote_failure(false),
                                 begin_with([](Json& b, ClientScript& s) {
                                   Bytes other = s.nonce();
                                   other[0] ^= 0xff;
                                   b["val_quote"] = s.quote_b64(other, s.val_pub(), s.mock_params());
                                 })));
  // The same binding check, one wrong byte at a time (first, middle, last of SHA256(N) in
  // REPORTDATA): a comparison of a prefix, or of all but the last byte, is caught.
  for (const auto& [suffix, at] : std::vector<std::pair<std::string, std::size_t>>{{"rd-first", 0}, {"rd-middle", 15}, {"rd-last", 31}}) {
    out.push_back(first_frame_case("N-HS-09." + suffix, "val_quote REPORTDATA with SHA256(N) wrong in byte " + std::to_string(at),
                                   quote_failure(false), begin_with([at = at](Json& b, ClientScript& s) {
                                     b["val_quote"] = edited_quote(s, [at](tdx::QuoteV4& q) { q.report_data[at] ^= 0x01; });
                                   })));
  }
  for (std::size_t off : {std::size_t{584}, std::size_t{576}}) {
    out.push_back(first_frame_case(off == 584 ? "N-HS-10" : "N-HS-11",
                                   "SHA256(N) at offset " + std::to_string(off) + " only (upstream mock layout)", quote_failure(true),
                                   begin_with([off](Json& b, ClientScript& s) {
                                     b["val_quote"] = edited_quote(s, [off, &s](tdx::QuoteV4& q) {
                                       const auto digest = crypto::sha256(s.nonce());
                                       q.report_data.fill(0);
                                       std::copy(digest.begin(), digest.end(), q.report_data.begin() + static_cast<std::ptrdiff_t>(off - 568));
                                     });
                                   })));
  }
  out.push_back(first_frame_case("N-HS-12", "REPORTDATA = SHA256(ASCII hex of N) (HTTP binding on WS)", quote_failure(false),
                                 begin_with([](Json& b, ClientScript& s) {
                                   b["val_quote"] = edited_quote(s, [&s](tdx::QuoteV4& q) {
                                     q.report_data = http_report_data(codec::hex_encode(s.nonce()));
                                   });
                                 })));
  {
    // The mismatching mode is the SUT's other one (from the SUT description).
    const ExpectFn expect = quote_failure(false);
    Case c = ws_case(Target::challenge, "N-HS-13", "val_event_log {\"environment_mode\": <the SUT's other mode>}", Mechanism::handshake, expect);
    c.run = [expect](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      Json b = conn->script->begin();
      b["val_event_log"] = json::dump(Json{{"environment_mode", ctx.sut->env_mode == "dev" ? "prod" : "dev"}});
      if (auto e = send_text(ctx, *conn, json::dump(b)); !e.empty()) return Outcome::fail(e);
      return judge_reaction(ctx, *conn, expect(ctx.profile, *ctx.sut));
    };
    out.push_back(std::move(c));
  }
  {
    Case c = first_frame_case("N-HS-14", "val_event_log {\"dev_mode\": true} while the SUT is in environment prod", quote_failure(false),
                              begin_with([](Json& b, ClientScript&) { b["val_event_log"] = json::dump(Json{{"dev_mode", true}}); }));
    auto run = c.run;
    c.run = [run](Context& ctx) {
      if (ctx.sut->env_mode != "prod") return Outcome::inapplicable("needs a SUT in environment mode prod (SUT description: env_mode)");
      return run(ctx);
    };
    out.push_back(std::move(c));
  }
  out.push_back(first_frame_case(
      "N-HS-15", "event log without any environment information",
      [](Profile p, const SutDescription& sut) {
        // [SEED] undefined environment: fail in prod, pass in mock; [COMPAT] pass.
        return is_strict(p) && sut.mode == AttestationMode::prod ? WsExpect::reject() : WsExpect::responds();
      },
      begin_with([](Json& b, ClientScript& s) {
        // A log without the environment-mode event (RTMR3 re-computed so it still replays).
        auto events = tdx::mock_events(s.mock_params());
        events.pop_back();
        b["val_event_log"] = tdx::event_log_json(events);
        b["val_quote"] = edited_quote(s, [&events](tdx::QuoteV4& q) { q.rtmr[3] = tdx::replay_rtmrs(events)[3]; });
      })));
  out.push_back(first_frame_case(
      "N-HS-16", "prod mode, valid-looking quote carrying the mock marker",
      [](Profile p, const SutDescription&) { return is_strict(p) ? WsExpect::reject() : WsExpect::responds(); },
      begin_with([](Json& b, ClientScript& s) {
        // Always a MockQuoteV4 (even against a signed-mock SUT): the marker must be refused.
        std::optional<ByteArray<32>> binding;
        if (s.profile() == Profile::hardened) binding = key_binding_validator(s.val_pub());
        b["val_quote"] = codec::b64_encode(tdx::mock_quote_v4_for(ws_report_data(s.nonce(), binding), s.mock_params()).quote);
      }),
      {Need::prod_mode}));
  {
    // §3.7 step 3 / N-Q-11 over the WebSocket: a quote validly signed under the mock PKI the
    // SUT trusts, except that TD_ATTRIBUTES.DEBUG is set (prod mode only: mock verification does
    // not apply the rule, §3.7 step 4).
    Case c = first_frame_case("N-Q-11.ws", "prod mode, validly signed val_quote of a debuggable TD (TD_ATTRIBUTES.DEBUG set)",
                              quote_failure(true), begin_with([](Json& b, ClientScript& s) {
                                std::optional<ByteArray<32>> binding;
                                if (s.profile() == Profile::hardened) binding = key_binding_validator(s.val_pub());
                                b["val_quote"] = signed_mock_quote_b64(ws_report_data(s.nonce(), binding), s.mock_params(), "debug-bit");
                              }),
                              {Need::signed_mock});
    c.profiles = {Profile::seed_spec, Profile::hardened};
    out.push_back(std::move(c));
  }
  out.push_back(first_frame_case("N-HS-17", "mock quote with one body byte flipped (mock signature mismatch)", quote_failure(true),
                                 begin_with([](Json& b, ClientScript& s) {
                                   b["val_quote"] = edited_quote(s, [](tdx::QuoteV4& q) { q.mr_td[0] ^= 0x01; }, false);
                                 }),
                                 {Need::mock_mode}));
  return out;
}

// attestation_begin's size (§10: 1 MiB) and encodings (§12.1 applied to attestation_begin:
// base64, hex, JSON).
std::vector<Case> begin_encoding_cases() {
  std::vector<Case> out;
  {
    const ProfileExpect e = ProfileExpect::strict_compat(WsExpect::closes(1009), WsExpect::responds());
    Case c = ws_case(Target::challenge, "N-HS-28", "attestation_begin larger than 1 MiB", Mechanism::handshake, per_profile(e));
    c.run = [e](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      const std::string begin = json::dump(conn->script->begin());
      const std::string prefix = begin.substr(0, begin.size() - 1) + ",\"padding\":\"";
      const std::uint64_t fill = 1024 * 1024 + 16;
      const WsExpect want = e.of(ctx.profile);
      if (want.kind == K::responds) {
        if (auto err = send_text(ctx, *conn, prefix + std::string(fill, 'a') + "\"}"); !err.empty()) return Outcome::fail(err);
        return judge_reaction(ctx, *conn, want);
      }
      return judge_close(want, send_oversized(*conn->ws, prefix, fill, "\"}", ctx.timeout));
    };
    out.push_back(std::move(c));
  }

  // Encodings inside the handshake (§12.1 applied to attestation_begin / attestation_ok).
  // [COMPAT] the key is decoded only in S6, after attestation_response went out (§3.5 S2).
  const ProfileExpect bad_key = ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::responds());
  out.push_back(first_frame_case("N-ENC-01.val-pub", "val_x25519_pub with a character outside the base64 alphabet",
                                 per_profile(bad_key),
                                 begin_with([](Json& b, ClientScript&) {
                                   std::string v = b["val_x25519_pub"];
                                   v[5] = '*';
                                   b["val_x25519_pub"] = v;
                                 })));
  for (int n : {31, 33}) {
    out.push_back(first_frame_case("N-ENC-05.val-pub-" + std::to_string(n), "val_x25519_pub decoding to " + std::to_string(n) + " bytes",
                                   per_profile(bad_key),
                                   begin_with([n](Json& b, ClientScript&) { b["val_x25519_pub"] = b64_resize(b["val_x25519_pub"], static_cast<std::size_t>(n)); })));
  }
  out.push_back(first_frame_case("N-ENC-06.val-pub", "val_x25519_pub is \"\"", per_profile(bad_key),
                                 begin_with([](Json& b, ClientScript&) { b["val_x25519_pub"] = ""; })));
  for (const auto& [suffix, edit] : std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>{
           {"0x", [](const std::string& h) { return "0x" + h.substr(2); }},
           {"g", [](const std::string& h) { return h.substr(0, 63) + "g"; }},
           {"space", [](const std::string& h) { return h.substr(0, 2) + " " + h.substr(2, 60); }},
           {"63", [](const std::string& h) { return h.substr(0, 63); }}}) {
    out.push_back(first_frame_case("N-ENC-07." + suffix, "hex nonce variant: " + suffix,
                                   per_profile(ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::closes(0))),
                                   begin_with([edit = edit](Json& b, ClientScript&) { b["nonce"] = edit(b["nonce"].get<std::string>()); })));
  }
  // "space" is accepted by Python's bytes.fromhex in sdk-compat (quirk): the case applies to strict profiles.
  for (auto& c : out)
    if (c.id == "N-ENC-07.space" || c.id == "N-ENC-07.63") c.profiles = {Profile::seed_spec, Profile::hardened};
  out.push_back(first_frame_case("N-ENC-08", "first frame is a JSON array", per_profile(kRejectOrSilent),
                                 [](ClientScript& s) { return "[" + json::dump(s.begin()) + "]"; }));
  out.push_back(first_frame_case("N-ENC-10", "NaN inside attestation_begin",
                                 per_profile(ProfileExpect::all(WsExpect::closes(1007))),
                                 [](ClientScript& s) {
                                   std::string b = json::dump(s.begin(false));
                                   b.insert(1, "\"x\":NaN,");
                                   return b;
                                 }));
  out.back().profiles = {Profile::seed_spec, Profile::hardened};
  out.push_back(first_frame_case("N-ENC-11", "attestation_begin nested 65 deep",
                                 per_profile(ProfileExpect::strict_compat(WsExpect::closes(1007), WsExpect::responds())),
                                 [](ClientScript& s) {
                                   std::string b = json::dump(s.begin());
                                   b.insert(1, "\"deep\":" + std::string(64, '[') + std::string(64, ']') + ",");
                                   return b;
                                 }));
  out.push_back(first_frame_case("N-ENC-12.nonce-int", "\"nonce\": 123", per_profile(kRejectOrSilent),
                                 begin_with([](Json& b, ClientScript&) { b["nonce"] = 123; })));
  return out;
}

// Low-order X25519 keys in attestation_begin (§12.2, N-X-01).
std::vector<Case> low_order_key_cases() {
  std::vector<Case> out;
  const ExpectFn expect = per_profile(WsExpect::closes(1008), WsExpect::silent(1000));
  for (int i = 0; i < 14; ++i) {
    const std::string pub = codec::b64_encode(*codec::hex_decode(kLowOrderPoints[i]));
    // The begin itself carries the low-order key; the SUT may refuse it at once (S2) or at attestation_ok (S6).
    Case c = ws_case(Target::challenge, "N-X-01." + two_digits(i + 1),
                     "val_x25519_pub = low-order point #" + std::to_string(i + 1) + " (§12.2)", Mechanism::handshake, expect);
    c.run = [pub, expect](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      Json b = conn->script->begin(false);
      b["val_x25519_pub"] = pub;
      const Bytes raw = *codec::b64_decode(pub);
      if (ctx.sut->mode == AttestationMode::prod || ctx.profile == Profile::hardened)
        b["val_quote"] = conn->script->quote_b64(conn->script->nonce(), raw, conn->script->mock_params());
      if (auto e = send_text(ctx, *conn, json::dump(b)); !e.empty()) return Outcome::fail(e);
      const WsExpect want = expect(ctx.profile, *ctx.sut);
      Observation first = first_message(*conn->ws, ctx.timeout);
      if (!first.saw_type("attestation_response")) {
        // Refused before attestation_response (a trial DH in S2 is allowed): see the close too.
        if (!first.closed && !first.silent) {
          Observation rest = observe(*conn->ws, ctx.timeout);
          rest.texts.insert(rest.texts.begin(), first.texts.begin(), first.texts.end());
          first = rest;
        }
        return judge_close(want, first);
      }
      // S6: the abort comes once attestation_ok arrives.
      if (auto e = send_text(ctx, *conn, json::dump(conn->script->ok_message())); !e.empty()) return Outcome::fail(e);
      return judge_close(want, observe(*conn->ws, ctx.timeout));
    };
    out.push_back(std::move(c));
  }
  return out;
}

// attestation_ok (§3.5 S6): hkdf_salt, aead, a frame other than attestation_ok.
std::vector<Case> attestation_ok_cases() {
  std::vector<Case> out;
  out.push_back(second_frame_case("N-HS-18.missing", "attestation_ok without hkdf_salt", per_profile(kRejectOrSilent),
                                  ok_with([](Json& ok, Bytes&) { ok.erase("hkdf_salt"); })));
  out.push_back(second_frame_case("N-HS-18.empty", "attestation_ok with hkdf_salt \"\"", per_profile(kRejectOrSilent),
                                  ok_with([](Json& ok, Bytes&) { ok["hkdf_salt"] = ""; })));
  for (std::size_t n : {std::size_t{16}, std::size_t{64}}) {
    out.push_back(second_frame_case("N-HS-19." + std::to_string(n), "hkdf_salt decoding to " + std::to_string(n) + " bytes",
                                    per_profile(ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::alive())),
                                    ok_with([n](Json& ok, Bytes& salt) {
                                      salt.resize(n, 0x33);
                                      ok["hkdf_salt"] = codec::b64_encode(salt);
                                    })));
  }
  for (std::size_t n : {std::size_t{31}, std::size_t{33}}) {
    out.push_back(second_frame_case("N-ENC-05.salt-" + std::to_string(n), "hkdf_salt decoding to " + std::to_string(n) + " bytes",
                                    per_profile(ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::alive())),
                                    ok_with([n](Json& ok, Bytes& salt) {
                                      salt.resize(n, 0x33);
                                      ok["hkdf_salt"] = codec::b64_encode(salt);
                                    })));
  }
  out.push_back(second_frame_case("N-HS-20", "attestation_ok.aead = \"xchacha20poly1305\"",
                                  per_profile(ProfileExpect::strict_compat(WsExpect::reject(), WsExpect::alive())),
                                  ok_with([](Json& ok, Bytes&) { ok["aead"] = "xchacha20poly1305"; })));
  out.push_back(second_frame_case("N-HS-21", "a second attestation_begin instead of attestation_ok", per_profile(kRejectOrSilent),
                                  [](ClientScript& s, Bytes&) { return json::dump(s.begin()); }));
  out.push_back(second_frame_case("N-ENC-09", "attestation_ok with a duplicate \"type\" member",
                                  per_profile(ProfileExpect::strict_compat(WsExpect::closes(1007), WsExpect::silent())),
                                  [](ClientScript& s, Bytes&) {
                                    std::string ok = json::dump(s.ok_message());
                                    ok.insert(ok.size() - 1, ",\"type\":\"x\"");
                                    return ok;
                                  }));
  out.push_back(second_frame_case("N-ENC-12.salt-null", "\"hkdf_salt\": null", per_profile(kRejectOrSilent),
                                  ok_with([](Json& ok, Bytes&) { ok["hkdf_salt"] = nullptr; })));
  return out;
}

// The handshake deadline (§3.5 S0, §3.9, N-HS-23): the SUT's deadline comes from the SUT description.
std::vector<Case> handshake_deadline_cases() {
  std::vector<Case> out;
  for (const char* phase : {"connect", "after-response"}) {
    const std::string ph = phase;
    Case c = ws_case(Target::challenge, "N-HS-23." + ph,
                     ph == "connect" ? "no frame after connecting (handshake deadline)"
                                     : "no attestation_ok after attestation_response (handshake deadline)",
                     Mechanism::handshake, per_profile(ProfileExpect::all(WsExpect::closes(1008))));
    c.profiles = {Profile::seed_spec, Profile::hardened};  // [COMPAT] waits forever
    c.run = [ph](Context& ctx) {
      const DeadlineWatch watch = deadline_watch(*ctx.sut, ctx.timeout);
      if (watch.verdict) return *watch.verdict;
      const auto start = std::chrono::steady_clock::now();  // before the SUT's S0 timer starts
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      if (ph == "after-response") {
        if (auto e = send_text(ctx, *conn, json::dump(conn->script->begin())); !e.empty()) return Outcome::fail(e);
        const Observation first = first_message(*conn->ws, ctx.timeout);
        if (!first.saw_type("attestation_response")) return Outcome::blocked("valid attestation_begin not answered: " + first.describe());
      }
      const Observation obs = observe(*conn->ws, watch.wait);
      return judge_deadline_close(watch, obs, std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start));
    };
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pnc::conf
