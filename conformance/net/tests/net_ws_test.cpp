// pnc_net WebSocket client + server on loopback: round trips, timeouts, size limits, close codes,
// hostile framing, graceful stop, concurrency.
#include <gtest/gtest.h>

#include <dirent.h>

#include <thread>
#include <vector>

#include "echo_server.hpp"

namespace pnc::net {
namespace {

using test::EchoCounters;
using test::echo_options;
using test::ws_url;

constexpr Millis kWait{5000};

std::unique_ptr<Server> start_echo(std::shared_ptr<EchoCounters> counters,
                                   ServerOptions options = {}) {
  auto base = echo_options(std::move(counters));
  base.ws_max_message = options.ws_max_message;
  base.ws_idle_timeout = options.ws_idle_timeout;
  base.http_request_timeout = options.http_request_timeout;
  auto server = Server::start(std::move(base));
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message);
  return server.ok() ? std::move(server.value()) : nullptr;
}

std::unique_ptr<WsClient> connect(const Server& server, WsClientOptions options = {}) {
  auto client = WsClient::connect(ws_url(server), kWait, std::move(options));
  EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
  return client.ok() ? std::move(client.value()) : nullptr;
}

int thread_count() {
  int n = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* e = readdir(dir)) {
      if (e->d_name[0] != '.') ++n;
    }
    closedir(dir);
  }
  return n;
}

TEST(NetUrl, ParsesHostPortAndTarget) {
  auto url = parse_url("ws://127.0.0.1:8080/sdk/ws?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "ws");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/sdk/ws?x=1");
  EXPECT_EQ(parse_url("http://[::1]:9/")->host, "::1");
  EXPECT_EQ(parse_url("http://h")->target, "/");
  EXPECT_FALSE(parse_url("https://h/").ok());
  EXPECT_FALSE(parse_url("ws://h:99999/").ok());
  EXPECT_FALSE(parse_url("ws://:1/").ok());
  EXPECT_FALSE(parse_url("nonsense").ok());
}

TEST(NetWs, TextAndBinaryRoundTrip) {
  auto counters = std::make_shared<EchoCounters>();
  auto server = start_echo(counters);
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_text("hello", kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::text);
  EXPECT_EQ(f.data, "hello");
  const std::vector<std::uint8_t> bytes = {0, 1, 2, 255};
  ASSERT_TRUE(client->send_binary(bytes, kWait).ok());
  f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::binary);
  EXPECT_EQ(f.data, std::string("\x00\x01\x02\xff", 4));
  EXPECT_TRUE(client->close(1000, "done", kWait).ok());
  EXPECT_FALSE(client->is_open());
  server->stop();
  EXPECT_EQ(counters->closed.load(), 1);
  EXPECT_EQ(counters->last_close_code.load(), 1000);
}

TEST(NetWs, ReceiveTimeoutIsNonDestructive) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  const auto t0 = std::chrono::steady_clock::now();
  Frame f = client->receive(Millis{150});
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(f.kind, FrameKind::timeout);
  EXPECT_GE(waited, Millis{140});
  EXPECT_LT(waited, Millis{2000});
  ASSERT_TRUE(client->send_text("after-timeout", kWait).ok());
  f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::text);
  EXPECT_EQ(f.data, "after-timeout");
}

TEST(NetWs, ServerCloseCodeReachesClient) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_text("close:1008", kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1008);
  EXPECT_EQ(f.close_reason, "bye");
  EXPECT_FALSE(client->is_open());
  EXPECT_FALSE(client->send_text("x", kWait).ok());
}

TEST(NetWs, ServerTimerFires) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_text("timer:100", kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1008);
}

TEST(NetWs, OversizedMessageClosesWith1009) {
  auto counters = std::make_shared<EchoCounters>();
  auto server = start_echo(counters);
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_text("limit:1024", kWait).ok());
  ASSERT_EQ(client->receive(kWait).data, "ok");
  ASSERT_TRUE(client->send_text(std::string(1024, 'a'), kWait).ok());  // exactly at the limit
  EXPECT_EQ(client->receive(kWait).data.size(), 1024u);
  (void)client->send_text(std::string(1025, 'a'), kWait);
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1009);
}

TEST(NetWs, LargeOversizedMessageStillGetsTheCloseCode) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_text("limit:1024", kWait).ok());
  ASSERT_EQ(client->receive(kWait).data, "ok");
  auto sent = client->send_text(std::string(4 * kMiB, 'a'), kWait);
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close) << f.error << " " << (sent.ok() ? "" : sent.error().message);
  EXPECT_EQ(f.close_code, 1009);
}

TEST(NetWs, HundredMebibyteFrameHeaderIsRefusedWithoutReadingIt) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  RawFrameSpec spec;
  spec.declared_length = 100ull * kMiB;
  ASSERT_TRUE(client->send_raw_bytes(encode_ws_frame(spec, "only a few bytes"), kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1009);
}

TEST(NetWs, ClientLimitClosesWith1009) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  WsClientOptions options;
  options.max_message = 100;
  auto client = connect(*server, options);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_text("big:101", kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::error);
  EXPECT_EQ(f.close_code, 1009);
  EXPECT_FALSE(client->is_open());
}

TEST(NetWs, UnmaskedClientFrameIsAProtocolError) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  RawFrameSpec spec;
  spec.masked = false;
  ASSERT_TRUE(client->send_raw_bytes(encode_ws_frame(spec, "unmasked"), kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1002);
}

TEST(NetWs, InvalidUtf8TextIsClosedWith1007) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send_raw_bytes(encode_ws_frame({}, "\xff\xfe"), kWait).ok());
  Frame f = client->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1007);
}

TEST(NetWs, IdleConnectionIsDropped) {
  auto counters = std::make_shared<EchoCounters>();
  ServerOptions options;
  options.ws_idle_timeout = Millis{200};
  auto server = start_echo(counters, options);
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  Frame f = client->receive(kWait);
  EXPECT_NE(f.kind, FrameKind::timeout);  // the server gave up on the silent client
  EXPECT_NE(f.kind, FrameKind::text);
}

TEST(NetWs, UnknownPathIsRejected) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto client = WsClient::connect(ws_url(*server, "/nope"), kWait);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, kUpgradeRejected);
  EXPECT_NE(client.error().message.find("404"), std::string::npos);
}

TEST(NetWs, ConnectToClosedPortFails) {
  std::uint16_t port = 0;
  {
    auto server = start_echo(std::make_shared<EchoCounters>());
    ASSERT_TRUE(server);
    port = server->port();
  }
  auto client = WsClient::connect("ws://127.0.0.1:" + std::to_string(port) + "/echo", kWait);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, kConnectFailed);
}

TEST(NetWs, ClientAbortIsSeenByServer) {
  auto counters = std::make_shared<EchoCounters>();
  auto server = start_echo(counters);
  ASSERT_TRUE(server);
  auto client = connect(*server);
  ASSERT_TRUE(client);
  client->abort();
  // The handler's close callback and the server's connection count are updated one after the
  // other on the server's thread: wait for both.
  for (int i = 0; i < 100 && (counters->closed.load() == 0 || server->active_connections() != 0); ++i) {
    std::this_thread::sleep_for(Millis{20});
  }
  EXPECT_EQ(counters->closed.load(), 1);
  EXPECT_EQ(server->active_connections(), 0u);
}

TEST(NetWs, StopClosesOpenConnectionsWith1001AndJoinsThreads) {
  const int threads_before = thread_count();
  auto counters = std::make_shared<EchoCounters>();
  auto server = start_echo(counters);
  ASSERT_TRUE(server);
  auto a = connect(*server);
  auto b = connect(*server);
  ASSERT_TRUE(a && b);
  EXPECT_GT(thread_count(), threads_before);
  std::thread stopper([&] { server->stop(); });
  Frame fa = a->receive(kWait);
  Frame fb = b->receive(kWait);
  stopper.join();
  EXPECT_EQ(fa.kind, FrameKind::close);
  EXPECT_EQ(fa.close_code, 1001);
  EXPECT_EQ(fb.close_code, 1001);
  EXPECT_EQ(counters->closed.load(), 2);
  EXPECT_EQ(server->active_connections(), 0u);
  EXPECT_EQ(thread_count(), threads_before);
  EXPECT_FALSE(WsClient::connect(ws_url(*server), Millis{1000}).ok());
}

TEST(NetWs, StopDropsClientsThatNeverAnswerTheClose) {
  auto server = start_echo(std::make_shared<EchoCounters>());
  ASSERT_TRUE(server);
  auto tcp = TcpClient::connect("127.0.0.1", server->port(), kWait);
  ASSERT_TRUE(tcp.ok());
  // A client that upgrades and then never reads again.
  ASSERT_TRUE((*tcp)->send("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n",
                           kWait)
                  .ok());
  auto answer = (*tcp)->receive_some(kWait);
  ASSERT_TRUE(answer.ok());
  EXPECT_NE(answer->find("101"), std::string::npos);
  const auto t0 = std::chrono::steady_clock::now();
  server->stop(Millis{300});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(8));
  EXPECT_EQ(server->active_connections(), 0u);
}

TEST(NetWs, TwoHundredFiftySixConcurrentConnections) {
  auto counters = std::make_shared<EchoCounters>();
  auto server = start_echo(counters);
  ASSERT_TRUE(server);
  constexpr int kThreads = 16;
  constexpr int kPerThread = 16;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::unique_ptr<WsClient>> clients;
      for (int i = 0; i < kPerThread; ++i) {
        auto c = WsClient::connect(ws_url(*server), Millis{10000});
        if (c.ok()) clients.push_back(std::move(c.value()));
      }
      for (std::size_t i = 0; i < clients.size(); ++i) {
        const std::string msg = "m" + std::to_string(t) + "_" + std::to_string(i);
        if (!clients[i]->send_text(msg, Millis{10000}).ok()) continue;
        Frame f = clients[i]->receive(Millis{10000});
        if (f.kind == FrameKind::text && f.data == msg) ++good;
      }
      for (auto& c : clients) (void)c->close(1000, "", Millis{5000});
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), kThreads * kPerThread);
  EXPECT_EQ(counters->opened.load(), kThreads * kPerThread);
  server->stop();
  EXPECT_EQ(counters->closed.load(), kThreads * kPerThread);
}

TEST(NetWs, AcceptQueueScriptsTheServerSide) {
  WsAcceptQueue queue([](const HttpRequest& r) { return r.path() == "/sdk/ws"; });
  ServerOptions options;
  options.ws = queue.factory();
  auto server = Server::start(std::move(options));
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(queue.accept(Millis{50}), nullptr);
  auto client = WsClient::connect(ws_url(**server, "/sdk/ws"), kWait);
  ASSERT_TRUE(client.ok());
  auto peer = queue.accept(kWait);
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(peer->upgrade_request().path(), "/sdk/ws");
  EXPECT_EQ(peer->receive(Millis{50}).kind, FrameKind::timeout);
  ASSERT_TRUE((*client)->send_text("ping", kWait).ok());
  Frame f = peer->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::text);
  EXPECT_EQ(f.data, "ping");
  peer->send_text("pong");
  EXPECT_EQ((*client)->receive(kWait).data, "pong");
  peer->close(1003, "no");
  f = (*client)->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close);
  EXPECT_EQ(f.close_code, 1003);
  f = peer->receive(kWait);
  EXPECT_EQ(f.kind, FrameKind::close) << f.error;
  EXPECT_EQ(f.close_code, 1003);  // the client echoed our code
}

}  // namespace
}  // namespace pnc::net
