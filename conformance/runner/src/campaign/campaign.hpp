// A fuzz campaign against a challenge SUT or a shim (docs/campaigns.md): inputs generated from a seed
// (a scenario plus 1-3 typed mutations, or a corpus entry plus one more), the reference oracle's
// prediction, the SUT's observation, and for every difference a finding shrunk by delta
// debugging of its mutation list, confirmed by a second run, deduplicated by (class, outcome)
// and written as a small JSON file that `pnc-conformance replay` runs again.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "campaign/scenario.hpp"

namespace pnc::conf::campaign {

inline constexpr int kFindingVersion = 1;

struct Finding {
  std::string kind;  // "difference", "sut-exited"
  std::string profile;
  std::uint64_t seed = 0;
  std::uint64_t exec = 0;
  Input input;
  std::string klass;    // scenario/step/field..., the dedupe key with the outcome
  std::string outcome;  // "expected X, observed Y" at the first differing step
  Trace expected;
  Trace observed;
  std::string note;     // e.g. the SUT's exit status
  std::string key() const { return klass + " | " + outcome; }
};

json::Json to_json(const Finding& f);
Result<Finding> finding_from_json(std::string_view text);  // errors: finding.*

struct CampaignSettings {
  Target target = Target::challenge;  // challenge: the network scenarios; shim: the shim's
  Profile profile = Profile::seed_spec;
  std::uint64_t seed = 1;
  std::uint64_t runs = 0;      // execs of this shard (0: until duration)
  double duration_s = 0;       // 0: until runs
  std::uint64_t max_findings = 0;  // stop after this many findings (0: never)
  unsigned shard = 0, shards = 1;
  std::string findings_dir;    // empty: findings only reported
  std::string corpus_dir;      // empty: in-memory corpus
  std::vector<std::string> only_scenarios;  // empty: every scenario the SUT supports (shim: also op names)
  const std::atomic<bool>* stop = nullptr;
  bool progress = true;
};

struct CampaignResult {
  std::uint64_t execs = 0;
  double seconds = 0;
  std::vector<Finding> findings;
  std::vector<std::string> files;
  std::uint64_t flaky = 0;  // differences that did not show again
  std::size_t corpus = 0;
  std::vector<double> first_finding_s;  // seconds into the campaign of each finding
};

// One input as the oracle (expected) and the SUT (observed) handled it.
struct Execution {
  Trace expected;
  Trace observed;
  std::string exited;  // the SUT process exited (how); empty: running, or not managed
};
// Runs one input against the SUT and the oracle with the keys and nonces `value_seed` draws;
// nullopt: the input is not judged (the oracle has no verdict on it).
using Executor = std::function<std::optional<Execution>(const Input& input, std::uint64_t value_seed)>;
// The executor of a challenge or shim campaign: the oracle endpoint first, then the SUT's,
// waiting at each step for as many events as the oracle produced.
Executor endpoint_executor(Profile profile, const SutDescription& sut, Endpoint& target, Endpoint& oracle);

// `restart` brings a dead SUT back.
CampaignResult run_campaign(const CampaignSettings& s, const SutDescription& sut, const Executor& execute,
                            const std::function<void()>& restart, std::ostream& progress);

// One typed mutation of `sc` (step, field, operation and argument drawn from `c`); `sc` must
// have a step with fields (has_fields).
Mutation random_mutation(Choices& c, const Scenario& sc);
bool has_fields(const Scenario& sc);

// Runs one input: the finding it still shows, if any.
std::optional<Finding> check_input(const Input& input, Profile profile, const Executor& execute, std::uint64_t value_seed,
                                   Trace* expected_out = nullptr);

std::string finding_file_name(const Finding& f);

}  // namespace pnc::conf::campaign
