#include "campaign/campaign.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "core/read_file.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf::campaign {

namespace {

using json::Json;
using Clock = std::chrono::steady_clock;

bool is_timestamp_field(const std::string& f) {
  for (const char* t : {"X-Timestamp", ".iat", ".exp", ".window"})
    if (f.size() >= std::string(t).size() && f.compare(f.size() - std::string(t).size(), std::string::npos, t) == 0) return true;
  return false;
}

// The scenarios a campaign draws from. Network scenarios are drawn uniformly; shim scenarios by
// operation first, then seed, so that an operation with 300 vector tests gets no more
// executions than one with 3.
struct Usable {
  std::vector<const Scenario*> all;
  std::vector<std::vector<const Scenario*>> by_op;  // shim target only

  const Scenario& draw(Prng& p) const {
    if (by_op.empty()) return *all[p.below(all.size())];
    const auto& group = by_op[p.below(by_op.size())];
    return *group[p.below(group.size())];
  }
};

Input generate(Prng& p, const Usable& usable, const std::vector<Input>& corpus) {
  if (!corpus.empty() && p.chance(25)) {
    Input in = corpus[p.below(corpus.size())];
    if (const Scenario* sc = find_scenario(in.scenario)) {
      in.mutations.push_back(random_mutation(p, *sc));
      if (in.mutations.size() > 4) in.mutations.erase(in.mutations.begin());
      return in;
    }
  }
  const Scenario& sc = usable.draw(p);
  Input in{sc.name, {}};
  const std::uint64_t r = p.below(100);
  const int n = r < 4 ? 0 : r < 64 ? 1 : r < 90 ? 2 : 3;  // a few unmutated runs: bugs of the valid path
  for (int i = 0; i < n; ++i) in.mutations.push_back(random_mutation(p, sc));
  return in;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return "[" + out + "]";
}

std::string klass_of(const Input& in) {
  const Scenario* sc = find_scenario(in.scenario);
  std::set<std::string> parts;
  for (const auto& m : in.mutations) {
    const std::string step = sc != nullptr && m.step < static_cast<int>(sc->steps.size())
                                 ? sc->steps[static_cast<std::size_t>(m.step)].name
                                 : std::to_string(m.step);
    parts.insert(step + (m.field.empty() ? "" : "." + m.field) + (is_step_op(m.op) || m.op == "drop" || m.op == "dup" ? ":" + m.op : ""));
  }
  // A shim scenario's class is its operation: one bug shows on every seed of the operation.
  std::string k = sc != nullptr && sc->shim ? "shim:" + sc->shim->op : in.scenario;
  for (const auto& p : parts) k += " " + p;
  if (parts.empty()) k += " (unmutated)";
  return k;
}

std::uint64_t fnv(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string hex8(std::uint64_t v) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) out += d[(v >> (60 - 4 * i)) & 0xf];
  return out;
}

Json input_json(const Input& in) {
  Json ms = Json::array();
  for (const auto& m : in.mutations) ms.push_back(to_json(m));
  return Json{{"scenario", in.scenario}, {"mutations", ms}};
}

Result<Input> input_from(const Json& j) {
  if (!j.contains("scenario") || !j["scenario"].is_string()) return make_error("finding.bad_input", "\"scenario\" (string) missing");
  Input in;
  in.scenario = j["scenario"].get<std::string>();
  const Scenario* sc = find_scenario(in.scenario);
  if (sc == nullptr) return make_error("finding.unknown_scenario", "unknown scenario \"" + in.scenario + "\"");
  if (!j.contains("mutations") || !j["mutations"].is_array()) return make_error("finding.bad_input", "\"mutations\" (array) missing");
  for (const auto& mj : j["mutations"]) {
    auto m = mutation_from_json(mj);
    if (!m) return m.error();
    if (m->step >= static_cast<int>(sc->steps.size()))
      return make_error("finding.bad_mutation", "mutation step " + std::to_string(m->step) + " is past the scenario's " +
                                                     std::to_string(sc->steps.size()) + " steps");
    in.mutations.push_back(*m);
  }
  return in;
}

Json trace_json(const Trace& t) {
  Json a = Json::array();
  for (const auto& r : t) a.push_back(to_json(r));
  return a;
}

Trace trace_from(const Json& j) {
  Trace t;
  if (!j.is_array()) return t;
  for (const auto& r : j)
    if (r.is_object() && r.contains("step") && r["step"].is_string() && r.contains("seen") && r["seen"].is_array()) {
      StepResult s{r["step"].get<std::string>(), {}};
      for (const auto& x : r["seen"])
        if (x.is_string()) s.seen.push_back(x.get<std::string>());
      t.push_back(std::move(s));
    }
  return t;
}

}  // namespace

Json to_json(const Finding& f) {
  const Scenario* sc = find_scenario(f.input.scenario);
  Json j = {{"format", "pnc-campaign-finding"},
            {"version", kFindingVersion},
            {"target", std::string(to_string(sc != nullptr ? sc->target() : Target::challenge))},
            {"profile", f.profile},
            {"seed", f.seed},
            {"exec", f.exec},
            {"kind", f.kind},
            {"class", f.klass},
            {"outcome", f.outcome},
            {"input", input_json(f.input)},
            {"expected", trace_json(f.expected)},
            {"observed", trace_json(f.observed)}};
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

Result<Finding> finding_from_json(std::string_view text) {
  auto doc = json::parse(text, Profile::sdk_compat);
  if (!doc || !doc->is_object()) return make_error("finding.not_json", "not a JSON object");
  const Json& j = *doc;
  if (!j.contains("format") || j["format"] != "pnc-campaign-finding")
    return make_error("finding.format", "\"format\" must be \"pnc-campaign-finding\"");
  if (!j.contains("version") || j["version"] != kFindingVersion)
    return make_error("finding.version", "\"version\" must be " + std::to_string(kFindingVersion));
  if (!j.contains("target") || (j["target"] != "challenge" && j["target"] != "validator" && j["target"] != "shim"))
    return make_error("finding.target", "\"target\" must be \"challenge\", \"validator\" or \"shim\"");
  if (!j.contains("profile") || !j["profile"].is_string() || !pnc::parse_profile(j["profile"].get<std::string>()))
    return make_error("finding.profile", "\"profile\" must be seed-spec, sdk-compat or hardened");
  if (!j.contains("input") || !j["input"].is_object()) return make_error("finding.bad_input", "\"input\" (object) missing");
  auto in = input_from(j["input"]);
  if (!in) return in.error();
  Finding f;
  f.profile = j["profile"].get<std::string>();
  f.input = std::move(*in);
  f.kind = j.value("kind", "difference");
  f.klass = j.value("class", "");
  f.outcome = j.value("outcome", "");
  f.note = j.value("note", "");
  if (j.contains("seed") && j["seed"].is_number_unsigned()) f.seed = j["seed"].get<std::uint64_t>();
  if (j.contains("exec") && j["exec"].is_number_unsigned()) f.exec = j["exec"].get<std::uint64_t>();
  if (j.contains("expected")) f.expected = trace_from(j["expected"]);
  if (j.contains("observed")) f.observed = trace_from(j["observed"]);
  return f;
}

std::string finding_file_name(const Finding& f) {
  std::string name = f.input.scenario;  // "shim:envelope_test#12" -> "shim-envelope_test-12"
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') c = '-';
  return "finding-" + name + "-" + hex8(fnv(f.key())) + ".json";
}

Executor endpoint_executor(Profile profile, const SutDescription& sut, Endpoint& target, Endpoint& oracle) {
  return [profile, &sut, &target, &oracle](const Input& input, std::uint64_t value_seed) -> std::optional<Execution> {
    const ExecEnv env{profile, &sut, value_seed};
    Execution x;
    x.expected = execute(input, oracle, env, nullptr);
    for (const auto& step : x.expected)
      if (step.seen.size() == 1 && step.seen.front() == kNotJudged) return std::nullopt;
    x.observed = execute(input, target, env, &x.expected);
    x.exited = target.exited();
    return x;
  };
}

bool has_fields(const Scenario& sc) {
  return std::any_of(sc.steps.begin(), sc.steps.end(), [](const auto& step) { return !step.fields.empty(); });
}

Mutation random_mutation(Choices& p, const Scenario& sc) {
  std::vector<int> steps;
  for (int i = 0; i < static_cast<int>(sc.steps.size()); ++i)
    if (!sc.steps[static_cast<std::size_t>(i)].fields.empty()) steps.push_back(i);
  Mutation m;
  m.step = steps[p.below(steps.size())];
  m.arg = static_cast<std::int64_t>(p.below(64));
  const auto& fields = sc.steps[static_cast<std::size_t>(m.step)].fields;
  if (!sc.shim && p.chance(15)) {  // a shim operation is one stateless call: no step operations
    m.op = kStepOps[p.below(kStepOps.size())];
    return m;
  }
  m.field = fields[p.below(fields.size())];
  // Timestamps are mostly interesting at the window edges.
  const auto ops = field_ops(sc, m.field);
  m.op = is_timestamp_field(m.field) && p.chance(40) ? "boundary" : ops[p.below(ops.size())];
  return m;
}

std::optional<Finding> check_input(const Input& input, Profile profile, const Executor& run, std::uint64_t value_seed,
                                   Trace* expected_out) {
  auto x = run(input, value_seed);
  if (!x) return std::nullopt;
  if (expected_out != nullptr) *expected_out = x->expected;
  const Trace& expected = x->expected;
  const Trace& observed = x->observed;
  Finding f;
  f.profile = std::string(to_string(profile));
  f.input = input;
  f.klass = klass_of(input);
  f.expected = expected;
  f.observed = observed;
  if (!x->exited.empty()) {
    f.kind = "sut-exited";
    f.outcome = "the SUT process exited";
    f.note = x->exited;
    return f;
  }
  const std::size_t d = first_difference(expected, observed);
  if (d == expected.size() && expected.size() == observed.size()) return std::nullopt;
  f.kind = "difference";
  if (d < expected.size() && d < observed.size()) {
    f.outcome = observed[d].step + ": expected " + join(expected[d].seen) + ", observed " + join(observed[d].seen);
    for (const auto& s : observed[d].seen)
      if (s.rfind("HTTP 5", 0) == 0) f.kind = "server-error";
      else if (s == "silent" || s == "no-answer") f.kind = "hang";
      else if (s == "shim-failed") f.kind = "shim-failed";  // timeout, exit or garbage (the shim's log says which)
  } else {
    f.outcome = "the sequence stopped after " + std::to_string(observed.size()) + " of " + std::to_string(expected.size()) + " steps";
  }
  return f;
}

CampaignResult run_campaign(const CampaignSettings& s, const SutDescription& sut, const Executor& run,
                            const std::function<void()>& restart, std::ostream& progress) {
  CampaignResult result;
  Usable usable;
  std::map<std::string, std::size_t> op_index;
  for (const auto& sc : scenarios()) {
    bool ok = sc.target() == s.target;
    for (Need n : sc.needs) ok = ok && has(sut, n);
    if (!s.only_scenarios.empty())
      ok = ok && std::any_of(s.only_scenarios.begin(), s.only_scenarios.end(),
                             [&](const std::string& name) { return scenario_named(sc, name); });
    if (!ok) continue;
    usable.all.push_back(&sc);
    if (sc.shim) {
      const auto [it, added] = op_index.emplace(sc.shim->op, usable.by_op.size());
      if (added) usable.by_op.emplace_back();
      usable.by_op[it->second].push_back(&sc);
    }
  }
  if (usable.all.empty()) return result;

  std::vector<Input> corpus;
  std::set<std::string> behaviours;
  if (!s.corpus_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(s.corpus_dir, ec);
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(s.corpus_dir, ec))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& p : files) {
      const auto text = read_file(p);
      auto doc = json::parse(text.value_or(""), Profile::sdk_compat);
      if (!doc) continue;
      if (auto i = input_from(*doc); i && find_scenario(i->scenario)) corpus.push_back(*i);
    }
  }

  // Fresh keys, nonces and DSNs per run (the SUT remembers nonces across runs); the inputs are
  // what --seed fixes.
  SystemRng system;
  const std::uint64_t salt = [&] {
    auto b = system.bytes(8);
    std::uint64_t v = 0;
    for (auto x : b) v = (v << 8) | x;
    return v;
  }();
  std::uint64_t trials = 0;
  const auto value_seed = [&] { return mix(salt, ++trials); };

  std::set<std::string> seen_keys, raw_seen;
  const auto start = Clock::now();
  auto last_progress = start;
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const auto report = [&](bool final) {
    const double t = std::max(elapsed(), 1e-3);
    progress << "fuzz: " << result.execs << " execs (" << static_cast<long>(static_cast<double>(result.execs) / t) << "/s), "
             << result.findings.size() << " findings, corpus " << corpus.size() << ", " << static_cast<long>(t) << " s"
             << (final ? " (done)" : "") << '\n';
  };

  for (std::uint64_t i = s.shard;; i += s.shards) {
    if (s.stop != nullptr && s.stop->load()) break;
    if (s.runs != 0 && result.execs >= s.runs) break;
    if (s.duration_s > 0 && elapsed() >= s.duration_s) break;
    if (s.runs == 0 && s.duration_s <= 0) break;
    if (s.max_findings != 0 && result.findings.size() >= s.max_findings) break;
    Prng p(mix(s.seed, i));
    const Input input = generate(p, usable, corpus);
    Trace expected;
    auto got = check_input(input, s.profile, run, value_seed(), &expected);
    ++result.execs;
    if (got && got->kind == "sut-exited" && restart) restart();
    if (got && !raw_seen.count(got->key())) {
      raw_seen.insert(got->key());
      Finding f = *got;
      // Delta debugging of the mutation list: drop one mutation at a time while the same
      // outcome still shows.
      for (bool shrunk = true; shrunk && !f.input.mutations.empty();) {
        shrunk = false;
        for (std::size_t k = 0; k < f.input.mutations.size(); ++k) {
          Input smaller = f.input;
          smaller.mutations.erase(smaller.mutations.begin() + static_cast<long>(k));
          auto g = check_input(smaller, s.profile, run, value_seed());
          if (g && g->kind == "sut-exited" && restart) restart();
          if (g && g->outcome == f.outcome && g->kind == f.kind) {
            f = *g;
            shrunk = true;
            break;
          }
        }
      }
      // Confirmed only when it shows again.
      auto again = check_input(f.input, s.profile, run, value_seed());
      if (again && again->kind == "sut-exited" && restart) restart();
      if (!again || again->key() != f.key()) {
        ++result.flaky;
      } else if (!seen_keys.count(f.key())) {
        seen_keys.insert(f.key());
        f.seed = s.seed;
        f.exec = i;
        result.first_finding_s.push_back(elapsed());
        if (!s.findings_dir.empty()) {
          std::error_code ec;
          std::filesystem::create_directories(s.findings_dir, ec);
          const auto path = std::filesystem::path(s.findings_dir) / finding_file_name(f);
          std::ofstream out(path, std::ios::binary | std::ios::trunc);
          out << to_json(f).dump(2) << '\n';
          result.files.push_back(path.string());
        }
        result.findings.push_back(std::move(f));
      }
    } else if (!got) {
      // New behaviour: an (input class, reference outcome) pair not seen before keeps the input.
      std::string key = klass_of(input);
      for (const auto& r : expected) key += "|" + join(r.seen);
      if (behaviours.insert(key).second && !input.mutations.empty() && corpus.size() < 1000) {
        corpus.push_back(input);
        if (!s.corpus_dir.empty()) {
          std::ofstream out(std::filesystem::path(s.corpus_dir) / ("input-" + hex8(fnv(input_json(input).dump())) + ".json"));
          out << input_json(input).dump() << '\n';
        }
      }
    }
    if (s.progress && Clock::now() - last_progress > std::chrono::seconds(2)) {
      last_progress = Clock::now();
      report(false);
    }
  }
  result.seconds = elapsed();
  result.corpus = corpus.size();
  if (s.progress) report(true);
  return result;
}

}  // namespace pnc::conf::campaign
