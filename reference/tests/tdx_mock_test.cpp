// §9.6 MockQuoteV4 (golden V8 byte for byte), mock signature, overrides, upstream-shaped mocks
// and the mock QuoteProvider.
#include <gtest/gtest.h>

#include <random>

#include "pnc/attestation.hpp"
#include "pnc/tdx_mock.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;
using pnc::test::gs;
using pnc::test::gh;
using pnc::test::golden;
using nlohmann::json;

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }
template <std::size_t N>
ByteArray<N> arr(ByteView v) {
  ByteArray<N> a{};
  std::copy_n(v.begin(), std::min(N, v.size()), a.begin());
  return a;
}
bool is_lower_hex(const std::string& s, std::size_t len) {
  return s.size() == len && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(TdxMockV8, ByteIdenticalToGolden) {
  const Evidence ev = mock_quote_v4(v3_nonce(), MockParams{});
  EXPECT_EQ(ev.quote.size(), 1276u);  // §9.6: 636 + 640 with the defaults
  EXPECT_EQ(ev.quote, v8_quote());
  EXPECT_EQ(ossl_sha256(ev.quote), gh("V8", "quote_sha256"));
  ASSERT_TRUE(ev.event_log);
  EXPECT_EQ(*ev.event_log, gs("V8", "event_log"));
  EXPECT_EQ(ev.rtmrs, golden()["V8"]["rtmrs"]);
  EXPECT_EQ(slice(ev.quote, 568, 64), gh("V8", "report_data"));
}

TEST(TdxMockV8, ProviderWithWsReportDataGivesTheSameEvidence) {
  MockQuoteProvider provider;
  auto ev = provider.get_quote(ws_report_data(v3_nonce()));
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->quote, v8_quote());
  EXPECT_EQ(ev->event_log, gs("V8", "event_log"));
  // A key-binding upper half lands in [600, 632) and the mock signature covers it.
  ByteArray<64> rd = ws_report_data(v3_nonce());
  for (std::size_t i = 32; i < 64; ++i) rd[i] = static_cast<std::uint8_t>(i);
  ev = provider.get_quote(rd);
  ASSERT_TRUE(ev);
  EXPECT_EQ(slice(ev->quote, 568, 64), B(rd));
  EXPECT_EQ(slice(ev->quote, 636, 64), ossl_sha512(cat(as_bytes("PNC-MOCK-SIG"), slice(ev->quote, 0, 632))));
}

TEST(TdxMockV8, DefaultMeasurementsFollowTheSpecFormulas) {
  for (unsigned i = 0; i < 3; ++i) {
    const Bytes expect = ossl_extend(Bytes(48, 0), ossl_sha384("mock-rtmr" + std::to_string(i)));
    EXPECT_EQ(B(mock_rtmr(i)), expect);
    EXPECT_EQ(B(mock_rtmr(i)), test::hex(golden()["V8"]["rtmrs"]["rtmr" + std::to_string(i)].get<std::string>()));
  }
  const Bytes q = v8_quote();
  EXPECT_EQ(slice(q, 28, 20), to_bytes("PNC-MOCK-TDX-QUOTE-1"));
  EXPECT_EQ(slice(q, 184, 48), ossl_sha384("mock-mr-td"));
  EXPECT_EQ(slice(q, 700, 64), ossl_sha512("PNC-MOCK-AK"));
  EXPECT_EQ(slice(q, 1276 - 18, 18), to_bytes("PNC-MOCK-PCK-CHAIN"));
}

TEST(TdxMockOverrides, MeasurementsComposeHashEnvAndKeyBinding) {
  MockParams p;
  p.env_mode = "prod";
  p.mr_td = arr<48>(ossl_sha384("custom-td"));
  p.rtmr0 = arr<48>(ossl_sha384("r0"));
  p.rtmr1 = arr<48>(ossl_sha384("r1"));
  p.rtmr2 = arr<48>(ossl_sha384("r2"));
  p.compose_hash = arr<32>(ossl_sha256("my-compose"));
  p.key_binding = arr<32>(ossl_sha256("binding"));
  const Evidence ev = mock_quote_v4(v3_nonce(), p);
  const Bytes& q = ev.quote;
  EXPECT_EQ(q.size(), 1276u);
  EXPECT_EQ(slice(q, 184, 48), ossl_sha384("custom-td"));
  EXPECT_EQ(slice(q, 376, 48), ossl_sha384("r0"));
  EXPECT_EQ(slice(q, 424, 48), ossl_sha384("r1"));
  EXPECT_EQ(slice(q, 472, 48), ossl_sha384("r2"));
  EXPECT_EQ(slice(q, 568, 32), gh("V3", "rd_ws"));
  EXPECT_EQ(slice(q, 600, 32), ossl_sha256("binding"));
  EXPECT_EQ(slice(q, 636, 64), ossl_sha512(cat(as_bytes("PNC-MOCK-SIG"), slice(q, 0, 632))));

  // The log: the four §9.6 events with the overridden payloads, V1 digests (OpenSSL), and RTMR3
  // in the quote equal to their replay.
  const json log = json::parse(*ev.event_log);
  ASSERT_EQ(log.size(), 4u);
  const std::pair<const char*, Bytes> expect[] = {{"app-id", Bytes(20, 0x11)},
                                                  {"compose-hash", ossl_sha256("my-compose")},
                                                  {"instance-id", Bytes(20, 0x22)},
                                                  {"environment-mode", to_bytes("prod")}};
  Bytes mr(48, 0);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(log[i]["event"], expect[i].first);
    EXPECT_EQ(log[i]["imr"], 3);
    EXPECT_EQ(log[i]["event_type"], 134217729);
    EXPECT_EQ(log[i]["event_payload"], test::to_hex(expect[i].second));
    Bytes msg = {0x01, 0x00, 0x00, 0x08, ':'};
    msg.insert(msg.end(), expect[i].first, expect[i].first + std::strlen(expect[i].first));
    msg.push_back(':');
    msg.insert(msg.end(), expect[i].second.begin(), expect[i].second.end());
    const Bytes digest = ossl_sha384(msg);
    EXPECT_EQ(log[i]["digest"], test::to_hex(digest));
    mr = ossl_extend(mr, digest);
  }
  EXPECT_EQ(slice(q, 520, 48), mr);
  EXPECT_EQ(ev.rtmrs["rtmr3"], test::to_hex(mr));
  EXPECT_EQ(ev.rtmrs["rtmr0"], test::to_hex(ossl_sha384("r0")));
  EXPECT_TRUE(parse_quote(q));
}

// P-QUOTE: the mock signature detects any single-byte change in [0, 632).
TEST(TdxMockSignature, DetectsEverySingleByteChangeOfTheSignedRegion) {
  const Bytes base = v8_quote();
  ASSERT_TRUE(mock_signature_valid(base));
  EXPECT_EQ(B(mock_signature(base)), slice(base, 636, 64));
  for (std::size_t pos = 0; pos < 632; ++pos) {
    Bytes q = base;
    q[pos] ^= 0x01;
    ASSERT_FALSE(mock_signature_valid(q)) << pos;
    reseal_mock_signature(q);  // and the library reseal agrees with the OpenSSL oracle
    Bytes o = q;
    reseal(o);
    ASSERT_EQ(q, o) << pos;
    // A changed version field (bytes 0-1) is no longer a v4 quote: never a valid mock (DEC-30).
    ASSERT_EQ(mock_signature_valid(q), pos > 1) << pos;
  }
  for (std::size_t pos = 636; pos < 700; ++pos) {
    Bytes q = base;
    q[pos] ^= 0x80;
    EXPECT_FALSE(mock_signature_valid(q)) << pos;
  }
  // Bytes outside [0, 632) and the signature field are not covered (by design).
  Bytes q = base;
  q.back() ^= 1;
  EXPECT_TRUE(mock_signature_valid(q));
  EXPECT_FALSE(mock_signature_valid(ByteView(base).first(699)));
  EXPECT_FALSE(mock_signature_valid(Bytes{}));
}

TEST(TdxMockSignature, MarkerDetection) {
  auto q = parse_quote(v8_quote());
  ASSERT_TRUE(q);
  EXPECT_TRUE(has_mock_marker(*q));
  q->user_data[19] ^= 1;
  EXPECT_FALSE(has_mock_marker(*q));
  q->user_data = {};
  EXPECT_FALSE(has_mock_marker(*q));
}

// P-QUOTE: Parse(MockQuoteV4(N)).report_data[0:32] == SHA256(N) for random N.
TEST(TdxMockProperty, ReportDataBindsRandomNonces) {
  std::mt19937 gen(3);
  for (int i = 0; i < 200; ++i) {
    Bytes n(gen() % 64);
    for (auto& b : n) b = static_cast<std::uint8_t>(gen());
    const Evidence ev = mock_quote_v4(n);
    auto q = parse_quote(ev.quote);
    ASSERT_TRUE(q);
    EXPECT_EQ(slice(q->report_data, 0, 32), ossl_sha256(n));
    EXPECT_EQ(slice(q->report_data, 32, 32), Bytes(32, 0));
    EXPECT_EQ(serialize_quote(*q), ev.quote);
  }
}

// ---- upstream shapes (§9.6 table) ----

TEST(TdxUpstreamMocks, SdkProviderShape) {
  DeterministicRng rng(std::uint64_t{1});
  const Bytes n = v3_nonce();
  const Bytes d = ossl_sha256(n);
  const Evidence ev = sdk_mock_quote(n, rng, SdkMockOptions{"prod", std::nullopt, std::nullopt, false});
  ASSERT_EQ(ev.quote.size(), 1024u);
  EXPECT_EQ(slice(ev.quote, 584, 32), d);                // only here is the whole digest
  EXPECT_EQ(slice(ev.quote, 568, 8), slice(d, 0, 8));    // overlapping writes
  EXPECT_EQ(slice(ev.quote, 576, 8), slice(d, 0, 8));
  EXPECT_NE(slice(ev.quote, 568, 32), d);
  EXPECT_NE(slice(ev.quote, 576, 32), d);
  const json log = json::parse(*ev.event_log);
  ASSERT_TRUE(log.is_object());
  EXPECT_EQ(log["dev_mode"], true);
  EXPECT_EQ(log["environment_mode"], "prod");
  EXPECT_EQ(log["compose-hash"], "dev-mode-mock");
  EXPECT_EQ(log["app-id"], "challenge-term-challenge");
  const std::string inst = log["instance-id"];
  ASSERT_EQ(inst.rfind("instance-", 0), 0u);
  EXPECT_TRUE(is_lower_hex(inst.substr(9), 16)) << inst;
  ASSERT_TRUE(ev.rtmrs.is_object());
  ASSERT_EQ(ev.rtmrs.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(is_lower_hex(ev.rtmrs["rtmr" + std::to_string(i)], 96));

  DeterministicRng rng2(std::uint64_t{1}), rng3(std::uint64_t{2});
  EXPECT_EQ(sdk_mock_quote(n, rng2, SdkMockOptions{"prod", std::nullopt, std::nullopt, false}).quote, ev.quote);
  EXPECT_NE(sdk_mock_quote(n, rng3).quote, ev.quote);

  SdkMockOptions opt;
  opt.compose_hash = "abc";
  opt.challenge_id = "chal7";
  const json log2 = json::parse(*sdk_mock_quote(n, rng, opt).event_log);
  EXPECT_EQ(log2["compose-hash"], "abc");
  EXPECT_EQ(log2["app-id"], "challenge-chal7");
  EXPECT_EQ(log2["environment_mode"], "dev");
}

TEST(TdxUpstreamMocks, SdkFallbackShape) {
  DeterministicRng rng(std::uint64_t{9});
  SdkMockOptions opt;
  opt.fallback = true;
  const Evidence ev = sdk_mock_quote(v3_nonce(), rng, opt);
  ASSERT_EQ(ev.quote.size(), 1024u);
  EXPECT_EQ(slice(ev.quote, 584, 32), ossl_sha256(v3_nonce()));
  const json log = json::parse(*ev.event_log);
  EXPECT_EQ(log["compose-hash"], "dev-mode-fallback");
  EXPECT_FALSE(log.contains("app-id"));
  EXPECT_FALSE(log.contains("instance-id"));
  EXPECT_EQ(log["environment_mode"], "dev");
  EXPECT_EQ(ev.rtmrs, json::object());
}

// VAL (LE64 types, hex-text RTMR3 quirk) and API (LE32 types, raw RTMR3, offset 368).
void check_array_mock(const Evidence& ev, std::string_view hotkey, bool api) {
  const Bytes d = ossl_sha256(v3_nonce());
  ASSERT_EQ(ev.quote.size(), 1024u);
  if (api) {
    EXPECT_EQ(slice(ev.quote, 368, 32), d);
    for (std::size_t off : {568u, 576u, 584u}) EXPECT_NE(slice(ev.quote, off, 32), d);
  } else {
    EXPECT_EQ(slice(ev.quote, 584, 32), d);
    EXPECT_EQ(slice(ev.quote, 568, 8), slice(d, 0, 8));
  }
  const json log = json::parse(*ev.event_log);
  ASSERT_TRUE(log.is_array());
  ASSERT_EQ(log.size(), 4u);
  const char* names[] = {"app-id", "instance-id", "compose-hash", "dev-mode"};
  Bytes mr(48, 0);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(log[i]["imr"], 3);
    EXPECT_EQ(log[i]["event_type"], i + 1);
    EXPECT_EQ(log[i]["event"], names[i]);
    const std::string payload = log[i]["event_payload"];
    Bytes msg(api ? 4 : 8, 0);
    msg[0] = static_cast<std::uint8_t>(i + 1);
    msg.push_back(':');
    msg.insert(msg.end(), names[i], names[i] + std::strlen(names[i]));
    msg.push_back(':');
    msg.insert(msg.end(), payload.begin(), payload.end());
    const Bytes digest = ossl_sha384(msg);
    EXPECT_EQ(log[i]["digest"], test::to_hex(digest));
    mr = api ? ossl_extend(mr, digest) : ossl_extend(mr, as_bytes(test::to_hex(digest)));
  }
  EXPECT_EQ(log[0]["event_payload"], "validator-" + std::string(hotkey.substr(0, 16)));
  const std::string inst = log[1]["event_payload"];
  EXPECT_EQ(inst.size(), 17u);
  EXPECT_EQ(inst.rfind("instance-", 0), 0u);
  EXPECT_EQ(log[2]["event_payload"], "dev-" + test::to_hex(slice(ossl_sha256(as_bytes(hotkey)), 0, 16)));
  EXPECT_EQ(log[3]["event_payload"], "true");
  ASSERT_TRUE(ev.rtmrs.is_array());
  ASSERT_EQ(ev.rtmrs.size(), 4u);
  auto padded = [](std::string_view s) { Bytes b(48, 0); std::copy(s.begin(), s.end(), b.begin()); return b; };
  EXPECT_EQ(ev.rtmrs[0], std::string(96, '0'));
  EXPECT_EQ(ev.rtmrs[1], test::to_hex(ossl_extend(Bytes(48, 0), padded("kernel"))));
  EXPECT_EQ(ev.rtmrs[2], test::to_hex(ossl_extend(Bytes(48, 0), padded("initrd"))));
  EXPECT_EQ(ev.rtmrs[3], test::to_hex(mr));
}

TEST(TdxUpstreamMocks, ValidatorShape) {
  DeterministicRng rng(std::uint64_t{4});
  const std::string hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  check_array_mock(val_mock_quote(v3_nonce(), hotkey, rng), hotkey, false);
  const json log = json::parse(*val_mock_quote(v3_nonce(), hotkey, rng, std::string("cafe")).event_log);
  EXPECT_EQ(log[2]["event_payload"], "cafe");
}

TEST(TdxUpstreamMocks, ApiShape) {
  DeterministicRng rng(std::uint64_t{5});
  const std::string hotkey = "short";
  check_array_mock(api_mock_quote(v3_nonce(), hotkey, rng), hotkey, true);
}

TEST(TdxUpstreamMocks, PythonTestMockShape) {
  const Evidence ev = python_test_mock_quote();
  EXPECT_EQ(ev.quote, Bytes(1024, 0x30));
  EXPECT_EQ(json::parse(*ev.event_log), json({{"environment_mode", "dev"}}));
  EXPECT_EQ(ev.rtmrs, json::array({std::string(96, '0'), std::string(96, '0'), std::string(96, '0'), std::string(96, '0')}));
}

}  // namespace
}  // namespace pnc::tdx
