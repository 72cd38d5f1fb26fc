// Runs a list of cases against one target in one profile: filter, profile and SUT-need skips,
// the driver (exceptions become FAIL, never a crash), expectations, timing, progress.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "core/expectations.hpp"

namespace pnc::conf {

inline constexpr std::string_view kSuiteName = "pnc-conformance";
inline constexpr std::string_view kSuiteVersion = "0.1.0";
inline constexpr std::string_view kSpecVersion = "PNC-SEC 1.1";  // docs/PROTOCOL.md header
// report.json's layout version (docs/report-format.md, docs/report.schema.json): the major
// number changes when a member is removed or changes meaning, the minor one when members are added.
inline constexpr std::string_view kReportFormatVersion = "2.1";

// The git commit the runner was configured from ("unknown" outside a git checkout).
std::string_view build_commit();

struct CaseReport {
  std::string id;
  std::string title;
  std::string mechanism;
  std::vector<std::string> requirements;  // requirement ids this case covers
  Verdict verdict = Verdict::fail;
  std::string expected;
  std::string observed;
  std::string expectation_reason;  // EXPECTED-FAIL: the certifier's reason
  std::string expectation_glob;    // EXPECTED-FAIL: the expectations-file glob that matched
  // SKIPPED because the case does not apply to the declared configuration (profile, attestation
  // or environment mode, an optional endpoint group the SUT declares absent), not because the
  // runner lacked something to test it with: such a skip does not make a run PARTIAL.
  bool not_applicable = false;
  bool runner_gap = false;         // UNIMPLEMENTED by the runner, not the SUT (Outcome::gap)
  std::int64_t duration_ms = 0;

  // Does this case keep the exit status at 0? Runner gaps never count against the SUT.
  bool acceptable() const { return is_acceptable(verdict) || (verdict == Verdict::unimplemented && runner_gap); }
};

// A file that shaped the run: its name as given and the SHA-256 (hex) of its bytes.
struct InputFile {
  std::string name;
  std::string sha256;
};

// One glob of the expectations file, its reason and the cases it turned into EXPECTED-FAIL.
struct Waiver {
  std::string glob;
  std::string reason;
  std::vector<std::string> cases;
};

// Everything that shaped the run besides the SUT's behaviour, so that a certificate can be
// checked later (docs/report-format.md, "Provenance").
struct RunProvenance {
  std::string runner_commit{build_commit()};
  std::string attestation_mode = "mock";  // mock, signed-mock or prod (SUT description)
  std::string filter = "*";
  std::size_t catalogue_cases = 0;         // cases of the target before --filter
  std::optional<InputFile> sut_file;
  std::optional<InputFile> expectations_file;
  std::vector<Waiver> waivers;
  std::vector<InputFile> vector_files;     // relative to the vectors directory
  std::string catalogue_sha256;            // of the catalogue's canonical dump
  std::optional<InputFile> requirements_file;
  std::string signing_public_key;          // hex; empty when report.json is not signed
};

// What produced a report: a conformance run (`run`, a certificate) or a campaign (`fuzz`,
// `properties`), which explores inputs and reports findings but certifies nothing.
enum class ReportKind { conformance, fuzz, properties };
std::string_view to_string(ReportKind kind);

// A campaign's settings and volume (report.json `campaign`; absent from conformance runs).
struct CampaignRecord {
  std::uint64_t seed = 0;
  std::string shard;            // fuzz: "I/N"; properties: empty
  std::uint64_t executions = 0; // fuzz: executions; properties: generated cases, all properties together
  unsigned jobs = 1;
  std::string selection;        // the --scenarios or --properties given ("" : all)
  std::vector<std::string> findings;  // the reproducer files written, one per finding (if --findings-dir)
};

// One MUST / MUST NOT of the spec and how this run judged it (the certificate's requirement table).
struct RequirementResult {
  std::string id;       // R-3.5-1a2b3c
  std::string section;  // 3.5
  std::string level;    // MUST or MUST NOT
  std::string title;    // a short readable title from the sentence
  std::vector<std::string> cases;  // covering cases of this run
  std::string verdict;  // PASS, FAIL, DEVIATION, INCOMPLETE, NOT APPLICABLE, NOT IN RUN, EXCEPTED
  std::string note;     // EXCEPTED: the reason
};

struct RunReport {
  ReportKind kind = ReportKind::conformance;
  std::string suite{kSuiteName};
  std::string suite_version{kSuiteVersion};
  std::string spec_version{kSpecVersion};
  std::string profile;
  std::string target;    // e.g. "challenge ws://127.0.0.1:10000"
  std::string sut_name;  // from the SUT description
  std::string started;   // ISO 8601 UTC
  std::int64_t duration_ms = 0;
  std::vector<CaseReport> cases;
  RunProvenance provenance;
  std::vector<RequirementResult> requirements;  // empty without a traceability file
  bool interrupted = false;  // a signal stopped the run: `cases` holds what completed
  CampaignRecord campaign;   // kind fuzz or properties only

  std::map<Verdict, int> summary() const;  // every verdict present, zero counts included
  bool acceptable() const;                 // exit status 0?
  // 0: every case acceptable; 1: a case FAILed (or is UNIMPLEMENTED by the SUT); 3: no such case,
  // but some were BLOCKED, so the certification is incomplete (docs/report-format.md).
  int exit_status() const;
};

struct EngineOptions {
  Profile profile = Profile::seed_spec;
  std::string filter = "*";
  const Expectations* expectations = nullptr;
  const SutDescription* sut = nullptr;
  Millis timeout{2000};
  TargetSession* session = nullptr;
  // Cases run concurrently on this many workers (1: one after the other). Only for sessions
  // whose cases are independent (the challenge target: every case opens its own connections).
  std::size_t jobs = 1;
  // Requirement ids covered by a case id (traceability), may be empty.
  std::function<std::vector<std::string>(const std::string&)> requirements_of;
  // Called before each executed case (e.g. restart a SUT that died), never by two workers at
  // once; a returned string is a reason to FAIL the case without running it. `progress` is
  // called under a lock, in completion order.
  std::function<std::optional<std::string>()> before_each;
  std::function<void(std::size_t done, std::size_t total, const CaseReport&)> progress;
  // Set (by a signal, app/interrupt.hpp) to stop: no further case starts, cases still running
  // when it is set are left out of the report (their SUT was stopped under them), and the
  // report is marked interrupted.
  const std::atomic<bool>* stop = nullptr;
};

// The cases in scope (matching the filter), in catalogue order.
std::vector<const Case*> select_cases(const std::vector<Case>& cases, const std::string& filter);

RunReport run_cases(const std::vector<Case>& cases, const EngineOptions& options);

// The default of `run -j` (challenge target): four cases per core, at least 8. A network case
// spends its time waiting for the SUT (replies, timeouts, deadlines), not on a core (DEC-117).
unsigned default_jobs();

std::string iso8601_now();

// "PASS", "FAIL", "INCOMPLETE" (only BLOCKED stands in the way) or "INTERRUPTED": the run's
// one-word result.
std::string result_word(const RunReport& report);

}  // namespace pnc::conf
