// Blocking HTTP/1.1 client over Boost.Beast with one deadline for the whole exchange.
#include "pnc/net/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "blocking_io.hpp"

namespace pnc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
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
  auto drain_after_close = [&] {
    beast::error_code ignored;
    socket.close(ignored);
    run_until(ioc, [&] { return pending == 0; }, Clock::now() + detail::kDrainLimit);
  };

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
    drain_after_close();
    return make_error(kTimeout, "connect timed out");
  }
  if (ec) return make_error(kConnectFailed, "connect failed: " + ec.message());
  socket.set_option(tcp::no_delay(true), ec);

  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  for (const auto& [name, value] : headers) request.insert(name, value);
  if (request.find(http::field::host) == request.end()) {
    request.set(http::field::host, url->host + ":" + std::to_string(url->port));
  }
  if (request.find(http::field::connection) == request.end()) {
    request.set(http::field::connection, "close");
  }
  request.body() = std::string(body);
  if (request.find(http::field::content_length) == request.end()) request.prepare_payload();

  done = false;
  ++pending;
  http::async_write(socket, request, [&](beast::error_code e, std::size_t) {
    --pending;
    done = true;
    ec = e;
  });
  if (!run_until(ioc, [&] { return done; }, deadline)) {
    drain_after_close();
    return make_error(kTimeout, "sending the request timed out");
  }
  if (ec) return make_error(kIo, "write failed: " + ec.message());

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_body);
  parser.header_limit(64 * 1024);
  done = false;
  ++pending;
  http::async_read(socket, buffer, parser, [&](beast::error_code e, std::size_t) {
    --pending;
    done = true;
    ec = e;
  });
  if (!run_until(ioc, [&] { return done; }, deadline)) {
    drain_after_close();
    return make_error(kTimeout, "waiting for the response timed out");
  }
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    return make_error(kTooLarge, "response exceeds the size limit");
  }
  if (ec) return make_error(kIo, "read failed: " + ec.message());

  auto& message = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(message.result_int());
  out.reason = std::string(message.reason());
  for (const auto& field : message) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(message.body());
  return out;
}

}  // namespace pnc::net
