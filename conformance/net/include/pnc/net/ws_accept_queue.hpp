// A blocking view of server-side WebSocket connections, for a caller that scripts the server
// role step by step (the runner playing the challenge against a validator SUT): plug factory()
// into ServerOptions::ws, then accept() connections and receive()/send on them with timeouts.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "pnc/net/server.hpp"

namespace pnc::net {

class ServerWsPeer {
 public:
  // The next inbound message, close or error; timeout if none arrives in time (non-destructive).
  Frame receive(Millis timeout);
  void send_text(std::string text);
  void send_binary(std::string data);
  void send_raw(std::string bytes);
  void close(std::uint16_t code, std::string reason);
  void abort();
  void set_read_limit(std::size_t bytes);
  bool is_open() const;
  const HttpRequest& upgrade_request() const { return upgrade_; }

  struct State;  // shared with the server-side handler
  ServerWsPeer(std::shared_ptr<State> state, HttpRequest upgrade);

 private:
  std::shared_ptr<State> state_;
  HttpRequest upgrade_;
};

class WsAcceptQueue {
 public:
  // `accept_if` filters upgrades (e.g. by path); empty = accept every upgrade.
  explicit WsAcceptQueue(std::function<bool(const HttpRequest&)> accept_if = {});
  WsHandlerFactory factory();
  // The next connection accepted by the server, or nullptr if none within timeout.
  std::shared_ptr<ServerWsPeer> accept(Millis timeout);

 private:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::shared_ptr<ServerWsPeer>> ready;
  };
  std::function<bool(const HttpRequest&)> accept_if_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

}  // namespace pnc::net
