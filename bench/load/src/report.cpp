// Reports of one load run: a console table, JSON, and a self-contained HTML page whose charts are
// inline SVG (no script, no network needed to view it).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "load.hpp"

namespace pnc::load {
namespace {

std::string fmt(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string escape_html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string mode_name(const LoadOptions& o) { return o.mode == Mode::ws ? "ws" : "http"; }

nlohmann::json percentiles_json(const Percentiles& p) {
  return {{"samples", p.samples}, {"p50_ms", p.p50_ms}, {"p90_ms", p.p90_ms}, {"p99_ms", p.p99_ms},
          {"max_ms", p.max_ms},   {"mean_ms", p.mean_ms}};
}

// A histogram of latencies on log-spaced bins, as an SVG bar chart.
std::string histogram_svg(const std::vector<double>& samples, const std::string& title) {
  const int width = 640, height = 220, left = 50, bottom = 40, top = 24;
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' role='img'><title>" << escape_html(title) << "</title>"
      << "<text x='" << left << "' y='16' font-size='13' font-family='sans-serif'>" << escape_html(title) << "</text>";
  if (samples.empty()) {
    svg << "<text x='" << left << "' y='100' font-size='12' font-family='sans-serif'>no samples</text></svg>";
    return svg.str();
  }
  const double lo = std::max(1e-3, *std::min_element(samples.begin(), samples.end()));
  const double hi = std::max(lo * 1.0001, *std::max_element(samples.begin(), samples.end()));
  const int bins = 40;
  const double llo = std::log10(lo), lhi = std::log10(hi);
  std::vector<std::size_t> counts(bins, 0);
  for (double x : samples) {
    auto b = static_cast<int>((std::log10(std::max(x, lo)) - llo) / (lhi - llo) * bins);
    counts[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))]++;
  }
  const std::size_t peak = *std::max_element(counts.begin(), counts.end());
  const double plot_w = width - left - 10, plot_h = height - bottom - top;
  const double bw = plot_w / bins;
  for (int i = 0; i < bins; ++i) {
    const double h = peak ? plot_h * static_cast<double>(counts[static_cast<std::size_t>(i)]) / static_cast<double>(peak) : 0;
    svg << "<rect x='" << fmt(left + i * bw, 1) << "' y='" << fmt(top + plot_h - h, 1) << "' width='"
        << fmt(bw - 1, 1) << "' height='" << fmt(h, 1) << "' fill='#4a7bd0'><title>"
        << fmt(std::pow(10, llo + (lhi - llo) * i / bins), 3) << "-" << fmt(std::pow(10, llo + (lhi - llo) * (i + 1) / bins), 3)
        << " ms: " << counts[static_cast<std::size_t>(i)] << "</title></rect>";
  }
  // Axes and labels (log scale: five ticks).
  svg << "<line x1='" << left << "' y1='" << top + plot_h << "' x2='" << width - 10 << "' y2='" << top + plot_h
      << "' stroke='#333'/>";
  for (int t = 0; t <= 4; ++t) {
    const double x = left + plot_w * t / 4;
    svg << "<text x='" << fmt(x, 1) << "' y='" << top + plot_h + 16 << "' font-size='10' font-family='sans-serif' "
        << "text-anchor='middle'>" << fmt(std::pow(10, llo + (lhi - llo) * t / 4), 3) << "</text>";
  }
  svg << "<text x='" << left + plot_w / 2 << "' y='" << height - 6
      << "' font-size='11' font-family='sans-serif' text-anchor='middle'>latency, ms (log scale)</text>"
      << "<text x='4' y='" << top + 10 << "' font-size='10' font-family='sans-serif'>" << peak << "</text></svg>";
  return svg.str();
}

// Throughput per second over time (line chart), connections and round trips, errors in red.
std::string timeline_svg(const LoadResult& r) {
  const int width = 640, height = 240, left = 60, bottom = 40, top = 24;
  std::ostringstream svg;
  const std::string unit = r.options.mode == Mode::ws ? "connections/s" : "requests/s";
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' role='img'><title>throughput over time</title><text x='" << left
      << "' y='16' font-size='13' font-family='sans-serif'>Throughput over time (" << unit
      << " blue, round trips/s green, errors/s red)</text>";
  if (r.timeline.empty()) return svg.str() + "</svg>";
  const double per_s = 1.0 / r.bucket_seconds;
  double peak = 1;
  for (const auto& p : r.timeline)
    peak = std::max({peak, static_cast<double>(p.connections) * per_s, static_cast<double>(p.round_trips) * per_s,
                     static_cast<double>(p.errors) * per_s});
  const double plot_w = width - left - 10, plot_h = height - bottom - top;
  const double t_end = std::max(r.bucket_seconds, r.timeline.back().t_seconds + r.bucket_seconds);
  auto line = [&](auto value, const char* color) {
    svg << "<polyline fill='none' stroke='" << color << "' stroke-width='1.5' points='";
    for (const auto& p : r.timeline) {
      const double x = left + plot_w * (p.t_seconds + r.bucket_seconds / 2) / t_end;
      const double y = top + plot_h - plot_h * value(p) * per_s / peak;
      svg << fmt(x, 1) << "," << fmt(y, 1) << " ";
    }
    svg << "'/>";
  };
  line([](const TimePoint& p) { return static_cast<double>(p.connections); }, "#4a7bd0");
  if (r.options.mode == Mode::ws) line([](const TimePoint& p) { return static_cast<double>(p.round_trips); }, "#3a9a4a");
  line([](const TimePoint& p) { return static_cast<double>(p.errors); }, "#d04a4a");
  svg << "<line x1='" << left << "' y1='" << top + plot_h << "' x2='" << width - 10 << "' y2='" << top + plot_h
      << "' stroke='#333'/><line x1='" << left << "' y1='" << top << "' x2='" << left << "' y2='" << top + plot_h
      << "' stroke='#333'/>";
  for (int t = 0; t <= 4; ++t) {
    svg << "<text x='" << fmt(left + plot_w * t / 4, 1) << "' y='" << top + plot_h + 16
        << "' font-size='10' font-family='sans-serif' text-anchor='middle'>" << fmt(t_end * t / 4, 1) << " s</text>";
    svg << "<text x='" << left - 4 << "' y='" << fmt(top + plot_h - plot_h * t / 4 + 4, 1)
        << "' font-size='10' font-family='sans-serif' text-anchor='end'>" << fmt(peak * t / 4, 0) << "</text>";
  }
  svg << "<text x='" << left + plot_w / 2 << "' y='" << height - 6
      << "' font-size='11' font-family='sans-serif' text-anchor='middle'>time since start</text></svg>";
  return svg.str();
}

}  // namespace

std::string console_table(const LoadResult& r) {
  const auto& o = r.options;
  std::ostringstream out;
  out << "pnc-bench " << mode_name(o) << " " << o.url << "  profile " << to_string(o.profile) << ", "
      << o.connections << " concurrent, " << (o.mode == Mode::ws ? std::to_string(o.requests_per_connection) + " round trip(s) per connection, " : "")
      << fmt(r.elapsed_seconds, 2) << " s\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-26s %12s %10s %10s %10s %10s %10s\n", "", "count", "per s", "p50 ms",
                "p90 ms", "p99 ms", "max ms");
  out << line;
  auto row = [&](const char* name, std::uint64_t n, double rate, const std::vector<double>& samples) {
    const auto p = percentiles(samples);
    std::snprintf(line, sizeof line, "%-26s %12llu %10.1f %10.3f %10.3f %10.3f %10.3f\n", name,
                  static_cast<unsigned long long>(n), rate, p.p50_ms, p.p90_ms, p.p99_ms, p.max_ms);
    out << line;
  };
  if (o.mode == Mode::ws) {
    row("handshakes", r.handshakes_ok, r.handshakes_per_second(), r.handshake_ms);
    row("round trips", r.round_trips_ok, r.round_trips_per_second(), r.round_trip_ms);
    row("connections (complete)", r.connections_ok, r.connections_per_second(), r.connection_ms);
  } else {
    row("signed requests", r.round_trips_ok, r.round_trips_per_second(), r.round_trip_ms);
  }
  out << "\nerrors: " << r.total_errors() << (r.errors.empty() ? "\n" : " by kind:\n");
  for (const auto& [k, v] : r.errors) out << "  " << k << ": " << v << "\n";
  if (r.server_cpu_seconds && r.connections_ok > 0)
    out << "server CPU: " << fmt(*r.server_cpu_seconds, 3) << " s, "
        << fmt(*r.server_cpu_seconds * 1000.0 / static_cast<double>(r.connections_ok), 3) << " ms per "
        << (o.mode == Mode::ws ? "connection" : "request") << "\n";
  if (r.client_cpu_seconds && r.connections_ok > 0)
    out << "client CPU (pnc-bench): " << fmt(*r.client_cpu_seconds, 3) << " s, "
        << fmt(*r.client_cpu_seconds * 1000.0 / static_cast<double>(r.connections_ok), 3) << " ms per "
        << (o.mode == Mode::ws ? "connection" : "request") << "\n";
  if (r.server_rss_peak_held && r.server_rss_before && r.held_connections > 0) {
    const double per = (static_cast<double>(*r.server_rss_peak_held) - static_cast<double>(*r.server_rss_before)) /
                       static_cast<double>(r.held_connections);
    out << "server RSS: " << *r.server_rss_before << " B before, " << *r.server_rss_peak_held << " B with "
        << r.held_connections << " connections held: " << fmt(per, 0) << " B per connection\n";
  }
  return out.str();
}

std::string to_json(const LoadResult& r) {
  const auto& o = r.options;
  nlohmann::json j;
  j["target"] = {{"url", o.url}, {"mode", mode_name(o)}, {"profile", std::string(to_string(o.profile))},
                 {"client_quote", o.client_quote}};
  j["load"] = {{"connections", o.connections}, {"requests_per_connection", o.requests_per_connection},
               {"count", o.count}, {"duration_seconds", o.duration_seconds}, {"timeout_ms", o.timeout.count()}};
  j["elapsed_seconds"] = r.elapsed_seconds;
  j["attempts"] = r.attempts;
  j["connections_ok"] = r.connections_ok;
  j["handshakes_ok"] = r.handshakes_ok;
  j["round_trips_ok"] = r.round_trips_ok;
  j["handshakes_per_second"] = r.handshakes_per_second();
  j["round_trips_per_second"] = r.round_trips_per_second();
  j["connections_per_second"] = r.connections_per_second();
  j["latency"] = {{"handshake", percentiles_json(percentiles(r.handshake_ms))},
                  {"round_trip", percentiles_json(percentiles(r.round_trip_ms))},
                  {"connection", percentiles_json(percentiles(r.connection_ms))}};
  j["errors"] = r.errors;
  j["errors_total"] = r.total_errors();
  nlohmann::json tl = nlohmann::json::array();
  for (const auto& p : r.timeline)
    tl.push_back({{"t", p.t_seconds}, {"connections", p.connections}, {"round_trips", p.round_trips}, {"errors", p.errors}});
  j["timeline"] = {{"bucket_seconds", r.bucket_seconds}, {"points", tl}};
  if (r.server_cpu_seconds) {
    j["server"]["cpu_seconds"] = *r.server_cpu_seconds;
    if (r.connections_ok > 0)
      j["server"]["cpu_ms_per_unit"] = *r.server_cpu_seconds * 1000.0 / static_cast<double>(r.connections_ok);
  }
  if (r.client_cpu_seconds) {
    j["client"]["cpu_seconds"] = *r.client_cpu_seconds;
    if (r.connections_ok > 0)
      j["client"]["cpu_ms_per_unit"] = *r.client_cpu_seconds * 1000.0 / static_cast<double>(r.connections_ok);
  }
  if (r.server_rss_before) j["server"]["rss_before_bytes"] = *r.server_rss_before;
  if (r.server_rss_peak_held) {
    j["server"]["rss_held_bytes"] = *r.server_rss_peak_held;
    j["server"]["held_connections"] = r.held_connections;
  }
  return j.dump(2);
}

std::string to_html(const LoadResult& r) {
  std::ostringstream h;
  h << "<!DOCTYPE html><html><head><meta charset='utf-8'><title>pnc-bench " << escape_html(r.options.url)
    << "</title><style>body{font-family:sans-serif;max-width:900px;margin:2em auto}"
       "pre{background:#f4f4f4;padding:1em;overflow-x:auto}svg{display:block;margin:1em 0}</style></head><body>"
    << "<h1>pnc-bench</h1><pre>" << escape_html(console_table(r)) << "</pre>";
  if (r.options.mode == Mode::ws) {
    h << histogram_svg(r.handshake_ms, "Handshake latency (connect to session key), " +
                                           std::to_string(r.handshake_ms.size()) + " samples");
    h << histogram_svg(r.round_trip_ms, "Encrypted round-trip latency (db_version_request), " +
                                            std::to_string(r.round_trip_ms.size()) + " samples");
  } else {
    h << histogram_svg(r.round_trip_ms, "Signed request latency (POST " + r.options.http_target + "), " +
                                            std::to_string(r.round_trip_ms.size()) + " samples");
  }
  h << timeline_svg(r) << "</body></html>\n";
  return h.str();
}

// ---- compare ----
namespace {

// Per-round ratios B/A of one figure (rounds where either side is missing or A is 0 are skipped).
std::vector<double> ratios(const CompareFigure& f) {
  std::vector<double> out;
  for (std::size_t i = 0; i < std::min(f.a.size(), f.b.size()); ++i)
    if (!std::isnan(f.a[i]) && !std::isnan(f.b[i]) && f.a[i] != 0) out.push_back(f.b[i] / f.a[i]);
  return out;
}

std::string spread_text(const Spread& s, int decimals) {
  if (s.n == 0) return "-";
  return fmt(s.median, decimals) + " [" + fmt(s.min, decimals) + "-" + fmt(s.max, decimals) + "]";
}

nlohmann::json spread_json(const Spread& s) {
  if (s.n == 0) return nullptr;
  return {{"n", s.n}, {"median", s.median}, {"min", s.min}, {"max", s.max}, {"q1", s.q1}, {"q3", s.q3}};
}

int decimals_for(const CompareFigure& f) { return f.unit == "ms" ? 3 : (f.unit.empty() ? 0 : 1); }

}  // namespace

std::string compare_table(const CompareResult& r) {
  const auto& c = r.options;
  std::ostringstream out;
  out << "pnc-bench compare  A = " << c.label_a << " (" << c.url_a << ")  B = " << c.label_b << " (" << c.url_b
      << ")\nprofile " << to_string(c.load.profile) << ", " << c.load.connections << " concurrent, "
      << c.load.requests_per_connection << " round trip(s) per connection, " << r.runs_a.size()
      << " rounds per target of "
      << (c.round_count > 0 ? std::to_string(c.round_count) + " connections" : fmt(c.round_seconds, 1) + " s")
      << ", order A B / B A alternating\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %-30s %-30s %-24s\n", "figure", "A median [min-max]", "B median [min-max]",
                "B/A median [min-max]");
  out << line;
  for (const auto& f : r.figures) {
    const int d = decimals_for(f);
    std::snprintf(line, sizeof line, "%-24s %-30s %-30s %-24s\n", f.name.c_str(), spread_text(spread(f.a), d).c_str(),
                  spread_text(spread(f.b), d).c_str(), spread_text(spread(ratios(f)), 3).c_str());
    out << line;
  }
  out << "\nratio spread = min-max of the per-round ratios: two identical targets differ by up to that much.\n";
  out << "errors: A " << r.errors_a << ", B " << r.errors_b << "\n";
  return out.str();
}

std::string compare_json(const CompareResult& r) {
  const auto& c = r.options;
  nlohmann::json j;
  j["a"] = {{"label", c.label_a}, {"url", c.url_a}, {"pid", c.pid_a}, {"errors", r.errors_a}};
  j["b"] = {{"label", c.label_b}, {"url", c.url_b}, {"pid", c.pid_b}, {"errors", r.errors_b}};
  j["load"] = {{"profile", std::string(to_string(c.load.profile))},
               {"connections", c.load.connections},
               {"requests_per_connection", c.load.requests_per_connection},
               {"rounds", r.runs_a.size()},
               {"round_seconds", c.round_count > 0 ? 0.0 : c.round_seconds},
               {"round_count", c.round_count},
               {"order", "ABBA"}};
  nlohmann::json figs = nlohmann::json::array();
  for (const auto& f : r.figures) {
    auto rounds = [](const std::vector<double>& v) {
      nlohmann::json a = nlohmann::json::array();
      for (double x : v) a.push_back(std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x));
      return a;
    };
    figs.push_back({{"name", f.name},
                    {"unit", f.unit},
                    {"higher_is_better", f.higher_is_better},
                    {"a", spread_json(spread(f.a))},
                    {"b", spread_json(spread(f.b))},
                    {"ratio_b_over_a", spread_json(spread(ratios(f)))},
                    {"rounds_a", rounds(f.a)},
                    {"rounds_b", rounds(f.b)}});
  }
  j["figures"] = figs;
  return j.dump(2);
}

std::string compare_html(const CompareResult& r) {
  std::ostringstream h;
  h << "<!DOCTYPE html><html><head><meta charset='utf-8'><title>pnc-bench compare</title>"
       "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
       "pre{background:#f4f4f4;padding:1em;overflow-x:auto}svg{display:block;margin:1em 0}</style></head><body>"
    << "<h1>pnc-bench compare</h1><pre>" << escape_html(compare_table(r)) << "</pre>";
  for (bool a : {true, false}) {
    std::vector<double> hs;
    for (const auto& run : a ? r.runs_a : r.runs_b) hs.insert(hs.end(), run.handshake_ms.begin(), run.handshake_ms.end());
    const std::string& label = a ? r.options.label_a : r.options.label_b;
    h << histogram_svg(hs, (a ? "A: " : "B: ") + label + ", handshake latency, all rounds, " +
                               std::to_string(hs.size()) + " samples");
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace pnc::load
