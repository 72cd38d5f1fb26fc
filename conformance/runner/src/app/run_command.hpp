// `pnc-conformance run`: sets up the target session (SUT address, managed SUT process, loopback
// harness or shim), runs the catalogue in one profile, prints the console report and writes the
// report files. Everything the runner starts is stopped before this returns.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "core/case.hpp"
#include "core/engine.hpp"

namespace pnc::conf {

struct RunSettings {
  Target target = Target::challenge;
  Profile profile = Profile::seed_spec;
  std::string url;             // challenge: SUT base (ws://host:port); validator: unused
  std::string cmd;             // command template: SUT (challenge/validator) or shim
  std::string sut_file;        // --sut
  std::string expectations_file;
  std::string filter = "*";
  std::string report_dir;      // empty: no files
  std::string sign_key_file;   // --sign-key: Ed25519 seed (64 hex) -> report.json.sig
  std::string vectors_dir;
  std::string requirements_file;  // traceability (optional)
  std::string bootstrap_url;   // validator SUT: its HTTP base
  // The runner's own quotes (RunnerTdx): mock (MockQuoteV4 / signed-mock, per the SUT description)
  // or, on a TDX host, configfs / dstack; root_file: the PEM the SUT's quotes must chain to
  // (default Intel's SGX root CA).
  std::string tdx = "mock";
  std::string configfs_root = "/sys/kernel/config/tsm/report";
  std::string dstack_socket = "/var/run/dstack.sock";
  std::string root_file;
  int listen_port = 0;         // validator target: where the runner's challenge listens (0 = any)
  int timeout_ms = 2000;
  int startup_timeout_ms = 10000;  // managed SUT: until it answers / connects
  int deadline_ms = 500;           // managed SUT: handshake deadline passed as {deadline_ms}
  unsigned jobs = 0;               // challenge target: cases run concurrently (0 = the number of cores)
  bool quiet = false;          // no progress, summary only
  const std::atomic<bool>* stop = nullptr;  // set by a signal: end the run early (EngineOptions::stop)
  bool color = false;
};

// Runs and reports; the exit status of the command (0 only if every case is acceptable,
// 2 for a usage or setup error, 128 + signal when SIGINT / SIGTERM interrupted it: the report
// files then hold the cases that completed, marked interrupted).
int run_command(const RunSettings& settings, std::ostream& out, std::ostream& err);

// Setup + run without printing (tests use it).
Result<RunReport> execute_run(const RunSettings& settings, std::ostream& progress, bool show_progress);

}  // namespace pnc::conf
