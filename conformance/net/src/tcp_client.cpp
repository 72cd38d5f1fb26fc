// Raw TCP client with deadlines, for robustness tests (garbage, trickle, silence).
#include "pnc/net/tcp_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "blocking_io.hpp"

namespace pnc::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using detail::Clock;
using detail::run_until;

struct TcpClient::Impl {
  asio::io_context ioc{1};
  tcp::socket socket{ioc};
  int pending = 0;
  bool read_pending = false;
  bool read_done = false;
  error_code read_ec;
  std::size_t read_n = 0;
  std::string read_buffer;
  bool peer_closed = false;

  void teardown() {
    error_code ignored;
    socket.close(ignored);
    run_until(ioc, [this] { return pending == 0; }, Clock::now() + detail::kDrainLimit);
  }
};

TcpClient::TcpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TcpClient::~TcpClient() {
  if (impl_) impl_->teardown();
}

Result<std::unique_ptr<TcpClient>> TcpClient::connect(std::string_view host, std::uint16_t port,
                                                      Millis timeout) {
  auto impl = std::make_unique<Impl>();
  Impl& s = *impl;
  const auto deadline = Clock::now() + timeout;
  error_code ec;
  const auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return make_error(kBadArgument, "host must be an IP literal");
  bool done = false;
  ++s.pending;
  s.socket.async_connect(tcp::endpoint(address, port), [&](error_code e) {
    --s.pending;
    done = true;
    ec = e;
  });
  if (!run_until(s.ioc, [&] { return done; }, deadline)) {
    s.teardown();
    return make_error(kTimeout, "connect timed out");
  }
  if (ec) return make_error(kConnectFailed, "connect failed: " + ec.message());
  s.socket.set_option(tcp::no_delay(true), ec);
  return std::unique_ptr<TcpClient>(new TcpClient(std::move(impl)));
}

Status TcpClient::send(std::string_view bytes, Millis timeout) {
  return send(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            bytes.size()),
              timeout);
}

Status TcpClient::send(std::span<const std::uint8_t> bytes, Millis timeout) {
  Impl& s = *impl_;
  if (!s.socket.is_open()) return make_error(kClosed, "connection closed");
  bool done = false;
  error_code result;
  ++s.pending;
  asio::async_write(s.socket, asio::buffer(bytes.data(), bytes.size()),
                    [&](error_code e, std::size_t) {
                      --s.pending;
                      done = true;
                      result = e;
                    });
  if (!run_until(s.ioc, [&] { return done; }, Clock::now() + timeout)) {
    s.teardown();
    return make_error(kTimeout, "send timed out");
  }
  if (result) return make_error(kIo, "send failed: " + result.message());
  return {};
}

Result<std::string> TcpClient::receive_some(Millis timeout, std::size_t max_bytes) {
  Impl& s = *impl_;
  if (s.peer_closed) return make_error(kClosed, "peer closed");
  if (!s.socket.is_open()) return make_error(kClosed, "connection closed");
  if (!s.read_pending && !s.read_done) {
    s.read_buffer.assign(std::max<std::size_t>(max_bytes, 1), '\0');
    s.read_pending = true;
    ++s.pending;
    s.socket.async_read_some(asio::buffer(s.read_buffer), [&s](error_code e, std::size_t n) {
      --s.pending;
      s.read_pending = false;
      s.read_done = true;
      s.read_ec = e;
      s.read_n = n;
    });
  }
  if (!run_until(s.ioc, [&] { return s.read_done; }, Clock::now() + timeout)) {
    return std::string();
  }
  s.read_done = false;
  if (s.read_ec) {
    s.peer_closed = true;
    return make_error(kClosed, "peer closed: " + s.read_ec.message());
  }
  return s.read_buffer.substr(0, s.read_n);
}

bool TcpClient::wait_closed(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    auto got = receive_some(std::max(left, Millis{1}));
    if (!got) return true;
  }
  return impl_->peer_closed;
}

void TcpClient::close() { impl_->teardown(); }

}  // namespace pnc::net
