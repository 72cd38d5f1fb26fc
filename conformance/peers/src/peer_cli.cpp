// Shared CLI11 option definitions and their validation.
#include "peer_cli.hpp"

#include "pnc/cli.hpp"

namespace pnc::peers {

namespace {
constexpr std::int64_t kMaxReplyDelayMs = 60000;  // a minute per reply is slow enough for any test
}  // namespace

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  return pnc::cli::parse(app, argc, argv);
}

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.add_option("--listen", o.listen, "HOST:PORT to listen on; port 0 picks a free port "
                                       "(printed as 'listening on HOST:PORT' on stdout)")
      ->capture_default_str();
  app.add_option("--profile", o.profile, "seed-spec | sdk-compat | hardened")
      ->capture_default_str();
  app.add_option("--env", o.env, "local environment mode: dev | prod")->capture_default_str();
  app.add_option("--tdx", o.tdx, "quote source and peer-quote check: mock (MockQuoteV4, mock "
                                 "mode) | signed-mock (ECDSA-signed mock quotes, prod checks "
                                 "against the mock PKI root) | upstream-mock (sdk-compat only: no "
                                 "quote service, the SDK's 1024-byte fallback mock quote) | "
                                 "configfs (this TDX guest's quotes via configfs-tsm, prod checks "
                                 "against Intel's SGX root) | dstack (quotes from the dstack guest "
                                 "agent's socket, prod checks against Intel's SGX root)")
      ->capture_default_str();
  app.add_option("--configfs-root", o.host_quotes.configfs.report_root,
                 "--tdx configfs: the configfs-tsm report directory")
      ->capture_default_str();
  app.add_option("--dstack-socket", o.host_quotes.dstack.socket_path,
                 "--tdx dstack: the guest agent's Unix socket")
      ->capture_default_str();
  app.add_option("--mutant", o.mutant, "deliberately faulty behaviour (see --list-mutants)")
      ->capture_default_str();
  app.add_flag("--list-mutants", o.list_mutants, "print the supported mutants and exit");
  app.add_option("--session", o.sessions,
                 "signed-request session TOKEN:PK_B64[:AEAD_KEY_B64] (repeatable): the Ed25519 "
                 "key bound to the token and the optional HTTP body key");
  app.add_option("--session-lifetime", o.session_lifetime,
                 "seconds a provisioned session stays valid")
      ->capture_default_str();
  app.add_option("--handshake-deadline-ms", o.handshake_deadline_ms,
                 "WebSocket handshake deadline (strict profiles), milliseconds")
      ->capture_default_str();
  app.add_option("--max-message", o.max_message,
                 "largest WebSocket message / HTTP body accepted, bytes (handshake messages are "
                 "further limited to 1 MiB in strict profiles)")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "I/O threads")->capture_default_str();
  app.add_option("--io-timeout-ms", o.io_timeout_ms,
                 "time allowed to receive one whole HTTP request (and the WS upgrade)")
      ->capture_default_str();
  app.add_option("--idle-timeout-ms", o.idle_timeout_ms,
                 "an open WebSocket with no inbound data for this long is dropped")
      ->capture_default_str();
  app.add_option("--reply-delay-ms", o.reply_delay_ms,
                 "a slow SUT: wait this long before every HTTP answer and every WebSocket "
                 "reply or close (blocks one I/O thread; raise --threads for concurrent clients)")
      ->capture_default_str();
}

Result<CommonValues> check_common_options(const CommonOptions& o, bool for_challenge) {
  CommonValues v;
  auto listen = parse_listen(o.listen);
  if (!listen) return listen.error();
  v.host = listen->first;
  v.port = listen->second;
  auto profile = parse_profile(o.profile);
  if (!profile) return make_error("peer.bad_profile", "--profile must be seed-spec, sdk-compat or hardened");
  v.profile = *profile;
  if (o.env != "dev" && o.env != "prod") return make_error("peer.bad_env", "--env must be dev or prod");
  if (!is_tdx_source(o.tdx)) {
    return make_error("peer.bad_tdx", "--tdx must be mock, signed-mock, upstream-mock, configfs or dstack");
  }
  auto faults = mutant_faults(o.mutant);
  if (!faults) return make_error("peer.bad_mutant", "unknown mutant (see --list-mutants)");
  for (const auto& m : mutant_catalogue()) {
    if (m.name == o.mutant && !(for_challenge ? m.challenge : m.validator)) {
      return make_error("peer.bad_mutant", "this peer does not support that mutant");
    }
  }
  v.faults = *faults;
  if (o.handshake_deadline_ms <= 0 || o.io_timeout_ms <= 0 || o.idle_timeout_ms <= 0 ||
      o.threads == 0 || o.threads > 64 || o.max_message < 1024 || o.reply_delay_ms < 0 ||
      o.reply_delay_ms > kMaxReplyDelayMs) {
    return make_error("peer.bad_option", "timeouts must be > 0, threads 1..64, max-message >= 1024, "
                                         "reply-delay-ms 0..60000");
  }
  return v;
}

net::ServerOptions server_options(const CommonOptions& o, const CommonValues& v) {
  net::ServerOptions s;
  s.host = v.host;
  s.port = v.port;
  s.threads = o.threads;
  s.ws_max_message = o.max_message;
  s.http_max_body = o.max_message;
  s.http_request_timeout = net::Millis{o.io_timeout_ms};
  s.ws_idle_timeout = net::Millis{o.idle_timeout_ms};
  return s;
}

}  // namespace pnc::peers
