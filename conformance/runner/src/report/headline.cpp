// The certificate's headline (docs/report-format.md, "Headline"): CONFORMANT only for a complete,
// unfiltered, unwaived run in which every applicable case PASSed; otherwise the word says what
// kind of run it was and the reasons say why.
#include "report/report.hpp"

namespace pnc::conf {

namespace {

std::string count(int n, const char* what) { return std::to_string(n) + " " + what; }

}  // namespace

Headline headline(const RunReport& report) {
  int fail = 0, unimplemented = 0, blocked = 0, untested = 0, gaps = 0, waived = 0, executed = 0;
  for (const auto& c : report.cases) {
    switch (c.verdict) {
      case Verdict::fail: ++fail; break;
      case Verdict::unimplemented: ++(c.runner_gap ? gaps : unimplemented); break;
      case Verdict::blocked: ++blocked; break;
      case Verdict::skipped: if (!c.not_applicable) ++untested; break;
      case Verdict::expected_fail: ++waived; break;
      case Verdict::pass: break;
    }
    if (c.verdict != Verdict::skipped) ++executed;
  }
  Headline h;
  if (fail > 0) h.reasons.push_back(count(fail, "case(s) FAIL"));
  if (unimplemented > 0) h.reasons.push_back(count(unimplemented, "case(s) UNIMPLEMENTED by the SUT"));
  const bool not_conformant = !h.reasons.empty();

  const std::size_t partial_from = h.reasons.size();
  if (report.interrupted) h.reasons.push_back("the run was interrupted: only the cases that completed are reported");
  if (report.cases.empty()) {
    h.reasons.push_back(report.provenance.catalogue_cases == 0 ? "the catalogue is empty"
                                                               : "no case selected (--filter '" + report.provenance.filter + "')");
  } else if (executed == 0) {
    h.reasons.push_back("no case applies to this configuration");
  }
  if (!report.cases.empty() && report.cases.size() < report.provenance.catalogue_cases)
    h.reasons.push_back("filtered: --filter '" + report.provenance.filter + "' selected " + std::to_string(report.cases.size()) +
                        " of " + std::to_string(report.provenance.catalogue_cases) + " cases");
  if (blocked > 0) h.reasons.push_back(count(blocked, "case(s) BLOCKED (precondition failed, subject not tested)"));
  if (untested > 0) h.reasons.push_back(count(untested, "case(s) SKIPPED for want of a key or address (SUT description)"));
  if (gaps > 0) h.reasons.push_back(count(gaps, "case(s) the runner cannot drive yet (runner gap)"));
  const bool partial = h.reasons.size() > partial_from;

  if (waived > 0) h.reasons.push_back(count(waived, "case(s) waived as known deviations (EXPECTED-FAIL)"));

  h.word = not_conformant ? "NOT CONFORMANT" : partial ? "PARTIAL" : waived > 0 ? "CONFORMANT WITH DEVIATIONS" : "CONFORMANT";
  return h;
}

}  // namespace pnc::conf
