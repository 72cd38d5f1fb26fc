// The validator side (pnc-ref-validator) as application objects: the HTTP routes of §2 and §6
// (/attestation/challenge, /attest, /results/*) and the WebSocket client role (§3.6, then a
// scripted exchange of §5.4 messages) over pnc_net's blocking WsClient.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "peer_common.hpp"
#include "pnc/bootstrap.hpp"
#include "pnc/clock.hpp"
#include "pnc/net/types.hpp"
#include "pnc/rng.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::peers {

struct ValidatorConfig {
  Profile profile = Profile::seed_spec;
  std::string env_mode = "dev";
  std::string tdx = "mock";
  HostQuoteOptions host_quotes;  // --tdx configfs / dstack: where the host's quote service is
  PeerFaults faults;                  // the --mutant's switches (all off: correct)
  std::vector<std::string> sessions;  // extra signed-request sessions for /results/*
  std::int64_t session_lifetime = 3600;
  std::int64_t handshake_deadline_ms = 30000;
  std::size_t max_message = 16u * 1024u * 1024u;
  std::string hotkey = "5RefValidatorHotkey";
  std::optional<std::string> expected_compose_hash;  // §3.6 C4.5: the challenge's compose hash (hex)
};

class ValidatorApp {
 public:
  static Result<std::unique_ptr<ValidatorApp>> create(ValidatorConfig config);
  net::HttpResponse http(const net::HttpRequest& request);
  const ValidatorConfig& config() const { return config_; }
  QuoteSetup& quotes() { return quotes_; }
  const Clock& clock() const { return clock_; }

 private:
  explicit ValidatorApp(ValidatorConfig config) : config_(std::move(config)) {}
  ValidatorConfig config_;
  SystemClock clock_;
  SystemRng rng_;
  QuoteSetup quotes_;
  signed_http::SessionTable sessions_;
  bootstrap::NonceStore nonces_;
  std::unique_ptr<bootstrap::AttestVerifier> attest_;
};

// The client role: connect to `url`, attest the challenge, send `script` messages (names:
// db_version, migrations, job, job_fail, orm_ready, weight_request) one by one, waiting for each
// answer when one is expected, then close 1000. Every event is reported through `log` as one
// line: "client established", "client recv <inner JSON>", "client closed <code> <reason>",
// "client failed <code> <message>", "client done". Returns true when every step succeeded.
struct ClientRun {
  std::string url;
  std::vector<std::string> script = {"db_version", "job"};
  std::int64_t connect_timeout_ms = 10000;
  std::int64_t reply_timeout_ms = 10000;
  // Bounds the handshake wait when no protocol deadline applies (sdk-compat, no-deadline): no
  // network wait is ever unbounded.
  std::int64_t no_deadline_wait_ms = 300000;
};
bool run_client(ValidatorApp& app, const ClientRun& run,
                const std::function<void(const std::string&)>& log);

}  // namespace pnc::peers
