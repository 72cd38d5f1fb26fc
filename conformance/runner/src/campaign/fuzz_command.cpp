#include "campaign/fuzz_command.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <iostream>
#include <mutex>
#include <thread>
#include <tuple>
#include <sstream>

#include "app/target_setup.hpp"
#include "campaign/campaign.hpp"
#include "campaign/report_outputs.hpp"
#include "campaign/sut_access.hpp"
#include "cases/challenge_session.hpp"
#include "cases/shim_session.hpp"
#include "cases/text.hpp"
#include "pnc/child_process.hpp"
#include "core/provenance.hpp"
#include "core/read_file.hpp"
#include "pnc/interrupt.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf::campaign {

namespace {

Result<std::pair<unsigned, unsigned>> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto bad = make_error("cli.shard", "--shard " + text + ": expected I/N with 0 <= I < N, e.g. 0/4");
  if (slash == std::string::npos || slash == 0 || slash + 1 >= text.size()) return bad;
  const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  if (a.find_first_not_of("0123456789") != std::string::npos || b.find_first_not_of("0123456789") != std::string::npos ||
      a.size() > 6 || b.size() > 6)
    return bad;
  const unsigned i = static_cast<unsigned>(std::stoul(a)), n = static_cast<unsigned>(std::stoul(b));
  if (n == 0 || i >= n) return bad;
  return std::make_pair(i, n);
}

void print_finding(std::ostream& out, const Finding& f, const std::string& file) {
  out << "FINDING " << f.kind << ": " << f.klass << "\n  " << f.outcome << '\n';
  for (const auto& m : f.input.mutations) out << "  mutation: " << m.describe() << '\n';
  if (!f.note.empty()) out << "  " << f.note << '\n';
  if (!file.empty()) out << "  reproducer: " << file << '\n';
}

// The campaign as run reports see it: one FAIL per finding, or one PASS saying what ran.
RunReport campaign_report(const FuzzSettings& s, unsigned jobs, const CampaignResult& r, const std::string& started,
                          bool interrupted, const SutDescription& sut, const std::string& sut_name) {
  RunReport report;
  report.kind = ReportKind::fuzz;
  report.profile = std::string(to_string(s.profile));
  report.target = target_text(s.target, s.url, s.cmd);
  report.sut_name = sut_name;
  report.started = started;
  report.duration_ms = static_cast<std::int64_t>(r.seconds * 1000);
  report.interrupted = interrupted;
  report.provenance.attestation_mode = attestation_mode_name(sut);
  report.provenance.filter = s.scenarios.empty() ? "*" : s.scenarios;
  report.provenance.sut_file = digest_of(s.sut_file);
  report.campaign = {s.seed, s.shard, r.execs, jobs, s.scenarios, r.files};
  const std::string ran = std::to_string(r.execs) + " executions, seed " + std::to_string(s.seed) + ", shard " + s.shard;
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    CaseReport c;
    c.id = f.kind;
    c.title = f.klass;
    c.mechanism = f.input.scenario;
    c.verdict = Verdict::fail;
    c.expected = "what the reference does with the same input";
    c.observed = f.outcome;
    for (const auto& m : f.input.mutations) c.observed += "\nmutation: " + m.describe();
    if (!f.note.empty()) c.observed += "\n" + f.note;
    if (i < r.files.size()) c.observed += "\nreproducer: " + r.files[i];
    report.cases.push_back(std::move(c));
  }
  if (r.findings.empty()) {
    CaseReport c;
    c.id = "campaign";
    c.title = "no finding";
    c.mechanism = "fuzz";
    c.verdict = Verdict::pass;
    c.observed = ran;
    c.duration_ms = report.duration_ms;
    report.cases.push_back(std::move(c));
  }
  return report;
}

// One worker's progress lines on the shared error stream, each written whole under the mutex.
class LinePrefixStream : private std::streambuf {
 public:
  LinePrefixStream(std::ostream& out, std::mutex& mu, std::string prefix) : out_(out), mu_(mu), prefix_(std::move(prefix)), os_(this) {}
  std::ostream& stream() { return os_; }

 private:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    line_ += static_cast<char>(c);
    if (c == '\n') {
      const std::lock_guard<std::mutex> lock(mu_);
      out_ << prefix_ << line_ << std::flush;
      line_.clear();
    }
    return c;
  }

  std::ostream& out_;
  std::mutex& mu_;
  std::string prefix_;
  std::string line_;
  std::ostream os_;
};

// The workers' results as one campaign's: findings deduplicated by (class, outcome), in the
// order they were found, at most `max_findings` (0: all).
CampaignResult merged(std::vector<CampaignResult> parts, std::uint64_t max_findings) {
  CampaignResult r;
  std::vector<std::tuple<double, Finding, std::string>> found;
  for (auto& p : parts) {
    r.execs += p.execs;
    r.seconds = std::max(r.seconds, p.seconds);
    r.flaky += p.flaky;
    r.corpus = std::max(r.corpus, p.corpus);
    for (std::size_t i = 0; i < p.findings.size(); ++i)
      found.emplace_back(i < p.first_finding_s.size() ? p.first_finding_s[i] : p.seconds, std::move(p.findings[i]),
                         i < p.files.size() ? p.files[i] : std::string());
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  std::set<std::string> keys;
  for (auto& [at, f, file] : found) {
    if (max_findings != 0 && r.findings.size() >= max_findings) break;
    if (!keys.insert(f.key()).second) continue;
    r.first_finding_s.push_back(at);
    if (!file.empty()) r.files.push_back(file);
    r.findings.push_back(std::move(f));
  }
  return r;
}

}  // namespace

std::string shim_operation_help() {
  std::set<std::string> ops;
  for (const auto& sc : scenarios())
    if (sc.shim) ops.insert(sc.shim->op);
  std::string out = "Shim operations (--scenarios, --target shim):";
  for (const auto& op : ops) out += " " + op;
  return out + "\n";
}

std::string scenario_help() {
  std::string out = "Scenarios (--scenarios):\n";
  for (const auto& sc : scenarios())
    if (!sc.shim) out += "  " + sc.name + " (--target " + std::string(to_string(sc.target())) + "): " + sc.what + "\n";
  return out;
}

int fuzz_command(const FuzzSettings& s, std::ostream& out, std::ostream& err) {
  pnc::cli::InterruptGuard interrupt("pnc-conformance", "stopping the campaign, writing the findings so far (again to quit at once)",
                                     err, [](int) {}, [](int) { signal_child_groups(SIGKILL); });
  auto shard = parse_shard(s.shard);
  if (!shard) {
    err << "pnc-conformance: " << shard.error().message << '\n';
    return 2;
  }
  const ReportOutputs outputs{s.junit, s.report_dir};
  if (auto st = check_report_outputs(outputs); !st) {  // before the campaign, not after it
    err << "pnc-conformance: " << st.error().message << '\n';
    return 2;
  }
  const std::string started = iso8601_now();
  // Every worker opens its own SUT (a process of its own for --cmd, or its own connections to
  // --url), oracle and, for a validator, loopback challenges.
  const unsigned jobs = s.jobs > 0 ? s.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Opened> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    auto opened = open_all(s);
    if (!opened) {
      for (auto& w : workers) w.close();
      err << "pnc-conformance: " << opened.error().message << " [" << opened.error().code << "]\n";
      return interrupt.signal_number() ? 128 + interrupt.signal_number() : 2;
    }
    workers.push_back(std::move(*opened));
  }
  const auto close_all = [&workers] {
    for (auto& w : workers) w.close();
  };
  for (const auto& name : split_list(s.scenarios)) {
    const bool known = std::any_of(scenarios().begin(), scenarios().end(), [&](const Scenario& sc) {
      return sc.target() == s.target && scenario_named(sc, name);
    });
    if (!known) {
      err << "pnc-conformance: --scenarios: unknown " << (s.target == Target::shim ? "operation or scenario" : "scenario")
          << " \"" << name << "\"\n" << (s.target == Target::shim ? shim_operation_help() : scenario_help());
      close_all();
      return 2;
    }
  }
  CampaignSettings cs;
  cs.target = s.target;
  cs.profile = s.profile;
  cs.seed = s.seed;
  cs.runs = s.runs;
  cs.duration_s = s.duration_s;
  cs.max_findings = s.max_findings;
  if (cs.runs == 0 && cs.duration_s <= 0) cs.runs = 500;
  cs.findings_dir = s.findings_dir;
  cs.corpus_dir = s.corpus_dir;
  cs.only_scenarios = split_list(s.scenarios);
  if (s.target == Target::shim) {
    const Opened& first = workers.front();
    if (!first.skipped_ops.empty()) {
      err << "fuzz: the shim does not implement " << first.skipped_ops.size() << " operation(s), left out:";
      for (const auto& op : first.skipped_ops) err << ' ' << op;
      err << '\n';
    }
    if (cs.only_scenarios.empty()) cs.only_scenarios = first.ops;
  }
  cs.stop = &interrupt.stop_requested();
  cs.progress = !s.quiet;
  // Worker j runs the executions i = I + N*(j + k*jobs) of shard I/N: together exactly the
  // shard's, the runs split between them.
  std::vector<CampaignResult> results(jobs);
  std::mutex err_mu;
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) {
    CampaignSettings w = cs;
    w.shard = shard->first + shard->second * j;
    w.shards = shard->second * jobs;
    if (cs.runs != 0) w.runs = cs.runs / jobs + (j < cs.runs % jobs ? 1 : 0);
    if (cs.runs != 0 && w.runs == 0) continue;
    threads.emplace_back([&, w, j] {
      Opened* o = &workers[j];
      LinePrefixStream progress(err, err_mu, jobs > 1 ? "[" + std::to_string(j) + "] " : "");
      results[j] = run_campaign(w, o->description(), o->executor(s.profile), [o] { o->restart(); }, progress.stream());
    });
  }
  for (auto& t : threads) t.join();
  const SutDescription description = workers.front().description();
  const std::string sut_name =
      sut_report_name(description, workers.front().shim ? workers.front().shim->identity() : address_name(s.url, s.cmd));
  close_all();
  const CampaignResult r = merged(std::move(results), s.max_findings);
  for (std::size_t i = 0; i < r.findings.size(); ++i)
    print_finding(out, r.findings[i], i < r.files.size() ? r.files[i] : std::string());
  out << "fuzz " << to_string(s.profile) << " seed " << s.seed << " shard " << s.shard << ": " << r.execs << " execs in "
      << static_cast<long>(r.seconds * 1000) << " ms (" << static_cast<long>(static_cast<double>(r.execs) / std::max(r.seconds, 1e-3))
      << "/s), " << r.findings.size() << " findings";
  if (!r.first_finding_s.empty()) out << " (first after " << static_cast<long>(r.first_finding_s.front() * 1000) << " ms)";
  if (r.flaky > 0) out << ", " << r.flaky << " differences that did not show again";
  out << ", corpus " << r.corpus << '\n';
  if (outputs.any()) {
    if (auto st = write_report_outputs(outputs, campaign_report(s, jobs, r, started, interrupt.signal_number() != 0, description, sut_name)); !st)
      err << "pnc-conformance: " << st.error().message << '\n';
    else if (!s.report_dir.empty() && !s.quiet)
      out << "reports: " << s.report_dir << "/{report.json,junit.xml,report.html}\n";
  }
  if (const int sig = interrupt.signal_number()) return 128 + sig;
  return r.findings.empty() ? 0 : 1;
}

int replay_command(const std::string& file, FuzzSettings s, std::ostream& out, std::ostream& err) {
  const auto text = read_file(file);
  if (!text) {
    err << "pnc-conformance: " << file << ": cannot read it [finding.unreadable]\n";
    return 2;
  }
  // A shim finding names a scenario seeded by the vector files: register those first.
  if (auto doc = json::parse(*text, Profile::sdk_compat); doc && doc->is_object() && doc->value("target", "") == "shim") {
    s.target = Target::shim;
    if (auto st = add_shim_scenarios(s.vectors_dir); !st) {
      err << "pnc-conformance: cannot seed the shim scenarios from " << s.vectors_dir << ": " << st.error().message << " ["
          << st.error().code << "]\n";
      return 2;
    }
  }
  auto f = finding_from_json(*text);
  if (!f) {
    err << "pnc-conformance: " << file << ": not a finding file: " << f.error().message << " [" << f.error().code << "]\n";
    return 2;
  }
  // A validator finding replays against a validator (started from --cmd, as the campaign did).
  if (const Scenario* sc = find_scenario(f->input.scenario); sc != nullptr && sc->target() == Target::validator)
    s.target = Target::validator;
  if (s.target == Target::validator && (s.cmd.empty() || !s.url.empty())) {
    err << "pnc-conformance: replay of a validator finding needs --cmd 'TEMPLATE' with {ws_url} (no --url)\n";
    return 2;
  }
  if (s.url.empty() && s.cmd.empty()) {
    err << "pnc-conformance: replay needs " << (s.target == Target::shim ? "--cmd 'COMMAND' (the shim)" : "--url ws://HOST:PORT or --cmd 'TEMPLATE'")
        << '\n';
    return 2;
  }
  s.profile = *pnc::parse_profile(f->profile);
  auto opened = open_all(s);
  if (!opened) {
    err << "pnc-conformance: " << opened.error().message << " [" << opened.error().code << "]\n";
    return 2;
  }
  SystemRng rng;
  auto seed_bytes = rng.bytes(8);
  std::uint64_t seed = 0;
  for (auto x : seed_bytes) seed = (seed << 8) | x;
  auto got = check_input(f->input, s.profile, opened->executor(s.profile), seed);
  opened->close();
  if (!got) {
    out << "PASS " << file << ": the SUT now does what the reference does (" << f->klass << ")\n";
    return 0;
  }
  print_finding(out, *got, "");
  out << "FAIL " << file << (got->key() == f->key() ? ": still fails the same way\n" : ": fails differently than recorded\n");
  return 1;
}

}  // namespace pnc::conf::campaign
