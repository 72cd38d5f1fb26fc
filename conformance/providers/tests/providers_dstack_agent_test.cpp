// DstackQuoteProvider against a local Unix-socket server that answers like the guest agent: the
// request shape of the dstack SDKs (POST /GetQuote, JSON report_data hex), the real captured
// GetQuote answer of a dstack 0.6 agent (vectors/real-tdx/dstack/tdx-lite-getquote.json), and
// every way an agent can fail: absent, silent, refusing, huge, garbage, wrong quote.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_dstack_agent.hpp"
#include "pnc/providers/dstack_agent.hpp"
#include "pnc/providers/dstack_answer.hpp"
#include "pnc/providers/host_evidence.hpp"
#include "support/vectors.hpp"

namespace pnc::providers {
namespace {

using testing::FakeDstackAgent;
using namespace std::chrono_literals;

std::string socket_path(const char* name) {
  return (std::filesystem::temp_directory_path() / ("pnc-dstack-" + std::to_string(::getpid()) + "-" + name + ".sock")).string();
}

const nlohmann::json& real_answer() {
  static const auto doc = test::load_json("real-tdx/dstack/tdx-lite-getquote.json");
  return doc;
}

ByteArray<64> real_report_data() {
  ByteArray<64> rd{};
  const Bytes b = test::hex(real_answer()["report_data"].get<std::string>());
  std::copy_n(b.begin(), 64, rd.begin());
  return rd;
}

DstackQuoteProvider provider_for(const std::string& path, std::chrono::milliseconds timeout = 5000ms) {
  DstackAgentOptions o;
  o.socket_path = path;
  o.timeout = timeout;
  return DstackQuoteProvider(o);
}

TEST(DstackAgent, RealAnswerBecomesEvidenceAndTheRequestHasTheSdkShape) {
  const auto path = socket_path("real");
  FakeDstackAgent agent(path, [](const FakeDstackAgent::Request&) {
    return FakeDstackAgent::http(200, real_answer().dump());
  });
  auto provider = provider_for(path);
  auto ev = provider.get_quote(real_report_data());
  ASSERT_TRUE(ev.ok()) << ev.error().code << " " << ev.error().message;
  EXPECT_EQ(ev->quote, test::hex(real_answer()["quote"].get<std::string>()));
  EXPECT_EQ(ev->event_log, real_answer()["event_log"].get<std::string>());
  EXPECT_TRUE(ev->rtmrs.is_object());

  const auto requests = agent.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/GetQuote");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(requests[0].body),
            (nlohmann::json{{"report_data", real_answer()["report_data"]}}));
}

TEST(DstackAgent, AnAnswerForOtherReportDataIsRefused) {
  const auto path = socket_path("other");
  FakeDstackAgent agent(path, [](const FakeDstackAgent::Request&) {
    return FakeDstackAgent::http(200, real_answer().dump());
  });
  auto rd = real_report_data();
  rd[0] ^= 0x80;
  auto ev = provider_for(path).get_quote(rd);
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kReportDataMismatch);
}

TEST(DstackAgent, NoAgentIsUnreachable) {
  auto ev = provider_for(socket_path("nobody")).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kDstackUnreachable);
  auto too_long = provider_for("/tmp/" + std::string(200, 'x')).get_quote({});
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, kDstackUnreachable);
}

TEST(DstackAgent, SilentAgentTimesOut) {
  const auto path = socket_path("silent");
  FakeDstackAgent agent(path, [](const FakeDstackAgent::Request&) { return std::nullopt; });
  const auto start = std::chrono::steady_clock::now();
  auto ev = provider_for(path, 300ms).get_quote({});
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kDstackTimeout);
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 5s);
}

TEST(DstackAgent, RefusalIsAnHttpStatusErrorWithAPrintablePrefix) {
  const auto path = socket_path("refuse");
  FakeDstackAgent agent(path, [](const FakeDstackAgent::Request&) {
    return FakeDstackAgent::http(500, "TDX is not available\x1b[2J" + std::string(10000, 'x'), "text/plain");
  });
  auto ev = provider_for(path).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kDstackHttpStatus);
  EXPECT_NE(ev.error().message.find("HTTP 500: TDX is not available?[2J"), std::string::npos) << ev.error().message;
  EXPECT_LT(ev.error().message.size(), 200u);
}

TEST(DstackAgent, HugeAnswerIsCappedNotBuffered) {
  const auto path = socket_path("huge");
  FakeDstackAgent agent(path, [](const FakeDstackAgent::Request&) {
    return FakeDstackAgent::http(200, std::string(3 * 1024 * 1024, '{'));
  });
  auto ev = provider_for(path).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kDstackTooLarge);
}

TEST(DstackAgent, GarbageAnswersAreBadAnswers) {
  for (const std::string& body : {std::string("<html>hello</html>"), std::string(R"({"quote":"zz","event_log":"[]"})"),
                                  std::string(R"({"quote":"00","event_log":"not json"})")}) {
    const auto path = socket_path("garbage");
    FakeDstackAgent agent(path, [&](const FakeDstackAgent::Request&) { return FakeDstackAgent::http(200, body); });
    auto ev = provider_for(path).get_quote({});
    ASSERT_FALSE(ev.ok()) << body;
    EXPECT_EQ(ev.error().code, kDstackBadAnswer) << body;
  }
  // Not HTTP at all, and a connection closed without a word.
  for (const std::string& raw : {std::string("SSH-2.0-OpenSSH\r\n\r\n"), std::string()}) {
    const auto path = socket_path("raw");
    FakeDstackAgent agent(path, [&](const FakeDstackAgent::Request&) { return raw; });
    auto ev = provider_for(path).get_quote({});
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, kDstackUnreachable) << ev.error().message;
  }
}

TEST(DstackAgent, WellFormedAnswerWithAnInvalidQuoteIsABadQuote) {
  const auto path = socket_path("badquote");
  FakeDstackAgent agent(path, [](const FakeDstackAgent::Request&) {
    return FakeDstackAgent::http(200, R"({"quote":")" + std::string(2000, 'a') + R"(","event_log":"[]"})");
  });
  auto ev = provider_for(path).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kBadQuote);
}

}  // namespace
}  // namespace pnc::providers
