// fuzz_miner_token (PROTOCOL.md §14, §7.1-7.2): arbitrary token strings.
// Oracle: verify() never accepts unless an independent re-check passes — three segments of
// canonical unpadded base64url (libsodium), header {"alg":"EdDSA","typ":"MinerToken"} without
// crit, an Ed25519 signature by the configured V9 issuer key (OpenSSL) over the first two
// segments, and the §7.2 step 5-7 claim rules at the verifier time; the returned claims equal
// the payload's; a second presentation of an accepted token is refused (jti replay cache).
// Input: a raw token; or, when the first byte is 0x00, a u16-length-prefixed header JSON text
// followed by the payload JSON text, which the target signs itself (libsodium, V9 issuer seed)
// so that the fuzzer reaches the claim checks behind the signature.
#include <sodium.h>

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "pnc/clock.hpp"
#include "pnc/miner_token.hpp"

using namespace pnc;
using NJson = nlohmann::json;

namespace {

constexpr std::int64_t kNow = fuzz::golden::kV9Now;
constexpr std::int64_t kLeeway = 30;

bool is_int(const NJson& v) { return v.is_number_integer(); }
std::int64_t as_i64(const NJson& v) {
  return v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>()) : v.get<std::int64_t>();
}
bool fits_i64(const NJson& v) {
  return is_int(v) && (!v.is_number_unsigned() || v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX));
}

// Independent acceptance conditions (necessary, not sufficient: format rules such as jti length
// are the reference's to enforce and are not re-derived here).
void check_accepted(std::string_view token, const miner_token::MinerClaims& claims, ByteView issuer_pk) {
  FUZZ_ASSERT(token.size() <= 4096, "accepted an over-long token");
  const auto d1 = token.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  FUZZ_ASSERT(d2 != std::string_view::npos && token.find('.', d2 + 1) == std::string_view::npos,
              "accepted a token without exactly three segments");
  auto header = fuzz::sodium_b64url(token.substr(0, d1));
  auto payload = fuzz::sodium_b64url(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = fuzz::sodium_b64url(token.substr(d2 + 1));
  FUZZ_ASSERT(header && payload && sig && sig->size() == 64, "accepted non-canonical base64url segments");
  FUZZ_ASSERT(fuzz::ossl_ed25519_verify(issuer_pk, as_bytes(token.substr(0, d2)), *sig),
              "accepted a token not signed by the configured issuer key");

  const std::string header_text(header->begin(), header->end());
  const std::string payload_text(payload->begin(), payload->end());
  FUZZ_ASSERT(fuzz::strict_json_ok(fuzz::scan_json(header_text)) && fuzz::strict_json_ok(fuzz::scan_json(payload_text)),
              "accepted non-strict JSON");
  const NJson h = NJson::parse(header_text, nullptr, false);
  FUZZ_ASSERT(h.is_object() && h.value("alg", NJson()) == "EdDSA" && h.value("typ", NJson()) == "MinerToken" &&
                  !h.contains("crit"),
              "accepted a bad header");
  const NJson p = NJson::parse(payload_text, nullptr, false);
  FUZZ_ASSERT(p.is_object(), "payload is not an object");
  for (const char* name : {"iss", "aud", "miner_hotkey", "uid", "job_id", "challenge_id", "job_type", "jti"})
    FUZZ_ASSERT(p.contains(name) && p[name].is_string(), "string claim missing or mistyped");
  FUZZ_ASSERT(p["iss"] == "platform-api" && p["aud"] == "challenge_demo" && p["challenge_id"] == "challenge_demo",
              "issuer / audience / challenge_id not as configured");
  FUZZ_ASSERT(p.contains("iat") && p.contains("exp") && fits_i64(p["iat"]) && fits_i64(p["exp"]),
              "iat/exp missing or not 64-bit integers");
  const std::int64_t iat = as_i64(p["iat"]);
  const std::int64_t exp = as_i64(p["exp"]);
  FUZZ_ASSERT(iat < exp && static_cast<std::uint64_t>(exp) - static_cast<std::uint64_t>(iat) <= 3600,
              "accepted a lifetime outside (0, 3600]");
  FUZZ_ASSERT(exp > kNow - kLeeway, "accepted an expired token");
  FUZZ_ASSERT(iat <= kNow + kLeeway, "accepted a token issued in the future");
  if (p.contains("nbf")) {
    FUZZ_ASSERT(fits_i64(p["nbf"]) && as_i64(p["nbf"]) <= kNow + kLeeway, "accepted a not-yet-valid token");
    FUZZ_ASSERT(claims.nbf && *claims.nbf == as_i64(p["nbf"]), "nbf not returned");
  }
  FUZZ_ASSERT(claims.iss == p["iss"].get<std::string>() && claims.aud == p["aud"].get<std::string>() && claims.miner_hotkey == p["miner_hotkey"].get<std::string>() &&
                  claims.uid == p["uid"].get<std::string>() && claims.job_id == p["job_id"].get<std::string>() && claims.challenge_id == p["challenge_id"].get<std::string>() &&
                  claims.job_type == p["job_type"].get<std::string>() && claims.jti == p["jti"].get<std::string>() && claims.iat == iat && claims.exp == exp,
              "returned claims differ from the payload");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes issuer_seed = fuzz::unhex(fuzz::golden::kV9IssuerSeed);
  static const Bytes issuer_pk = fuzz::unhex(fuzz::golden::kV9IssuerPk);

  std::string token;
  if (size > 0 && data[0] == 0x00) {
    fuzz::Input in(data + 1, size - 1);
    const std::string header = in.length_prefixed();
    const std::string payload = in.rest();
    const std::string signing_input =
        fuzz::sodium_b64url_encode(as_bytes(header)) + "." + fuzz::sodium_b64url_encode(as_bytes(payload));
    std::uint8_t sk[64];
    std::uint8_t pk[32];
    crypto_sign_seed_keypair(pk, sk, issuer_seed.data());
    std::uint8_t sig[64];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const std::uint8_t*>(signing_input.data()),
                         signing_input.size(), sk);
    token = signing_input + "." + fuzz::sodium_b64url_encode(ByteView(sig, 64));
  } else {
    token.assign(reinterpret_cast<const char*>(data), size);
  }

  miner_token::JtiReplayCache cache;
  miner_token::VerifierConfig config;
  std::copy(issuer_pk.begin(), issuer_pk.end(), config.issuer_public_key.begin());
  config.issuer = "platform-api";
  config.audience = "challenge_demo";
  config.replay_cache = &cache;
  const FixedClock clock(kNow);

  auto claims = miner_token::verify(token, config, clock);
  if (claims) {
    check_accepted(token, *claims, issuer_pk);
    auto again = miner_token::verify(token, config, clock);
    FUZZ_ASSERT(!again && again.error().code == miner_token::kReplayed, "replayed token accepted");
  }

  // The same token through the challenge-side identity resolution (§7.4, X-Miner-Token path).
  miner_token::VerifierConfig no_cache = config;
  no_cache.replay_cache = nullptr;
  miner_token::IdentityOptions options;
  options.challenge_id = "challenge_demo";
  options.routes = {"submit"};
  options.token_verifier = &no_cache;
  options.clock = &clock;
  const miner_token::Headers headers = {{"X-Miner-Token", token}};
  auto identity = miner_token::resolve_identity(Profile::seed_spec, "submit", headers, false, options);
  if (identity) {
    auto direct = miner_token::verify(token, no_cache, clock);
    FUZZ_ASSERT(direct.ok(), "identity resolved from a token that does not verify");
    FUZZ_ASSERT(*identity == miner_token::token_info(*direct), "token_info differs from the claims");
  }
  return 0;
}
