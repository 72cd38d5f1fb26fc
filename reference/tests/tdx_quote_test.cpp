// §9.2 layout, §9.3 structural validation and §12.9 N-Q-01..08 at the parser level, on the
// golden V8 quote. Expected values come from the spec text, golden() or OpenSSL.
#include <gtest/gtest.h>

#include <random>

#include "pnc/tdx_quote.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;
using pnc::test::gh;
using pnc::test::golden;

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }

std::string parse_code(ByteView q, Profile p = Profile::seed_spec) {
  auto r = parse_quote(q, p);
  return r ? std::string("ok") : r.error().code;
}

TEST(TdxQuoteLayout, OffsetConstantsFollowSection92) {
  EXPECT_EQ(kHeaderSize, 48u);
  EXPECT_EQ(kOffQeVendorId, 12u);
  EXPECT_EQ(kOffUserData, 28u);
  EXPECT_EQ(kOffSeamAttributes, 160u);
  EXPECT_EQ(kOffTdAttributes, 168u);
  EXPECT_EQ(kOffXfam, 176u);
  EXPECT_EQ(kOffMrTd, 184u);
  EXPECT_EQ(kOffMrConfigId, 232u);
  EXPECT_EQ(kOffMrOwner, 280u);
  EXPECT_EQ(kOffMrOwnerConfig, 328u);
  EXPECT_EQ(kOffRtmr[0], 376u);
  EXPECT_EQ(kOffRtmr[1], 424u);
  EXPECT_EQ(kOffRtmr[2], 472u);
  EXPECT_EQ(kOffRtmr[3], 520u);
  EXPECT_EQ(kOffReportData, 568u);
  EXPECT_EQ(kOffBody + kBodySize, kSignedSize);
  EXPECT_EQ(kOffSigDataLen, 632u);
  EXPECT_EQ(kRelQeAuthSize, 582u);
  EXPECT_EQ(kMinCertSize, 450u);
}

TEST(TdxQuoteV8, GoldenBytesParseToEveryListedField) {
  const Bytes q = v8_quote();
  ASSERT_EQ(q.size(), golden()["V8"]["quote_len"].get<std::size_t>());
  EXPECT_EQ(ossl_sha256(q), gh("V8", "quote_sha256"));
  // Raw layout facts of V8 (§13): S = 640 at 632, 636 + S == length, cert type 6 / M = 506 at 764.
  EXPECT_EQ(rd32(q, 632), 640u);
  EXPECT_EQ(636u + rd32(q, 632), q.size());
  EXPECT_EQ(q[764] | q[765] << 8, 6);
  EXPECT_EQ(rd32(q, 766), 506u);

  auto r = parse_quote(q);
  ASSERT_TRUE(r) << r.error().code << " " << r.error().message;
  const QuoteV4& x = *r;
  EXPECT_EQ(x.version, 4);
  EXPECT_EQ(x.att_key_type, 2);
  EXPECT_EQ(x.tee_type, 0x81u);
  EXPECT_EQ(B(x.reserved), Bytes(4, 0));
  EXPECT_EQ(B(x.qe_vendor_id), test::hex("939A7233F79C4CA9940A0DB3957F0607"));  // §9.2 Intel QE id
  EXPECT_EQ(to_string(x.user_data), "PNC-MOCK-TDX-QUOTE-1");
  EXPECT_EQ(B(x.tee_tcb_svn), Bytes(16, 0));
  EXPECT_EQ(B(x.mr_seam), ossl_sha384("mock-mr-seam"));
  EXPECT_EQ(B(x.mr_signer_seam), Bytes(48, 0));
  EXPECT_EQ(B(x.seam_attributes), Bytes(8, 0));
  EXPECT_EQ(B(x.td_attributes), Bytes(8, 0));
  EXPECT_FALSE(x.debug());
  EXPECT_EQ(B(x.xfam), Bytes(8, 0));
  EXPECT_EQ(B(x.mr_td), ossl_sha384("mock-mr-td"));
  EXPECT_EQ(B(x.mr_td), slice(q, 184, 48));
  EXPECT_EQ(B(x.mr_config_id), Bytes(48, 0));
  EXPECT_EQ(B(x.mr_owner), Bytes(48, 0));
  EXPECT_EQ(B(x.mr_owner_config), Bytes(48, 0));
  for (int i = 0; i < 4; ++i) {
    const std::string key = "rtmr" + std::to_string(i);
    EXPECT_EQ(B(x.rtmr[static_cast<std::size_t>(i)]), test::hex(golden()["V8"]["rtmrs"][key].get<std::string>())) << key;
  }
  EXPECT_EQ(B(x.report_data), gh("V8", "report_data"));
  EXPECT_EQ(slice(x.report_data, 0, 32), gh("V3", "rd_ws"));
  EXPECT_EQ(B(x.ecdsa_signature), ossl_sha512(cat(as_bytes("PNC-MOCK-SIG"), slice(q, 0, 632))));
  EXPECT_EQ(B(x.attestation_key), ossl_sha512("PNC-MOCK-AK"));
  EXPECT_EQ(x.cert_type, 6);
  Bytes auth(32);
  for (std::size_t i = 0; i < 32; ++i) auth[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(x.qe_auth_data, auth);
  Bytes qe_report(384, 0);
  put_at(qe_report, 320, ossl_sha256(cat(x.attestation_key, auth)));
  EXPECT_EQ(B(x.qe_report), qe_report);
  EXPECT_EQ(B(x.qe_report_signature), Bytes(64, 0));
  EXPECT_EQ(x.inner_cert_type, 5);
  EXPECT_EQ(to_string(x.pck_chain), "PNC-MOCK-PCK-CHAIN");
  EXPECT_TRUE(x.trailing.empty());
}

TEST(TdxQuoteV8, SerializeIsTheInverseOfParse) {
  const Bytes q = v8_quote();
  auto r = parse_quote(q);
  ASSERT_TRUE(r);
  EXPECT_EQ(serialize_quote(*r), q);
  auto again = parse_quote(serialize_quote(*r));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *r);
}

TEST(TdxQuoteV8, SerializeParseIdentityOnRandomStructures) {
  std::mt19937 gen(7);
  auto fill = [&](auto& arr) { for (auto& b : arr) b = static_cast<std::uint8_t>(gen()); };
  for (int iter = 0; iter < 300; ++iter) {
    QuoteV4 x;
    fill(x.reserved); fill(x.user_data); fill(x.tee_tcb_svn); fill(x.mr_seam); fill(x.mr_signer_seam);
    fill(x.td_attributes); fill(x.xfam); fill(x.mr_td); fill(x.mr_config_id); fill(x.mr_owner);
    fill(x.mr_owner_config); for (auto& m : x.rtmr) fill(m); fill(x.report_data);
    fill(x.ecdsa_signature); fill(x.attestation_key); fill(x.qe_report); fill(x.qe_report_signature);
    x.qe_auth_data.resize(gen() % 200);
    fill(x.qe_auth_data);
    x.pck_chain.resize(gen() % 3000);
    fill(x.pck_chain);
    const Bytes bytes = serialize_quote(x);
    // Sizes per §9.2: M = 384+64+2+A+2+4+P, S = 134 + M.
    const std::size_t m = 456 + x.qe_auth_data.size() + x.pck_chain.size();
    ASSERT_EQ(bytes.size(), 636 + 134 + m);
    EXPECT_EQ(rd32(bytes, 632), 134 + m);
    EXPECT_EQ(rd32(bytes, 766), m);
    auto r = parse_quote(bytes);
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(*r, x);
    EXPECT_EQ(serialize_quote(*r), bytes);
  }
}

TEST(TdxQuoteV8, LargestAcceptedQuoteIs65536Bytes) {
  auto r = parse_quote(v8_quote());
  ASSERT_TRUE(r);
  QuoteV4 x = *r;
  x.pck_chain.resize(x.pck_chain.size() + (65536 - 1276), 'A');
  Bytes big = serialize_quote(x);
  ASSERT_EQ(big.size(), 65536u);
  EXPECT_EQ(parse_code(big), "ok");
  x.pck_chain.push_back('A');
  big = serialize_quote(x);
  EXPECT_EQ(parse_code(big), kTooLarge);
  Bytes oversize = v8_quote();
  oversize.resize(65537, 0);
  EXPECT_EQ(parse_code(oversize), kTooLarge);
  EXPECT_EQ(parse_code(oversize, Profile::sdk_compat), kTooLarge);
}

// N-Q-01: every truncation fails (never crashes); the listed lengths by name.
TEST(TdxQuoteNegative, NQ01_EveryTruncationFails) {
  const Bytes q = v8_quote();
  for (std::size_t len = 0; len < q.size(); ++len) {
    for (Profile p : pnc::kProfiles) {
      auto r = parse_quote(ByteView(q).first(len), p);
      ASSERT_FALSE(r) << "length " << len;
      EXPECT_EQ(r.error().code, kTruncated) << "length " << len;
    }
  }
  const std::size_t s = rd32(q, 632);
  for (std::size_t len : {std::size_t{47}, std::size_t{48}, std::size_t{631}, std::size_t{632},
                          std::size_t{635}, std::size_t{636}, 636 + s - 1})
    EXPECT_EQ(parse_code(ByteView(q).first(len)), kTruncated) << len;
}

// N-Q-02: a non-zero byte after the signature data (DEC-30).
TEST(TdxQuoteNegative, NQ02_NonZeroTrailingByteRejectedStrictKeptInCompat) {
  Bytes q = v8_quote();
  q.push_back(0x01);
  EXPECT_EQ(parse_code(q, Profile::seed_spec), kTrailingBytes);
  EXPECT_EQ(parse_code(q, Profile::hardened), kTrailingBytes);
  auto r = parse_quote(q, Profile::sdk_compat);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trailing, Bytes{0x01});
  EXPECT_EQ(serialize_quote(*r), q);  // identity holds with the tolerated bytes too
}

// DEC-30: zero padding after the signature data (real quote buffers) is accepted everywhere.
TEST(TdxQuote, ZeroPaddingAcceptedInEveryProfile) {
  Bytes q = v8_quote();
  q.resize(q.size() + 70, 0x00);
  for (Profile p : {Profile::seed_spec, Profile::hardened, Profile::sdk_compat}) {
    auto r = parse_quote(q, p);
    ASSERT_TRUE(r) << to_string(p);
    EXPECT_EQ(r->trailing, Bytes(70, 0x00));
    EXPECT_EQ(serialize_quote(*r), q);
  }
}

// v5 (§9.4): the body descriptor at 48 moves the body by 6; body type 3 appends 64 bytes.
TEST(TdxQuote, V5BodiesRoundTripAndLocateReportData) {
  const auto v4 = parse_quote(v8_quote());
  ASSERT_TRUE(v4);
  for (std::uint16_t type : {kBodyTypeTdReport10, kBodyTypeTdReport15}) {
    QuoteV4 x = *v4;
    x.version = kVersion5;
    x.body_type = type;
    if (type == kBodyTypeTdReport15) x.mr_service_td.fill(0x5a);
    const Bytes wire = serialize_quote(x);
    const std::size_t body_size = type == kBodyTypeTdReport15 ? 648 : 584;
    EXPECT_EQ(wire.size(), v8_quote().size() + 6 + (body_size - 584));
    EXPECT_EQ(rd16(wire, 48), type);
    EXPECT_EQ(rd32(wire, 50), body_size);
    EXPECT_TRUE(std::equal(x.report_data.begin(), x.report_data.end(), wire.begin() + 574));
    const auto back = parse_quote(wire);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, x);
    EXPECT_EQ(back->signed_size(), 54 + body_size);
    Bytes bad_type = wire, bad_size = wire;
    wr16(bad_type, 48, 1);  // an SGX enclave report body
    wr32(bad_size, 50, static_cast<std::uint32_t>(body_size + 1));
    EXPECT_EQ(parse_code(bad_type), kBadBodyType);
    EXPECT_EQ(parse_code(bad_size), kBadBodySize);
  }
}

TEST(TdxQuoteNegative, NQ03_Version) {
  for (std::uint32_t v : {3u, 0xFFFFu, 0u}) {
    Bytes q = v8_quote();
    wr16(q, 0, v);
    reseal(q);
    EXPECT_EQ(parse_code(q), kBadVersion) << v;
  }
  // Version 5 with a v4 layout: TEE_TCB_SVN's first bytes read as body type 0.
  Bytes q = v8_quote();
  wr16(q, 0, 5);
  EXPECT_EQ(parse_code(q), kBadBodyType);
}

TEST(TdxQuoteNegative, NQ04_TeeType) {
  for (std::uint32_t t : {0x00u, 0x80u, 0x181u}) {
    Bytes q = v8_quote();
    wr32(q, 4, t);
    reseal(q);
    EXPECT_EQ(parse_code(q), kBadTeeType) << t;
  }
}

TEST(TdxQuoteNegative, NQ05_AttestationKeyType) {
  for (std::uint32_t t : {3u, 0u, 1u}) {
    Bytes q = v8_quote();
    wr16(q, 2, t);
    reseal(q);
    EXPECT_EQ(parse_code(q), kBadKeyType) << t;
  }
}

TEST(TdxQuoteNegative, QeVendorMustBeIntels) {
  Bytes q = v8_quote();
  q[12] ^= 0x01;
  reseal(q);
  EXPECT_EQ(parse_code(q), kBadQeVendor);
}

// N-Q-06: S = len - 635 (one too large), 0, 2^32 - 1 and other out-of-range values.
TEST(TdxQuoteNegative, NQ06_SignatureDataLength) {
  const Bytes base = v8_quote();
  struct Case { std::uint32_t s; const char* code; };
  const Case cases[] = {
      {static_cast<std::uint32_t>(base.size() - 635), kTruncated},
      {0, kBadSigLen},
      {0xFFFFFFFFu, kBadSigLen},
      {133, kBadSigLen},
      {65536 - 636 + 1, kBadSigLen},
      {639, kTrailingBytes},  // shorter S leaves the last byte outside the signature data
  };
  for (const auto& c : cases) {
    Bytes q = base;
    wr32(q, 632, c.s);
    EXPECT_EQ(parse_code(q), c.code) << c.s;
  }
}

// N-Q-07: certification data framing.
TEST(TdxQuoteNegative, NQ07_CertificationData) {
  const Bytes base = v8_quote();
  const std::size_t sd = 636;
  auto mutate = [&](auto f) { Bytes q = base; f(q); return parse_code(q); };
  EXPECT_EQ(mutate([&](Bytes& q) { wr16(q, sd + 128, 5); }), kBadCertType);  // outer type 5
  EXPECT_EQ(mutate([&](Bytes& q) { wr32(q, sd + 130, 507); }), kBadCertSize);  // M + 1
  EXPECT_EQ(mutate([&](Bytes& q) { wr32(q, sd + 130, 505); }), kBadCertSize);  // M - 1
  const std::size_t a_at = sd + 582, inner_at = sd + 584 + 32;
  EXPECT_EQ(mutate([&](Bytes& q) { wr16(q, inner_at, 6); }), kBadInnerCertType);  // inner type 6
  EXPECT_EQ(mutate([&](Bytes& q) { wr16(q, a_at, 0xFFFF); }), kBadQeAuthSize);   // A > remaining
  EXPECT_EQ(mutate([&](Bytes& q) { wr16(q, a_at, 51); }), kBadQeAuthSize);  // 584+51+6 > S = 640
  EXPECT_EQ(mutate([&](Bytes& q) { wr16(q, a_at, 50); }), kBadInnerCertType);  // fits, misframes
  EXPECT_EQ(mutate([&](Bytes& q) { wr32(q, inner_at + 2, 17); }), kBadInnerCertSize);  // P - 1
  EXPECT_EQ(mutate([&](Bytes& q) { wr32(q, inner_at + 2, 19); }), kBadInnerCertSize);  // P + 1
  EXPECT_EQ(mutate([&](Bytes& q) { wr32(q, inner_at + 2, 0xFFFFFFFFu); }), kBadInnerCertSize);

  // M below the fixed part (with S shrunk to match): a quote cut short inside the QE report.
  Bytes q = base;
  q.resize(636 + 134 + 449);
  wr32(q, 632, 134 + 449);
  wr32(q, sd + 130, 449);
  EXPECT_EQ(parse_code(q), kBadCertSize);
}

TEST(TdxQuoteNegative, NQ08_SeamAttributes) {
  for (std::size_t i = 0; i < 8; ++i) {
    Bytes q = v8_quote();
    q[160 + i] = 0x01;
    reseal(q);
    EXPECT_EQ(parse_code(q), kSeamAttributes) << i;
    EXPECT_EQ(parse_code(q, Profile::sdk_compat), kSeamAttributes) << i;
  }
}

TEST(TdxQuoteFields, DebugBitIsTdAttributesBitZero) {
  Bytes q = v8_quote();
  q[168] = 0x01;
  reseal(q);
  auto r = parse_quote(q);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->debug());
  q[168] = 0xFE;  // every other bit set, DEBUG clear
  r = parse_quote(q);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->debug());
}

// fuzz_quote_parse in miniature: arbitrary bytes and single-byte mutations of V8 never crash;
// anything accepted satisfies the §9.3 invariants.
TEST(TdxQuoteFuzz, ArbitraryInputsAreTotal) {
  std::mt19937 gen(1234);
  const Bytes base = v8_quote();
  auto check_invariants = [](ByteView in, const QuoteV4& x) {
    EXPECT_GE(in.size(), 636u);
    EXPECT_LE(in.size(), 65536u);
    EXPECT_EQ(x.version, 4);
    EXPECT_EQ(x.tee_type, 0x81u);
    EXPECT_EQ(636u + rd32(in, 632), in.size());
    EXPECT_EQ(serialize_quote(x), Bytes(in.begin(), in.end()));
  };
  for (int i = 0; i < 3000; ++i) {
    Bytes in(gen() % 2000);
    for (auto& b : in) b = static_cast<std::uint8_t>(gen());
    if (in.size() >= 48 && i % 2 == 0) std::copy(base.begin(), base.begin() + 48, in.begin());
    if (auto r = parse_quote(in)) {
      check_invariants(in, *r);
    }
  }
  for (std::size_t pos = 0; pos < base.size(); ++pos) {
    Bytes in = base;
    in[pos] = static_cast<std::uint8_t>(gen());
    if (auto r = parse_quote(in)) {
      check_invariants(in, *r);
    }
    if (auto r = parse_quote(in, Profile::sdk_compat)) {
      EXPECT_EQ(serialize_quote(*r), in);
    }
  }
}

}  // namespace
}  // namespace pnc::tdx
