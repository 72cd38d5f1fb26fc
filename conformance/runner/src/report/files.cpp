#include <filesystem>
#include <fstream>

#include "report/report.hpp"

namespace pnc::conf {

namespace {

Status write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error("report.write_failed", "cannot write " + path.string());
  out << text;
  out.close();
  if (!out) return make_error("report.write_failed", "cannot write " + path.string());
  return {};
}

}  // namespace

Status write_report_files(const std::string& dir, const RunReport& report) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("report.write_failed", "cannot create " + dir + ": " + ec.message());
  const std::filesystem::path base(dir);
  if (auto s = write_file(base / "report.json", json_report(report)); !s) return s;
  if (auto s = write_file(base / "junit.xml", junit_report(report)); !s) return s;
  return write_file(base / "certificate.html", html_certificate(report));
}

}  // namespace pnc::conf
