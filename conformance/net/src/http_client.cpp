// Blocking HTTP/1.1 clients over Boost.Beast with one deadline for the whole exchange: TCP, and a
// local Unix stream socket (the way a guest agent such as dstack's is reached).
#include "pnc/net/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "http_exchange.hpp"

namespace pnc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using detail::Clock;
using detail::run_until;

Result<HttpResponse> http_request(std::string_view base_url, std::string_view method,
                                  std::string_view target, const Headers& headers,
                                  std::string_view body, Millis timeout,
                                  const HttpClientOptions& options) {
  auto url = parse_url(base_url);
  if (!url) return url.error();
  if (url->scheme != "http") return make_error(kBadUrl, "HTTP URL must start with http://");
  if (method.empty() || target.empty()) return make_error(kBadArgument, "empty method or target");
  const auto deadline = Clock::now() + timeout;

  asio::io_context ioc{1};
  tcp::socket socket(ioc);
  int pending = 0;
  bool done = false;
  beast::error_code ec;
  auto endpoints = detail::resolve(ioc, url->host, url->port, deadline);
  if (!endpoints) return endpoints.error();
  ++pending;
  asio::async_connect(socket, *endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    --pending;
    done = true;
    ec = e;
  });
  if (!run_until(ioc, [&] { return done; }, deadline)) {
    beast::error_code ignored;
    socket.close(ignored);
    run_until(ioc, [&] { return pending == 0; }, Clock::now() + detail::kDrainLimit);
    return make_error(kTimeout, "connect timed out");
  }
  if (ec) return make_error(kConnectFailed, "connect failed: " + ec.message());
  socket.set_option(tcp::no_delay(true), ec);
  return detail::exchange(ioc, socket, pending, method, target, headers,
                          url->host + ":" + std::to_string(url->port), body, deadline, options);
}

Result<HttpResponse> http_request_unix(std::string_view socket_path, std::string_view method,
                                       std::string_view target, const Headers& headers,
                                       std::string_view body, Millis timeout,
                                       const HttpClientOptions& options) {
  using local = asio::local::stream_protocol;
  if (socket_path.empty() || socket_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return make_error(kBadArgument, "Unix socket path empty or too long");
  }
  if (method.empty() || target.empty()) return make_error(kBadArgument, "empty method or target");
  const auto deadline = Clock::now() + timeout;

  asio::io_context ioc{1};
  local::socket socket(ioc);
  int pending = 0;
  auto connected = detail::connect_before(ioc, socket, local::endpoint(std::string(socket_path)),
                                          pending, deadline);
  if (!connected) {
    beast::error_code ignored;
    socket.close(ignored);
    run_until(ioc, [&] { return pending == 0; }, Clock::now() + detail::kDrainLimit);
    return connected.error();
  }
  // Host names the service, not a network address (as curl --unix-socket and httpx send it).
  return detail::exchange(ioc, socket, pending, method, target, headers, "localhost", body,
                          deadline, options);
}

}  // namespace pnc::net
