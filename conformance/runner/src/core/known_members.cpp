#include "core/known_members.hpp"

#include <algorithm>
#include <numeric>

namespace pnc::conf {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_name(std::string_view name, const std::vector<std::string_view>& known) {
  std::string best;
  std::size_t best_distance = name.size() / 3 + 2;  // anything further is no suggestion
  for (std::string_view k : known) {
    const std::size_t d = edit_distance(name, k);
    // A known name containing the typo (or the reverse) is close whatever the distance.
    const bool contained = name.size() >= 4 && (k.find(name) != std::string_view::npos || name.find(k) != std::string_view::npos);
    const std::size_t score = contained ? std::min<std::size_t>(d, 1) : d;
    if (score < best_distance) {
      best_distance = score;
      best = std::string(k);
    }
  }
  return best;
}

Status check_known_members(const json::Json& object, const std::vector<std::string_view>& known, std::string_view where,
                           const char* code) {
  if (!object.is_object()) return {};
  for (const auto& [member, value] : object.items()) {
    (void)value;
    if (!member.empty() && member[0] == '$') continue;
    if (std::find(known.begin(), known.end(), member) != known.end()) continue;
    std::string message = std::string(where) + ": unknown member \"" + member + "\"";
    if (const std::string near = closest_name(member, known); !near.empty()) message += " (did you mean \"" + near + "\"?)";
    else {
      message += "; known members:";
      for (std::string_view k : known) message += " " + std::string(k);
    }
    return make_error(code, message);
  }
  return {};
}

}  // namespace pnc::conf
