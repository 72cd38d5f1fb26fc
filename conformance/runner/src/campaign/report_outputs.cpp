#include "campaign/report_outputs.hpp"

#include <fstream>

#include "pnc/child_process.hpp"
#include "report/report.hpp"

namespace pnc::conf::campaign {

std::string target_text(Target target, const std::string& url, const std::string& cmd) {
  return std::string(to_string(target)) + " " + (url.empty() ? "(started by the runner: " + executable_name(cmd) + ")" : url);
}

std::string address_name(const std::string& url, const std::string& cmd) { return url.empty() ? executable_name(cmd) : url; }

Status check_report_outputs(const ReportOutputs& outputs) {
  if (!outputs.junit.empty()) {
    std::ofstream probe(outputs.junit, std::ios::binary | std::ios::app);
    if (!probe) return make_error("cli.junit", "--junit " + outputs.junit + ": cannot write it");
  }
  if (!outputs.report_dir.empty()) return check_report_dir(outputs.report_dir);
  return {};
}

Status write_report_outputs(const ReportOutputs& outputs, const RunReport& report) {
  if (!outputs.junit.empty()) {
    std::ofstream file(outputs.junit, std::ios::binary | std::ios::trunc);
    file << junit_report(report);
    if (!file) return make_error("cli.junit", "--junit " + outputs.junit + ": writing it failed");
  }
  if (!outputs.report_dir.empty()) return write_report_files(outputs.report_dir, report);
  return {};
}

}  // namespace pnc::conf::campaign
