// Challenge-side identity for /sdk/public/{name} (PROTOCOL.md §7.4, D-23, D-37).
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "pnc/miner_token.hpp"
#include "pnc/testing/faults.hpp"

namespace pnc::miner_token {
namespace {

constexpr std::string_view kVerifiedHotkey = "X-Verified-Miner-Hotkey";
constexpr std::string_view kVerifiedUid = "X-Verified-Miner-Uid";
constexpr std::string_view kJobId = "X-Job-Id";
constexpr std::string_view kMinerHotkey = "X-Miner-Hotkey";
constexpr std::string_view kMinerToken = "X-Miner-Token";
constexpr std::string_view kVerifiedPrefix = "X-Verified-";

constexpr const char* kMissingDetail =
    "Missing X-Verified-Miner-Hotkey header. Requests must be proxied through platform-api with "
    "signature verification.";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

struct Lookup {
  std::size_t count = 0;
  std::string first;  // value of the first occurrence (Starlette's headers.get)
};

Lookup find(const Headers& headers, std::string_view name) {
  Lookup l;
  for (const auto& [k, v] : headers) {
    if (!iequals(k, name)) continue;
    if (l.count++ == 0) l.first = v;
  }
  return l;
}

// A header counts as present only with a non-empty value (the SDK tests truthiness).
std::string value_or(const Headers& h, std::string_view name, std::string_view fallback) {
  Lookup l = find(h, name);
  return l.first.empty() ? std::string(fallback) : l.first;
}

bool present(const Headers& h, std::string_view name) { return !find(h, name).first.empty(); }

std::string challenge_or(const IdentityOptions& o, std::string_view fallback) {
  return (o.challenge_id && !o.challenge_id->empty()) ? *o.challenge_id : std::string(fallback);
}

// Rows 2-4 of the §7.4 table, shared by all profiles. `honour_job_id` is false on a
// seed-spec request that is not proxy-authenticated (X-Job-Id is then ignored).
Result<TokenInfo> fallback_rows(std::string_view route, const Headers& h, bool dev_mode,
                                const IdentityOptions& o, bool honour_job_id) {
  std::string job_id = honour_job_id ? value_or(h, kJobId, "") : std::string();
  if (is_read_only_route(route))
    return TokenInfo{"public-readonly-uid", value_or(h, kMinerHotkey, "public"), job_id,
                     challenge_or(o, "challenge"), ""};
  if (dev_mode)
    return TokenInfo{"dev-uid", value_or(h, kMinerHotkey, "dev-miner"), job_id,
                     challenge_or(o, "dev-challenge"), ""};
  return make_error(kIdMissing, kMissingDetail);
}

Result<TokenInfo> resolve_compat(std::string_view route, const Headers& h, bool dev_mode,
                                 const IdentityOptions& o) {
  // (quirk, D-23) anyone reaching the port can set this header.
  if (present(h, kVerifiedHotkey))
    return TokenInfo{"verified-uid", value_or(h, kVerifiedHotkey, ""), value_or(h, kJobId, ""),
                     challenge_or(o, "challenge"), ""};
  return fallback_rows(route, h, dev_mode, o, true);
}

// The X-Verified-* headers the proxy injected must agree with the token it forwarded.
Status check_matches(const Headers& h, const MinerClaims& c) {
  const std::array<std::pair<std::string_view, const std::string*>, 3> pairs{
      {{kVerifiedHotkey, &c.miner_hotkey}, {kVerifiedUid, &c.uid}, {kJobId, &c.job_id}}};
  for (const auto& [name, claim] : pairs) {
    Lookup l = find(h, name);
    if (l.count > 0 && l.first != *claim)
      return make_error(kIdHeaderMismatch, std::string(name) + " does not match the MinerToken");
  }
  return {};
}

Result<TokenInfo> resolve_strict(std::string_view route, const Headers& h, bool dev_mode,
                                 const IdentityOptions& o) {
  // A repeated identity header is ambiguous: refuse rather than pick one.
  for (std::string_view name : {kVerifiedHotkey, kVerifiedUid, kJobId, kMinerHotkey, kMinerToken})
    if (find(h, name).count > 1)
      return make_error(kIdDuplicateHeader, std::string(name) + " appears more than once");

  Lookup token = find(h, kMinerToken);
  if (token.count > 0) {
    if (o.token_verifier == nullptr)
      return make_error(kIdNoVerifier, "X-Miner-Token present but no verifier configured");
    SystemClock system_clock;
    const Clock& clock = o.clock ? *o.clock : static_cast<const Clock&>(system_clock);
    auto claims = verify(token.first, *o.token_verifier, clock);
    if (!claims) return claims.error();
    if (auto st = check_matches(h, *claims); !st) return st.error();
    return token_info(*claims);
  }

  const bool authenticated =
      o.authenticated_by_signed_request || testing::active(o.faults).trust_verified_headers;
  if (authenticated && present(h, kVerifiedHotkey))
    return TokenInfo{value_or(h, kVerifiedUid, "verified-uid"), value_or(h, kVerifiedHotkey, ""),
                     value_or(h, kJobId, ""), challenge_or(o, "challenge"), ""};
  if (!authenticated) {
    for (const auto& kv : h)
      if (istarts_with(kv.first, kVerifiedPrefix))
        return make_error(kIdUnauthenticated,
                          "X-Verified-* headers on a request not authenticated as the proxy");
  }
  return fallback_rows(route, h, dev_mode, o, authenticated);
}

}  // namespace

bool is_read_only_route(std::string_view name) {
  return name == "get_agent_status" || name == "list_agents" || name == "list_agent_jobs";
}

Result<TokenInfo> resolve_identity(Profile profile, std::string_view route_name,
                                   const Headers& headers, bool dev_mode,
                                   const IdentityOptions& options) {
  auto info = is_strict(profile) ? resolve_strict(route_name, headers, dev_mode, options)
                                 : resolve_compat(route_name, headers, dev_mode, options);
  if (!info) return info;
  // Identity first, then the handler lookup (the SDK's order).
  if (std::find(options.routes.begin(), options.routes.end(), route_name) == options.routes.end())
    return make_error(kIdUnknownRoute, "public handler not found");
  return info;
}

Headers proxy_forward_headers(const Headers& client_headers, const MinerClaims& claims,
                              std::string_view token) {
  Headers out;
  for (const auto& kv : client_headers) {
    if (istarts_with(kv.first, kVerifiedPrefix) || iequals(kv.first, kMinerToken) ||
        iequals(kv.first, kJobId))
      continue;
    out.push_back(kv);
  }
  out.emplace_back(kVerifiedHotkey, claims.miner_hotkey);
  out.emplace_back(kVerifiedUid, claims.uid);
  out.emplace_back(kJobId, claims.job_id);
  out.emplace_back(kMinerToken, token);
  return out;
}

HttpReply identity_error_reply(const Error& error) {
  if (error.code == kIdUnknownRoute)
    return HttpReply{404, json::dump(json::Json{{"detail", "public handler not found"}})};
  if (error.code == kIdMissing) return HttpReply{401, json::dump(json::Json{{"detail", kMissingDetail}})};
  return unauthorized(error);
}

}  // namespace pnc::miner_token
