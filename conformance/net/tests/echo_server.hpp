// Test helper: a loopback echo server on pnc_net. Text and binary messages come back unchanged;
// "close:<code>" closes with that code; "timer:<ms>" arms the timer, which closes with 1008;
// "limit:<bytes>" sets the read limit.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "pnc/net/net.hpp"

namespace pnc::net::test {

struct EchoCounters {
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::atomic<int> last_close_code{0};
};

class EchoHandler final : public WsHandler {
 public:
  explicit EchoHandler(std::shared_ptr<EchoCounters> counters) : counters_(std::move(counters)) {}
  void on_open(WsConnection&) override { ++counters_->opened; }
  void on_text(WsConnection& conn, std::string text) override {
    if (text.rfind("close:", 0) == 0) {
      conn.close(static_cast<std::uint16_t>(std::stoi(text.substr(6))), "bye");
    } else if (text.rfind("timer:", 0) == 0) {
      conn.set_timer(Millis{std::stoi(text.substr(6))});
    } else if (text.rfind("limit:", 0) == 0) {
      conn.set_read_limit(std::stoul(text.substr(6)));
      conn.send_text("ok");
    } else if (text.rfind("big:", 0) == 0) {
      conn.send_text(std::string(std::stoul(text.substr(4)), 'x'));
    } else {
      conn.send_text(std::move(text));
    }
  }
  void on_binary(WsConnection& conn, std::string data) override { conn.send_binary(std::move(data)); }
  void on_timer(WsConnection& conn) override { conn.close(1008, "deadline"); }
  void on_closed(const Frame& why) override {
    counters_->last_close_code = why.close_code;
    ++counters_->closed;
  }

 private:
  std::shared_ptr<EchoCounters> counters_;
};

inline ServerOptions echo_options(std::shared_ptr<EchoCounters> counters) {
  ServerOptions options;
  options.ws = [counters](const HttpRequest& upgrade) -> std::unique_ptr<WsHandler> {
    if (upgrade.path() != "/echo") return nullptr;
    return std::make_unique<EchoHandler>(counters);
  };
  options.http = [](const HttpRequest& request) {
    if (request.path() == "/hello") {
      return json_response(200, "{\"method\":\"" + request.method + "\",\"body\":\"" +
                                    request.body + "\"}");
    }
    return json_response(404, "{}");
  };
  return options;
}

inline std::string ws_url(const Server& server, const std::string& path = "/echo") {
  return "ws://127.0.0.1:" + std::to_string(server.port()) + path;
}
inline std::string http_url(const Server& server) {
  return "http://127.0.0.1:" + std::to_string(server.port());
}

}  // namespace pnc::net::test
