// certificate.html: a self-contained page (no external resources) a certifier can archive: SUT
// identity, profile, suite and spec versions, time, pass rate per mechanism as an inline SVG bar
// chart, and every case with its verdict and reason.
#include <iomanip>
#include <sstream>

#include "report/markup.hpp"
#include "report/report.hpp"

namespace pnc::conf {

namespace {

const char* fill_of(Verdict v) {
  switch (v) {
    case Verdict::pass: return "#2e7d32";
    case Verdict::fail: return "#c62828";
    case Verdict::blocked: return "#ad1457";
    case Verdict::unimplemented: return "#6a1b9a";
    case Verdict::skipped: return "#9e9e9e";
    case Verdict::expected_fail: return "#00838f";
  }
  return "#000";
}

std::string percent(double rate) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << 100.0 * rate << '%';
  return s.str();
}

// One stacked horizontal bar per mechanism: each verdict's share of its cases.
std::string svg_chart(const std::vector<MechanismStats>& stats) {
  constexpr int kLabel = 190, kBar = 420, kRow = 26, kTop = 10;
  const int height = kTop * 2 + kRow * static_cast<int>(stats.size()) + 24;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kLabel + kBar + 90 << "\" height=\""
    << height << "\" role=\"img\" aria-label=\"pass rate per mechanism\">\n";
  int y = kTop;
  for (const auto& m : stats) {
    s << "<text x=\"0\" y=\"" << y + 15 << "\" font-size=\"13\">" << markup_escape(m.mechanism)
      << "</text>\n";
    double x = kLabel;
    for (Verdict v : kAllVerdicts) {
      const int n = m.counts.at(v);
      if (n == 0 || m.total == 0) continue;
      const double w = kBar * static_cast<double>(n) / static_cast<double>(m.total);
      s << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w << "\" height=\"18\" fill=\""
        << fill_of(v) << "\"><title>" << to_string(v) << ": " << n << "</title></rect>\n";
      x += w;
    }
    s << "<text x=\"" << kLabel + kBar + 8 << "\" y=\"" << y + 15 << "\" font-size=\"13\">"
      << percent(m.pass_rate()) << "</text>\n";
    y += kRow;
  }
  int lx = 0;
  for (Verdict v : kAllVerdicts) {
    s << "<rect x=\"" << lx << "\" y=\"" << y + 6 << "\" width=\"10\" height=\"10\" fill=\"" << fill_of(v)
      << "\"/><text x=\"" << lx + 14 << "\" y=\"" << y + 15 << "\" font-size=\"11\">" << to_string(v)
      << "</text>\n";
    lx += 110;
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace

std::string html_certificate(const RunReport& report) {
  const auto stats = mechanism_stats(report);
  const auto summary = report.summary();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
    << markup_escape(report.suite) << " certificate — " << markup_escape(report.sut_name) << " ("
    << markup_escape(report.profile) << ")</title>\n<style>\n"
    << "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
    << "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}"
    << ".v{font-weight:bold;white-space:nowrap}.PASS{color:#2e7d32}.FAIL{color:#c62828}"
    << ".BLOCKED{color:#ad1457}.UNIMPLEMENTED{color:#6a1b9a}.SKIPPED{color:#777}"
    << ".EXPECTED-FAIL{color:#00838f}.verdict{font-size:1.6em;font-weight:bold}"
    << "small{color:#555}\n</style></head><body>\n";
  h << "<h1>Conformance certificate</h1>\n";
  const std::string word = result_word(report);
  h << "<p class=\"verdict " << (word == "INCOMPLETE" ? "BLOCKED" : word) << "\">"
    << (word == "PASS" ? "CONFORMANT" : word == "FAIL" ? "NOT CONFORMANT" : "INCOMPLETE (cases BLOCKED)") << " — profile "
    << markup_escape(report.profile) << "</p>\n";
  h << "<table>\n";
  auto row = [&](const char* k, const std::string& v) {
    h << "<tr><th>" << k << "</th><td>" << markup_escape(v) << "</td></tr>\n";
  };
  row("System under test", report.sut_name);
  row("Target", report.target);
  row("Profile", report.profile);
  row("Suite", report.suite + " " + report.suite_version);
  row("Specification", report.spec_version);
  row("Started (UTC)", report.started);
  row("Duration", std::to_string(report.duration_ms) + " ms");
  std::ostringstream counts;
  bool first = true;
  for (Verdict v : kAllVerdicts) {
    counts << (first ? "" : ", ") << summary.at(v) << ' ' << to_string(v);
    first = false;
  }
  row("Cases", std::to_string(report.cases.size()) + " (" + counts.str() + ")");
  h << "</table>\n<h2>Pass rate per mechanism</h2>\n<p><small>Pass rate = PASS / (cases − SKIPPED)."
       "</small></p>\n"
    << svg_chart(stats);
  h << "<h2>Cases</h2>\n<table>\n<tr><th>id</th><th>title</th><th>mechanism</th><th>verdict</th>"
       "<th>requirements</th><th>expected / observed</th><th>ms</th></tr>\n";
  for (const auto& c : report.cases) {
    const std::string v(to_string(c.verdict));
    std::string reqs;
    for (const auto& r : c.requirements) reqs += (reqs.empty() ? "" : " ") + r;
    h << "<tr><td>" << markup_escape(c.id) << "</td><td>" << markup_escape(c.title) << "</td><td>"
      << markup_escape(c.mechanism) << "</td><td class=\"v " << v << "\">" << v << "</td><td><small>"
      << markup_escape(reqs) << "</small></td><td>";
    if (c.verdict == Verdict::pass) {
      h << markup_escape(c.observed);
    } else if (c.verdict == Verdict::skipped) {
      h << "<b>skipped:</b> " << markup_escape(c.observed);
    } else {
      h << "<b>expected:</b> " << markup_escape(c.expected) << "<br><b>observed:</b> "
        << markup_escape(c.observed);
      if (!c.expectation_reason.empty()) h << "<br><b>known deviation:</b> " << markup_escape(c.expectation_reason);
      if (c.runner_gap) h << "<br><b>runner gap:</b> not counted against the SUT";
    }
    h << "</td><td>" << c.duration_ms << "</td></tr>\n";
  }
  h << "</table>\n<p><small>Generated by " << markup_escape(report.suite) << ' '
    << markup_escape(report.suite_version) << ". Verdicts: PASS, FAIL, BLOCKED (a precondition failed: not tested), UNIMPLEMENTED, SKIPPED (not applicable), EXPECTED-FAIL (known deviation "
       "declared by the certifier).</small></p>\n</body></html>\n";
  return h.str();
}

}  // namespace pnc::conf
