// Consumer of quote_signed_test.json: verify_peer_quote in prod mode whose DCAP step is the
// reference's tdx::SignedQuoteVerifier trusting only the group's root at the case's `now`, then
// (strict profiles) tdx::check_rtmrs against the case's rtmrs. Under `reasonProfile` a rejection
// must carry `reason`, and verify_signed_quote alone must return `detail` ("" = accepts).
#include <gtest/gtest.h>

#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "runner.hpp"
#include "pnc/testkit/oracles.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {
namespace {

// Test-side base64 (OpenSSL, the toolkit's): the check takes the quote as it arrives on the wire.
std::string b64(ByteView b) { return testkit::ossl_b64(b); }

}  // namespace

Verdict run_quote_signed(const Json& g, const Json& t, Profile p) {
  const Bytes quote = hex_field(t, "quote");
  FixedClock clock(t["now"].get<std::int64_t>());
  tdx::SignedQuoteConfig config;
  config.trusted_roots_pem = {str_field(g, "rootCaPem")};
  config.clock = &clock;
  config.profile = p;
  tdx::SignedQuoteVerifier dcap(config);

  // PeerQuoteCheck holds views: keep what they point to alive for the call.
  const std::string quote_b64 = b64(quote);
  const Bytes nonce = hex_field(t, "nonce");
  const std::string local_env = str_field(t, "localEnv");
  PeerQuoteCheck c;
  c.profile = p;
  c.mode = AttestationMode::prod;
  c.quote_b64 = quote_b64;
  if (!t["eventLog"].is_null()) c.event_log = t["eventLog"].get<std::string>();
  c.nonce = nonce;
  c.local_env = local_env;
  ByteArray<32> kb{};
  const Bytes kbb = hex_field(t, "keyBinding");
  std::copy_n(kbb.begin(), std::min(kbb.size(), kb.size()), kb.begin());
  c.key_binding = kb;
  c.dcap = &dcap;
  Status s = verify_peer_quote(c);
  if (s && is_strict(p) && t["rtmrs"].is_object())
    if (auto q = tdx::parse_quote(quote, p)) s = tdx::check_rtmrs(t["rtmrs"], *q);

  std::string mismatch;
  const std::string rp = str_field(t, "reasonProfile");
  const std::string want = t.contains("profiles") && t["profiles"].contains(rp) ? t["profiles"][rp].get<std::string>()
                                                                                 : t["result"].get<std::string>();
  if (std::string(to_string(p)) == rp && want != "acceptable") {  // an acceptable case pins no reason
    const std::string reason = str_field(t, "reason"), detail = str_field(t, "detail");
    if (!s && s.error().code != reason) mismatch = "reason " + s.error().code + ", want " + reason;
    const Status alone = tdx::verify_signed_quote(quote, config);
    const std::string got = alone ? std::string() : alone.error().code;
    if (got != detail) mismatch += (mismatch.empty() ? "" : "; ") + ("detail '" + got + "', want '" + detail + "'");
  }
  // A wrong reason or detail fails the test whatever the verdict.
  if (!mismatch.empty()) ADD_FAILURE() << "tcId " << t["tcId"] << ": " << mismatch;
  return {s.ok(), {}};
}

}  // namespace pnc::vectors
