// Case-id globs (--filter) and the certifier's expectations file (--expectations FILE), after
// BoGo's -shim-config: {"expected_failures": {"<case-id glob>": "<reason>"}}. A case matching a
// glob whose verdict is not acceptable becomes EXPECTED-FAIL with the reason; the report still
// lists the original observation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pnc/result.hpp"

namespace pnc::conf {

// Shell-style glob (fnmatch: *, ?, [...]) over a case id. A comma-separated list matches if any
// element does; an element starting with '-' excludes ("N-HS-*,-N-HS-23").
bool glob_match(std::string_view pattern_list, std::string_view id);

class Expectations {
 public:
  using Entry = std::pair<std::string, std::string>;  // glob, reason
  // The first entry whose glob matches `id`, or null.
  const Entry* match(std::string_view id) const;
  // The reason of the first glob matching `id`.
  std::optional<std::string> reason_for(std::string_view id) const;
  const std::vector<Entry>& entries() const { return entries_; }
  // The globs that match none of `ids` (a typo, or a case that no longer exists): a warning.
  std::vector<std::string> globs_matching_none(const std::vector<std::string>& ids) const;
  std::size_t size() const { return entries_.size(); }
  void add(std::string glob, std::string reason) { entries_.emplace_back(std::move(glob), std::move(reason)); }

 private:
  std::vector<Entry> entries_;
};

Result<Expectations> parse_expectations(std::string_view json_text);
Result<Expectations> load_expectations(const std::string& path);

}  // namespace pnc::conf
