// Private helper of the blocking HTTP clients: one request written and one response read on an
// already connected Asio stream (TCP or Unix socket), under the caller's deadline and size limits.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <string_view>

#include "blocking_io.hpp"
#include "pnc/net/http_client.hpp"

namespace pnc::net::detail {

// Connects `socket` to `endpoint`; errors kTimeout / kConnectFailed. `pending` counts operations
// still in flight (so a timed-out caller can drain them after closing the socket).
template <class Socket, class Endpoint>
Status connect_before(boost::asio::io_context& ioc, Socket& socket, const Endpoint& endpoint,
                      int& pending, Clock::time_point deadline) {
  bool done = false;
  boost::system::error_code ec;
  ++pending;
  socket.async_connect(endpoint, [&](boost::system::error_code e) {
    --pending;
    done = true;
    ec = e;
  });
  if (!run_until(ioc, [&] { return done; }, deadline)) return make_error(kTimeout, "connect timed out");
  if (ec) return make_error(kConnectFailed, "connect failed: " + ec.message());
  return {};
}

// Writes `request` (Host, Connection: close and Content-Length added unless present), reads the
// response. Errors: kTimeout, kIo, kTooLarge. The socket is closed on return.
template <class Socket>
Result<HttpResponse> exchange(boost::asio::io_context& ioc, Socket& socket, int& pending,
                              std::string_view method, std::string_view target,
                              const Headers& headers, std::string_view host,
                              std::string_view body, Clock::time_point deadline,
                              const HttpClientOptions& options) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  auto drain_after_close = [&] {
    beast::error_code ignored;
    socket.close(ignored);
    run_until(ioc, [&] { return pending == 0; }, Clock::now() + kDrainLimit);
  };

  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  for (const auto& [name, value] : headers) request.insert(name, value);
  if (request.find(http::field::host) == request.end()) request.set(http::field::host, host);
  if (request.find(http::field::connection) == request.end()) {
    request.set(http::field::connection, "close");
  }
  request.body() = std::string(body);
  if (request.find(http::field::content_length) == request.end()) request.prepare_payload();

  bool done = false;
  beast::error_code ec;
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
  socket.shutdown(Socket::shutdown_both, ignored);
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

}  // namespace pnc::net::detail
