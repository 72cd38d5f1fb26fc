// Named faults: every structural, binding, signature and chain fault of PROTOCOL.md §12.9
// (N-Q-01..15) and §12.4 (N-HS-08..17), plus the signed-mode signature and chain faults, each
// requestable by name (QuoteRequest::fault, `pnc-mock-tdx quote --fault NAME`). One registry
// for the CLI, the tests and the conformance runner.
//
// Each fault says how the reference judges it (judge() below): the profile whose verifier must
// reject, and per mode the expected code — or nothing when the fault does not apply to the mode.
// A mutation inside [0, 632) is applied before the mock signature is resealed or the quote is
// signed, so that the intended check, not the signature, rejects (§12.9); mutations of the
// signature data, the sizes or the length are applied to the final bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pnc/attestation.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::mock_tdx {

struct Expectation {
  // The code of judge(): verify_peer_quote's (attestation.hpp / tdx_verify.hpp), or check_rtmrs's.
  std::string_view code;
  // The precise reason. Signed mode: what tdx::verify_signed_quote returns for the quote alone
  // ("" = it accepts: the fault is in the binding, the event log or the environment). Mock mode:
  // the tdx.* parser code for structural faults, else "". When code is attest.dcap_failed,
  // attest.bad_structure or attest.quote_too_short, judge()'s message contains it.
  std::string_view detail;
};

struct FaultInfo {
  std::string_view name;
  std::string_view description;  // one line
  std::string_view spec;         // the spec case(s) it realises, e.g. "N-Q-01", "§3.7-3"
  Profile profile = Profile::seed_spec;  // the profile whose verifier must reject
  std::optional<Expectation> mock;       // nullopt: not applicable in mock mode
  std::optional<Expectation> signed_quote;
  bool needs_nonce = false;                     // needs QuoteRequest::nonce (not report_data)
  std::optional<std::string_view> requires_env;  // the request's env_mode it needs
  std::optional<Expectation> expectation(Mode mode) const {
    return mode == Mode::mock ? mock : signed_quote;
  }
};

const std::vector<FaultInfo>& fault_registry();
const FaultInfo* find_fault(std::string_view name);
// The registry as JSON: [{"name", "description", "spec", "profile", "modes": {"mock": {"code",
// "detail"}, "signed": ...}, "needs_nonce", "requires_env"}].
std::string fault_registry_json();

// The reference's verdict on evidence made for `request`, the one the registry states its
// expectations against: verify_peer_quote (§3.7) with the given profile, the request's nonce
// and env_mode as the local view, the request's key binding (or zeros) as the [HARD] expected
// upper half; mock mode ⇒ AttestationMode::mock, signed mode ⇒ AttestationMode::prod with
// tdx::SignedQuoteVerifier trusting `roots_pem` (default: the mock root) at time `now`; then, in
// strict profiles, tdx::check_rtmrs on an object `rtmrs`. Needs request.nonce.
struct JudgeOptions {
  Profile profile = Profile::seed_spec;
  std::int64_t now = kReferenceTime;
  std::optional<std::vector<std::string>> roots_pem;  // default: {mock_root_ca().pem}
};
Status judge(const QuoteRequest& request, const Evidence& evidence, const JudgeOptions& options = {});

}  // namespace pnc::mock_tdx
