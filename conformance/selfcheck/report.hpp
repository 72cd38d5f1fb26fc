// A tiny check recorder for pnc-selfcheck: one row per check, printed as a readable report.
#pragma once

#include <string>
#include <vector>

namespace pnc::selfcheck {

struct Row {
  std::string profile;
  std::string mechanism;
  std::string check;
  bool pass = false;
  std::string detail;  // why it failed, or what was observed; never secret material
};

class Report {
 public:
  void set_profile(std::string profile) { profile_ = std::move(profile); }
  // Records one check; returns `pass` so callers can stop a dependent sequence.
  bool check(const std::string& mechanism, const std::string& what, bool pass,
             const std::string& detail = {});
  const std::vector<Row>& rows() const { return rows_; }
  std::size_t failures() const;
  void print(bool verbose) const;

 private:
  std::string profile_ = "-";
  std::vector<Row> rows_;
};

}  // namespace pnc::selfcheck
