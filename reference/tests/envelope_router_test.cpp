// The per-connection router of PROTOCOL.md §5.5: message_id format, correlation by
// message_id -> query_id -> payload.query_id, error responses, 30-s timeouts on an injected
// FixedClock, cancel-all on close and dispatch by type.
#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "pnc/router.hpp"

namespace {

using pnc::Profile;
using pnc::Result;
using pnc::router::Router;
using Json = nlohmann::json;

struct Fixture {
  pnc::DeterministicRng rng{std::uint64_t{1}};
  pnc::FixedClock clock{1'700'000'000};
  Router router;
  explicit Fixture(Profile p = Profile::seed_spec) : router(p, rng, clock) {}
};

// Records the single completion of a request.
struct Capture {
  int calls = 0;
  std::optional<Result<Json>> result;
  pnc::router::Completion fn() {
    return [this](Result<Json> r) {
      ++calls;
      result.emplace(std::move(r));
    };
  }
};

std::string id_of(const Json& m) { return m.at("message_id").get<std::string>(); }

TEST(RouterIds, SdkFormatWithPerRouterCounterFromOne) {
  Fixture f;
  const std::regex format("^msg_([0-9]+)_[0-9a-f]{8}$");
  for (int n = 1; n <= 12; ++n) {
    auto m = f.router.stamp(Json{{"type", "orm_query"}});
    ASSERT_TRUE(m.ok());
    std::smatch match;
    std::string id = id_of(*m);
    ASSERT_TRUE(std::regex_match(id, match, format)) << id;
    EXPECT_EQ(match[1].str(), std::to_string(n));
  }
  Fixture other;  // a new connection starts again at 1
  auto m = other.router.stamp(Json{{"type", "x"}});
  EXPECT_EQ(id_of(*m).rfind("msg_1_", 0), 0u);
}

TEST(RouterIds, RandomSuffixDiffers) {
  Fixture f;
  auto a = f.router.stamp(Json{{"type", "x"}});
  auto b = f.router.stamp(Json{{"type", "x"}});
  EXPECT_NE(id_of(*a).substr(id_of(*a).size() - 8), id_of(*b).substr(id_of(*b).size() - 8));
}

TEST(RouterIds, ExistingMemberIsKeptAndCounterUntouched) {
  Fixture f;
  auto kept = f.router.stamp(Json{{"type", "x"}, {"message_id", "Q-1"}});
  EXPECT_EQ(kept->at("message_id"), "Q-1");
  auto null_kept = f.router.stamp(Json{{"type", "migrations_response"}, {"message_id", nullptr}});
  EXPECT_TRUE(null_kept->at("message_id").is_null());
  auto fresh = f.router.stamp(Json{{"type", "x"}});
  EXPECT_EQ(id_of(*fresh).rfind("msg_1_", 0), 0u);
}

TEST(RouterIds, NonObjectRejected) {
  Fixture f;
  auto r = f.router.stamp(Json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, pnc::router::kBadMessage);
}

TEST(RouterIds, ReplyEchoesMessageIdOrNull) {
  Json req = {{"type", "db_version_request"}, {"message_id", "msg_3_abcdef01"}};
  Json resp = Router::reply_to(req, {{"type", "db_version_response"}, {"payload", {{"db_version", 1}}}});
  EXPECT_EQ(resp["message_id"], "msg_3_abcdef01");
  Json bare = Router::reply_to(Json{{"type", "migrations_request"}}, {{"type", "migrations_response"}});
  ASSERT_TRUE(bare.contains("message_id"));
  EXPECT_TRUE(bare["message_id"].is_null());
}

TEST(RouterCorrelation, ByMessageId) {
  Fixture f;
  Capture c;
  auto sent = f.router.request(Json{{"type", "db_version_request"}}, c.fn());
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(f.router.pending(), 1u);
  Json resp = {{"type", "db_version_response"}, {"message_id", id_of(*sent)}, {"payload", {{"db_version", 1}}}};
  auto d = f.router.receive(resp);
  EXPECT_TRUE(d.correlated);
  ASSERT_EQ(c.calls, 1);
  ASSERT_TRUE(c.result->ok());
  EXPECT_EQ(c.result->value(), resp);
  EXPECT_EQ(f.router.pending(), 0u);
  // A second copy correlates with nothing: the completion ran exactly once.
  EXPECT_FALSE(f.router.receive(resp).correlated);
  EXPECT_EQ(c.calls, 1);
}

TEST(RouterCorrelation, ByTopLevelQueryIdThenPayloadQueryId) {
  Fixture f;
  Capture top, nested;
  const std::string q1 = f.rng.uuid_v4(), q2 = f.rng.uuid_v4();
  ASSERT_TRUE(f.router.request(Json{{"type", "orm_query"}, {"message_id", q1}, {"payload", {{"query_id", q1}}}}, top.fn()).ok());
  ASSERT_TRUE(f.router.request(Json{{"type", "orm_query"}, {"message_id", q2}, {"payload", {{"query_id", q2}}}}, nested.fn()).ok());
  // VAL's orm_result carries only query_id.
  EXPECT_TRUE(f.router.receive(Json{{"type", "orm_result"}, {"query_id", q1}, {"result", {{"rows", Json::array()}}}}).correlated);
  EXPECT_TRUE(f.router.receive(Json{{"type", "orm_result"}, {"payload", {{"query_id", q2}}}}).correlated);
  EXPECT_TRUE(top.result && top.result->ok());
  EXPECT_TRUE(nested.result && nested.result->ok());
}

TEST(RouterCorrelation, MessageIdTakesPrecedenceEmptyFallsThrough) {
  Fixture f;
  Capture c;
  ASSERT_TRUE(f.router.request(Json{{"type", "orm_query"}, {"message_id", "Q"}}, c.fn()).ok());
  // A non-empty message_id that matches nothing wins over a matching query_id.
  EXPECT_FALSE(f.router.receive(Json{{"type", "orm_result"}, {"message_id", "other"}, {"query_id", "Q"}}).correlated);
  EXPECT_EQ(c.calls, 0);
  // An empty message_id falls through to query_id; so does a non-string one.
  EXPECT_EQ(Router::correlation_id(Json{{"message_id", ""}, {"query_id", "Q"}}), "Q");
  EXPECT_EQ(Router::correlation_id(Json{{"message_id", 5}, {"payload", {{"query_id", "P"}}}}), "P");
  EXPECT_EQ(Router::correlation_id(Json{{"type", "x"}}), "");
  EXPECT_EQ(Router::correlation_id(Json{{"payload", "not-an-object"}}), "");
  EXPECT_TRUE(f.router.receive(Json{{"type", "orm_result"}, {"message_id", ""}, {"query_id", "Q"}}).correlated);
  EXPECT_EQ(c.calls, 1);
}

TEST(RouterCorrelation, MessageWithoutTypeStillCorrelates) {
  Fixture f(Profile::sdk_compat);  // §5.3 R7 [COMPAT]
  Capture c;
  ASSERT_TRUE(f.router.request(Json{{"type", "orm_query"}, {"message_id", "Q"}}, c.fn()).ok());
  auto d = f.router.receive(Json{{"message_id", "Q"}, {"result", 1}});
  EXPECT_TRUE(d.correlated);
  EXPECT_EQ(d.handlers_run, 0u);
  ASSERT_TRUE(c.result && c.result->ok());
}

TEST(RouterErrors, ErrorTypeFailsTheRequestWithItsText) {
  Fixture f;
  Capture c;
  auto sent = f.router.request(Json{{"type", "orm_query"}}, c.fn());
  f.router.receive(Json{{"type", "error"}, {"message_id", id_of(*sent)}, {"error", "table not allowed"},
                        {"message", "table not allowed"}});
  ASSERT_TRUE(c.result.has_value());
  ASSERT_FALSE(c.result->ok());
  EXPECT_EQ(c.result->error().code, pnc::router::kPeerError);
  EXPECT_EQ(c.result->error().message, "table not allowed");
}

TEST(RouterErrors, MissingErrorTextDefaultsToUnknownError) {
  Fixture f;
  for (Json extra : {Json{{"message", "TDX verification required"}}, Json{{"error", nullptr}},
                     Json{{"error", 42}}, Json{{"error", ""}}}) {
    Capture c;
    auto sent = f.router.request(Json{{"type", "orm_query"}}, c.fn());
    Json err = {{"type", "error"}, {"query_id", id_of(*sent)}};  // VAL correlates by query_id
    err.update(extra);
    f.router.receive(err);
    ASSERT_TRUE(c.result.has_value());
    ASSERT_FALSE(c.result->ok());
    EXPECT_EQ(c.result->error().message, "Unknown error") << extra.dump();
  }
}

TEST(RouterTimeouts, ExpireAfterThirtySecondsOnTheInjectedClock) {
  Fixture f;
  Capture early, late;
  ASSERT_TRUE(f.router.request(Json{{"type", "orm_query"}}, early.fn()).ok());
  f.clock.advance(10);
  auto second = f.router.request(Json{{"type", "orm_query"}}, late.fn());
  f.clock.advance(19);  // t0 + 29
  EXPECT_EQ(f.router.expire(), 0u);
  f.clock.advance(1);   // t0 + 30: the first request times out
  EXPECT_EQ(f.router.expire(), 1u);
  ASSERT_TRUE(early.result.has_value());
  EXPECT_EQ(early.result->error().code, pnc::router::kTimeout);
  EXPECT_EQ(late.calls, 0);
  EXPECT_EQ(f.router.pending(), 1u);
  f.clock.advance(10);  // t0 + 40 = second + 30
  EXPECT_EQ(f.router.expire(), 1u);
  EXPECT_EQ(late.result->error().code, pnc::router::kTimeout);
  // A response after the timeout correlates with nothing.
  EXPECT_FALSE(f.router.receive(Json{{"type", "orm_result"}, {"message_id", id_of(*second)}}).correlated);
  EXPECT_EQ(late.calls, 1);
  EXPECT_EQ(pnc::router::kRequestTimeoutSeconds, 30);
}

TEST(RouterTimeouts, ClockGoingNowhereNeverExpires) {
  Fixture f;
  Capture c;
  ASSERT_TRUE(f.router.request(Json{{"type", "x"}}, c.fn()).ok());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(f.router.expire(), 0u);
  EXPECT_EQ(c.calls, 0);
}

TEST(RouterClose, CancelsEveryPendingRequestAndRefusesNewOnes) {
  Fixture f;
  Capture a, b;
  ASSERT_TRUE(f.router.request(Json{{"type", "x"}}, a.fn()).ok());
  ASSERT_TRUE(f.router.request(Json{{"type", "y"}}, b.fn()).ok());
  EXPECT_EQ(f.router.close(), 2u);
  EXPECT_TRUE(f.router.closed());
  EXPECT_EQ(a.result->error().code, pnc::router::kCancelled);
  EXPECT_EQ(b.result->error().code, pnc::router::kCancelled);
  EXPECT_EQ(f.router.pending(), 0u);
  Capture c;
  auto r = f.router.request(Json{{"type", "z"}}, c.fn());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, pnc::router::kClosed);
  EXPECT_EQ(c.calls, 0);
  EXPECT_EQ(f.router.expire(), 0u);
}

TEST(RouterClose, RoutersAreIndependentPerConnection) {
  // D-35 [SEED]: closing one connection cancels its own requests only.
  Fixture one, two;
  Capture a, b;
  ASSERT_TRUE(one.router.request(Json{{"type", "x"}}, a.fn()).ok());
  ASSERT_TRUE(two.router.request(Json{{"type", "x"}}, b.fn()).ok());
  two.router.close();
  EXPECT_EQ(a.calls, 0);
  EXPECT_EQ(b.calls, 1);
}

TEST(RouterRequests, DuplicateAndInvalidIds) {
  Fixture f;
  Capture a, b;
  ASSERT_TRUE(f.router.request(Json{{"type", "x"}, {"message_id", "same"}}, a.fn()).ok());
  auto dup = f.router.request(Json{{"type", "x"}, {"message_id", "same"}}, b.fn());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, pnc::router::kDuplicateId);
  for (Json bad : {Json(nullptr), Json(""), Json(7)}) {
    auto r = f.router.request(Json{{"type", "x"}, {"message_id", bad}}, b.fn());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, pnc::router::kBadMessageId);
  }
  std::string long_id(129, 'a');
  EXPECT_EQ(f.router.request(Json{{"type", "x"}, {"message_id", long_id}}, b.fn()).error().code,
            pnc::router::kBadMessageId);
  EXPECT_TRUE(f.router.request(Json{{"type", "x"}, {"message_id", std::string(128, 'a')}}, b.fn()).ok());
  Fixture compat(Profile::sdk_compat);
  EXPECT_TRUE(compat.router.request(Json{{"type", "x"}, {"message_id", long_id}}, b.fn()).ok());
  EXPECT_EQ(b.calls, 0);
}

TEST(RouterDispatch, HandlersByTypeCorrelatedOrNot) {
  Fixture f;
  std::vector<std::string> seen;
  f.router.on("job_execute", [&](const Json& m) { seen.push_back("a:" + m.value("job_id", "")); });
  f.router.on("job_execute", [&](const Json& m) { seen.push_back("b:" + m.value("job_id", "")); });
  f.router.on("db_version_response", [&](const Json&) { seen.push_back("resp"); });
  auto d = f.router.receive(Json{{"type", "job_execute"}, {"job_id", "j1"}, {"payload", Json::object()}});
  EXPECT_FALSE(d.correlated);
  EXPECT_EQ(d.handlers_run, 2u);
  EXPECT_EQ(seen, (std::vector<std::string>{"a:j1", "b:j1"}));
  // A matched response is dispatched too.
  Capture c;
  auto sent = f.router.request(Json{{"type", "db_version_request"}}, c.fn());
  d = f.router.receive(Json{{"type", "db_version_response"}, {"message_id", id_of(*sent)}});
  EXPECT_TRUE(d.correlated);
  EXPECT_EQ(d.handlers_run, 1u);
  EXPECT_EQ(seen.back(), "resp");
  // Unknown types and non-objects run nothing.
  EXPECT_EQ(f.router.receive(Json{{"type", "weight_request"}}).handlers_run, 0u);
  EXPECT_EQ(f.router.receive(Json::array()).handlers_run, 0u);
  EXPECT_EQ(f.router.receive(Json{{"type", 5}}).handlers_run, 0u);
}

TEST(RouterDispatch, CompletionMayIssueANewRequest) {
  Fixture f;
  Capture second;
  std::string first_id;
  auto first = f.router.request(Json{{"type", "a"}}, [&](Result<Json> r) {
    ASSERT_TRUE(r.ok());
    auto next = f.router.request(Json{{"type", "b"}}, second.fn());
    EXPECT_TRUE(next.ok());
  });
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(f.router.receive(Json{{"type", "a_resp"}, {"message_id", id_of(*first)}}).correlated);
  EXPECT_EQ(f.router.pending(), 1u);
  EXPECT_EQ(f.router.close(), 1u);
  EXPECT_EQ(second.result->error().code, pnc::router::kCancelled);
}

}  // namespace
