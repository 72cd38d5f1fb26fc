// §3.7 VerifyPeerQuote / §3.8 environment isolation per profile: N-Q-01..15 (§12.9) and
// N-HS-08..17, N-HS-27 (§12.4) at the verify_peer_quote level, plus the report_data helpers.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "pnc/testing/faults.hpp"
#include "pnc/attestation.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_verify.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;
using pnc::test::gs;
using pnc::test::gh;
using nlohmann::json;

constexpr Profile kSeed = Profile::seed_spec, kCompat = Profile::sdk_compat, kHard = Profile::hardened;
constexpr AttestationMode kProd = AttestationMode::prod, kMock = AttestationMode::mock;

Bytes B(ByteView v) { return Bytes(v.begin(), v.end()); }
std::string b64(ByteView b) {  // OpenSSL encoder: test inputs are not produced by pnc::codec
  std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(), static_cast<int>(b.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

class StubDcap final : public DcapVerifier {
 public:
  explicit StubDcap(bool accept) : accept_(accept) {}
  Status verify(ByteView quote) override {
    ++calls;
    seen = B(quote);
    if (accept_) return {};
    return make_error("dcap.tcb_revoked", "stub rejects");
  }
  int calls = 0;
  Bytes seen;

 private:
  bool accept_;
};

// One verification: owns the strings PeerQuoteCheck points at.
struct VerifyCase {
  std::string quote_b64;
  Bytes nonce = v3_nonce();
  PeerQuoteCheck check;
  VerifyCase(Profile p, AttestationMode m, ByteView quote, std::optional<std::string> log, std::string local_env,
      DcapVerifier* dcap = nullptr)
      : quote_b64(b64(quote)) {
    check.profile = p;
    check.mode = m;
    check.event_log = std::move(log);
    check.local_env = std::move(local_env);
    check.dcap = dcap;
  }
  std::string code() {
    check.quote_b64 = quote_b64;
    check.nonce = nonce;
    auto s = verify_peer_quote(check);
    return s ? std::string("ok") : s.error().code;
  }
  std::string message() {
    check.quote_b64 = quote_b64;
    check.nonce = nonce;
    auto s = verify_peer_quote(check);
    return s ? std::string() : s.error().message;
  }
};

std::string v8_log() { return gs("V8", "event_log"); }

// A quote a prod verifier can accept (with a stub DCAP): MockQuoteV4 for env "prod" whose
// user_data no longer carries the mock marker.
struct ProdEvidence {
  Bytes quote;
  std::string log;
};
ProdEvidence prod_evidence(const std::optional<ByteArray<32>>& binding = {}) {
  MockParams p;
  p.env_mode = "prod";
  p.key_binding = binding;
  Evidence ev = mock_quote_v4(v3_nonce(), p);
  std::fill(ev.quote.begin() + 28, ev.quote.begin() + 48, std::uint8_t{0});
  return {ev.quote, *ev.event_log};
}

// ---- attestation.hpp helpers ----

TEST(TdxReportData, WsAndHttpBindingsMatchV3) {
  const auto ws = ws_report_data(v3_nonce());
  EXPECT_EQ(slice(ws, 0, 32), gh("V3", "rd_ws"));
  EXPECT_EQ(slice(ws, 32, 32), Bytes(32, 0));
  const auto http = http_report_data(gs("V3", "nonce_hex"));
  EXPECT_EQ(slice(http, 0, 32), gh("V3", "rd_http"));
  EXPECT_EQ(slice(http, 32, 32), Bytes(32, 0));
  ByteArray<32> bind{};
  bind.fill(0xAB);
  EXPECT_EQ(slice(ws_report_data(v3_nonce(), bind), 32, 32), Bytes(32, 0xAB));
}

TEST(TdxReportData, HardenedKeyBindings) {
  const Bytes val(32, 0x01), chal(32, 0x02);
  EXPECT_EQ(B(key_binding_challenge(val, chal)), ossl_sha256(cat(cat(as_bytes("pnc-kx-v1"), val), chal)));
  EXPECT_EQ(B(key_binding_validator(val)), ossl_sha256(cat(as_bytes("pnc-kx-v1"), val)));
  EXPECT_NE(key_binding_challenge(val, chal), key_binding_challenge(chal, val));
  EXPECT_EQ(to_string(AttestationMode::prod), "prod");
  EXPECT_EQ(to_string(AttestationMode::mock), "mock");
}

// ---- baselines ----

TEST(TdxVerifyBaseline, V8PassesInMockModeInEveryProfile) {
  EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), v8_log(), "dev").code(), "ok");
  EXPECT_EQ(VerifyCase(kCompat, kMock, v8_quote(), v8_log(), "dev").code(), "ok");
  VerifyCase hard(kHard, kMock, v8_quote(), v8_log(), "dev");
  hard.check.key_binding = ByteArray<32>{};  // V8's upper half is zero
  EXPECT_EQ(hard.code(), "ok");
}

TEST(TdxVerifyBaseline, ProdQuotePassesWithDcapAndIsHandedTheDecodedQuote) {
  const auto ev = prod_evidence();
  StubDcap dcap(true);
  EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, ev.log, "prod", &dcap).code(), "ok");
  EXPECT_EQ(dcap.calls, 1);
  EXPECT_EQ(dcap.seen, ev.quote);
}

TEST(TdxVerifyBaseline, ProdWithoutOrWithFailingDcapFails) {
  const auto ev = prod_evidence();
  EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, ev.log, "prod", nullptr).code(), attest_errc::kDcap);
  VerifyCase hard(kHard, kProd, ev.quote, ev.log, "prod", nullptr);
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kDcap);
  StubDcap reject(false);
  VerifyCase r(kSeed, kProd, ev.quote, ev.log, "prod", &reject);
  EXPECT_EQ(r.code(), attest_errc::kDcap);
  EXPECT_NE(r.message().find("dcap.tcb_revoked"), std::string::npos);
  // sdk-compat: the SDK never verifies signatures (D-06), so no DCAP verifier is needed.
  EXPECT_EQ(VerifyCase(kCompat, kProd, ev.quote, R"({"environment_mode":"prod"})", "prod", nullptr).code(), "ok");
}

TEST(TdxVerifyBaseline, MockModeRequiresTheMarker) {
  const auto ev = prod_evidence();
  EXPECT_EQ(VerifyCase(kSeed, kMock, ev.quote, ev.log, "prod").code(), attest_errc::kNotMock);
}

TEST(TdxVerifyBaseline, QuoteEncoding) {
  VerifyCase bad(kSeed, kMock, v8_quote(), v8_log(), "dev");
  bad.quote_b64.insert(10, "\n");
  EXPECT_EQ(bad.code(), attest_errc::kBadEncoding);
  // sdk-compat: Python's lenient b64decode drops the foreign character (quirk).
  VerifyCase lenient(kCompat, kMock, v8_quote(), v8_log(), "dev");
  lenient.quote_b64.insert(10, "\n");
  EXPECT_EQ(lenient.code(), "ok");
  VerifyCase empty(kSeed, kMock, Bytes{}, v8_log(), "dev");
  EXPECT_EQ(empty.code(), attest_errc::kTooShort);
  VerifyCase huge(kSeed, kMock, Bytes(70000, 0), v8_log(), "dev");
  EXPECT_EQ(huge.code(), attest_errc::kStructure);
}

// ---- §12.9 N-Q-01..15 (base case V8, mock mode; mutations in [0,632) resealed) ----

TEST(TdxVerifyNQ, NQ01_Truncations) {
  const Bytes q = v8_quote();
  for (std::size_t len : {std::size_t{47}, std::size_t{48}, std::size_t{631}, std::size_t{632},
                          std::size_t{635}, std::size_t{636}, q.size() - 1}) {
    for (Profile p : {kSeed, kHard})
      EXPECT_EQ(VerifyCase(p, kMock, ByteView(q).first(len), v8_log(), "dev").code(), attest_errc::kTooShort) << len;
    // sdk-compat only has the 1024-byte rule (D-29): a 1275-byte prefix still passes (quirk).
    EXPECT_EQ(VerifyCase(kCompat, kMock, ByteView(q).first(len), v8_log(), "dev").code(),
              len < 1024 ? attest_errc::kTooShort : "ok") << len;
  }
}

TEST(TdxVerifyNQ, NQ02_AppendedByte) {
  Bytes q = v8_quote();
  q.push_back(0x01);  // non-zero: zero padding is valid (DEC-30)
  VerifyCase r(kSeed, kMock, q, v8_log(), "dev");
  EXPECT_EQ(r.code(), attest_errc::kStructure);
  EXPECT_NE(r.message().find(kTrailingBytes), std::string::npos);
  EXPECT_EQ(VerifyCase(kCompat, kMock, q, v8_log(), "dev").code(), "ok");
}

// N-Q-03..08: each structural mutation yields attest.bad_structure naming the tdx rule.
TEST(TdxVerifyNQ, NQ03to08_StructuralMutations) {
  struct Case { const char* id; std::function<void(Bytes&)> mutate; bool reseal_sig; const char* tdx_code; };
  const std::vector<Case> cases = {
      {"NQ03 v3", [](Bytes& q) { wr16(q, 0, 3); }, true, kBadVersion},
      {"NQ03 v5 over the v4 layout", [](Bytes& q) { wr16(q, 0, 5); }, true, kBadBodyType},
      {"NQ03 vFFFF", [](Bytes& q) { wr16(q, 0, 0xFFFF); }, true, kBadVersion},
      {"NQ04 SGX", [](Bytes& q) { wr32(q, 4, 0); }, true, kBadTeeType},
      {"NQ04 0x80", [](Bytes& q) { wr32(q, 4, 0x80); }, true, kBadTeeType},
      {"NQ05 P-384", [](Bytes& q) { wr16(q, 2, 3); }, true, kBadKeyType},
      {"NQ06 S+1", [](Bytes& q) { wr32(q, 632, 641); }, false, nullptr},  // truncated: too short
      {"NQ06 S=0", [](Bytes& q) { wr32(q, 632, 0); }, false, kBadSigLen},
      {"NQ06 S=max", [](Bytes& q) { wr32(q, 632, 0xFFFFFFFFu); }, false, kBadSigLen},
      {"NQ07 outer 5", [](Bytes& q) { wr16(q, 636 + 128, 5); }, false, kBadCertType},
      {"NQ07 inner 6", [](Bytes& q) { wr16(q, 636 + 584 + 32, 6); }, false, kBadInnerCertType},
      {"NQ07 M+1", [](Bytes& q) { wr32(q, 636 + 130, 507); }, false, kBadCertSize},
      {"NQ07 M-1", [](Bytes& q) { wr32(q, 636 + 130, 505); }, false, kBadCertSize},
      {"NQ07 A big", [](Bytes& q) { wr16(q, 636 + 582, 0xFFFF); }, false, kBadQeAuthSize},
      {"NQ08 SEAM", [](Bytes& q) { q[160] = 1; }, true, kSeamAttributes},
  };
  for (const auto& c : cases) {
    Bytes q = v8_quote();
    c.mutate(q);
    if (c.reseal_sig) reseal(q);
    for (Profile p : {kSeed, kHard}) {
      VerifyCase r(p, kMock, q, v8_log(), "dev");
      r.check.key_binding = ByteArray<32>{};
      if (c.tdx_code == nullptr) {
        EXPECT_EQ(r.code(), attest_errc::kTooShort) << c.id;
        continue;
      }
      EXPECT_EQ(r.code(), attest_errc::kStructure) << c.id;
      EXPECT_NE(r.message().find(c.tdx_code), std::string::npos) << c.id << ": " << r.message();
    }
  }
}

// N-Q-09 (= N-HS-10/11 on a structurally valid quote): digest at 576 / 584 instead of 568.
TEST(TdxVerifyNQ, NQ09_DigestAtUpstreamOffsetsOnly) {
  const Bytes d = ossl_sha256(v3_nonce());
  for (std::size_t off : {std::size_t{576}, std::size_t{584}}) {
    Bytes q = v8_quote();
    std::fill(q.begin() + 568, q.begin() + 632, std::uint8_t{0});
    put_at(q, off, d);
    reseal(q);
    EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), attest_errc::kNonceBinding) << off;
    EXPECT_EQ(VerifyCase(kCompat, kMock, q, v8_log(), "dev").code(), "ok") << off;
  }
}

TEST(TdxVerifyNQ, NQ10_UpperReportDataGarbage) {
  Bytes q = v8_quote();
  for (std::size_t i = 600; i < 632; ++i) q[i] = static_cast<std::uint8_t>(i * 7);
  reseal(q);
  EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), "ok");  // not checked in seed-spec
  EXPECT_EQ(VerifyCase(kCompat, kMock, q, v8_log(), "dev").code(), "ok");
  VerifyCase hard(kHard, kMock, q, v8_log(), "dev");
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kKeyBinding);
}

TEST(TdxVerifyNQ, NQ11_DebugTdInProd) {
  auto ev = prod_evidence();
  ev.quote[168] |= 0x01;
  reseal(ev.quote);
  StubDcap dcap(true);
  EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, ev.log, "prod", &dcap).code(), attest_errc::kDebugTd);
  VerifyCase hard(kHard, kProd, ev.quote, ev.log, "prod", &dcap);
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kDebugTd);
  EXPECT_EQ(dcap.calls, 0);  // rejected before DCAP
}

TEST(TdxVerifyNQ, NQ12_MockMarkerInProd) {
  StubDcap dcap(true);
  // V8 is env "dev": give the verifier a matching local env so only the marker can reject.
  EXPECT_EQ(VerifyCase(kSeed, kProd, v8_quote(), v8_log(), "dev", &dcap).code(), attest_errc::kMockMarkerInProd);
  VerifyCase hard(kHard, kProd, v8_quote(), v8_log(), "dev", &dcap);
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kMockMarkerInProd);
  EXPECT_EQ(dcap.calls, 0);
}

TEST(TdxVerifyNQ, NQ13_MockSignatureZeroed) {
  Bytes q = v8_quote();
  std::fill(q.begin() + 636, q.begin() + 700, std::uint8_t{0});
  EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), attest_errc::kMockSignature);
  VerifyCase hard(kHard, kMock, q, v8_log(), "dev");
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kMockSignature);
}

TEST(TdxVerifyNQ, NQ14_Rtmr3DiffersFromQuoteOrReplay) {
  // rtmrs.rtmr3 != quote RTMR3 (the rtmrs object is checked with check_rtmrs).
  auto parsed = parse_quote(v8_quote());
  ASSERT_TRUE(parsed);
  json rtmrs = pnc::test::golden()["V8"]["rtmrs"];
  rtmrs["rtmr3"] = std::string(96, 'f');
  auto st = check_rtmrs(rtmrs, *parsed);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, attest_errc::kRtmrMismatch);
  // Quote RTMR3 != replay of the event log.
  Bytes q = v8_quote();
  q[520] ^= 0x01;
  reseal(q);
  EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), attest_errc::kRtmrMismatch);
  VerifyCase hard(kHard, kMock, q, v8_log(), "dev");
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kRtmrMismatch);
  // sdk-compat never looks at RTMRs.
  EXPECT_EQ(VerifyCase(kCompat, kMock, q, v8_log(), "dev").code(), "ok");
}

TEST(TdxVerifyNQ, NQ15_AlteredEventDigest) {
  json log = json::parse(v8_log());
  std::string digest = log[2]["digest"];
  digest[0] = digest[0] == '0' ? '1' : '0';
  log[2]["digest"] = digest;
  VerifyCase hard(kHard, kMock, v8_quote(), log.dump(), "dev");
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kRtmrMismatch);
  EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), log.dump(), "dev").code(), attest_errc::kRtmrMismatch);
}

TEST(TdxVerifyHardened, PayloadsMustMatchTheirDigestsAndALogIsRequired) {
  json log = json::parse(v8_log());
  log[1]["event_payload"] = test::to_hex(ossl_sha256("other-compose"));  // digest left unchanged
  VerifyCase hard(kHard, kMock, v8_quote(), log.dump(), "dev");
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), kEventDigest);
  // seed-spec replays digests only (RTMR3 still matches): documented difference.
  EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), log.dump(), "dev").code(), "ok");

  for (std::optional<std::string> l : {std::optional<std::string>{}, std::optional<std::string>{R"({"environment_mode":"dev"})"}}) {
    VerifyCase h(kHard, kMock, v8_quote(), l, "dev");
    h.check.key_binding = ByteArray<32>{};
    EXPECT_EQ(h.code(), attest_errc::kRtmrMismatch);
    EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), l, "dev").code(), "ok");  // undefined env passes in mock
  }
}

TEST(TdxVerifyHardened, KeyBindingMustBeSuppliedAndMatch) {
  const Bytes val(32, 0x05), chal(32, 0x06);
  const auto binding = key_binding_challenge(val, chal);
  MockParams p;
  p.key_binding = binding;
  const Evidence ev = mock_quote_v4(v3_nonce(), p);
  VerifyCase ok(kHard, kMock, ev.quote, *ev.event_log, "dev");
  ok.check.key_binding = binding;
  EXPECT_EQ(ok.code(), "ok");
  VerifyCase missing(kHard, kMock, ev.quote, *ev.event_log, "dev");
  EXPECT_EQ(missing.code(), kKeyBindingMissing);
  VerifyCase wrong(kHard, kMock, ev.quote, *ev.event_log, "dev");
  wrong.check.key_binding = key_binding_validator(val);
  EXPECT_EQ(wrong.code(), attest_errc::kKeyBinding);
  // seed-spec and sdk-compat ignore the upper half (D-04: backward compatible).
  EXPECT_EQ(VerifyCase(kSeed, kMock, ev.quote, *ev.event_log, "dev").code(), "ok");
  EXPECT_EQ(VerifyCase(kCompat, kMock, ev.quote, *ev.event_log, "dev").code(), "ok");
}

// ---- §12.4 N-HS-08..17 and N-HS-27 ----

TEST(TdxVerifyNHS, NHS08_TruncatedTo1023) {
  const auto ev = prod_evidence();
  Bytes q = ev.quote;
  q.resize(1023);
  StubDcap dcap(true);
  for (Profile p : {kSeed, kCompat, kHard}) {
    VerifyCase r(p, kProd, q, ev.log, "prod", &dcap);
    EXPECT_EQ(r.code(), attest_errc::kTooShort) << to_string(p);
  }
  VerifyCase compat(kCompat, kProd, Bytes(1023, 0), R"({"environment_mode":"prod"})", "prod");
  EXPECT_EQ(compat.code(), attest_errc::kTooShort);
  EXPECT_NE(compat.message().find("too short"), std::string::npos);
}

TEST(TdxVerifyNHS, NHS09_ReplayedQuoteForAnotherNonce) {
  const auto ev = prod_evidence();
  StubDcap dcap(true);
  for (Profile p : {kSeed, kCompat, kHard}) {
    VerifyCase r(p, kProd, ev.quote, ev.log, "prod", &dcap);
    r.nonce[0] ^= 0xFF;
    EXPECT_EQ(r.code(), attest_errc::kNonceBinding) << to_string(p);
  }
}

TEST(TdxVerifyNHS, NHS10_11_DigestAt584Or576Only) {
  // Upstream-shaped SDK mock (digest complete only at 584): compat accepts; seed fails structure.
  DeterministicRng rng(std::uint64_t{11});
  const Evidence sdk = sdk_mock_quote(v3_nonce(), rng, SdkMockOptions{"prod", {}, {}, false});
  StubDcap dcap(true);
  EXPECT_EQ(VerifyCase(kCompat, kProd, sdk.quote, *sdk.event_log, "prod").code(), "ok");
  EXPECT_EQ(VerifyCase(kSeed, kProd, sdk.quote, *sdk.event_log, "prod", &dcap).code(), attest_errc::kStructure);
  // Structurally valid prod quotes with the digest at 576 / 584 only.
  const Bytes d = ossl_sha256(v3_nonce());
  for (std::size_t off : {std::size_t{576}, std::size_t{584}}) {
    auto ev = prod_evidence();
    std::fill(ev.quote.begin() + 568, ev.quote.begin() + 632, std::uint8_t{0});
    put_at(ev.quote, off, d);
    EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, ev.log, "prod", &dcap).code(), attest_errc::kNonceBinding) << off;
    EXPECT_EQ(VerifyCase(kHard, kProd, ev.quote, ev.log, "prod", &dcap).code(), attest_errc::kNonceBinding) << off;
    EXPECT_EQ(VerifyCase(kCompat, kProd, ev.quote, ev.log, "prod").code(), "ok") << off;
  }
  // API's mock (offset 368) matches nothing upstream either.
  const Evidence api = api_mock_quote(v3_nonce(), "hotkey", rng);
  EXPECT_EQ(VerifyCase(kCompat, kProd, api.quote, R"({"environment_mode":"prod"})", "prod").code(), attest_errc::kNonceBinding);
  EXPECT_FALSE(compat_nonce_match(api.quote, d));
  EXPECT_TRUE(compat_nonce_match(sdk.quote, d));
  EXPECT_FALSE(compat_nonce_match(ByteView(sdk.quote).first(615), d));  // 584 + 32 does not fit
}

TEST(TdxVerifyNHS, NHS12_HttpStyleBindingOnWebSocket) {
  MockParams p;
  const auto rd = http_report_data(gs("V3", "nonce_hex"));  // SHA256(ASCII hex of N)
  const Evidence ev = mock_quote_v4_for(rd, p);
  EXPECT_EQ(slice(ev.quote, 568, 32), gh("V3", "rd_http"));
  for (Profile p2 : {kSeed, kCompat, kHard})
    EXPECT_EQ(VerifyCase(p2, kMock, ev.quote, *ev.event_log, "dev").code(), attest_errc::kNonceBinding) << to_string(p2);
}

TEST(TdxVerifyNHS, NHS13_EnvironmentModeObjectDevAgainstProd) {
  const auto ev = prod_evidence();
  StubDcap dcap(true);
  const std::string log = R"({"environment_mode":"dev"})";
  EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, log, "prod", &dcap).code(), attest_errc::kEnvMismatch);
  VerifyCase compat(kCompat, kProd, ev.quote, log, "prod");
  EXPECT_EQ(compat.code(), attest_errc::kEnvMismatch);
  EXPECT_NE(compat.message().find("Environment mismatch"), std::string::npos);
  // The function reports the failure; the sdk-compat caller waives it when mock_attestation (quirk).
  const Error e = make_error(attest_errc::kEnvMismatch, "");
  EXPECT_TRUE(compat_waives(kCompat, CompatVerifier::sdk_server, CompatFlags{true, false, false, false}, e));
  EXPECT_FALSE(compat_waives(kCompat, CompatVerifier::sdk_server, CompatFlags{}, e));
  EXPECT_FALSE(compat_waives(kSeed, CompatVerifier::sdk_server, CompatFlags{true, true, true, true}, e));
  EXPECT_FALSE(compat_waives(kCompat, CompatVerifier::validator_client, CompatFlags{false, false, true, false}, e));
}

TEST(TdxVerifyNHS, NHS14_DevModeTrueAgainstProd) {
  const auto ev = prod_evidence();
  StubDcap dcap(true);
  for (Profile p : {kSeed, kCompat}) {
    EXPECT_EQ(VerifyCase(p, kProd, ev.quote, R"({"dev_mode":true})", "prod", &dcap).code(), attest_errc::kEnvMismatch);
  }
}

TEST(TdxVerifyNHS, NHS15_NoEnvironmentInformation) {
  const auto ev = prod_evidence();
  StubDcap dcap(true);
  for (std::optional<std::string> log : {std::optional<std::string>{}, std::optional<std::string>{"{}"},
                                         std::optional<std::string>{"not json"},
                                         std::optional<std::string>{R"({"dev_mode":false})"}}) {
    EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, log, "prod", &dcap).code(), attest_errc::kEnvMissing);
    EXPECT_EQ(VerifyCase(kCompat, kProd, ev.quote, log, "prod").code(), "ok");
    // In mock mode an undefined environment passes (D-08).
    EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), log, "prod").code(), "ok");
  }
  // A dstack log whose replay matches but that has no environment-mode event.
  json l = json::parse(ev.log);
  l.erase(3);
  auto parsed = parse_event_log(l.dump());
  ASSERT_TRUE(parsed);
  auto quote = ev.quote;
  put_at(quote, 520, replay_rtmrs(*parsed)[3]);
  EXPECT_EQ(VerifyCase(kSeed, kProd, quote, l.dump(), "prod", &dcap).code(), attest_errc::kEnvMissing);
}

TEST(TdxVerifyNHS, EnvironmentFromTheDstackArray) {
  // Seed reads the environment-mode runtime event: prod log vs dev verifier mismatches.
  const auto ev = prod_evidence();
  StubDcap dcap(true);
  EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, ev.log, "dev", &dcap).code(), attest_errc::kEnvMismatch);
  EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), v8_log(), "prod").code(), attest_errc::kEnvMismatch);
  // sdk-compat ignores arrays (D-07): undefined ⇒ pass.
  EXPECT_EQ(VerifyCase(kCompat, kMock, v8_quote(), v8_log(), "prod").code(), "ok");
}

TEST(TdxVerifyNHS, NHS16_MockMarkerInProd) {
  MockParams p;
  p.env_mode = "prod";
  const Evidence ev = mock_quote_v4(v3_nonce(), p);
  StubDcap dcap(true);
  EXPECT_EQ(VerifyCase(kSeed, kProd, ev.quote, *ev.event_log, "prod", &dcap).code(), attest_errc::kMockMarkerInProd);
  EXPECT_EQ(VerifyCase(kCompat, kProd, ev.quote, R"({"environment_mode":"prod"})", "prod").code(), "ok");
}

TEST(TdxVerifyNHS, NHS17_FlippedBodyByteInMockMode) {
  Bytes q = v8_quote();
  q[200] ^= 0x01;  // inside MRTD: only the mock signature can notice
  EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), attest_errc::kMockSignature);
  VerifyCase hard(kHard, kMock, q, v8_log(), "dev");
  hard.check.key_binding = ByteArray<32>{};
  EXPECT_EQ(hard.code(), attest_errc::kMockSignature);
  EXPECT_EQ(VerifyCase(kCompat, kMock, q, v8_log(), "dev").code(), "ok");
}

TEST(TdxVerifyNHS, NHS27_ComposeHash) {
  const std::string expected = test::to_hex(ossl_sha256("mock-compose"));
  for (Profile p : {kSeed, kCompat}) {
    VerifyCase ok(p, kMock, v8_quote(), v8_log(), "dev");
    ok.check.expected_compose_hash = expected;
    EXPECT_EQ(ok.code(), "ok") << to_string(p);
    VerifyCase other(p, kMock, v8_quote(), v8_log(), "dev");
    other.check.expected_compose_hash = test::to_hex(ossl_sha256("other"));
    EXPECT_EQ(other.code(), attest_errc::kComposeHash) << to_string(p);
    VerifyCase object(p, kMock, v8_quote(), R"({"environment_mode":"dev","compose-hash":")" + expected + "\"}", "dev");
    object.check.expected_compose_hash = expected;
    EXPECT_EQ(object.code(), attest_errc::kComposeHash) << to_string(p);
  }
  // A configured compose hash in the mock quote is what the check then accepts.
  MockParams mp;
  mp.compose_hash = ByteArray<32>{};
  mp.compose_hash->fill(0x3C);
  const Evidence ev = mock_quote_v4(v3_nonce(), mp);
  VerifyCase custom(kSeed, kMock, ev.quote, *ev.event_log, "dev");
  custom.check.expected_compose_hash = test::to_hex(Bytes(32, 0x3C));
  EXPECT_EQ(custom.code(), "ok");
}

TEST(TdxVerifyLimits, EventLogOver1MiB) {
  std::string big = R"({"environment_mode":"dev","pad":")" + std::string(1u << 20, 'x') + "\"}";
  EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), big, "dev").code(), kEventLogTooLarge);
}

TEST(TdxVerifyWaivers, CompatWaiverMatrix) {
  auto e = [](const char* code) { return make_error(code, ""); };
  const CompatFlags none{};
  CompatFlags mock{};
  mock.mock_attestation = true;
  CompatFlags dev{};
  dev.sdk_dev_mode = true;
  CompatFlags vmm{};
  vmm.validator_mock_vmm = true;
  CompatFlags api_dev{};
  api_dev.api_dev = true;
  using V = CompatVerifier;
  // SDK: mock_attestation waives every failure; dev_mode waives only the nonce binding.
  for (const char* c : {attest_errc::kTooShort, attest_errc::kNonceBinding, attest_errc::kEnvMismatch})
    EXPECT_TRUE(compat_waives(kCompat, V::sdk_server, mock, e(c))) << c;
  EXPECT_TRUE(compat_waives(kCompat, V::sdk_server, dev, e(attest_errc::kNonceBinding)));
  EXPECT_FALSE(compat_waives(kCompat, V::sdk_server, dev, e(attest_errc::kTooShort)));
  EXPECT_FALSE(compat_waives(kCompat, V::sdk_server, none, e(attest_errc::kNonceBinding)));
  // VAL: mock VMM waives quote failures, never the environment or compose-hash checks.
  EXPECT_TRUE(compat_waives(kCompat, V::validator_client, vmm, e(attest_errc::kNonceBinding)));
  EXPECT_TRUE(compat_waives(kCompat, V::validator_client, vmm, e(attest_errc::kTooShort)));
  EXPECT_FALSE(compat_waives(kCompat, V::validator_client, vmm, e(attest_errc::kEnvMismatch)));
  EXPECT_FALSE(compat_waives(kCompat, V::validator_client, vmm, e(attest_errc::kComposeHash)));
  EXPECT_FALSE(compat_waives(kCompat, V::validator_client, none, e(attest_errc::kNonceBinding)));
  // API: dev skips everything; no environment check at all.
  EXPECT_TRUE(compat_waives(kCompat, V::api_client, api_dev, e(attest_errc::kNonceBinding)));
  EXPECT_TRUE(compat_waives(kCompat, V::api_client, none, e(attest_errc::kEnvMismatch)));
  EXPECT_FALSE(compat_waives(kCompat, V::api_client, none, e(attest_errc::kNonceBinding)));
  // Strict profiles never waive (D-06).
  for (Profile p : {kSeed, kHard})
    for (V v : {V::sdk_server, V::validator_client, V::api_client})
      EXPECT_FALSE(compat_waives(p, v, CompatFlags{true, true, true, true}, e(attest_errc::kNonceBinding)));
}

// Totality: arbitrary quote text and event logs never crash verify_peer_quote.
TEST(TdxVerifyFuzz, ArbitraryInputsNeverCrash) {
  std::mt19937 gen(77);
  const Bytes base = v8_quote();
  const std::string alphabet = "ABCDEFabcdef0123456789+/=\n -_{}[]\":,";
  for (int i = 0; i < 2000; ++i) {
    Bytes q = base;
    if (i % 3 == 0) q.resize(gen() % (base.size() + 10), 0x41);
    for (int k = 0; k < 3; ++k) q[gen() % q.size()] = static_cast<std::uint8_t>(gen());
    std::string log(gen() % 40, ' ');
    for (auto& c : log) c = alphabet[gen() % alphabet.size()];
    for (Profile p : {kSeed, kCompat, kHard}) {
      for (AttestationMode m : {kProd, kMock}) {
        StubDcap dcap(true);
        VerifyCase r(p, m, q, log, "dev", &dcap);
        r.check.key_binding = ByteArray<32>{};
        (void)r.code();
        VerifyCase garbage(p, m, Bytes{}, std::nullopt, "prod", &dcap);
        garbage.quote_b64 = log;
        EXPECT_NE(garbage.code(), "ok");
      }
    }
  }
}

// ---- fault switches of the campaign-only mutants (pnc/testing/faults.hpp QuoteFaults): the
// spec's check refuses the V8 variant, the faulted check accepts it.

std::string faulted_code(VerifyCase c, void (*on)(pnc::testing::QuoteFaults&)) {
  pnc::testing::QuoteFaults f;
  on(f);
  c.check.faults = &f;
  return c.code();
}

TEST(TdxVerifyFaultSwitches, MockSignaturePrefix63MissesTheLastSignatureByte) {
  Bytes q = v8_quote();
  q[636 + 63] ^= 0x01;  // the last byte of the mock signature field Q[636:700)
  EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), attest_errc::kMockSignature);
  EXPECT_EQ(faulted_code(VerifyCase(kSeed, kMock, q, v8_log(), "dev"),
                         [](pnc::testing::QuoteFaults& f) { f.mock_signature_prefix_63 = true; }), "ok");
  q[636] ^= 0x01;  // a first-byte difference is still seen
  EXPECT_EQ(faulted_code(VerifyCase(kSeed, kMock, q, v8_log(), "dev"),
                         [](pnc::testing::QuoteFaults& f) { f.mock_signature_prefix_63 = true; }), attest_errc::kMockSignature);
}

TEST(TdxVerifyFaultSwitches, Rtmr3Prefix47MissesTheLastRtmr3Byte) {
  Bytes q = v8_quote();
  q[568 - 1] ^= 0x01;  // RTMR3 is Q[520:568): its last byte, resealed
  reseal(q);
  EXPECT_EQ(VerifyCase(kSeed, kMock, q, v8_log(), "dev").code(), attest_errc::kRtmrMismatch);
  EXPECT_EQ(faulted_code(VerifyCase(kSeed, kMock, q, v8_log(), "dev"),
                         [](pnc::testing::QuoteFaults& f) { f.rtmr3_prefix_47 = true; }), "ok");
}

TEST(TdxVerifyFaultSwitches, EnvModeCaseInsensitiveTakesDevForDev) {
  EXPECT_EQ(VerifyCase(kSeed, kMock, v8_quote(), v8_log(), "Dev").code(), attest_errc::kEnvMismatch);
  EXPECT_EQ(faulted_code(VerifyCase(kSeed, kMock, v8_quote(), v8_log(), "Dev"),
                         [](pnc::testing::QuoteFaults& f) { f.env_mode_case_insensitive = true; }), "ok");
  EXPECT_EQ(faulted_code(VerifyCase(kSeed, kMock, v8_quote(), v8_log(), "prod"),
                         [](pnc::testing::QuoteFaults& f) { f.env_mode_case_insensitive = true; }), attest_errc::kEnvMismatch);
}

}  // namespace
}  // namespace pnc::tdx
