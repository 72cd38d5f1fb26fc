// Requirement traceability (after s2n-tls + duvet). Every sentence of docs/PROTOCOL.md that
// carries MUST or MUST NOT is a requirement with a stable id "R-<section>-<hash6>" (the hash of
// its normalised text, so inserting text elsewhere never renumbers anything). The committed file
// conformance/runner/requirements.json lists them with how each is covered: case-id globs
// (covered_by) or an exception with a reason. `pnc-conformance requirements --check` re-extracts
// and fails on drift; `pnc-conformance coverage --check` fails when a requirement is neither
// covered nor excepted, or a glob matches no case.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/engine.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

struct Requirement {
  std::string id;       // R-3.5-1a2b3c
  std::string section;  // "3.5", "12.4", "A" ...
  std::string text;     // the sentence, markdown as written
  std::vector<std::string> covered_by;  // case-id globs
  std::string exception;                // non-empty: why no case covers it
};

// The MUST / MUST NOT sentences of a markdown spec, in document order.
std::vector<Requirement> extract_requirements(std::string_view markdown);
std::string requirement_id(std::string_view section, std::string_view text);
// The "version X.Y" of the spec header, e.g. "1.1".
std::string spec_version_of(std::string_view markdown);

// A case no MUST / MUST NOT covers (a SHOULD, an interoperability or robustness probe, a runner
// self-check), listed in requirements.json "cases_without_requirement": {"GLOB": "reason"}.
struct UntracedCases {
  std::string glob;
  std::string reason;
};

struct Traceability {
  std::string spec_version;
  std::vector<Requirement> requirements;
  std::vector<UntracedCases> cases_without_requirement;
};
Result<Traceability> load_traceability(const std::string& path);
std::string traceability_json(const Traceability& t);

// Drift between the spec and the committed file: human-readable lines, empty = in sync.
std::vector<std::string> drift(const std::vector<Requirement>& extracted, const Traceability& committed,
                               std::string_view extracted_version);
// The committed file updated to the spec: annotations kept for unchanged ids, new ones empty.
Traceability merge(const std::vector<Requirement>& extracted, const Traceability& committed,
                   std::string_view version);

struct CoverageRow {
  const Requirement* requirement = nullptr;
  std::vector<std::string> cases;           // ids of matching cases
  std::vector<std::string> network_cases;   // those that talk to a SUT over WebSocket / HTTP
  std::vector<std::string> dangling_globs;   // globs matching no case
  bool ok() const;  // covered (every glob matches) or excepted
};
std::vector<CoverageRow> coverage(const Traceability& t, const std::vector<const Case*>& cases);
// Prints the matrix; returns the number of problems (uncovered, dangling).
int print_coverage(std::ostream& out, const std::vector<CoverageRow>& rows, bool verbose);

// Network coverage (issue 12): a foreign SDK is certified over the network, not through vector
// files. A network case is one of the challenge or validator target (the shim target and unit
// tests are not). conformance/runner/network_exceptions.json names the requirements that are not
// observable over the network, each with its reason: {"exceptions": {"R-...": "reason"}}.
struct NetworkExceptions {
  std::map<std::string, std::string> reasons;  // requirement id -> why no network case can cover it
};
Result<NetworkExceptions> load_network_exceptions(const std::string& path);
bool is_network_case(const Case& c);
// "NETWORK-GAP R-...": a requirement (not excepted as a whole) with neither a network case nor a
// network exception; "stale network exception": an id that is not a requirement, or that has a
// network case after all.
std::vector<std::string> network_problems(const std::vector<CoverageRow>& rows, const NetworkExceptions& exceptions);
// The matrix with a network column; returns the number of problems (coverage + network).
int print_coverage(std::ostream& out, const std::vector<CoverageRow>& rows, bool verbose, const NetworkExceptions& exceptions);

// Every requirement with the cases of `report` covering it and a verdict for it: FAIL, DEVIATION
// (a covering case waived), INCOMPLETE (BLOCKED, untested SKIPPED, runner gap), PASS, NOT
// APPLICABLE (every covering case skipped as not applicable), EXCEPTED (no case can cover it:
// `note` says why), NOT IN RUN (its cases belong to another target or were filtered out).
std::vector<RequirementResult> requirement_results(const Traceability& t, const RunReport& report);

// Every case is traced: covered by some requirement's glob, or matched by exactly one entry of
// cases_without_requirement with a reason, never both; every entry matches a case. Returns the
// problems as human-readable lines (empty = every case traced) and prints nothing.
std::vector<std::string> untraced_case_problems(const Traceability& t, const std::vector<const Case*>& cases);

// Requirement ids covered by one case id.
std::vector<std::string> requirements_of(const Traceability& t, const std::string& case_id);

}  // namespace pnc::conf
