#include "campaign/scenario.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "campaign/scenario_edits.hpp"
#include "campaign/ws_conn.hpp"
#include "cases/catalogue.hpp"
#include "cases/client_script.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/rng.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf::campaign {

namespace {

using json::Json;

const std::vector<std::string> kSignedFields = {
    "signed.key", "signed.X-Timestamp", "signed.X-Nonce", "signed.X-Session-Token", "hdr.X-Session-Token", "hdr.X-Public-Key",
    "hdr.X-Timestamp",    "hdr.X-Nonce",    "hdr.X-Signature",        "hdr.Content-Type",    "body",
    "path"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

const std::vector<std::string> kEnvelopeFields = {"enc", "nonce", "ciphertext", "inner.type", "inner.message_id"};

std::vector<std::string> begin_fields() {
  return with({"type", "nonce", "val_x25519_pub", "val_quote", "val_event_log", "val_rtmrs"}, evidence_fields());
}

std::vector<Scenario> make_scenarios() {
  std::vector<Scenario> s;
  s.push_back({"ws-session",
               "attested WebSocket session (§3-§5): attestation_begin, attestation_ok, five sealed requests, liveness probe",
               {{"begin", begin_fields(), true},
                {"ok", {"type", "aead", "hkdf_salt"}, true},
                {"env1", kEnvelopeFields, true},
                {"env2", with(kEnvelopeFields, {"inner.job_name", "inner.payload"}), true},
                {"env3", kEnvelopeFields, true},
                {"env4", kEnvelopeFields, true},
                {"env5", kEnvelopeFields, true},
                {"probe", {}, true}},
               {Need::runner_quotes}});
  s.push_back({"signed-weights",
               "signed HTTP request to POST /sdk/weights (§6.4), then a fresh valid one",
               {{"signed", with(kSignedFields, {"body.jobs"}), false}, {"signed-again", {}, false}},
               {Need::signer, Need::weights}});
  s.push_back({"miner-token",
               "MinerToken on GET /sdk/public/whoami (§7.2), then a fresh valid one",
               {{"token",
                 {"claims.iss", "claims.aud", "claims.challenge_id", "claims.miner_hotkey", "claims.uid", "claims.iat",
                  "claims.exp", "claims.window", "claims.jti", "header.alg", "header.typ", "token.payload", "token.signature", "token",
                  "hdr.X-Miner-Token"},
                 false},
                {"token-again", {}, false}},
               {Need::token_issuer, Need::public_routes}});
  s.push_back({"verified-headers",
               "X-Verified-Miner-* identity headers on GET /sdk/public/whoami, signed by the trusted proxy (§7.4)",
               {{"proxied", with(kSignedFields, {"hdr.X-Verified-Miner-Hotkey", "hdr.X-Verified-Miner-Uid"}), false}},
               {Need::proxy_signer, Need::public_routes}});
  s.push_back({"sealed-credentials",
               "sealed DSN to POST /sdk/admin/db/credentials (§8.1), then whether the DSN was stored",
               {{"credentials",
                 with(kSignedFields, {"dsn.dsn", "sealed.bytes", "body.sealed", "body.challenge_name", "body.version"}),
                 false},
                {"stored", {}, false}},
               {Need::admin, Need::signer, Need::sealed_key}});
  // The validator target (validator_fuzz): the runner plays the challenge; the steps are its frames.
  s.push_back({"validator-session",
               "a validator's attested session (§3-§5, the runner as the challenge): attestation_response, then the "
               "sealed answers to the validator's first two requests",
               {{"response", with({"type", "chal_x25519_pub", "quote", "event_log", "rtmrs"}, evidence_fields()), true},
                {"answer1", kEnvelopeFields, true},
                {"answer2", kEnvelopeFields, true}},
               {},
               std::nullopt,
               Target::validator});
  return s;
}

// A header value as it arrives: control characters cannot be sent (nullopt), surrounding
// spaces and tabs are not part of the value (RFC 9110 §5.5), so the oracle must not see them.
std::optional<std::string> header_value(std::string v) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return std::nullopt;
  const auto b = v.find_first_not_of(" \t");
  if (b == std::string::npos) return std::string();
  return v.substr(b, v.find_last_not_of(" \t") - b + 1);
}

std::string apply_string(std::string value, const FieldEdits& ms, ValueKind kind,
                         std::int64_t now) {
  for (const auto& [member, m] : ms)
    if (m.op == "drop") value.clear();
    else if (auto v = mutate_string(value, m, kind, now)) value = *v;
  return value;
}

// apply_string for a value that travels in a header.
std::string apply_header(std::string value, const FieldEdits& ms, ValueKind kind,
                         std::int64_t now) {
  for (const auto& [member, m] : ms) {
    std::string next = value;
    if (m.op == "drop") next.clear();
    else if (auto v = mutate_string(value, m, kind, now)) next = *v;
    if (auto clean = header_value(next)) value = *clean;
  }
  return value;
}

int want_of(const Trace* predicted, std::size_t k) {
  if (predicted == nullptr) return -1;
  if (k >= predicted->size()) return 1;
  return static_cast<int>((*predicted)[k].seen.size());
}

// ---------------------------------------------------------------- WebSocket

// What both executors hold: the scenario, the input, where it goes, and the execution's values.
class RunBase {
 public:
  RunBase(const Scenario& sc, const Input& in, Endpoint& ep, const ExecEnv& env, const Trace* predicted)
      : sc_(sc), in_(in), ep_(ep), env_(env), predicted_(predicted), rng_(env.value_seed) {}

 protected:
  const Scenario& sc_;
  const Input& in_;
  Endpoint& ep_;
  const ExecEnv& env_;
  const Trace* predicted_;
  DeterministicRng rng_;
};

class WsRun : RunBase {
 public:
  using RunBase::RunBase;

  Trace run() {
    Trace trace;
    main_ = open();
    if (main_.handle < 0) {
      trace.push_back({"connect", {"connect-failed"}});
      return trace;
    }
    const auto plan = make_plan(sc_, in_.mutations);
    for (std::size_t k = 0; k < plan.size(); ++k) {
      StepResult r{variant_name(sc_, plan[k]), step(plan[k], k)};
      trace.push_back(std::move(r));
      if (predicted_ != nullptr && (k >= predicted_->size() || !(trace.back() == (*predicted_)[k]))) break;
    }
    ep_.ws_close_all();
    return trace;
  }

 private:
  WsConn open() { return open_conn(ep_, env_.profile, *env_.sut, rng_); }

  std::optional<std::string> build(WsConn& c, int step) {
    const std::int64_t now = SystemClock().now();
    const std::string& name = sc_.steps[static_cast<std::size_t>(step)].name;
    if (name == "begin") {
      return apply_evidence_message(c.script->begin(), "val_quote", "val_event_log", in_.mutations, step, now);
    }
    if (name == "ok") {
      std::string text = apply_json(json::dump(c.script->ok_message()), fields_with(in_.mutations, step, ""), now);
      return text;
    }
    if (!c.channel) return std::nullopt;
    std::string inner;
    if (name == "env2")
      inner = json::dump(Json{{"type", "job_execute"}, {"message_id", "m2"}, {"job_name", "echo"}, {"payload", {{"n", 1}}}});
    else if (name.rfind("env", 0) == 0)
      inner = json::dump(Json{{"type", "db_version_request"}, {"message_id", "m" + name.substr(3)}});
    else inner = probe_request("probe");
    const auto seal = [&](const std::string& text) -> std::optional<std::string> {
      auto sealed = c.channel->seal(text, rng_);
      if (!sealed) return std::nullopt;
      return std::move(*sealed);
    };
    return apply_envelope_edits(inner, seal, in_.mutations, step, now);
  }

  std::vector<std::string> step(const PlanEntry& e, std::size_t k) {
    const int want = want_of(predicted_, k);
    const std::string& name = sc_.steps[static_cast<std::size_t>(e.step)].name;
    std::optional<std::string> text;
    if (e.variant.empty()) {
      text = build(main_, e.step);
      if (text) built_[e.step] = *text;
    } else if ((e.variant == "replay" || e.variant == "late-replay") && built_.count(e.step)) {
      text = built_[e.step];
    } else if (e.variant == "reflect") {
      if (!main_.last_received.empty()) text = main_.last_received;
    } else if (e.variant == "cross-replay" && built_.count(e.step)) {
      return cross_replay(built_[e.step], want);
    }
    if (!text) return {"no-session"};
    auto seen = send_and_collect(ep_, main_, *text, want);
    if (name == "ok" && e.variant.empty() && main_.accepted) {
      auto ch = main_.script->session();
      if (ch) main_.channel.emplace(std::move(*ch));
    }
    return seen;
  }

  // The frame again on a second connection after that connection's own clean handshake.
  std::vector<std::string> cross_replay(const std::string& frame, int want) {
    WsConn c = open();
    if (c.handle < 0) return {"connect-failed"};
    if (auto failed = clean_handshake(ep_, c); !failed.empty()) return {failed.substr(0, failed.find(' '))};
    std::vector<std::string> seen = {"hs:ok"};
    for (auto& s : send_and_collect(ep_, c, frame, want < 0 ? -1 : std::max(0, want - 1))) seen.push_back(std::move(s));
    return seen;
  }

  WsConn main_;
  std::map<int, std::string> built_;
};

// ---------------------------------------------------------------- HTTP

void post_sign(net::HttpRequest& r, const std::vector<Mutation>& ms, int step, std::int64_t now) {
  for (const auto& edit : fields_with(ms, step, "hdr.")) {
    const std::string& name = edit.first;  // not a structured binding: clang 14 lambdas cannot capture those
    const Mutation& m = edit.second;
    auto at = std::find_if(r.headers.begin(), r.headers.end(), [&](const auto& h) { return h.first == name; });
    if (m.op == "drop") {
      r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(), [&](const auto& h) { return h.first == name; }),
                      r.headers.end());
    } else if (at != r.headers.end()) {
      if (m.op == "dup") r.headers.push_back(*at);
      else if (auto v = mutate_string(at->second, m, kind_of(name), now))
        if (auto clean = header_value(*v)) at->second = *clean;
    }
  }
  for (const auto& m : ms) {
    if (m.step != step || !is_field_op(m.op)) continue;
    if (m.field == "body") {
      if (m.op == "drop") r.body.clear();
      else if (auto v = mutate_string(r.body, m, ValueKind::generic, now)) r.body = *v;
    } else if (m.field == "path" && m.op != "drop" && m.op != "dup") {
      if (auto v = mutate_string(r.target, m, ValueKind::generic, now); v && !v->empty() && (*v)[0] == '/' &&
                                                                          v->find_first_of(" \r\n") == std::string::npos)
        r.target = *v;
    }
  }
}

class HttpRun : RunBase {
 public:
  HttpRun(const Scenario& sc, const Input& in, Endpoint& ep, const ExecEnv& env, const Trace* predicted)
      : RunBase(sc, in, ep, env, predicted) {
    dsn_ = "postgresql://u:p@db:5432/campaign-" + codec::hex_encode(rng_.bytes(6));
  }

  Trace run() {
    Trace trace;
    const auto plan = make_plan(sc_, in_.mutations);
    for (std::size_t k = 0; k < plan.size(); ++k) {
      std::optional<net::HttpRequest> req;
      if (plan[k].variant.empty()) {
        req = build(plan[k].step);
        if (req) built_[plan[k].step] = *req;
      } else if ((plan[k].variant == "replay" || plan[k].variant == "late-replay") && built_.count(plan[k].step)) {
        req = built_[plan[k].step];
      }
      StepResult r{variant_name(sc_, plan[k]), {}};
      if (!req) r.seen.push_back("not-built");
      else r.seen.push_back(normal(*req, ep_.http(*req)));
      trace.push_back(std::move(r));
      if (predicted_ != nullptr && (k >= predicted_->size() || !(trace.back() == (*predicted_)[k]))) break;
    }
    return trace;
  }

 private:
  std::string normal(const net::HttpRequest& req, const HttpAnswer& a) {
    if (a.status == 0) return "no-answer";
    std::string out = "HTTP " + std::to_string(a.status);
    if (a.status == 200 && req.target.rfind("/sdk/public/whoami", 0) == 0) {
      auto doc = json::parse(a.body, Profile::sdk_compat);
      out += " " + (doc ? json::dump(*doc) : std::string("<not JSON>"));
    }
    if (req.target == "/sdk/admin/dsn_digests" && a.status == 200) {
      const std::string digest = codec::hex_encode(crypto::sha256(as_bytes(dsn_)));
      out += a.body.find(digest) != std::string::npos ? " stored" : " not-stored";
    }
    if (a.body.find(dsn_) != std::string::npos) out += " leak:dsn";
    return out;
  }

  // Signed per §6.4 with the pre-signature mutations of `step`; with `post` the header, body and
  // path mutations after signing too.
  std::optional<net::HttpRequest> sign(const TrustedSigner& who, const std::string& method, const std::string& target,
                                       std::string body, int step, bool post = true) {
    SystemClock clock;
    const std::int64_t now = clock.now();
    const std::string ts = apply_header(std::to_string(now), fields_with(in_.mutations, step, "signed.X-Timestamp"),
                                        ValueKind::timestamp, now);
    const std::string nonce =
        apply_header(rng_.uuid_v4(), fields_with(in_.mutations, step, "signed.X-Nonce"), ValueKind::generic, now);
    const std::string token = apply_header(who.session_token, fields_with(in_.mutations, step, "signed.X-Session-Token"),
                                           ValueKind::generic, now);
    signed_http::SignerOptions options;
    options.profile = env_.profile;
    // signed.key: signed (and X-Public-Key sent) by a key the session was never bound to (V5).
    const Bytes seed = fields_with(in_.mutations, step, "signed.key").empty() ? who.seed : rng_.bytes(32);
    const std::string nonce_used = reuse_nonce_ && step > 0 ? *reuse_nonce_ : nonce;
    if (step == 0) {
      // A request forged after signing (a header, the body or the path changed) must not burn its
      // nonce (§6.4 V7 after V6, D-15): the next step then reuses it and must be accepted.
      for (const auto& m : in_.mutations)
        if (m.step == 0 && is_field_op(m.op) && (m.field.rfind("hdr.", 0) == 0 || m.field == "body" || m.field == "path"))
          reuse_nonce_ = nonce;
    }
    signed_http::Signer signer(seed, token, std::nullopt, clock, rng_, options);
    auto req = signer.sign_body(method, target, to_bytes(body), signed_http::kContentTypeJson, ts, nonce_used);
    if (!req) return std::nullopt;
    net::HttpRequest out = to_net(*req);
    if (post) post_sign(out, in_.mutations, step, now);
    return out;
  }

  std::optional<net::HttpRequest> build(int step) {
    const std::int64_t now = SystemClock().now();
    const std::string& name = sc_.steps[static_cast<std::size_t>(step)].name;
    const SutDescription& sut = *env_.sut;
    if (name == "signed" || name == "signed-again")
      return sign(*sut.signer, "POST", "/sdk/weights", apply_json("{\"jobs\":[]}", fields_with(in_.mutations, step, "body."), now),
                  step);
    if (name == "token" || name == "token-again") return token_request(step, now);
    if (name == "proxied") {
      auto r = sign(*sut.proxy_signer, "GET", "/sdk/public/whoami", "", step, false);
      if (!r) return std::nullopt;
      r->headers.emplace_back("X-Verified-Miner-Hotkey", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
      r->headers.emplace_back("X-Verified-Miner-Uid", "7");
      post_sign(*r, in_.mutations, step, now);  // the identity headers are not signed (§7.4)
      return r;
    }
    if (name == "credentials") {
      const std::string plaintext = apply_json(json::dump(Json{{"dsn", dsn_}}), fields_with(in_.mutations, step, "dsn."), now);
      const Bytes seed = *sut.sealed_key_seed;
      const auto pub = env_.profile == Profile::hardened ? crypto::x25519_from_secret(seed).pub : crypto::ed25519_from_seed(seed).pub;
      auto sealed = credentials::seal_credentials(env_.profile, Bytes(pub.begin(), pub.end()), plaintext, rng_);
      if (!sealed) return std::nullopt;
      const std::string sealed_b64 =
          apply_string(codec::b64_encode(*sealed), fields_with(in_.mutations, step, "sealed.bytes"), ValueKind::generic, now);
      const std::string body = apply_json(json::dump(Json{{"sealed", sealed_b64}, {"challenge_name", "demo"}, {"version", 1}}),
                                          fields_with(in_.mutations, step, "body."), now);
      return sign(*sut.signer, "POST", "/sdk/admin/db/credentials", body, step);
    }
    if (name == "stored") {
      net::HttpRequest r;
      r.method = "GET";
      r.target = "/sdk/admin/dsn_digests";
      return r;
    }
    return std::nullopt;
  }

  net::HttpRequest token_request(int step, std::int64_t now) {
    const TokenIssuer& issuer = *env_.sut->token_issuer;
    miner_token::MinerClaims claims = accepted_claims(issuer, now, 600);
    claims.jti = rng_.uuid_v4();
    // claims.window: iat and exp moved together (the lifetime stays valid), so that expiry and
    // not-yet-valid checks are what judges.
    for (const auto& [member, m] : fields_with(in_.mutations, step, "claims.window")) {
      auto v = mutate_string(std::to_string(now), m, ValueKind::timestamp, now);
      if (!v || v->empty() || v->find_first_not_of("0123456789-") != std::string::npos || v->size() > 12) continue;
      const std::int64_t shift = std::stoll(*v) - now - (std::stoll(*v) < now ? 600 : 0);
      claims.iat += shift;
      claims.exp += shift;
    }
    const std::string header = apply_json(miner_token::header_json(), fields_with(in_.mutations, step, "header."), now);
    const std::string payload = apply_json(miner_token::claims_json(claims), fields_with(in_.mutations, step, "claims."), now);
    std::string input = codec::b64url_encode(as_bytes(header)) + "." + codec::b64url_encode(as_bytes(payload));
    // alg "none" (e.g. a boundary value of header.alg) is an unsigned token: the signature is empty.
    auto h = json::parse(header, Profile::sdk_compat);
    const bool unsigned_token = h && h->is_object() && h->contains("alg") && (*h)["alg"] == "none";
    std::string sig = unsigned_token ? std::string() : codec::b64url_encode(crypto::ed25519_sign(issuer.seed, as_bytes(input)));
    std::string payload_b64 = input.substr(input.find('.') + 1);
    payload_b64 = apply_header(payload_b64, fields_with(in_.mutations, step, "token.payload"), ValueKind::generic, now);
    sig = apply_header(sig, fields_with(in_.mutations, step, "token.signature"), ValueKind::generic, now);
    std::string token = input.substr(0, input.find('.')) + "." + payload_b64 + "." + sig;
    token = apply_header(token, fields_with(in_.mutations, step, "token"), ValueKind::generic, now);
    net::HttpRequest r;
    r.method = "GET";
    r.target = "/sdk/public/whoami";
    r.headers.emplace_back("X-Miner-Token", token);
    post_sign(r, in_.mutations, step, now);
    return r;
  }

  std::string dsn_;
  std::optional<std::string> reuse_nonce_;
  std::map<int, net::HttpRequest> built_;
};

// ---------------------------------------------------------------- shim operations

// The shim protocol's own encodings are not the subject: a hex argument (the protocol's way of
// carrying bytes) only gets byte-level changes, and no top-level argument is dropped, doubled or
// retyped (that tests the shim's argument parsing, not the implementation behind it).
const std::vector<std::string> kHexArgOps = {"flip", "set-byte", "truncate", "extend", "boundary"};
const std::vector<std::string> kTextArgOps = {"flip", "set-byte", "truncate", "extend", "boundary", "badchar", "case"};
const std::vector<std::string> kMemberOps = {"flip", "set-byte", "truncate", "extend", "boundary", "badchar", "case",
                                             "drop", "dup", "type"};

// Arguments that select what the shim does (an algorithm, a mode, an output size, a count)
// rather than carry protocol data: changing them tests the shim's argument parsing.
const std::vector<std::string> kShimControlArgs = {"alg", "aad_mode", "cipher", "mode", "kind", "compat_verifier", "direction",
                                                   "dcap", "role", "object", "replays", "replay_cache", "length", "size",
                                                   "pad_to", "binary", "member", "leeway", "session",
                                                   "root_ca_pem"};  // the verifier's trust anchor (configuration)

bool is_header_list(const Json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const auto& h : v)
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string()) return false;
  return true;
}

// Mutable fields of a seed's arguments: every string, number and boolean argument; "arg.member"
// for the top-level members of an argument that is a JSON object text (request bodies); and
// "arg.Name" for each header of a [name, value] list.
std::vector<std::string> shim_fields(const Json& args) {
  std::vector<std::string> out;
  for (const auto& [k, v] : args.items()) {
    if (std::find(kShimControlArgs.begin(), kShimControlArgs.end(), k) != kShimControlArgs.end()) continue;
    if (v.is_string()) {
      out.push_back(k);
      const std::string& t = v.get_ref<const std::string&>();
      if (!t.empty() && t.front() == '{')
        if (auto doc = json::parse(t, Profile::sdk_compat); doc && doc->is_object())
          for (const auto& [member, unused] : doc->items()) out.push_back(k + "." + member);
    } else if (v.is_number() || v.is_boolean()) {
      out.push_back(k);
    } else if (is_header_list(v)) {
      for (const auto& h : v) out.push_back(k + "." + h[0].get<std::string>());
    }
  }
  return out;
}

// The field operations a top-level argument takes.
const std::vector<std::string>& arg_ops(const Json& value) {
  return value.is_string() && guess_encoding(value.get<std::string>()) == Encoding::hex ? kHexArgOps : kTextArgOps;
}

void apply_shim_mutation(Json& args, const Mutation& m) {
  if (!is_field_op(m.op)) return;
  if (args.contains(m.field)) {
    Json& v = args[m.field];
    const auto& ops = arg_ops(v);
    if (std::find(ops.begin(), ops.end(), m.op) == ops.end()) return;
    if (auto changed = mutate_value(v, m, ValueKind::generic, 0)) v = std::move(*changed);
    return;
  }
  const auto dot = m.field.find('.');
  if (dot == std::string::npos || !args.contains(m.field.substr(0, dot))) return;
  Json& holder = args[m.field.substr(0, dot)];
  const std::string member = m.field.substr(dot + 1);
  if (holder.is_string()) {
    holder = mutate_json_text(holder.get<std::string>(), member, m, kind_of(member), 0);
    return;
  }
  if (!is_header_list(holder)) return;
  for (std::size_t i = 0; i < holder.size(); ++i) {
    if (holder[i][0] != member) continue;
    if (m.op == "drop") holder.erase(i);
    else if (m.op == "dup") holder.insert(holder.begin() + static_cast<long>(i), holder[i]);
    else if (auto v = mutate_string(holder[i][1].get<std::string>(), m, kind_of(member), 0))
      if (auto clean = header_value(*v)) holder[i][1] = *clean;
    return;
  }
}

// A judged result member in normal form: JSON text compared as parsed JSON; long values cut
// to a prefix and a digest so that traces stay readable.
std::string judged_value(const Json& result, const std::string& member) {
  if (!result.is_object() || !result.contains(member)) return "(none)";
  const Json& v = result.at(member);
  if (member == "status") return v == 200 ? "200" : "refused";
  std::string text = v.is_string() ? v.get<std::string>() : json::dump(v);
  if (v.is_string() && !text.empty() && (text.front() == '{' || text.front() == '['))
    if (auto doc = json::parse(text, Profile::sdk_compat)) text = json::dump(*doc);
  if (text.size() <= 64) return text;
  return text.substr(0, 40) + "...sha256:" + codec::hex_encode(crypto::sha256(as_bytes(text))).substr(0, 16);
}

std::string shim_normal(const Result<ShimAnswer>& a, const ShimCall& call) { return shim_answer_normal(a, call.judged); }

}  // namespace

std::string shim_answer_normal(const Result<ShimAnswer>& a, const std::vector<std::string>& judged) {
  if (!a) return "shim-failed";
  if (a->kind == ShimAnswer::Kind::unimplemented) return "unimplemented";
  // pnc-ref-shim's own answer to arguments outside the shim protocol's contract (a key of the
  // wrong length, an odd-length hex string): no verdict on the implementation behind a shim.
  if (a->kind == ShimAnswer::Kind::error && a->error.rfind("shim.bad_request", 0) == 0) return std::string(kNotJudged);
  if (a->kind == ShimAnswer::Kind::error) return "error";
  std::string out = "ok";
  for (const auto& m : judged) out += " " + m + "=" + judged_value(a->result, m);
  return out;
}

namespace {

Trace run_shim(const Scenario& sc, const Input& in, Endpoint& ep, const ExecEnv& env) {
  Json args = sc.shim->args;
  for (const auto& m : in.mutations) apply_shim_mutation(args, m);
  return {StepResult{sc.steps.front().name, {shim_normal(ep.shim_call(sc.shim->op, args, env.profile), *sc.shim)}}};
}

std::deque<Scenario>& registry() {
  static std::deque<Scenario> all = [] {
    auto v = make_scenarios();
    return std::deque<Scenario>(v.begin(), v.end());
  }();
  return all;
}

}  // namespace

const std::deque<Scenario>& scenarios() { return registry(); }

const Scenario* find_scenario(const std::string& name) {
  for (const auto& s : scenarios())
    if (s.name == name) return &s;
  return nullptr;
}

bool scenario_named(const Scenario& sc, const std::string& name) {
  return sc.name == name || (sc.shim && sc.shim->op == name);
}

std::vector<std::string> field_ops(const Scenario& sc, const std::string& field) {
  if (!sc.shim) return kFieldOps;
  if (sc.shim->args.contains(field)) return arg_ops(sc.shim->args.at(field));
  return kMemberOps;
}

Status add_shim_scenarios(const std::string& vectors_dir) {
  static std::mutex mu;
  static std::optional<Status> done;
  const std::lock_guard<std::mutex> lock(mu);
  if (done) return *done;
  auto seeds = shim_seeds(vectors_dir);
  if (!seeds) {
    done = Status(seeds.error());
    return *done;
  }
  // Seeds are the valid tests (a mutation of an accepted input is what tells implementations
  // apart); an operation with no valid test keeps its others.
  std::set<std::string> has_valid;
  for (const auto& seed : *seeds)
    if (seed.valid) has_valid.insert(seed.op);
  for (auto& seed : *seeds) {
    if (!seed.valid && has_valid.count(seed.op)) continue;
    // Size-limit tests (a 16 MiB body, a frame padded to the limit) take the shim a second per
    // call and test what no mutation changes: not seeds.
    if (seed.args.contains("body_fill") || seed.args.contains("pad_to") || json::dump(seed.args).size() > 65536) continue;
    Scenario sc;
    sc.name = "shim:" + seed.id;
    sc.what = seed.op + " seeded by vector " + seed.id;
    sc.steps = {StepInfo{seed.op, shim_fields(seed.args), false}};
    if (sc.steps.front().fields.empty()) continue;
    sc.shim = ShimCall{seed.op, std::move(seed.args), std::move(seed.judged)};
    registry().push_back(std::move(sc));
  }
  done = Status{};
  return *done;
}

Trace execute(const Input& input, Endpoint& ep, const ExecEnv& env, const Trace* predicted) {
  const Scenario* sc = find_scenario(input.scenario);
  if (sc == nullptr) return {};
  if (sc->shim) return run_shim(*sc, input, ep, env);
  if (sc->target() == Target::validator) return {};  // the runner is the challenge there: validator_fuzz runs it
  if (sc->steps.front().websocket) return WsRun(*sc, input, ep, env, predicted).run();
  return HttpRun(*sc, input, ep, env, predicted).run();
}

net::HttpRequest to_net(const signed_http::HttpRequest& r) {
  net::HttpRequest out;
  out.method = r.method;
  out.target = r.target;
  out.headers.assign(r.headers.begin(), r.headers.end());
  out.body.assign(r.body.begin(), r.body.end());
  return out;
}

std::size_t first_difference(const Trace& expected, const Trace& observed) {
  const std::size_t n = std::min(expected.size(), observed.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!(expected[i] == observed[i])) return i;
  return expected.size() == observed.size() ? expected.size() : n;
}

json::Json to_json(const StepResult& r) { return Json{{"step", r.step}, {"seen", r.seen}}; }

}  // namespace pnc::conf::campaign
