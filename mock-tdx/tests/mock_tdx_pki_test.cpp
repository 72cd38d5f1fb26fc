// The mock PCK PKI (pki.hpp): the committed PEM files are what the code regenerates, the DER is
// canonical and parses with OpenSSL, the fields are those documented, OpenSSL's own chain
// verification (not the reference's) accepts the normal chain at the reference time and rejects
// each faulty variant for its own X509_V_ERR reason.
#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "der.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_signed.hpp"
#include "pnc/testkit/files.hpp"
#include "support/vectors.hpp"

namespace pnc::mock_tdx {
namespace {

std::string read_data(const std::string& name) {
  auto text = testkit::try_read_text(std::string(PNC_MOCK_TDX_DATA_DIR) + "/" + name);
  EXPECT_TRUE(text) << name;
  return text.value_or(std::string{});
}

struct X509Free { void operator()(X509* p) const { X509_free(p); } };
using Cert = std::unique_ptr<X509, X509Free>;

Cert from_der(ByteView der) {
  const unsigned char* p = der.data();
  Cert c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_TRUE(c);
  EXPECT_EQ(p, der.data() + der.size());
  return c;
}

std::vector<Cert> from_pem_list(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  std::vector<Cert> out;
  while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) out.emplace_back(x);
  ERR_clear_error();
  BIO_free(bio);
  return out;
}

Bytes to_der(X509* x) {
  unsigned char* raw = nullptr;
  const int n = i2d_X509(x, &raw);
  Bytes out(raw, raw + n);
  OPENSSL_free(raw);
  return out;
}

// OpenSSL chain verification: trusted = the mock root only, time pinned. X509_V_OK or the error.
int ossl_verify(const std::string& chain_pem, std::int64_t now, const std::string& root_pem,
                unsigned long flags = 0, int* depth = nullptr) {
  auto chain = from_pem_list(chain_pem);
  auto roots = from_pem_list(root_pem);
  X509_STORE* store = X509_STORE_new();
  for (auto& r : roots) X509_STORE_add_cert(store, r.get());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted, chain[i].get());
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, chain.at(0).get(), untrusted);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), static_cast<time_t>(now));
  if (flags != 0) X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), flags);
  const int ok = X509_verify_cert(ctx);
  const int err = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  if (depth) *depth = X509_STORE_CTX_get_error_depth(ctx);
  X509_STORE_CTX_free(ctx);
  sk_X509_free(untrusted);
  X509_STORE_free(store);
  ERR_clear_error();
  return err;
}

std::string name_of(X509_NAME* n) {
  char* s = X509_NAME_oneline(n, nullptr, 0);
  std::string out(s);
  OPENSSL_free(s);
  return out;
}

TEST(MockTdxPki, CommittedFilesAreReproduced) {
  EXPECT_EQ(read_data("mock-root-ca.pem"), mock_root_ca().pem);
  EXPECT_EQ(read_data("mock-pck-chain.pem"), pck_chain_pem());
  EXPECT_EQ(pck_chain_pem(), mock_pck_leaf().pem + mock_intermediate_ca().pem + mock_root_ca().pem);
  EXPECT_EQ(read_data("intel-sgx-root-ca.pem"), std::string(tdx::intel_sgx_root_ca_pem()));
}

TEST(MockTdxPki, CanonicalDerAndPem) {
  for (const Certificate* c : {&mock_root_ca(), &mock_intermediate_ca(), &mock_pck_leaf()}) {
    Cert x = from_der(c->der);
    ASSERT_TRUE(x);
    EXPECT_EQ(to_der(x.get()), c->der);  // OpenSSL re-encodes it identically
    auto pem = from_pem_list(c->pem);
    ASSERT_EQ(pem.size(), 1u);
    EXPECT_EQ(to_der(pem[0].get()), c->der);
    // 64-column base64, '\n' line ends.
    std::istringstream lines(c->pem);
    std::string line;
    while (std::getline(lines, line)) EXPECT_LE(line.size(), 64u);
  }
}

TEST(MockTdxPki, FieldsAreTheDocumentedOnes) {
  Cert root = from_der(mock_root_ca().der), inter = from_der(mock_intermediate_ca().der),
       leaf = from_der(mock_pck_leaf().der);
  const std::string o = "/O=" + std::string(kPkiOrganization);
  EXPECT_EQ(name_of(X509_get_subject_name(root.get())), "/CN=PNC Mock TDX Root CA" + o);
  EXPECT_EQ(name_of(X509_get_issuer_name(root.get())), "/CN=PNC Mock TDX Root CA" + o);
  EXPECT_EQ(name_of(X509_get_subject_name(inter.get())), "/CN=PNC Mock PCK Platform CA" + o);
  EXPECT_EQ(name_of(X509_get_issuer_name(inter.get())), "/CN=PNC Mock TDX Root CA" + o);
  EXPECT_EQ(name_of(X509_get_subject_name(leaf.get())), "/CN=PNC Mock PCK Certificate" + o);
  EXPECT_EQ(name_of(X509_get_issuer_name(leaf.get())), "/CN=PNC Mock PCK Platform CA" + o);
  for (X509* x : {root.get(), inter.get(), leaf.get()}) {
    EXPECT_EQ(X509_get_version(x), X509_VERSION_3);
    EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), 1735689600), 0);  // 2025-01-01T00:00:00Z
    EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), 2524607999), 0);   // 2049-12-31T23:59:59Z
    EXPECT_EQ(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
  }
  EXPECT_EQ(X509_check_ca(root.get()), 1);
  EXPECT_EQ(X509_check_ca(inter.get()), 1);
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
  EXPECT_EQ(X509_get_pathlen(root.get()), 1);
  EXPECT_EQ(X509_get_pathlen(inter.get()), 0);
  EXPECT_EQ(X509_get_key_usage(root.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_EQ(X509_get_key_usage(leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
  EXPECT_EQ(X509_check_issued(root.get(), inter.get()), X509_V_OK);  // names and key identifiers match
  EXPECT_EQ(X509_check_issued(inter.get(), leaf.get()), X509_V_OK);
  // Signatures: root self-signed, each by its issuer's key.
  EXPECT_EQ(X509_verify(root.get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_EQ(X509_verify(inter.get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_EQ(X509_verify(leaf.get(), X509_get0_pubkey(inter.get())), 1);
  // The leaf carries the PCK key that signs QE reports.
  unsigned char point[65];
  std::size_t len = 0;
  ASSERT_EQ(EVP_PKEY_get_octet_string_param(X509_get0_pubkey(leaf.get()), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len), 1);
  ASSERT_EQ(len, 65u);
  EXPECT_EQ(Bytes(point + 1, point + 65), Bytes(leaf_key().public_xy().begin(), leaf_key().public_xy().end()));
}

TEST(MockTdxPki, OpenSslAcceptsTheNormalChainInsideItsWindow) {
  const std::string& root = mock_root_ca().pem;
  EXPECT_EQ(ossl_verify(pck_chain_pem(), kReferenceTime, root), X509_V_OK);
  EXPECT_EQ(ossl_verify(pck_chain_pem(), kReferenceTime, root, X509_V_FLAG_X509_STRICT), X509_V_OK);
  EXPECT_EQ(ossl_verify(pck_chain_pem(), kPkiNotBefore, root), X509_V_OK);
  EXPECT_EQ(ossl_verify(pck_chain_pem(), kPkiNotAfter - 1, root), X509_V_OK);
  EXPECT_EQ(ossl_verify(pck_chain_pem(), kPkiNotBefore - 1, root), X509_V_ERR_CERT_NOT_YET_VALID);
  EXPECT_EQ(ossl_verify(pck_chain_pem(), kPkiNotAfter + 1, root), X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_NE(ossl_verify(pck_chain_pem(), kReferenceTime, std::string(tdx::intel_sgx_root_ca_pem())), X509_V_OK);
}

TEST(MockTdxPki, EachVariantFailsForItsOwnReason) {
  const std::string& root = mock_root_ca().pem;
  struct Case {
    ChainVariant v;
    int err;
    int depth;
  };
  const Case cases[] = {
      {ChainVariant::leaf_expired, X509_V_ERR_CERT_HAS_EXPIRED, 0},
      {ChainVariant::leaf_not_yet_valid, X509_V_ERR_CERT_NOT_YET_VALID, 0},
      {ChainVariant::intermediate_expired, X509_V_ERR_CERT_HAS_EXPIRED, 1},
      {ChainVariant::wrong_root, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, 2},
      {ChainVariant::missing_intermediate, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0},
      {ChainVariant::forged_leaf, X509_V_ERR_CERT_SIGNATURE_FAILURE, 0},
      {ChainVariant::intermediate_not_ca, X509_V_ERR_INVALID_CA, 1},
  };
  for (const auto& c : cases) {
    int depth = -1;
    EXPECT_EQ(ossl_verify(pck_chain_pem(c.v), kReferenceTime, root, 0, &depth), c.err) << static_cast<int>(c.v);
    EXPECT_EQ(depth, c.depth) << static_cast<int>(c.v);
    // Only the intended property is broken: the leaf key stays the PCK key.
    auto chain = from_pem_list(pck_chain_pem(c.v));
    ASSERT_FALSE(chain.empty());
    EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(chain[0].get()), X509_get0_pubkey(from_der(mock_pck_leaf().der).get())), 1);
  }
  // The impostor chain is sound on its own: it verifies against its own root.
  auto impostor = from_pem_list(pck_chain_pem(ChainVariant::wrong_root));
  ASSERT_EQ(impostor.size(), 3u);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, impostor[2].get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  const std::string impostor_root(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  EXPECT_EQ(ossl_verify(pck_chain_pem(ChainVariant::wrong_root), kReferenceTime, impostor_root), X509_V_OK);
  EXPECT_EQ(name_of(X509_get_subject_name(impostor[2].get())), name_of(X509_get_subject_name(from_der(mock_root_ca().der).get())));
}

TEST(MockTdxPki, TimesUseUtcTimeBefore2050AndGeneralizedTimeAfter) {
  const Bytes utc = der::time(2524607999);  // 2049-12-31T23:59:59Z
  EXPECT_EQ(test::to_hex(utc), "170d" + test::to_hex(as_bytes("491231235959Z")));
  const Bytes gen = der::time(2524608000);  // 2050-01-01T00:00:00Z
  EXPECT_EQ(test::to_hex(gen), "180f" + test::to_hex(as_bytes("20500101000000Z")));
  EXPECT_EQ(test::to_hex(der::time(951782400)), "170d" + test::to_hex(as_bytes("000229000000Z")));  // 2000-02-29
  CertificateSpec s;
  s.serial_label = "t";
  s.subject_cn = s.issuer_cn = "T";
  s.not_after = 4102444800;  // 2100-01-01
  s.subject_public = s.issuer_public = root_key().public_xy();
  s.signer = &root_key();
  Cert x = from_der(make_certificate(s).der);
  ASSERT_TRUE(x);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notAfter(x.get())), V_ASN1_GENERALIZEDTIME);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(x.get()), 4102444800), 0);
}

}  // namespace
}  // namespace pnc::mock_tdx
