#include "core/engine.hpp"

#include <chrono>
#include <ctime>
#include <exception>

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

Outcome run_one(const Case& c, const EngineOptions& options) {
  if (!c.applies_to(options.profile))
    return Outcome::skipped("not in profile " + std::string(to_string(options.profile)));
  for (Need need : c.needs)
    if (options.sut == nullptr || !has(*options.sut, need)) return Outcome::skipped(need_reason(need));
  if (options.before_each) {
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
  } catch (const std::exception& e) {
    // A driver must never take the run down: whatever the SUT sent, the case just fails.
    return Outcome::fail(std::string("runner error while driving the case: ") + e.what());
  } catch (...) {
    return Outcome::fail("runner error while driving the case");
  }
}

}  // namespace

RunReport run_cases(const std::vector<Case>& cases, const EngineOptions& options) {
  RunReport report;
  report.profile = std::string(to_string(options.profile));
  report.started = iso8601_now();
  if (options.sut != nullptr) report.sut_name = options.sut->name;
  const auto run_start = Clock::now();
  const auto selected = select_cases(cases, options.filter);
  std::size_t done = 0;
  for (const Case* c : selected) {
    const auto start = Clock::now();
    Outcome outcome = run_one(*c, options);
    CaseReport r;
    r.id = c->id;
    r.title = c->title;
    r.mechanism = c->mechanism;
    if (options.requirements_of) r.requirements = options.requirements_of(c->id);
    r.verdict = outcome.verdict;
    r.expected = outcome.expected.empty() ? c->expected_for(options.profile) : outcome.expected;
    r.observed = std::move(outcome.observed);
    r.runner_gap = outcome.runner_gap;
    if (!r.acceptable() && options.expectations != nullptr) {
      if (auto reason = options.expectations->reason_for(r.id)) {
        r.observed = std::string(to_string(r.verdict)) + ": " + r.observed;
        r.verdict = Verdict::expected_fail;
        r.expectation_reason = *reason;
      }
    }
    r.duration_ms = ms_since(start);
    report.cases.push_back(std::move(r));
    ++done;
    if (options.progress) options.progress(done, selected.size(), report.cases.back());
  }
  report.duration_ms = ms_since(run_start);
  return report;
}

}  // namespace pnc::conf
