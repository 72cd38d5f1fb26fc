// A campaign's report files, through `run`'s writers (report/): `--junit FILE` (one <testcase>
// per finding or property) and `--report-dir DIR` (report.json of kind fuzz / properties,
// junit.xml, report.html), checked before the campaign and written after it.
#pragma once

#include <string>

#include "core/engine.hpp"
#include "pnc/result.hpp"

namespace pnc::conf::campaign {

struct ReportOutputs {
  std::string junit;       // empty: none
  std::string report_dir;  // empty: none
  bool any() const { return !junit.empty() || !report_dir.empty(); }
};

// The report's "target": the kind and the address, or the program's name for a started SUT
// (never the command line: its arguments may carry session tokens and keys).
std::string target_text(Target target, const std::string& url, const std::string& cmd);
// A campaign SUT's identity for sut_report_name(): the URL, or the started program's basename.
std::string address_name(const std::string& url, const std::string& cmd);

// Before the campaign: can they be written? (errors: cli.junit, setup.report_dir)
Status check_report_outputs(const ReportOutputs& outputs);
// After it (errors: cli.junit, report.write_failed).
Status write_report_outputs(const ReportOutputs& outputs, const RunReport& report);

}  // namespace pnc::conf::campaign
