// What both reference peers share: the provisioning they take from the command line (sessions,
// quote source), the signed-request check with its mutants, the WebSocket session adapter and
// the serve-until-SIGTERM loop. The protocol logic itself is the reference's (pnc::reference).
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
#include "pnc/signed_http.hpp"
#include "pnc/types.hpp"

namespace pnc::peers {

// "HOST:PORT" (IPv4 literal or [IPv6]).
Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

// --session TOKEN:PK_B64[:AEAD_KEY_B64], registered until now + lifetime.
Status add_session(signed_http::SessionTable& table, std::string_view spec, std::int64_t now,
                   std::int64_t lifetime);

// The quote side of `--tdx mock|signed-mock` for one peer.
struct QuoteSetup {
  AttestationMode mode = AttestationMode::mock;
  std::unique_ptr<QuoteProvider> provider;  // own quotes (wrapped by nonce-at-584)
  std::unique_ptr<DcapVerifier> dcap;       // signed-mock: checks the peer's signed quote
};
Result<QuoteSetup> make_quote_setup(std::string_view tdx, const std::string& env_mode,
                                    Mutant mutant, Profile profile, const Clock& clock);

// net → reference request value.
signed_http::HttpRequest to_signed_request(const net::HttpRequest& request);

// §6.4 with the verifier mutants (ignore-timestamp, accept-http-replay) applied.
signed_http::VerifyResult verify_signed(signed_http::SessionTable& sessions, const Clock& clock,
                                        const signed_http::VerifierOptions& options, Mutant mutant,
                                        const signed_http::HttpRequest& request);

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
  explicit WsSessionAdapter(std::unique_ptr<SessionLogic> logic) : logic_(std::move(logic)) {}
  void on_open(net::WsConnection& conn) override { apply(conn, logic_->on_open()); }
  void on_text(net::WsConnection& conn, std::string text) override {
    apply(conn, logic_->on_text(text));
  }
  void on_binary(net::WsConnection& conn, std::string) override {
    apply(conn, logic_->on_binary());
  }
  void on_timer(net::WsConnection& conn) override { apply(conn, logic_->on_timer()); }

 private:
  static void apply(net::WsConnection& conn, Actions actions);
  std::unique_ptr<SessionLogic> logic_;
};

// Blocks SIGTERM/SIGINT/SIGUSR1 (call first in main, before any thread starts), starts the
// server, prints "listening on HOST:PORT" on stdout, waits for a signal, stops the server.
// Returns the process exit code (0 on a clean stop, 2 if the server cannot start).
int serve_until_signal(net::ServerOptions options, const std::function<void(std::uint16_t)>& on_started = {});
void block_termination_signals();
// Asks serve_until_signal to stop (from any thread).
void request_stop();

}  // namespace pnc::peers
