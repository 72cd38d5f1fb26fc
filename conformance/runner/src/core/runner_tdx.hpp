// The runner's own TDX side on a TDX host (`run --tdx configfs|dstack`, issue 17): its quotes come
// from the host's quote service (configfs-tsm or the dstack guest agent, conformance/providers) and
// the SUT's prod quotes are verified (quote signature, QE report, PCK chain) against Intel's SGX
// root CA or the --root given. Without it (--tdx mock, the default) the runner makes MockQuoteV4
// or signed-mock quotes, as the SUT description's attestation_mode asks.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "pnc/attestation.hpp"

namespace pnc::conf {

struct RunnerTdx {
  std::string source = "mock";              // mock | configfs | dstack
  std::shared_ptr<QuoteProvider> provider;  // the host's quote service; null for mock
  std::string trusted_root_pem;             // the root the SUT's quotes must chain to
};

// Thrown by a case driver when the runner's own quote service fails: the case's precondition
// (the runner's evidence) is missing, so the engine reports it BLOCKED, never the SUT's FAIL.
struct PreconditionFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace pnc::conf
