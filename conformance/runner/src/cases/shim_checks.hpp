// A shim case is a list of operations with the answer the spec fixes for each (the vector's
// value, or a rejection). The driver sends them in order and stops at the first mismatch.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

struct ShimCheck {
  enum class Expect { ok, error, either };
  std::string op;
  json::Json args = json::Json::object();
  Expect expect = Expect::ok;
  // Members the ok result must hold with exactly these values (JSON text members compare as
  // parsed JSON, so member order and whitespace do not matter).
  json::Json result = json::Json::object();
};

// The checks may depend on the profile (an expected value that differs between profiles).
using ShimChecks = std::function<std::vector<ShimCheck>(Profile)>;

Outcome run_shim_checks(Context& ctx, const std::vector<ShimCheck>& checks);

// A shim case of the vector file `vector_file` (mechanism "vectors/<vector_file>").
Case make_shim_case(std::string id, std::string title, std::string vector_file, ShimChecks checks,
                    std::string expected, std::vector<Profile> profiles = {});

}  // namespace pnc::conf
