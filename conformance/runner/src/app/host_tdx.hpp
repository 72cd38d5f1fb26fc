// `run --tdx configfs|dstack`: the runner's own quotes from this TDX host's quote service and the
// root the SUT's quotes must chain to (core/runner_tdx.hpp). A SUT that verifies real quotes must
// be described as attestation_mode "prod": a mock SUT would refuse them.
#pragma once

#include <memory>

#include "app/run_command.hpp"
#include "core/runner_tdx.hpp"
#include "core/sut.hpp"

namespace pnc::conf {

// Null for --tdx mock; an error (setup.tdx) for an unknown source, a SUT not in prod mode or an
// unreadable / empty --root file. Nothing is asked of the quote service here: a failing service
// makes the cases that need the runner's quote BLOCKED, each with the service's error.
Result<std::shared_ptr<const RunnerTdx>> make_runner_tdx(const RunSettings& settings, const SutDescription& sut);

}  // namespace pnc::conf
