#include "campaign/properties_command.hpp"

#include <rapidcheck.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "campaign/report_outputs.hpp"
#include "campaign/live_properties.hpp"
#include "campaign/reference_validator.hpp"
#include "campaign/mutation.hpp"
#include "campaign/shim_properties.hpp"
#include "campaign/sut_access.hpp"
#include "campaign/validator_properties.hpp"
#include "cases/shim_session.hpp"
#include "cases/text.hpp"
#include "pnc/child_process.hpp"
#include "core/provenance.hpp"
#include "pnc/interrupt.hpp"

namespace pnc::conf::campaign {

using json::Json;

namespace {

// RapidCheck reports through a listener; the command prints its own lines.
class QuietListener final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// What --help and the findings say about a property, whatever its target.
struct PropertyInfo {
  std::string name;
  std::string section;
  std::string what;
};

// A name selects itself; a family ("P-ENV") selects its members.
bool selected(const std::string& name, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return true;
  for (const auto& w : wanted)
    if (name == w || name.rfind(w + ".", 0) == 0) return true;
  return false;
}

std::vector<PropertyInfo> infos(Target target) {
  std::vector<PropertyInfo> out;
  if (target == Target::shim)
    for (const auto& p : shim_properties()) out.push_back({p.name, p.section, p.what});
  else if (target == Target::validator)
    for (const auto& p : validator_properties()) out.push_back({p.name, p.section, p.what});
  else
    for (const auto& p : live_properties()) out.push_back({p.name, p.section, p.what});
  return out;
}

std::string file_name(const std::string& property) {
  std::string out = "property-";
  for (char c : property) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '_';
  return out + ".json";
}

struct Failure {
  std::string description;
  rc::detail::Example counterexample;
  int cases = 0;
  std::vector<PropertyCall> calls;
};

Json to_json(const Failure& f, const PropertyInfo& p, const PropertySettings& s, const std::string& sut, const std::string& reproduce) {
  Json example = Json::array();
  for (const auto& [type, value] : f.counterexample) example.push_back({{"type", type}, {"value", value}});
  Json calls = Json::array();
  for (const auto& c : f.calls) calls.push_back({{"op", c.op}, {"args", c.args}, {"sut", c.sut}, {"reference", c.reference}});
  return {{"format", "pnc-property-finding/1"},
          {"property", p.name},
          {"section", p.section},
          {"what", p.what},
          {"target", std::string(to_string(s.target))},
          {s.target == Target::shim ? "shim" : "sut", sut},
          {"profile", std::string(to_string(s.profile))},
          {"seed", s.seed},
          {"cases_before_failure", f.cases},
          {"failure", f.description},
          {"counterexample", example},
          {"calls", calls},
          {"reproduce", reproduce}};
}

std::string reproduce_command(const PropertySettings& s, const std::string& property) {
  std::string c = "pnc-conformance properties";
  if (s.target != Target::shim) c += " --target " + std::string(to_string(s.target));
  if (!s.cmd.empty()) c += " --cmd " + shell_quote(s.cmd);
  if (!s.url.empty()) c += " --url " + shell_quote(s.url);
  if (!s.sut_file.empty()) c += " --sut " + shell_quote(s.sut_file);
  if (s.timeout_ms != PropertySettings{}.timeout_ms) c += " --timeout-ms " + std::to_string(s.timeout_ms);
  return c + " --profile " + std::string(to_string(s.profile)) + " --seed " + std::to_string(s.seed) + " --runs " +
         std::to_string(s.runs) + " --properties " + property;
}

struct Tally {
  int passed = 0, failed = 0, skipped = 0, blocked = 0, inconclusive = 0;
  std::uint64_t generated = 0;    // cases generated, all properties together
  std::vector<CaseReport> cases;  // one per property, for the report files
  std::vector<std::string> finding_files;
  std::string attestation_mode = "mock";  // the SUT description's (challenge, validator)
};

// The property's verdict as a case of the run reports (JUnit: one <testcase> per property).
void add_case(Tally& tally, const PropertyInfo& p, Verdict v, const std::string& observed, std::int64_t ms) {
  CaseReport c;
  c.id = p.name;
  c.title = p.what;
  c.mechanism = p.name.substr(0, p.name.find('.'));
  c.verdict = v;
  c.expected = "holds for every generated case (" + p.section + ")";
  c.observed = observed;
  c.duration_ms = ms;
  tally.cases.push_back(std::move(c));
}

// Runs one property with RapidCheck (the command's seed and case count, a silent listener) and
// prints its verdict line; a failure's shrunk calls are printed and written as a finding.
void run_property(const PropertyInfo& p, PropertyProbe& probe, const std::function<void()>& one_case, const PropertySettings& s,
                  const std::string& sut_name, const std::atomic<bool>& stop, Tally& tally, std::ostream& out) {
  const auto body = [&] {
    if (stop) RC_SUCCEED("interrupted");
    probe.begin_case();
    one_case();
  };
  rc::detail::TestMetadata meta;
  meta.id = meta.description = p.name;
  rc::detail::TestParams params;
  params.seed = s.seed;
  params.maxSuccess = s.runs;
  params.maxSize = 100;
  params.maxDiscardRatio = 10;
  QuietListener quiet;
  const auto t0 = std::chrono::steady_clock::now();
  const auto result = rc::detail::checkProperty(rc::detail::toProperty(body), meta, params, quiet);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  if (!probe.skipped().empty()) {
    ++tally.skipped;
    add_case(tally, p, Verdict::skipped, probe.skipped(), ms);
    out << "SKIPPED " << p.name << ": " << probe.skipped() << '\n';
    return;
  }
  if (!probe.blocked().empty()) {
    ++tally.blocked;
    add_case(tally, p, Verdict::blocked, probe.blocked(), ms);
    out << "BLOCKED " << p.name << ": " << probe.blocked() << '\n';
    return;
  }
  rc::detail::SuccessResult success;
  rc::detail::FailureResult failure;
  rc::detail::GaveUpResult gave_up;
  if (result.match(success)) {
    ++tally.passed;
    tally.generated += static_cast<std::uint64_t>(success.numSuccess);
    add_case(tally, p, Verdict::pass, std::to_string(success.numSuccess) + " cases", ms);
    out << "PASS " << p.name << " (" << success.numSuccess << " cases) " << p.section << '\n';
  } else if (result.match(failure)) {
    ++tally.failed;
    tally.generated += static_cast<std::uint64_t>(failure.numSuccess) + 1;
    // The probe's own words when it failed the case; RapidCheck's otherwise (an exception).
    Failure f{probe.failing_why().empty() ? failure.description : probe.failing_why(), failure.counterExample,
              failure.numSuccess, probe.failing_calls()};
    const std::string reproduce = reproduce_command(s, p.name);
    std::string shrunk = f.description + "\nshrunk case:";
    for (const auto& c : f.calls) shrunk += "\n  " + c.op + ": SUT " + c.sut + (c.reference.empty() ? "" : ", reference " + c.reference);
    add_case(tally, p, Verdict::fail, shrunk + "\nreproduce: " + reproduce, ms);
    out << "FAIL " << p.name << " after " << f.cases << " passing cases, shrunk: " << f.description << '\n';
    for (const auto& c : f.calls)
      out << "  " << (s.target == Target::shim ? "call " : "send ") << c.op
          << (s.target == Target::shim ? " " + json::dump(c.args) : std::string()) << "\n    SUT " << c.sut
          << (c.reference.empty() ? "" : "\n    reference " + c.reference) << '\n';
    out << "  reproduce: " << reproduce << '\n';
    if (!s.findings_dir.empty()) {
      const auto path = std::filesystem::path(s.findings_dir) / file_name(p.name);
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      file << to_json(f, p, s, sut_name, reproduce).dump(2) << '\n';
      out << "  finding: " << path.string() << '\n';
      tally.finding_files.push_back(path.string());
    }
  } else if (result.match(gave_up)) {
    ++tally.inconclusive;
    add_case(tally, p, Verdict::blocked, "inconclusive: " + gave_up.description, ms);
    out << "INCONCLUSIVE " << p.name << ": " << gave_up.description << " after " << gave_up.numSuccess << " cases\n";
  } else {
    ++tally.inconclusive;
    add_case(tally, p, Verdict::blocked, "inconclusive: RapidCheck could not run it", ms);
    out << "INCONCLUSIVE " << p.name << ": RapidCheck could not run it\n";
  }
}

// The shim target: the shim process and pnc-ref-shim's operations in process.
int run_shim(const PropertySettings& s, const std::vector<std::string>& wanted, const std::string& log,
             const std::atomic<bool>& stop, Tally& tally, std::ostream& out, std::ostream& err, std::string& sut_name) {
  ShimSession shim(s.cmd, log, Millis(s.timeout_ms), Millis(s.startup_timeout_ms));
  if (auto st = shim.start(); !st) {
    err << "pnc-conformance: the shim did not start: " << st.error().message << " [setup.shim]\n";
    return 2;
  }
  sut_name = shim.identity();
  auto sut = make_shim_endpoint(shim);
  auto oracle = make_shim_oracle();
  for (const auto& p : shim_properties()) {
    if (!selected(p.name, wanted)) continue;
    if (stop) break;
    ShimProbe probe(*sut, *oracle, s.profile);
    run_property({p.name, p.section, p.what}, probe, [&] { p.body(probe); }, s, sut_name, stop, tally, out);
  }
  shim.stop();
  return 0;
}

// What opening a network SUT needs, as the fuzz command's settings carry it.
FuzzSettings fuzz_settings(const PropertySettings& s) {
  FuzzSettings fs;
  fs.url = s.url;
  fs.cmd = s.cmd;
  fs.sut_file = s.sut_file;
  fs.profile = s.profile;
  fs.timeout_ms = s.timeout_ms;
  fs.startup_timeout_ms = s.startup_timeout_ms;
  return fs;
}

// The challenge target: live sessions with the SUT and with the reference challenge in process.
int run_challenge(const PropertySettings& s, const std::vector<std::string>& wanted, const std::atomic<bool>& stop,
                  Tally& tally, std::ostream& out, std::ostream& err, std::string& sut_name) {
  auto opened = open_challenge(fuzz_settings(s));
  if (!opened) {
    err << "pnc-conformance: " << opened.error().message << " [" << opened.error().code << "]\n";
    return 2;
  }
  sut_name = sut_report_name(opened->description(), address_name(s.url, s.cmd));
  tally.attestation_mode = attestation_mode_name(opened->description());
  for (const auto& p : live_properties()) {
    if (!selected(p.name, wanted)) continue;
    if (stop) break;
    // Each property draws its own nonces: the SUT and the oracle remember those of earlier properties.
    std::uint64_t seed = s.seed;
    for (unsigned char c : p.name) seed = mix(seed, c);
    LiveProbe probe(*opened->sut, *opened->oracle, s.profile, opened->description(), seed);
    run_property({p.name, p.section, p.what}, probe, [&] { p.body(probe); }, s, sut_name, stop, tally, out);
    opened->restart();  // a SUT process that died comes back for the next property
  }
  opened->close();
  return 0;
}

// The validator target: the SUT started from --cmd for every case, connecting to the runner's
// loopback challenge; the reference validator in process connects to another one.
int run_validator(const PropertySettings& s, const std::vector<std::string>& wanted, const std::atomic<bool>& stop,
                  Tally& tally, std::ostream& out, std::ostream& err, std::string& sut_name) {
  auto target = open_network_target(Target::validator, fuzz_settings(s));
  if (!target) {
    err << "pnc-conformance: " << target.error().message << " [" << target.error().code << "]\n";
    return 2;
  }
  auto* sut = dynamic_cast<ValidatorSession*>((*target)->session());
  auto reference = open_reference_validator(s.profile, (*target)->sut(), Millis(s.timeout_ms));
  if (!sut || !reference) {
    (*target)->close();
    err << "pnc-conformance: cannot configure the reference validator like the SUT: "
        << (reference ? std::string("no validator session") : reference.error().message) << " [setup.oracle]\n";
    return 2;
  }
  sut_name = sut_report_name((*target)->sut(), executable_name(s.cmd));
  tally.attestation_mode = attestation_mode_name((*target)->sut());
  for (const auto& p : validator_properties()) {
    if (!selected(p.name, wanted)) continue;
    if (stop) break;
    std::uint64_t seed = s.seed;
    for (unsigned char c : p.name) seed = mix(seed, c);
    ValidatorProbe probe(*sut, **reference, s.profile, (*target)->sut(), seed, Millis(s.timeout_ms));
    run_property({p.name, p.section, p.what}, probe, [&] { p.body(probe); }, s, sut_name, stop, tally, out);
  }
  (*reference)->stop();
  (*target)->close();
  return 0;
}

}  // namespace

std::string property_help() {
  std::string out = "Properties, --target shim (--properties takes names or families, e.g. P-ENV):\n";
  for (const auto& p : infos(Target::shim)) out += "  " + p.name + " (" + p.section + "): " + p.what + "\n";
  out += "Properties, --target challenge (live sessions):\n";
  for (const auto& p : infos(Target::challenge)) out += "  " + p.name + " (" + p.section + "): " + p.what + "\n";
  out += "Properties, --target validator (live sessions, the runner plays the challenge):\n";
  for (const auto& p : infos(Target::validator)) out += "  " + p.name + " (" + p.section + "): " + p.what + "\n";
  return out;
}

int properties_command(const PropertySettings& s, std::ostream& out, std::ostream& err) {
  pnc::cli::InterruptGuard interrupt("pnc-conformance", "stopping after the current property (again to quit at once)", err,
                                     [](int) {}, [](int) { signal_child_groups(SIGKILL); });
  const auto wanted = split_list(s.properties);
  const auto known = infos(s.target);
  for (const auto& w : wanted) {
    if (!std::any_of(known.begin(), known.end(), [&](const PropertyInfo& p) { return selected(p.name, {w}); })) {
      err << "pnc-conformance: --properties: unknown " << to_string(s.target) << " property or family \"" << w << "\"\n"
          << property_help();
      return 2;
    }
  }
  std::string log;
  if (!s.findings_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(s.findings_dir, ec);
    if (ec) {
      err << "pnc-conformance: --findings-dir " << s.findings_dir << ": " << ec.message() << '\n';
      return 2;
    }
    log = (std::filesystem::path(s.findings_dir) / "shim.log").string();
  }
  {
    // RapidCheck announces its configuration on stderr when it first loads it: not our output.
    auto* const saved = std::cerr.rdbuf(nullptr);
    (void)rc::detail::configuration();
    std::cerr.rdbuf(saved);
  }
  const ReportOutputs outputs{s.junit, s.report_dir};
  if (auto st = check_report_outputs(outputs); !st) {  // before the run, not after it
    err << "pnc-conformance: " << st.error().message << '\n';
    return 2;
  }
  Tally tally;
  std::string sut_name;
  RunReport report;
  report.started = iso8601_now();
  const auto t0 = std::chrono::steady_clock::now();
  const int setup = s.target == Target::shim        ? run_shim(s, wanted, log, interrupt.stop_requested(), tally, out, err, sut_name)
                    : s.target == Target::validator ? run_validator(s, wanted, interrupt.stop_requested(), tally, out, err, sut_name)
                                                    : run_challenge(s, wanted, interrupt.stop_requested(), tally, out, err, sut_name);
  if (setup != 0) return interrupt.signal_number() ? 128 + interrupt.signal_number() : setup;
  out << "properties " << to_string(s.profile) << " seed " << s.seed << " against " << sut_name << ": " << tally.passed
      << " passed, " << tally.failed << " failed, " << tally.skipped << " skipped, ";
  if (tally.blocked > 0) out << tally.blocked << " blocked, ";
  out << tally.inconclusive << " inconclusive\n";
  if (outputs.any()) {
    report.kind = ReportKind::properties;
    report.profile = std::string(to_string(s.profile));
    report.target = target_text(s.target, s.url, s.cmd);
    report.sut_name = sut_name;
    report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    report.cases = std::move(tally.cases);
    report.interrupted = interrupt.signal_number() != 0;
    report.provenance.attestation_mode = tally.attestation_mode;
    report.provenance.filter = s.properties.empty() ? "*" : s.properties;
    report.provenance.sut_file = digest_of(s.sut_file);
    report.campaign = {s.seed, "", tally.generated, 1, s.properties, tally.finding_files};
    if (auto st = write_report_outputs(outputs, report); !st)
      err << "pnc-conformance: " << st.error().message << '\n';
    else if (!s.report_dir.empty())
      out << "reports: " << s.report_dir << "/{report.json,junit.xml,report.html}\n";
  }
  if (const int sig = interrupt.signal_number()) return 128 + sig;
  return tally.failed > 0 ? 1 : (tally.inconclusive + tally.blocked > 0 ? 2 : 0);
}

}  // namespace pnc::conf::campaign
