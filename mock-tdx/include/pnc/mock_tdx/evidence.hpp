// The mock TDX quote provider: evidence (quote, event log, rtmrs) for a nonce or a REPORTDATA, an
// environment mode and measurements, in one of two modes, optionally with a named fault
// (faults.hpp) — plus the upstream-shaped mocks of PROTOCOL.md §9.6 for sdk-compat fixtures.
//
//   mock    MockQuoteV4 exactly as §9.6 (byte-identical to golden V8 for its inputs): the mock
//           marker, the SHA-512 "mock signature", the mock event log in dstack array form with
//           V1 runtime-event digests. Accepted only by a mock-mode verifier.
//   signed  the same header body and event log, but real signature data: the attestation key
//           (ECDSA P-256) signs Q[0:632); the QE report binds SHA256(AK || QE auth data) and is
//           signed by the mock PCK leaf; the certification data carries the PEM chain PCK leaf ->
//           intermediate -> mock root (pki.hpp). user_data is kSignedTag, not the mock marker, so
//           a production verifier (tdx::verify_signed_quote) configured with the mock root accepts
//           it, and the same verifier configured with Intel's root rejects it.
// Everything is deterministic: same request, same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pnc/attestation.hpp"
#include "pnc/result.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/types.hpp"

namespace pnc::mock_tdx {

enum class Mode { mock, signed_quote };
std::string_view to_string(Mode mode);  // "mock" | "signed"
std::optional<Mode> parse_mode(std::string_view name);

// Header user_data of signed quotes (20 bytes). Informational only: nothing may rely on it.
inline constexpr std::string_view kSignedTag = "PNC-SIGNED-MOCK-TDX1";
// Key label of the attestation key (ecdsa.hpp).
inline constexpr std::string_view kAttestationKeyLabel = "attestation-key";
// QE report of signed quotes (SGX report body, §9.2): MRENCLAVE = SHA256(kQeMrEnclaveLabel),
// MRSIGNER = SHA256(kQeMrSignerLabel), ISVPRODID = 2 (Intel's TD QE), ISVSVN = 1, report_data =
// SHA256(AK || auth data) || 0^32, everything else zero. QE auth data = bytes 00 01 .. 1f (as §9.6).
inline constexpr std::string_view kQeMrEnclaveLabel = "PNC-MOCK-QE-MRENCLAVE";
inline constexpr std::string_view kQeMrSignerLabel = "PNC-MOCK-QE-MRSIGNER";
inline constexpr std::uint16_t kQeIsvProdId = 2;
inline constexpr std::uint16_t kQeIsvSvn = 1;

// ---- Error codes of make_evidence ----
inline constexpr const char* kBadBinding = "mock_tdx.bad_binding";        // not exactly one of nonce / report_data
inline constexpr const char* kBadEnv = "mock_tdx.bad_env";                // env_mode not "dev" / "prod"
inline constexpr const char* kUnknownFault = "mock_tdx.unknown_fault";
inline constexpr const char* kFaultNotApplicable = "mock_tdx.fault_not_applicable";  // mode / nonce / env

struct QuoteRequest {
  Mode mode = Mode::mock;
  // Exactly one binding: the WebSocket nonce N (REPORTDATA[0:32] = SHA256(N), §3.4) or the 32
  // bytes bound directly (e.g. SHA256(ASCII nonce) of the HTTP bootstrap, §2.3).
  std::optional<Bytes> nonce;
  std::optional<ByteArray<32>> report_data;
  // env_mode ("dev" | "prod"), measurement overrides, compose hash, [HARD] key binding (upper half).
  tdx::MockParams params;
  std::string fault;  // a name of faults.hpp; empty = none
};

// The 64-byte REPORTDATA a request binds when no fault moves it.
Result<ByteArray<64>> request_report_data(const QuoteRequest& request);

// Quote + event log (dstack array text) + rtmrs object for the request.
Result<Evidence> make_evidence(const QuoteRequest& request);

// Signed-mode evidence without faults around a full REPORTDATA (params.key_binding ignored).
Evidence signed_quote_v4_for(const ByteArray<64>& report_data, const tdx::MockParams& params = {});

// QuoteProvider (§9.1) for signed mode; tdx::MockQuoteProvider is the mock-mode one.
class SignedQuoteProvider final : public QuoteProvider {
 public:
  explicit SignedQuoteProvider(tdx::MockParams params = {}) : params_(std::move(params)) {}
  Result<Evidence> get_quote(const ByteArray<64>& report_data) override {
    return signed_quote_v4_for(report_data, params_);
  }

 private:
  tdx::MockParams params_;
};

// The JSON bundle {"quote": B64, "event_log": text or null, "rtmrs": ...}, compact, in that order.
std::string evidence_json(const Evidence& evidence);

// ---- Upstream-shaped mocks (§9.6 table; [COMPAT] fixtures), reproducible from a seed ----
enum class Upstream { sdk, sdk_fallback, val, api, python_test };
std::string_view to_string(Upstream kind);  // "sdk" | "sdk-fallback" | "val" | "api" | "python-test"
std::optional<Upstream> parse_upstream(std::string_view name);
struct UpstreamRequest {
  Bytes nonce;                               // N (ignored by python-test)
  std::string env_mode = "dev";              // sdk, sdk-fallback
  std::string hotkey = "5MockHotkey";        // val, api
  std::optional<std::string> compose_hash;   // COMPOSE_HASH
  std::optional<std::string> challenge_id;   // CHALLENGE_ID (sdk)
  std::uint64_t seed = 0;                    // DeterministicRng seed replacing upstream's CSPRNG
};
Evidence upstream_evidence(Upstream kind, const UpstreamRequest& request);

}  // namespace pnc::mock_tdx
