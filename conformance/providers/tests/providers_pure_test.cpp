// The pure parts of the host quote providers, against real captured data (vectors/real-tdx,
// PROVENANCE.md) and the spec's byte layout (§9.2): evidence_from_quote, the dstack GetQuote
// request / answer, the configfs-tsm attribute texts. Hostile answers give named errors.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pnc/providers/dstack_answer.hpp"
#include "pnc/providers/host_evidence.hpp"
#include "pnc/providers/tsm_attributes.hpp"
#include "support/vectors.hpp"

namespace pnc::providers {
namespace {

using test::hex;
using test::load_json;
using test::read_bytes;

ByteArray<64> array64(const Bytes& b) {
  ByteArray<64> out{};
  EXPECT_EQ(b.size(), 64u);
  std::copy_n(b.begin(), std::min<std::size_t>(64, b.size()), out.begin());
  return out;
}

// RTMRi of a v4 quote at its §9.2 offset (376 + 48 i), read without the parser under test.
std::string v4_rtmr_hex(const Bytes& quote, int i) {
  return test::to_hex(ByteView(quote.data() + 376 + 48 * i, 48));
}

TEST(HostEvidence, RealConfigfsBufferBecomesEvidenceWithItsRtmrs) {
  // An 8000-byte outblob read through configfs-tsm on a cloud VM, zero padded, and its inblob.
  const Bytes quote = read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat");
  const auto nonce = array64(read_bytes("real-tdx/go-tdx-guest/ccel/nonce.dat"));
  auto ev = evidence_from_quote(quote, std::nullopt, nonce);
  ASSERT_TRUE(ev.ok()) << ev.error().code << " " << ev.error().message;
  EXPECT_EQ(ev->quote, quote);  // delivered as is, padding included
  EXPECT_FALSE(ev->event_log.has_value());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ev->rtmrs["rtmr" + std::to_string(i)], v4_rtmr_hex(quote, i)) << i;
}

TEST(HostEvidence, QuoteForOtherReportDataIsRefused) {
  const Bytes quote = read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat");
  auto other = array64(read_bytes("real-tdx/go-tdx-guest/ccel/nonce.dat"));
  other[63] ^= 1;
  auto ev = evidence_from_quote(quote, std::nullopt, other);
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kReportDataMismatch);
}

TEST(HostEvidence, NotAQuoteIsRefusedWithTheParseReason) {
  const auto rd = ByteArray<64>{};
  for (const Bytes& junk : {Bytes{}, Bytes(100, 0x41), Bytes(5000, 0)}) {
    auto ev = evidence_from_quote(junk, std::nullopt, rd);
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, kBadQuote);
    EXPECT_NE(ev.error().message.find("tdx."), std::string::npos) << ev.error().message;
  }
}

TEST(DstackAnswer, RequestCarriesAll64BytesAsLowercaseHex) {
  ByteArray<64> rd{};
  for (std::size_t i = 0; i < rd.size(); ++i) rd[i] = static_cast<std::uint8_t>(0xA0 + i);
  const auto body = nlohmann::json::parse(dstack_get_quote_request(rd));
  ASSERT_EQ(body.size(), 1u);
  std::string expected;
  for (std::size_t i = 0; i < rd.size(); ++i) {
    static const char* digits = "0123456789abcdef";
    expected += digits[rd[i] >> 4];
    expected += digits[rd[i] & 15];
  }
  EXPECT_EQ(body["report_data"], expected);
}

TEST(DstackAnswer, RealGetQuoteAnswerParses) {
  const auto doc = load_json("real-tdx/dstack/tdx-lite-getquote.json");
  auto parsed = parse_dstack_get_quote_answer(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->quote, hex(doc["quote"].get<std::string>()));
  EXPECT_EQ(parsed->event_log, doc["event_log"].get<std::string>());
  // And the whole chain: the answer's quote carries the answer's report_data.
  auto ev = evidence_from_quote(parsed->quote, parsed->event_log, array64(hex(doc["report_data"].get<std::string>())));
  ASSERT_TRUE(ev.ok()) << ev.error().message;
  const Bytes quote = hex(doc["quote"].get<std::string>());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ev->rtmrs["rtmr" + std::to_string(i)], v4_rtmr_hex(quote, i)) << i;
}

TEST(DstackAnswer, HostileAnswersAreNamedErrors) {
  const std::string q = R"("quote":"040002")";
  const std::string log = R"("event_log":"[]")";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "answer"},
      {"not json", "answer"},
      {"[1,2]", "answer"},
      {R"({"quote":"0400"})", "event_log"},
      {R"({"event_log":"[]"})", "quote"},
      {R"({"quote":4,"event_log":"[]"})", "quote"},
      {R"({"quote":"","event_log":"[]"})", "quote"},
      {R"({"quote":"040","event_log":"[]"})", "quote"},
      {R"({"quote":"zz00","event_log":"[]"})", "quote"},
      {R"({"quote":"0x0400","event_log":"[]"})", "quote"},
      {"{" + q + R"(,"event_log":[]})", "event_log"},
      {"{" + q + R"(,"event_log":"{\"a\":1}"})", "event_log"},
      {"{" + q + R"(,"event_log":"[1,"})", "event_log"},
      {"{" + q + "," + log + "," + q + "}", "answer"},  // duplicate member (§0.3 strict parse)
      {R"({"quote":")" + std::string(2 * 65536 + 2, '0') + "\"," + log + "}", "quote"},
  };
  for (const auto& [body, member] : cases) {
    auto parsed = parse_dstack_get_quote_answer(body);
    ASSERT_FALSE(parsed.ok()) << body.substr(0, 80);
    EXPECT_EQ(parsed.error().code, kDstackBadAnswer);
    EXPECT_EQ(parsed.error().message.rfind(member + ":", 0), 0u) << parsed.error().message;
  }
}

TEST(TsmAttributes, ProviderMustBeTdxGuest) {
  EXPECT_TRUE(check_tsm_provider("tdx_guest\n").ok());
  EXPECT_TRUE(check_tsm_provider("tdx_guest").ok());
  for (const char* other : {"sev_guest\n", "tdx_guest\n\n", "tdx_guest \n", "", "TDX_GUEST"}) {
    auto r = check_tsm_provider(other);
    ASSERT_FALSE(r.ok()) << other;
    EXPECT_EQ(r.error().code, kTsmWrongProvider);
  }
  EXPECT_NE(check_tsm_provider("\x1b[2J").error().message.find("unprintable"), std::string::npos);
}

TEST(TsmAttributes, GenerationIsADecimalCounter) {
  EXPECT_EQ(parse_tsm_generation("0\n").value(), 0u);
  EXPECT_EQ(parse_tsm_generation("17").value(), 17u);
  EXPECT_EQ(parse_tsm_generation("18446744073709551615\n").value(), UINT64_MAX);
  for (const char* bad : {"", "\n", "-1\n", "+1", "1 \n", "0x10", "18446744073709551616", "1\n\n", "a"}) {
    auto r = parse_tsm_generation(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, kTsmBadAttribute);
  }
}

TEST(TsmAttributes, OnlyOurOneWriteMayChangeTheGeneration) {
  EXPECT_TRUE(check_tsm_generation(0, 1).ok());
  EXPECT_TRUE(check_tsm_generation(41, 42).ok());
  for (auto [before, after] : {std::pair<std::uint64_t, std::uint64_t>{0, 0}, {0, 2}, {5, 4}, {UINT64_MAX, 0}}) {
    auto r = check_tsm_generation(before, after);
    ASSERT_FALSE(r.ok()) << before << "->" << after;
    EXPECT_EQ(r.error().code, kTsmGenerationRace);
  }
}

}  // namespace
}  // namespace pnc::providers
