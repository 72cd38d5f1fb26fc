// The certificate's headline (docs/report-format.md, "Headline"): CONFORMANT only for a complete,
// unfiltered, unwaived run in which every applicable case PASSed; otherwise the word says what
// kind of run it was and the reasons say why. Campaigns get words of their own.
#include "report/report.hpp"

namespace pnc::conf {

namespace {

std::string count(int n, const char* what) { return std::to_string(n) + " " + what; }

// A campaign's headline: FINDINGS, INCOMPLETE or NO FINDINGS, never a conformance word.
Headline campaign_headline(const RunReport& report) {
  int fail = 0, blocked = 0, skipped = 0;
  for (const auto& c : report.cases) {
    fail += c.verdict == Verdict::fail || c.verdict == Verdict::unimplemented ? 1 : 0;
    blocked += c.verdict == Verdict::blocked ? 1 : 0;
    skipped += c.verdict == Verdict::skipped ? 1 : 0;
  }
  const char* unit = report.kind == ReportKind::fuzz ? "execution(s)" : "generated case(s)";
  Headline h;
  if (fail > 0) h.reasons.push_back(count(fail, "finding(s): the SUT did not do what the reference does with the same input"));
  const std::size_t incomplete_from = h.reasons.size();
  if (report.interrupted) h.reasons.push_back("the campaign was interrupted: only what completed is reported");
  if (report.campaign.executions == 0) h.reasons.push_back(std::string("no ") + unit + " ran");
  if (blocked > 0) h.reasons.push_back(count(blocked, "never judged (BLOCKED or inconclusive)"));
  const bool incomplete = h.reasons.size() > incomplete_from;
  if (skipped > 0) h.reasons.push_back(count(skipped, "SKIPPED (the SUT does not offer what they need)"));
  h.reasons.push_back(std::to_string(report.campaign.executions) + " " + unit + ", seed " +
                      std::to_string(report.campaign.seed) + "; a campaign looks for faults no fixed case names and "
                      "certifies nothing (pnc-conformance run does)");
  h.word = fail > 0 ? "FINDINGS" : incomplete ? "INCOMPLETE" : "NO FINDINGS";
  return h;
}

}  // namespace

Headline headline(const RunReport& report) {
  if (report.kind != ReportKind::conformance) return campaign_headline(report);
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
