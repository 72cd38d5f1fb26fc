// JSON reading per PROTOCOL.md §0.3 on nlohmann::json. seed-spec/hardened reject duplicate
// members, nesting deeper than 64, invalid UTF-8, lone surrogates and NaN/Infinity; sdk-compat
// accepts duplicates (last wins) and any depth. Typed member accessors give one error per rule.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::json {

using Json = nlohmann::json;

inline constexpr std::size_t kMaxDepth = 64;

inline constexpr const char* kSyntax = "json.syntax";           // not RFC 8259 JSON (incl. NaN, bad UTF-8)
inline constexpr const char* kDuplicate = "json.duplicate_member";
inline constexpr const char* kTooDeep = "json.too_deep";
inline constexpr const char* kNotObject = "json.not_object";
inline constexpr const char* kMissing = "json.missing_member";
inline constexpr const char* kWrongType = "json.wrong_type";

Result<Json> parse(std::string_view text, Profile profile = Profile::seed_spec);
// parse() and require a top-level object.
Result<Json> parse_object(std::string_view text, Profile profile = Profile::seed_spec);

// Member accessors on an object; `name` appears in the error message.
Result<std::string> get_string(const Json& obj, std::string_view name);
Result<std::int64_t> get_int(const Json& obj, std::string_view name);  // JSON integer only
Result<Json> get_object(const Json& obj, std::string_view name);
bool has(const Json& obj, std::string_view name);

// Compact serialisation (no whitespace, UTF-8 kept as is); the form the reference emits.
std::string dump(const Json& value);

}  // namespace pnc::json
