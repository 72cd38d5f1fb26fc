// Target "validator": the SUT is a client; the runner plays the challenge on a loopback port.
// Each case gets a fresh connection: a SUT started from --cmd is (re)started for it and must
// connect within the startup timeout; an external SUT must reconnect for every case. The SUT's
// HTTP side (§2 bootstrap, §6 /results/*) is reached at its bootstrap address.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cases/server_script.hpp"
#include "core/case.hpp"
#include "pnc/net/server.hpp"
#include "pnc/net/ws_accept_queue.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf {

class ValidatorSession final : public TargetSession {
 public:
  // `connect_sut`: (re)starts the SUT so that it connects now (empty for an external SUT);
  // returns an error text when it could not.
  ValidatorSession(SutDescription sut, std::unique_ptr<net::Server> server, std::shared_ptr<net::WsAcceptQueue> queue,
                   Millis accept_timeout)
      : sut_(std::move(sut)), server_(std::move(server)), queue_(std::move(queue)), accept_timeout_(accept_timeout) {}
  ~ValidatorSession() override { stop(); }

  // The runner's loopback challenge on `port` (0: any), accepting WebSocket upgrades of /sdk/ws;
  // the error is the server's (the caller names what it listened for).
  static Result<std::unique_ptr<ValidatorSession>> listen(SutDescription sut, std::uint16_t port, Millis accept_timeout);

  std::function<std::string()> connect_sut;  // set by the target
  std::function<void()> release_sut;          // after a case (stops a managed SUT)
  std::function<std::string()> ensure_running;  // HTTP cases: a managed SUT is up (error text)

  // A fresh connection from the SUT, or the reason there is none.
  Result<std::shared_ptr<net::ServerWsPeer>> next_connection();
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(server_->port()) + "/sdk/ws"; }
  std::string base_url() const { return "ws://127.0.0.1:" + std::to_string(server_->port()); }
  const SutDescription& sut() const { return sut_; }
  SutDescription& mutable_sut() { return sut_; }
  Rng& rng() { return rng_; }
  void stop();

 private:
  SutDescription sut_;
  std::unique_ptr<net::Server> server_;
  std::shared_ptr<net::WsAcceptQueue> queue_;
  Millis accept_timeout_;
  SystemRng rng_;
};

ValidatorSession& validator_of(Context& ctx);

}  // namespace pnc::conf
