// A blocking WebSocket client with a timeout on every call, for the conformance runner and the
// validator peer. Each WsClient owns a private io_context and runs it only inside its own calls,
// so it needs no thread and costs no thread creation. A WsClient is not thread-safe: use it from
// one thread at a time. Destroying an open client closes its socket (no close handshake).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "pnc/net/types.hpp"

namespace pnc::net {

struct WsClientOptions {
  std::size_t max_message = kDefaultMaxMessage;  // inbound messages above this: close 1009
  Headers extra_headers;       // added to the upgrade request (e.g. for hostile tests)
  std::string subprotocol;     // Sec-WebSocket-Protocol to offer; empty = none
};

class WsClient {
 public:
  // TCP connect + HTTP upgrade to `url` (ws://host:port/path), all within `timeout`.
  // A non-101 answer yields kUpgradeRejected with the status in the message.
  static Result<std::unique_ptr<WsClient>> connect(std::string_view url, Millis timeout,
                                                   WsClientOptions options = {});
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // One whole message in one frame. Fails with kTimeout if the peer does not drain it in time
  // (the connection is then torn down) and kClosed once the connection is closed.
  Status send_text(std::string_view text, Millis timeout);
  Status send_binary(std::span<const std::uint8_t> data, Millis timeout);
  // Bytes written to the TCP socket as they are, bypassing WebSocket framing: for hostile
  // framing tests (see ws_frame.hpp to build frames). Don't mix with a half-sent message.
  Status send_raw_bytes(std::span<const std::uint8_t> bytes, Millis timeout);

  // The next message, or timeout (non-destructive: a pending read carries over to the next call),
  // close (peer closed: code/reason; the close handshake is answered automatically) or error.
  Frame receive(Millis timeout);

  // Send a close frame and wait (up to timeout) for the peer's close and the TCP shutdown.
  // code 0 sends a close frame without a status code. Never fails if already closed.
  Status close(std::uint16_t code, std::string_view reason, Millis timeout);
  // Drop the TCP connection immediately (no close frame): "mid-handshake close" tests.
  void abort();

  bool is_open() const;
  std::uint16_t local_port() const;
  // The response headers of the upgrade (e.g. to check the negotiated subprotocol).
  const Headers& upgrade_response_headers() const;

  struct Impl;

 private:
  explicit WsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pnc::net
