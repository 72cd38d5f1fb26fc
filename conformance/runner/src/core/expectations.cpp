#include "core/expectations.hpp"
#include "core/read_file.hpp"

#include <fnmatch.h>

#include <fstream>
#include <sstream>

#include "core/known_members.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

bool glob_match(std::string_view pattern_list, std::string_view id) {
  const std::string name(id);
  bool included = false;
  bool any_positive = false;
  std::size_t start = 0;
  while (start <= pattern_list.size()) {
    std::size_t end = pattern_list.find(',', start);
    if (end == std::string_view::npos) end = pattern_list.size();
    std::string element(pattern_list.substr(start, end - start));
    start = end + 1;
    if (element.empty()) continue;
    if (element[0] == '-') {
      if (fnmatch(element.c_str() + 1, name.c_str(), 0) == 0) return false;
    } else {
      any_positive = true;
      if (fnmatch(element.c_str(), name.c_str(), 0) == 0) included = true;
    }
  }
  return included || !any_positive;
}

const Expectations::Entry* Expectations::match(std::string_view id) const {
  const std::string name(id);
  for (const auto& entry : entries_)
    if (fnmatch(entry.first.c_str(), name.c_str(), 0) == 0) return &entry;
  return nullptr;
}

std::vector<std::string> Expectations::globs_matching_none(const std::vector<std::string>& ids) const {
  std::vector<std::string> out;
  for (const auto& [glob, reason] : entries_) {
    bool any = false;
    for (const auto& id : ids)
      if (fnmatch(glob.c_str(), id.c_str(), 0) == 0) {
        any = true;
        break;
      }
    if (!any) out.push_back(glob);
  }
  return out;
}

std::optional<std::string> Expectations::reason_for(std::string_view id) const {
  if (const Entry* entry = match(id)) return entry->second;
  return std::nullopt;
}

Result<Expectations> parse_expectations(std::string_view json_text) {
  auto doc = json::parse_object(json_text);
  if (!doc) return make_error("expectations.bad_json", "expectations file: " + doc.error().message);
  if (auto s = check_known_members(*doc, {"expected_failures"}, "expectations file", "expectations.unknown_member"); !s)
    return s.error();
  auto it = doc->find("expected_failures");
  if (it == doc->end() || !it->is_object())
    return make_error("expectations.bad_shape",
                      "expectations file: needs an object member \"expected_failures\" {glob: reason}");
  Expectations out;
  for (const auto& [glob, reason] : it->items()) {
    if (!reason.is_string() || reason.get<std::string>().empty())
      return make_error("expectations.bad_shape", "expectations file: the reason for \"" + glob +
                                                      "\" must be a non-empty string");
    out.add(glob, reason.get<std::string>());
  }
  return out;
}

Result<Expectations> load_expectations(const std::string& path) {
  const auto text = read_file(path);
  if (!text) return make_error("expectations.unreadable", "cannot read expectations file " + path);
  return parse_expectations(*text);
}

}  // namespace pnc::conf
