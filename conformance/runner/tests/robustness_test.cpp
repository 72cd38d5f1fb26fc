// The runner against deliberately misbehaving peers: a SUT that never answers, sends garbage,
// closes mid-handshake, sends a 100 MiB frame, trickles bytes, or a shim that crashes, hangs,
// answers garbage or a 70 MiB line. Each must yield FAIL for that case with a clear reason, the
// run must go on with the next case, every wait must be bounded, and nothing may be left behind.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <functional>

#include "cases/catalogue.hpp"
#include "cases/challenge_session.hpp"
#include "cases/shim_session.hpp"
#include "core/engine.hpp"
#include "pnc/child_process.hpp"
#include "pnc/net/server.hpp"
#include "pnc/net/ws_frame.hpp"

namespace pnc::conf {
namespace {

using std::chrono::milliseconds;

// A WebSocket server whose handler misbehaves on the first text it receives.
class Hostile final : public net::WsHandler {
 public:
  explicit Hostile(std::function<void(net::WsConnection&)> act) : act_(std::move(act)) {}
  void on_text(net::WsConnection& conn, std::string) override { act_(conn); }
  void on_timer(net::WsConnection& conn) override {
    if (trickled_ < 64) {
      conn.send_raw(std::string(1, 'x'));
      ++trickled_;
      conn.set_timer(net::Millis(20));
    }
  }

 private:
  std::function<void(net::WsConnection&)> act_;
  int trickled_ = 0;
};

std::unique_ptr<net::Server> hostile_server(std::function<void(net::WsConnection&)> act) {
  net::ServerOptions o;
  o.ws = [act](const net::HttpRequest&) { return std::make_unique<Hostile>(act); };
  auto s = net::Server::start(o);
  EXPECT_TRUE(s.ok());
  return std::move(*s);
}

RunReport run_against(std::uint16_t port, const std::string& filter, milliseconds timeout = milliseconds(300)) {
  SutDescription sut;
  ChallengeSession session("127.0.0.1", port, sut);
  EngineOptions o;
  o.filter = filter;
  o.sut = &session.sut();
  o.session = &session;
  o.timeout = timeout;
  static const std::vector<Case> cases = challenge_cases();
  return run_cases(cases, o);
}

// The subject of HS-OK.validator is the handshake itself: FAIL. N-ENV-04 needs a working
// session first: BLOCKED (precondition failed), never blamed on its subject. The first-frame
// cases FAIL, or are BLOCKED when not even a connection could be opened.
void expect_all_fail_quickly(const RunReport& r, std::size_t n, milliseconds limit) {
  ASSERT_EQ(r.cases.size(), n);
  for (const auto& c : r.cases) {
    EXPECT_TRUE(c.verdict == Verdict::fail || c.verdict == Verdict::blocked) << c.id << " " << to_string(c.verdict);
    EXPECT_FALSE(c.observed.empty()) << c.id;
    if (c.id == "HS-OK.validator") {
      EXPECT_EQ(c.verdict, Verdict::fail) << c.observed;
    }
    if (c.id == "N-ENV-04") {
      EXPECT_EQ(c.verdict, Verdict::blocked) << c.observed;
      EXPECT_EQ(c.observed.rfind("precondition failed: ", 0), 0u) << c.observed;
    }
  }
  EXPECT_NE(r.exit_status(), 0);
  EXPECT_LT(r.duration_ms, limit.count());
}

const char* kSome = "HS-OK.validator,N-HS-01,N-HS-04.no-nonce,N-ENV-04";

TEST(Robustness, SilentSut) {
  auto s = hostile_server([](net::WsConnection&) {});
  const RunReport r = run_against(s->port(), kSome);
  expect_all_fail_quickly(r, 4, milliseconds(5000));
  EXPECT_NE(r.cases[1].observed.find("no answer"), std::string::npos) << r.cases[1].observed;
}

TEST(Robustness, GarbageSut) {
  auto s = hostile_server([](net::WsConnection& c) { c.send_text("\x01garbage{{{"); });
  const RunReport r = run_against(s->port(), kSome);
  expect_all_fail_quickly(r, 4, milliseconds(5000));
  EXPECT_NE(r.cases[0].observed.find("JSON"), std::string::npos) << r.cases[0].observed;
}

TEST(Robustness, SutClosingMidHandshake) {
  auto s = hostile_server([](net::WsConnection& c) { c.abort(); });
  const RunReport r = run_against(s->port(), kSome);
  expect_all_fail_quickly(r, 4, milliseconds(5000));
  EXPECT_NE(r.cases[1].observed.find("dropped"), std::string::npos) << r.cases[1].observed;
}

TEST(Robustness, SutSendingA100MiBFrame) {
  auto s = hostile_server([](net::WsConnection& c) {
    net::RawFrameSpec spec;
    spec.masked = false;
    spec.declared_length = 100ull * 1024 * 1024;
    const auto header = net::encode_ws_frame(spec, std::string(1024, 'a'));
    c.send_raw(std::string(header.begin(), header.end()));
  });
  const RunReport r = run_against(s->port(), kSome);
  expect_all_fail_quickly(r, 4, milliseconds(5000));
}

TEST(Robustness, SutTricklingBytes) {
  auto s = hostile_server([](net::WsConnection& c) {
    net::RawFrameSpec spec;
    spec.masked = false;
    spec.declared_length = 4096;
    const auto header = net::encode_ws_frame(spec, std::string());
    c.send_raw(std::string(header.begin(), header.end()));
    c.set_timer(net::Millis(20));  // then one byte every 20 ms (Hostile::on_timer)
  });
  const RunReport r = run_against(s->port(), kSome);
  expect_all_fail_quickly(r, 4, milliseconds(8000));
}

TEST(Robustness, NothingListening) {
  auto port = [] {
    net::ServerOptions o;
    auto s = net::Server::start(o);
    const auto p = (*s)->port();
    (*s)->stop();
    return p;
  }();
  const RunReport r = run_against(port, kSome);
  expect_all_fail_quickly(r, 4, milliseconds(5000));
  EXPECT_NE(r.cases[0].observed.find("cannot connect"), std::string::npos);
}

// ---- shim

RunReport run_shim(const std::string& mode, milliseconds timeout = milliseconds(500)) {
  ShimSession shim(std::string("python3 ") + PNC_RUNNER_TEST_DIR + "/misbehaving_shim.py " + mode, "", timeout);
  EXPECT_TRUE(shim.start().ok());
  auto cases = golden_vector_cases(PNC_VECTORS_DIR);
  EXPECT_TRUE(cases.ok());
  SutDescription sut;
  EngineOptions o;
  o.filter = "V1.x25519,V1.public,V2.open";
  o.sut = &sut;
  o.session = &shim;
  o.timeout = timeout;
  RunReport r = run_cases(*cases, o);
  shim.stop();
  return r;
}

TEST(Robustness, ShimCrashingIsRestartedForTheNextCase) {
  const RunReport r = run_shim("crash-second");
  ASSERT_EQ(r.cases.size(), 3u);
  for (const auto& c : r.cases) EXPECT_EQ(c.verdict, Verdict::fail) << c.id;
  EXPECT_NE(r.cases[0].observed.find("exited with status 3"), std::string::npos) << r.cases[0].observed;
}

TEST(Robustness, ShimHangingTimesOut) {
  const RunReport r = run_shim("hang", milliseconds(300));
  ASSERT_EQ(r.cases.size(), 3u);
  for (const auto& c : r.cases) EXPECT_EQ(c.verdict, Verdict::fail) << c.id;
  EXPECT_NE(r.cases[0].observed.find("no answer within 300 ms"), std::string::npos) << r.cases[0].observed;
  // Each case waits 300 ms, plus (after the first) restarting the interpreter of the shim.
  for (const auto& c : r.cases) EXPECT_LT(c.duration_ms, 300 + 10000) << c.id;
}

TEST(Robustness, ShimGarbageWrongIdAndHugeLines) {
  for (const char* mode : {"garbage", "wrong-id", "huge"}) {
    const RunReport r = run_shim(mode, milliseconds(3000));
    ASSERT_EQ(r.cases.size(), 3u) << mode;
    for (const auto& c : r.cases) EXPECT_EQ(c.verdict, Verdict::fail) << mode << " " << c.id << " " << c.observed;
  }
}

TEST(Robustness, GoodAnswersStillPassAfterABadOne) {
  const RunReport r = run_shim("good");
  ASSERT_EQ(r.cases.size(), 3u);
  EXPECT_EQ(r.cases[0].verdict, Verdict::pass) << r.cases[0].observed;
}

// ---- processes

TEST(Process, StopEndsTheWholeGroup) {
  auto child = ChildProcess::start("sleep 30 & sleep 30; wait", ChildProcess::Options{});
  ASSERT_TRUE(child.ok());
  const pid_t group = child->pid();
  EXPECT_TRUE(child->running());
  child->stop(milliseconds(200));
  EXPECT_FALSE(child->running());
  EXPECT_EQ(::kill(-group, 0), -1);  // no member of the group is left
}

TEST(Process, LineProtocolTimesOutAndSeesEof) {
  ChildProcess::Options o;
  o.pipe_stdio = true;
  auto child = ChildProcess::start("read x; echo \"got $x\"; sleep 30", o);
  ASSERT_TRUE(child.ok());
  ASSERT_TRUE(child->write_line("hi", milliseconds(500)).ok());
  auto line = child->read_line(milliseconds(2000), 1024);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*line, "got hi");
  auto none = child->read_line(milliseconds(100), 1024);
  EXPECT_EQ(none.error().code, "proc.timeout");
  child->stop(milliseconds(100));
  auto eof = ChildProcess::start("exit 0", o);
  ASSERT_TRUE(eof.ok());
  EXPECT_EQ(eof->read_line(milliseconds(2000), 1024).error().code, "proc.eof");
  EXPECT_EQ(expand_template("a {x} {y} {z", {{"x", "1"}, {"y", "2"}}), "a 1 2 {z");
}

}  // namespace
}  // namespace pnc::conf
