// The HTTP bootstrap of PROTOCOL.md §2 as shim operations (bootstrap_test.json): the validator's
// /attest check after it issued a given nonce, the challenge's processing of the /attest answer,
// and the client's reading of the /attestation/challenge answer.
#pragma once

#include "op_support.hpp"

namespace pnc::shim {

Answer op_attest_request(const Json& args, Profile profile);
Answer op_attest_response(const Json& args, Profile profile);
Answer op_nonce_response(const Json& args, Profile profile);

}  // namespace pnc::shim
