// junit.xml: one <testcase> per case, for CI. FAIL and UNIMPLEMENTED are failures, BLOCKED is an
// error (the case could not test its subject); SKIPPED, EXPECTED-FAIL and runner gaps (UNIMPLEMENTED on the runner's side) are
// skipped with the reason.
#include <sstream>

#include "report/markup.hpp"
#include "report/report.hpp"

namespace pnc::conf {

std::string junit_report(const RunReport& report) {
  const auto summary = report.summary();
  int gaps = 0;
  for (const auto& c : report.cases) gaps += c.runner_gap && c.verdict == Verdict::unimplemented ? 1 : 0;
  const int failures =
      summary.at(Verdict::fail) + summary.at(Verdict::unimplemented) - gaps;
  const int errors = summary.at(Verdict::blocked);
  const int skipped = summary.at(Verdict::skipped) + summary.at(Verdict::expected_fail) + gaps;
  std::ostringstream x;
  auto seconds = [](std::int64_t ms) {
    std::ostringstream s;
    s << static_cast<double>(ms) / 1000.0;
    return s.str();
  };
  // pnc-conformance.<profile>, a campaign's pnc-conformance.<fuzz|properties>.<profile>
  const std::string suite_name = report.suite + "." +
                                 (report.kind == ReportKind::conformance ? "" : std::string(to_string(report.kind)) + ".") +
                                 report.profile;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"" << markup_escape(report.suite) << "\" tests=\"" << report.cases.size()
    << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\""
    << seconds(report.duration_ms) << "\">\n";
  x << "  <testsuite name=\"" << markup_escape(suite_name) << "\" tests=\"" << report.cases.size()
    << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\""
    << seconds(report.duration_ms) << "\" timestamp=\"" << markup_escape(report.started) << "\">\n";
  x << "    <properties>\n";
  x << "      <property name=\"suite_version\" value=\"" << markup_escape(report.suite_version) << "\"/>\n";
  x << "      <property name=\"spec_version\" value=\"" << markup_escape(report.spec_version) << "\"/>\n";
  x << "      <property name=\"profile\" value=\"" << markup_escape(report.profile) << "\"/>\n";
  x << "      <property name=\"target\" value=\"" << markup_escape(report.target) << "\"/>\n";
  x << "      <property name=\"sut\" value=\"" << markup_escape(report.sut_name) << "\"/>\n";
  x << "    </properties>\n";
  for (const auto& c : report.cases) {
    x << "    <testcase classname=\"" << markup_escape(suite_name + "." + c.mechanism) << "\" name=\""
      << markup_escape(c.id + " " + c.title) << "\" time=\"" << seconds(c.duration_ms) << "\"";
    const std::string detail = "expected: " + c.expected + "\nobserved: " + c.observed;
    switch (c.verdict) {
      case Verdict::pass:
        x << "/>\n";
        continue;
      case Verdict::unimplemented:
        if (c.runner_gap) {
          x << ">\n      <skipped message=\"" << markup_escape("UNIMPLEMENTED (runner gap): " + c.observed) << "\"/>\n";
          break;
        }
        [[fallthrough]];
      case Verdict::blocked:
        x << ">\n      <error type=\"BLOCKED\" message=\"" << markup_escape(c.observed) << "\">" << markup_escape(detail)
          << "</error>\n";
        break;
      case Verdict::fail:
        x << ">\n      <failure type=\"" << to_string(c.verdict) << "\" message=\""
          << markup_escape(std::string(to_string(c.verdict)) + ": " + c.observed) << "\">"
          << markup_escape(detail) << "</failure>\n";
        break;
      case Verdict::skipped:
        x << ">\n      <skipped message=\"" << markup_escape(c.observed) << "\"/>\n";
        break;
      case Verdict::expected_fail:
        x << ">\n      <skipped message=\"" << markup_escape("EXPECTED-FAIL: " + c.expectation_reason)
          << "\"/>\n      <system-out>" << markup_escape(detail) << "</system-out>\n";
        break;
    }
    x << "    </testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

}  // namespace pnc::conf
