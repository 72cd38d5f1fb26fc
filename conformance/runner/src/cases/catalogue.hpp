// The case catalogue per target. Shim cases come from the vector files; network cases from the
// §12 negative cases and §13 golden vectors that apply to the SUT's role.
#pragma once

#include <string>
#include <vector>

#include "core/case.hpp"
#include "pnc/json.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

// Golden vectors V1-V9 of vectors/PROTOCOL-vectors.json as shim cases.
Result<std::vector<Case>> golden_vector_cases(const std::string& vectors_dir);
// Every test of every vectors/testvectors_v1/*.json file as a shim case (none if the directory
// does not exist yet).
Result<std::vector<Case>> vector_file_cases(const std::string& vectors_dir);
// Everything the shim target runs.
Result<std::vector<Case>> shim_cases(const std::string& vectors_dir);

// One single-operation vector-file test as a campaign seed (fuzz --target shim): the call, and
// the members of an ok result the vector file judges (every test of its group together;
// "status" is judged as accepted (200) or refused, as the file's judges do).
struct ShimSeed {
  std::string id;  // "<file stem>#<tcId>"
  std::string op;
  json::Json args;
  std::vector<std::string> judged;
  bool valid = false;  // the test's result is "valid" in some profile
};
Result<std::vector<ShimSeed>> shim_seeds(const std::string& vectors_dir);

// The runner plays validator / platform-api against a challenge SUT.
std::vector<Case> challenge_cases();
// The runner plays the challenge against a validator SUT.
std::vector<Case> validator_cases();

Result<std::vector<Case>> cases_for(Target target, const std::string& vectors_dir);

}  // namespace pnc::conf
