// Small text helpers for observations: a SUT may send anything, reports show a bounded,
// printable excerpt of it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pnc::conf {

// At most `max` bytes; longer text ends with "… (N bytes)". Control bytes become '.'.
std::string clip(std::string_view text, std::size_t max = 200);

// The non-empty items of a comma-separated option value ("a,b,,c" -> a, b, c).
std::vector<std::string> split_list(const std::string& text);

}  // namespace pnc::conf

#include "pnc/json.hpp"

namespace pnc::conf {

// A string member of a JSON object, or "" when absent / not a string (never throws).
std::string string_member(const json::Json& object, const char* name);

}  // namespace pnc::conf
