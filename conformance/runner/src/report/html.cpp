// certificate.html: a self-contained page (no external resources) a certifier can archive: the
// headline and why, SUT identity, profile, attestation mode, every input that shaped the run with
// its SHA-256 (and report.json's), pass rate per mechanism as an inline SVG bar chart, the
// requirement table and every case with its verdict and reason. A campaign's report.html is the
// same page with the campaign's settings instead of the catalogue's and one row per finding.
#include <iomanip>
#include <optional>
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

// At 13 px a character is at most ~8 px wide: 36 characters fit the 300 px label column.
constexpr std::size_t kChartLabelChars = 36;
std::string chart_label(const std::string& mechanism) {
  if (mechanism.size() <= kChartLabelChars) return mechanism;
  std::size_t cut = kChartLabelChars - 1;
  while (cut > 0 && (static_cast<unsigned char>(mechanism[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return mechanism.substr(0, cut) + "\u2026";
}

// A requirement's covering cases: the first kShownCases ids, then how many there are in all.
constexpr std::size_t kShownCases = 8;
std::string covering_cases(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < kShownCases; ++i) out += (i ? " " : "") + ids[i];
  if (ids.size() > kShownCases) out += " \u2026 (" + std::to_string(ids.size()) + " cases)";
  return out;
}

// One stacked horizontal bar per mechanism: each verdict's share of its cases. The viewBox lets
// the chart shrink with the page; the legend is HTML below it (labels never overlap).
std::string svg_chart(const std::vector<MechanismStats>& stats) {
  constexpr int kLabel = 300, kBar = 420, kRow = 26, kTop = 10;
  const int width = kLabel + kBar + 70;
  const int height = kTop * 2 + kRow * static_cast<int>(stats.size());
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width
    << "\" height=\"" << height << "\" role=\"img\" aria-label=\"pass rate per mechanism\">\n";
  int y = kTop;
  for (const auto& m : stats) {
    // Natural glyph widths (a short label is never stretched); a label too long for the column is
    // cut with an ellipsis and carries its full text as a tooltip.
    s << "<text x=\"0\" y=\"" << y + 15 << "\" font-size=\"13\"><title>" << markup_escape(m.mechanism) << "</title>"
      << markup_escape(chart_label(m.mechanism)) << "</text>\n";
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
  s << "</svg>\n<ul class=\"legend\">";
  for (Verdict v : kAllVerdicts)
    s << "<li><span class=\"swatch\" style=\"background:" << fill_of(v) << "\"></span>" << to_string(v) << "</li>";
  s << "</ul>\n";
  return s.str();
}

std::string file_text(const std::optional<InputFile>& f) {
  return f ? f->name + " (SHA-256 " + f->sha256 + ")" : "none";
}

const char* headline_class(const std::string& word) {
  if (word == "CONFORMANT" || word == "NO FINDINGS") return "PASS";
  if (word == "NOT CONFORMANT" || word == "FINDINGS") return "FAIL";
  if (word == "PARTIAL" || word == "INCOMPLETE") return "BLOCKED";
  return "EXPECTED-FAIL";
}

}  // namespace

std::string html_certificate(const RunReport& report, const std::string& report_json_sha256) {
  const auto stats = mechanism_stats(report);
  const auto summary = report.summary();
  const RunProvenance& p = report.provenance;
  const Headline head = headline(report);
  const bool campaign = report.kind != ReportKind::conformance;
  const std::string page = campaign ? "campaign report (" + std::string(to_string(report.kind)) + ")" : "certificate";
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
    << markup_escape(report.suite) << " " << page << " — " << markup_escape(report.sut_name) << " ("
    << markup_escape(report.profile) << ")</title>\n<style>\n"
    << "body{font-family:sans-serif;margin:2em;color:#222;max-width:100%}"
    << "table{border-collapse:collapse;width:100%;table-layout:fixed;margin-bottom:1em}"
    << "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left;"
    << "overflow-wrap:anywhere;word-break:break-word}"
    << "table.kv th{width:14em}.cases col.id{width:13em}.cases col.mech{width:10em}.cases col.verdict{width:9em}"
    << ".cases col.req{width:9em}.cases col.ms{width:4em}.reqs col.id{width:15em}.reqs col.level{width:6em}"
    << ".reqs col.verdict{width:9em}.reqs col.cases{width:22em}"
    << ".v{font-weight:bold}.PASS{color:#2e7d32}.FAIL{color:#c62828}"
    << ".BLOCKED{color:#ad1457}.UNIMPLEMENTED{color:#6a1b9a}.SKIPPED{color:#777}"
    << ".EXPECTED-FAIL{color:#00838f}.verdict{font-size:1.6em;font-weight:bold}"
    << "svg{max-width:100%;height:auto}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:0.4em 1.4em}"
    << ".swatch{display:inline-block;width:0.8em;height:0.8em;margin-right:0.4em;vertical-align:middle}"
    << "code{font-size:0.85em}small{color:#555}\n</style></head><body>\n";
  h << (campaign ? "<h1>Campaign report: " + std::string(to_string(report.kind)) + "</h1>\n" : "<h1>Conformance certificate</h1>\n");
  h << "<p class=\"verdict " << headline_class(head.word) << "\">" << head.word << " — profile "
    << markup_escape(report.profile) << ", attestation " << markup_escape(p.attestation_mode) << "</p>\n";
  if (!head.reasons.empty()) {
    h << "<ul class=\"reasons\">";
    for (const auto& r : head.reasons) h << "<li>" << markup_escape(r) << "</li>";
    h << "</ul>\n";
  }
  h << "<table class=\"kv\">\n";
  auto row = [&](const char* k, const std::string& v) {
    h << "<tr><th>" << markup_escape(k) << "</th><td>" << markup_escape(v) << "</td></tr>\n";
  };
  row("System under test", report.sut_name);
  row("Target", report.target);
  row("Profile", report.profile);
  row("Attestation mode", p.attestation_mode + (p.attestation_mode == "prod" ? "" : " (not genuine Intel TDX)"));
  row("Suite", report.suite + " " + report.suite_version + ", commit " + p.runner_commit);
  row("Specification", report.spec_version);
  row("Started (UTC)", report.started);
  row("Duration", std::to_string(report.duration_ms) + " ms" + (report.interrupted ? " (interrupted)" : ""));
  std::ostringstream counts;
  bool first = true;
  for (Verdict v : kAllVerdicts) {
    counts << (first ? "" : ", ") << summary.at(v) << ' ' << to_string(v);
    first = false;
  }
  if (campaign) {
    const CampaignRecord& c = report.campaign;
    row("Entries", std::to_string(report.cases.size()) + " (" + counts.str() + ")");
    row(report.kind == ReportKind::fuzz ? "Executions" : "Generated cases", std::to_string(c.executions));
    row("Seed", std::to_string(c.seed) + (c.shard.empty() ? "" : ", shard " + c.shard) + ", " + std::to_string(c.jobs) +
                    " worker(s)");
    row(report.kind == ReportKind::fuzz ? "Scenarios" : "Properties", c.selection.empty() ? "all" : c.selection);
    row("SUT description", file_text(p.sut_file));
  } else {
    row("Cases", std::to_string(report.cases.size()) + " of " + std::to_string(p.catalogue_cases) + " in the catalogue (" +
                     counts.str() + ")");
    row("Filter", p.filter);
    row("SUT description", file_text(p.sut_file));
    row("Expectations", file_text(p.expectations_file));
    row("Requirements file", file_text(p.requirements_file));
    row("Catalogue SHA-256", p.catalogue_sha256);
  }
  if (!report_json_sha256.empty()) row("report.json SHA-256", report_json_sha256);
  row("Signature", p.signing_public_key.empty()
                       ? std::string("none (unsigned report)")
                       : "report.json.sig, Ed25519, public key " + p.signing_public_key +
                             " (pnc-conformance verify-report DIR --pubkey KEY)");
  h << "</table>\n";
  if (!p.waivers.empty()) {
    h << "<h2>Waivers (expectations file)</h2>\n<table><tr><th>glob</th><th>reason</th><th>cases waived</th></tr>\n";
    for (const auto& w : p.waivers) {
      std::string ids;
      for (const auto& id : w.cases) ids += (ids.empty() ? "" : " ") + id;
      h << "<tr><td><code>" << markup_escape(w.glob) << "</code></td><td>" << markup_escape(w.reason) << "</td><td>"
        << (ids.empty() ? "none" : markup_escape(ids)) << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  // A fuzz campaign's entries are its findings (or one PASS): no rate to chart.
  if (report.kind != ReportKind::fuzz)
    h << "<h2>Pass rate per " << (campaign ? "property family" : "mechanism")
      << "</h2>\n<p><small>Pass rate = PASS / (" << (campaign ? "properties" : "cases") << " − SKIPPED).</small></p>\n"
      << svg_chart(stats);
  if (!report.requirements.empty()) {
    h << "<h2>Requirements</h2>\n<table class=\"reqs\"><colgroup><col class=\"id\"><col class=\"level\"><col>"
         "<col class=\"cases\"><col class=\"verdict\"></colgroup>\n"
         "<tr><th>requirement</th><th>level</th><th>text</th><th>covering cases</th><th>verdict</th></tr>\n";
    for (const auto& r : report.requirements) {
      const std::string ids = covering_cases(r.cases);
      h << "<tr><td>§" << markup_escape(r.section) << "<br><small>" << markup_escape(r.id) << "</small></td><td>"
        << r.level << "</td><td>" << markup_escape(r.title) << "</td><td><small>"
        << markup_escape(ids.empty() ? r.note : ids) << "</small></td><td class=\"v\">" << markup_escape(r.verdict)
        << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  h << "<h2>" << (report.kind == ReportKind::fuzz ? "Findings" : report.kind == ReportKind::properties ? "Properties" : "Cases")
    << "</h2>\n<table class=\"cases\"><colgroup><col class=\"id\"><col><col class=\"mech\">"
       "<col class=\"verdict\"><col class=\"req\"><col><col class=\"ms\"></colgroup>\n"
       "<tr><th>id</th><th>title</th><th>mechanism</th><th>verdict</th>"
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
      h << "<b>" << (c.not_applicable ? "not applicable" : "skipped") << ":</b> " << markup_escape(c.observed);
    } else {
      h << "<b>expected:</b> " << markup_escape(c.expected) << "<br><b>observed:</b> "
        << markup_escape(c.observed);
      if (!c.expectation_reason.empty()) h << "<br><b>known deviation:</b> " << markup_escape(c.expectation_reason);
      if (c.runner_gap) h << "<br><b>runner gap:</b> not counted against the SUT";
    }
    h << "</td><td>" << c.duration_ms << "</td></tr>\n";
  }
  h << "</table>\n";
  if (!p.vector_files.empty()) {
    h << "<h2>Vector files</h2>\n<table class=\"kv\">\n";
    for (const auto& f : p.vector_files) row(f.name.c_str(), f.sha256);
    h << "</table>\n";
  }
  h << "<p><small>Generated by " << markup_escape(report.suite) << ' '
    << markup_escape(report.suite_version) << ". Verdicts: PASS, FAIL, BLOCKED (a precondition failed: not tested), "
       "UNIMPLEMENTED, SKIPPED (not applicable to the declared configuration, or untested for want of a key), "
       "EXPECTED-FAIL (known deviation declared by the certifier). Headline rules: docs/report-format.md.</small></p>\n"
       "</body></html>\n";
  return h.str();
}

}  // namespace pnc::conf
