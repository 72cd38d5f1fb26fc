// Deliberately faulty behaviours of the reference peers (`--mutant NAME`). A mutant is one named
// set of fault switches (pnc/testing/faults.hpp), each read by the reference at the exact check it
// breaks; only `weights-500` and `weights-any-body` are peer-level faults (the HTTP route itself fails). Each mutant is a
// single realistic bug, so the conformance runner's tests can show which cases catch it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pnc/testing/faults.hpp"

namespace pnc::peers {

// Everything a peer can be told to do wrong.
struct PeerFaults {
  testing::Faults reference;          // the switches read inside pnc::reference
  bool weights_server_error = false;  // /sdk/weights answers HTTP 500 to every request
  bool weights_accept_any_body = false;  // /sdk/weights answers 200 to any body (§6.8 unchecked)
  bool handshake_deadline_halved = false;  // the §3.5 S0 timer is armed at half --handshake-deadline-ms
  bool results_payload_server_error = false;  // /results/* answers 500 to a payload that is not a JSON object
};

struct MutantInfo {
  std::string_view name;
  bool challenge;  // pnc-ref-challenge supports it
  bool validator;  // pnc-ref-validator supports it
  std::string_view what;
  void (*switch_on)(PeerFaults&);  // sets this mutant's switches
};

const std::vector<MutantInfo>& mutant_catalogue();
// The switch set of "none" (all off) or of a catalogue name; nullopt for an unknown name.
std::optional<PeerFaults> mutant_faults(std::string_view name);
// The --list-mutants text for one peer: "name<TAB>description" lines.
std::string list_mutants(bool for_challenge);

}  // namespace pnc::peers
