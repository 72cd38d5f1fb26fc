// Mock quotes (PROTOCOL.md §9.6): the normative MockQuoteV4 (a structurally valid v4 quote that
// carries the mock marker and a deterministic mock signature), the upstream-shaped mocks that
// sdk-compat fixtures reproduce, and a QuoteProvider for mock mode.
#pragma once

#include <optional>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "pnc/attestation.hpp"
#include "pnc/rng.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx {

inline constexpr std::string_view kMockMarker = "PNC-MOCK-TDX-QUOTE-1";  // header user_data
inline constexpr std::string_view kMockSigLabel = "PNC-MOCK-SIG";
inline constexpr std::string_view kMockAkLabel = "PNC-MOCK-AK";
inline constexpr std::string_view kMockPckChain = "PNC-MOCK-PCK-CHAIN";
inline constexpr std::size_t kUpstreamMockSize = 1024;

// Overrides of MockQuoteV4; unset members take the §9.6 defaults.
struct MockParams {
  std::string env_mode = "dev";                 // payload of the environment-mode event
  std::optional<Measurement> mr_td;
  std::optional<Measurement> rtmr0, rtmr1, rtmr2;
  std::optional<ByteArray<32>> compose_hash;    // payload of the compose-hash event
  std::optional<ByteArray<32>> key_binding;     // [HARD] report_data[32:64] (§3.4)
};

// The four mock events of §9.6 in order (app-id, compose-hash, instance-id, environment-mode).
std::vector<Event> mock_events(const MockParams& params = {});
// RTMRi (i = 0, 1, 2) default: SHA384(0^48 || SHA384("mock-rtmr" || decimal(i))).
Measurement mock_rtmr(unsigned index);

// MockQuoteV4 with the given full REPORTDATA (params.key_binding is ignored): quote, compact
// event log text (V8 form), rtmrs object.
Evidence mock_quote_v4_for(const ByteArray<64>& report_data, const MockParams& params = {});
// MockQuoteV4(N): REPORTDATA = SHA256(N) || (key_binding or 32 zero bytes). V8 for N = V3 nonce.
Evidence mock_quote_v4(ByteView nonce, const MockParams& params = {});

// SHA512("PNC-MOCK-SIG" || Q[0:632]); requires quote.size() >= 632 (else all-zero).
ByteArray<64> mock_signature(ByteView quote);
// Constant-time comparison of the ECDSA signature field Q[636:700) with mock_signature(Q);
// false for quotes shorter than 700 bytes and for any version but 4 (mock quotes stay v4).
// `compared_bytes` < 64 only for the mock_signature_prefix_63 fault (pnc/testing/faults.hpp).
bool mock_signature_valid(ByteView quote, std::size_t compared_bytes = 64);
// Rewrites the signature field of a serialized quote after a change inside [0, 632).
void reseal_mock_signature(Bytes& quote);
bool has_mock_marker(const QuoteV4& quote);

// ---- Upstream-shaped mocks ([COMPAT] fixtures), random bytes from `rng` ----
// SDK provider / fallback: 1024 random bytes, SHA256(N) written at 568, 576, then 584 (only
// [584,616) holds the whole digest); annotated object log; rtmrs object of random values. The
// fallback variant has no app-id/instance-id, compose-hash "dev-mode-fallback" and rtmrs {}.
struct SdkMockOptions {
  std::string env_mode = "dev";
  std::optional<std::string> compose_hash;  // COMPOSE_HASH env var
  std::optional<std::string> challenge_id;  // CHALLENGE_ID env var
  bool fallback = false;
};
Evidence sdk_mock_quote(ByteView nonce, Rng& rng, const SdkMockOptions& options = {});
// VAL (VALIDATOR_MOCK_VMM): same quote layout; 4-event array log with plain-string payloads and
// LE64 event types; rtmrs array whose RTMR3 extends the digests' hex text (quirk).
Evidence val_mock_quote(ByteView nonce, std::string_view hotkey, Rng& rng,
                        const std::optional<std::string>& compose_hash = {});
// API (crates/attestation): digest at offset 368 only; LE32 event types; RTMR3 extends raw digests.
Evidence api_mock_quote(ByteView nonce, std::string_view hotkey, Rng& rng,
                        const std::optional<std::string>& compose_hash = {});
// Upstream Python test mock: 1024 x '0', {"environment_mode": "dev"}, rtmrs four "0"*96.
Evidence python_test_mock_quote();

// Mock-mode QuoteProvider (§9.1): MockQuoteV4 around the caller's 64-byte REPORTDATA. The parts
// that do not depend on REPORTDATA (quote body, event log, rtmrs) are built once, here; each quote
// then costs a copy, the REPORTDATA write and the mock signature. get_quote only reads them, so
// one provider may serve several threads.
class MockQuoteProvider final : public QuoteProvider {
 public:
  explicit MockQuoteProvider(MockParams params = {});
  Result<Evidence> get_quote(const ByteArray<64>& report_data) override;

 private:
  MockParams params_;
  Evidence template_;  // mock_quote_v4_for(0^64, params_)
};

}  // namespace pnc::tdx
