// `pnc-conformance fuzz` and `pnc-conformance replay` (docs/campaigns.md): open the challenge
// target as `run` does (--url, or --cmd with the keys the runner makes) and build the reference
// oracle configured like the SUT, or start a shim (--target shim) with pnc-ref-shim's operations
// as the oracle; run the campaign or one finding file, print and write findings.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/case.hpp"

namespace pnc::conf::campaign {

struct FuzzSettings {
  Target target = Target::challenge;  // challenge or shim
  std::string vectors_dir;            // shim target: the vector files that seed its scenarios
  std::string url;
  std::string cmd;
  std::string sut_file;
  Profile profile = Profile::seed_spec;
  std::uint64_t seed = 1;
  std::uint64_t runs = 0;
  double duration_s = 0;
  std::uint64_t max_findings = 0;  // stop after this many findings (0: never)
  std::string shard = "0/1";
  std::string findings_dir;
  std::string corpus_dir;
  std::string junit;      // write a JUnit XML file: one <testcase> per finding (one passing one without)
  std::string report_dir; // write report.json (kind "fuzz"), junit.xml and report.html here
  std::string scenarios;  // comma-separated names; empty: all
  unsigned jobs = 1;      // workers in this process, each with its own SUT connection / process (0: one per core)
  int timeout_ms = 1000;
  int startup_timeout_ms = 10000;
  bool quiet = false;
};

// Exit status: 0 no finding, 1 findings, 2 usage or setup error, 130/143 interrupted (findings
// so far written).
int fuzz_command(const FuzzSettings& s, std::ostream& out, std::ostream& err);

// Exit status: 0 the finding no longer shows, 1 it still does, 2 a bad file or setup error.
int replay_command(const std::string& file, FuzzSettings s, std::ostream& out, std::ostream& err);

// The scenario list for --help.
std::string scenario_help();
// The shim target's operation names (once its scenarios are registered).
std::string shim_operation_help();

}  // namespace pnc::conf::campaign
