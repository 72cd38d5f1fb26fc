// Stateful handshake sessions of the shim protocol (README.md, "Handshake transcripts"): one
// ServerHandshake or ClientHandshake of pnc::reference per session id, created by
// handshake_start, fed frame by frame by handshake_input, checked with handshake_probe once the
// key exists, and freed by handshake_end. The vector's `rng` script is the machine's randomness.
#pragma once

#include <cstddef>

#include "op_support.hpp"

namespace pnc::shim {

// More live sessions than this evict the oldest: a runner that never ends its sessions cannot
// make the shim grow without bound.
inline constexpr std::size_t kMaxHandshakeSessions = 64;

Answer op_handshake_start(const Json& args, Profile profile);
Answer op_handshake_input(const Json& args, Profile profile);
Answer op_handshake_probe(const Json& args, Profile profile);
Answer op_handshake_end(const Json& args, Profile profile);

}  // namespace pnc::shim
