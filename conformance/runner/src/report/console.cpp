// Console report: what a certifier reads at the end of a run.
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include "report/report.hpp"

namespace pnc::conf {

namespace {

const char* color_of(Verdict v) {
  switch (v) {
    case Verdict::pass: return "\033[32m";
    case Verdict::fail: return "\033[31m";
    case Verdict::blocked: return "\033[91m";
    case Verdict::unimplemented: return "\033[35m";
    case Verdict::skipped: return "\033[90m";
    case Verdict::expected_fail: return "\033[36m";
  }
  return "";
}

std::string paint(Verdict v, bool color) {
  std::string text(to_string(v));
  return color ? std::string(color_of(v)) + text + "\033[0m" : text;
}

// The SKIPPED cases a richer SUT description would enable, grouped by the member their skip
// reason names ("... (SUT description: trusted_signer)").
void write_description_hints(std::ostream& out, const RunReport& report) {
  constexpr std::string_view kMarker = "(SUT description: ";
  std::map<std::string, std::vector<std::string>> by_member;
  for (const auto& c : report.cases) {
    if (c.verdict != Verdict::skipped) continue;
    const std::size_t at = c.observed.find(kMarker);
    if (at == std::string::npos) continue;
    const std::size_t from = at + kMarker.size();
    const std::size_t end = c.observed.find(')', from);
    if (end == std::string::npos) continue;
    by_member[c.observed.substr(from, end - from)].push_back(c.id);
  }
  if (by_member.empty()) return;
  out << "A richer SUT description (--sut, docs/report-format.md) would enable:\n";
  for (const auto& [member, ids] : by_member) {
    out << "  " << member << ": " << ids.size() << " case(s):";
    for (std::size_t i = 0; i < ids.size() && i < 12; ++i) out << ' ' << ids[i];
    if (ids.size() > 12) out << " ...";
    out << '\n';
  }
  out << '\n';
}

}  // namespace

void write_progress(std::ostream& out, std::size_t done, std::size_t total, const CaseReport& last,
                    bool tty) {
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
  std::ostringstream line;
  line << '[' << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
       << std::setw(4) << done << '/' << total << ' ' << to_string(last.verdict) << ' ' << last.id;
  std::string text = line.str();
  if (tty) {
    if (text.size() < 100) text.append(100 - text.size(), ' ');
    out << '\r' << text.substr(0, 100) << (done == total ? "\n" : "") << std::flush;
  } else if (!last.acceptable() || done == total) {
    out << text << '\n';  // not a terminal: only the interesting lines
  }
}

void write_console_report(std::ostream& out, const RunReport& report, bool color) {
  out << "\n== " << report.suite << ' ' << report.suite_version << " (" << report.spec_version
      << ") — profile " << report.profile << ", target " << report.target << '\n';
  if (!report.sut_name.empty()) out << "   SUT: " << report.sut_name << '\n';
  out << "   started " << report.started << ", " << report.cases.size() << " cases in "
      << report.duration_ms << " ms\n\n";

  out << std::left << std::setw(22) << "mechanism";
  for (Verdict v : kAllVerdicts) out << std::right << std::setw(14) << to_string(v);
  out << std::setw(10) << "pass %" << '\n';
  for (const auto& s : mechanism_stats(report)) {
    out << std::left << std::setw(22) << s.mechanism;
    for (Verdict v : kAllVerdicts) out << std::right << std::setw(14) << s.counts.at(v);
    std::ostringstream rate;
    rate << std::fixed << std::setprecision(1) << 100.0 * s.pass_rate();
    out << std::setw(10) << rate.str() << '\n';
  }
  out << std::left << std::setw(22) << "total";
  const auto summary = report.summary();
  for (Verdict v : kAllVerdicts) out << std::right << std::setw(14) << summary.at(v);
  out << "\n\n";

  // Every non-PASS case with its reason; failures first, skips last.
  const Verdict order[] = {Verdict::fail, Verdict::blocked, Verdict::unimplemented,
                           Verdict::expected_fail, Verdict::skipped};
  for (Verdict v : order) {
    bool header = false;
    for (const auto& c : report.cases) {
      if (c.verdict != v) continue;
      if (!header) {
        out << paint(v, color) << ":\n";
        header = true;
      }
      out << "  " << c.id << "  " << c.title << '\n';
      if (v == Verdict::skipped) {
        out << "      reason:   " << c.observed << '\n';
        continue;
      }
      out << "      expected: " << c.expected << '\n';
      out << "      observed: " << c.observed << '\n';
      if (!c.expectation_reason.empty()) out << "      known:    " << c.expectation_reason << '\n';
      if (c.runner_gap) out << "      note:     runner gap, not counted against the SUT\n";
    }
    if (header) out << '\n';
  }
  write_description_hints(out, report);
  const Headline head = headline(report);
  const Verdict tone = head.word == "CONFORMANT" ? Verdict::pass : head.word == "NOT CONFORMANT" ? Verdict::fail : Verdict::blocked;
  out << "CERTIFICATE: " << (color ? std::string(color_of(tone)) + head.word + "\033[0m" : head.word) << " (attestation " << report.provenance.attestation_mode << ")\n";
  for (const auto& r : head.reasons) out << "  - " << r << '\n';
  out << "RESULT: " << result_word(report) << " (";
  bool first = true;
  for (Verdict v : kAllVerdicts) {
    if (summary.at(v) == 0) continue;
    out << (first ? "" : ", ") << summary.at(v) << ' ' << to_string(v);
    first = false;
  }
  out << ")\n";
}

}  // namespace pnc::conf
