#include "app/probe.hpp"

#include <fstream>
#include <map>
#include <ostream>

#include "cases/catalogue.hpp"
#include "cases/challenge_session.hpp"
#include "cases/text.hpp"
#include "pnc/clock.hpp"
#include "pnc/json.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/rng.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_eventlog.hpp"

namespace pnc::conf {

namespace {

using json::Json;

struct Answer {
  int status = 0;  // 0: no HTTP answer
  std::string body;
};

Answer ask(ProbeResult& r, const std::string& method, const std::string& target, const net::Headers& headers,
           const std::string& body, std::chrono::milliseconds timeout) {
  auto res = net::http_request(r.base, method, target, headers, body, timeout);
  Answer a;
  if (!res) return a;
  a.status = res->status;
  a.body = res->body;
  if (a.status >= 500 && a.status <= 599)
    r.server_errors.push_back(method + " " + target + ": HTTP " + std::to_string(a.status) + (a.body.empty() ? "" : " " + clip(a.body, 80)));
  return a;
}

std::string status_words(int status) { return status == 0 ? "no answer" : "HTTP " + std::to_string(status); }

// One §3 handshake with the runner's mock quote as `profile` in environment `env`: the session
// must answer the liveness probe. The attempt's story goes to r.ws_attempts.
bool try_handshake(ProbeResult& r, const std::string& host, std::uint16_t port, Profile profile, const std::string& env,
                   std::chrono::milliseconds timeout) {
  SutDescription sut;
  sut.mode = AttestationMode::mock;
  sut.env_mode = env;
  ChallengeSession session(host, port, sut);
  Context ctx;
  ctx.profile = profile;
  ctx.sut = &session.sut();
  ctx.timeout = timeout;
  ctx.session = &session;
  const std::string label = std::string(to_string(profile)) + ", env " + env + ": ";
  // establish(), with the SUT's first answer kept: its event log names the SUT's environment
  // (§3.8 ExtractEnvMode), which a lenient SUT's acceptance of any mock quote would not show.
  auto conn = connect(ctx);
  if (!conn) {
    r.ws_attempts.push_back(label + conn.error().message);
    return false;
  }
  if (auto e = send_text(ctx, *conn, json::dump(conn->script->begin())); !e.empty()) {
    r.ws_attempts.push_back(label + e);
    return false;
  }
  const Observation first = first_message(*conn->ws, ctx.timeout);
  if (first.texts.empty()) {
    r.ws_attempts.push_back(label + "valid attestation_begin not answered: " + first.describe());
    return false;
  }
  r.ws_answered = true;
  if (auto doc = json::parse(first.texts.front(), Profile::sdk_compat); doc && doc->is_object() && doc->contains("event_log")) {
    const Json& log = (*doc)["event_log"];
    if (auto sut_env = tdx::extract_env_mode(log.is_string() ? log.get<std::string>() : log.dump(), Profile::seed_spec))
      r.sut_env = *sut_env;
  }
  if (auto s = conn->script->accept_response(first.texts.front()); !s) {
    r.ws_attempts.push_back(label + "valid attestation_begin: " + s.error().message);
    return false;
  }
  if (auto e = send_text(ctx, *conn, json::dump(conn->script->ok_message())); !e.empty()) {
    r.ws_attempts.push_back(label + e);
    return false;
  }
  auto channel = conn->script->session();
  if (!channel) {
    r.ws_attempts.push_back(label + "key exchange failed: " + channel.error().message);
    return false;
  }
  conn->channel.emplace(std::move(*channel));
  const Status& quote = conn->script->quote_check();
  const std::string quote_words = quote ? "the SUT's quote verifies as a mock quote for env " + env : quote.error().message;
  if (auto problem = probe(ctx, *conn); !problem.empty()) {
    r.ws_attempts.push_back(label + "the session does not work: " + problem + " (" + quote_words + ")");
    return false;
  }
  r.ws_attempts.push_back(label + "session established and answering (" + quote_words + ")");
  r.sut_quote = quote_words;
  return true;
}

void conclude(ProbeResult& r) {
  SutDescription& d = r.draft;
  d.name = "probed SUT at " + r.base;
  auto note = [&r](std::string line) { r.notes.push_back(std::move(line)); };

  note("GET /sdk/health: " + status_words(r.health_status) + (r.health.empty() ? "" : " (" + r.health + ")"));

  // Routes present (§1.2): 404 means the route is not registered.
  d.weights = r.weights_unsigned != 0 && r.weights_unsigned != 404;
  note("endpoints.weights = " + std::string(d.weights ? "true" : "false") + ": unsigned POST /sdk/weights answered " +
       status_words(r.weights_unsigned));
  d.admin = r.credentials_unsigned != 0 && r.credentials_unsigned != 404;
  note("endpoints.admin = " + std::string(d.admin ? "true" : "false") + ": unsigned POST /sdk/admin/db/credentials answered " +
       status_words(r.credentials_unsigned));
  const bool whoami = r.public_whoami != 0 && r.public_whoami != 404;
  const bool readonly = r.public_readonly != 0 && r.public_readonly != 404;
  d.public_routes = d.admin && (whoami || readonly || r.public_whoami == 404);
  if (whoami) {
    d.public_route_names = {"whoami"};
    note("public_routes = [\"whoami\"]: GET /sdk/public/whoami without identity answered " + status_words(r.public_whoami));
  } else {
    note("public_routes: GET /sdk/public/whoami answered " + status_words(r.public_whoami) +
         "; name a public route of your challenge that exists (the draft keeps \"whoami\")");
  }

  // SDK_DEV_MODE (§6.4, D-14; §7.4): no header check on signed routes, a dev identity on public ones.
  const bool dev_identity = r.public_whoami == 200 && r.public_whoami_body.find("dev-uid") != std::string::npos;
  d.sdk_dev_mode = (d.weights && r.weights_unsigned >= 200 && r.weights_unsigned < 300) || dev_identity;
  if (d.sdk_dev_mode)
    note("sdk_dev_mode = true: " + std::string(dev_identity ? "a request without identity got the dev identity (dev-uid, §7.4)"
                                                            : "an unsigned /sdk/weights request was processed (§6.4, D-14)"));

  // Signed-request verification: a stranger's valid signature is refused only by a verifier that
  // checks keys (§6.4 [SEED] V4-V6); the SDK's presence-only check processes it ([COMPAT]).
  if (d.weights && r.weights_stranger != 0) {
    if (r.weights_stranger == 401) {
      r.suggested_profile = Profile::seed_spec;
      note("signed requests: a valid signature by an unknown key got HTTP 401 — the SUT verifies signers (§6.4 V4-V6): "
           "run seed-spec or hardened with trusted_signer");
    } else if (r.weights_stranger >= 200 && r.weights_stranger < 300) {
      r.suggested_profile = Profile::sdk_compat;
      note("signed requests: a valid signature by an unknown key was processed (" + status_words(r.weights_stranger) +
           ") — the SDK's presence-only check ([COMPAT], D-14): run sdk-compat");
    } else {
      note("signed requests: a valid signature by an unknown key got " + status_words(r.weights_stranger));
    }
  }

  // Attestation (§3): which mock environment the SUT accepts from the runner.
  for (const auto& a : r.ws_attempts) note("handshake " + a);
  if (r.ws_env) {
    d.mode = AttestationMode::mock;
    d.env_mode = r.sut_env.value_or(*r.ws_env);
    note("attestation_mode = \"mock\": the runner's MockQuoteV4 for env " + *r.ws_env + " was accepted (" +
         std::string(to_string(*r.ws_profile)) + " handshake)");
    note("env_mode = \"" + d.env_mode + "\": " +
         (r.sut_env ? std::string("the environment-mode event of the SUT's own event log (§3.8)")
                    : std::string("the environment of the accepted quote (the SUT's event log names none)")));
    if (*r.ws_profile == Profile::hardened) r.suggested_profile = Profile::hardened;
  } else if (r.ws_answered) {
    d.mode = AttestationMode::prod;
    d.env_mode = r.sut_env.value_or("prod");
    note("attestation_mode = \"prod\": the SUT answered attestation_begin but refused every mock quote of the runner; "
         "if it accepts ECDSA-signed mock quotes, set \"signed-mock\"");
  } else {
    note("attestation: /sdk/ws did not answer attestation_begin; attestation_mode left at \"mock\"");
  }

  if (r.dsn_digests == 200) note("GET /sdk/admin/dsn_digests answers: N-CRED-13 can see whether a refused credential request stored its DSN (§6.8)");
  else note("GET /sdk/admin/dsn_digests: " + status_words(r.dsn_digests) + " — storage after a refused credential request is not observable (§6.8)");

  note("handshake_deadline_ms: not probed (it takes the SUT's whole deadline); the draft keeps the spec's 30000 — set null if the SUT has none");
  for (const auto& e : r.server_errors) note("server error (any 5xx is a FAIL in every profile, DEC-52): " + e);
}

}  // namespace

Result<ProbeResult> probe_sut(const std::string& url, std::chrono::milliseconds timeout) {
  auto parsed = net::parse_url(url);
  if (!parsed) return make_error("probe.usage", "bad --url: " + parsed.error().message);
  ProbeResult r;
  r.base = "http://" + parsed->host + ":" + std::to_string(parsed->port);

  const Answer health = ask(r, "GET", "/sdk/health", {}, "", timeout);
  r.health_status = health.status;
  if (auto doc = json::parse(health.body, Profile::sdk_compat); doc && doc->is_object())
    r.health = string_member(*doc, "status");
  else r.health = clip(health.body, 60);

  r.weights_unsigned = ask(r, "POST", "/sdk/weights", {{"Content-Type", "application/json"}}, "{\"jobs\":[]}", timeout).status;
  {
    SystemRng rng;
    SystemClock clock;
    signed_http::Signer signer(rng.bytes(32), "probe-" + rng.uuid_v4(), std::nullopt, clock, rng);
    auto req = signer.sign_body("POST", "/sdk/weights", to_bytes(std::string("{\"jobs\":[]}")), signed_http::kContentTypeJson,
                                std::to_string(clock.now()), rng.uuid_v4());
    if (req) {
      net::Headers headers(req->headers.begin(), req->headers.end());
      r.weights_stranger = ask(r, "POST", req->target, headers, pnc::to_string(ByteView(req->body)), timeout).status;
    }
  }
  r.credentials_unsigned =
      ask(r, "POST", "/sdk/admin/db/credentials", {{"Content-Type", "application/json"}}, "{}", timeout).status;
  const Answer whoami = ask(r, "GET", "/sdk/public/whoami", {}, "", timeout);
  r.public_whoami = whoami.status;
  r.public_whoami_body = whoami.body;
  r.public_readonly = ask(r, "GET", "/sdk/public/get_agent_status", {}, "", timeout).status;
  r.dsn_digests = ask(r, "GET", "/sdk/admin/dsn_digests", {}, "", timeout).status;

  // The handshake: the profile the HTTP side suggests first.
  std::vector<Profile> order(kProfiles.begin(), kProfiles.end());
  if (r.weights_stranger >= 200 && r.weights_stranger < 300) order = {Profile::sdk_compat, Profile::seed_spec, Profile::hardened};
  for (Profile p : order) {
    for (const char* env : {"dev", "prod"}) {
      if (try_handshake(r, parsed->host, parsed->port, p, env, timeout)) {
        r.ws_profile = p;
        r.ws_env = env;
        break;
      }
    }
    if (r.ws_env || !r.ws_answered) break;  // found, or /sdk/ws does not speak §3 at all
  }

  if (r.health_status == 0 && r.weights_unsigned == 0 && !r.ws_answered)
    return make_error("probe.unreachable", "nothing answered at " + r.base + " (GET /sdk/health: no answer)");
  conclude(r);
  return r;
}

std::string draft_json(const ProbeResult& r) {
  const SutDescription& d = r.draft;
  nlohmann::ordered_json j;
  j["name"] = d.name;
  j["attestation_mode"] = d.mode == AttestationMode::mock ? "mock" : "prod";
  j["env_mode"] = d.env_mode;
  j["sdk_dev_mode"] = d.sdk_dev_mode;
  j["endpoints"] = {{"admin", d.admin}, {"public", d.public_routes}, {"weights", d.weights}};
  j["public_routes"] = d.public_route_names;
  j["handshake_deadline_ms"] = kSpecHandshakeDeadlineMs;
  std::vector<std::string> notes = r.notes;
  if (r.suggested_profile) notes.insert(notes.begin(), "suggested profile: " + std::string(to_string(*r.suggested_profile)));
  notes.insert(notes.begin(), "draft written by pnc-conformance probe; check every member, then add the keys the probe cannot learn");
  j["$notes"] = notes;
  return j.dump(2) + "\n";
}

std::vector<std::string> missing_members(const SutDescription& draft, const std::string& vectors_dir) {
  auto cases = cases_for(Target::challenge, vectors_dir);
  if (!cases) return {};
  const std::vector<std::pair<Need, std::string>> keys = {{Need::signer, "trusted_signer"},
                                                          {Need::sealed_key, "sealed_key_seed"},
                                                          {Need::token_issuer, "miner_token"},
                                                          {Need::proxy_signer, "proxy_signer"},
                                                          {Need::compose_hash, "compose_hash"}};
  std::vector<std::string> out;
  for (const auto& [need, member] : keys) {
    if (has(draft, need)) continue;
    int n = 0;
    for (const auto& c : *cases) {
      bool needs_it = false, configured = true;
      for (Need x : c.needs) {
        if (x == need) needs_it = true;
        else if (is_configuration(x) && !has(draft, x)) configured = false;
      }
      if (needs_it && configured) ++n;
    }
    if (n > 0) out.push_back(member + ": " + std::to_string(n) + " challenge cases need it (" + need_reason(need) + ")");
  }
  return out;
}

int probe_command(const ProbeSettings& settings, std::ostream& out, std::ostream& err) {
  auto r = probe_sut(settings.url, std::chrono::milliseconds(settings.timeout_ms));
  if (!r) {
    err << "pnc-conformance probe: " << r.error().message << '\n';
    return r.error().code == "probe.usage" ? 2 : 1;
  }
  const std::string draft = draft_json(*r);
  if (!settings.out_file.empty()) {
    std::ofstream f(settings.out_file, std::ios::binary | std::ios::trunc);
    f << draft;
    if (!f) {
      err << "pnc-conformance probe: cannot write " << settings.out_file << '\n';
      return 2;
    }
  }
  out << "# probe of " << r->base << '\n';
  for (const auto& n : r->notes) out << "#   " << n << '\n';
  const auto missing = missing_members(r->draft, settings.vectors_dir);
  if (!missing.empty()) {
    out << "# members no probe can learn (add them to run more cases):\n";
    for (const auto& m : missing) out << "#   " << m << '\n';
  }
  if (settings.out_file.empty()) out << draft;
  else out << "# draft SUT description written to " << settings.out_file << " (use it with run --sut)\n";
  return 0;
}

}  // namespace pnc::conf
