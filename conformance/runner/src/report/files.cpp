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
  return write_file(base / "certificate.html", html_certificate(report, sha256_hex(json)));
}

}  // namespace pnc::conf
