// Scenarios: valid message sequences the reference builds (an attested WebSocket session,
// signed HTTP requests, MinerTokens, sealed credentials), the fields of each step a mutation may
// change, and the executor that sends a mutated sequence to an Endpoint and writes down what came
// back, step by step, in a normal form both endpoints share ("msg:attestation_response",
// "enc:db_version_response", "close:1008", "HTTP 401", ...). Pure protocol logic: the endpoint
// moves the bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/endpoint.hpp"
#include "campaign/mutation.hpp"
#include "core/sut.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::conf::campaign {

struct StepInfo {
  std::string name;
  std::vector<std::string> fields;  // mutable fields; empty: the step only judges (never mutated)
  bool websocket = false;
};

// The shim target's scenarios are single operations seeded by vector-file tests (fuzz --target
// shim): the call, and the result members compared (pnc::conf::ShimSeed).
struct ShimCall {
  std::string op;
  json::Json args;
  std::vector<std::string> judged;
};

struct Scenario {
  std::string name;
  std::string what;
  std::vector<StepInfo> steps;
  std::vector<Need> needs;
  std::optional<ShimCall> shim = std::nullopt;  // set: a shim scenario ("shim:<file stem>#<tcId>")
  Target network_target = Target::challenge;    // who the SUT is in a network scenario
  Target target() const { return shim ? Target::shim : network_target; }
};

// The network scenarios, then the shim scenarios once add_shim_scenarios has run (a deque:
// pointers from find_scenario stay valid).
const std::deque<Scenario>& scenarios();
const Scenario* find_scenario(const std::string& name);
// Whether --scenarios NAME selects `sc`: its name, or (shim scenarios) its operation.
bool scenario_named(const Scenario& sc, const std::string& name);
// The field operations a campaign draws for `field` of `sc` (every one, except for shim arguments).
std::vector<std::string> field_ops(const Scenario& sc, const std::string& field);
// Registers one shim scenario per single-operation test of the vector files (once; later calls
// return the first result). Errors: vectors.*.
Status add_shim_scenarios(const std::string& vectors_dir);

// One campaign input: a scenario and the mutations applied to it.
struct Input {
  std::string scenario;
  std::vector<Mutation> mutations;
};

// What one sent step brought back, in normal form.
struct StepResult {
  std::string step;               // "begin", "begin (replay)", ...
  std::vector<std::string> seen;  // normal-form events; empty: nothing (dropped silently)
  bool operator==(const StepResult&) const = default;
};
using Trace = std::vector<StepResult>;

struct ExecEnv {
  Profile profile = Profile::seed_spec;
  const SutDescription* sut = nullptr;
  std::uint64_t value_seed = 0;  // keys, nonces, salts of this execution (the same for both endpoints)
};

// Runs `input` against `ep`. A shim scenario's one step is the operation with its argument
// mutations applied; what it saw is "ok" plus the judged result members, "error",
// "unimplemented" or "shim-failed" (timeout, exit, garbage). With `predicted` (the oracle's trace of the same input) the
// network endpoint waits for as many events per step as the oracle produced, and the run stops
// after the first step that differs.
Trace execute(const Input& input, Endpoint& ep, const ExecEnv& env, const Trace* predicted = nullptr);

// What a shim scenario's step saw when pnc-ref-shim refused the arguments themselves
// ("shim.bad_request"): the oracle has no verdict, so the input is not judged.
inline constexpr std::string_view kNotJudged = "not-judged";
// A shim answer in that normal form: "ok m=v ..." over the `judged` result members (JSON text
// compared parsed, long values as a digest, an HTTP status as 200 / refused), "error",
// "unimplemented", "shim-failed" or kNotJudged. Shim campaigns and shim properties compare these.
std::string shim_answer_normal(const Result<ShimAnswer>& a, const std::vector<std::string>& judged);

// A signed request as the network sends it.
net::HttpRequest to_net(const signed_http::HttpRequest& r);

// The first step where the two traces differ (trace size when they agree).
std::size_t first_difference(const Trace& expected, const Trace& observed);
json::Json to_json(const StepResult& r);

}  // namespace pnc::conf::campaign
