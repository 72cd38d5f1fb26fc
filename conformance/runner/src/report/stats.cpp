#include <algorithm>

#include "report/report.hpp"

namespace pnc::conf {

double MechanismStats::pass_rate() const {
  auto get = [&](Verdict v) {
    auto it = counts.find(v);
    return it == counts.end() ? 0 : it->second;
  };
  const int in_scope = total - get(Verdict::skipped);
  if (in_scope <= 0) return 1.0;
  return static_cast<double>(get(Verdict::pass)) / static_cast<double>(in_scope);
}

std::vector<MechanismStats> mechanism_stats(const RunReport& report) {
  std::vector<MechanismStats> out;
  for (const auto& c : report.cases) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const MechanismStats& s) { return s.mechanism == c.mechanism; });
    if (it == out.end()) {
      out.push_back(MechanismStats{c.mechanism, {}, 0});
      for (Verdict v : kAllVerdicts) out.back().counts[v] = 0;
      it = std::prev(out.end());
    }
    ++it->counts[c.verdict];
    ++it->total;
  }
  return out;
}

}  // namespace pnc::conf
