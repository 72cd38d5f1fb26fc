#include "core/engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <exception>
#include <mutex>
#include <thread>

namespace pnc::conf {

std::map<Verdict, int> RunReport::summary() const {
  std::map<Verdict, int> out;
  for (Verdict v : kAllVerdicts) out[v] = 0;
  for (const auto& c : cases) ++out[c.verdict];
  return out;
}

bool RunReport::acceptable() const {
  for (const auto& c : cases)
    if (!c.acceptable()) return false;
  return true;
}

int RunReport::exit_status() const {
  bool blocked = false;
  for (const auto& c : cases) {
    if (c.acceptable()) continue;
    if (c.verdict != Verdict::blocked) return 1;
    blocked = true;
  }
  return blocked ? 3 : 0;
}

std::string_view to_string(ReportKind kind) {
  switch (kind) {
    case ReportKind::fuzz: return "fuzz";
    case ReportKind::properties: return "properties";
    case ReportKind::conformance: break;
  }
  return "conformance";
}

std::string result_word(const RunReport& report) {
  if (report.interrupted) return "INTERRUPTED";
  switch (report.exit_status()) {
    case 0: return "PASS";
    case 3: return "INCOMPLETE";
    default: return "FAIL";
  }
}

std::vector<const Case*> select_cases(const std::vector<Case>& cases, const std::string& filter) {
  std::vector<const Case*> out;
  for (const auto& c : cases)
    if (glob_match(filter, c.id)) out.push_back(&c);
  return out;
}

std::string iso8601_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

Outcome run_one(const Case& c, const EngineOptions& options, std::mutex& setup) {
  if (!c.applies_to(options.profile))
    return Outcome::inapplicable("not in profile " + std::string(to_string(options.profile)));
  for (Need need : c.needs)
    if (options.sut == nullptr || !has(*options.sut, need))
      return is_configuration(need) ? Outcome::inapplicable(need_reason(need)) : Outcome::skipped(need_reason(need));
  if (options.before_each) {
    std::lock_guard lock(setup);  // e.g. a SUT restart: once, not by every worker at the same time
    if (options.stop != nullptr && options.stop->load()) return Outcome::fail("interrupted");  // never reported
    if (auto problem = options.before_each()) return Outcome::fail(*problem);
  }
  if (!c.run) return Outcome{Verdict::unimplemented, "the runner has no driver for this case", {}};
  Context ctx;
  ctx.profile = options.profile;
  ctx.sut = options.sut;
  ctx.timeout = options.timeout;
  ctx.session = options.session;
  try {
    return c.run(ctx);
  } catch (const PreconditionFailed& e) {
    return Outcome::blocked(e.what());  // the runner's own evidence is missing, not the SUT's fault
  } catch (const std::exception& e) {
    // A driver must never take the run down: whatever the SUT sent, the case just fails.
    return Outcome::fail(std::string("runner error while driving the case: ") + e.what());
  } catch (...) {
    return Outcome::fail("runner error while driving the case");
  }
}

CaseReport to_report(const Case& c, Outcome outcome, const EngineOptions& options) {
  CaseReport r;
  r.id = c.id;
  r.title = c.title;
  r.mechanism = c.mechanism_name();
  if (options.requirements_of) r.requirements = options.requirements_of(c.id);
  r.verdict = outcome.verdict;
  r.expected = outcome.expected.empty() ? c.expected_for(options.profile) : outcome.expected;
  r.observed = std::move(outcome.observed);
  r.runner_gap = outcome.runner_gap;
  r.not_applicable = outcome.verdict == Verdict::skipped && outcome.not_applicable;
  if (!r.acceptable() && options.expectations != nullptr) {
    if (const auto* entry = options.expectations->match(r.id)) {
      r.observed = std::string(to_string(r.verdict)) + ": " + r.observed;
      r.verdict = Verdict::expected_fail;
      r.expectation_glob = entry->first;
      r.expectation_reason = entry->second;
    }
  }
  return r;
}

}  // namespace

unsigned default_jobs() { return std::max(8u, 4 * std::thread::hardware_concurrency()); }

RunReport run_cases(const std::vector<Case>& cases, const EngineOptions& options) {
  RunReport report;
  report.profile = std::string(to_string(options.profile));
  report.started = iso8601_now();
  if (options.sut != nullptr) report.sut_name = options.sut->name;
  if (options.sut != nullptr)
    report.provenance.attestation_mode = attestation_mode_name(*options.sut);
  report.provenance.filter = options.filter;
  report.provenance.catalogue_cases = cases.size();
  const auto run_start = Clock::now();
  const auto selected = select_cases(cases, options.filter);
  report.cases.resize(selected.size());

  // Shared cases run on `jobs` workers, so that their waits overlap; exclusive ones
  // (Case::exclusive) afterwards, one at a time. The report keeps catalogue order.
  std::vector<std::size_t> shared, exclusive;
  for (std::size_t i = 0; i < selected.size(); ++i) (selected[i]->exclusive ? exclusive : shared).push_back(i);
  std::mutex setup;     // before_each
  std::mutex progress;  // report.cases, completed, done, the progress callback
  std::size_t done = 0;
  std::vector<bool> completed(selected.size(), false);
  auto stopping = [&] { return options.stop != nullptr && options.stop->load(); };
  auto run_at = [&](std::size_t i) {
    const Case& c = *selected[i];
    const auto start = Clock::now();
    CaseReport r = to_report(c, run_one(c, options, setup), options);
    r.duration_ms = ms_since(start);
    std::lock_guard lock(progress);
    if (stopping()) return;  // interrupted under it: the observation is not the SUT's doing
    report.cases[i] = std::move(r);
    completed[i] = true;
    ++done;
    if (options.progress) options.progress(done, selected.size(), report.cases[i]);
  };
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t k = next++; k < shared.size() && !stopping(); k = next++) run_at(shared[k]);
  };
  const std::size_t jobs = std::clamp<std::size_t>(options.jobs, 1, std::max<std::size_t>(1, shared.size()));
  std::vector<std::thread> pool;
  for (std::size_t j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (std::size_t i : exclusive)
    if (!stopping()) run_at(i);
  report.duration_ms = ms_since(run_start);
  if (stopping()) {
    report.interrupted = true;
    std::vector<CaseReport> kept;
    for (std::size_t i = 0; i < selected.size(); ++i)
      if (completed[i]) kept.push_back(std::move(report.cases[i]));
    report.cases = std::move(kept);
  }
  if (options.expectations != nullptr)
    for (const auto& [glob, reason] : options.expectations->entries()) {
      Waiver w{glob, reason, {}};
      for (const auto& c : report.cases)
        if (c.expectation_glob == glob) w.cases.push_back(c.id);
      report.provenance.waivers.push_back(std::move(w));
    }
  return report;
}

}  // namespace pnc::conf
