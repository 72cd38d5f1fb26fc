#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/provenance.hpp"
#include "report/report.hpp"
#include "report/signature.hpp"

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

Status check_report_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("setup.report_dir", "--report-dir " + dir + ": cannot create it: " + ec.message());
  const auto probe = std::filesystem::path(dir) / (".pnc-write-check-" + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_error("setup.report_dir", "--report-dir " + dir + ": not writable: " + std::strerror(errno));
  ::close(fd);
  std::filesystem::remove(probe, ec);
  return {};
}

std::string html_file_name(const RunReport& report) {
  return report.kind == ReportKind::conformance ? "certificate.html" : "report.html";
}

Status write_report_files(const std::string& dir, const RunReport& report, const SecretBytes* sign_seed) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("report.write_failed", "cannot create " + dir + ": " + ec.message());
  const std::filesystem::path base(dir);
  const std::string json = json_report(report);
  if (auto s = write_file(base / "report.json", json); !s) return s;
  if (sign_seed != nullptr) {
    if (auto s = write_file(base / kSignatureFile, signature_text(*sign_seed, json)); !s) return s;
  } else {
    std::filesystem::remove(base / kSignatureFile, ec);  // a stale signature would now fail to verify
  }
  if (auto s = write_file(base / "junit.xml", junit_report(report)); !s) return s;
  return write_file(base / html_file_name(report), html_certificate(report, sha256_hex(json)));
}

}  // namespace pnc::conf
