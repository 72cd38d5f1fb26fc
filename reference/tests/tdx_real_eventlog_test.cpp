// Event logs as they come from real TDX guests (vectors/real-tdx/, PROVENANCE.md), each replayed
// into RTMR0..3 and compared with the RTMRs of the quote the same guest produced (the quote is the
// independent oracle): dstack's full log, dstack's stripped log (empty runtime digests recomputed,
// DEC-31) and the binary CCEL log of a cloud VM with its ACPI table. Plus the named errors of a
// damaged CCEL log and the strict-prod consequence of a log without `environment-mode`.
#include <string>

#include <gtest/gtest.h>

#include "pnc/tdx_ccel.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_quote.hpp"
#include "support/vectors.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;
using test::hex;
using test::load_json;
using test::read_bytes;

void expect_replays_to_quote(const std::vector<Event>& events, const Bytes& quote_bytes) {
  const auto quote = parse_quote(quote_bytes, Profile::hardened);
  ASSERT_TRUE(quote.ok()) << quote.error().message;
  const auto rtmrs = replay_rtmrs(events);
  for (std::size_t i = 0; i < kImrCount; ++i) EXPECT_EQ(rtmrs[i], quote->rtmr[i]) << "RTMR" << i;
  EXPECT_TRUE(check_rtmr3_replay(events, *quote).ok());
}

TEST(TdxRealEventLog, DstackLogsReplayToTheirQuotesInEveryProfile) {
  for (const char* file : {"quote-report.json", "tdx-lite-getquote.json"}) {
    const auto doc = load_json(std::string("real-tdx/dstack/") + file);
    for (Profile p : {Profile::seed_spec, Profile::hardened, Profile::sdk_compat}) {
      SCOPED_TRACE(std::string(file) + " / " + std::string(to_string(p)));
      const auto events = parse_event_log(doc["event_log"].get<std::string>(), p);
      ASSERT_TRUE(events.ok()) << events.error().message;
      expect_replays_to_quote(*events, hex(doc["quote"].get<std::string>()));
      EXPECT_TRUE(runtime_digests_consistent(*events));
    }
  }
}

TEST(TdxRealEventLog, StrippedRuntimeDigestsAreTheV1DigestsOfTheFullForm) {
  const auto doc = load_json("real-tdx/dstack/tdx-lite-getquote.json");
  const auto raw = nlohmann::json::parse(doc["event_log"].get<std::string>());
  const auto events = parse_event_log(doc["event_log"].get<std::string>());
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), raw.size());
  std::size_t stripped = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i]["digest"] != "") continue;
    ++stripped;
    // OpenSSL, from the §9.5 formula: SHA384(LE32(0x08000001) || ":" || name || ":" || payload).
    const std::string name = raw[i]["event"].get<std::string>();
    const Bytes msg = cat(cat(Bytes{0x01, 0x00, 0x00, 0x08}, Bytes(1, ':')),
                          cat(Bytes(name.begin(), name.end()), cat(Bytes(1, ':'), hex(raw[i]["event_payload"].get<std::string>()))));
    EXPECT_EQ(Bytes((*events)[i].digest.begin(), (*events)[i].digest.end()), ossl_sha384(msg)) << i;
  }
  EXPECT_EQ(stripped, 9u);  // the nine runtime events of the source's log
}

TEST(TdxRealEventLog, EmptyDigestOfABootEventIsRefused) {
  const std::string log = R"([{"imr":0,"event_type":2147483659,"digest":"","event":"","event_payload":""}])";
  const auto events = parse_event_log(log);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.error().code, kLogBadEvent);
}

// DEC-31: real dstack logs carry no environment-mode event; strict prod keeps refusing them.
TEST(TdxRealEventLog, RealDstackLogsCarryNoEnvironmentMode) {
  for (const char* file : {"quote-report.json", "tdx-lite-getquote.json"}) {
    const auto doc = load_json(std::string("real-tdx/dstack/") + file);
    EXPECT_FALSE(extract_env_mode(doc["event_log"].get<std::string>(), Profile::seed_spec).has_value()) << file;
  }
}

TEST(TdxRealEventLog, CcelLogReplaysToTheConfigfsQuote) {
  const auto events = parse_ccel_log(read_bytes("real-tdx/go-tdx-guest/ccel/ccel_data.dat"));
  ASSERT_TRUE(events.ok()) << events.error().message;
  EXPECT_EQ(events->size(), 43u);  // 43 records follow the Spec ID event, none EV_NO_ACTION
  expect_replays_to_quote(*events, read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat"));
}

TEST(TdxRealEventLog, CcelTableDescribesTheLogArea) {
  const Bytes data = read_bytes("real-tdx/go-tdx-guest/ccel/ccel_data.dat");
  const auto table = parse_ccel_table(read_bytes("real-tdx/go-tdx-guest/ccel/ccel_table.dat"));
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(table->cc_type, 2);  // TDX
  EXPECT_EQ(table->log_area_length, data.size());
  Bytes bad = read_bytes("real-tdx/go-tdx-guest/ccel/ccel_table.dat");
  bad[40] ^= 1;  // checksum no longer zero
  EXPECT_EQ(parse_ccel_table(bad).error().code, kCcelBadTable);
}

TEST(TdxRealEventLog, DamagedCcelLogsGiveNamedErrors) {
  const Bytes data = read_bytes("real-tdx/go-tdx-guest/ccel/ccel_data.dat");
  auto code = [](const Bytes& b) {
    const auto r = parse_ccel_log(b);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  for (std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{40}})
    EXPECT_EQ(code(slice(data, 0, n)), kCcelTruncated) << n;
  // Cut inside the second record (offset of the first event after the 65-byte Spec ID event).
  EXPECT_EQ(code(slice(data, 0, 32 + 33 + 20)), kCcelTruncated);
  Bytes no_spec = data;
  no_spec[32] = 'X';  // "Spec ID Event03" signature
  EXPECT_EQ(code(no_spec), kCcelBadHeader);
  Bytes no_sha384 = data;
  no_sha384[32 + 28] = 0x0B;  // the only algorithm becomes SHA-256 (0x000B)
  EXPECT_EQ(code(no_sha384), kCcelNoSha384);
  Bytes bad_index = data;
  bad_index[32 + 33] = 7;  // MR index of the first real event
  EXPECT_EQ(code(bad_index), kCcelBadMrIndex);
}

}  // namespace
}  // namespace pnc::tdx
