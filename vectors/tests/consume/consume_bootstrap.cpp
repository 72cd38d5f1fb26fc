// Consumer of bootstrap_test.json: bootstrap::AttestVerifier (mock quote check, nonce store,
// session table) for AttestRequest, process_attest_response for AttestResponse and
// parse_nonce_response for NonceResponse. The validator's nonce is replayed from `nonceBytes`
// through FixedRng, so its /attestation/challenge answer issues exactly the case's nonce.
#include <gtest/gtest.h>

#include "fixed_rng.hpp"
#include "pnc/bootstrap.hpp"
#include "pnc/clock.hpp"
#include "pnc/signed_http.hpp"
#include "runner.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {

Verdict run_bootstrap(const Json& g, const Json& t, Profile p) {
  const std::string type = g["type"].get<std::string>();
  const int status = t["status"].get<int>();
  const std::string body = str_field(t, "body");
  if (type == "AttestRequest") {
    bootstrap::NonceStore nonces;
    signed_http::SessionTable sessions;
    FixedRng rng(hex_field(g, "nonceBytes"));
    FixedClock clock(g["issuedAt"].get<std::int64_t>());
    bootstrap::AttestVerifierOptions options;
    options.profile = p;
    bootstrap::AttestVerifier verifier(nonces, sessions, bootstrap::mock_quote_check(), clock, rng, options);
    const auto issued = verifier.challenge();
    const Json answer = Json::parse(issued.body, nullptr, false);
    if (!issued.ok() || !answer.is_object() || answer.value("nonce", "") != hexs(hex_field(g, "nonceBytes")))
      return {true, "the challenge did not issue HEX(nonceBytes): " + issued.body};
    clock.set(t["now"].get<std::int64_t>());
    std::optional<std::string> ct;
    if (t["contentType"].is_string()) ct = t["contentType"].get<std::string>();
    for (int i = 0; i < t["replays"].get<int>(); ++i)
      if (!verifier.attest(ct, body).ok()) return {true, "an earlier submission was refused"};
    const auto reply = verifier.attest(ct, body);
    const int want = p == Profile::sdk_compat ? t["compatStatus"].get<int>() : status;
    std::string mismatch;
    if (reply.status != want) mismatch = "status " + std::to_string(reply.status) + ", want " + std::to_string(want);
    if (p != Profile::sdk_compat && !reply.ok() && reply.reason != str_field(t, "reason"))
      mismatch = "reason " + reply.reason + ", want " + str_field(t, "reason");
    if (!mismatch.empty() && !reply.ok()) ADD_FAILURE() << "tcId " << t["tcId"] << ": " << mismatch;
    return {reply.ok(), mismatch};
  }
  if (type == "AttestResponse") {
    Bytes script = hex_field(g, "edSeed");
    const Bytes x = hex_field(g, "x25519Sk");
    script.insert(script.end(), x.begin(), x.end());
    FixedRng rng(script);
    const auto keys = bootstrap::generate_challenge_keys(rng);
    const auto r = bootstrap::process_attest_response(status, body, keys, p);
    if (!r) return {false, {}};
    const bool want_key = t["aeadKey"].is_string();
    if (want_key != r->aead_key.has_value()) return {true, "aead_key presence differs"};
    if (!want_key) return {true, {}};
    std::string m = compare("aeadKey", r->aead_key->view(), hex_field(t, "aeadKey"));
    // §2.6 step 3: SDK_EPHEMERAL_SK_B64 is set together with the key.
    if (!r->sdk_ephemeral_sk_b64) m += " sdk_ephemeral_sk_b64 missing";
    return {true, m};
  }
  const auto n = bootstrap::parse_nonce_response(status, body, p);
  if (!n) return {false, {}};
  return {true, t["nonce"].is_string() && *n == t["nonce"].get<std::string>() ? "" : "nonce differs: " + *n};
}

}  // namespace pnc::vectors
