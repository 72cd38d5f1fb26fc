// pnc-ref-validator: the bundled reference validator peer (HTTP bootstrap + signed-request
// verifier server, and the WebSocket client role against a challenge).
#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

#include "peer_cli.hpp"
#include "pnc/cli.hpp"
#include "validator_app.hpp"

int main(int argc, char** argv) {
  using namespace pnc::peers;
  block_termination_signals();
  CLI::App cli{"pnc-ref-validator: reference validator peer (POST /attestation/challenge, "
               "/attest, /results/*; WebSocket client of a challenge with --url)"};
  pnc::cli::setup(cli, "pnc-ref-validator", R"(Examples:
  pnc-ref-validator --listen 127.0.0.1:0
  pnc-ref-validator --url ws://127.0.0.1:10000 --script db_version,job --exit-after-client
Prints "listening on HOST:PORT" once it accepts connections; SIGINT / SIGTERM stop it.
Exit status: 0 stopped by a signal (or, with --exit-after-client, the client run succeeded),
  1 the client run failed, 2 usage or setup error (e.g. the port is taken).)");
  CommonOptions common;
  add_common_options(cli, common);
  std::string connect_url, script = "db_version,job", hotkey = "5RefValidatorHotkey";
  bool exit_after_client = false;
  std::int64_t reply_timeout_ms = 10000;
  auto* url_opt = cli.add_option("--url", connect_url,
                                 "ws://HOST:PORT[/sdk/ws] of a challenge: attest it and run --script");
  pnc::cli::deprecated_alias(cli, "--connect", url_opt, connect_url);
  cli.add_option("--script", script,
                 "comma-separated messages the client sends after the handshake: db_version, "
                 "migrations, job, job_fail, orm_ready, weight_request")
      ->capture_default_str();
  cli.add_option("--reply-timeout-ms", reply_timeout_ms, "wait for each expected answer")
      ->capture_default_str();
  cli.add_flag("--exit-after-client", exit_after_client,
               "exit when the client run ends: status 0 if it succeeded, else 1");
  cli.add_option("--hotkey", hotkey, "validator hotkey ([COMPAT] mock quote seed)")
      ->capture_default_str();
  std::string expected_compose_hash;
  cli.add_option("--expected-compose-hash", expected_compose_hash,
                 "the compose hash (64 hex) the challenge's event log must carry (§3.6 C4.5); default: not checked");
  if (auto status = parse_command_line(cli, argc, argv)) return *status;
  // A challenge's base address (as pnc-conformance and pnc-bench take it) means its /sdk/ws.
  if (const auto authority = connect_url.find("://"); authority != std::string::npos) {
    const auto path = connect_url.find('/', authority + 3);
    if (path == std::string::npos) connect_url += "/sdk/ws";
    else if (path + 1 == connect_url.size()) connect_url += "sdk/ws";
  }

  if (common.list_mutants) {
    std::fputs(list_mutants(false).c_str(), stdout);
    return 0;
  }
  auto values = check_common_options(common, false);
  if (!values) {
    std::fprintf(stderr, "error: %s\n", values.error().message.c_str());
    return 2;
  }
  ValidatorConfig cfg;
  cfg.profile = values->profile;
  cfg.env_mode = common.env;
  cfg.tdx = common.tdx;
  cfg.host_quotes = common.host_quotes;
  cfg.faults = values->faults;
  cfg.sessions = common.sessions;
  cfg.session_lifetime = common.session_lifetime;
  cfg.handshake_deadline_ms = common.handshake_deadline_ms;
  cfg.max_message = common.max_message;
  cfg.hotkey = hotkey;
  if (!expected_compose_hash.empty()) cfg.expected_compose_hash = expected_compose_hash;
  auto app = ValidatorApp::create(std::move(cfg));
  if (!app) {
    std::fprintf(stderr, "error: %s\n", app.error().message.c_str());
    return 2;
  }
  ValidatorApp& validator = **app;
  auto options = server_options(common, *values);
  const std::int64_t delay_ms = common.reply_delay_ms;
  options.http = [&validator, delay_ms](const pnc::net::HttpRequest& r) {
    auto response = validator.http(r);
    delay_reply(delay_ms);
    return response;
  };

  ClientRun run;
  run.url = connect_url;
  run.reply_timeout_ms = reply_timeout_ms;
  run.script.clear();
  std::stringstream items(script);
  for (std::string item; std::getline(items, item, ',');) {
    if (!item.empty()) run.script.push_back(item);
  }
  std::mutex out_mu;
  std::atomic<bool> client_ok{true};
  std::thread client;
  auto start_client = [&](std::uint16_t) {
    if (connect_url.empty()) return;
    client = std::thread([&] {
      client_ok = run_client(validator, run, [&](const std::string& line) {
        std::lock_guard lock(out_mu);
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
      });
      if (exit_after_client) request_stop();
    });
  };
  const int rc = serve_until_signal(std::move(options), start_client);
  if (client.joinable()) client.join();  // every client wait is bounded
  if (rc != 0) return rc;
  return exit_after_client && !client_ok ? 1 : 0;
}
