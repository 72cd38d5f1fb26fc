// The four report forms of one run (docs/report-format.md): console text, report.json (schema
// documented), JUnit XML for CI, and a self-contained HTML certificate page.
#pragma once

#include <iosfwd>
#include <map>
#include <vector>
#include <string>

#include "core/engine.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

// Summary per mechanism, then every non-PASS case with expected and observed behaviour.
void write_console_report(std::ostream& out, const RunReport& report, bool color);
// One progress line (rewritten in place with '\r' when `tty`).
void write_progress(std::ostream& out, std::size_t done, std::size_t total, const CaseReport& last,
                    bool tty);

std::string json_report(const RunReport& report);
std::string junit_report(const RunReport& report);
std::string html_certificate(const RunReport& report);

// report.json, junit.xml and certificate.html into `dir` (created if missing).
Status write_report_files(const std::string& dir, const RunReport& report);

// Per-mechanism verdict counts, mechanisms in first-appearance order.
struct MechanismStats {
  std::string mechanism;
  std::map<Verdict, int> counts;
  int total = 0;
  double pass_rate() const;  // PASS / (total - SKIPPED); 1.0 when nothing is in scope
};
std::vector<MechanismStats> mechanism_stats(const RunReport& report);

}  // namespace pnc::conf
