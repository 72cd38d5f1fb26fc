// handshake_test.json through the stateful shim operations (conformance/shim/README.md,
// "Handshake transcripts"): start a server or client machine in the shim, feed it the
// transcript's inputs, then judge whether a session was established, what it sent (seed-spec)
// and whether the derived key opens the probe envelope.
#pragma once

#include <string>

#include "core/case.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

// `expected`: "valid", "invalid" or "acceptable" in ctx.profile; `session` names the shim's
// machine (the case id).
Outcome run_handshake_transcript(Context& ctx, const json::Json& group, const json::Json& test,
                                 const std::string& expected, const std::string& session);

}  // namespace pnc::conf
