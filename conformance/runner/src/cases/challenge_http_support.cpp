#include "cases/challenge_http_support.hpp"

#include <cstdlib>

#include "cases/challenge_session.hpp"
#include "cases/text.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/net/tcp_client.hpp"

namespace pnc::conf {

using json::Json;

namespace {

Bytes recipient_public(Profile p, const Bytes& key_seed) {
  // seed-spec / sdk-compat: the Ed25519 key whose seed is SDK_EPHEMERAL_SK_B64 (sealing converts
  // it); hardened: SDK_EPHEMERAL_SK_B64 holds the X25519 secret itself (D-24).
  const auto pub = p == Profile::hardened ? crypto::x25519_from_secret(key_seed).pub : crypto::ed25519_from_seed(key_seed).pub;
  return Bytes(pub.begin(), pub.end());
}

}  // namespace

HttpResult send_request(Context& ctx, const signed_http::HttpRequest& req) {
  net::Headers headers(req.headers.begin(), req.headers.end());
  return http_result(req.method + " " + req.target,
                     net::http_request(challenge_of(ctx).http_base(), req.method, req.target, headers,
                                       pnc::to_string(ByteView(req.body)), Millis(ctx.timeout.count() * 2)));
}

HttpResult send_large_request(Context& ctx, const signed_http::HttpRequest& req) {
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

std::string fresh_uuid(Context& ctx) { return challenge_of(ctx).rng().uuid_v4(); }

signed_http::HttpRequest signed_request(Context& ctx, const TrustedSigner& who, const std::string& target, std::string body,
                                        std::int64_t skew, std::optional<std::string> nonce) {
  SystemClock clock;
  signed_http::SignerOptions options;
  options.profile = ctx.profile;
  signed_http::Signer signer(who.seed, who.session_token, std::nullopt, clock, challenge_of(ctx).rng(), options);
  auto req = signer.sign_body("POST", target, to_bytes(body), signed_http::kContentTypeJson,
                              std::to_string(clock.now() + skew), nonce ? *nonce : fresh_uuid(ctx));
  return std::move(*req);
}

Outcome judge_status(const HttpResult& r, int want, const std::set<int>& also, const std::string& detail) {
  std::string expected = "HTTP " + std::to_string(want);
  for (int a : also) expected += " (or " + std::to_string(a) + ")";
  if (!detail.empty()) expected += " {\"detail\": \"" + detail + "\"}";
  if (auto unjudged = blocked_or_server_error(r)) return *unjudged;
  if (!r.error.empty()) return Outcome::fail(r.describe(), expected);
  if (r.status != want && !also.count(r.status)) return Outcome::fail(r.describe(), expected);
  if (!detail.empty()) {
    auto doc = json::parse(r.body, Profile::sdk_compat);
    if (!doc || string_member(*doc, "detail") != detail) return Outcome::fail("wrong detail: " + r.describe(), expected);
  }
  return Outcome::pass(r.describe());
}

Case http_case(std::string id, std::string title, Mechanism mechanism, StatusExpect e, std::vector<Need> needs,
               std::function<Outcome(Context&, const StatusExpect&)> run) {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = mechanism;
  c.target = Target::challenge;
  c.needs = std::move(needs);
  for (Profile p : kProfiles) {
    std::string words = "HTTP " + std::to_string(e.of(p));
    for (int a : e.also) words += " (or " + std::to_string(a) + ")";
    c.expected[p] = words;
  }
  c.run = [e, run](Context& ctx) { return run(ctx, e); };
  return c;
}

Bytes seal_to_sut(Context& ctx, std::string_view plaintext) {
  auto sealed = credentials::seal_credentials(ctx.profile, recipient_public(ctx.profile, *ctx.sut->sealed_key_seed), plaintext,
                                              challenge_of(ctx).rng());
  return std::move(*sealed);
}

std::string cred_body(const Bytes& sealed, Json extra) {
  Json b = {{"sealed", codec::b64_encode(sealed)}, {"challenge_name", "demo"}, {"version", 1}};
  for (auto& [k, v] : extra.items()) {
    if (v.is_string() && v.get<std::string>() == "__erase__") b.erase(k);
    else b[k] = v;
  }
  return json::dump(b);
}

// A DSN no other case stores: its SHA-256 identifies this case's request among concurrent ones.
std::string unique_dsn(Context& ctx) { return "postgresql://u:p@db:5432/case-" + fresh_uuid(ctx); }

}  // namespace pnc::conf
