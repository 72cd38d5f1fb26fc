// Input files are checked member by member: a misspelled member ("sealed_seed" for
// "sealed_key_seed") would otherwise be ignored and silently change what the run tests. An unknown
// member is an error naming it and the closest known one; members starting with '$' (e.g.
// "$comment") are left for the author.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pnc/json.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

// The known name nearest to `name` (Levenshtein distance, at most a third of its length + 1),
// or "" when none is close.
std::string closest_name(std::string_view name, const std::vector<std::string_view>& known);

// Error `code` "<where>: unknown member "x" (did you mean "y"?)" for the first unknown member.
Status check_known_members(const json::Json& object, const std::vector<std::string_view>& known, std::string_view where,
                           const char* code);

}  // namespace pnc::conf
