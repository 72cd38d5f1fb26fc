// What the challenge target's WebSocket cases share (challenge_handshake_cases.cpp,
// challenge_envelope_cases.cpp).
#pragma once

#include <cstddef>
#include <string>

#include "cases/challenge_session.hpp"
#include "cases/ws_expect.hpp"
#include "core/case.hpp"

namespace pnc::conf {

// The SUT's reaction to the runner's last frame on `conn`, judged against `e`: a close (code,
// attestation_reject or not), an attestation_response, or for "alive" / "accepted" a liveness
// probe that must be answered.
Outcome judge_reaction(Context& ctx, Conn& conn, const WsExpect& e);

// `b64` decoded, cut or padded (with 0x41 bytes) to `n` bytes, and encoded again.
std::string b64_resize(const std::string& b64, std::size_t n);

}  // namespace pnc::conf
