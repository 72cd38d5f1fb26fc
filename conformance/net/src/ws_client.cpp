// Blocking WebSocket client over Boost.Beast: asynchronous operations on a private io_context,
// driven by blocking calls with deadlines (blocking_io.hpp). A receive timeout leaves the read
// pending so that the next receive() continues it and no data is lost.
#include "pnc/net/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "blocking_io.hpp"

namespace pnc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using detail::Clock;
using detail::run_until;

struct WsClient::Impl {
  asio::io_context ioc{1};
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer read_buffer;
  int pending_ops = 0;
  bool read_pending = false;
  bool read_done = false;
  beast::error_code read_ec;
  bool open = false;
  std::uint16_t local_port = 0;
  Headers upgrade_headers;

  // Close the socket so every pending operation completes, then let their handlers run.
  void teardown() {
    beast::error_code ignored;
    ws.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    ws.next_layer().close(ignored);
    open = false;
    run_until(ioc, [this] { return pending_ops == 0; }, Clock::now() + detail::kDrainLimit);
  }

  void start_read() {
    read_pending = true;
    ++pending_ops;
    ws.async_read(read_buffer, [this](beast::error_code ec, std::size_t) {
      --pending_ops;
      read_pending = false;
      read_done = true;
      read_ec = ec;
    });
  }

  Status write_frame(bool text, asio::const_buffer data, Millis timeout) {
    if (!open) return make_error(kClosed, "connection closed");
    bool done = false;
    beast::error_code result;
    ws.text(text);
    ++pending_ops;
    ws.async_write(data, [&](beast::error_code ec, std::size_t) {
      --pending_ops;
      done = true;
      result = ec;
    });
    if (!run_until(ioc, [&] { return done; }, Clock::now() + timeout)) {
      teardown();
      return make_error(kTimeout, "send timed out (peer not reading)");
    }
    if (result) {
      open = false;
      return make_error(kIo, "send failed: " + result.message());
    }
    return {};
  }
};

WsClient::WsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WsClient::~WsClient() {
  if (impl_) impl_->teardown();
}

Result<std::unique_ptr<WsClient>> WsClient::connect(std::string_view url, Millis timeout,
                                                    WsClientOptions options) {
  auto parsed = parse_url(url);
  if (!parsed) return parsed.error();
  if (parsed->scheme != "ws") return make_error(kBadUrl, "WebSocket URL must start with ws://");
  const auto deadline = Clock::now() + timeout;
  auto impl = std::make_unique<Impl>();
  Impl& s = *impl;

  bool done = false;
  beast::error_code ec;
  auto endpoints = detail::resolve(s.ioc, parsed->host, parsed->port, deadline);
  if (!endpoints) return endpoints.error();
  ++s.pending_ops;
  asio::async_connect(s.ws.next_layer(), *endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    --s.pending_ops;
    done = true;
    ec = e;
  });
  if (!run_until(s.ioc, [&] { return done; }, deadline)) {
    s.teardown();
    return make_error(kTimeout, "connect timed out");
  }
  if (ec) return make_error(kConnectFailed, "connect failed: " + ec.message());
  s.ws.next_layer().set_option(tcp::no_delay(true), ec);
  s.local_port = s.ws.next_layer().local_endpoint(ec).port();

  // Upgrade. Beast's own handshake timer also bounds the close handshake later on.
  websocket::stream_base::timeout ws_timeouts{};
  ws_timeouts.handshake_timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::max(timeout, Millis{1000}));
  ws_timeouts.idle_timeout = websocket::stream_base::none();
  ws_timeouts.keep_alive_pings = false;
  s.ws.set_option(ws_timeouts);
  s.ws.read_message_max(options.max_message);
  s.ws.auto_fragment(false);  // one message = one frame (PROTOCOL.md §3.1)
  s.ws.set_option(websocket::stream_base::decorator(
      [extra = options.extra_headers, proto = options.subprotocol](websocket::request_type& req) {
        if (!proto.empty()) req.set(beast::http::field::sec_websocket_protocol, proto);
        for (const auto& [name, value] : extra) req.insert(name, value);
      }));
  websocket::response_type response;
  done = false;
  const std::string host_header = parsed->host + ":" + std::to_string(parsed->port);
  ++s.pending_ops;
  s.ws.async_handshake(response, host_header, parsed->target, [&](beast::error_code e) {
    --s.pending_ops;
    done = true;
    ec = e;
  });
  if (!run_until(s.ioc, [&] { return done; }, deadline)) {
    s.teardown();
    return make_error(kTimeout, "WebSocket upgrade timed out");
  }
  for (const auto& field : response) {
    s.upgrade_headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  if (ec) {
    s.teardown();
    if (ec == websocket::error::upgrade_declined) {
      return make_error(kUpgradeRejected,
                        "upgrade rejected with HTTP " + std::to_string(response.result_int()));
    }
    return make_error(kConnectFailed, "WebSocket upgrade failed: " + ec.message());
  }
  s.open = true;
  return std::unique_ptr<WsClient>(new WsClient(std::move(impl)));
}

Status WsClient::send_text(std::string_view text, Millis timeout) {
  return impl_->write_frame(true, asio::buffer(text.data(), text.size()), timeout);
}

Status WsClient::send_binary(std::span<const std::uint8_t> data, Millis timeout) {
  return impl_->write_frame(false, asio::buffer(data.data(), data.size()), timeout);
}

Status WsClient::send_raw_bytes(std::span<const std::uint8_t> bytes, Millis timeout) {
  Impl& s = *impl_;
  if (!s.open) return make_error(kClosed, "connection closed");
  bool done = false;
  beast::error_code result;
  ++s.pending_ops;
  asio::async_write(s.ws.next_layer(), asio::buffer(bytes.data(), bytes.size()),
                    [&](beast::error_code ec, std::size_t) {
                      --s.pending_ops;
                      done = true;
                      result = ec;
                    });
  if (!run_until(s.ioc, [&] { return done; }, Clock::now() + timeout)) {
    s.teardown();
    return make_error(kTimeout, "raw send timed out");
  }
  if (result) return make_error(kIo, "raw send failed: " + result.message());
  return {};
}

Frame WsClient::receive(Millis timeout) {
  Impl& s = *impl_;
  Frame frame;
  if (!s.read_pending && !s.read_done) {
    if (!s.open) {
      frame.kind = FrameKind::error;
      frame.error = "connection closed";
      return frame;
    }
    s.start_read();
  }
  if (!run_until(s.ioc, [&] { return s.read_done; }, Clock::now() + timeout)) {
    frame.kind = FrameKind::timeout;
    return frame;
  }
  s.read_done = false;
  const beast::error_code ec = s.read_ec;
  if (!ec) {
    frame.kind = s.ws.got_text() ? FrameKind::text : FrameKind::binary;
    frame.data = beast::buffers_to_string(s.read_buffer.data());
    s.read_buffer.consume(s.read_buffer.size());
    return frame;
  }
  s.open = false;
  if (ec == websocket::error::closed) {
    frame.kind = FrameKind::close;
    frame.close_code = s.ws.reason().code == websocket::close_code::none
                           ? std::uint16_t{1005}
                           : static_cast<std::uint16_t>(s.ws.reason().code);
    frame.close_reason = std::string(s.ws.reason().reason.data(), s.ws.reason().reason.size());
  } else {
    frame.kind = FrameKind::error;
    frame.error = ec.message();
    if (ec == websocket::error::message_too_big || ec == websocket::error::buffer_overflow) {
      frame.close_code = 1009;  // Beast failed the connection with 1009
    }
  }
  s.teardown();
  return frame;
}

Status WsClient::close(std::uint16_t code, std::string_view reason, Millis timeout) {
  Impl& s = *impl_;
  if (!s.open) {
    s.teardown();
    return {};
  }
  websocket::stream_base::timeout ws_timeouts{};
  ws_timeouts.handshake_timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::max(timeout, Millis{1}));
  ws_timeouts.idle_timeout = websocket::stream_base::none();
  ws_timeouts.keep_alive_pings = false;
  s.ws.set_option(ws_timeouts);
  websocket::close_reason why;
  why.code = code;
  const auto short_reason = reason.substr(0, 123);  // a close reason holds <= 123 bytes
  why.reason.assign(short_reason.data(), short_reason.size());
  bool done = false;
  ++s.pending_ops;
  s.ws.async_close(why, [&](beast::error_code) {
    --s.pending_ops;
    done = true;
  });
  // Beast reads up to the peer's close frame itself unless a read is pending, which then
  // completes; either way wait for both (bounded).
  const bool ok = run_until(s.ioc, [&] { return done && !s.read_pending; },
                            Clock::now() + timeout);
  s.read_done = false;
  s.teardown();
  if (!ok) return make_error(kTimeout, "close handshake timed out");
  return {};
}

void WsClient::abort() { impl_->teardown(); }

bool WsClient::is_open() const { return impl_->open; }

std::uint16_t WsClient::local_port() const { return impl_->local_port; }

const Headers& WsClient::upgrade_response_headers() const { return impl_->upgrade_headers; }

}  // namespace pnc::net
