// The load driver: worker threads with blocking pnc_net clients (each WsClient owns its
// io_context, so a worker is just a thread), a monitor for the progress line and the stop rules.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "load.hpp"
#include "pnc/clock.hpp"
#include "pnc/handshake.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/net/ws_client.hpp"
#include "pnc/router.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::load {
namespace {

using SteadyClock = std::chrono::steady_clock;

double ms_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

// What one worker collects; merged at the end (no locking on the hot path).
struct WorkerStats {
  std::uint64_t connections_ok = 0, handshakes_ok = 0, round_trips_ok = 0, attempts = 0;
  std::map<std::string, std::uint64_t> errors;
  std::vector<double> handshake_ms, round_trip_ms, connection_ms;
  std::vector<TimePoint> timeline;
};

// Shared run state.
struct Shared {
  const LoadOptions& options;
  SteadyClock::time_point start = SteadyClock::now();
  std::atomic<std::uint64_t> issued{0};     // units of work handed out (count limit)
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done_ok{0}, done_err{0}, round_trips{0};
  // hold: every worker parks its connection here until all are open (or the hold ends).
  std::mutex mu;
  std::condition_variable cv;
  unsigned held = 0;
  bool release = false;

  explicit Shared(const LoadOptions& o) : options(o) {}

  // Claims one unit of work; false once the count or the duration is exhausted.
  bool claim() {
    if (stop.load(std::memory_order_relaxed)) return false;
    if (options.stop != nullptr && options.stop->load()) {
      stop = true;
      return false;
    }
    if (options.duration_seconds > 0 &&
        std::chrono::duration<double>(SteadyClock::now() - start).count() >= options.duration_seconds) {
      stop = true;
      return false;
    }
    if (options.count > 0 && issued.fetch_add(1) >= options.count) return false;
    return true;
  }
  double now_s() const { return std::chrono::duration<double>(SteadyClock::now() - start).count(); }
};

TimePoint& bucket(WorkerStats& s, double t, double width) {
  const auto i = static_cast<std::size_t>(std::max(0.0, t) / width);
  while (s.timeline.size() <= i) s.timeline.push_back(TimePoint{static_cast<double>(s.timeline.size()) * width, 0, 0, 0});
  return s.timeline[i];
}

void count_error(WorkerStats& s, Shared& sh, const std::string& kind, double width) {
  ++s.errors[kind];
  ++bucket(s, sh.now_s(), width).errors;
  ++sh.done_err;
}

std::string frame_error(const net::Frame& f) {
  switch (f.kind) {
    case net::FrameKind::timeout: return "net.timeout";
    case net::FrameKind::close: return "ws.closed_by_peer." + std::to_string(f.close_code);
    case net::FrameKind::binary: return "ws.unexpected_binary";
    case net::FrameKind::error: return "net.io";
    case net::FrameKind::text: break;
  }
  return "ws.unexpected_text";
}

// One WebSocket connection: handshake, M round trips, optional hold, close. Returns an error kind
// or an empty string on success.
std::string one_connection(const LoadOptions& o, Shared& sh, WorkerStats& s, Rng& rng, const Clock& clock,
                           QuoteProvider* own_quotes, double width) {
  const auto t0 = SteadyClock::now();
  auto conn = net::WsClient::connect(o.url, o.timeout);
  if (!conn) return conn.error().code;
  net::WsClient& ws = **conn;

  handshake::ClientConfig cc;
  cc.profile = o.profile;
  cc.mode = AttestationMode::mock;
  cc.env_mode = o.env_mode;
  cc.validator_hotkey = "5BenchValidatorHotkey";
  handshake::ClientHandshake client(cc, rng, own_quotes);
  handshake::Step step = client.start();
  std::optional<envelope::Channel> channel;
  for (;;) {
    for (const auto& f : step.send)
      if (auto st = ws.send_text(f, o.timeout); !st) return st.error().code;
    if (step.error) {
      (void)ws.close(step.close ? step.close->code : kClosePolicy, "", o.timeout);
      return step.error->code;
    }
    if (step.established) {
      channel = client.take_session();
      break;
    }
    const net::Frame in = ws.receive(o.timeout);
    if (in.kind == net::FrameKind::text) {
      step = client.on_text(in.data);
    } else if (in.kind == net::FrameKind::binary) {
      step = client.on_binary();
    } else {
      return "handshake." + frame_error(in);
    }
  }
  if (!channel) return "hs.no_session";
  s.handshake_ms.push_back(ms_since(t0));
  ++s.handshakes_ok;

  router::Router router(o.profile, rng, clock);
  for (unsigned i = 0; i < o.requests_per_connection; ++i) {
    const auto r0 = SteadyClock::now();
    std::optional<Result<json::Json>> answer;
    auto req = router.request(json::Json{{"type", "db_version_request"}},
                              [&](Result<json::Json> r) { answer.emplace(std::move(r)); });
    if (!req) return req.error().code;
    auto sealed = channel->seal_json(*req, rng);
    if (!sealed) return sealed.error().code;
    if (auto st = ws.send_text(*sealed, o.timeout); !st) return st.error().code;
    // Skip unrelated pushes until the correlated response arrives (or the timeout).
    while (!answer) {
      const net::Frame in = ws.receive(o.timeout);
      if (in.kind != net::FrameKind::text) return "round_trip." + frame_error(in);
      auto outcome = channel->receive_text(in.data);
      if (!outcome.delivered()) {
        if (outcome.action == envelope::Outcome::Action::close) return outcome.error ? outcome.error->code : "env.closed";
        continue;
      }
      router.receive(outcome.opened.message);
    }
    if (!*answer) return answer->error().code;
    if (answer->value().value("type", "") != "db_version_response") return "round_trip.unexpected_type";
    s.round_trip_ms.push_back(ms_since(r0));
    ++s.round_trips_ok;
    ++sh.round_trips;
    ++bucket(s, sh.now_s(), width).round_trips;
  }

  if (o.hold.count() > 0) {
    std::unique_lock lock(sh.mu);
    ++sh.held;
    sh.cv.notify_all();
    sh.cv.wait_for(lock, o.hold, [&] { return sh.release; });
  }
  (void)ws.close(kCloseNormal, "", o.timeout);
  s.connection_ms.push_back(ms_since(t0));
  return {};
}

void ws_worker(const LoadOptions& o, Shared& sh, WorkerStats& s, double width) {
  SystemRng rng;
  SystemClock clock;
  tdx::MockQuoteProvider quotes;
  while (sh.claim()) {
    ++s.attempts;
    const std::string err = one_connection(o, sh, s, rng, clock, o.client_quote ? &quotes : nullptr, width);
    if (!err.empty()) {
      count_error(s, sh, err, width);
      continue;
    }
    ++s.connections_ok;
    ++sh.done_ok;
    ++bucket(s, sh.now_s(), width).connections;
  }
}

void http_worker(const LoadOptions& o, Shared& sh, WorkerStats& s, double width) {
  SystemRng rng;
  SystemClock clock;
  signed_http::SignerOptions so;
  so.profile = o.profile;
  signed_http::Signer signer(o.signer_seed, o.session_token, std::nullopt, clock, rng, so);
  while (sh.claim()) {
    ++s.attempts;
    const auto t0 = SteadyClock::now();
    auto req = signer.sign("POST", o.http_target, o.http_body);
    if (!req) {
      count_error(s, sh, req.error().code, width);
      continue;
    }
    net::Headers headers(req->headers.begin(), req->headers.end());
    auto resp = net::http_request(o.url, "POST", req->target, headers, to_string(req->body), o.timeout);
    if (!resp) {
      count_error(s, sh, resp.error().code, width);
      continue;
    }
    if (resp->status < 200 || resp->status > 299) {
      count_error(s, sh, "http." + std::to_string(resp->status), width);
      continue;
    }
    s.round_trip_ms.push_back(ms_since(t0));
    ++s.round_trips_ok;
    ++s.connections_ok;
    ++sh.round_trips;
    ++sh.done_ok;
    auto& b = bucket(s, sh.now_s(), width);
    ++b.connections;
    ++b.round_trips;
  }
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8 as a dotted quad.
  if (host.substr(0, 4) != "127.") return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

Status validate(const LoadOptions& o) {
  auto url = net::parse_url(o.url);
  if (!url) return make_error("bench.bad_url", url.error().message);
  if (o.mode == Mode::ws && url->scheme != "ws") return make_error("bench.bad_url", "ws mode needs a ws:// URL");
  if (o.mode == Mode::http && url->scheme != "http")
    return make_error("bench.bad_url", "http mode needs an http:// URL (the challenge's base URL)");
  if (!o.allow_remote && !is_loopback_host(url->host))
    return make_error("bench.remote_target",
                      "target " + url->host + " is not a loopback address; pass --allow-remote to load it anyway");
  if (o.count == 0 && o.duration_seconds <= 0)
    return make_error("bench.no_limit", "give --count or --duration so that the run stops by itself");
  if (o.connections == 0) return make_error("bench.bad_argument", "--connections must be at least 1");
  if (o.mode == Mode::http && (o.session_token.empty() || o.signer_seed.size() != 32))
    return make_error("bench.no_signer", "http mode needs --session-token and a 32-byte --signer-seed (hex)");
  if (o.timeout.count() <= 0) return make_error("bench.bad_argument", "--timeout-ms must be positive");
  return {};
}

LoadResult run(const LoadOptions& o, const std::function<void(const std::string&)>& on_progress) {
  LoadResult result;
  result.options = o;
  const double width = result.bucket_seconds;
  Shared sh(o);
  if (o.server_pid > 0) result.server_rss_before = process_rss_bytes(o.server_pid);
  const auto cpu0 = o.server_pid > 0 ? process_cpu_seconds(o.server_pid) : std::nullopt;
  const auto self_cpu0 = process_cpu_seconds(static_cast<int>(getpid()));

  std::vector<WorkerStats> stats(o.connections);
  std::vector<std::thread> workers;
  workers.reserve(o.connections);
  sh.start = SteadyClock::now();
  for (unsigned i = 0; i < o.connections; ++i) {
    workers.emplace_back([&, i] {
      if (o.mode == Mode::ws) ws_worker(o, sh, stats[i], width);
      else http_worker(o, sh, stats[i], width);
    });
  }

  // Monitor: progress once a second; in hold mode, sample the server's RSS once every worker
  // holds its connection, then release them.
  std::atomic<bool> finished{false};
  std::thread monitor([&] {
    std::uint64_t last_ok = 0;
    auto last_t = SteadyClock::now();
    bool sampled = false;
    const auto hold_start = SteadyClock::now();
    while (!finished) {
      {
        std::unique_lock lock(sh.mu);
        sh.cv.wait_for(lock, std::chrono::milliseconds(200));
        if (o.hold.count() > 0 && !sampled &&
            (sh.held >= o.connections || SteadyClock::now() - hold_start > o.hold)) {
          result.held_connections = sh.held;
          if (o.server_pid > 0) result.server_rss_peak_held = process_rss_bytes(o.server_pid);
          sampled = true;
          sh.release = true;
          sh.cv.notify_all();
        }
      }
      const auto now = SteadyClock::now();
      if (now - last_t >= std::chrono::seconds(1)) {
        const std::uint64_t ok = sh.done_ok.load();
        const double dt = std::chrono::duration<double>(now - last_t).count();
        std::ostringstream line;
        line.setf(std::ios::fixed);
        line.precision(1);
        line << "[" << sh.now_s() << " s] " << (o.mode == Mode::ws ? "connections " : "requests ") << ok
             << " ok, " << sh.done_err.load() << " errors, " << static_cast<double>(ok - last_ok) / dt << "/s, "
             << sh.round_trips.load() << " round trips";
        if (o.count > 0) line << ", " << std::min<std::uint64_t>(100, (ok + sh.done_err.load()) * 100 / o.count) << "%";
        if (on_progress) on_progress(line.str());
        last_ok = ok;
        last_t = now;
      }
    }
  });
  for (auto& w : workers) w.join();
  finished = true;
  {
    std::lock_guard lock(sh.mu);
    sh.release = true;
    sh.cv.notify_all();
  }
  monitor.join();
  result.elapsed_seconds = sh.now_s();
  if (o.server_pid > 0) {
    const auto cpu1 = process_cpu_seconds(o.server_pid);
    if (cpu0 && cpu1) result.server_cpu_seconds = *cpu1 - *cpu0;
  }
  if (const auto self_cpu1 = process_cpu_seconds(static_cast<int>(getpid())); self_cpu0 && self_cpu1)
    result.client_cpu_seconds = *self_cpu1 - *self_cpu0;

  for (auto& s : stats) {
    result.connections_ok += s.connections_ok;
    result.handshakes_ok += s.handshakes_ok;
    result.round_trips_ok += s.round_trips_ok;
    result.attempts += s.attempts;
    for (const auto& [k, v] : s.errors) result.errors[k] += v;
    result.handshake_ms.insert(result.handshake_ms.end(), s.handshake_ms.begin(), s.handshake_ms.end());
    result.round_trip_ms.insert(result.round_trip_ms.end(), s.round_trip_ms.begin(), s.round_trip_ms.end());
    result.connection_ms.insert(result.connection_ms.end(), s.connection_ms.begin(), s.connection_ms.end());
    for (std::size_t i = 0; i < s.timeline.size(); ++i) {
      while (result.timeline.size() <= i)
        result.timeline.push_back(TimePoint{static_cast<double>(result.timeline.size()) * width, 0, 0, 0});
      result.timeline[i].connections += s.timeline[i].connections;
      result.timeline[i].round_trips += s.timeline[i].round_trips;
      result.timeline[i].errors += s.timeline[i].errors;
    }
  }
  return result;
}

std::uint64_t LoadResult::total_errors() const {
  std::uint64_t n = 0;
  for (const auto& [k, v] : errors) n += v;
  return n;
}
double LoadResult::handshakes_per_second() const {
  return elapsed_seconds > 0 ? static_cast<double>(handshakes_ok) / elapsed_seconds : 0;
}
double LoadResult::round_trips_per_second() const {
  return elapsed_seconds > 0 ? static_cast<double>(round_trips_ok) / elapsed_seconds : 0;
}
double LoadResult::connections_per_second() const {
  return elapsed_seconds > 0 ? static_cast<double>(connections_ok) / elapsed_seconds : 0;
}

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  p.samples = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) ;
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
  };
  p.p50_ms = at(0.50);
  p.p90_ms = at(0.90);
  p.p99_ms = at(0.99);
  p.max_ms = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  p.mean_ms = sum / static_cast<double>(v.size());
  return p;
}

std::optional<double> process_cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // Fields after the parenthesised command name (which may contain spaces).
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return std::nullopt;
  return (utime + stime) / static_cast<double>(ticks);
}

std::optional<std::uint64_t> process_rss_bytes(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream s(line.substr(6));
      std::uint64_t kb = 0;
      if (s >> kb) return kb * 1024;
    }
  }
  return std::nullopt;
}

}  // namespace pnc::load
