// Real quotes from Intel hardware (vectors/real-tdx/, PROVENANCE.md): each parses in every
// profile (v4 and v5, zero padding after the signature data), the one with non-zero text after
// its signature data is refused by the strict profiles, and each carries genuine signature data
// that verify_signed_quote accepts under Intel's root. Expected values come from the sources:
// their own REPORTDATA / nonce files, the facts PROVENANCE.md states, and byte offsets read here
// with plain code from Intel's sgx_quote_4.h / sgx_quote_5.h layout.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pnc/clock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "support/vectors.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;
using test::hex;
using test::load_json;
using test::read_bytes;

constexpr std::int64_t kInsideEveryPckWindow = 1780272000;  // 2026-06-01: each PCK leaf is valid

struct RealQuote {
  std::string name;
  Bytes bytes;
  bool nonzero_tail;  // the source appended ASCII text after the signature data
};

std::vector<RealQuote> real_quotes() {
  auto dstack = [](const char* file) { return hex(load_json(std::string("real-tdx/dstack/") + file)["quote"].get<std::string>()); };
  return {
      {"tdx_prod_quote_SPR_E4", read_bytes("real-tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), true},
      {"quote_v5_sample", read_bytes("real-tdx/go-tdx-guest/quote_v5_sample.dat"), false},
      {"cos-113-tdx-quote", read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat"), false},
      {"dcap-qvl tdx_quote", read_bytes("real-tdx/dcap-qvl/tdx_quote"), false},
      {"dstack quote-report", dstack("quote-report.json"), false},
      {"dstack tdx-lite-getquote", dstack("tdx-lite-getquote.json"), false},
  };
}

TEST(TdxRealQuote, EveryRealQuoteParsesInEveryProfileOrIsRefusedForItsText) {
  for (const auto& rq : real_quotes()) {
    for (Profile p : {Profile::seed_spec, Profile::hardened, Profile::sdk_compat}) {
      SCOPED_TRACE(rq.name + " / " + std::string(to_string(p)));
      const auto q = parse_quote(rq.bytes, p);
      if (rq.nonzero_tail && is_strict(p)) {
        ASSERT_FALSE(q.ok());
        EXPECT_EQ(q.error().code, kTrailingBytes);
        continue;
      }
      ASSERT_TRUE(q.ok()) << q.error().code << ": " << q.error().message;
      EXPECT_EQ(serialize_quote(*q), rq.bytes);  // padding kept: the exact inverse still holds
      // Offsets read with plain code: REPORTDATA at 568 (v4) or 574 (v5), S right after the body.
      const std::size_t body = rq.bytes.at(0) == 5 ? 54 : 48;
      EXPECT_EQ(Bytes(q->report_data.begin(), q->report_data.end()), slice(rq.bytes, body + 520, 64));
      EXPECT_EQ(Bytes(q->rtmr[3].begin(), q->rtmr[3].end()), slice(rq.bytes, body + 472, 48));
      EXPECT_EQ(q->report_data_offset(), body + 520);
    }
  }
}

TEST(TdxRealQuote, FactsTheSourcesState) {
  // dstack fixtures carry their REPORTDATA next to the quote.
  for (const char* file : {"quote-report.json", "tdx-lite-getquote.json"}) {
    const auto doc = load_json(std::string("real-tdx/dstack/") + file);
    const auto q = parse_quote(hex(doc["quote"].get<std::string>()));
    ASSERT_TRUE(q.ok()) << file;
    EXPECT_EQ(Bytes(q->report_data.begin(), q->report_data.end()), hex(doc["report_data"].get<std::string>())) << file;
  }
  // go-tdx-guest: the configfs-tsm quote was asked for nonce.dat; an 8000-byte buffer, zero-padded.
  const Bytes cos = read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat");
  const auto q = parse_quote(cos);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(cos.size(), 8000u);
  EXPECT_EQ(Bytes(q->report_data.begin(), q->report_data.end()), read_bytes("real-tdx/go-tdx-guest/ccel/nonce.dat"));
  EXPECT_EQ(q->trailing.size(), 8000u - 636u - rd32(cos, 632));
  // The v5 sample: body type 3 (TD report 1.5, 648 bytes), no trailing bytes.
  const Bytes v5 = read_bytes("real-tdx/go-tdx-guest/quote_v5_sample.dat");
  const auto q5 = parse_quote(v5);
  ASSERT_TRUE(q5.ok());
  EXPECT_EQ(q5->version, 5);
  EXPECT_EQ(q5->body_type, kBodyTypeTdReport15);
  EXPECT_EQ(q5->signed_size(), 48u + 6u + 648u);
  EXPECT_EQ(Bytes(q5->mr_service_td.begin(), q5->mr_service_td.end()), slice(v5, 54 + 584 + 16, 48));
  EXPECT_TRUE(q5->trailing.empty());
  EXPECT_EQ(636u + 6u + 64u + rd32(v5, 702), v5.size());  // 702 + 4 + S == length
}

TEST(TdxRealQuote, NonZeroTrailingByteIsRefusedByStrictProfilesOnly) {
  Bytes padded = read_bytes("real-tdx/dcap-qvl/tdx_quote");
  ASSERT_TRUE(parse_quote(padded, Profile::hardened).ok());
  padded.back() = 0x01;  // inside the zero padding
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    const auto q = parse_quote(padded, p);
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error().code, kTrailingBytes);
  }
  EXPECT_TRUE(parse_quote(padded, Profile::sdk_compat).ok());
}

TEST(TdxRealQuote, GenuineSignatureDataVerifiesUnderIntelsRoot) {
  FixedClock clock(kInsideEveryPckWindow);
  SignedQuoteConfig config{{std::string(intel_sgx_root_ca_pem())}, &clock, nullptr, Profile::sdk_compat};
  int verified = 0;
  for (const auto& rq : real_quotes()) {
    const auto s = verify_signed_quote(rq.bytes, config);
    EXPECT_TRUE(s.ok()) << rq.name << ": " << s.error().code << ": " << s.error().message;
    verified += s.ok();
  }
  EXPECT_EQ(verified, 6);
}

TEST(TdxRealQuote, OneChangedSignedByteIsRefusedPerVersion) {
  FixedClock clock(kInsideEveryPckWindow);
  const SignedQuoteConfig config{{std::string(intel_sgx_root_ca_pem())}, &clock, nullptr, Profile::seed_spec};
  // v4: the last signed byte is 631; v5 (TD report 1.5): 701, the last byte of MRSERVICETD.
  for (const auto& [file, last_signed] : {std::pair{"real-tdx/dcap-qvl/tdx_quote", std::size_t{631}},
                                          std::pair{"real-tdx/go-tdx-guest/quote_v5_sample.dat", std::size_t{701}}}) {
    for (std::size_t at : {std::size_t{0} + 8, std::size_t{600}, last_signed}) {
      Bytes q = read_bytes(file);
      q[at] ^= 0x01;
      const auto s = verify_signed_quote(q, config);
      ASSERT_FALSE(s.ok()) << file << " byte " << at;
      EXPECT_EQ(s.error().code, kSigQuote) << file << " byte " << at;
    }
  }
}

}  // namespace
}  // namespace pnc::tdx
