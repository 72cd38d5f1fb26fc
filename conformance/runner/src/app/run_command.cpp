#include "app/run_command.hpp"

#include <signal.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "app/host_tdx.hpp"
#include "app/target_setup.hpp"
#include "cases/catalogue.hpp"
#include "pnc/child_process.hpp"
#include "core/provenance.hpp"
#include "pnc/interrupt.hpp"
#include "report/report.hpp"
#include "report/signature.hpp"
#include "trace/requirements.hpp"

namespace pnc::conf {

namespace {

// The input files' digests, taken before they are read for the run.
struct InputDigests {
  std::optional<InputFile> sut, expectations, requirements;
  std::vector<InputFile> vectors;
};
InputDigests digest_inputs(const RunSettings& s) {
  return {digest_of(s.sut_file), digest_of(s.expectations_file), digest_of(s.requirements_file),
          vector_file_digests(s.vectors_dir)};
}

// The inputs that shaped the run (the engine filled filter, waivers and attestation mode).
void record_provenance(InputDigests inputs, const std::vector<Case>& cases, const std::optional<Traceability>& trace,
                       RunReport& report) {
  RunProvenance& p = report.provenance;
  p.sut_file = std::move(inputs.sut);
  p.expectations_file = std::move(inputs.expectations);
  if (trace) p.requirements_file = std::move(inputs.requirements);
  p.vector_files = std::move(inputs.vectors);
  p.catalogue_sha256 = sha256_hex(catalogue_dump(cases));
  if (trace) report.requirements = requirement_results(*trace, report);
}

}  // namespace

Result<RunReport> execute_run(const RunSettings& settings, std::ostream& progress, bool show_progress) {
  InputDigests digests = digest_inputs(settings);
  SutDescription sut;
  if (!settings.sut_file.empty()) {
    auto loaded = load_sut_description(settings.sut_file);
    if (!loaded) return loaded.error();
    sut = std::move(*loaded);
  }
  auto runner_tdx = make_runner_tdx(settings, sut);
  if (!runner_tdx) return runner_tdx.error();
  sut.runner_tdx = std::move(*runner_tdx);
  Expectations expectations;
  if (!settings.expectations_file.empty()) {
    auto loaded = load_expectations(settings.expectations_file);
    if (!loaded) return loaded.error();
    expectations = std::move(*loaded);
  }
  std::optional<Traceability> trace;
  if (!settings.requirements_file.empty()) {
    auto loaded = load_traceability(settings.requirements_file);
    if (loaded) trace = std::move(*loaded);  // optional: reports just lack requirement ids
  }
  auto cases = cases_for(settings.target, settings.vectors_dir);
  if (!cases) return cases.error();
  std::vector<std::string> ids;
  for (const auto& c : *cases) ids.push_back(c.id);
  for (const auto& glob : expectations.globs_matching_none(ids))
    progress << "pnc-conformance: warning: expectations glob \"" << glob << "\" matches no case of the "
             << to_string(settings.target) << " target\n";
  // The report directory must take the reports before the run spends minutes on the SUT.
  if (!settings.report_dir.empty())
    if (auto s = check_report_dir(settings.report_dir); !s) return s.error();
  auto target = open_target(settings, sut);  // starts whatever the run needs
  if (!target) return target.error();

  EngineOptions options;
  options.profile = settings.profile;
  options.filter = settings.filter;
  options.expectations = &expectations;
  options.sut = &(*target)->sut();
  options.timeout = Millis(settings.timeout_ms);
  options.session = (*target)->session();
  // Challenge cases each open their own connections; validator cases share the SUT's one
  // connection queue and shim cases one process, so they run one after the other.
  if (settings.target == Target::challenge) options.jobs = settings.jobs == 0 ? default_jobs() : settings.jobs;
  if (trace) options.requirements_of = [&trace](const std::string& id) { return requirements_of(*trace, id); };
  options.before_each = [&target]() { return (*target)->before_case(); };
  options.stop = settings.stop;
  const bool tty = show_progress && isatty(STDERR_FILENO) != 0;
  if (show_progress)
    options.progress = [&progress, tty](std::size_t done, std::size_t total, const CaseReport& last) {
      write_progress(progress, done, total, last, tty);
    };
  RunReport report = run_cases(*cases, options);
  report.target = (*target)->describe();
  report.sut_name = sut_report_name((*target)->sut(), (*target)->sut_identity());
  (*target)->close();
  record_provenance(std::move(digests), *cases, trace, report);
  return report;
}

int run_command(const RunSettings& given, std::ostream& out, std::ostream& err) {
  // Before any thread or child process exists: the first signal stops the SUT / shim groups.
  pnc::cli::InterruptGuard interrupt("pnc-conformance", "stopping the SUT, writing a partial report (again to quit at once)",
                                     err, [](int) { signal_child_groups(SIGTERM); },
                                     [](int) { signal_child_groups(SIGKILL); });
  RunSettings settings = given;
  settings.stop = &interrupt.stop_requested();
  std::optional<SecretBytes> sign_seed;
  if (!settings.sign_key_file.empty()) {
    if (settings.report_dir.empty()) {
      err << "pnc-conformance: --sign-key needs --report-dir (it signs report.json)\n";
      return 2;
    }
    auto seed = load_sign_key(settings.sign_key_file);
    if (!seed) {
      err << "pnc-conformance: " << seed.error().message << '\n';
      return 2;
    }
    sign_seed = std::move(*seed);
  }
  auto report = execute_run(settings, err, !settings.quiet);
  if (!report) {
    if (const int sig = interrupt.signal_number()) {
      err << "pnc-conformance: interrupted before the run started; no report\n";
      return 128 + sig;
    }
    err << "pnc-conformance: " << report.error().message << " [" << report.error().code << "]\n";
    return 2;
  }
  if (sign_seed) report->provenance.signing_public_key = sign_key_public_hex(*sign_seed);
  if (!settings.quiet) {
    write_console_report(out, *report, settings.color);
  } else {
    const auto summary = report->summary();
    out << report->suite << " " << report->profile << " " << report->target << ": "
        << result_word(*report);
    for (Verdict v : kAllVerdicts)
      if (summary.at(v) > 0) out << ", " << summary.at(v) << ' ' << to_string(v);
    out << " (" << report->duration_ms << " ms)\n";
    for (const auto& c : report->cases)
      if (!c.acceptable())
        out << "  " << to_string(c.verdict) << ' ' << c.id << ": " << c.observed << "\n    expected: " << c.expected << '\n';
  }
  if (!settings.report_dir.empty()) {
    if (auto s = write_report_files(settings.report_dir, *report, sign_seed ? &*sign_seed : nullptr); !s) {
      err << "pnc-conformance: " << s.error().message << '\n';
      return 2;
    }
    if (!settings.quiet)
      out << "reports: " << settings.report_dir << "/{report.json," << (sign_seed ? "report.json.sig," : "")
          << "junit.xml,certificate.html}\n";
  }
  if (const int sig = interrupt.signal_number()) return 128 + sig;  // 130 (SIGINT) / 143 (SIGTERM)
  return report->exit_status();
}

}  // namespace pnc::conf
