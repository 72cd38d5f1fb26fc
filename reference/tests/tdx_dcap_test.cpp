// Offline DCAP verification (tdx_dcap.hpp) against real Intel data: dcap-qvl's TDX quote and its
// collateral (vectors/real-tdx/dcap-qvl, PROVENANCE.md: dcap-qvl reports UpToDate inside the
// collateral's window), one changed byte in each signed part, expiry, and revocation through a
// throwaway PKI made here with OpenSSL (Intel's CRLs cannot be re-signed).
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "pnc/clock.hpp"
#include "pnc/tdx_dcap.hpp"
#include "pnc/tdx_signed.hpp"
#include "support/vectors.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx::dcap {
namespace {

using test::hex;
using test::load_json;
using test::read_bytes;

// Inside every window of the dcap-qvl collateral: TCB info 2025-06-19T10:16:03Z..2025-07-19T10:16:03Z,
// QE identity ..10:32:27Z, PCK CRL 2025-06-19T10:00:35Z..2025-07-19T10:00:35Z (openssl crl -text).
constexpr std::int64_t kInsideWindow = 1751328000;        // 2025-07-01T00:00:00Z
constexpr std::int64_t kTcbInfoNextUpdate = 1752920163;   // 2025-07-19T10:16:03Z

std::string collateral_text() {
  const Bytes b = read_bytes("real-tdx/dcap-qvl/tdx_quote_collateral.json");
  return std::string(b.begin(), b.end());
}
Collateral collateral() {
  auto c = parse_collateral(collateral_text());
  EXPECT_TRUE(c.ok()) << c.error().message;
  return *c;
}
Bytes quote() { return read_bytes("real-tdx/dcap-qvl/tdx_quote"); }
DcapOptions options(std::int64_t now = kInsideWindow) {
  return DcapOptions{{std::string(intel_sgx_root_ca_pem())}, now, TcbPolicy{}, Profile::seed_spec};
}
const Check* find(const DcapResult& r, std::string_view name) {
  for (const auto& c : r.checks)
    if (c.name == name) return &c;
  return nullptr;
}
std::string failed(const DcapResult& r, std::string_view name) {
  const Check* c = find(r, name);
  if (c == nullptr) return "<not run>";
  return c->error ? c->error->code : "ok";
}

TEST(DcapReal, DcapQvlSampleIsUpToDateInsideTheCollateralWindow) {
  const auto r = verify_dcap(quote(), collateral(), options());
  for (const auto& c : r.checks) EXPECT_FALSE(c.error) << c.name << ": " << c.error->code << ": " << c.error->message;
  EXPECT_TRUE(r.ok());
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(to_string(*r.status), "UpToDate");  // what dcap-qvl reports for its sample
  EXPECT_TRUE(r.advisory_ids.empty());
  EXPECT_EQ(r.fmspc, "b0c06f000000");  // tcb_info's "fmspc", lowercased
  for (const char* name : {"quote_signature", "qe_report_signature", "qe_report_binding", "pck_chain",
                           "tcb_info_signature", "qe_identity_signature", "fmspc", "qe_identity", "tcb_level"})
    EXPECT_EQ(failed(r, name), "ok") << name;
}

TEST(DcapReal, OneChangedBodyByteIsRefused) {
  for (std::size_t at : {std::size_t{100}, std::size_t{631}}) {  // MRSEAM, last REPORTDATA byte
    Bytes q = quote();
    q[at] ^= 0x01;
    const auto r = verify_dcap(q, collateral(), options());
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(failed(r, "quote_signature"), kQuoteSignature) << at;
    EXPECT_EQ(failed(r, "qe_report_signature"), "ok");
  }
}

TEST(DcapReal, ChangedQeReportIsRefused) {
  Bytes q = quote();
  q[636 + kRelQeReport + 258] ^= 0x01;  // QE ISVSVN, signed by the PCK key
  const auto r = verify_dcap(q, collateral(), options());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(failed(r, "qe_report_signature"), kQeReportSignature);
  EXPECT_EQ(r.verdict().error().code, kQeReportSignature);  // the first failure
}

TEST(DcapReal, ChangedAttestationKeyBreaksTheQeBinding) {
  Bytes q = quote();
  q[636 + kRelAttestKey + 5] ^= 0x01;
  const auto r = verify_dcap(q, collateral(), options());
  EXPECT_EQ(failed(r, "qe_report_binding"), kQeReportBinding);
}

TEST(DcapReal, ExpiredAndNotYetValidCollateralIsRefused) {
  const auto late = verify_dcap(quote(), collateral(), options(kTcbInfoNextUpdate + 1));
  EXPECT_FALSE(late.ok());
  EXPECT_EQ(failed(late, "tcb_info_window"), kCollateralExpired);
  EXPECT_EQ(failed(late, "pck_chain"), kCrlExpired);  // the PCK CRL ran out 15 minutes earlier
  const auto early = verify_dcap(quote(), collateral(), options(1750291200));  // 2025-06-19T00:00:00Z
  EXPECT_FALSE(early.ok());
  EXPECT_EQ(failed(early, "tcb_info_window"), kCollateralNotYetValid);
  EXPECT_EQ(failed(early, "qe_identity_window"), kCollateralNotYetValid);
}

TEST(DcapReal, OneChangedByteOfTcbInfoOrQeIdentityIsRefused) {
  {
    Collateral c = collateral();
    const auto at = c.tcb_info.find("\"tcbEvaluationDataNumber\":17");
    ASSERT_NE(at, std::string::npos);
    c.tcb_info[at + 26] = '8';  // 17 -> 18: still valid TCB info, no longer Intel's signed text
    const auto r = verify_dcap(quote(), c, options());
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(failed(r, "tcb_info_format"), "ok");
    EXPECT_EQ(failed(r, "tcb_info_signature"), kTcbInfoSignature);
  }
  {
    Collateral c = collateral();
    const auto at = c.qe_identity.find("\"isvprodid\":2");
    ASSERT_NE(at, std::string::npos);
    c.qe_identity[at + 12] = '3';
    const auto r = verify_dcap(quote(), c, options());
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(failed(r, "qe_identity_signature"), kQeIdentitySignature);
    EXPECT_EQ(failed(r, "qe_identity"), kQeIdentityMismatch);  // ISVPRODID 2 in the QE report
  }
}

TEST(DcapReal, FmspcOfAnotherPlatformIsRefused) {
  Collateral c = collateral();
  const auto at = c.tcb_info.find("\"fmspc\":\"B0C06F000000\"");
  ASSERT_NE(at, std::string::npos);
  c.tcb_info[at + 9] = 'C';  // B0C06F -> C0C06F (signature breaks too; both are reported)
  const auto r = verify_dcap(quote(), c, options());
  EXPECT_EQ(failed(r, "fmspc"), kFmspcMismatch);
  EXPECT_EQ(failed(r, "tcb_info_signature"), kTcbInfoSignature);
}

TEST(DcapReal, PolicySaysWhichStatusesAreAccepted) {
  DcapOptions o = options();
  o.policy.accepted = {TcbStatus::OutOfDate};
  const auto r = verify_dcap(quote(), collateral(), o);
  EXPECT_FALSE(r.ok());
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(*r.status, TcbStatus::UpToDate);  // still reported
  EXPECT_EQ(failed(r, "tcb_status"), kTcbStatusRejected);
  auto any = parse_policy("any");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->accepted.size(), 7u);
  auto two = parse_policy("UpToDate,OutOfDate");
  ASSERT_TRUE(two.ok());
  EXPECT_TRUE(two->accepts(TcbStatus::OutOfDate));
  EXPECT_FALSE(two->accepts(TcbStatus::SWHardeningNeeded));
  EXPECT_EQ(parse_policy("UpToDate,Fine").error().code, kConfig);
  EXPECT_EQ(parse_policy("").error().code, kConfig);
  // §3.7 step 3: prod accepts UpToDate, SWHardeningNeeded and ConfigurationNeeded (VAL's policy).
  const TcbPolicy prod = TcbPolicy::protocol();
  EXPECT_EQ(prod.accepted, (std::set<TcbStatus>{TcbStatus::UpToDate, TcbStatus::SWHardeningNeeded,
                                                TcbStatus::ConfigurationNeeded}));
}

TEST(DcapReal, GarbageCollateralHasNamedErrors) {
  EXPECT_EQ(parse_collateral("not json").error().code, kCollateralFormat);
  EXPECT_EQ(parse_collateral("{}").error().code, kCollateralFormat);
  auto doc = load_json("real-tdx/dcap-qvl/tdx_quote_collateral.json");
  doc["pck_crl"] = "zz";
  EXPECT_EQ(parse_collateral(doc.dump()).error().code, kCollateralFormat);
  Collateral c = collateral();
  c.pck_crl.resize(10);
  const auto r = verify_dcap(quote(), c, options());
  EXPECT_EQ(failed(r, "crls"), kCollateralFormat);
  c = collateral();
  c.tcb_info = "{\"id\":\"TDX\"}";
  EXPECT_EQ(failed(verify_dcap(quote(), c, options()), "tcb_info_format"), kTcbInfoFormat);
  const Bytes whole = quote();
  const auto truncated = verify_dcap(Bytes(whole.begin(), whole.begin() + 700), collateral(), options());
  EXPECT_EQ(truncated.verdict().error().code, kTruncated);
}

TEST(DcapReal, PckExtensionsOfTheRealLeaf) {
  // FMSPC and PCE-ID as the TCB info for this platform names them (tcb_info "fmspc"/"pceId").
  const auto q = parse_quote(quote());
  ASSERT_TRUE(q.ok());
  const std::string text(q->pck_chain.begin(), q->pck_chain.end());
  const auto end = text.find("-----END CERTIFICATE-----");
  ASSERT_NE(end, std::string::npos);
  const std::string leaf_pem = text.substr(0, end + 25);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(leaf_pem.data(), static_cast<int>(leaf_pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  ASSERT_TRUE(leaf);
  unsigned char* der = nullptr;
  const int len = i2d_X509(leaf.get(), &der);
  ASSERT_GT(len, 0);
  const Bytes leaf_der(der, der + len);
  OPENSSL_free(der);
  const auto ext = parse_pck_extensions(leaf_der);
  ASSERT_TRUE(ext.ok()) << ext.error().message;
  EXPECT_EQ(test::to_hex(ext->fmspc), "b0c06f000000");
  EXPECT_EQ(test::to_hex(ext->pce_id), "0000");
  EXPECT_EQ(parse_pck_extensions(Bytes(leaf_der.begin(), leaf_der.begin() + 100)).error().code, kPckExtensions);
}

// go-tdx-guest's v5 quote (TD report 1.5, PCK leaf of 2026, FMSPC 90c06f000000) with its TDX TCB
// info v5 (sample_tcbinfo_response_v5: Intel's response body, the signed "tcbInfo" text and the
// signature; `openssl dgst -sha256 -verify` accepts it with the TCB signing certificate of the
// dcap-qvl collateral, serial 7E3882D5...F455). No complete v5 collateral exists in the sources:
// the only QE identity and CRLs at hand (dcap-qvl's) expired in July 2025, the TCB info starts in
// February 2026. So the signatures, the FMSPC and the TCB evaluation are checked, and the verdict
// is a refusal for the expired parts; no status is asserted (the source states none).
TEST(DcapReal, GoTdxGuestV5SampleAgainstItsV5TcbInfo) {
  const Bytes response = read_bytes("real-tdx/go-tdx-guest/sample_tcbinfo_response_v5");
  const std::string body(response.begin(), response.end());
  const std::string head = "{\"tcbInfo\":", sig_key = ",\"signature\":\"";
  ASSERT_EQ(body.rfind(head, 0), 0u);
  const auto sig_at = body.rfind(sig_key);
  ASSERT_NE(sig_at, std::string::npos);
  Collateral c = collateral();
  c.tcb_info = body.substr(head.size(), sig_at - head.size());
  c.tcb_info_signature = hex(body.substr(sig_at + sig_key.size(), 128));
  const Bytes v5 = read_bytes("real-tdx/go-tdx-guest/quote_v5_sample.dat");
  const auto r = verify_dcap(v5, c, options(1771200000));  // 2026-02-16T00:00:00Z, inside the TCB info
  for (const char* name : {"quote_structure", "quote_signature", "qe_report_signature", "qe_report_binding",
                           "tcb_info_format", "tcb_info_chain", "tcb_info_signature", "tcb_info_window",
                           "tcb_info_tdx", "pck_extensions", "fmspc", "pce_id", "qe_identity"})
    EXPECT_EQ(failed(r, name), "ok") << name;
  EXPECT_EQ(r.fmspc, "90c06f000000");
  EXPECT_EQ(failed(r, "qe_identity_window"), kCollateralExpired);
  EXPECT_EQ(failed(r, "pck_chain"), kCrlExpired);
  EXPECT_FALSE(r.ok());
  // One changed byte of the v5 TD report 1.5 body (MRSERVICETD's last byte, signed region 0..701).
  Bytes changed = v5;
  changed[701] ^= 0x01;
  EXPECT_EQ(failed(verify_dcap(changed, c, options(1771200000)), "quote_signature"), kQuoteSignature);
}

TEST(DcapReal, CollateralDcapVerifierIsTheProdDcapVerifier) {
  FixedClock clock(kInsideWindow);
  CollateralDcapVerifier verifier(collateral(), {std::string(intel_sgx_root_ca_pem())}, clock);
  DcapVerifier& dcap = verifier;  // what PeerQuoteCheck::dcap points to in prod mode
  EXPECT_TRUE(dcap.verify(quote()).ok());
  clock.set(kTcbInfoNextUpdate + 1);
  const auto late = dcap.verify(quote());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, kCollateralExpired);  // the first failed check: tcb_info_window
  clock.set(kInsideWindow);
  Bytes q = quote();
  q[200] ^= 0x80;
  EXPECT_EQ(dcap.verify(q).error().code, kQuoteSignature);
}

// ---- Revocation and CRL windows through a throwaway PKI: root -> CA -> leaf, both CRLs ----

struct TestPki {
  using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
  using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;
  static constexpr std::int64_t kNotBefore = 1700000000, kNotAfter = 1900000000;
  static constexpr std::int64_t kCrlThis = 1750000000, kCrlNext = 1760000000;

  KeyPtr root_key{EVP_EC_gen("P-256"), EVP_PKEY_free};
  KeyPtr ca_key{EVP_EC_gen("P-256"), EVP_PKEY_free};
  KeyPtr leaf_key{EVP_EC_gen("P-256"), EVP_PKEY_free};
  CertPtr root = cert("Test Root", 1, root_key.get(), nullptr, root_key.get(), true);
  CertPtr ca = cert("Test PCK CA", 2, ca_key.get(), root.get(), root_key.get(), true);
  CertPtr leaf = cert("Test PCK", 3, leaf_key.get(), ca.get(), ca_key.get(), false);

  static CertPtr cert(const char* cn, long serial, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, bool is_ca) {
    CertPtr c(X509_new(), X509_free);
    X509_set_version(c.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial);
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    X509_set_issuer_name(c.get(), issuer ? X509_get_subject_name(issuer) : name);
    ASN1_TIME_set(X509_getm_notBefore(c.get()), kNotBefore);
    ASN1_TIME_set(X509_getm_notAfter(c.get()), kNotAfter);
    X509_set_pubkey(c.get(), key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : c.get(), c.get(), nullptr, nullptr, 0);
    X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
    X509_add_ext(c.get(), bc, -1);
    X509_EXTENSION_free(bc);
    X509_EXTENSION* ku = X509V3_EXT_conf_nid(nullptr, &ctx, NID_key_usage,
                                             is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    X509_add_ext(c.get(), ku, -1);
    X509_EXTENSION_free(ku);
    EXPECT_GT(X509_sign(c.get(), issuer_key, EVP_sha256()), 0);
    return c;
  }
  // A CRL of `issuer` listing `revoked_serial` (0: none).
  static Bytes crl(X509* issuer, EVP_PKEY* key, long revoked_serial) {
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> c(X509_CRL_new(), X509_CRL_free);
    X509_CRL_set_version(c.get(), 1);
    X509_CRL_set_issuer_name(c.get(), X509_get_subject_name(issuer));
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> t1(ASN1_TIME_set(nullptr, kCrlThis), ASN1_TIME_free),
        t2(ASN1_TIME_set(nullptr, kCrlNext), ASN1_TIME_free);
    X509_CRL_set1_lastUpdate(c.get(), t1.get());
    X509_CRL_set1_nextUpdate(c.get(), t2.get());
    if (revoked_serial != 0) {
      X509_REVOKED* r = X509_REVOKED_new();
      std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> serial(ASN1_INTEGER_new(), ASN1_INTEGER_free);
      ASN1_INTEGER_set(serial.get(), revoked_serial);
      X509_REVOKED_set_serialNumber(r, serial.get());
      X509_REVOKED_set_revocationDate(r, t1.get());
      X509_CRL_add0_revoked(c.get(), r);
    }
    EXPECT_GT(X509_CRL_sign(c.get(), key, EVP_sha256()), 0);
    unsigned char* der = nullptr;
    const int len = i2d_X509_CRL(c.get(), &der);
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
  }
  static std::string pem(X509* c) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), c);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
  }
  std::string chain() const { return pem(leaf.get()) + pem(ca.get()) + pem(root.get()); }
  Bytes root_crl() const { return crl(root.get(), root_key.get(), 0); }
  Bytes ca_crl(long revoked) const { return crl(ca.get(), ca_key.get(), revoked); }
};

TEST(DcapChain, RevokedPckAndCrlWindowsThroughATestPki) {
  TestPki pki;
  const std::vector<std::string> roots = {TestPki::pem(pki.root.get())};
  constexpr std::int64_t now = 1755000000;  // inside the CRLs' window
  EXPECT_TRUE(verify_pck_chain(pki.chain(), pki.root_crl(), pki.ca_crl(0), roots, now).ok());
  EXPECT_TRUE(verify_pck_chain(pki.chain(), pki.root_crl(), pki.ca_crl(99), roots, now).ok());  // another serial
  EXPECT_EQ(verify_pck_chain(pki.chain(), pki.root_crl(), pki.ca_crl(3), roots, now).error().code, kPckRevoked);
  // The CA itself on the root's CRL.
  const Bytes root_crl_revoking_ca = TestPki::crl(pki.root.get(), pki.root_key.get(), 2);
  EXPECT_EQ(verify_pck_chain(pki.chain(), root_crl_revoking_ca, pki.ca_crl(0), roots, now).error().code, kPckRevoked);
  EXPECT_EQ(verify_pck_chain(pki.chain(), pki.root_crl(), pki.ca_crl(0), roots, TestPki::kCrlNext + 1).error().code,
            kCrlExpired);
  EXPECT_EQ(verify_pck_chain(pki.chain(), pki.root_crl(), pki.ca_crl(0), roots, TestPki::kCrlThis - 1).error().code,
            kCrlNotYetValid);
  // A CRL signed by the wrong key, and a CA CRL swapped for the root's: no valid CRL for the leaf.
  EXPECT_EQ(verify_pck_chain(pki.chain(), pki.root_crl(), TestPki::crl(pki.ca.get(), pki.leaf_key.get(), 0), roots, now)
                .error().code,
            kCrlInvalid);
  EXPECT_EQ(verify_pck_chain(pki.chain(), pki.root_crl(), pki.root_crl(), roots, now).error().code, kCrlInvalid);
  // Intel's root does not anchor the test chain; the test root does not anchor a real quote's.
  EXPECT_EQ(verify_pck_chain(pki.chain(), pki.root_crl(), pki.ca_crl(0), {std::string(intel_sgx_root_ca_pem())}, now)
                .error().code,
            kPckChain);
  const Collateral c = collateral();
  const auto q = parse_quote(quote());
  ASSERT_TRUE(q.ok());
  const std::string real_chain(q->pck_chain.begin(), q->pck_chain.end());
  EXPECT_EQ(verify_pck_chain(real_chain, c.root_ca_crl, c.pck_crl, roots, kInsideWindow).error().code, kPckChain);
  EXPECT_TRUE(verify_pck_chain(real_chain, c.root_ca_crl, c.pck_crl, {std::string(intel_sgx_root_ca_pem())}, kInsideWindow).ok());
  EXPECT_EQ(verify_pck_chain("garbage", c.root_ca_crl, c.pck_crl, roots, now).error().code, kPckChainFormat);
}

}  // namespace
}  // namespace pnc::tdx::dcap
