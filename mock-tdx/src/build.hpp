// Internal: the stages of make_evidence and the hooks a fault uses to act at one of them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/faults.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::mock_tdx::detail {

// What the stages share.
struct Draft {
  const QuoteRequest& request;
  ByteArray<64> report_data{};  // the request's binding (before any fault)
};

// How signed mode fills the signature data; a fault may change any of it.
struct SignPlan {
  std::string ak_label = std::string(kAttestationKeyLabel);
  std::optional<ByteArray<64>> ak_field;  // written (and bound) instead of the AK's public key
  std::string quote_signer_label;         // "" = the attestation key
  std::string qe_signer_label;            // "" = the PCK leaf key
  std::function<void(tdx::QuoteV4&)> after_qe_binding;  // before the QE report is signed
  ChainVariant chain = ChainVariant::normal;
  std::optional<Bytes> chain_bytes;  // raw certification data instead of a PEM chain
};

// Stages, in order: events -> quote fields (before sealing) -> sign plan -> final bytes -> evidence.
struct Hooks {
  std::function<void(std::vector<tdx::Event>&, const Draft&)> events;
  std::function<void(tdx::QuoteV4&, const Draft&)> quote;
  std::function<void(SignPlan&)> sign;
  std::function<void(Bytes&)> bytes;
  std::function<void(Evidence&, const std::vector<tdx::Event>&, const Draft&)> evidence;
};

// The hooks of a registered fault (index into fault_registry()).
const Hooks& fault_hooks(std::size_t index);

// Signature data of a signed quote (q's header and body are final).
Bytes sign_quote(tdx::QuoteV4 q, const SignPlan& plan);

}  // namespace pnc::mock_tdx::detail
