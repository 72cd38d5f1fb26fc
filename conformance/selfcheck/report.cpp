#include "report.hpp"

#include <cstdio>
#include <map>

namespace pnc::selfcheck {

bool Report::check(const std::string& mechanism, const std::string& what, bool pass,
                   const std::string& detail) {
  rows_.push_back(Row{profile_, mechanism, what, pass, detail});
  return pass;
}

std::size_t Report::failures() const {
  std::size_t n = 0;
  for (const auto& r : rows_) n += r.pass ? 0 : 1;
  return n;
}

void Report::print(bool verbose) const {
  std::string current;
  for (const auto& r : rows_) {
    if (!verbose && r.pass) continue;
    if (r.profile != current) {
      current = r.profile;
      std::printf("\n== profile %s ==\n", current.c_str());
    }
    std::printf("  %-4s %-14s %s%s%s\n", r.pass ? "PASS" : "FAIL", r.mechanism.c_str(),
                r.check.c_str(), r.detail.empty() ? "" : "  -- ", r.detail.c_str());
  }
  // Summary per profile and mechanism.
  std::map<std::string, std::map<std::string, std::pair<int, int>>> sum;
  for (const auto& r : rows_) {
    auto& cell = sum[r.profile][r.mechanism];
    cell.first += r.pass ? 1 : 0;
    cell.second += 1;
  }
  std::printf("\nSummary (passed/total per mechanism)\n");
  for (const auto& [profile, mechs] : sum) {
    std::printf("  %-11s", profile.c_str());
    for (const auto& [mech, c] : mechs) std::printf("  %s %d/%d", mech.c_str(), c.first, c.second);
    std::printf("\n");
  }
  std::printf("\n%zu checks, %zu passed, %zu failed\n", rows_.size(), rows_.size() - failures(),
              failures());
}

}  // namespace pnc::selfcheck
