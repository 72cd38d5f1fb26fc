// pnc-ref-challenge: the bundled reference challenge peer (SDK side of PROTOCOL.md §1.2).
#include <cstdio>
#include <cstdlib>

#include "challenge_app.hpp"
#include "peer_cli.hpp"
#include "pnc/cli.hpp"
#include "pnc/codec.hpp"

int main(int argc, char** argv) {
  using namespace pnc::peers;
  block_termination_signals();
  CLI::App cli{"pnc-ref-challenge: reference challenge peer (WS /sdk/ws, /sdk/health, "
               "/sdk/weights, /sdk/admin/db/credentials, /sdk/public/{name})"};
  pnc::cli::setup(cli, "pnc-ref-challenge", R"(Examples:
  pnc-ref-challenge --listen 127.0.0.1:10000
  pnc-ref-challenge --listen 127.0.0.1:0 --profile hardened --env prod --tdx signed-mock
  pnc-ref-challenge --profile sdk-compat --tdx upstream-mock --sdk-dev-mode
  pnc-ref-challenge --list-mutants
Prints "listening on HOST:PORT" once it accepts connections; SIGINT / SIGTERM stop it.
Exit status: 0 stopped by a signal, 2 usage or setup error (e.g. the port is taken).)");
  CommonOptions common;
  add_common_options(cli, common);
  bool admin = false, sdk_dev_mode = false, orm_permissions = false;
  std::string challenge_id, ed_seed_hex, issuer_pk, issuer_name = "platform-api",
                            proxy_session = "proxy";
  std::vector<std::string> trust_keys;
  std::int64_t db_version = 1;
  cli.add_flag("--admin", admin, "CHALLENGE_ADMIN=true: /sdk/admin/* and /sdk/public/* routes, "
                                 "demo migration in migrations_response");
  cli.add_flag("--sdk-dev-mode", sdk_dev_mode,
               "SDK_DEV_MODE=true (sdk-compat leniencies: no signed-header check, dev identity)");
  cli.add_option("--challenge-id", challenge_id, "CHALLENGE_ID (ORM permissions, token_info, "
                                                 "MinerToken audience)");
  cli.add_flag("--orm-permissions", orm_permissions,
               "answer orm_ready with orm_permissions (needs --challenge-id)");
  cli.add_option("--db-version", db_version, "db_version reported")->capture_default_str();
  cli.add_option("--ed25519-seed", ed_seed_hex,
                 "HEX of the 32-byte Ed25519 seed that opens sealed credentials (§8.3); default: "
                 "env SDK_EPHEMERAL_SK_B64 (B64 of the seed)");
  cli.add_option("--trust-key", trust_keys,
                 "B64 Ed25519 key of a trusted proxy (repeatable): registered as signed-request "
                 "session --proxy-session (then <name>-2, ...); a signed request from it makes "
                 "X-Verified-* headers count on /sdk/public");
  cli.add_option("--proxy-session", proxy_session, "session token of the first --trust-key")
      ->capture_default_str();
  cli.add_option("--miner-token-issuer", issuer_pk,
                 "B64 Ed25519 key of the MinerToken issuer: enables X-Miner-Token on /sdk/public");
  cli.add_option("--miner-token-iss", issuer_name, "expected MinerToken iss")->capture_default_str();
  if (auto status = parse_command_line(cli, argc, argv)) return *status;

  if (common.list_mutants) {
    std::fputs(list_mutants(true).c_str(), stdout);
    return 0;
  }
  auto values = check_common_options(common, true);
  if (!values) {
    std::fprintf(stderr, "error: %s\n", values.error().message.c_str());
    return 2;
  }
  ChallengeConfig cfg;
  cfg.profile = values->profile;
  cfg.env_mode = common.env;
  cfg.tdx = common.tdx;
  cfg.host_quotes = common.host_quotes;
  cfg.faults = values->faults;
  cfg.admin = admin;
  cfg.sdk_dev_mode = sdk_dev_mode;
  if (!challenge_id.empty()) cfg.challenge_id = challenge_id;
  cfg.orm_permissions = orm_permissions;
  cfg.db_version = db_version;
  cfg.sessions = common.sessions;
  cfg.trusted_proxy_keys = trust_keys;
  cfg.proxy_session = proxy_session;
  if (!issuer_pk.empty()) cfg.miner_token_issuer_pk = issuer_pk;
  cfg.miner_token_iss = issuer_name;
  cfg.session_lifetime = common.session_lifetime;
  cfg.handshake_deadline_ms = common.handshake_deadline_ms;
  cfg.max_message = common.max_message;
  if (!ed_seed_hex.empty()) {
    auto seed = pnc::codec::hex_decode_exact(ed_seed_hex, 32);
    pnc::secure_wipe(ed_seed_hex.data(), ed_seed_hex.size());
    if (!seed) {
      std::fprintf(stderr, "error: --ed25519-seed must be 64 hex characters\n");
      return 2;
    }
    cfg.receiver_key_b64 = pnc::codec::b64_encode(*seed);
    pnc::secure_wipe(seed->data(), seed->size());
  } else if (const char* env = std::getenv("SDK_EPHEMERAL_SK_B64"); env && *env) {
    cfg.receiver_key_b64 = env;
  }
  auto app = ChallengeApp::create(std::move(cfg));
  if (!app) {
    std::fprintf(stderr, "error: %s\n", app.error().message.c_str());
    return 2;
  }
  ChallengeApp& challenge = **app;
  auto options = server_options(common, *values);
  const std::int64_t delay_ms = common.reply_delay_ms;
  options.http = [&challenge, delay_ms](const pnc::net::HttpRequest& r) {
    auto response = challenge.http(r);
    delay_reply(delay_ms);
    return response;
  };
  options.ws = [&challenge, delay_ms](const pnc::net::HttpRequest& upgrade)
      -> std::unique_ptr<pnc::net::WsHandler> {
    if (upgrade.path() != "/sdk/ws") return nullptr;
    return std::make_unique<WsSessionAdapter>(challenge.new_session(), delay_ms);
  };
  return serve_until_signal(std::move(options));
}
