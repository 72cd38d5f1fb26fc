// The fuzz campaign's executor for a validator SUT (fuzz --target validator, docs/campaigns.md):
// the runner plays the challenge twice, for the SUT and for the reference validator in process
// (configured like the SUT), and sends both the same mutated frames of the "validator-session"
// scenario (attestation_response, the sealed answers to the validator's requests) built from
// each connection's own attestation_begin with the same keys and nonces. After each frame both
// clients' reactions are read at once, in the normal form of campaign/validator_link; when both
// drop a frame the proper one follows and its reaction is part of the step. A SUT whose script
// ends (close 1000) before the reference's ends the comparison there; the SUT's quote is never
// judged here.
#pragma once

#include "campaign/campaign.hpp"
#include "cases/validator_session.hpp"

namespace pnc::conf::campaign {

Executor validator_executor(Profile profile, const SutDescription& sut, ValidatorSession& target, ValidatorSession& reference,
                            Millis timeout);

}  // namespace pnc::conf::campaign
