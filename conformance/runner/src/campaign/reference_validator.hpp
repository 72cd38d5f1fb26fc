// The oracle of a validator campaign: pnc-ref-validator's client role (ValidatorApp, run_client)
// in process, configured like the SUT (profile, environment mode, attestation mode, expected
// compose hash), reached through the same ValidatorSession a validator SUT is: every
// next_connection() starts one client run on a thread that connects to the session's loopback
// challenge. The caller aborts its connections before the next one (the run then ends at once).
#pragma once

#include <memory>

#include "cases/validator_session.hpp"

namespace pnc::conf::campaign {

// Errors: setup.listen, or the reference's own configuration error.
Result<std::unique_ptr<ValidatorSession>> open_reference_validator(Profile profile, const SutDescription& sut, Millis timeout);

}  // namespace pnc::conf::campaign
