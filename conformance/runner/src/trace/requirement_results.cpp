// The certificate's requirement table: every MUST / MUST NOT of the spec with the cases of this
// run that cover it and one verdict for the requirement (docs/report-format.md, "Requirements").
#include "trace/requirements.hpp"

#include <map>

namespace pnc::conf {

namespace {

// A readable title from the sentence: markdown emphasis, code ticks and list bullets removed,
// whitespace collapsed, cut at a word boundary.
std::string short_title(std::string_view text) {
  constexpr std::size_t kMax = 90;
  std::string plain;
  for (char c : text) {
    if (c == '*' || c == '`') continue;
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && (plain.empty() || plain.back() == ' ')) continue;
    plain += c;
  }
  while (!plain.empty() && plain.back() == ' ') plain.pop_back();
  if (plain.size() <= kMax) return plain;
  std::size_t cut = plain.rfind(' ', kMax);
  if (cut == std::string::npos || cut < kMax / 2) cut = kMax;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(plain[cut]) & 0xC0) == 0x80) --cut;
  return plain.substr(0, cut) + " …";
}

std::string verdict_of(const std::vector<const CaseReport*>& cases) {
  bool fail = false, waived = false, incomplete = false, pass = false;
  for (const CaseReport* c : cases) {
    switch (c->verdict) {
      case Verdict::fail: fail = true; break;
      case Verdict::unimplemented: (c->runner_gap ? incomplete : fail) = true; break;
      case Verdict::expected_fail: waived = true; break;
      case Verdict::blocked: incomplete = true; break;
      case Verdict::skipped: if (!c->not_applicable) incomplete = true; break;
      case Verdict::pass: pass = true; break;
    }
  }
  if (fail) return "FAIL";
  if (waived) return "DEVIATION";
  if (incomplete) return "INCOMPLETE";
  return pass ? "PASS" : "NOT APPLICABLE";
}

}  // namespace

std::vector<RequirementResult> requirement_results(const Traceability& t, const RunReport& report) {
  std::map<std::string, std::vector<const CaseReport*>> by_requirement;
  for (const auto& c : report.cases)
    for (const auto& id : c.requirements) by_requirement[id].push_back(&c);
  std::vector<RequirementResult> out;
  for (const auto& r : t.requirements) {
    RequirementResult row;
    row.id = r.id;
    row.section = r.section;
    row.level = r.text.find("MUST NOT") != std::string::npos ? "MUST NOT" : "MUST";
    row.title = short_title(r.text);
    const auto it = by_requirement.find(r.id);
    if (it != by_requirement.end()) {
      for (const CaseReport* c : it->second) row.cases.push_back(c->id);
      row.verdict = verdict_of(it->second);
    } else if (!r.exception.empty()) {
      row.verdict = "EXCEPTED";
      row.note = r.exception;
    } else {
      row.verdict = "NOT IN RUN";  // covered by another target's cases, or filtered out
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace pnc::conf
