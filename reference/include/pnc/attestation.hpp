// The attestation contract between the handshake / bootstrap logic and the TDX module:
// who produces quotes (QuoteProvider), how a peer's quote is judged (verify_peer_quote,
// PROTOCOL.md §3.7-3.8) and where production DCAP verification plugs in (DcapVerifier).
// The handshake and bootstrap state machines only see these interfaces.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct QuoteFaults;
}  // namespace pnc::testing

namespace pnc {

// §1.3 [SEED]: one explicit switch instead of upstream's environment-variable soup.
enum class AttestationMode { prod, mock };
std::string_view to_string(AttestationMode m);

// What a quote provider returns (§9.1).
struct Evidence {
  Bytes quote;                            // raw quote bytes
  std::optional<std::string> event_log;   // JSON text (dstack array, or annotated object in compat)
  nlohmann::json rtmrs;                   // {"rtmr0".."rtmr3"} object, or null
};

class QuoteProvider {
 public:
  virtual ~QuoteProvider() = default;
  // report_data: the 64 bytes that go into REPORTDATA (callers zero-fill or key-bind [32:64]).
  virtual Result<Evidence> get_quote(const ByteArray<64>& report_data) = 0;
};

// Production quote verification (DCAP collateral, PCK chain, TCB). The tdx module implements it:
// tdx::dcap::CollateralDcapVerifier (tdx_dcap.hpp) against Intel collateral the integrator
// supplies, tdx::SignedQuoteVerifier (tdx_signed.hpp) for signatures and chain only.
class DcapVerifier {
 public:
  virtual ~DcapVerifier() = default;
  virtual Status verify(ByteView quote) = 0;
};

// Inputs of VerifyPeerQuote (§3.7). `quote_b64` and `nonce` are views (a quote is up to 64 KiB
// and is checked once): fill them from named objects that outlive the verify_peer_quote() call,
// never from a temporary, and do not keep a check beyond that call.
struct PeerQuoteCheck {
  Profile profile = Profile::seed_spec;
  AttestationMode mode = AttestationMode::prod;
  std::string_view quote_b64;              // as received on the wire
  std::optional<std::string> event_log;    // JSON text as received (compat also accepts an object dump)
  ByteView nonce;                          // the decoded WebSocket nonce N
  std::string local_env;                   // "dev" | "prod"
  // [HARD] expected report_data[32:64] (key binding, §3.4); ignored in other profiles.
  std::optional<ByteArray<32>> key_binding;
  // Clients that know a compose hash check it (§3.6 C4.5); empty = not checked.
  std::optional<std::string> expected_compose_hash;
  DcapVerifier* dcap = nullptr;            // required in prod mode (seed-spec/hardened)
  const testing::QuoteFaults* faults = nullptr;  // tests only; null = the spec's behaviour
};

// Error codes of the attestation checks (each a distinct, named reason).
namespace attest_errc {
inline constexpr const char* kBadEncoding = "attest.bad_quote_encoding";
inline constexpr const char* kTooShort = "attest.quote_too_short";
inline constexpr const char* kStructure = "attest.bad_structure";
inline constexpr const char* kNonceBinding = "attest.nonce_binding_failed";
inline constexpr const char* kKeyBinding = "attest.key_binding_failed";
inline constexpr const char* kMockMarkerInProd = "attest.mock_marker_in_prod";
inline constexpr const char* kNotMock = "attest.mock_marker_missing";
inline constexpr const char* kMockSignature = "attest.mock_signature_mismatch";
inline constexpr const char* kDebugTd = "attest.debug_td";
inline constexpr const char* kDcap = "attest.dcap_failed";
inline constexpr const char* kEnvMismatch = "attest.environment_mismatch";
inline constexpr const char* kEnvMissing = "attest.environment_missing";
inline constexpr const char* kComposeHash = "attest.compose_hash_mismatch";
inline constexpr const char* kRtmrMismatch = "attest.rtmr_mismatch";
}  // namespace attest_errc

// §3.7 + §3.8 for the given profile and mode. Implemented in the tdx module.
Status verify_peer_quote(const PeerQuoteCheck& check);

// report_data for the WebSocket binding (§3.4): SHA256(N) || 32 zero bytes, or the [HARD] key
// binding in the upper half when `binding` is given.
ByteArray<64> ws_report_data(ByteView nonce, const std::optional<ByteArray<32>>& binding = {});
// [HARD] key binding values (§3.4).
ByteArray<32> key_binding_challenge(ByteView val_pub, ByteView chal_pub);
ByteArray<32> key_binding_validator(ByteView val_pub);
// report_data for the HTTP bootstrap binding (§2.3): SHA256(ASCII nonce text) || 32 zero bytes.
ByteArray<64> http_report_data(std::string_view nonce_text);

}  // namespace pnc
