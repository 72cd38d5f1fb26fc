// A raw, blocking TCP connection with timeouts: for robustness tests that must send what no
// WebSocket or HTTP client would (garbage, trickled bytes, half an upgrade, silence).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "pnc/net/types.hpp"

namespace pnc::net {

class TcpClient {
 public:
  static Result<std::unique_ptr<TcpClient>> connect(std::string_view host, std::uint16_t port,
                                                    Millis timeout);
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  Status send(std::span<const std::uint8_t> bytes, Millis timeout);
  Status send(std::string_view bytes, Millis timeout);
  // Whatever arrives first (up to max_bytes). Empty string + ok: nothing within timeout (still
  // open). Error kClosed: the peer closed (EOF or reset).
  Result<std::string> receive_some(Millis timeout, std::size_t max_bytes = 65536);
  // Wait until the peer closes the connection, discarding data; true if it closed in time.
  bool wait_closed(Millis timeout);
  void close();

  struct Impl;

 private:
  explicit TcpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pnc::net
