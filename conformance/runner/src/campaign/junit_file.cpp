#include "campaign/junit_file.hpp"

#include <fstream>

#include "report/report.hpp"

namespace pnc::conf::campaign {

Status check_junit_path(const std::string& path) {
  std::ofstream probe(path, std::ios::binary | std::ios::app);
  if (!probe) return make_error("cli.junit", "--junit " + path + ": cannot write it");
  return {};
}

Status write_junit_file(const std::string& path, const RunReport& report) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << junit_report(report);
  if (!file) return make_error("cli.junit", "--junit " + path + ": writing it failed");
  return {};
}

}  // namespace pnc::conf::campaign
