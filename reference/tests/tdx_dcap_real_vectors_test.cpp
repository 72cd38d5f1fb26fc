// The reference consumes vectors/real-tdx/quote_real_test.json (gen_quote_real.py): every case's
// quote against its group's real collateral and trust anchor at `now`, with the case's TCB policy,
// must give the file's result, TCB status, first failing check and its code. The file's
// expectations are written from the sources' facts (PROVENANCE.md), not by this library.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "pnc/tdx_dcap.hpp"
#include "support/vectors.hpp"

namespace pnc::tdx::dcap {
namespace {

using Json = nlohmann::json;

const Json& file() {
  static const Json doc = test::load_json("real-tdx/quote_real_test.json");
  return doc;
}

TEST(DcapRealVectors, FileShape) {
  const Json& doc = file();
  ASSERT_EQ(doc["schema"], "pnc_quote_real_schema_v1.json");
  std::set<std::string> ids;
  for (const auto& p : doc["provenance"]) ids.insert(p["id"].get<std::string>());
  std::size_t n = 0, valid = 0;
  for (const auto& g : doc["testGroups"])
    for (const auto& t : g["tests"]) {
      ++n;
      valid += t["result"] == "valid";
      EXPECT_TRUE(ids.count(t["quoteSource"].get<std::string>())) << t["tcId"];
    }
  EXPECT_EQ(n, doc["numberOfTests"].get<std::size_t>());
  EXPECT_GE(n, 8u);
  EXPECT_GE(valid, 1u);
}

TEST(DcapRealVectors, EveryCase) {
  std::size_t ran = 0;
  for (const auto& g : file()["testGroups"]) {
    auto collateral = parse_collateral(g["collateral"].dump());
    ASSERT_TRUE(collateral) << collateral.error().message;
    const std::string root = g["rootCaPem"].get<std::string>();
    for (const auto& t : g["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " + t["comment"].get<std::string>());
      TcbPolicy policy;
      policy.accepted.clear();
      for (const auto& s : t["acceptedStatuses"]) {
        auto st = tcb_status_from_string(s.get<std::string>());
        ASSERT_TRUE(st);
        policy.accepted.insert(*st);
      }
      const Bytes quote = test::hex(t["quote"].get<std::string>());
      const DcapResult r =
          verify_dcap(quote, *collateral, DcapOptions{{root}, t["now"].get<std::int64_t>(), policy, Profile::seed_spec});
      EXPECT_EQ(r.ok(), t["result"] == "valid");
      if (t["status"].is_null()) EXPECT_FALSE(r.status.has_value());
      else {
        ASSERT_TRUE(r.status.has_value());
        EXPECT_EQ(std::string(to_string(*r.status)), t["status"].get<std::string>());
      }
      const Check* first_failed = nullptr;
      for (const auto& c : r.checks)
        if (c.error) {
          first_failed = &c;
          break;
        }
      if (t["check"] == "") {
        EXPECT_EQ(first_failed, nullptr) << first_failed->name << ": " << first_failed->error->message;
      } else {
        ASSERT_NE(first_failed, nullptr);
        EXPECT_EQ(first_failed->name, t["check"].get<std::string>()) << first_failed->error->message;
        EXPECT_EQ(first_failed->error->code, t["reason"].get<std::string>()) << first_failed->error->message;
      }
      ++ran;
    }
  }
  EXPECT_EQ(ran, file()["numberOfTests"].get<std::size_t>());
}

}  // namespace
}  // namespace pnc::tdx::dcap
