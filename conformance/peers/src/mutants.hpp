// Deliberately faulty behaviours of the reference peers (`--mutant NAME`). Each mutant changes
// exactly one observable behaviour so that the conformance runner's tests can show they catch it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pnc::peers {

enum class Mutant {
  none,
  accept_replay,          // no R6: a replayed / reflected WebSocket envelope is processed again
  nonce_at_584,           // own quotes carry SHA256(N) at offset 584 instead of 568
  skip_zero_check,        // an all-zero X25519 shared secret is not refused (low-order peer key)
  ignore_timestamp,       // signed-request verifier skips V2 (timestamp skew)
  accept_http_replay,     // signed-request verifier skips V7 (X-Nonce replay cache)
  accept_alg_none,        // /sdk/public accepts an X-Miner-Token with alg "none" unverified
  trust_verified_headers, // /sdk/public honours X-Verified-* from anyone (no proxy authentication)
  no_deadline,            // no 30 s (--handshake-deadline-ms) handshake deadline
  accept_binary,          // binary frames are ignored instead of closing 1003
};

struct MutantInfo {
  Mutant id;
  std::string_view name;
  bool challenge;  // pnc-ref-challenge supports it
  bool validator;  // pnc-ref-validator supports it
  std::string_view what;
};

const std::vector<MutantInfo>& mutant_catalogue();
std::optional<Mutant> parse_mutant(std::string_view name);  // "none" or a catalogue name
std::string_view to_string(Mutant m);
// The --list-mutants text for one peer: "name<TAB>description" lines.
std::string list_mutants(bool for_challenge);

}  // namespace pnc::peers
