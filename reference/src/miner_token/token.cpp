// MinerToken issue/verify (PROTOCOL.md §7.1-7.2) and the jti replay cache.
#include <string>
#include <string_view>
#include <utility>

#include "pnc/codec.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/secret.hpp"
#include "pnc/testing/faults.hpp"

namespace pnc::miner_token {
namespace {

using json::Json;

// Number of Unicode code points of valid UTF-8 text (JSON strings are valid UTF-8 here).
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// §0.3 decimal string: digits only, no leading zero except "0".
bool is_decimal(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return s.size() == 1 || s[0] != '0';
}

bool lifetime_ok(std::int64_t iat, std::int64_t exp) {
  if (exp <= iat) return false;
  // exp > iat, so the unsigned difference is exact even when the signed one would overflow.
  return static_cast<std::uint64_t>(exp) - static_cast<std::uint64_t>(iat) <=
         static_cast<std::uint64_t>(kMaxLifetime);
}

// The format rules of the §7.1 claim table that do not depend on time or configuration.
Status check_claim_formats(const MinerClaims& c) {
  std::size_t hk = code_points(c.miner_hotkey);
  if (hk < 1 || hk > 64) return make_error(kBadClaims, "MinerToken: miner_hotkey must be 1-64 chars");
  if (!c.uid.empty() && !is_decimal(c.uid))
    return make_error(kBadClaims, "MinerToken: uid must be a decimal string or empty");
  std::size_t jti = code_points(c.jti);
  if (jti < 16 || jti > 128) return make_error(kBadClaims, "MinerToken: jti must be 16-128 chars");
  return {};
}

Result<MinerClaims> parse_claims(const Json& p) {
  MinerClaims c;
  struct StringClaim {
    const char* name;
    std::string* out;
  };
  const StringClaim strings[] = {{"iss", &c.iss},         {"aud", &c.aud},
                                 {"miner_hotkey", &c.miner_hotkey}, {"uid", &c.uid},
                                 {"job_id", &c.job_id},   {"challenge_id", &c.challenge_id},
                                 {"job_type", &c.job_type}, {"jti", &c.jti}};
  for (const auto& s : strings) {
    auto v = json::get_string(p, s.name);
    if (!v) return make_error(kBadClaims, "MinerToken: " + v.error().message);
    *s.out = std::move(*v);
  }
  auto iat = json::get_int(p, "iat");
  if (!iat) return make_error(kBadClaims, "MinerToken: " + iat.error().message);
  auto exp = json::get_int(p, "exp");
  if (!exp) return make_error(kBadClaims, "MinerToken: " + exp.error().message);
  c.iat = *iat;
  c.exp = *exp;
  if (json::has(p, "nbf")) {
    auto nbf = json::get_int(p, "nbf");
    if (!nbf) return make_error(kBadClaims, "MinerToken: " + nbf.error().message);
    c.nbf = *nbf;
  }
  if (auto st = check_claim_formats(c); !st) return st.error();
  return c;
}

// nlohmann's strict dump throws on invalid UTF-8; caught here so nothing crosses the API.
Result<std::string> dump_strict(const Json& j) {
  try {
    return j.dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::exception&) {
    return make_error(kBadClaims, "MinerToken: claim strings must be valid UTF-8");
  }
}

Json claims_object(const MinerClaims& c) {
  Json p = Json::object();  // std::map-backed: members serialise in sorted order (V9)
  p["iss"] = c.iss;
  p["aud"] = c.aud;
  p["miner_hotkey"] = c.miner_hotkey;
  p["uid"] = c.uid;
  p["job_id"] = c.job_id;
  p["challenge_id"] = c.challenge_id;
  p["job_type"] = c.job_type;
  p["iat"] = c.iat;
  p["exp"] = c.exp;
  if (c.nbf) p["nbf"] = *c.nbf;
  p["jti"] = c.jti;
  return p;
}

Json header_object(const std::optional<std::string>& kid) {
  Json h = Json::object();
  h["alg"] = "EdDSA";
  h["typ"] = "MinerToken";
  if (kid) h["kid"] = *kid;
  return h;
}

}  // namespace

TokenInfo token_info(const MinerClaims& c) {
  return TokenInfo{c.uid, c.miner_hotkey, c.job_id, c.challenge_id, c.job_type};
}

json::Json to_json(const TokenInfo& i) {
  return Json{{"uid", i.uid},
              {"miner_hotkey", i.miner_hotkey},
              {"job_id", i.job_id},
              {"challenge_id", i.challenge_id},
              {"job_type", i.job_type}};
}

std::string claims_json(const MinerClaims& claims) { return json::dump(claims_object(claims)); }

std::string header_json(const std::optional<std::string>& kid) {
  return json::dump(header_object(kid));
}

Result<std::string> sign_compact(std::string_view header_text, std::string_view payload_text,
                                 ByteView issuer_seed32) {
  if (issuer_seed32.size() != crypto::kEd25519SeedBytes)
    return make_error(kBadSeed, "MinerToken: issuer seed must be 32 bytes");
  std::string signing_input =
      codec::b64url_encode(as_bytes(header_text)) + "." + codec::b64url_encode(as_bytes(payload_text));
  auto sig = crypto::ed25519_sign(issuer_seed32, as_bytes(signing_input));
  return signing_input + "." + codec::b64url_encode(sig);
}

namespace {
// issue() up to the signature: the claims checked and serialized, the header serialized.
Result<std::pair<std::string, std::string>> issue_texts(const MinerClaims& claims,
                                                        const std::optional<std::string>& kid) {
  if (auto st = check_claim_formats(claims); !st) return st.error();
  if (claims.challenge_id != claims.aud)
    return make_error(kChallengeMismatch, "MinerToken: challenge_id must equal aud");
  if (!lifetime_ok(claims.iat, claims.exp))
    return make_error(kBadLifetime, "MinerToken: need iat < exp <= iat + 3600");
  auto payload = dump_strict(claims_object(claims));
  if (!payload) return payload.error();
  auto header = dump_strict(header_object(kid));
  if (!header) return make_error(kBadHeader, "MinerToken: kid must be valid UTF-8");
  return std::pair{std::move(*header), std::move(*payload)};
}
}  // namespace

Result<std::string> issue(const MinerClaims& claims, ByteView issuer_seed32,
                          const std::optional<std::string>& kid) {
  if (issuer_seed32.size() != crypto::kEd25519SeedBytes)
    return make_error(kBadSeed, "MinerToken: issuer seed must be 32 bytes");
  auto texts = issue_texts(claims, kid);
  if (!texts) return texts.error();
  return sign_compact(texts->first, texts->second, issuer_seed32);
}

Result<std::string> issue(const MinerClaims& claims, const crypto::Ed25519KeyPair& issuer_key,
                          const std::optional<std::string>& kid) {
  auto texts = issue_texts(claims, kid);
  if (!texts) return texts.error();
  std::string signing_input =
      codec::b64url_encode(as_bytes(texts->first)) + "." + codec::b64url_encode(as_bytes(texts->second));
  const auto sig = crypto::ed25519_sign(issuer_key, as_bytes(signing_input));
  return signing_input + "." + codec::b64url_encode(sig);
}

// ---- Replay cache ----

void JtiReplayCache::purge_locked(std::int64_t now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second < now)
      it = entries_.erase(it);
    else
      ++it;
  }
}

Status JtiReplayCache::check_and_insert(std::string_view jti, std::int64_t keep_until,
                                        std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(jti);
  if (it != entries_.end()) {
    if (it->second >= now) return make_error(kReplayed, "MinerToken: jti already used");
    entries_.erase(it);  // expired entry: the token it guarded can no longer pass step 6
  }
  if (entries_.size() >= capacity_) purge_locked(now);
  if (entries_.size() >= capacity_)
    return make_error(kReplayCacheFull, "MinerToken: replay cache full, token refused");
  entries_.emplace(std::string(jti), keep_until);
  return {};
}

std::size_t JtiReplayCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

// ---- Verification ----

Result<MinerClaims> verify(std::string_view token, const VerifierConfig& cfg, const Clock& clock) {
  // 1. Shape.
  if (token.size() > kMaxTokenBytes)
    return make_error(kTooLong, "MinerToken: longer than 4096 bytes");
  std::size_t d1 = token.find('.');
  std::size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos ||
      token.find('.', d2 + 1) != std::string_view::npos)
    return make_error(kMalformed, "MinerToken: expected exactly two '.'");
  std::string_view seg_h = token.substr(0, d1);
  std::string_view seg_p = token.substr(d1 + 1, d2 - d1 - 1);
  std::string_view seg_s = token.substr(d2 + 1);
  const auto& faults = testing::active(cfg.faults);
  // (an unsigned "none" token ends in an empty segment: the accept_alg_none fault lets it in)
  if (seg_h.empty() || seg_p.empty() || (seg_s.empty() && !faults.accept_alg_none))
    return make_error(kMalformed, "MinerToken: empty segment");

  // 2. Canonical B64URL, every segment.
  auto header_bytes = codec::b64url_decode(seg_h);
  auto payload_bytes = codec::b64url_decode(seg_p);
  auto sig = codec::b64url_decode(seg_s);
  if (!header_bytes || !payload_bytes || !sig)
    return make_error(kBadEncoding, "MinerToken: segment is not canonical base64url");

  // 3. Header.
  auto header = json::parse_object(to_string(*header_bytes), Profile::seed_spec);
  if (!header) return make_error(kBadHeader, "MinerToken: header is not a valid JSON object");
  auto alg = json::get_string(*header, "alg");
  // The accept_alg_none fault trusts the token's own "none": no header or signature check.
  const bool unsigned_accepted = faults.accept_alg_none && alg && *alg == "none";
  if (!unsigned_accepted) {
    if (!alg || *alg != "EdDSA") return make_error(kBadAlg, "MinerToken: alg must be \"EdDSA\"");
    auto typ = json::get_string(*header, "typ");
    if (!typ || *typ != "MinerToken") return make_error(kBadTyp, "MinerToken: typ must be \"MinerToken\"");
    if (json::has(*header, "crit")) return make_error(kCrit, "MinerToken: crit is not supported");
    if (json::has(*header, "kid") && !json::get_string(*header, "kid"))
      return make_error(kBadHeader, "MinerToken: kid must be a string");

    // 4. Signature, with the configured key only.
    if (sig->size() != crypto::kEd25519SignatureBytes)
      return make_error(kBadSignature, "MinerToken: signature must be 64 bytes");
    std::string_view signing_input = token.substr(0, d2);
    if (!crypto::ed25519_verify(cfg.issuer_public_key, as_bytes(signing_input), *sig))
      return make_error(kBadSignature, "MinerToken: signature does not verify");
  }  // steps 3-4

  // 5. Claims.
  // (the lenient_claims_json fault reads the payload with the last-wins reader)
  auto payload = json::parse_object(to_string(*payload_bytes),
                                    faults.lenient_claims_json ? Profile::sdk_compat : Profile::seed_spec);
  if (!payload) return make_error(kBadPayload, "MinerToken: payload is not a valid JSON object");
  auto claims = parse_claims(*payload);
  if (!claims) return claims.error();
  const MinerClaims& c = *claims;

  // 6. Time.
  const std::int64_t now = clock.now();
  const std::int64_t lw = cfg.leeway;
  if (!faults.skip_expiry && c.exp <= sat_sub(now, lw)) return make_error(kExpired, "MinerToken: expired");
  if (!faults.skip_iat_future && c.iat > sat_add(now, lw))
    return make_error(kIssuedInFuture, "MinerToken: iat in the future");
  if (c.nbf && *c.nbf > sat_add(now, lw))
    return make_error(kNotYetValid, "MinerToken: not yet valid (nbf)");
  // (the skip_max_lifetime fault keeps only iat < exp)
  if (faults.skip_max_lifetime ? c.exp <= c.iat : !lifetime_ok(c.iat, c.exp))
    return make_error(kBadLifetime, "MinerToken: need iat < exp <= iat + 3600");

  // 7. Configuration.
  if (c.iss != cfg.issuer) return make_error(kBadIssuer, "MinerToken: unknown issuer");
  if (!faults.skip_audience) {
    if (c.aud != cfg.audience) return make_error(kBadAudience, "MinerToken: wrong audience");
    if (c.challenge_id != cfg.audience)
      return make_error(kChallengeMismatch, "MinerToken: challenge_id does not match");
  }

  // 8. Replay: kept until the token can no longer pass step 6.
  if (cfg.replay_cache && !faults.skip_replay_cache) {
    auto st = cfg.replay_cache->check_and_insert(c.jti, sat_add(c.exp, lw), now);
    if (!st) return st.error();
  }
  return claims;
}

HttpReply unauthorized(const Error& error) {
  return HttpReply{401, json::dump(Json{{"error", error.code}})};
}

}  // namespace pnc::miner_token
