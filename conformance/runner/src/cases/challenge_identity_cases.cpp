// Target "challenge", the miner identity of /sdk/public/{name} (§7.4, §12.7, D-37): no identity,
// client-supplied identity headers, the trusted proxy's signature, MinerTokens valid or wrong in
// one claim, replayed or expired.
#include <functional>
#include <tuple>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/challenge_http_support.hpp"
#include "cases/challenge_session.hpp"
#include "cases/http_result.hpp"
#include "cases/text.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::conf {

namespace {

using json::Json;

const std::string kPublicPrefix = "/sdk/public/";
// The miner hotkey the identity headers claim.
const std::string kMinerHotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

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
  return {{"X-Miner-Token", tok}, {"X-Verified-Miner-Hotkey", kMinerHotkey}, {"X-Verified-Miner-Uid", "7"}};
}

}  // namespace

// Miner identity on the public routes (§7.4, §12.7).
std::vector<Case> identity_cases() {
  std::vector<Case> out;
  out.push_back(http_case("N-TOK-15", "no identity at all on a non-read-only public route", Mechanism::identity, kAll401, {Need::admin, Need::public_routes},
                          [](Context& ctx, const StatusExpect& e) {
                            if (!is_strict(ctx.profile) && ctx.sut->sdk_dev_mode)
                              return Outcome::inapplicable("SDK_DEV_MODE=true: the SDK gives a dev identity (§7.4)");
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), {}), e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-TOK-14", "client-supplied X-Verified-Miner-Hotkey without proxy authentication", Mechanism::identity, kStrict401Compat200,
                          {Need::admin, Need::public_routes}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), {{"X-Verified-Miner-Hotkey", kMinerHotkey}}),
                                                e.of(ctx.profile), {});
                          }));
  // §7.4 / D-37 exempt the read-only routes from identity checks; nothing requires them to exist,
  // so a 404 (identity passed, no such route) is as conformant as a 200. 401/403 is the failure.
  out.push_back(http_case("D-37", "read-only public route get_agent_status without identity", Mechanism::identity, StatusExpect{200, 200, {404}},
                          {Need::admin, Need::public_routes}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, "get_agent_status", {}), e.of(ctx.profile), e.also);
                          }));
  out.push_back(http_case("TOK-OK.proxy-signed", "X-Verified-Miner-Hotkey on a request signed by the trusted proxy key", Mechanism::identity, kAll200,
                          {Need::admin, Need::public_routes, Need::proxy_signer}, [](Context& ctx, const StatusExpect& e) {
                            SystemClock clock;
                            signed_http::Signer signer(ctx.sut->proxy_signer->seed, ctx.sut->proxy_signer->session_token, std::nullopt, clock,
                                                       challenge_of(ctx).rng());
                            auto r = *signer.sign_body("GET", kPublicPrefix + ctx.sut->public_route_names.front(), {}, "application/json",
                                                       std::to_string(clock.now()), fresh_uuid(ctx));
                            r.set_header("X-Verified-Miner-Hotkey", kMinerHotkey);
                            r.remove_header(signed_http::kHdrContentType);
                            net::Headers headers(r.headers.begin(), r.headers.end());
                            const HttpResult hr = http_result(
                                "GET " + r.target,
                                net::http_request(challenge_of(ctx).http_base(), "GET", r.target, headers, "", Millis(ctx.timeout.count() * 2)));
                            Outcome o = judge_status(hr, e.of(ctx.profile), {});
                            if (o.verdict == Verdict::pass && hr.body.find(kMinerHotkey) == std::string::npos)
                              return Outcome::fail("200 but the hotkey is not in token_info: " + hr.describe(), "HTTP 200 with token_info.miner_hotkey");
                            return o;
                          }));
  out.push_back(http_case("TOK-OK.miner-token", "valid MinerToken in X-Miner-Token with matching X-Verified-* headers", Mechanism::identity, kAll200,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300))),
                                                e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-TOK-06.alg-none", "X-Miner-Token with alg \"none\" and an empty signature", Mechanism::identity, kStrict401Compat200,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300, "none"))),
                                                e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-TOK-07.other-key", "X-Miner-Token signed by another key", Mechanism::identity, kStrict401Compat200,
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
    out.push_back(http_case("N-TOK-12." + suffix, "X-Miner-Token with " + title, Mechanism::identity, kStrict401Compat200,
                            {Need::admin, Need::public_routes, Need::token_issuer}, [edit = edit](Context& ctx, const StatusExpect& e) {
                              return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, 300, "", {}, edit))),
                                                  e.of(ctx.profile), {});
                            }));
  }
  out.push_back(http_case("N-TOK-13", "the same X-Miner-Token (same jti) presented twice", Mechanism::identity, kStrict401Compat200,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            const auto headers = token_headers(token(ctx, 300));
                            const HttpResult first = get_public(ctx, ctx.sut->public_route_names.front(), headers);
                            if (auto err = server_error_outcome(first)) return *err;
                            if (first.status != 200) return Outcome::blocked("the first presentation was refused: " + first.describe());
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), headers), e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-TOK-01", "expired X-Miner-Token (exp 60 s in the past, beyond the 30 s leeway)", Mechanism::identity, kStrict401Compat200,
                          {Need::admin, Need::public_routes, Need::token_issuer}, [](Context& ctx, const StatusExpect& e) {
                            return judge_status(get_public(ctx, ctx.sut->public_route_names.front(), token_headers(token(ctx, -60))),
                                                e.of(ctx.profile), {});
                          }));
  return out;
}

}  // namespace pnc::conf
