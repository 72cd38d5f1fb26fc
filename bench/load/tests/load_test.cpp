// pnc-bench against a small in-process challenge (loopback, kernel-chosen port, tiny counts): the
// counts add up, nothing fails, the reports are well formed; argument checks and a refused target
// give values, not crashes. No timing is asserted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "load.hpp"
#include "mini_challenge.hpp"
#include "pnc/net/server.hpp"

namespace pnc::load {
namespace {

const Bytes kSeed(32, 0x42);
const std::string kToken = "session_bench_test";

LoadOptions small_ws(const std::string& url) {
  LoadOptions o;
  o.url = url;
  o.connections = 3;
  o.requests_per_connection = 2;
  o.count = 9;
  o.timeout = std::chrono::milliseconds(5000);
  o.progress = false;
  return o;
}

TEST(Validate, LoopbackOnlyUnlessAllowed) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("127.example.com"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  LoadOptions o = small_ws("ws://192.0.2.1:9/sdk/ws");
  auto st = validate(o);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "bench.remote_target");
  o.allow_remote = true;
  EXPECT_TRUE(validate(o));
}

TEST(Validate, NeedsALimitASchemeAndASignerForHttp) {
  LoadOptions o = small_ws("ws://127.0.0.1:9/sdk/ws");
  o.count = 0;
  EXPECT_EQ(validate(o).error().code, "bench.no_limit");
  o.duration_seconds = 1;
  EXPECT_TRUE(validate(o));
  o.mode = Mode::http;
  EXPECT_EQ(validate(o).error().code, "bench.bad_url");
  o.url = "http://127.0.0.1:9";
  EXPECT_EQ(validate(o).error().code, "bench.no_signer");
  o.session_token = kToken;
  o.signer_seed = kSeed;
  EXPECT_TRUE(validate(o));
  o.url = "not a url";
  EXPECT_EQ(validate(o).error().code, "bench.bad_url");
}

TEST(Percentiles, NearestRank) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  auto p = percentiles(v);
  EXPECT_EQ(p.samples, 100u);
  EXPECT_DOUBLE_EQ(p.p50_ms, 50);
  EXPECT_DOUBLE_EQ(p.p90_ms, 90);
  EXPECT_DOUBLE_EQ(p.p99_ms, 99);
  EXPECT_DOUBLE_EQ(p.max_ms, 100);
  EXPECT_DOUBLE_EQ(p.mean_ms, 50.5);
  EXPECT_EQ(percentiles({}).samples, 0u);
}

TEST(Run, WsHandshakesAndRoundTripsAgainstAnInProcessChallenge) {
  for (Profile profile : {Profile::seed_spec, Profile::hardened, Profile::sdk_compat}) {
    SCOPED_TRACE(std::string(to_string(profile)));
    auto mc = test::MiniChallenge::start(profile, kSeed, kToken);
    ASSERT_TRUE(mc);
    LoadOptions o = small_ws(mc->ws_url());
    o.profile = profile;
    const LoadResult r = run(o);
    EXPECT_TRUE(r.errors.empty()) << console_table(r);
    EXPECT_EQ(r.attempts, 9u);
    EXPECT_EQ(r.connections_ok, 9u);
    EXPECT_EQ(r.handshakes_ok, 9u);
    EXPECT_EQ(r.round_trips_ok, 18u);
    EXPECT_EQ(r.handshake_ms.size(), 9u);
    EXPECT_EQ(r.round_trip_ms.size(), 18u);

    auto j = nlohmann::json::parse(to_json(r));
    EXPECT_EQ(j["connections_ok"], 9);
    EXPECT_EQ(j["errors_total"], 0);
    EXPECT_EQ(j["latency"]["handshake"]["samples"], 9);
    std::uint64_t in_timeline = 0;
    for (const auto& p : j["timeline"]["points"]) in_timeline += p["connections"].get<std::uint64_t>();
    EXPECT_EQ(in_timeline, 9u);
    const std::string html = to_html(r);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);  // self-contained, static
    EXPECT_EQ(html.find("http://www.w3.org/2000/svg"), html.find("http"));  // no other link
  }
}

TEST(Run, PlatformApiLikeClientWithoutQuote) {
  auto mc = test::MiniChallenge::start(Profile::seed_spec, kSeed, kToken);
  ASSERT_TRUE(mc);
  LoadOptions o = small_ws(mc->ws_url());
  o.client_quote = false;
  const LoadResult r = run(o);
  EXPECT_TRUE(r.errors.empty()) << console_table(r);
  EXPECT_EQ(r.connections_ok, 9u);
}

TEST(Run, SignedHttpAgainstWeights) {
  auto mc = test::MiniChallenge::start(Profile::seed_spec, kSeed, kToken);
  ASSERT_TRUE(mc);
  LoadOptions o;
  o.mode = Mode::http;
  o.url = mc->http_url();
  o.connections = 2;
  o.count = 10;
  o.session_token = kToken;
  o.signer_seed = kSeed;
  o.progress = false;
  ASSERT_TRUE(validate(o));
  const LoadResult r = run(o);
  EXPECT_TRUE(r.errors.empty()) << console_table(r);
  EXPECT_EQ(r.round_trips_ok, 10u);

  // An untrusted signer is refused by the challenge: counted by kind, not fatal.
  o.signer_seed = Bytes(32, 0x01);
  o.count = 3;
  const LoadResult bad = run(o);
  EXPECT_EQ(bad.round_trips_ok, 0u);
  EXPECT_EQ(bad.errors.at("http.401"), 3u);
}

TEST(Run, HoldKeepsEveryConnectionOpenAtOnce) {
  auto mc = test::MiniChallenge::start(Profile::seed_spec, kSeed, kToken);
  ASSERT_TRUE(mc);
  LoadOptions o = small_ws(mc->ws_url());
  o.count = 3;
  o.requests_per_connection = 1;
  o.hold = std::chrono::milliseconds(3000);
  o.server_pid = static_cast<int>(::getpid());
  const LoadResult r = run(o);
  EXPECT_TRUE(r.errors.empty()) << console_table(r);
  EXPECT_EQ(r.held_connections, 3u);
  EXPECT_TRUE(r.server_rss_peak_held.has_value());
  EXPECT_TRUE(r.server_cpu_seconds.has_value());
}

TEST(Run, RefusedTargetGivesErrorsByKind) {
  std::uint16_t port = 0;
  {
    // A port that was just free: nothing listens on it any more.
    net::ServerOptions so;
    auto s = net::Server::start(so);
    ASSERT_TRUE(s);
    port = (*s)->port();
  }
  LoadOptions o = small_ws("ws://127.0.0.1:" + std::to_string(port) + "/sdk/ws");
  o.count = 4;
  o.timeout = std::chrono::milliseconds(2000);
  const LoadResult r = run(o);
  EXPECT_EQ(r.connections_ok, 0u);
  EXPECT_EQ(r.total_errors(), 4u);
  EXPECT_FALSE(console_table(r).empty());
}

}  // namespace
}  // namespace pnc::load
