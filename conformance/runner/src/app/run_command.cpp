#include "app/run_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "app/target_setup.hpp"
#include "cases/catalogue.hpp"
#include "report/report.hpp"
#include "trace/requirements.hpp"

namespace pnc::conf {

Result<RunReport> execute_run(const RunSettings& settings, std::ostream& progress, bool show_progress) {
  SutDescription sut;
  if (!settings.sut_file.empty()) {
    auto loaded = load_sut_description(settings.sut_file);
    if (!loaded) return loaded.error();
    sut = std::move(*loaded);
  }
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

  if (!settings.report_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(settings.report_dir, ec);
  }
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
  const bool tty = show_progress && isatty(STDERR_FILENO) != 0;
  if (show_progress)
    options.progress = [&progress, tty](std::size_t done, std::size_t total, const CaseReport& last) {
      write_progress(progress, done, total, last, tty);
    };
  RunReport report = run_cases(*cases, options);
  report.target = (*target)->describe();
  if (report.sut_name.empty() || report.sut_name == "unnamed SUT") report.sut_name = (*target)->sut_identity();
  (*target)->close();
  return report;
}

int run_command(const RunSettings& settings, std::ostream& out, std::ostream& err) {
  auto report = execute_run(settings, err, !settings.quiet);
  if (!report) {
    err << "pnc-conformance: " << report.error().message << " [" << report.error().code << "]\n";
    return 2;
  }
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
    if (auto s = write_report_files(settings.report_dir, *report); !s) {
      err << "pnc-conformance: " << s.error().message << '\n';
      return 2;
    }
    if (!settings.quiet) out << "reports: " << settings.report_dir << "/{report.json,junit.xml,certificate.html}\n";
  }
  return report->exit_status();
}

}  // namespace pnc::conf
