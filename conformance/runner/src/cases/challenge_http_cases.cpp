// Target "challenge", HTTP side: signed requests against /sdk/weights (§6.4, §12.6), sealed
// credentials against /sdk/admin/db/credentials (§8.1, §12.8, N-X-05) and the miner identity of
// /sdk/public/{name} (§7.4, N-TOK-14/15). Expected values are the spec's status codes (and
// `detail` texts where §8.1 fixes them), per profile.
#include <cstdlib>
#include <functional>
#include <set>
#include <tuple>

#include "cases/case_builders.hpp"
#include "cases/catalogue.hpp"
#include "cases/challenge_session.hpp"
#include "cases/http_result.hpp"
#include "cases/text.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/net/tcp_client.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::conf {

namespace {

using json::Json;

HttpResult send(Context& ctx, const signed_http::HttpRequest& req) {
  net::Headers headers(req.headers.begin(), req.headers.end());
  return http_result(req.method + " " + req.target,
                     net::http_request(challenge_of(ctx).http_base(), req.method, req.target, headers,
                                       pnc::to_string(ByteView(req.body)), Millis(ctx.timeout.count() * 2)));
}

// A request whose body the SUT should refuse early (N-SIG-20): written over a raw connection in
// chunks, reading between chunks, so that an early 413 is seen even though the SUT then resets
// the connection while the rest of the body is in flight.
HttpResult send_large(Context& ctx, const signed_http::HttpRequest& req) {
  ChallengeSession& cs = challenge_of(ctx);
  auto tcp = net::TcpClient::connect(cs.host(), cs.port(), ctx.timeout);
  if (!tcp) return {0, {}, tcp.error().message, req.method + " " + req.target, {}};
  std::string head = req.method + " " + req.target + " HTTP/1.1\r\nHost: " + cs.host() + ":" + std::to_string(cs.port()) +
                     "\r\nConnection: close\r\nContent-Length: " + std::to_string(req.body.size()) + "\r\n";
  for (const auto& [k, v] : req.headers) head += k + ": " + v + "\r\n";
  head += "\r\n";
  std::string answer;
  auto status_of = [&answer]() -> int {
    if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
    return std::atoi(answer.substr(9, 3).c_str());
  };
  bool failed = !(*tcp)->send(head, ctx.timeout);
  constexpr std::size_t kChunk = 256 * 1024;
  for (std::size_t off = 0; !failed && off < req.body.size(); off += kChunk) {
    const std::size_t n = std::min(kChunk, req.body.size() - off);
    failed = !(*tcp)->send(std::span<const std::uint8_t>(req.body.data() + off, n), ctx.timeout);
    if (auto got = (*tcp)->receive_some(Millis(1)); got) answer += *got;
    if (status_of() != 0) break;
  }
  for (int i = 0; i < 4 && status_of() == 0; ++i) {
    auto got = (*tcp)->receive_some(ctx.timeout);
    if (!got || got->empty()) break;
    answer += *got;
  }
  HttpResult out;
  out.route = req.method + " " + req.target;
  if (const int st = status_of(); st != 0) {
    const std::size_t body_at = answer.find("\r\n\r\n");
    out.status = st;
    out.body = body_at == std::string::npos ? std::string() : answer.substr(body_at + 4);
    return out;
  }
  out.error = failed ? "the connection failed while sending the body, no HTTP answer" : "no HTTP answer";
  return out;
}

std::string uuid(Context& ctx) { return challenge_of(ctx).rng().uuid_v4(); }

signed_http::HttpRequest sign(Context& ctx, const TrustedSigner& who, const std::string& target, std::string body,
                              std::int64_t skew = 0, std::optional<std::string> nonce = std::nullopt) {
  SystemClock clock;
  signed_http::SignerOptions options;
  options.profile = ctx.profile;
  signed_http::Signer signer(who.seed, who.session_token, std::nullopt, clock, challenge_of(ctx).rng(), options);
  auto req = signer.sign_body("POST", target, to_bytes(body), signed_http::kContentTypeJson,
                              std::to_string(clock.now() + skew), nonce ? *nonce : uuid(ctx));
  return std::move(*req);
}

// Re-signs `req` over an arbitrary canonical string (N-SIG-10/11/12 variants).
void sign_canonical(const TrustedSigner& who, signed_http::HttpRequest& req, const std::string& canonical) {
  req.set_header(signed_http::kHdrSignature, codec::b64_encode(crypto::ed25519_sign(who.seed, as_bytes(canonical))));
}

std::string canonical_of(const signed_http::HttpRequest& r, std::string_view method, std::string_view path) {
  return signed_http::canonical_string(method, path, r.body, *r.header(signed_http::kHdrTimestamp),
                                       *r.header(signed_http::kHdrNonce), *r.header(signed_http::kHdrSessionToken));
}

// Expected status per profile; `also` lists statuses the spec equally allows.
struct StatusExpect {
  int seed = 401;
  int compat = 200;
  std::set<int> also;
  int of(Profile p) const { return is_strict(p) ? seed : compat; }
};

Outcome judge_status(const HttpResult& r, int want, const std::set<int>& also, const std::string& detail = {}) {
  std::string expected = "HTTP " + std::to_string(want);
  for (int a : also) expected += " (or " + std::to_string(a) + ")";
  if (!detail.empty()) expected += " {\"detail\": \"" + detail + "\"}";
  if (!r.precondition.empty()) return Outcome::blocked(r.precondition);
  if (auto server_error = server_error_outcome(r)) return *server_error;
  if (!r.error.empty()) return Outcome::fail(r.describe(), expected);
  if (r.status != want && !also.count(r.status)) return Outcome::fail(r.describe(), expected);
  if (!detail.empty()) {
    auto doc = json::parse(r.body, Profile::sdk_compat);
    if (!doc || string_member(*doc, "detail") != detail) return Outcome::fail("wrong detail: " + r.describe(), expected);
  }
  return Outcome::pass(r.describe());
}

Case http_case(std::string id, std::string title, std::string mechanism, StatusExpect e, std::vector<Need> needs,
               std::function<Outcome(Context&, const StatusExpect&)> run) {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = std::move(mechanism);
  c.target = Target::challenge;
  c.needs = std::move(needs);
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat, Profile::hardened}) {
    std::string words = "HTTP " + std::to_string(e.of(p));
    for (int a : e.also) words += " (or " + std::to_string(a) + ")";
    c.expected[p] = words;
  }
  c.run = [e, run](Context& ctx) { return run(ctx, e); };
  return c;
}

// A signed /sdk/weights request, mutated, sent once; judged by status.
Case sig_case(std::string id, std::string title, StatusExpect e,
              std::function<signed_http::HttpRequest(Context&, const TrustedSigner&)> build) {
  return http_case(std::move(id), std::move(title), "signed-http", e, {Need::signer, Need::weights},
                   [build](Context& ctx, const StatusExpect& ex) {
                     const auto req = build(ctx, *ctx.sut->signer);
                     return judge_status(send(ctx, req), ex.of(ctx.profile), ex.also);
                   });
}

// N-SIG-01 / N-SIG-04.empty: headers missing or empty. [COMPAT] with SDK_DEV_MODE=true the SDK
// skips even its presence check (§6.4, D-14), so the request is processed (200).
Case header_presence_case(std::string id, std::string title,
                          std::function<signed_http::HttpRequest(Context&, const TrustedSigner&)> build) {
  Case c = http_case(std::move(id), std::move(title), "signed-http", StatusExpect{401, 401, {}}, {Need::signer, Need::weights},
                     [build](Context& ctx, const StatusExpect&) {
                       const bool dev_skip = !is_strict(ctx.profile) && ctx.sut->sdk_dev_mode;
                       Outcome o = judge_status(send(ctx, build(ctx, *ctx.sut->signer)), dev_skip ? 200 : 401, {});
                       if (dev_skip) o.expected = "HTTP 200 (SDK_DEV_MODE=true skips the header check, §6.4 / D-14)";
                       return o;
                     });
  c.expected[Profile::sdk_compat] = "HTTP 401; HTTP 200 when the SUT description says sdk_dev_mode: true (§6.4, D-14)";
  return c;
}

const std::string kWeights = "/sdk/weights";
const std::string kBody = "{\"jobs\":[]}";

// S + L (N-SIG-16): the same R, a non-canonical S.
std::string s_plus_l(const std::string& sig_b64) {
  static const std::uint8_t kL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                      0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
  Bytes sig = *codec::b64_decode(sig_b64);
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned v = sig[32 + i] + kL[i] + carry;
    sig[32 + i] = static_cast<std::uint8_t>(v & 0xff);
    carry = v >> 8;
  }
  return codec::b64_encode(sig);
}

// ---- sealed credentials

const std::string kCredentials = "/sdk/admin/db/credentials";

Bytes recipient_public(Profile p, const Bytes& key_seed) {
  // seed-spec / sdk-compat: the Ed25519 key whose seed is SDK_EPHEMERAL_SK_B64 (sealing converts
  // it); hardened: SDK_EPHEMERAL_SK_B64 holds the X25519 secret itself (D-24).
  const auto pub = p == Profile::hardened ? crypto::x25519_from_secret(key_seed).pub : crypto::ed25519_from_seed(key_seed).pub;
  return Bytes(pub.begin(), pub.end());
}

Bytes seal_to_sut(Context& ctx, std::string_view plaintext) {
  auto sealed = credentials::seal_credentials(ctx.profile, recipient_public(ctx.profile, *ctx.sut->sealed_key_seed), plaintext,
                                              challenge_of(ctx).rng());
  return std::move(*sealed);
}

Case cred_case(std::string id, std::string title, int status, std::string detail,
               std::function<std::string(Context&)> body, std::vector<Profile> profiles = {}) {
  StatusExpect e{status, status, {}};
  Case c = http_case(std::move(id), std::move(title), "credentials", e, {Need::admin, Need::signer, Need::sealed_key},
                     [body, detail](Context& ctx, const StatusExpect& ex) {
                       const auto req = sign(ctx, *ctx.sut->signer, kCredentials, body(ctx));
                       const HttpResult r = send(ctx, req);
                       Outcome o = judge_status(r, ex.of(ctx.profile), {}, detail);
                       if (o.verdict == Verdict::pass && r.status == 200) {
                         // §8.1 step 7 and §8.5: {"migrated": true}, never the DSN itself.
                         auto doc = json::parse(r.body, Profile::sdk_compat);
                         if (!doc || !doc->is_object() || !doc->contains("migrated") || (*doc)["migrated"] != true ||
                             r.body.find("postgresql") != std::string::npos)
                           return Outcome::fail(r.describe(), "HTTP 200 {\"migrated\": true} without the DSN");
                       }
                       return o;
                     });
  for (auto& [p, words] : c.expected) words += detail.empty() ? "" : " {\"detail\": \"" + detail + "\"}";
  c.profiles = std::move(profiles);
  return c;
}

std::string cred_body(const Bytes& sealed, Json extra = Json::object()) {
  Json b = {{"sealed", codec::b64_encode(sealed)}, {"challenge_name", "demo"}, {"version", 1}};
  for (auto& [k, v] : extra.items()) {
    if (v.is_string() && v.get<std::string>() == "__erase__") b.erase(k);
    else b[k] = v;
  }
  return json::dump(b);
}


// ---- §6.8 malformed bodies and §8.1 / N-CRED-13 state after a refusal

// What §6.8 allows for a body a route cannot use, per profile.
enum class BodyRule {
  reject400,  // HTTP 400 (413 also allowed for an oversize body)
  reject4xx,  // any 4xx ([COMPAT]: the upstream status is not fixed)
  no5xx,      // [COMPAT] may process it (200) or refuse it (4xx); never a server error
};

std::string rule_words(BodyRule rule, const std::string& detail, bool oversize) {
  switch (rule) {
    case BodyRule::reject400:
      return std::string("HTTP 400") + (oversize ? " (or 413)" : "") + (detail.empty() ? "" : " {\"detail\": \"" + detail + "\"}");
    case BodyRule::reject4xx: return "HTTP 4xx";
    case BodyRule::no5xx: return "HTTP 200 or 4xx, never 5xx";
  }
  return {};
}

Outcome judge_body(const HttpResult& r, BodyRule rule, const std::string& detail, bool oversize) {
  const std::string expected = rule_words(rule, detail, oversize);
  if (!r.precondition.empty()) return Outcome::blocked(r.precondition);
  if (auto server_error = server_error_outcome(r)) return *server_error;
  if (!r.error.empty()) return Outcome::fail(r.describe(), expected);
  switch (rule) {
    case BodyRule::reject400:
      if (r.status == 400 || (oversize && r.status == 413)) break;
      return Outcome::fail(r.describe(), expected);
    case BodyRule::reject4xx:
      if (r.status >= 400 && r.status <= 499) return Outcome::pass(r.describe());
      return Outcome::fail(r.describe(), expected);
    case BodyRule::no5xx:
      if (r.status == 200 || (r.status >= 400 && r.status <= 499)) return Outcome::pass(r.describe());
      return Outcome::fail(r.describe(), expected);
  }
  if (!detail.empty() && r.status == 400) {
    auto doc = json::parse(r.body, Profile::sdk_compat);
    if (!doc || string_member(*doc, "detail") != detail) return Outcome::fail("wrong detail: " + r.describe(), expected);
  }
  return Outcome::pass(r.describe());
}

struct BodyCase {
  BodyCase(std::string k, std::string t, std::function<std::string(Context&)> b, BodyRule s, std::optional<BodyRule> c,
           std::string detail = {}, bool big = false)
      : kind(std::move(k)), title(std::move(t)), body(std::move(b)), strict(s), compat(c), strict_detail(std::move(detail)), oversize(big) {}
  std::string kind;
  std::string title;
  std::function<std::string(Context&)> body;
  BodyRule strict = BodyRule::reject400;
  std::optional<BodyRule> compat;  // nullopt: the case applies to [SEED]/[HARD] only
  std::string strict_detail;       // §8.1's detail text where it fixes one
  bool oversize = false;
};

Case body_case(const std::string& route, const std::string& target, std::vector<Need> needs, BodyCase b) {
  Case c;
  c.id = "N-BODY-01." + route + "." + b.kind;
  c.title = "POST " + target + ": " + b.title;
  c.mechanism = "http-body";
  c.target = Target::challenge;
  c.needs = std::move(needs);
  for (Profile p : {Profile::seed_spec, Profile::hardened}) c.expected[p] = rule_words(b.strict, b.strict_detail, b.oversize);
  if (b.compat) c.expected[Profile::sdk_compat] = rule_words(*b.compat, {}, b.oversize);
  else c.profiles = {Profile::seed_spec, Profile::hardened};
  c.exclusive = b.oversize;
  c.run = [b, target](Context& ctx) {
    const auto req = sign(ctx, *ctx.sut->signer, target, b.body(ctx));
    const HttpResult r = b.oversize ? send_large(ctx, req) : send(ctx, req);
    const bool strict = is_strict(ctx.profile);
    return judge_body(r, strict ? b.strict : *b.compat, strict ? b.strict_detail : std::string(), b.oversize);
  };
  return c;
}

std::string nested(int depth, const std::string& inner) {
  return std::string(static_cast<std::size_t>(depth), '[') + inner + std::string(static_cast<std::size_t>(depth), ']');
}

// A DSN no other case stores: its SHA-256 identifies this case's request among concurrent ones.
std::string unique_dsn(Context& ctx) { return "postgresql://u:p@db:5432/case-" + uuid(ctx); }

std::string sha256_hex(std::string_view text) { return codec::hex_encode(crypto::sha256(as_bytes(text))); }

const std::string kDsnDigests = "/sdk/admin/dsn_digests";

// The SHA-256 of every DSN the SUT has stored, from the test route GET /sdk/admin/dsn_digests
// (§6.8: a challenge-defined admin route the bundled peer has); nullopt with `why` when the SUT
// does not offer it, so storage is not observable there.
std::optional<std::set<std::string>> stored_digests(Context& ctx, std::string& why) {
  auto r = net::http_request(challenge_of(ctx).http_base(), "GET", kDsnDigests, {}, "", Millis(ctx.timeout.count() * 2));
  if (!r) {
    why = "GET " + kDsnDigests + ": no answer (" + r.error().message + ")";
    return std::nullopt;
  }
  auto doc = json::parse(r->body, Profile::sdk_compat);
  if (r->status != 200 || !doc || !doc->is_object() || !doc->contains("dsn_digests") || !(*doc)["dsn_digests"].is_array()) {
    why = "GET " + kDsnDigests + " answered HTTP " + std::to_string(r->status) + ", not {\"dsn_digests\": [...]}";
    return std::nullopt;
  }
  std::set<std::string> out;
  for (const auto& d : (*doc)["dsn_digests"])
    if (d.is_string()) out.insert(d.get<std::string>());
  return out;
}

// N-CRED-13: a request carrying a valid sealed DSN (unique to the case) and one bad field must be
// refused (§8.1 step 2) and must not have stored the DSN (checked where the SUT lets it be seen).
Case cred_state_case(std::string kind, std::string title, Json edit, std::string detail, bool strict_only) {
  Case c;
  c.id = "N-CRED-13." + kind;
  c.title = "refused credential request (" + title + ") leaves no DSN stored";
  c.mechanism = "credentials";
  c.target = Target::challenge;
  c.needs = {Need::admin, Need::signer, Need::sealed_key};
  if (strict_only) c.profiles = {Profile::seed_spec, Profile::hardened};
  c.expected_default = "HTTP 400 {\"detail\": \"" + detail + "\"}, and the DSN not stored (GET " + kDsnDigests + " does not list its SHA-256)";
  c.run = [edit, detail](Context& ctx) {
    const std::string dsn = unique_dsn(ctx);
    const auto req = sign(ctx, *ctx.sut->signer, kCredentials, cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + dsn + "\"}"), edit));
    const HttpResult r = send(ctx, req);
    Outcome status = judge_status(r, 400, {}, detail);
    if (status.verdict != Verdict::pass) return status;
    std::string why;
    const auto digests = stored_digests(ctx, why);
    if (!digests) return Outcome::skipped(r.describe() + " as expected; whether the DSN was stored is not observable: " + why);
    if (digests->count(sha256_hex(dsn)))
      return Outcome::fail(r.describe() + ", but the DSN was stored (its SHA-256 is listed by GET " + kDsnDigests + ")");
    return Outcome::pass(r.describe() + "; DSN not stored (" + std::to_string(digests->size()) + " digests listed, not this one)");
  };
  return c;
}

// ---- identity

const std::string kPublicPrefix = "/sdk/public/";

HttpResult get_public(Context& ctx, const std::string& route, net::Headers headers) {
  return http_result("GET " + kPublicPrefix + route, net::http_request(challenge_of(ctx).http_base(), "GET", kPublicPrefix + route,
                                                                      headers, "", Millis(ctx.timeout.count() * 2)));
}

std::string token(Context& ctx, std::int64_t exp_offset, const std::string& alg_override = {}, const Bytes& other_seed = {},
                  const std::function<void(miner_token::MinerClaims&)>& edit = {}) {
  const TokenIssuer& issuer = *ctx.sut->token_issuer;
  SystemClock clock;
  miner_token::MinerClaims claims = accepted_claims(issuer, clock.now(), exp_offset);
  if (claims.exp <= claims.iat) claims.iat = claims.exp - 60;
  claims.jti = challenge_of(ctx).rng().uuid_v4();
  if (edit) edit(claims);
  const Bytes& seed = other_seed.empty() ? issuer.seed : other_seed;
  if (!alg_override.empty()) {
    const std::string header = "{\"alg\":\"" + alg_override + "\",\"typ\":\"MinerToken\"}";
    return codec::b64url_encode(as_bytes(header)) + "." + codec::b64url_encode(as_bytes(miner_token::claims_json(claims))) + ".";
  }
  return *miner_token::sign_compact(miner_token::header_json(), miner_token::claims_json(claims), seed);
}

net::Headers token_headers(const std::string& tok) {
  return {{"X-Miner-Token", tok}, {"X-Verified-Miner-Hotkey", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}, {"X-Verified-Miner-Uid", "7"}};
}

}  // namespace

std::vector<Case> challenge_http_cases();

std::vector<Case> challenge_http_cases() {
  std::vector<Case> out;
  const StatusExpect seed401{401, 200, {}};
  const StatusExpect all200{200, 200, {}};
  const StatusExpect all401{401, 401, {}};

  // ---- signed requests
  out.push_back(sig_case("SIG-OK", "valid signed request to /sdk/weights (V4 shape, fresh values)", all200,
                         [](Context& ctx, const TrustedSigner& s) { return sign(ctx, s, kWeights, kBody); }));
  // Runs without a SUT description: a correctly signed request from a key and session the SUT
  // cannot know. [SEED]/[HARD] verify against provisioned trust (401); [COMPAT] checks only that
  // the five headers are present (§6.4, D-14), so the request is processed.
  out.push_back(http_case("N-SIG-UNTRUSTED", "valid signature by a key and session the SUT was never given", "signed-http", seed401,
                          {Need::weights}, [](Context& ctx, const StatusExpect& e) {
                            const TrustedSigner stranger{"session-" + uuid(ctx), challenge_of(ctx).rng().bytes(32)};
                            return judge_status(send(ctx, sign(ctx, stranger, kWeights, kBody)), e.of(ctx.profile), {});
                          }));
  for (const char* h : {"X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature"}) {
    const std::string header = h;
    out.push_back(header_presence_case("N-SIG-01." + header.substr(2), header + " missing", [header](Context& ctx, const TrustedSigner& s) {
      auto r = sign(ctx, s, kWeights, kBody);
      r.remove_header(header);
      return r;
    }));
  }
  // Outside / inside the ±120 s window, with a margin for the clock ticking between the runner
  // signing and the SUT checking (the exact boundary is a unit test of the verifier).
  out.push_back(sig_case("N-SIG-02.past", "X-Timestamp = now - 125", seed401, [](Context& ctx, const TrustedSigner& s) { return sign(ctx, s, kWeights, kBody, -125); }));
  out.push_back(sig_case("N-SIG-02.future", "X-Timestamp = now + 125", seed401, [](Context& ctx, const TrustedSigner& s) { return sign(ctx, s, kWeights, kBody, 125); }));
  out.push_back(sig_case("N-SIG-03.past", "X-Timestamp = now - 118 (inside the window)", all200, [](Context& ctx, const TrustedSigner& s) { return sign(ctx, s, kWeights, kBody, -118); }));
  out.push_back(sig_case("N-SIG-03.future", "X-Timestamp = now + 118 (inside the window)", all200, [](Context& ctx, const TrustedSigner& s) { return sign(ctx, s, kWeights, kBody, 118); }));
  for (const auto& [suffix, fmt] : std::vector<std::pair<std::string, std::function<std::string(std::int64_t)>>>{
           {"plus", [](std::int64_t t) { return "+" + std::to_string(t); }},
           {"decimal", [](std::int64_t t) { return std::to_string(t) + ".0"; }},
           {"negative", [](std::int64_t) { return std::string("-1"); }},
           {"space", [](std::int64_t t) { return " " + std::to_string(t); }},
           {"leading-zero", [](std::int64_t t) { return "0" + std::to_string(t); }},
           {"2^64", [](std::int64_t) { return std::string("18446744073709551616"); }}}) {
    out.push_back(sig_case("N-SIG-04." + suffix, "X-Timestamp " + suffix + " form (signed as sent)", seed401, [fmt = fmt](Context& ctx, const TrustedSigner& s) {
      auto r = sign(ctx, s, kWeights, kBody);
      r.set_header(signed_http::kHdrTimestamp, fmt(SystemClock().now()));
      sign_canonical(s, r, canonical_of(r, r.method, r.path()));
      return r;
    }));
  }
  out.push_back(header_presence_case("N-SIG-04.empty", "X-Timestamp \"\"", [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, kBody);
    r.set_header(signed_http::kHdrTimestamp, "");
    return r;
  }));
  out.push_back(http_case("N-SIG-05", "the same signed request sent twice (replayed nonce)", "signed-http", seed401, {Need::signer, Need::weights},
                          [](Context& ctx, const StatusExpect& e) {
                            const auto r = sign(ctx, *ctx.sut->signer, kWeights, kBody);
                            const HttpResult first = send(ctx, r);
                            if (auto err = server_error_outcome(first)) return *err;
                            if (first.status != 200) return Outcome::blocked("the original request was refused: " + first.describe());
                            return judge_status(send(ctx, r), e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-SIG-06", "same nonce, different body, fresh valid signature", "signed-http", seed401, {Need::signer, Need::weights},
                          [](Context& ctx, const StatusExpect& e) {
                            const std::string nonce = uuid(ctx);
                            const HttpResult first = send(ctx, sign(ctx, *ctx.sut->signer, kWeights, kBody, 0, nonce));
                            if (auto err = server_error_outcome(first)) return *err;
                            if (first.status != 200) return Outcome::blocked("the original request was refused: " + first.describe());
                            return judge_status(send(ctx, sign(ctx, *ctx.sut->signer, kWeights, "{\"jobs\":[1]}", 0, nonce)), e.of(ctx.profile), {});
                          }));
  out.push_back(sig_case("N-SIG-08", "body modified after signing", seed401, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, "{\"score\":0.5}");
    r.body = to_bytes("{\"score\":0.6}");
    return r;
  }));
  out.push_back(sig_case("N-SIG-09", "body re-serialized with different whitespace", seed401, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, "{\"score\":0.5}");
    r.body = to_bytes("{\"score\": 0.5}");
    return r;
  }));
  out.push_back(sig_case("N-SIG-10", "signed with method PUT, sent as POST", seed401, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, kBody);
    sign_canonical(s, r, canonical_of(r, "PUT", r.path()));
    return r;
  }));
  for (const auto& [suffix, path] : std::vector<std::pair<std::string, std::string>>{
           {"trailing-slash", "/sdk/weights/"}, {"upper-case", "/sdk/Weights"}, {"pct-2F", "/sdk%2Fweights"}, {"api-prefix", "/api/sdk/weights"}}) {
    out.push_back(sig_case("N-SIG-11." + suffix, "signed path " + path + ", wire path /sdk/weights", seed401, [path = path](Context& ctx, const TrustedSigner& s) {
      auto r = sign(ctx, s, kWeights, kBody);
      sign_canonical(s, r, canonical_of(r, "POST", path));
      return r;
    }));
  }
  out.push_back(sig_case("N-SIG-11.query", "query ?a=1 added on the wire (not signed: accepted)", all200, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, kBody);
    r.target = kWeights + "?a=1";
    return r;
  }));
  for (const auto& [suffix, variant] : std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>{
           {"crlf", [](const std::string& c) {
              std::string o;
              for (char ch : c) o += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
              return o;
            }},
           {"trailing-lf", [](const std::string& c) { return c + "\n"; }},
           {"five-fields", [](const std::string& c) { return c.substr(0, c.rfind('\n')); }},
           {"concatenated", [](const std::string& c) {
              std::string o;
              for (char ch : c)
                if (ch != '\n') o += ch;
              return o;
            }},
           {"upper-hex", [](const std::string& c) {
              std::string o = c;
              const std::size_t a = o.find('\n', o.find('\n') + 1);
              for (std::size_t i = a + 1; i < a + 65 && i < o.size(); ++i) o[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(o[i])));
              return o;
            }}}) {
    out.push_back(sig_case("N-SIG-12." + suffix, "canonical string built with " + suffix, seed401, [variant = variant](Context& ctx, const TrustedSigner& s) {
      auto r = sign(ctx, s, kWeights, kBody);
      sign_canonical(s, r, variant(canonical_of(r, "POST", r.path())));
      return r;
    }));
  }
  out.push_back(sig_case("N-SIG-14", "X-Public-Key of another key (valid signature by that key)", seed401, [](Context& ctx, const TrustedSigner& s) {
    TrustedSigner other{s.session_token, challenge_of(ctx).rng().bytes(32)};
    auto r = sign(ctx, other, kWeights, kBody);
    return r;
  }));
  out.push_back(sig_case("N-SIG-16", "non-canonical signature S + L", seed401, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, kBody);
    r.set_header(signed_http::kHdrSignature, s_plus_l(std::string(*r.header(signed_http::kHdrSignature))));
    return r;
  }));
  out.push_back(sig_case("N-SIG-17.hex", "X-Signature in hex", seed401, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, kBody);
    r.set_header(signed_http::kHdrSignature, codec::hex_encode(*codec::b64_decode(*r.header(signed_http::kHdrSignature))));
    return r;
  }));
  out.push_back(sig_case("N-SIG-17.b64url", "X-Signature in base64url", seed401, [](Context& ctx, const TrustedSigner& s) {
    auto r = sign(ctx, s, kWeights, kBody);
    std::string sig(*r.header(signed_http::kHdrSignature));
    for (char& ch : sig) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
    while (!sig.empty() && sig.back() == '=') sig.pop_back();
    if (sig.find('-') == std::string::npos && sig.find('_') == std::string::npos) sig += "_";  // make the alphabet differ
    r.set_header(signed_http::kHdrSignature, sig);
    return r;
  }));
  out.push_back(http_case("N-SIG-18", "bad signature, then a valid request reusing its nonce", "signed-http", all200, {Need::signer, Need::weights},
                          [](Context& ctx, const StatusExpect& e) {
                            const std::string nonce = uuid(ctx);
                            auto bad = sign(ctx, *ctx.sut->signer, kWeights, kBody, 0, nonce);
                            bad.set_header(signed_http::kHdrSignature, s_plus_l(std::string(*bad.header(signed_http::kHdrSignature))));
                            if (auto err = server_error_outcome(send(ctx, bad))) return *err;
                            return judge_status(send(ctx, sign(ctx, *ctx.sut->signer, kWeights, kBody, 0, nonce)), e.of(ctx.profile), {});
                          }));
  {
    Case c = sig_case("N-SIG-19", "Content-Type application/x-encrypted+json with an envelope that does not open", StatusExpect{400, 200, {}},
                      [](Context& ctx, const TrustedSigner& s) {
                        Rng& rng = challenge_of(ctx).rng();
                        const std::string body = json::dump(Json{{"enc", "chacha20poly1305"}, {"nonce", codec::b64_encode(rng.bytes(12))},
                                                                 {"ciphertext", codec::b64_encode(rng.bytes(40))}});
                        auto r = sign(ctx, s, kWeights, body);
                        r.set_header(signed_http::kHdrContentType, signed_http::kContentTypeEncrypted);
                        return r;
                      });
    c.profiles = {Profile::seed_spec, Profile::hardened};
    out.push_back(std::move(c));
  }
  {
    Case c = http_case("N-SIG-20", "signed body larger than 16 MiB", "signed-http", StatusExpect{413, 413, {400}}, {Need::signer, Need::weights},
                       [](Context& ctx, const StatusExpect& e) {
                         const auto req = sign(ctx, *ctx.sut->signer, kWeights, "{\"p\":\"" + std::string(16u * 1024u * 1024u, 'a') + "\"}");
                         return judge_status(send_large(ctx, req), e.of(ctx.profile), e.also);
                       });
    c.exclusive = true;
    c.profiles = {Profile::seed_spec, Profile::hardened};
    out.push_back(std::move(c));
  }
  for (const auto& [suffix, nonce] : std::vector<std::pair<std::string, std::string>>{
           {"15", std::string(15, 'a')}, {"129", std::string(129, 'b')}, {"non-ascii", "nonce-\xc3\xa9-0123456789abcdef"}}) {
    out.push_back(sig_case("N-SIG-21." + suffix, "X-Nonce " + suffix, seed401,
                           [nonce = nonce](Context& ctx, const TrustedSigner& s) { return sign(ctx, s, kWeights, kBody, 0, nonce); }));
  }

  // ---- sealed credentials (§8.1)
  out.push_back(cred_case("CRED-OK", "sealed DSN {\"dsn\": ...} to the SUT's key: SDK_DB_DSN set", 200, "",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\":\"postgresql://u:p@db:5432/x\"}")); }));
  out.push_back(cred_case("N-CRED-01", "sealed of 47 bytes", 400, "credentials decrypt failed",
                          [](Context& ctx) { return cred_body(challenge_of(ctx).rng().bytes(47)); }));
  for (const auto& [suffix, at] : std::vector<std::pair<std::string, std::size_t>>{{"ephemeral-key", 3}, {"tag", 40}, {"ciphertext", 70}}) {
    out.push_back(cred_case("N-CRED-02." + suffix, "one bit flipped in the sealed box's " + suffix, 400, "credentials decrypt failed",
                            [at = at](Context& ctx) {
                              Bytes s = seal_to_sut(ctx, "{\"dsn\":\"postgresql://u:p@db:5432/x\"}");
                              s[at] ^= 0x01;
                              return cred_body(s);
                            }));
  }
  out.push_back(cred_case("N-CRED-03", "sealed to a different recipient key", 400, "credentials decrypt failed", [](Context& ctx) {
    const auto other = crypto::x25519_keypair(challenge_of(ctx).rng());
    return cred_body(*crypto::seal(other.pub, as_bytes(std::string("{\"dsn\":\"x\"}")), challenge_of(ctx).rng()));
  }));
  for (const auto& [suffix, edit] : std::vector<std::pair<std::string, Json>>{
           {"no-sealed", {{"sealed", "__erase__"}}}, {"no-challenge-name", {{"challenge_name", "__erase__"}}},
           {"no-version", {{"version", "__erase__"}}}, {"version-null", {{"version", nullptr}}}, {"challenge-name-empty", {{"challenge_name", ""}}}}) {
    out.push_back(cred_case("N-CRED-06." + suffix, "request body: " + suffix, 400, "missing fields", [edit = edit](Context& ctx) {
      return cred_body(seal_to_sut(ctx, "{\"dsn\":\"postgresql://u:p@db:5432/x\"}"), edit);
    }));
  }
  for (const auto& [suffix, plaintext] : std::vector<std::pair<std::string, std::string>>{
           {"dsn-empty", "{\"dsn\": \"\"}"}, {"no-dsn", "{\"other\": 1}"}, {"broken-json", "{broken json"}}) {
    out.push_back(cred_case("N-CRED-07." + suffix, "plaintext " + plaintext, 400, "invalid credentials payload",
                            [plaintext = plaintext](Context& ctx) { return cred_body(seal_to_sut(ctx, plaintext)); }));
  }
  out.push_back(cred_case("N-CRED-07.dsn-number", "plaintext {\"dsn\": 5}", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\": 5}")); }, {Profile::seed_spec, Profile::hardened}));
  out.push_back(cred_case("N-CRED-08", "plaintext not UTF-8 (0xff 0xfe)", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "\xff\xfe")); }));
  out.push_back(cred_case("N-CRED-09", "plaintext is a raw DSN string (accepted)", 200, "",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "postgresql://u:p@db:5432/raw")); }));
  for (int i = 0; i < 14; ++i) {
    const std::string lo(kLowOrderPoints[i]);
    out.push_back(cred_case("N-X-05." + two_digits(i + 1),
                            "sealed box whose ephemeral key is low-order point #" + std::to_string(i + 1), 400, "credentials decrypt failed",
                            [lo](Context& ctx) {
                              Bytes s = seal_to_sut(ctx, "{\"dsn\":\"x\"}");
                              const Bytes point = *codec::hex_decode(lo);
                              std::copy(point.begin(), point.end(), s.begin());
                              return cred_body(s);
                            }));
  }


  // ---- §6.8 malformed bodies, per route
  {
    const std::vector<Need> weights_needs = {Need::signer, Need::weights};
    const auto literal_body = [](std::string text) { return [text](Context&) { return text; }; };
    const std::vector<BodyCase> weights = {
        {"not-json", "body is not JSON ({\"jobs\": [ cut short)", literal_body("{\"jobs\": ["), BodyRule::reject400, BodyRule::reject4xx},
        {"empty", "empty body", literal_body(""), BodyRule::reject400, std::nullopt},
        {"array", "top-level JSON array", literal_body("[{\"jobs\": []}]"), BodyRule::reject400, BodyRule::reject4xx},
        {"string", "top-level JSON string", literal_body("\"jobs\""), BodyRule::reject400, BodyRule::reject4xx},
        {"null", "top-level JSON null", literal_body("null"), BodyRule::reject400, BodyRule::reject4xx},
        {"no-jobs", "object without jobs", literal_body("{}"), BodyRule::reject400, BodyRule::no5xx},
        {"jobs-object", "jobs is an object", literal_body("{\"jobs\": {}}"), BodyRule::reject400, BodyRule::no5xx},
        {"jobs-string", "jobs is a string", literal_body("{\"jobs\": \"[]\"}"), BodyRule::reject400, BodyRule::no5xx},
        {"jobs-null", "jobs is null", literal_body("{\"jobs\": null}"), BodyRule::reject400, BodyRule::no5xx},
        {"duplicate-member", "jobs given twice", literal_body("{\"jobs\": [], \"jobs\": []}"), BodyRule::reject400, BodyRule::no5xx},
        {"nan", "NaN inside jobs", literal_body("{\"jobs\": [NaN]}"), BodyRule::reject400, BodyRule::no5xx},
        {"depth-65", "nesting 65 deep inside jobs", literal_body("{\"jobs\": " + nested(64, "1") + "}"), BodyRule::reject400, BodyRule::no5xx},
        {"bad-utf8", "invalid UTF-8 in a string", literal_body("{\"jobs\": [\"\xff\xfe\"]}"), BodyRule::reject400, BodyRule::no5xx},
    };
    for (const auto& b : weights) out.push_back(body_case("weights", kWeights, weights_needs, b));

    const std::vector<Need> cred_needs = {Need::admin, Need::signer, Need::sealed_key};
    const std::string missing = "missing fields";
    const auto sealed_with = [](Json edit) {
      return [edit](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + unique_dsn(ctx) + "\"}"), edit); };
    };
    const std::vector<BodyCase> creds = {
        {"not-json", "body is not JSON", literal_body("{\"sealed\": "), BodyRule::reject400, BodyRule::reject400, missing},
        {"array", "top-level JSON array", literal_body("[]"), BodyRule::reject400, BodyRule::reject400, missing},
        {"sealed-number", "sealed is a number", sealed_with({{"sealed", 12345}}), BodyRule::reject400, BodyRule::reject400, missing},
        {"sealed-array", "sealed is an array", sealed_with({{"sealed", Json::array({"AAAA"})}}), BodyRule::reject400, BodyRule::reject400, missing},
        {"challenge-name-number", "challenge_name is a number", sealed_with({{"challenge_name", 5}}), BodyRule::reject400, std::nullopt, missing},
        {"version-0", "version 0 (range 1-16)", sealed_with({{"version", 0}}), BodyRule::reject400, std::nullopt, missing},
        {"version-17", "version 17 (range 1-16)", sealed_with({{"version", 17}}), BodyRule::reject400, std::nullopt, missing},
        {"version-2^64", "version 18446744073709551616", [](Context& ctx) {
           std::string b = cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + unique_dsn(ctx) + "\"}"), {{"version", "__v__"}});
           const std::string from = "\"__v__\"";
           b.replace(b.find(from), from.size(), "18446744073709551616");
           return b;
         }, BodyRule::reject400, std::nullopt, missing},
        {"version-leading-zero", "version \"01\"", sealed_with({{"version", "01"}}), BodyRule::reject400, std::nullopt, missing},
        {"version-float", "version 1.5", sealed_with({{"version", 1.5}}), BodyRule::reject400, std::nullopt, missing},
        {"version-bool", "version true", sealed_with({{"version", true}}), BodyRule::reject400, std::nullopt, missing},
        {"duplicate-member", "challenge_name given twice", [](Context& ctx) {
           std::string b = cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + unique_dsn(ctx) + "\"}"));
           b.insert(1, "\"challenge_name\":\"other\",");
           return b;
         }, BodyRule::reject400, std::nullopt, missing},
        {"oversize", "body larger than 16 MiB", [](Context&) {
           return "{\"sealed\":\"" + std::string(16u * 1024u * 1024u, 'A') + "\",\"challenge_name\":\"demo\",\"version\":1}";
         }, BodyRule::reject400, std::nullopt, std::string(), true},
    };
    for (const auto& b : creds) out.push_back(body_case("credentials", kCredentials, cred_needs, b));
  }
  // §8.1 step 5 [SEED]: DSN limits.
  out.push_back(cred_case("N-CRED-07.dsn-4097", "plaintext DSN of 4097 bytes (limit 4096)", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\":\"postgresql://" + std::string(4084, 'a') + "\"}")); },
                          {Profile::seed_spec, Profile::hardened}));
  out.push_back(cred_case("N-CRED-07.dsn-nul", "raw DSN with a NUL byte", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, std::string("postgresql://a\0b@db/x", 21))); },
                          {Profile::seed_spec, Profile::hardened}));
  // N-CRED-13: refused with a valid sealed DSN inside, and nothing stored.
  out.push_back(cred_state_case("no-challenge-name", "challenge_name missing", {{"challenge_name", "__erase__"}}, "missing fields", false));
  out.push_back(cred_state_case("challenge-name-empty", "challenge_name \"\"", {{"challenge_name", ""}}, "missing fields", false));
  out.push_back(cred_state_case("version-null", "version null", {{"version", nullptr}}, "missing fields", false));
  out.push_back(cred_state_case("no-version", "version missing", {{"version", "__erase__"}}, "missing fields", false));
  out.push_back(cred_state_case("challenge-name-number", "challenge_name 5", {{"challenge_name", 5}}, "missing fields", true));
  out.push_back(cred_state_case("version-17", "version 17", {{"version", 17}}, "missing fields", true));

  // ---- miner identity (§7.4)
  const std::string hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  out.push_back(http_case("N-TOK-15", "no identity at all on a non-read-only public route", "identity", all401, {Need::admin, Need::public_routes},
                          [](Context& ctx, const StatusExpect&) {
                            if (!is_strict(ctx.profile) && ctx.sut->sdk_dev_mode)
                              return Outcome::inapplicable("SDK_DEV_MODE=true: the SDK gives a dev identity (§7.4)");
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), {}), 401, {});
                          }));
  out.push_back(http_case("N-TOK-14", "client-supplied X-Verified-Miner-Hotkey without proxy authentication", "identity", seed401,
                          {Need::admin, Need::public_routes}, [hotkey](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), {{"X-Verified-Miner-Hotkey", hotkey}}),
                                                e.of(ctx.profile), {});
                          }));
  // §7.4 / D-37 exempt the read-only routes from identity checks; nothing requires them to exist,
  // so a 404 (identity passed, no such route) is as conformant as a 200. 401/403 is the failure.
  out.push_back(http_case("D-37", "read-only public route get_agent_status without identity", "identity", StatusExpect{200, 200, {404}},
                          {Need::admin, Need::public_routes}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, "get_agent_status", {}), 200, e.also);
                          }));
  out.push_back(http_case("TOK-OK.proxy-signed", "X-Verified-Miner-Hotkey on a request signed by the trusted proxy key", "identity", all200,
                          {Need::admin, Need::public_routes, Need::proxy_signer}, [hotkey](Context& ctx, const StatusExpect&) {
                            SystemClock clock;
                            signed_http::Signer signer(ctx.sut->proxy_signer->seed, ctx.sut->proxy_signer->session_token, std::nullopt, clock,
                                                       challenge_of(ctx).rng());
                            auto r = *signer.sign_body("GET", kPublicPrefix + ctx.sut->public_route_names.front(), {}, "application/json",
                                                       std::to_string(clock.now()), uuid(ctx));
                            r.set_header("X-Verified-Miner-Hotkey", hotkey);
                            r.remove_header(signed_http::kHdrContentType);
                            net::Headers headers(r.headers.begin(), r.headers.end());
                            const HttpResult hr = http_result(
                                "GET " + r.target,
                                net::http_request(challenge_of(ctx).http_base(), "GET", r.target, headers, "", Millis(ctx.timeout.count() * 2)));
                            Outcome o = judge_status(hr, 200, {});
                            if (o.verdict == Verdict::pass && hr.body.find(hotkey) == std::string::npos)
                              return Outcome::fail("200 but the hotkey is not in token_info: " + hr.describe(), "HTTP 200 with token_info.miner_hotkey");
                            return o;
                          }));
  out.push_back(http_case("TOK-OK.miner-token", "valid MinerToken in X-Miner-Token with matching X-Verified-* headers", "identity", all200,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect&) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300))), 200, {});
                          }));
  out.push_back(http_case("N-TOK-06.alg-none", "X-Miner-Token with alg \"none\" and an empty signature", "identity", seed401,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300, "none"))),
                                                e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-TOK-07.other-key", "X-Miner-Token signed by another key", "identity", seed401,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            const Bytes other = challenge_of(ctx).rng().bytes(32);
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300, "", other))),
                                                e.of(ctx.profile), {});
                          }));
  // §12.7 N-TOK-12: one claim wrong at a time, the token otherwise valid and correctly signed.
  for (const auto& [suffix, title, edit] : std::vector<std::tuple<std::string, std::string, std::function<void(miner_token::MinerClaims&)>>>{
           {"iss", "iss of an unknown issuer", [](miner_token::MinerClaims& c) { c.iss = c.iss + "-other"; }},
           {"aud", "aud and challenge_id of another challenge", [](miner_token::MinerClaims& c) {
              c.aud = c.aud + "_other";
              c.challenge_id = c.aud;
            }},
           {"challenge-id", "challenge_id different from aud (aud correct)",
            [](miner_token::MinerClaims& c) { c.challenge_id = c.challenge_id + "_other"; }}}) {
    out.push_back(http_case("N-TOK-12." + suffix, "X-Miner-Token with " + title, "identity", seed401,
                            {Need::admin, Need::public_routes, Need::token_issuer}, [edit = edit](Context& ctx, const StatusExpect& e) {
                              return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300, "", {}, edit))),
                                                  e.of(ctx.profile), {});
                            }));
  }
  out.push_back(http_case("N-TOK-13", "the same X-Miner-Token (same jti) presented twice", "identity", seed401,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            const auto headers = token_headers(token(ctx, 300));
                            const HttpResult first = get_public(ctx, ctx.sut->public_route_names.front(), headers);
                            if (auto err = server_error_outcome(first)) return *err;
                            if (first.status != 200) return Outcome::blocked("the first presentation was refused: " + first.describe());
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), headers), e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-TOK-01", "expired X-Miner-Token (exp 60 s in the past, beyond the 30 s leeway)", "identity", seed401,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, -60))),
                                                e.of(ctx.profile), {});
                          }));
  return out;
}

}  // namespace pnc::conf
