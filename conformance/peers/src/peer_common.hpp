// What both reference peers share: the provisioning they take from the command line (sessions,
// quote source), the WebSocket session adapter (with the slow-SUT reply delay) and the
// serve-until-SIGTERM loop. The protocol logic itself is the reference's (pnc::reference).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mutants.hpp"
#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/envelope.hpp"
#include "pnc/net/server.hpp"
#include "pnc/providers/configfs_tsm.hpp"
#include "pnc/providers/dstack_agent.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/types.hpp"

namespace pnc::peers {

// "HOST:PORT" (IPv4 literal or [IPv6]).
Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

// --session TOKEN:PK_B64[:AEAD_KEY_B64], registered until now + lifetime.
Status add_session(signed_http::SessionTable& table, std::string_view spec, std::int64_t now,
                   std::int64_t lifetime);

// The quote side of `--tdx mock|signed-mock|upstream-mock|configfs|dstack` for one peer.
struct QuoteSetup {
  AttestationMode mode = AttestationMode::mock;
  std::unique_ptr<QuoteProvider> provider;  // own quotes
  std::unique_ptr<DcapVerifier> dcap;       // prod modes: checks the peer's signed quote
};
// Where the quote providers of a TDX host are (`--configfs-root`, `--dstack-socket`).
struct HostQuoteOptions {
  providers::ConfigfsTsmOptions configfs;
  providers::DstackAgentOptions dstack;
};
// Every --tdx value.
bool is_tdx_source(std::string_view tdx);
// upstream-mock (sdk-compat only): no quote service, as the upstream SDK without a dstack
// socket, so the handshake sends the SDK's 1024-byte fallback mock quote (§9.6, D-03).
// configfs / dstack: quotes of the TDX host the peer runs on; the peer's quote is checked like
// signed-mock's but against Intel's SGX root (no TCB collateral yet, DEC-37).
// `faults` (mutants): the peer's quote-check switches, also read by the signed verifier.
Result<QuoteSetup> make_quote_setup(std::string_view tdx, const std::string& env_mode,
                                    Profile profile, const Clock& clock,
                                    const HostQuoteOptions& host = {},
                                    const testing::QuoteFaults* faults = nullptr);

// net → reference request value.
signed_http::HttpRequest to_signed_request(const net::HttpRequest& request);

// `--reply-delay-ms`: a slow SUT. Blocks the calling I/O thread for `ms` (0: returns at once).
void delay_reply(std::int64_t ms);

// A WebSocket session's reaction to one input, carried out by WsSessionAdapter.
struct Actions {
  std::vector<std::string> send;
  std::optional<CloseFrame> close;
  std::optional<std::int64_t> arm_timer_ms;
  bool cancel_timer = false;
  std::optional<std::size_t> read_limit;
};

// The pure per-connection logic a peer plugs into the server.
class SessionLogic {
 public:
  virtual ~SessionLogic() = default;
  virtual Actions on_open() = 0;
  virtual Actions on_text(std::string_view frame) = 0;
  virtual Actions on_binary() = 0;
  virtual Actions on_timer() = 0;
};

// Net glue: forwards frames to a SessionLogic and performs its Actions.
class WsSessionAdapter final : public net::WsHandler {
 public:
  // reply_delay_ms: every input that sends or closes waits this long first (a slow SUT).
  WsSessionAdapter(std::unique_ptr<SessionLogic> logic, std::int64_t reply_delay_ms)
      : logic_(std::move(logic)), reply_delay_ms_(reply_delay_ms) {}
  void on_open(net::WsConnection& conn) override { apply(conn, logic_->on_open()); }
  void on_text(net::WsConnection& conn, std::string text) override {
    apply(conn, logic_->on_text(text));
  }
  void on_binary(net::WsConnection& conn, std::string) override {
    apply(conn, logic_->on_binary());
  }
  void on_timer(net::WsConnection& conn) override { apply(conn, logic_->on_timer()); }

 private:
  void apply(net::WsConnection& conn, Actions actions) const;
  std::unique_ptr<SessionLogic> logic_;
  std::int64_t reply_delay_ms_;
};

// Blocks SIGTERM/SIGINT/SIGUSR1 (call first in main, before any thread starts), starts the
// server, prints "listening on HOST:PORT" on stdout, waits for a signal, stops the server.
// Returns the process exit code (0 on a clean stop, 2 if the server cannot start).
int serve_until_signal(net::ServerOptions options, const std::function<void(std::uint16_t)>& on_started = {});
void block_termination_signals();
// Asks serve_until_signal to stop (from any thread).
void request_stop();

}  // namespace pnc::peers
