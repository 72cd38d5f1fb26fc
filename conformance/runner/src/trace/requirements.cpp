#include "trace/requirements.hpp"
#include "core/read_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "core/expectations.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

namespace {

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// "## 3. WebSocket ..." -> "3"; "### 3.5 Server" -> "3.5"; "## Appendix A — ..." -> "A".
std::string section_of(std::string_view heading) {
  std::size_t i = heading.find_first_not_of('#');
  if (i == std::string_view::npos) return {};
  std::istringstream words{std::string(heading.substr(i))};
  std::string w;
  words >> w;
  if (w == "Appendix") words >> w;
  while (!w.empty() && (w.back() == '.' || w.back() == ':')) w.pop_back();
  return w;
}

bool has_must(std::string_view s) {
  for (std::size_t p = s.find("MUST"); p != std::string_view::npos; p = s.find("MUST", p + 1)) {
    const bool left_ok = p == 0 || !std::isalpha(static_cast<unsigned char>(s[p - 1]));
    const bool right_ok = p + 4 >= s.size() || !std::isalpha(static_cast<unsigned char>(s[p + 4]));
    if (left_ok && right_ok) return true;
  }
  return false;
}

// Sentences of one markdown line: split after ". " when the next character starts a sentence.
std::vector<std::string> sentences(std::string_view line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 2 < line.size(); ++i) {
    if (line[i] != '.' || line[i + 1] != ' ') continue;
    const char next = line[i + 2];
    if (!(std::isupper(static_cast<unsigned char>(next)) || next == '*' || next == '[' || next == '`' || next == '('))
      continue;
    // "e.g. X", "i.e. X", "vs. X" do not end a sentence.
    const std::string_view before = line.substr(start, i + 1 - start);
    if (before.size() >= 4 && (before.substr(before.size() - 4) == "e.g." || before.substr(before.size() - 4) == "i.e."))
      continue;
    out.push_back(collapse_spaces(line.substr(start, i + 1 - start)));
    start = i + 2;
  }
  out.push_back(collapse_spaces(line.substr(start)));
  return out;
}

}  // namespace

std::string requirement_id(std::string_view section, std::string_view text) {
  const auto digest = crypto::sha256(as_bytes(collapse_spaces(text)));
  return "R-" + std::string(section) + "-" + codec::hex_encode(ByteView(digest).first(3));
}

std::string spec_version_of(std::string_view markdown) {
  const std::size_t p = markdown.find("version ");
  if (p == std::string_view::npos) return {};
  std::size_t e = p + 8;
  while (e < markdown.size() && (std::isdigit(static_cast<unsigned char>(markdown[e])) || markdown[e] == '.')) ++e;
  std::string v(markdown.substr(p + 8, e - p - 8));
  while (!v.empty() && v.back() == '.') v.pop_back();
  return v;
}

std::vector<Requirement> extract_requirements(std::string_view markdown) {
  std::vector<Requirement> out;
  std::map<std::string, int> seen;
  std::string section = "0";
  bool in_code = false;
  std::size_t pos = 0;
  while (pos <= markdown.size()) {
    std::size_t nl = markdown.find('\n', pos);
    if (nl == std::string_view::npos) nl = markdown.size();
    const std::string_view line = markdown.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.rfind("```", 0) == 0) {
      in_code = !in_code;
      continue;
    }
    if (in_code) continue;
    if (line.rfind("#", 0) == 0) {
      section = section_of(line);
      continue;
    }
    if (!has_must(line)) continue;
    for (const auto& sentence : sentences(line)) {
      if (!has_must(sentence)) continue;
      Requirement r;
      r.section = section;
      r.text = sentence;
      r.id = requirement_id(section, sentence);
      const int n = ++seen[r.id];
      if (n > 1) r.id += "-" + std::to_string(n);  // the same sentence twice in one section
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<Traceability> load_traceability(const std::string& path) {
  const auto text = read_file(path);
  if (!text) return make_error("trace.unreadable", "cannot read " + path);
  auto doc = json::parse_object(*text);
  if (!doc) return make_error("trace.bad_json", path + ": " + doc.error().message);
  Traceability t;
  try {
    t.spec_version = doc->at("spec_version").get<std::string>();
    for (const auto& r : doc->at("requirements")) {
      Requirement req;
      req.id = r.at("id").get<std::string>();
      req.section = r.at("section").get<std::string>();
      req.text = r.at("text").get<std::string>();
      if (r.contains("covered_by")) req.covered_by = r.at("covered_by").get<std::vector<std::string>>();
      if (r.contains("exception")) req.exception = r.at("exception").get<std::string>();
      t.requirements.push_back(std::move(req));
    }
    if (doc->contains("cases_without_requirement")) {
      for (const auto& [glob, reason] : doc->at("cases_without_requirement").items())
        t.cases_without_requirement.push_back({glob, reason.get<std::string>()});
    }
  } catch (const std::exception& e) {
    return make_error("trace.bad_shape", path + ": " + e.what());
  }
  return t;
}

std::string traceability_json(const Traceability& t) {
  nlohmann::ordered_json doc;
  doc["source"] = "docs/PROTOCOL.md";
  doc["spec_version"] = t.spec_version;
  doc["note"] = "Generated by `pnc-conformance requirements --update`; edit only covered_by / exception.";
  doc["requirements"] = nlohmann::ordered_json::array();
  for (const auto& r : t.requirements) {
    nlohmann::ordered_json e;
    e["id"] = r.id;
    e["section"] = r.section;
    e["text"] = r.text;
    if (!r.covered_by.empty()) e["covered_by"] = r.covered_by;
    if (!r.exception.empty()) e["exception"] = r.exception;
    if (r.covered_by.empty() && r.exception.empty()) e["covered_by"] = nlohmann::ordered_json::array();
    doc["requirements"].push_back(std::move(e));
  }
  if (!t.cases_without_requirement.empty()) {
    doc["cases_without_requirement"] = nlohmann::ordered_json::object();
    for (const auto& u : t.cases_without_requirement) doc["cases_without_requirement"][u.glob] = u.reason;
  }
  return doc.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::vector<std::string> drift(const std::vector<Requirement>& extracted, const Traceability& committed,
                               std::string_view extracted_version) {
  std::vector<std::string> out;
  if (committed.spec_version != extracted_version)
    out.push_back("spec version " + std::string(extracted_version) + " != committed " + committed.spec_version);
  std::set<std::string> have, want;
  for (const auto& r : committed.requirements) have.insert(r.id);
  for (const auto& r : extracted) {
    want.insert(r.id);
    if (!have.count(r.id)) out.push_back("new requirement " + r.id + " (§" + r.section + "): " + r.text);
  }
  for (const auto& r : committed.requirements)
    if (!want.count(r.id)) out.push_back("requirement " + r.id + " is no longer in the spec: " + r.text);
  return out;
}

Traceability merge(const std::vector<Requirement>& extracted, const Traceability& committed, std::string_view version) {
  std::map<std::string, const Requirement*> old;
  for (const auto& r : committed.requirements) old[r.id] = &r;
  Traceability t;
  t.spec_version = std::string(version);
  for (const auto& r : extracted) {
    Requirement n = r;
    if (auto it = old.find(r.id); it != old.end()) {
      n.covered_by = it->second->covered_by;
      n.exception = it->second->exception;
    }
    t.requirements.push_back(std::move(n));
  }
  t.cases_without_requirement = committed.cases_without_requirement;
  return t;
}

bool CoverageRow::ok() const {
  if (!dangling_globs.empty()) return false;
  return !cases.empty() || !requirement->exception.empty();
}

std::vector<CoverageRow> coverage(const Traceability& t, const std::vector<const Case*>& cases) {
  std::vector<CoverageRow> rows;
  for (const auto& r : t.requirements) {
    CoverageRow row;
    row.requirement = &r;
    for (const auto& glob : r.covered_by) {
      bool matched = false;
      for (const Case* c : cases) {
        if (!glob_match(glob, c->id)) continue;
        matched = true;
        if (std::find(row.cases.begin(), row.cases.end(), c->id) == row.cases.end()) {
          row.cases.push_back(c->id);
          if (is_network_case(*c)) row.network_cases.push_back(c->id);
        }
      }
      if (!matched) row.dangling_globs.push_back(glob);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {
// The tail of one coverage line (covering cases or the exception, dangling globs) and, when asked
// or when the row has a problem, the requirement's text: shared by both coverage printers.
void print_row_detail(std::ostream& out, const Requirement& r, const CoverageRow& row, bool verbose) {
  if (!row.cases.empty()) {
    std::string list;
    for (std::size_t i = 0; i < row.cases.size() && i < 6; ++i) list += (i ? " " : "") + row.cases[i];
    if (row.cases.size() > 6) list += " … (" + std::to_string(row.cases.size()) + " cases)";
    out << list;
  } else if (!r.exception.empty()) {
    out << "exception: " << r.exception;
  }
  for (const auto& g : row.dangling_globs) out << " [glob \"" << g << "\" matches no case]";
  out << '\n';
  if (verbose || !row.ok()) out << "    §" << r.section << ": " << r.text << '\n';
}
}  // namespace

int print_coverage(std::ostream& out, const std::vector<CoverageRow>& rows, bool verbose) {
  int problems = 0, covered = 0, excepted = 0;
  for (const auto& row : rows) {
    const Requirement& r = *row.requirement;
    std::string status;
    if (!row.dangling_globs.empty()) {
      status = "DANGLING";
    } else if (!row.cases.empty()) {
      status = "covered";
      ++covered;
    } else if (!r.exception.empty()) {
      status = "excepted";
      ++excepted;
    } else {
      status = "UNCOVERED";
    }
    if (!row.ok()) ++problems;
    out << std::left << std::setw(16) << r.id << std::setw(10) << status;
    print_row_detail(out, r, row, verbose);
  }
  out << "\n" << rows.size() << " requirements: " << covered << " covered by cases, " << excepted
      << " excepted with a reason, " << problems << " problems\n";
  return problems;
}

std::vector<std::string> untraced_case_problems(const Traceability& t, const std::vector<const Case*>& cases) {
  std::vector<std::string> problems;
  std::vector<int> entry_matches(t.cases_without_requirement.size(), 0);
  for (const Case* c : cases) {
    const bool covered = !requirements_of(t, c->id).empty();
    std::vector<std::string> listed;
    for (std::size_t i = 0; i < t.cases_without_requirement.size(); ++i) {
      if (!glob_match(t.cases_without_requirement[i].glob, c->id)) continue;
      ++entry_matches[i];
      listed.push_back(t.cases_without_requirement[i].glob);
    }
    if (!covered && listed.empty()) {
      problems.push_back("case " + c->id + " (" + c->title + ") covers no requirement and is not listed in "
                         "cases_without_requirement");
    } else if (covered && !listed.empty()) {
      problems.push_back("case " + c->id + " covers a requirement yet cases_without_requirement lists it (\"" +
                         listed.front() + "\")");
    } else if (listed.size() > 1) {
      problems.push_back("case " + c->id + " is listed twice in cases_without_requirement (\"" + listed[0] +
                         "\", \"" + listed[1] + "\")");
    }
  }
  for (std::size_t i = 0; i < t.cases_without_requirement.size(); ++i) {
    const auto& u = t.cases_without_requirement[i];
    if (entry_matches[i] == 0) problems.push_back("cases_without_requirement: \"" + u.glob + "\" matches no case");
    if (u.reason.empty()) problems.push_back("cases_without_requirement: \"" + u.glob + "\" gives no reason");
  }
  return problems;
}

bool is_network_case(const Case& c) { return c.target == Target::challenge || c.target == Target::validator; }

Result<NetworkExceptions> load_network_exceptions(const std::string& path) {
  const auto text = read_file(path);
  if (!text) return make_error("trace.unreadable", "cannot read " + path);
  auto doc = json::parse_object(*text);
  if (!doc) return make_error("trace.bad_json", path + ": " + doc.error().message);
  NetworkExceptions out;
  if (!doc->contains("exceptions") || !(*doc)["exceptions"].is_object())
    return make_error("trace.bad_shape", path + ": needs {\"exceptions\": {\"R-...\": \"reason\"}}");
  for (const auto& [id, reason] : (*doc)["exceptions"].items()) {
    if (!reason.is_string() || reason.get<std::string>().empty())
      return make_error("trace.bad_shape", path + ": the exception of " + id + " needs a reason (a non-empty string)");
    out.reasons[id] = reason.get<std::string>();
  }
  return out;
}

std::vector<std::string> network_problems(const std::vector<CoverageRow>& rows, const NetworkExceptions& exceptions) {
  std::vector<std::string> out;
  std::set<std::string> ids;
  for (const auto& row : rows) {
    const Requirement& r = *row.requirement;
    ids.insert(r.id);
    const bool excepted = exceptions.reasons.count(r.id) != 0;
    if (!row.network_cases.empty() && excepted)
      out.push_back("stale network exception " + r.id + ": it has network cases (" + row.network_cases.front() + ", ...)");
    if (row.network_cases.empty() && !excepted && row.cases.empty() && !r.exception.empty()) continue;  // no case at all, excepted
    if (row.network_cases.empty() && !excepted)
      out.push_back("NETWORK-GAP " + r.id + " (§" + r.section + "): no challenge/validator case and no network exception: " + r.text);
  }
  for (const auto& [id, reason] : exceptions.reasons)
    if (!ids.count(id)) out.push_back("stale network exception " + id + ": no such requirement");
  return out;
}

int print_coverage(std::ostream& out, const std::vector<CoverageRow>& rows, bool verbose, const NetworkExceptions& exceptions) {
  int problems = 0, network = 0, net_excepted = 0;
  for (const auto& row : rows) {
    const Requirement& r = *row.requirement;
    std::string status;
    if (!row.dangling_globs.empty()) status = "DANGLING";
    else if (!row.cases.empty()) status = "covered";
    else if (!r.exception.empty()) status = "excepted";
    else status = "UNCOVERED";
    if (!row.ok()) ++problems;
    std::string net;
    if (!row.network_cases.empty()) {
      net = "net:" + std::to_string(row.network_cases.size());
      ++network;
    } else if (exceptions.reasons.count(r.id) || (row.cases.empty() && !r.exception.empty())) {
      net = "net:exc";
      ++net_excepted;
    } else {
      net = "NO-NET";
    }
    out << std::left << std::setw(16) << r.id << std::setw(10) << status << std::setw(9) << net;
    print_row_detail(out, r, row, verbose);
    if (row.network_cases.empty() && (verbose || net == "net:exc") && exceptions.reasons.count(r.id))
      out << "    network exception: " << exceptions.reasons.at(r.id) << '\n';
  }
  const auto net_problems = network_problems(rows, exceptions);
  for (const auto& p : net_problems) out << p << '\n';
  out << "\n" << rows.size() << " requirements: " << network << " with network cases, " << net_excepted
      << " not observable over the network (excepted with a reason), " << net_problems.size() << " network problems\n";
  int covered = 0, excepted = 0;
  for (const auto& row : rows) {
    if (!row.dangling_globs.empty()) continue;
    if (!row.cases.empty()) ++covered;
    else if (!row.requirement->exception.empty()) ++excepted;
  }
  out << rows.size() << " requirements: " << covered << " covered by cases, " << excepted << " excepted with a reason, "
      << problems << " problems\n";
  return problems + static_cast<int>(net_problems.size());
}

std::vector<std::string> requirements_of(const Traceability& t, const std::string& case_id) {
  std::vector<std::string> out;
  for (const auto& r : t.requirements)
    for (const auto& glob : r.covered_by)
      if (glob_match(glob, case_id)) {
        out.push_back(r.id);
        break;
      }
  return out;
}

}  // namespace pnc::conf
