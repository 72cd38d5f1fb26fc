#include "signed_quote_fixture.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include <algorithm>
#include <memory>

#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::bench {
namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

constexpr std::int64_t kNotBefore = 1700000000;
constexpr std::int64_t kNotAfter = 1900000000;

Pkey gen_key() { return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

bool pub_xy(EVP_PKEY* k, ByteArray<64>& xy) {
  unsigned char buf[65] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len) != 1 || len != 65)
    return false;
  std::copy(buf + 1, buf + 65, xy.begin());
  return true;
}

// ECDSA-SHA256 as the quote's raw r || s.
bool sign_raw(EVP_PKEY* k, ByteView msg, std::uint8_t* out64) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t len = 0;
  if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, k) != 1) return false;
  if (EVP_DigestSign(md.get(), nullptr, &len, msg.data(), msg.size()) != 1) return false;
  Bytes der(len);
  if (EVP_DigestSign(md.get(), der.data(), &len, msg.data(), msg.size()) != 1) return false;
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  if (sig == nullptr) return false;
  const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out64, 32) == 32 &&
                  BN_bn2binpad(ECDSA_SIG_get0_s(sig), out64 + 32, 32) == 32;
  ECDSA_SIG_free(sig);
  return ok;
}

void add_ext(X509* x, X509* issuer, int nid, const char* value) {
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, issuer, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &v3, nid, value);
  if (ext == nullptr) return;
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert make_cert(const char* cn, bool ca, long serial, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  Cert x(X509_new());
  X509_set_version(x.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : name);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(kNotBefore));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(kNotAfter));
  X509_set_pubkey(x.get(), key);
  X509* iss = issuer ? issuer : x.get();
  add_ext(x.get(), iss, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_ext(x.get(), iss, NID_key_usage,
          ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
  add_ext(x.get(), iss, NID_subject_key_identifier, "hash");
  add_ext(x.get(), iss, NID_authority_key_identifier, "keyid:always");
  X509_sign(x.get(), issuer ? issuer_key : key, EVP_sha256());
  return x;
}

std::string pem(X509* x) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), x);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

SignedQuoteFixture make_signed_quote_fixture() {
  SignedQuoteFixture f;
  Pkey root_key = gen_key(), int_key = gen_key(), leaf_key = gen_key(), ak = gen_key();
  if (!root_key || !int_key || !leaf_key || !ak) return f;
  Cert root = make_cert("Bench Root CA", true, 1, root_key.get(), nullptr, nullptr);
  Cert inter = make_cert("Bench PCK Platform CA", true, 2, int_key.get(), root.get(), root_key.get());
  Cert leaf = make_cert("Bench PCK Certificate", false, 3, leaf_key.get(), inter.get(), int_key.get());
  f.root_pem = pem(root.get());
  f.chain_pem = pem(leaf.get()) + pem(inter.get()) + f.root_pem;

  const ByteArray<32> nonce{};
  auto base = tdx::parse_quote(tdx::mock_quote_v4(nonce).quote);
  if (!base) return f;
  tdx::QuoteV4 q = *base;
  q.user_data = {};  // no mock marker: this is the prod path
  if (!pub_xy(ak.get(), q.attestation_key)) return f;
  q.qe_auth_data.assign(32, 0x5a);
  q.pck_chain = to_bytes(f.chain_pem);
  q.qe_report = {};
  q.qe_report[0] = 0x0f;
  // QE report_data = SHA256(attestation_key || qe_auth_data) || 0^32.
  crypto_hash_sha256_state hs;
  crypto_hash_sha256_init(&hs);
  crypto_hash_sha256_update(&hs, q.attestation_key.data(), q.attestation_key.size());
  crypto_hash_sha256_update(&hs, q.qe_auth_data.data(), q.qe_auth_data.size());
  crypto_hash_sha256_final(&hs, q.qe_report.data() + tdx::kQeReportDataOffset);
  if (!sign_raw(leaf_key.get(), q.qe_report, q.qe_report_signature.data())) return f;
  Bytes bytes = tdx::serialize_quote(q);
  if (!sign_raw(ak.get(), ByteView(bytes).first(tdx::kSignedSize), bytes.data() + tdx::kOffSigData)) return f;
  f.quote = std::move(bytes);
  return f;
}

}  // namespace pnc::bench
