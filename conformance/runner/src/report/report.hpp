// The four report forms of one run (docs/report-format.md): console text, report.json (schema
// documented), JUnit XML for CI, and a self-contained HTML certificate page.
#pragma once

#include <iosfwd>
#include <map>
#include <vector>
#include <string>

#include "core/engine.hpp"
#include "pnc/result.hpp"
#include "pnc/secret.hpp"

namespace pnc::conf {

// Summary per mechanism, then every non-PASS case with expected and observed behaviour.
void write_console_report(std::ostream& out, const RunReport& report, bool color);
// One progress line (rewritten in place with '\r' when `tty`).
void write_progress(std::ostream& out, std::size_t done, std::size_t total, const CaseReport& last,
                    bool tty);

// The certificate's headline: CONFORMANT, CONFORMANT WITH DEVIATIONS, PARTIAL or NOT CONFORMANT,
// and every reason it is not plain CONFORMANT (docs/report-format.md, "Headline"). A campaign's
// (fuzz, properties): FINDINGS, INCOMPLETE or NO FINDINGS, with the reasons and the volume.
struct Headline {
  std::string word;
  std::vector<std::string> reasons;
};
Headline headline(const RunReport& report);

std::string json_report(const RunReport& report);
std::string junit_report(const RunReport& report);
// `report_json_sha256`: the digest of the report.json written next to it, printed on the page.
std::string html_certificate(const RunReport& report, const std::string& report_json_sha256 = {});

// report.json, junit.xml and certificate.html (a campaign's: report.html) into `dir` (created if
// missing); with `sign_seed` also report.json.sig (report/signature.hpp;
// report.provenance.signing_public_key names its key).
// Before a run: can `dir` be created and written? (errors: setup.report_dir)
Status check_report_dir(const std::string& dir);
std::string html_file_name(const RunReport& report);
Status write_report_files(const std::string& dir, const RunReport& report, const SecretBytes* sign_seed = nullptr);

// Per-mechanism verdict counts, mechanisms in first-appearance order.
struct MechanismStats {
  std::string mechanism;
  std::map<Verdict, int> counts;
  int total = 0;
  double pass_rate() const;  // PASS / (total - SKIPPED); 1.0 when nothing is in scope
};
std::vector<MechanismStats> mechanism_stats(const RunReport& report);

}  // namespace pnc::conf
