// The case model: a case is data (stable spec id, title, mechanism, the profiles it applies to,
// what the spec expects per profile, what it needs from the SUT) plus a small driver that sends,
// observes and compares. Drivers never judge by running the reference's verifier on the SUT's
// output when the spec gives a fixed expected value.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/sut.hpp"
#include "core/verdict.hpp"
#include "pnc/types.hpp"

namespace pnc::conf {

using Millis = std::chrono::milliseconds;

// How the runner reaches the system under test.
enum class Target {
  challenge,  // the SUT is a server: the runner plays validator / platform-api against --url
  validator,  // the SUT is a client: the runner plays the challenge on a loopback port
  shim,       // the SUT answers primitive/message operations over the stdio shim protocol
};
std::string_view to_string(Target t);
std::optional<Target> parse_target(std::string_view name);

// What a driver reports back.
// What a case exercises. Reports group cases by it (console summary, the certificate's chart) and
// print its name (report.json, junit.xml classnames, the certificate, `list`): the names are
// part of the report format.
enum class Mechanism {
  handshake,     // "handshake"
  attestation,   // "attestation": the SUT's own quote (HS-QUOTE)
  key_exchange,  // "key exchange"
  envelope,      // "envelope"
  transport,     // "transport"
  bootstrap,     // "bootstrap"
  signed_http,   // "signed-http"
  credentials,   // "credentials"
  http_body,     // "http-body"
  identity,      // "identity"
  vectors,       // "vectors/<file>": a shim case from a vector file (Case::vector_file)
};
std::string_view to_string(Mechanism m);

struct Outcome {
  Verdict verdict = Verdict::fail;
  std::string observed;  // what the SUT did, in words
  std::string expected;  // overrides Case::expected_for() when the driver knows better
  // UNIMPLEMENTED on the runner's side (e.g. a vector-file group type the runner cannot map yet):
  // reported visibly, but not counted against the SUT in the exit status.
  bool runner_gap = false;
  // SKIPPED because the case does not apply to the SUT's declared configuration (CaseReport).
  bool not_applicable = false;

  static Outcome pass(std::string observed) { return {Verdict::pass, std::move(observed), {}}; }
  static Outcome fail(std::string observed, std::string expected = {}) {
    return {Verdict::fail, std::move(observed), std::move(expected)};
  }
  static Outcome gap(std::string observed) { return {Verdict::unimplemented, std::move(observed), {}, true}; }
  static Outcome skipped(std::string why) { return {Verdict::skipped, std::move(why), {}}; }
  static Outcome inapplicable(std::string why) { return {Verdict::skipped, std::move(why), {}, false, true}; }
  // The case's precondition (a working handshake, a session that answers, an accepted first
  // request) could not be established: the subject was not tested, and the SUT is not blamed
  // for it here (whatever broke the precondition is the subject of its own case).
  static Outcome blocked(std::string what) { return {Verdict::blocked, "precondition failed: " + std::move(what), {}}; }
};

// Per-target state a driver talks to (shim process, SUT address and keys, loopback harness);
// drivers cast to the concrete type of their target.
class TargetSession {
 public:
  virtual ~TargetSession() = default;
};

// Everything a driver may use.
struct Context {
  Profile profile = Profile::seed_spec;
  const SutDescription* sut = nullptr;
  Millis timeout{2000};          // every single network/pipe wait
  TargetSession* session = nullptr;
};

struct Case {
  std::string id;         // the spec id (N-HS-01, V2, ...) or derived from it (N-HS-05.62hex)
  std::string title;
  Mechanism mechanism = Mechanism::handshake;
  std::string vector_file;  // Mechanism::vectors: the vector file's short name ("golden", "x25519", ...)
  Target target = Target::challenge;
  std::vector<Profile> profiles;                // empty: every profile
  std::map<Profile, std::string> expected;      // per-profile expected behaviour, in words
  std::string expected_default;                 // when the profile has no own entry
  std::vector<Need> needs;                      // what the SUT must have (else SKIPPED)
  // Runs alone, after the concurrent cases: it streams 16-100 MiB, and its neighbours' 2 s
  // waits must not depend on how fast the machine moves that much data.
  bool exclusive = false;
  std::function<Outcome(Context&)> run;

  // The mechanism as reports print it: to_string(mechanism), "vectors/<vector_file>" for vectors.
  std::string mechanism_name() const;
  bool applies_to(Profile p) const;
  const std::string& expected_for(Profile p) const;
};

}  // namespace pnc::conf
