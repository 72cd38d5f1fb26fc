// pnc-bench: load generator for any challenge SDK (see load.hpp). Exit status: 0 when the run
// completed without errors, 1 when some units failed, 2 on bad arguments, 130 / 143 when SIGINT /
// SIGTERM ended it early (the results so far are still printed and written).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "load.hpp"
#include "pnc/cli.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/interrupt.hpp"
#include "pnc/net/types.hpp"

namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// ws://host:port (the SDK's base address, as pnc-conformance takes it) means its /sdk/ws.
std::string ws_endpoint(const std::string& url) {
  auto parsed = pnc::net::parse_url(url);
  if (parsed && parsed->scheme == "ws" && parsed->target == "/") {
    return url.back() == '/' ? url + "sdk/ws" : url + "/sdk/ws";
  }
  return url;
}

constexpr const char* kFooter = R"(Examples:
  pnc-bench --url ws://127.0.0.1:10000 -c 32 -m 10 --duration 30 --report-dir out/
  pnc-bench --mode http --url http://127.0.0.1:10000 --session-token tok --signer-seed 00..1f --count 5000
  pnc-bench --signer-seed 00..1f --print-public-key
  pnc-bench compare --a ws://127.0.0.1:10000 --b ws://127.0.0.1:10001 --label-a ours --label-b theirs \
            --pid-a 1234 --pid-b 1235 -c 16 --rounds 6 --round-seconds 3 --report-dir out/
Exit status: 0 no errors, 1 some connections or requests failed, 2 usage error,
  130/143 interrupted by SIGINT/SIGTERM (the results so far are still printed and written).)";

// pnc-bench compare: both targets checked like a single run's target, then the rounds.
int run_compare(pnc::load::CompareOptions co, pnc::load::LoadOptions o, const std::string& json_path,
                const std::string& html_path, const std::string& report_dir) {
  using namespace pnc;
  if (o.mode != load::Mode::ws) return pnc::cli::usage_error("pnc-bench", "compare drives ws targets only");
  co.url_a = ws_endpoint(co.url_a);
  co.url_b = ws_endpoint(co.url_b);
  for (const auto* url : {&co.url_a, &co.url_b}) {
    load::LoadOptions check = o;
    check.url = *url;
    check.count = 1;
    if (auto st = load::validate(check); !st) {
      std::cerr << "pnc-bench: " << st.error().message << " (" << st.error().code << ")\n";
      return 2;
    }
  }
  co.load = o;
  pnc::cli::InterruptGuard interrupt("pnc-bench", "stopping after the current round (again to quit at once)", std::cerr);
  co.load.stop = &interrupt.stop_requested();
  const auto result = load::compare(co, [&](const std::string& line) {
    if (o.progress) std::cerr << line << "\n";
  });
  std::cout << load::compare_table(result);
  if (!report_dir.empty()) {
    const auto dir = std::filesystem::path(report_dir);
    if (!write_file((dir / "compare.json").string(), load::compare_json(result)) ||
        !write_file((dir / "compare.html").string(), load::compare_html(result))) {
      std::cerr << "pnc-bench: cannot write into " << report_dir << "\n";
      return 2;
    }
  } else {
    if (!json_path.empty() && !write_file(json_path, load::compare_json(result))) return 2;
    if (!html_path.empty() && !write_file(html_path, load::compare_html(result))) return 2;
  }
  if (interrupt.signal_number() != 0) return interrupt.exit_status();
  return result.errors_a + result.errors_b == 0 && !result.runs_a.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pnc;
  CLI::App app{
      "pnc-bench: drives a challenge SDK over the network. ws mode: N concurrent connections, each the full "
      "attestation handshake (mock mode) then M encrypted db_version_request round trips. http mode: signed "
      "POST requests (§6) to /sdk/weights. Loopback targets only unless --allow-remote."};
  pnc::cli::setup(app, "pnc-bench", kFooter);
  load::LoadOptions o;
  std::string profile = "seed-spec", mode = "ws", seed_hex, json_path, html_path, report_dir;
  long long timeout_ms = o.timeout.count(), hold_ms = 0;
  bool no_client_quote = false, quiet = false, print_public_key = false;
  app.add_option("--url", o.url, "target: ws://host:port[/sdk/ws] (ws mode) or http://host:port (http mode)")
      ->capture_default_str();
  app.add_option("--profile", profile, "seed-spec | sdk-compat | hardened")->capture_default_str();
  app.add_option("--mode", mode, "ws (handshake + encrypted round trips) or http (signed /sdk/weights)")
      ->capture_default_str();
  app.add_option("-c,--connections", o.connections, "concurrent connections (workers)")->capture_default_str()
      ->check(CLI::Range(1u, 10000u));
  app.add_option("-m,--requests", o.requests_per_connection, "ws: encrypted round trips per connection")
      ->capture_default_str()->check(CLI::Range(0u, 1000000u));
  app.add_option("-n,--count", o.count, "stop after this many connections (ws) or requests (http)");
  app.add_option("-d,--duration", o.duration_seconds, "stop after this many seconds")->check(CLI::Range(0.0, 86400.0));
  app.add_option("--timeout-ms", timeout_ms, "timeout of every connect / send / receive / request")
      ->capture_default_str()->check(CLI::Range(1LL, 3600000LL));
  auto* env_opt = app.add_option("--env", o.env_mode, "the client's environment mode (§3.8): dev | prod")
                      ->capture_default_str();
  pnc::cli::deprecated_alias(app, "--env-mode", env_opt, o.env_mode);
  app.add_flag("--no-client-quote", no_client_quote, "ws: send no val_quote (a platform-api-like client)");
  app.add_option("--hold-ms", hold_ms, "ws: keep every connection open this long after its round trips, "
                                       "until all are open (memory measurement)")->check(CLI::Range(0LL, 3600000LL));
  app.add_option("--session-token", o.session_token, "http: X-Session-Token the challenge trusts");
  app.add_option("--signer-seed", seed_hex, "http: Ed25519 seed (64 hex chars) of the trusted signer");
  app.add_option("--http-target", o.http_target, "http: request target")->capture_default_str();
  app.add_option("--http-body", o.http_body, "http: JSON payload")->capture_default_str();
  app.add_option("--server-pid", o.server_pid, "sample this server process's CPU time and RSS (/proc)");
  app.add_flag("--allow-remote", o.allow_remote, "allow a target that is not a loopback address");
  auto* dir_opt = app.add_option("--report-dir", report_dir,
                                 "write bench.json and bench.html (inline SVG charts) into this directory");
  pnc::cli::deprecated_alias(app, "--json", dir_opt, json_path)->description("deprecated: write the JSON results to this file (use --report-dir)");
  pnc::cli::deprecated_alias(app, "--html", dir_opt, html_path)->description("deprecated: write the HTML report to this file (use --report-dir)");
  app.add_flag("-q,--quiet", quiet, "no progress line");
  app.add_flag("--print-public-key", print_public_key,
               "print B64 of the Ed25519 public key of --signer-seed (to provision the challenge) and exit");

  // compare: the load options above (-c, -m, --profile, --timeout-ms, --no-client-quote, -q,
  // --report-dir) apply to both targets and may be given after the subcommand too.
  load::CompareOptions co;
  auto* cmp = app.add_subcommand(
      "compare", "drive two targets alternately (interleaved rounds A B, B A, ...) with the same client and "
                 "report every figure of both and their ratio B/A with its spread over the rounds (ws mode)");
  cmp->fallthrough();
  cmp->add_option("--a", co.url_a, "target A: ws://host:port[/sdk/ws]")->required();
  cmp->add_option("--b", co.url_b, "target B: ws://host:port[/sdk/ws]")->required();
  cmp->add_option("--label-a", co.label_a, "name of A in the report")->capture_default_str();
  cmp->add_option("--label-b", co.label_b, "name of B in the report")->capture_default_str();
  cmp->add_option("--pid-a", co.pid_a, "server process of A: its CPU per connection (/proc)");
  cmp->add_option("--pid-b", co.pid_b, "server process of B: its CPU per connection (/proc)");
  cmp->add_option("--rounds", co.rounds, "rounds per target")->capture_default_str()->check(CLI::Range(1u, 1000u));
  cmp->add_option("--round-seconds", co.round_seconds, "length of each round")->capture_default_str()
      ->check(CLI::Range(0.05, 3600.0));
  cmp->add_option("--round-count", co.round_count, "or: connections per round (instead of --round-seconds)");
  cmp->add_option("--warmup", co.warmup_count, "connections per target before the first round, not recorded")
      ->capture_default_str();
  if (auto status = pnc::cli::parse(app, argc, argv)) return *status;  // 0 --help / --version, 2 usage
  if (!report_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(report_dir, ec);
    if (ec) return pnc::cli::usage_error("pnc-bench", "--report-dir " + report_dir + ": cannot create it: " + ec.message());
    json_path = (std::filesystem::path(report_dir) / "bench.json").string();
    html_path = (std::filesystem::path(report_dir) / "bench.html").string();
  }

  auto p = parse_profile(profile);
  if (!p) {
    std::cerr << "pnc-bench: unknown profile '" << profile << "' (seed-spec | sdk-compat | hardened)\n";
    return 2;
  }
  o.profile = *p;
  if (mode == "ws") {
    o.mode = load::Mode::ws;
  } else if (mode == "http") {
    o.mode = load::Mode::http;
  } else {
    std::cerr << "pnc-bench: unknown mode '" << mode << "' (ws | http)\n";
    return 2;
  }
  if (!seed_hex.empty()) {
    auto seed = codec::hex_decode_exact(seed_hex, 32);
    if (!seed) {
      std::cerr << "pnc-bench: --signer-seed must be 64 hex characters\n";
      return 2;
    }
    o.signer_seed = *seed;
  }
  if (print_public_key) {
    if (o.signer_seed.size() != 32) {
      std::cerr << "pnc-bench: --print-public-key needs --signer-seed\n";
      return 2;
    }
    std::cout << codec::b64_encode(crypto::ed25519_from_seed(o.signer_seed).pub) << "\n";
    return 0;
  }
  if (o.mode == load::Mode::ws) o.url = ws_endpoint(o.url);
  o.timeout = std::chrono::milliseconds(timeout_ms);
  o.hold = std::chrono::milliseconds(hold_ms);
  o.client_quote = !no_client_quote;
  o.progress = !quiet;
  if (cmp->parsed()) return run_compare(co, o, json_path, html_path, report_dir);
  if (auto st = load::validate(o); !st) {
    std::cerr << "pnc-bench: " << st.error().message << " (" << st.error().code << ")\n";
    return 2;
  }

  pnc::cli::InterruptGuard interrupt("pnc-bench", "stopping the load, printing the results so far (again to quit at once)",
                                     std::cerr);
  o.stop = &interrupt.stop_requested();
  const auto result = load::run(o, [&](const std::string& line) {
    if (o.progress) std::cerr << "\r" << line << "        " << std::flush;
  });
  if (o.progress) std::cerr << "\n";
  std::cout << load::console_table(result);
  if (!json_path.empty() && !write_file(json_path, load::to_json(result))) {
    std::cerr << "pnc-bench: cannot write " << json_path << "\n";
    return 2;
  }
  if (!html_path.empty() && !write_file(html_path, load::to_html(result))) {
    std::cerr << "pnc-bench: cannot write " << html_path << "\n";
    return 2;
  }
  if (interrupt.signal_number() != 0) return interrupt.exit_status();
  return result.total_errors() == 0 && result.connections_ok > 0 ? 0 : 1;
}
