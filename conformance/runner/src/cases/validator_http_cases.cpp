// Target "validator", HTTP (§2, §6 against a validator SUT): the runner plays the challenge's
// bootstrap client. Bootstrap cases call the SUT's /attestation/challenge and /attest (§2.5,
// N-BOOT, N-X-03), and the signed-request cases its /results/submit with the session /attest
// issued.
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/http_result.hpp"
#include "cases/runner_evidence.hpp"
#include "cases/text.hpp"
#include "cases/validator_session.hpp"
#include "pnc/bootstrap.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf {

namespace {

using json::Json;

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
               Mechanism mechanism = Mechanism::bootstrap) {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = mechanism;
  c.target = Target::validator;
  c.needs = {Need::bootstrap};
  for (Profile p : kProfiles)
    c.expected[p] = "HTTP " + std::to_string(is_strict(p) ? want.seed : want.compat);
  c.run = [want, run](Context& ctx) {
    const HttpResult r = run(ctx);
    if (auto unjudged = blocked_or_server_error(r)) return *unjudged;
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
  c.mechanism = Mechanism::bootstrap;
  c.target = Target::validator;
  c.needs = {Need::bootstrap};
  c.profiles = profiles;
  const std::string expected = "HTTP " + std::to_string(want) + ", then HTTP 200 for the valid /attest with the same nonce";
  for (Profile p : profiles) c.expected[p] = expected;
  c.run = [=](Context& ctx) {
    auto nonce = fresh_nonce(ctx);
    if (nonce.nonce.empty()) return blocked_or_server_error(nonce.failure).value();  // fresh_nonce: one or the other
    const auto keys = bootstrap::generate_challenge_keys(validator_of(ctx).rng());
    const Json valid = attest_body(ctx, keys, nonce.nonce);
    const HttpResult refused = post(ctx, "/attest", damage(valid), {{"Content-Type", content_type}});
    if (auto unjudged = blocked_or_server_error(refused)) return *unjudged;
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

// Bootstrap (§2.5, §12.10): a valid /attest, unknown and used nonces, the quote's binding, the
// body's members, low-order keys (N-X-03).
std::vector<Case> bootstrap_cases() {
  std::vector<Case> out;
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
  return out;
}

// A refused /attest consumes no nonce (§2.5): refused after step 0, and by the typed extractor
// (malformed bodies, §6.8).
std::vector<Case> refused_attest_cases() {
  std::vector<Case> out;
  const std::vector<Profile> strict = {Profile::seed_spec, Profile::hardened};
  const std::vector<Profile> every(kProfiles.begin(), kProfiles.end());
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
  return out;
}

// Signed requests to /results/submit with the /attest session (§6.4, §6.8).
std::vector<Case> signed_results_cases() {
  std::vector<Case> out;
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
    // A given payload may be one sign() refuses (not JSON): it is encrypted and signed as it is.
    auto full = [&]() -> Result<signed_http::HttpRequest> {
      if (!body_text) return signer.sign("POST", "/results/submit", kSubmitPayload);
      const std::string timestamp = std::to_string(clock.now());
      if (!session->aead_key)
        return signer.sign_body("POST", "/results/submit", to_bytes(*body_text), "application/json", timestamp, rng.uuid_v4());
      auto sealed = signed_http::encrypt_body(session->aead_key->view(), as_bytes(*body_text), signed_http::BodyCipher::ietf, rng);
      if (!sealed) return sealed.error();
      return signer.sign_body("POST", "/results/submit", to_bytes(*sealed), signed_http::kContentTypeEncrypted, timestamp, rng.uuid_v4());
    }();
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
                          {200, 200}, [signed_submit](Context& ctx) { return signed_submit(ctx, 0, false); }, Mechanism::signed_http));
  out.push_back(boot_case("N-SIG-05.validator", "the same signed /results/submit sent twice", {401, 401},
                          [signed_submit](Context& ctx) { return signed_submit(ctx, 0, true); }, Mechanism::signed_http));
  out.push_back(boot_case("N-SIG-02.validator", "signed /results/submit with X-Timestamp = now - 125", {401, 401},
                          [signed_submit](Context& ctx) { return signed_submit(ctx, -125, false); }, Mechanism::signed_http));
  // §6.8 / D-40: a /results/* payload is the validator's business (its shape is out of scope),
  // but a validly signed request whose payload cannot be used must never get a 5xx (DEC-52).
  struct BadPayload {
    const char* kind;
    const char* what;
    const char* text;
  };
  for (const BadPayload& bad : {BadPayload{"not-json", "not-json", R"({"score": )"}, BadPayload{"array", "array", "[]"},
                                BadPayload{"empty", "empty", ""},
                                BadPayload{"wrong-types", "of the wrong member types", R"({"score":"high","metrics":[1]})"}}) {
    const std::string text = bad.text;
    Case c;
    c.id = std::string("N-BODY-03.results-submit.") + bad.kind;
    c.title = std::string("signed /results/submit whose payload is ") + bad.what;
    c.mechanism = Mechanism::signed_http;
    c.target = Target::validator;
    c.needs = {Need::bootstrap};
    c.expected_default = "any answer but a 5xx (the payload's shape is the validator's, D-40)";
    c.run = [signed_submit, text](Context& ctx) {
      const HttpResult r = signed_submit(ctx, 0, false, text);
      if (auto unjudged = blocked_or_server_error(r)) return *unjudged;
      if (!r.error.empty()) return Outcome::fail(r.describe(), "an HTTP answer");
      return Outcome::pass("HTTP " + std::to_string(r.status));
    };
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pnc::conf
