// make_evidence (evidence.hpp): mock mode is golden V8 byte for byte through the library; signed
// mode is deterministic, keeps V8's header and body apart from user_data, carries real signature
// data (checked with OpenSSL directly), verifies with the mock root inside the validity window and
// fails with Intel's root and with clocks outside it; providers, bundle JSON, upstream shapes and
// request errors.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pnc/mock_tdx/ecdsa.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/faults.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_signed.hpp"
#include "pnc/tdx_verify.hpp"
#include "support/vectors.hpp"

namespace pnc::mock_tdx {
namespace {

using nlohmann::json;
using test::gh;
using test::golden;
using test::gs;
using test::to_hex;

Bytes v3_nonce() { return gh("V3", "nonce_hex"); }
Bytes cat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
Bytes slice(ByteView b, std::size_t off, std::size_t len) { return Bytes(b.begin() + off, b.begin() + off + len); }

Bytes ossl_sha256(ByteView d) {
  Bytes out(32);
  unsigned n = 0;
  EXPECT_EQ(EVP_Digest(d.data(), d.size(), out.data(), &n, EVP_sha256(), nullptr), 1);
  return out;
}

QuoteRequest request(Mode mode, std::string env = "dev") {
  QuoteRequest r;
  r.mode = mode;
  r.nonce = v3_nonce();
  r.params.env_mode = std::move(env);
  return r;
}

Evidence make(const QuoteRequest& r) {
  auto ev = make_evidence(r);
  EXPECT_TRUE(ev) << (ev ? "" : ev.error().message);
  return ev ? *ev : Evidence{};
}

// OpenSSL ECDSA-SHA256 verification of a raw r || s with a key given as x || y or as an EVP_PKEY.
bool ossl_verify_pkey(EVP_PKEY* key, ByteView msg, ByteView rs) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), 32, nullptr), BN_bin2bn(rs.data() + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key);
  const bool ok = EVP_DigestVerify(md, der, static_cast<std::size_t>(len), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return ok;
}
bool ossl_verify_xy(ByteView xy, ByteView msg, ByteView rs) {
  unsigned char point[65];
  point[0] = 0x04;
  std::copy(xy.begin(), xy.end(), point + 1);
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                         OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
                         OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  const bool ok = key != nullptr && ossl_verify_pkey(key, msg, rs);
  EVP_PKEY_free(key);
  return ok;
}

Status verify_signed(ByteView quote, const std::string& root, std::int64_t now = kReferenceTime) {
  FixedClock clock(now);
  tdx::SignedQuoteConfig cfg;
  cfg.trusted_roots_pem = {root};
  cfg.clock = &clock;
  return tdx::verify_signed_quote(quote, cfg);
}
std::string code(const Status& s) { return s ? "ok" : s.error().code; }
JudgeOptions options(Profile p, std::int64_t now = kReferenceTime) {
  JudgeOptions o;
  o.profile = p;
  o.now = now;
  return o;
}

// ---- mock mode: V8 ----

TEST(MockTdxEvidence, MockModeIsGoldenV8ByteForByte) {
  const Evidence ev = make(request(Mode::mock));
  EXPECT_EQ(ev.quote, test::b64(gs("V8", "quote_b64")));
  EXPECT_EQ(to_hex(ossl_sha256(ev.quote)), gs("V8", "quote_sha256"));
  ASSERT_TRUE(ev.event_log);
  EXPECT_EQ(*ev.event_log, gs("V8", "event_log"));
  EXPECT_EQ(ev.rtmrs, golden()["V8"]["rtmrs"]);
  // The same quote when the 32 bytes are given directly: SHA256(N) of V3 (rd_ws).
  QuoteRequest r = request(Mode::mock);
  r.nonce.reset();
  std::array<std::uint8_t, 32> rd{};
  const Bytes ws = gh("V3", "rd_ws");
  std::copy(ws.begin(), ws.end(), rd.begin());
  r.report_data = rd;
  EXPECT_EQ(make(r).quote, ev.quote);
}

TEST(MockTdxEvidence, MockModeOverridesAreTheReferencesMockQuoteV4) {
  QuoteRequest r = request(Mode::mock, "prod");
  r.params.mr_td = tdx::Measurement{};
  r.params.mr_td->fill(0x42);
  r.params.rtmr1 = tdx::Measurement{};
  r.params.compose_hash = ByteArray<32>{};
  r.params.key_binding = ByteArray<32>{};
  r.params.key_binding->fill(0x07);
  const Evidence ev = make(r);
  const Evidence ref = tdx::mock_quote_v4(v3_nonce(), r.params);
  EXPECT_EQ(ev.quote, ref.quote);
  EXPECT_EQ(ev.event_log, ref.event_log);
  EXPECT_EQ(ev.rtmrs, ref.rtmrs);
  EXPECT_EQ(slice(ev.quote, 600, 32), Bytes(32, 0x07));
}

// ---- signed mode ----

TEST(MockTdxEvidence, SignedModeIsDeterministicAndKeepsV8sBody) {
  const Evidence a = make(request(Mode::signed_quote)), b = make(request(Mode::signed_quote));
  EXPECT_EQ(a.quote, b.quote);
  const Bytes v8 = test::b64(gs("V8", "quote_b64"));
  EXPECT_EQ(slice(a.quote, 0, 28), slice(v8, 0, 28));
  EXPECT_EQ(slice(a.quote, 28, 20), to_bytes(kSignedTag));
  EXPECT_EQ(slice(a.quote, 48, 584), slice(v8, 48, 584));  // body, REPORTDATA included
  EXPECT_EQ(a.event_log, gs("V8", "event_log"));
  EXPECT_EQ(a.rtmrs, golden()["V8"]["rtmrs"]);
  auto q = tdx::parse_quote(a.quote);
  ASSERT_TRUE(q);
  EXPECT_FALSE(tdx::has_mock_marker(*q));
  EXPECT_EQ(q->attestation_key, P256Key::from_label(kAttestationKeyLabel).public_xy());
  EXPECT_EQ(pnc::to_string(q->pck_chain), pck_chain_pem());
  EXPECT_EQ(a.quote.size(), 636 + 134 + 384 + 64 + 2 + 32 + 6 + pck_chain_pem().size());
}

TEST(MockTdxEvidence, SignedModeSignatureDataIsRealEcdsa) {
  const Evidence ev = make(request(Mode::signed_quote));
  auto q = tdx::parse_quote(ev.quote);
  ASSERT_TRUE(q);
  // Quote signature by the attestation key over header || body.
  EXPECT_TRUE(ossl_verify_xy(q->attestation_key, slice(ev.quote, 0, 632), q->ecdsa_signature));
  // QE report: binding and signature by the key of the PCK leaf certificate in the quote.
  EXPECT_EQ(slice(q->qe_report, 320, 32), ossl_sha256(cat(q->attestation_key, q->qe_auth_data)));
  EXPECT_EQ(slice(q->qe_report, 352, 32), Bytes(32, 0));
  BIO* bio = BIO_new_mem_buf(q->pck_chain.data(), static_cast<int>(q->pck_chain.size()));
  X509* leaf = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(leaf, nullptr);
  EXPECT_TRUE(ossl_verify_pkey(X509_get0_pubkey(leaf), q->qe_report, q->qe_report_signature));
  X509_free(leaf);
  // QE report fields of evidence.hpp.
  EXPECT_EQ(slice(q->qe_report, 64, 32), ossl_sha256(as_bytes(kQeMrEnclaveLabel)));
  EXPECT_EQ(slice(q->qe_report, 128, 32), ossl_sha256(as_bytes(kQeMrSignerLabel)));
  EXPECT_EQ(slice(q->qe_report, 256, 4), (Bytes{0x02, 0x00, 0x01, 0x00}));
  Bytes auth(32);
  for (std::size_t i = 0; i < 32; ++i) auth[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(q->qe_auth_data, auth);
}

TEST(MockTdxEvidence, SignedQuoteVerifiesWithTheMockRootOnlyInsideTheWindow) {
  const Evidence ev = make(request(Mode::signed_quote, "prod"));
  const std::string& mock_root = mock_root_ca().pem;
  EXPECT_EQ(code(verify_signed(ev.quote, mock_root)), "ok");
  EXPECT_EQ(code(verify_signed(ev.quote, mock_root, kPkiNotBefore)), "ok");
  EXPECT_EQ(code(verify_signed(ev.quote, mock_root, kPkiNotAfter - 1)), "ok");
  EXPECT_EQ(code(verify_signed(ev.quote, mock_root, kPkiNotBefore - 1)), tdx::kSigCertNotYetValid);
  EXPECT_EQ(code(verify_signed(ev.quote, mock_root, kPkiNotAfter + 1)), tdx::kSigCertExpired);
  EXPECT_EQ(code(verify_signed(ev.quote, std::string(tdx::intel_sgx_root_ca_pem()))), tdx::kSigChainUntrusted);
  // The whole §3.7 prod path, through judge().
  const QuoteRequest r = request(Mode::signed_quote, "prod");
  EXPECT_TRUE(judge(r, ev));
  for (Profile p : {Profile::seed_spec, Profile::hardened}) EXPECT_TRUE(judge(r, ev, options(p)));
  JudgeOptions intel_root;
  intel_root.roots_pem = std::vector<std::string>{std::string(tdx::intel_sgx_root_ca_pem())};
  const Status intel = judge(r, ev, intel_root);
  ASSERT_FALSE(intel);
  EXPECT_EQ(intel.error().code, attest_errc::kDcap);
  EXPECT_NE(intel.error().message.find(tdx::kSigChainUntrusted), std::string::npos);
  EXPECT_EQ(code(judge(r, ev, options(Profile::seed_spec, kPkiNotAfter + 1))), attest_errc::kDcap);
}

TEST(MockTdxEvidence, ModesDoNotCross) {
  // A mock-mode verifier wants the marker; a prod verifier never accepts MockQuoteV4.
  const Evidence s = make(request(Mode::signed_quote));
  QuoteRequest as_mock = request(Mode::mock);
  EXPECT_EQ(code(judge(as_mock, s)), attest_errc::kNotMock);
  const Evidence m = make(request(Mode::mock));
  QuoteRequest as_signed = request(Mode::signed_quote);
  EXPECT_EQ(code(judge(as_signed, m)), attest_errc::kMockMarkerInProd);
  EXPECT_EQ(code(verify_signed(m.quote, mock_root_ca().pem)), tdx::kSigMockMarker);
}

TEST(MockTdxEvidence, SignedProviderAndOverrides) {
  tdx::MockParams p;
  p.env_mode = "prod";
  p.mr_td = tdx::Measurement{};
  SignedQuoteProvider provider(p);
  auto ev = provider.get_quote(ws_report_data(v3_nonce()));
  ASSERT_TRUE(ev);
  QuoteRequest r = request(Mode::signed_quote, "prod");
  r.params = p;
  EXPECT_EQ(ev->quote, make(r).quote);
  EXPECT_EQ(slice(ev->quote, 184, 48), Bytes(48, 0));
  EXPECT_EQ(code(verify_signed(ev->quote, mock_root_ca().pem)), "ok");
  EXPECT_EQ(signed_quote_v4_for(ws_report_data(v3_nonce())).quote, make(request(Mode::signed_quote)).quote);
}

TEST(MockTdxEvidence, BundleJson) {
  const Evidence ev = make(request(Mode::mock));
  const std::string text = evidence_json(ev);
  EXPECT_EQ(text.rfind("{\"quote\":\"", 0), 0u);
  const json j = json::parse(text);
  EXPECT_EQ(j.size(), 3u);
  EXPECT_EQ(j["quote"], gs("V8", "quote_b64"));
  EXPECT_EQ(j["event_log"], gs("V8", "event_log"));
  EXPECT_EQ(j["rtmrs"], golden()["V8"]["rtmrs"]);
  Evidence none{Bytes{1, 2, 3}, std::nullopt, json()};
  EXPECT_EQ(evidence_json(none), "{\"quote\":\"AQID\",\"event_log\":null,\"rtmrs\":null}");
}

TEST(MockTdxEvidence, RequestErrors) {
  QuoteRequest r = request(Mode::mock);
  r.report_data = ByteArray<32>{};
  EXPECT_EQ(make_evidence(r).error().code, kBadBinding);  // both
  r.nonce.reset();
  r.report_data.reset();
  EXPECT_EQ(make_evidence(r).error().code, kBadBinding);  // none
  r = request(Mode::mock, "staging");
  EXPECT_EQ(make_evidence(r).error().code, kBadEnv);
  r = request(Mode::mock);
  r.fault = "no-such-fault";
  EXPECT_EQ(make_evidence(r).error().code, kUnknownFault);
  r.fault = "pck-expired";
  EXPECT_EQ(make_evidence(r).error().code, kFaultNotApplicable);
  r = request(Mode::signed_quote);
  r.fault = "mock-sig-zero";
  EXPECT_EQ(make_evidence(r).error().code, kFaultNotApplicable);
  r.fault = "env-dev-mode-flag";
  EXPECT_EQ(make_evidence(r).error().code, kFaultNotApplicable);  // needs env prod
  r.nonce.reset();
  r.report_data = ByteArray<32>{};
  r.params.env_mode = "prod";
  r.fault = "nonce-http-style";
  EXPECT_EQ(make_evidence(r).error().code, kFaultNotApplicable);  // needs a nonce
  r.fault = "nonce-at-584";
  EXPECT_TRUE(make_evidence(r));
  EXPECT_EQ(judge(r, make(r)).error().code, kBadBinding);  // judge needs the nonce
}

// ---- upstream shapes (§9.6 table) ----

TEST(MockTdxEvidence, UpstreamShapesAreReproducibleAndPlaced) {
  UpstreamRequest r;
  r.nonce = v3_nonce();
  const Bytes digest = gh("V3", "rd_ws");
  for (Upstream k : {Upstream::sdk, Upstream::sdk_fallback, Upstream::val, Upstream::api, Upstream::python_test}) {
    EXPECT_EQ(parse_upstream(to_string(k)), k);
    const Evidence a = upstream_evidence(k, r), b = upstream_evidence(k, r);
    EXPECT_EQ(a.quote, b.quote);
    EXPECT_EQ(a.event_log, b.event_log);
    EXPECT_EQ(a.quote.size(), 1024u);
  }
  const Evidence sdk = upstream_evidence(Upstream::sdk, r);
  EXPECT_EQ(slice(sdk.quote, 584, 32), digest);      // overlapping writes: only 584 holds it whole
  EXPECT_EQ(slice(sdk.quote, 568, 8), slice(digest, 0, 8));
  EXPECT_NE(slice(sdk.quote, 568, 32), digest);
  EXPECT_TRUE(tdx::compat_nonce_match(sdk.quote, digest));
  EXPECT_EQ(json::parse(*sdk.event_log)["environment_mode"], "dev");
  const Evidence api = upstream_evidence(Upstream::api, r);
  EXPECT_EQ(slice(api.quote, 368, 32), digest);
  EXPECT_FALSE(tdx::compat_nonce_match(api.quote, digest));
  EXPECT_TRUE(api.rtmrs.is_array());
  EXPECT_EQ(upstream_evidence(Upstream::python_test, r).quote, Bytes(1024, '0'));
  EXPECT_EQ(upstream_evidence(Upstream::sdk_fallback, r).rtmrs, json::object());
  UpstreamRequest other = r;
  other.seed = 1;
  EXPECT_NE(upstream_evidence(Upstream::val, other).quote, upstream_evidence(Upstream::val, r).quote);
  EXPECT_FALSE(parse_upstream("mock"));
  EXPECT_EQ(parse_mode("signed"), Mode::signed_quote);
  EXPECT_FALSE(parse_mode("sdk"));
}

}  // namespace
}  // namespace pnc::mock_tdx
