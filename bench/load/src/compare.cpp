// pnc-bench compare: two targets driven alternately by the same client in interleaved rounds
// (A B, B A, A B, ...), so that both see the same machine state; every figure is kept per round
// and reported as median and range, the ratio as the median of the per-round ratios (issue 16).
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "load.hpp"

namespace pnc::load {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double per_conn_ms(const std::optional<double>& seconds, std::uint64_t units) {
  return seconds && units > 0 ? *seconds * 1000.0 / static_cast<double>(units) : kNaN;
}

struct FigureDef {
  const char* name;
  const char* unit;
  bool higher_is_better;
  double (*get)(const LoadResult&);
};

// The figures of one round, in report order.
const std::vector<FigureDef>& figure_defs() {
  static const std::vector<FigureDef> defs = {
      {"handshakes_per_s", "1/s", true, [](const LoadResult& r) { return r.handshakes_per_second(); }},
      {"round_trips_per_s", "1/s", true, [](const LoadResult& r) { return r.round_trips_per_second(); }},
      {"handshake_p50_ms", "ms", false, [](const LoadResult& r) { return percentiles(r.handshake_ms).p50_ms; }},
      {"handshake_p99_ms", "ms", false, [](const LoadResult& r) { return percentiles(r.handshake_ms).p99_ms; }},
      {"round_trip_p50_ms", "ms", false, [](const LoadResult& r) { return percentiles(r.round_trip_ms).p50_ms; }},
      {"server_cpu_ms_per_conn", "ms", false,
       [](const LoadResult& r) { return per_conn_ms(r.server_cpu_seconds, r.connections_ok); }},
      {"client_cpu_ms_per_conn", "ms", false,
       [](const LoadResult& r) { return per_conn_ms(r.client_cpu_seconds, r.connections_ok); }},
      {"errors", "", false, [](const LoadResult& r) { return static_cast<double>(r.total_errors()); }},
  };
  return defs;
}

LoadOptions round_options(const CompareOptions& c, bool a) {
  LoadOptions o = c.load;
  o.url = a ? c.url_a : c.url_b;
  o.server_pid = a ? c.pid_a : c.pid_b;
  o.progress = false;
  o.hold = std::chrono::milliseconds(0);
  if (c.round_count > 0) {
    o.count = c.round_count;
    o.duration_seconds = 0;
  } else {
    o.count = 0;
    o.duration_seconds = c.round_seconds;
  }
  return o;
}

}  // namespace

Spread spread(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  Spread s;
  s.n = v.size();
  if (v.empty()) {
    s.median = s.min = s.max = s.q1 = s.q3 = kNaN;
    return s;
  }
  std::sort(v.begin(), v.end());
  // Linear interpolation between order statistics (the usual "type 7" quantile).
  auto q = [&](double p) {
    const double pos = p * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
  };
  s.min = v.front();
  s.max = v.back();
  s.median = q(0.5);
  s.q1 = q(0.25);
  s.q3 = q(0.75);
  return s;
}

CompareResult compare(const CompareOptions& c, const std::function<void(const std::string&)>& on_progress) {
  CompareResult result;
  result.options = c;
  for (const auto& d : figure_defs()) result.figures.push_back(CompareFigure{d.name, d.unit, d.higher_is_better, {}, {}});
  auto stopped = [&] { return c.load.stop != nullptr && c.load.stop->load(); };

  if (c.warmup_count > 0) {
    for (bool a : {true, false}) {
      LoadOptions w = round_options(c, a);
      w.count = c.warmup_count;
      w.duration_seconds = 0;
      w.server_pid = 0;
      (void)run(w);
      if (stopped()) return result;
    }
  }
  for (unsigned round = 0; round < c.rounds && !stopped(); ++round) {
    // A B in even rounds, B A in odd ones: a drift of the machine state hits both sides alike.
    const bool a_first = round % 2 == 0;
    for (bool a : {a_first, !a_first}) {
      LoadResult r = run(round_options(c, a));
      for (std::size_t i = 0; i < figure_defs().size(); ++i)
        (a ? result.figures[i].a : result.figures[i].b).push_back(figure_defs()[i].get(r));
      (a ? result.errors_a : result.errors_b) += r.total_errors();
      if (on_progress) {
        std::ostringstream line;
        line.setf(std::ios::fixed);
        line.precision(1);
        line << "round " << round + 1 << "/" << c.rounds << " " << (a ? c.label_a : c.label_b) << ": "
             << r.handshakes_per_second() << " handshakes/s, " << r.total_errors() << " errors";
        on_progress(line.str());
      }
      (a ? result.runs_a : result.runs_b).push_back(std::move(r));
      if (stopped()) break;
    }
  }
  // Only whole rounds count: a round cut short by a signal has one side only.
  const std::size_t n = std::min(result.runs_a.size(), result.runs_b.size());
  for (auto& f : result.figures) {
    f.a.resize(std::min(f.a.size(), n));
    f.b.resize(std::min(f.b.size(), n));
  }
  result.runs_a.resize(n);
  result.runs_b.resize(n);
  return result;
}

}  // namespace pnc::load
