// OpenSSL 3 helpers of the tdx module (x509.hpp). Every OpenSSL object is owned by a unique_ptr.
#include "tdx/x509.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace pnc::tdx::x509 {
namespace {

struct StoreFree { void operator()(X509_STORE* p) const { X509_STORE_free(p); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); } };
struct StackFree { void operator()(STACK_OF(X509)* p) const { sk_X509_free(p); } };  // not the certs
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct SigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };
struct OsslFree { void operator()(unsigned char* p) const { OPENSSL_free(p); } };
struct OsslCharFree { void operator()(char* p) const { OPENSSL_free(p); } };

constexpr std::string_view kPemBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kPemEnd = "-----END CERTIFICATE-----";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// One PEM CERTIFICATE block ⇒ X509, requiring the DER to be consumed exactly.
X509Ptr parse_pem_block(std::string_view block) {
  if (block.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
  if (!bio) return nullptr;
  char* name_raw = nullptr;
  char* header_raw = nullptr;
  unsigned char* data_raw = nullptr;
  long len = 0;
  const int rc = PEM_read_bio(bio.get(), &name_raw, &header_raw, &data_raw, &len);
  std::unique_ptr<char, OsslCharFree> name(name_raw), header(header_raw);
  std::unique_ptr<unsigned char, OsslFree> data(data_raw);
  if (rc != 1 || !name || std::strcmp(name.get(), "CERTIFICATE") != 0 || len <= 0) return nullptr;
  if (header && header.get()[0] != '\0') return nullptr;  // no RFC 1421 headers in a certificate
  const unsigned char* p = data.get();
  X509Ptr cert(d2i_X509(nullptr, &p, len));
  if (!cert || p != data.get() + len) return nullptr;
  return cert;
}

}  // namespace

ErrorQueueGuard::~ErrorQueueGuard() { ERR_clear_error(); }

Result<std::vector<X509Ptr>> parse_pem_list(std::string_view text, std::size_t max_certs, const char* code,
                                            std::string_view what) {
  while (!text.empty() && (text.back() == '\0' || is_space(text.back()))) text.remove_suffix(1);
  std::vector<X509Ptr> certs;
  std::size_t pos = 0;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos == text.size()) break;
    if (text.substr(pos, kPemBegin.size()) != kPemBegin)
      return make_error(code, std::string(what) + ": unexpected data at offset " + std::to_string(pos));
    const std::size_t end = text.find(kPemEnd, pos);
    if (end == std::string_view::npos)
      return make_error(code, std::string(what) + ": unterminated PEM block at offset " + std::to_string(pos));
    const std::size_t stop = end + kPemEnd.size();
    X509Ptr cert = parse_pem_block(text.substr(pos, stop - pos));
    if (!cert)
      return make_error(code, std::string(what) + ": certificate " + std::to_string(certs.size()) +
                                  " is not a DER X.509 certificate");
    certs.push_back(std::move(cert));
    if (certs.size() > max_certs)
      return make_error(code, std::string(what) + ": more than " + std::to_string(max_certs) + " certificates");
    pos = stop;
  }
  if (certs.empty()) return make_error(code, std::string(what) + ": no certificate");
  return certs;
}

CrlPtr parse_der_crl(ByteView der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) return nullptr;
  const unsigned char* p = der.data();
  CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl || p != der.data() + der.size()) return nullptr;
  return crl;
}

Bytes to_der(X509* cert) {
  unsigned char* raw = nullptr;
  const int len = i2d_X509(cert, &raw);
  std::unique_ptr<unsigned char, OsslFree> der(raw);
  if (len <= 0) return {};
  return Bytes(der.get(), der.get() + len);
}

ChainResult verify_chain(const std::vector<X509Ptr>& chain, const std::vector<X509Ptr>& roots, std::int64_t now,
                         const std::vector<X509_CRL*>& crls, const std::vector<X509*>& extra_untrusted) {
  auto fail = [](std::string text) { return ChainResult{false, ChainFailure{X509_V_ERR_UNSPECIFIED, 0, std::move(text)}}; };
  if (chain.empty()) return fail("empty chain");
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return fail("out of memory");
  for (const auto& root : roots)
    if (X509_STORE_add_cert(store.get(), root.get()) != 1) return fail("cannot add a root");
  for (X509_CRL* crl : crls)
    if (X509_STORE_add_crl(store.get(), crl) != 1) return fail("cannot add a CRL");
  for (std::size_t i = 1; i < chain.size(); ++i)
    if (sk_X509_push(untrusted.get(), chain[i].get()) <= 0) return fail("out of memory");
  for (X509* cert : extra_untrusted)
    if (sk_X509_push(untrusted.get(), cert) <= 0) return fail("out of memory");
  if (X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get()) != 1)
    return fail("X509_STORE_CTX_init failed");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
  X509_VERIFY_PARAM_set_depth(param, 8);
  if (!crls.empty()) X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  if (X509_verify_cert(ctx.get()) == 1) return ChainResult{true, {}};

  const int err = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  return ChainResult{false, ChainFailure{err, depth, "certificate at depth " + std::to_string(depth) + ": " +
                                                        X509_verify_cert_error_string(err)}};
}

PkeyPtr p256_public_key(ByteView xy) {
  if (xy.size() != 64) return nullptr;
  unsigned char point[65];
  point[0] = 0x04;  // uncompressed
  std::copy(xy.begin(), xy.end(), point + 1);
  char group[] = "prime256v1";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
      OSSL_PARAM_construct_end(),
  };
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) != 1) return nullptr;
  PkeyPtr key(raw);
  // Belt and braces: on the curve, not the point at infinity, in the prime-order subgroup.
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

bool is_p256(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_is_a(key, "EC") != 1) return false;
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1)
    return false;
  const std::string_view name(group, len);
  return name == "prime256v1" || name == "P-256";
}

bool ecdsa_verify(EVP_PKEY* key, ByteView message, ByteView rs) {
  if (key == nullptr || rs.size() != 64) return false;
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  if (!sig) return false;
  BIGNUM* r = BN_bin2bn(rs.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(rs.data() + 32, 32, nullptr);
  if (r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der_raw = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der_raw);
  std::unique_ptr<unsigned char, OsslFree> der(der_raw);
  if (der_len <= 0) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(md.get(), der.get(), static_cast<std::size_t>(der_len), message.data(), message.size()) == 1;
}

}  // namespace pnc::tdx::x509
