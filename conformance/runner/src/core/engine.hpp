// Runs a list of cases against one target in one profile: filter, profile and SUT-need skips,
// the driver (exceptions become FAIL, never a crash), expectations, timing, progress.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "core/expectations.hpp"

namespace pnc::conf {

inline constexpr std::string_view kSuiteName = "pnc-conformance";
inline constexpr std::string_view kSuiteVersion = "0.1.0";
inline constexpr std::string_view kSpecVersion = "PNC-SEC 1.1";  // docs/PROTOCOL.md header

struct CaseReport {
  std::string id;
  std::string title;
  std::string mechanism;
  std::vector<std::string> requirements;  // requirement ids this case covers
  Verdict verdict = Verdict::fail;
  std::string expected;
  std::string observed;
  std::string expectation_reason;  // EXPECTED-FAIL: the certifier's reason
  bool runner_gap = false;         // UNIMPLEMENTED by the runner, not the SUT (Outcome::gap)
  std::int64_t duration_ms = 0;

  // Does this case keep the exit status at 0? Runner gaps never count against the SUT.
  bool acceptable() const { return is_acceptable(verdict) || (verdict == Verdict::unimplemented && runner_gap); }
};

struct RunReport {
  std::string suite{kSuiteName};
  std::string suite_version{kSuiteVersion};
  std::string spec_version{kSpecVersion};
  std::string profile;
  std::string target;    // e.g. "challenge ws://127.0.0.1:10000"
  std::string sut_name;  // from the SUT description
  std::string started;   // ISO 8601 UTC
  std::int64_t duration_ms = 0;
  std::vector<CaseReport> cases;

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
};

// The cases in scope (matching the filter), in catalogue order.
std::vector<const Case*> select_cases(const std::vector<Case>& cases, const std::string& filter);

RunReport run_cases(const std::vector<Case>& cases, const EngineOptions& options);

// The default of `run -j`: the number of cores.
unsigned default_jobs();

std::string iso8601_now();

// "PASS", "FAIL" or "INCOMPLETE" (only BLOCKED stands in the way): the run's one-word result.
std::string result_word(const RunReport& report);

}  // namespace pnc::conf
