// Mock DCAP collateral (collateral.hpp) checked with plain OpenSSL, not with the reference's DCAP
// code: the CRLs parse, re-encode identically, are signed by their issuers and list what the
// faults revoke; the PCK leaf's SGX extension holds FMSPC 504e43000000; TCB info and QE identity
// verify under the TCB signing certificate, which chains to the mock root; same request, same bytes.
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pnc/codec.hpp"
#include "pnc/mock_tdx/collateral.hpp"
#include "pnc/mock_tdx/pki.hpp"

namespace pnc::mock_tdx {
namespace {

struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct CrlFree { void operator()(X509_CRL* p) const { X509_CRL_free(p); } };
using Cert = std::unique_ptr<X509, X509Free>;
using Crl = std::unique_ptr<X509_CRL, CrlFree>;

Cert cert_of(const Bytes& der) {
  const unsigned char* p = der.data();
  return Cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

Cert first_pem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  Cert c(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return c;
}

Crl crl_of(const Bytes& der) {
  const unsigned char* p = der.data();
  Crl c(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_EQ(p, der.data() + der.size());
  return c;
}

Bytes reencode(X509_CRL* crl) {
  unsigned char* raw = nullptr;
  const int n = i2d_X509_CRL(crl, &raw);
  Bytes out(raw, raw + n);
  OPENSSL_free(raw);
  return out;
}

bool revokes(X509_CRL* crl, const Certificate& c) {
  Cert x = cert_of(c.der);
  X509_REVOKED* r = nullptr;
  return X509_CRL_get0_by_serial(crl, &r, X509_get_serialNumber(x.get())) == 1;
}

// r || s over `text` with the key of `cert`, by OpenSSL.
bool signed_by(const std::string& text, const Bytes& rs, X509* cert) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), 32, nullptr), BN_bin2bn(rs.data() + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, X509_get0_pubkey(cert)) == 1 &&
                  EVP_DigestVerify(ctx, der, static_cast<std::size_t>(n),
                                   reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  return ok;
}

tdx::dcap::Collateral get(std::string_view fault = {}) {
  auto c = make_collateral(fault);
  EXPECT_TRUE(c) << fault;
  return std::move(c).value();
}

TEST(MockCollateral, CrlsAreCanonicalSignedAndEmpty) {
  const auto c = get();
  Crl root = crl_of(c.root_ca_crl), pck = crl_of(c.pck_crl);
  ASSERT_TRUE(root && pck);
  EXPECT_EQ(reencode(root.get()), c.root_ca_crl);
  EXPECT_EQ(reencode(pck.get()), c.pck_crl);
  Cert root_ca = cert_of(mock_root_ca().der), platform = cert_of(mock_intermediate_ca().der);
  EXPECT_EQ(X509_CRL_verify(root.get(), X509_get0_pubkey(root_ca.get())), 1);
  EXPECT_EQ(X509_CRL_verify(pck.get(), X509_get0_pubkey(platform.get())), 1);
  EXPECT_NE(X509_CRL_verify(pck.get(), X509_get0_pubkey(root_ca.get())), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_CRL_get_issuer(root.get()), X509_get_subject_name(root_ca.get())), 0);
  EXPECT_EQ(X509_NAME_cmp(X509_CRL_get_issuer(pck.get()), X509_get_subject_name(platform.get())), 0);
  EXPECT_EQ(X509_CRL_get_version(root.get()), 1);  // v2
  EXPECT_LE(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(root.get())), 0);  // -1: no revokedCertificates
  EXPECT_LE(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(pck.get())), 0);
  EXPECT_GE(X509_CRL_get_ext_by_NID(root.get(), NID_crl_number, -1), 0);
  EXPECT_GE(X509_CRL_get_ext_by_NID(root.get(), NID_authority_key_identifier, -1), 0);
  // thisUpdate 2025-01-01T00:00:00Z, nextUpdate 2049-12-31T23:59:59Z.
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_CRL_get0_lastUpdate(pck.get()), kPkiNotBefore), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_CRL_get0_nextUpdate(pck.get()), kPkiNotAfter), 0);
  EXPECT_EQ(c.root_ca_crl, mock_root_ca_crl());
  EXPECT_EQ(c.pck_crl, mock_pck_crl());
}

TEST(MockCollateral, Deterministic) {
  const auto a = get(), b = get();
  EXPECT_EQ(collateral_json(a), collateral_json(b));
  const auto r1 = get("pck-revoked"), r2 = get("pck-revoked");
  EXPECT_EQ(r1.pck_crl, r2.pck_crl);
  EXPECT_NE(r1.pck_crl, a.pck_crl);
}

TEST(MockCollateral, RevocationFaultsListTheSerial) {
  Crl pck = crl_of(get("pck-revoked").pck_crl);
  ASSERT_TRUE(pck);
  EXPECT_TRUE(revokes(pck.get(), mock_pck_leaf()));
  Cert platform = cert_of(mock_intermediate_ca().der);
  EXPECT_EQ(X509_CRL_verify(pck.get(), X509_get0_pubkey(platform.get())), 1);
  Crl root = crl_of(get("pck-platform-ca-revoked").root_ca_crl);
  EXPECT_TRUE(revokes(root.get(), mock_intermediate_ca()));
  EXPECT_FALSE(revokes(root.get(), mock_tcb_signing_cert()));
  Crl root2 = crl_of(get("tcb-signing-revoked").root_ca_crl);
  EXPECT_TRUE(revokes(root2.get(), mock_tcb_signing_cert()));
  Crl forged = crl_of(get("pck-crl-bad-signature").pck_crl);
  EXPECT_NE(X509_CRL_verify(forged.get(), X509_get0_pubkey(platform.get())), 1);
}

TEST(MockCollateral, PckLeafCarriesTheSgxExtension) {
  Cert leaf = cert_of(mock_pck_leaf().der);
  ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
  const int idx = X509_get_ext_by_OBJ(leaf.get(), oid, -1);
  ASN1_OBJECT_free(oid);
  ASSERT_GE(idx, 0);
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(leaf.get(), idx));
  // FMSPC entry: SEQUENCE { OID 1.2.840.113741.1.13.1.4, OCTET STRING 50 4e 43 00 00 00 }.
  const std::string hex = codec::hex_encode(ByteView(value->data, static_cast<std::size_t>(value->length)));
  EXPECT_NE(hex.find("3014060a2a864886f84d010d01040406504e43000000"), std::string::npos) << hex;
  // PCE-ID entry: OID .3, OCTET STRING 00 00.
  EXPECT_NE(hex.find("060a2a864886f84d010d0103040200" "00"), std::string::npos);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(leaf.get(), idx)), 0);
}

TEST(MockCollateral, DocumentsSignedByTheTcbSigningCertificate) {
  const auto c = get();
  Cert signer = first_pem(c.tcb_info_issuer_chain);
  ASSERT_TRUE(signer);
  Cert expected = cert_of(mock_tcb_signing_cert().der);
  EXPECT_EQ(X509_cmp(signer.get(), expected.get()), 0);
  Cert root = cert_of(mock_root_ca().der);
  EXPECT_EQ(X509_verify(signer.get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_TRUE(signed_by(c.tcb_info, c.tcb_info_signature, signer.get()));
  EXPECT_TRUE(signed_by(c.qe_identity, c.qe_identity_signature, signer.get()));
  EXPECT_FALSE(signed_by(c.qe_identity, c.tcb_info_signature, signer.get()));
  const auto bad = get("tcb-info-bad-signature");
  EXPECT_FALSE(signed_by(bad.tcb_info, bad.tcb_info_signature, signer.get()));
  const auto tcb = nlohmann::json::parse(c.tcb_info);
  EXPECT_EQ(tcb["id"], "TDX");
  EXPECT_EQ(tcb["version"], 3);
  EXPECT_EQ(tcb["fmspc"], "504E43000000");
  EXPECT_EQ(tcb["issueDate"], "2025-01-01T00:00:00Z");
  EXPECT_EQ(tcb["nextUpdate"], "2049-12-31T23:59:59Z");
  const auto qe = nlohmann::json::parse(c.qe_identity);
  EXPECT_EQ(qe["id"], "TD_QE");
  EXPECT_EQ(qe["isvprodid"], 2);
  const auto json = nlohmann::json::parse(collateral_json(c));
  EXPECT_EQ(json.size(), 9u);
  EXPECT_EQ(json["tcb_info"], c.tcb_info);
}

TEST(MockCollateral, Registry) {
  EXPECT_GE(collateral_fault_registry().size(), 13u);
  for (const auto& f : collateral_fault_registry()) {
    EXPECT_EQ(find_collateral_fault(f.name), &f);
    EXPECT_TRUE(make_collateral(f.name)) << f.name;
  }
  const auto unknown = make_collateral("no-such-fault");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, kUnknownCollateralFault);
}

}  // namespace
}  // namespace pnc::mock_tdx
