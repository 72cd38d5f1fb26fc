// pnc_net HTTP client + server and raw TCP on loopback: round trips, limits, timeouts, garbage.
#include <gtest/gtest.h>

#include <thread>

#include "echo_server.hpp"

namespace pnc::net {
namespace {

using test::EchoCounters;
using test::http_url;

constexpr Millis kWait{5000};

std::unique_ptr<Server> start(ServerOptions options) {
  auto server = Server::start(std::move(options));
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message);
  return server.ok() ? std::move(server.value()) : nullptr;
}

TEST(NetHttp, RequestRoundTrip) {
  auto server = start(test::echo_options(std::make_shared<EchoCounters>()));
  ASSERT_TRUE(server);
  auto r = http_request(http_url(*server), "POST", "/hello?q=1", {{"X-Test", "1"}}, "abc", kWait);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"method":"POST","body":"abc"})");
  EXPECT_EQ(find_header(r->headers, "content-type").value_or(""), "application/json");
  auto missing = http_request(http_url(*server), "GET", "/nothing", {}, "", kWait);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST(NetHttp, ServerSeesExactTargetHeadersAndBody) {
  HttpRequest seen;
  std::mutex mu;
  ServerOptions options;
  options.http = [&](const HttpRequest& r) {
    std::lock_guard lock(mu);
    seen = r;
    return json_response(201, "{}");
  };
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  auto r = http_request(http_url(*server), "POST", "/a/%2e%2e/b?x=y",
                        {{"X-Nonce", "n1"}, {"X-Nonce", "n2"}}, std::string("\0b", 2), kWait);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 201);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/a/%2e%2e/b?x=y");
  EXPECT_EQ(seen.path(), "/a/%2e%2e/b");
  EXPECT_EQ(seen.body, std::string("\0b", 2));
  int nonces = 0;
  for (const auto& [k, v] : seen.headers) nonces += (k == "X-Nonce");
  EXPECT_EQ(nonces, 2);
  EXPECT_EQ(seen.remote.rfind("127.0.0.1:", 0), 0u);
}

TEST(NetHttp, BodyOverLimitGets413) {
  ServerOptions options = test::echo_options(std::make_shared<EchoCounters>());
  options.http_max_body = 1000;
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  auto ok = http_request(http_url(*server), "POST", "/hello", {}, std::string(1000, 'a'), kWait);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  auto big = http_request(http_url(*server), "POST", "/hello", {}, std::string(1001, 'a'), kWait);
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(big->status, 413);
}

TEST(NetHttp, ClientTimesOutOnASlowHandler) {
  ServerOptions options;
  options.http = [](const HttpRequest&) {
    std::this_thread::sleep_for(Millis{1500});
    return json_response(200, "{}");
  };
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = http_request(http_url(*server), "GET", "/", {}, "", Millis{200});
  const auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kTimeout);
  EXPECT_LT(waited, Millis{1200});
}

TEST(NetHttp, ClientResponseLimit) {
  ServerOptions options;
  options.http = [](const HttpRequest&) { return json_response(200, std::string(5000, 'z')); };
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  HttpClientOptions limits;
  limits.max_response_body = 4999;
  auto r = http_request(http_url(*server), "GET", "/", {}, "", kWait, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kTooLarge);
}

TEST(NetHttp, HandlerExceptionBecomes500) {
  ServerOptions options;
  options.http = [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); };
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  auto r = http_request(http_url(*server), "GET", "/", {}, "", kWait);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
}

TEST(NetTcp, GarbageGets400AndClose) {
  auto server = start(test::echo_options(std::make_shared<EchoCounters>()));
  ASSERT_TRUE(server);
  auto tcp = TcpClient::connect("127.0.0.1", server->port(), kWait);
  ASSERT_TRUE(tcp.ok());
  ASSERT_TRUE((*tcp)->send(std::string("\x16\x03\x01\x02\x00 garbage\r\n\r\n"), kWait).ok());
  auto answer = (*tcp)->receive_some(kWait);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->rfind("HTTP/1.1 400", 0), 0u) << *answer;
  EXPECT_TRUE((*tcp)->wait_closed(kWait));
}

TEST(NetTcp, SilentAndTrickledConnectionsAreDropped) {
  ServerOptions options = test::echo_options(std::make_shared<EchoCounters>());
  options.http_request_timeout = Millis{300};
  auto server = start(std::move(options));
  ASSERT_TRUE(server);
  auto silent = TcpClient::connect("127.0.0.1", server->port(), kWait);
  auto trickle = TcpClient::connect("127.0.0.1", server->port(), kWait);
  ASSERT_TRUE(silent.ok() && trickle.ok());
  const std::string request = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::size_t i = 0; i < 5; ++i) {  // 5 bytes in 500 ms: never a whole request in time
    (void)(*trickle)->send(request.substr(i, 1), kWait);  // fails once the server gave up
    std::this_thread::sleep_for(Millis{100});
  }
  EXPECT_TRUE((*silent)->wait_closed(kWait));
  EXPECT_TRUE((*trickle)->wait_closed(kWait));
}

TEST(NetTcp, KeepAliveServesSeveralRequests) {
  auto server = start(test::echo_options(std::make_shared<EchoCounters>()));
  ASSERT_TRUE(server);
  auto tcp = TcpClient::connect("127.0.0.1", server->port(), kWait);
  ASSERT_TRUE(tcp.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*tcp)->send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", kWait).ok());
    auto answer = (*tcp)->receive_some(kWait);
    ASSERT_TRUE(answer.ok());
    EXPECT_EQ(answer->rfind("HTTP/1.1 200", 0), 0u);
  }
}

}  // namespace
}  // namespace pnc::net
