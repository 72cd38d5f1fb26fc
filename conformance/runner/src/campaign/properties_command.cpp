#include "campaign/properties_command.hpp"

#include <rapidcheck.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "campaign/shim_properties.hpp"
#include "cases/shim_session.hpp"
#include "cases/text.hpp"
#include "core/process.hpp"
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

// A name selects itself; a family ("P-ENV") selects its members.
bool selected(const ShimProperty& p, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return true;
  for (const auto& w : wanted)
    if (p.name == w || p.name.rfind(w + ".", 0) == 0) return true;
  return false;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
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

Json to_json(const Failure& f, const ShimProperty& p, const PropertySettings& s, const std::string& shim, const std::string& reproduce) {
  Json example = Json::array();
  for (const auto& [type, value] : f.counterexample) example.push_back({{"type", type}, {"value", value}});
  Json calls = Json::array();
  for (const auto& c : f.calls) calls.push_back({{"op", c.op}, {"args", c.args}, {"sut", c.sut}, {"reference", c.reference}});
  return {{"format", "pnc-property-finding/1"}, {"property", p.name},  {"section", p.section},
          {"what", p.what},                     {"target", "shim"},    {"shim", shim},
          {"profile", std::string(to_string(s.profile))},
          {"seed", s.seed},                     {"cases_before_failure", f.cases},
          {"failure", f.description},           {"counterexample", example},
          {"calls", calls},                     {"reproduce", reproduce}};
}

}  // namespace

std::string property_help() {
  std::string out = "Properties (--properties takes names or families, e.g. P-ENV):\n";
  for (const auto& p : shim_properties()) out += "  " + p.name + " (" + p.section + "): " + p.what + "\n";
  return out;
}

int properties_command(const PropertySettings& s, std::ostream& out, std::ostream& err) {
  pnc::cli::InterruptGuard interrupt("pnc-conformance", "stopping after the current property (again to quit at once)", err,
                                     [](int) {}, [](int) { signal_child_groups(SIGKILL); });
  const auto wanted = split_list(s.properties);
  for (const auto& w : wanted) {
    const bool known = std::any_of(shim_properties().begin(), shim_properties().end(),
                                   [&](const ShimProperty& p) { return selected(p, {w}); });
    if (!known) {
      err << "pnc-conformance: --properties: unknown property or family \"" << w << "\"\n" << property_help();
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
  ShimSession shim(s.cmd, log, Millis(s.timeout_ms), Millis(s.startup_timeout_ms));
  if (auto st = shim.start(); !st) {
    err << "pnc-conformance: the shim did not start: " << st.error().message << " [setup.shim]\n";
    return interrupt.signal_number() ? 128 + interrupt.signal_number() : 2;
  }
  {
    // RapidCheck announces its configuration on stderr when it first loads it: not our output.
    auto* const saved = std::cerr.rdbuf(nullptr);
    (void)rc::detail::configuration();
    std::cerr.rdbuf(saved);
  }
  auto sut = make_shim_endpoint(shim);
  auto oracle = make_shim_oracle();

  int passed = 0, failed = 0, skipped = 0, inconclusive = 0;
  for (const auto& p : shim_properties()) {
    if (!selected(p, wanted)) continue;
    if (interrupt.stop_requested()) break;
    ShimProbe probe(*sut, *oracle, s.profile);
    const auto body = [&] {
      if (interrupt.stop_requested()) RC_SUCCEED("interrupted");
      probe.begin_case();
      p.body(probe);
    };
    rc::detail::TestMetadata meta;
    meta.id = meta.description = p.name;
    rc::detail::TestParams params;
    params.seed = s.seed;
    params.maxSuccess = s.runs;
    params.maxSize = 100;
    params.maxDiscardRatio = 10;
    QuietListener quiet;
    const auto result = rc::detail::checkProperty(rc::detail::toProperty(body), meta, params, quiet);
    if (!probe.unimplemented().empty()) {
      ++skipped;
      out << "SKIPPED " << p.name << ": the shim does not implement " << probe.unimplemented() << '\n';
      continue;
    }
    rc::detail::SuccessResult success;
    rc::detail::FailureResult failure;
    rc::detail::GaveUpResult gave_up;
    if (result.match(success)) {
      ++passed;
      out << "PASS " << p.name << " (" << success.numSuccess << " cases) " << p.section << '\n';
    } else if (result.match(failure)) {
      ++failed;
      // The probe's own words when it failed the case; RapidCheck's otherwise (an exception).
      Failure f{probe.failing_why().empty() ? failure.description : probe.failing_why(), failure.counterExample,
                failure.numSuccess, probe.failing_calls()};
      const std::string reproduce = "pnc-conformance properties --cmd " + shell_quote(s.cmd) + " --profile " +
                                    std::string(to_string(s.profile)) + " --seed " + std::to_string(s.seed) +
                                    " --runs " + std::to_string(s.runs) + " --properties " + p.name;
      out << "FAIL " << p.name << " after " << f.cases << " passing cases, shrunk: " << f.description << '\n';
      for (const auto& c : f.calls) out << "  call " << c.op << " " << json::dump(c.args) << "\n    SUT " << c.sut
                                        << (c.reference.empty() ? "" : "\n    reference " + c.reference) << '\n';
      out << "  reproduce: " << reproduce << '\n';
      if (!s.findings_dir.empty()) {
        const auto path = std::filesystem::path(s.findings_dir) / file_name(p.name);
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file << to_json(f, p, s, shim.identity(), reproduce).dump(2) << '\n';
        out << "  finding: " << path.string() << '\n';
      }
    } else if (result.match(gave_up)) {
      ++inconclusive;
      out << "INCONCLUSIVE " << p.name << ": " << gave_up.description << " after " << gave_up.numSuccess << " cases\n";
    } else {
      ++inconclusive;
      out << "INCONCLUSIVE " << p.name << ": RapidCheck could not run it\n";
    }
  }
  shim.stop();
  out << "properties " << to_string(s.profile) << " seed " << s.seed << " against " << shim.identity() << ": " << passed
      << " passed, " << failed << " failed, " << skipped << " skipped, " << inconclusive << " inconclusive\n";
  if (const int sig = interrupt.signal_number()) return 128 + sig;
  return failed > 0 ? 1 : (inconclusive > 0 ? 2 : 0);
}

}  // namespace pnc::conf::campaign
