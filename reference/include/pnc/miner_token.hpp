// MinerToken (PROTOCOL.md §7): the [SEED] Ed25519-signed compact token a proxy verifies for
// miners' public requests, its bounded jti replay cache, and the challenge-side resolution of
// the injected miner identity (§7.4) for every profile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pnc/clock.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct MinerTokenFaults;
}  // namespace pnc::testing

namespace pnc::miner_token {

// ---- Reason codes (Error::code; also the `error` member of the 401 body) ----
// §7.2 step 1
inline constexpr const char* kTooLong = "token.too_long";        // > 4096 bytes
inline constexpr const char* kMalformed = "token.malformed";     // not 3 non-empty segments
// step 2
inline constexpr const char* kBadEncoding = "token.bad_encoding";  // a segment is not canonical B64URL
// step 3
inline constexpr const char* kBadHeader = "token.bad_header";    // not a strict JSON object / kid not a string
inline constexpr const char* kBadAlg = "token.bad_alg";          // alg missing or != "EdDSA"
inline constexpr const char* kBadTyp = "token.bad_typ";          // typ missing or != "MinerToken"
inline constexpr const char* kCrit = "token.crit";               // a crit member is present
// step 4
inline constexpr const char* kBadSignature = "token.bad_signature";  // not 64 bytes / does not verify
// step 5
inline constexpr const char* kBadPayload = "token.bad_payload";  // not a strict JSON object
inline constexpr const char* kBadClaims = "token.bad_claims";    // claim missing, wrong type or format
// step 6
inline constexpr const char* kExpired = "token.expired";          // exp <= now - leeway
inline constexpr const char* kIssuedInFuture = "token.iat_in_future";  // iat > now + leeway
inline constexpr const char* kNotYetValid = "token.not_yet_valid";     // nbf > now + leeway
inline constexpr const char* kBadLifetime = "token.bad_lifetime";      // exp <= iat or exp - iat > 3600
// step 7
inline constexpr const char* kBadIssuer = "token.bad_issuer";
inline constexpr const char* kBadAudience = "token.bad_audience";          // aud != configured
inline constexpr const char* kChallengeMismatch = "token.challenge_mismatch";  // challenge_id != configured
// step 8
inline constexpr const char* kReplayed = "token.replayed";
inline constexpr const char* kReplayCacheFull = "token.replay_cache_full";  // fail closed
// issue()
inline constexpr const char* kBadSeed = "token.bad_seed";

inline constexpr std::size_t kMaxTokenBytes = 4096;
inline constexpr std::int64_t kMaxLifetime = 3600;
inline constexpr std::int64_t kDefaultLeeway = 30;

// The §7.1 claims. `nbf` is optional; unknown claims are not represented (ignored on input).
struct MinerClaims {
  std::string iss;
  std::string aud;
  std::string miner_hotkey;
  std::string uid;
  std::string job_id;
  std::string challenge_id;
  std::string job_type;
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  std::optional<std::int64_t> nbf;
  std::string jti;
};

// The SDK's request.state.token_info (§7.1, §7.4).
struct TokenInfo {
  std::string uid;
  std::string miner_hotkey;
  std::string job_id;
  std::string challenge_id;
  std::string job_type;
  bool operator==(const TokenInfo&) const = default;
};
TokenInfo token_info(const MinerClaims& claims);
json::Json to_json(const TokenInfo& info);

// ---- Issuing ----

// The payload JSON exactly as signed: compact, members in sorted order (V9 form).
std::string claims_json(const MinerClaims& claims);
// The header JSON: {"alg":"EdDSA",["kid":...,]"typ":"MinerToken"} compact, sorted.
std::string header_json(const std::optional<std::string>& kid = std::nullopt);
// Checks the static §7.1 rules (formats, iat < exp <= iat + 3600, challenge_id == aud), then
// signs. Fails with kBadClaims / kBadLifetime / kBadSeed; never emits a token that §7.2 rejects
// for its own content.
Result<std::string> issue(const MinerClaims& claims, ByteView issuer_seed32,
                          const std::optional<std::string>& kid = std::nullopt);
// The same with the issuer key pair derived once (crypto::ed25519_from_seed), as a long-lived
// issuer holds it: no public-key derivation per token.
Result<std::string> issue(const MinerClaims& claims, const crypto::Ed25519KeyPair& issuer_key,
                          const std::optional<std::string>& kid = std::nullopt);
// Low level: B64URL(header) "." B64URL(payload) "." B64URL(Ed25519(seed, signing input)) for
// arbitrary header/payload bytes, without any check (tools, negative tests). kBadSeed if the
// seed is not 32 bytes.
Result<std::string> sign_compact(std::string_view header_json_text,
                                 std::string_view payload_json_text, ByteView issuer_seed32);

// ---- Replay cache (§7.2 step 8) ----

// Remembers each accepted jti until exp + leeway (the last second at which the token could
// still pass step 6). Bounded: when full, expired entries are purged first; if it is still
// full, new tokens are refused (kReplayCacheFull) rather than evicting live entries, because
// eviction would re-open a replay window. Thread-safe.
class JtiReplayCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 100000;
  explicit JtiReplayCache(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // Atomic check-and-insert. kReplayed if `jti` is held, kReplayCacheFull if no room.
  Status check_and_insert(std::string_view jti, std::int64_t keep_until, std::int64_t now);
  std::size_t size() const;

 private:
  void purge_locked(std::int64_t now);
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::map<std::string, std::int64_t, std::less<>> entries_;  // jti -> keep_until
};

// ---- Verifying (§7.2) ----

struct VerifierConfig {
  crypto::PublicKey issuer_public_key{};  // the configured key; never taken from the token
  std::string issuer;                     // expected iss
  std::string audience;                   // expected aud and challenge_id (CHALLENGE_ID)
  std::int64_t leeway = kDefaultLeeway;
  JtiReplayCache* replay_cache = nullptr;  // optional; step 8 runs only when set
  const testing::MinerTokenFaults* faults = nullptr;  // tests only; null = the spec
};

// Steps 1-8 in order; the first failure is returned with its reason code. A jti is recorded
// only for a token that passed steps 1-7.
Result<MinerClaims> verify(std::string_view token, const VerifierConfig& config, const Clock& clock);

// The HTTP answer for a failed verification: 401 {"error": "<reason code>"}.
struct HttpReply {
  int status = 0;
  std::string body;
};
HttpReply unauthorized(const Error& error);

// ---- Challenge side: consuming injected identity (§7.4) ----

// Request headers as received, in order; names compared ASCII case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* kIdMissing = "identity.missing";                // no identity, 401
inline constexpr const char* kIdUnauthenticated = "identity.unauthenticated";  // [SEED] X-Verified-* not from the proxy, 401
inline constexpr const char* kIdHeaderMismatch = "identity.header_mismatch";  // [SEED] X-Verified-* != token claims, 401
inline constexpr const char* kIdDuplicateHeader = "identity.duplicate_header";  // [SEED] identity header repeated, 401
inline constexpr const char* kIdNoVerifier = "identity.no_token_verifier";    // [SEED] X-Miner-Token but no config, 401
inline constexpr const char* kIdUnknownRoute = "identity.unknown_route";      // 404

// The read-only public routes that need no identity in every profile (D-37).
bool is_read_only_route(std::string_view name);

struct IdentityOptions {
  std::optional<std::string> challenge_id;  // CHALLENGE_ID; unset or empty => the row's default
  std::vector<std::string> routes;          // registered public handler names (404 otherwise)
  // [SEED] set by the caller when the request passed §6.4 V1-V8 with a trusted proxy key.
  bool authenticated_by_signed_request = false;
  // [SEED] enables the X-Miner-Token path (§7.2 verification by the challenge itself).
  const VerifierConfig* token_verifier = nullptr;
  const Clock* clock = nullptr;  // required with token_verifier; SystemClock if null
  const testing::MinerTokenFaults* faults = nullptr;  // tests only; null = the spec
};

// Builds token_info for /sdk/public/{route} per the §7.4 table (checked in order: verified
// identity, read-only route, dev mode, else 401), then 404 for an unknown route.
// sdk-compat trusts X-Verified-Miner-Hotkey from anyone (D-23); seed-spec/hardened honour
// X-Verified-* only on a proxy-authenticated request and answer 401 otherwise.
Result<TokenInfo> resolve_identity(Profile profile, std::string_view route_name,
                                   const Headers& headers, bool dev_mode,
                                   const IdentityOptions& options);
// Proxy side (§7.2, after a successful verify): the headers to forward to
// {challenge}/sdk/public/{name}. Drops every client header named X-Verified-* (case-insensitive)
// and any client X-Miner-Token / X-Job-Id, then injects X-Verified-Miner-Hotkey,
// X-Verified-Miner-Uid and X-Job-Id from the claims and the token itself as X-Miner-Token.
Headers proxy_forward_headers(const Headers& client_headers, const MinerClaims& claims,
                              std::string_view token);

// The HTTP answer for a resolve_identity() error: 404 {"detail": "public handler not found"},
// the SDK's 401 {"detail": "Missing X-Verified-Miner-Hotkey header. ..."} for kIdMissing,
// 401 {"error": "<code>"} for every other code.
HttpReply identity_error_reply(const Error& error);

}  // namespace pnc::miner_token
