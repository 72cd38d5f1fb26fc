// The runner's own attestation evidence and its check of the SUT's quote, in one place for the
// client script (runner = validator), the server script (runner = challenge) and the validator
// target's bootstrap: MockQuoteV4 for a mock SUT, the ECDSA-signed mock quote for a signed-mock
// SUT, the host's quote service when the runner itself runs on TDX (run --tdx configfs|dstack).
#pragma once

#include <memory>

#include "core/sut.hpp"
#include "pnc/attestation.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::conf {

// Evidence around REPORTDATA. The host's quote service can fail: that throws PreconditionFailed
// (the case is BLOCKED, the SUT is not blamed).
Evidence runner_evidence(const SutDescription& sut, const ByteArray<64>& report_data, const tdx::MockParams& params);

// A signed-mock quote (mock PKI, as runner_evidence makes for a signed-mock SUT) around
// REPORTDATA with one named mock-tdx fault (pnc/mock_tdx/faults.hpp) applied before signing: it
// verifies except for what the fault changes (N-Q-11: the DEBUG attribute). Base64.
std::string signed_mock_quote_b64(const ByteArray<64>& report_data, const tdx::MockParams& params, const std::string& fault);

// The same source as a QuoteProvider, for the reference handshake machines.
std::unique_ptr<QuoteProvider> runner_quote_provider(const SutDescription& sut, const tdx::MockParams& params);

// The check of the SUT's quote in prod mode: the host's trusted root (run --tdx configfs|dstack)
// or the mock PKI root (signed-mock): quote signature, QE report, PCK chain. A prod SUT with
// neither is judged only structurally and by its binding (no Intel collateral).
std::unique_ptr<DcapVerifier> sut_quote_verifier(const SutDescription& sut, Profile profile);

}  // namespace pnc::conf
