// Private helper of the blocking clients: run a private io_context until a condition holds or a
// deadline passes. Every blocking call of pnc_net goes through here, so none can wait forever.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pnc/net/types.hpp"

namespace pnc::net::detail {

using Clock = std::chrono::steady_clock;

template <class Done>
bool run_until(boost::asio::io_context& ioc, Done&& done, Clock::time_point deadline) {
  while (!done()) {
    const auto now = Clock::now();
    if (now >= deadline) return false;
    if (ioc.stopped()) ioc.restart();
    if (ioc.run_one_for(deadline - now) == 0 && ioc.stopped() && !done()) {
      return false;  // no work left that could ever satisfy `done`
    }
  }
  return true;
}

// Waiting for cancelled operations to report: they complete promptly once the socket is closed.
inline constexpr std::chrono::seconds kDrainLimit{5};

// Host → endpoints. IP literals and "localhost" need no resolver: Asio's asynchronous resolver
// starts a thread per io_context, which the per-connection hot path must not pay for.
inline Result<std::vector<boost::asio::ip::tcp::endpoint>> resolve(boost::asio::io_context& ioc,
                                                                   const std::string& host,
                                                                   std::uint16_t port,
                                                                   Clock::time_point deadline) {
  using boost::asio::ip::tcp;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (!ec) return std::vector<tcp::endpoint>{tcp::endpoint(address, port)};
  tcp::resolver resolver(ioc);
  bool done = false;
  std::vector<tcp::endpoint> out;
  resolver.async_resolve(host, std::to_string(port),
                         [&](boost::system::error_code e, tcp::resolver::results_type r) {
                           done = true;
                           ec = e;
                           for (const auto& entry : r) out.push_back(entry.endpoint());
                         });
  if (!run_until(ioc, [&] { return done; }, deadline)) {
    resolver.cancel();
    run_until(ioc, [&] { return done; }, Clock::now() + kDrainLimit);
    return make_error(kTimeout, "resolve timed out");
  }
  if (ec || out.empty()) return make_error(kConnectFailed, "cannot resolve " + host);
  return out;
}

}  // namespace pnc::net::detail
