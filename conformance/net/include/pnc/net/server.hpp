// An HTTP + WebSocket server on one listening port: an io_context run by a small thread pool,
// one asynchronous session per connection (no thread per connection). HTTP requests go to an
// HttpHandler; WebSocket upgrades go to a WsHandler made by a factory. Every wait has a timeout
// and every read a size limit; stop() is graceful and joins all threads.
//
// Threading: the handlers of one connection are called one at a time (never concurrently); the
// handlers of different connections may run concurrently on the pool threads, so shared state
// in handlers needs its own locking. Handlers must not block for long.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pnc/net/types.hpp"

namespace pnc::net {

// The server side of one WebSocket connection, handed to its WsHandler. All methods are
// thread-safe and non-blocking: sends are queued and written one at a time in order.
class WsConnection {
 public:
  virtual ~WsConnection() = default;
  virtual void send_text(std::string text) = 0;
  virtual void send_binary(std::string data) = 0;
  // Bytes written to the socket as they are (after the frames queued before): hostile tests.
  virtual void send_raw(std::string bytes) = 0;
  // Close handshake with this code after the queued sends; code 0 = close frame without code.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Drop the TCP connection now, no close frame.
  virtual void abort() = 0;
  // Inbound message limit from now on (bytes); a bigger message closes the connection with 1009.
  virtual void set_read_limit(std::size_t bytes) = 0;
  // One-shot timer: WsHandler::on_timer is called after `after` unless cancelled or re-armed.
  virtual void set_timer(Millis after) = 0;
  virtual void cancel_timer() = 0;
  virtual bool is_open() const = 0;
  virtual const std::string& remote() const = 0;  // "ip:port"
};

// One WebSocket session's logic. Called on the connection's serial executor.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  virtual void on_open(WsConnection& conn) { (void)conn; }
  virtual void on_text(WsConnection& conn, std::string text) = 0;
  // Default: close 1003 (PROTOCOL.md §3.1 [SEED]).
  virtual void on_binary(WsConnection& conn, std::string data);
  virtual void on_timer(WsConnection& conn) { (void)conn; }
  // Last call: why the session ended (kind close with the peer's code, or error). The
  // WsConnection must not be used after this returns.
  virtual void on_closed(const Frame& why) { (void)why; }
};

// Returns nullptr to refuse the upgrade (the client gets 404).
using WsHandlerFactory = std::function<std::unique_ptr<WsHandler>(const HttpRequest& upgrade)>;
// Called for every non-upgrade request; may run concurrently for different connections.
using HttpHandler = std::function<HttpResponse(const HttpRequest& request)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = the kernel picks one; Server::port() tells which
  unsigned threads = 2;
  HttpHandler http;        // empty: every request gets 404
  WsHandlerFactory ws;     // empty: every upgrade gets 404
  std::size_t ws_max_message = kDefaultMaxMessage;  // initial read limit of each WS connection
  std::size_t http_max_body = kDefaultMaxMessage;   // larger body: 413 and the connection closes
  std::size_t http_max_header = 64 * 1024;          // larger header block: 431 / close
  Millis http_request_timeout{30000};  // to receive one whole request (headers + body)
  Millis http_idle_timeout{15000};     // keep-alive wait for the next request
  Millis ws_idle_timeout{300000};      // no inbound data for this long: connection dropped
  Millis ws_close_timeout{5000};       // WebSocket opening (101) and close handshakes
  Millis write_timeout{30000};         // a peer that does not drain what we send: dropped
  std::size_t max_connections = 20000;  // beyond: new connections are closed immediately
};

class Server {
 public:
  // Binds, listens and starts the pool. kListenFailed if the address is unusable.
  static Result<std::unique_ptr<Server>> start(ServerOptions options);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const std::string& host() const;
  std::uint16_t port() const;  // the bound port (never 0 after start)
  // Stop accepting, close every WebSocket with 1001 (going away) and every HTTP connection,
  // wait up to `grace` for sessions to finish, then drop the rest and join all threads.
  // Idempotent; safe to call from any thread except a pool thread.
  void stop(Millis grace = Millis{2000});
  std::size_t active_connections() const;

  struct Impl;

 private:
  explicit Server(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace pnc::net
