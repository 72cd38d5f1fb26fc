// pnc-bench: a load generator for any challenge SDK. N concurrent workers each open a WebSocket to
// the challenge, run the full §3 attestation handshake through the reference ClientHandshake, then
// M encrypted request/response round trips (db_version_request -> db_version_response, §5.4); or,
// in signed-HTTP mode, POST signed requests (§6) to /sdk/weights. Every network wait has a
// timeout; every failure is counted by kind, never fatal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::load {

enum class Mode { ws, http };

struct LoadOptions {
  std::string url = "ws://127.0.0.1:8080/sdk/ws";  // ws mode: the WebSocket; http mode: its base
  Profile profile = Profile::seed_spec;
  Mode mode = Mode::ws;
  std::string env_mode = "dev";        // the client's local environment mode (§3.8)
  bool client_quote = true;            // send val_quote (validator-like); false = platform-api-like
  unsigned connections = 16;           // concurrent workers
  unsigned requests_per_connection = 1;  // ws: encrypted round trips per connection
  std::uint64_t count = 0;             // stop after this many connections (ws) / requests (http)
  double duration_seconds = 0;         // or after this long (0 = no limit); one of the two is set
  std::chrono::milliseconds timeout{10000};  // every connect / send / receive / HTTP request
  bool allow_remote = false;           // non-loopback targets need this explicit flag
  std::chrono::milliseconds hold{0};   // ws: keep each connection open this long after its round trips
  // http mode: the signer the challenge trusts (§6.4 provisioned trust).
  std::string session_token;
  Bytes signer_seed;                   // 32 bytes
  std::string http_target = "/sdk/weights";
  std::string http_body = R"({"jobs":[]})";
  int server_pid = 0;                  // > 0: sample this process's CPU time and RSS
  bool progress = true;                // a progress line on stderr once a second
  const std::atomic<bool>* stop = nullptr;  // set (by a signal): claim no further unit of work
};

// Checks the combination of options (count or duration, loopback policy, signer in http mode).
Status validate(const LoadOptions& options);
// True for localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);

struct Percentiles {
  std::size_t samples = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
};
Percentiles percentiles(std::vector<double> samples_ms);

// One bucket of the throughput time series.
struct TimePoint {
  double t_seconds = 0;        // bucket start, relative to the run start
  std::uint64_t connections = 0;  // completed (ws) or requests (http) in the bucket
  std::uint64_t round_trips = 0;
  std::uint64_t errors = 0;
};

struct LoadResult {
  LoadOptions options;
  double elapsed_seconds = 0;
  std::uint64_t connections_ok = 0;   // ws: handshake + all round trips; http: 2xx requests
  std::uint64_t handshakes_ok = 0;
  std::uint64_t round_trips_ok = 0;
  std::uint64_t attempts = 0;
  std::map<std::string, std::uint64_t> errors;  // by kind (error code)
  std::vector<double> handshake_ms, round_trip_ms, connection_ms;  // raw samples
  std::vector<TimePoint> timeline;    // 0.25 s buckets
  double bucket_seconds = 0.25;
  // With server_pid: the server's CPU seconds during the run and its RSS (bytes).
  std::optional<double> server_cpu_seconds;
  std::optional<std::uint64_t> server_rss_before, server_rss_peak_held;
  std::uint64_t held_connections = 0;  // connections open at once during the hold
  // pnc-bench's own CPU seconds during the run (all its threads, /proc/self/stat): the load
  // generator's cost per connection, to compare with the server's (it must stay below it).
  std::optional<double> client_cpu_seconds;

  std::uint64_t total_errors() const;
  double handshakes_per_second() const;
  double round_trips_per_second() const;
  double connections_per_second() const;
};

// Runs the load. Never throws; a target that refuses everything gives a result full of errors.
// `on_progress` (optional) is called about once a second with a one-line summary.
LoadResult run(const LoadOptions& options, const std::function<void(const std::string&)>& on_progress = {});

// Reports.
std::string console_table(const LoadResult& r);
std::string to_json(const LoadResult& r);
std::string to_html(const LoadResult& r);

// ---- compare: two targets, interleaved rounds, the same client (issue 16) ----
struct CompareOptions {
  LoadOptions load;                   // connections, requests, profile, timeout...; url and pid are set per round
  std::string url_a, url_b;
  std::string label_a = "A", label_b = "B";
  int pid_a = 0, pid_b = 0;           // > 0: server CPU per connection of that target
  unsigned rounds = 6;                // rounds per target; the order alternates A B, B A, ...
  double round_seconds = 2;           // each round's --duration (unless round_count is set)
  std::uint64_t round_count = 0;      // or each round's --count
  std::uint64_t warmup_count = 0;     // connections per target before round 1, not recorded
};

// One figure of one round of one target (NaN when not measured, e.g. no pid).
struct CompareFigure {
  std::string name;   // "handshakes_per_s", "server_cpu_ms_per_conn", ...
  std::string unit;
  bool higher_is_better = true;
  std::vector<double> a, b;  // one value per round
};

struct CompareResult {
  CompareOptions options;
  std::vector<CompareFigure> figures;
  std::vector<LoadResult> runs_a, runs_b;  // the rounds, in order (histograms)
  std::uint64_t errors_a = 0, errors_b = 0;
};

// Median and range of a set of values (NaNs ignored; all NaN gives NaN).
struct Spread {
  std::size_t n = 0;
  double median = 0, min = 0, max = 0, q1 = 0, q3 = 0;
};
Spread spread(std::vector<double> values);

// Runs the rounds. `on_progress` gets one line per finished round.
CompareResult compare(const CompareOptions& options, const std::function<void(const std::string&)>& on_progress = {});
// The side-by-side table: per figure A and B (median [min-max] over rounds) and B/A (median of the
// per-round ratios [min-max]).
std::string compare_table(const CompareResult& r);
std::string compare_json(const CompareResult& r);
std::string compare_html(const CompareResult& r);

// Reads utime+stime (seconds) and VmRSS (bytes) of a process from /proc.
std::optional<double> process_cpu_seconds(int pid);
std::optional<std::uint64_t> process_rss_bytes(int pid);

}  // namespace pnc::load
