// verify_signed_quote (tdx_signed.hpp): the signature-data checks of a real DCAP verifier on
// plain OpenSSL 3 — PCK chain to a configured root at the injected time, QE report signature by
// the PCK leaf, QE report-data binding of the attestation key, quote signature by the attestation
// key — plus the prod policy rules (mock marker, DEBUG). Every OpenSSL object is owned by a
// unique_ptr; the OpenSSL error queue is cleared before returning so no state leaks between calls.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "pnc/crypto.hpp"
#include "pnc/secret.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_signed.hpp"

namespace pnc::tdx {
namespace {

struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct StoreFree { void operator()(X509_STORE* p) const { X509_STORE_free(p); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); } };
struct StackFree { void operator()(STACK_OF(X509)* p) const { sk_X509_free(p); } };  // not the certs
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct SigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };
struct OsslFree { void operator()(unsigned char* p) const { OPENSSL_free(p); } };
struct OsslCharFree { void operator()(char* p) const { OPENSSL_free(p); } };

using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Clears OpenSSL's thread-local error queue on every exit path.
struct ErrorQueueGuard {
  ~ErrorQueueGuard() { ERR_clear_error(); }
};

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

// A text made only of PEM CERTIFICATE blocks separated by whitespace; trailing NULs (real quotes
// end their chain with one) and whitespace are ignored.
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

Bytes to_der(X509* cert) {
  unsigned char* raw = nullptr;
  const int len = i2d_X509(cert, &raw);
  std::unique_ptr<unsigned char, OsslFree> der(raw);
  if (len <= 0) return {};
  return Bytes(der.get(), der.get() + len);
}

// X509_verify_cert with `roots` as the only trust anchors, `chain[1..]` as untrusted
// intermediates and the verification time pinned to `now`.
Status verify_chain(const std::vector<X509Ptr>& chain, const std::vector<X509Ptr>& roots, std::int64_t now) {
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) return make_error(kSigConfig, "out of memory");
  for (const auto& root : roots)
    if (X509_STORE_add_cert(store.get(), root.get()) != 1) return make_error(kSigConfig, "cannot add a root");
  for (std::size_t i = 1; i < chain.size(); ++i)
    if (sk_X509_push(untrusted.get(), chain[i].get()) <= 0) return make_error(kSigConfig, "out of memory");
  if (X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get()) != 1)
    return make_error(kSigConfig, "X509_STORE_CTX_init failed");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
  X509_VERIFY_PARAM_set_depth(param, static_cast<int>(kMaxPckChainCerts));
  if (X509_verify_cert(ctx.get()) == 1) return {};

  const int err = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  const std::string where = "PCK chain, certificate at depth " + std::to_string(depth) + ": " +
                            X509_verify_cert_error_string(err);
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return make_error(kSigCertExpired, where);
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return make_error(kSigCertNotYetValid, where);
    default:
      return make_error(kSigChainUntrusted, where);
  }
}

// EC P-256 public key from the 64-byte x || y of a quote; nullptr when not a valid point.
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

// ECDSA P-256 / SHA-256 verification of a raw r || s signature (32 + 32 bytes, big-endian).
bool ecdsa_verify(EVP_PKEY* key, ByteView message, ByteView rs) {
  if (rs.size() != 64) return false;
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

}  // namespace

Status verify_signed_quote(ByteView quote, const SignedQuoteConfig& config) {
  ErrorQueueGuard guard;
  if (config.clock == nullptr) return make_error(kSigConfig, "no clock configured");
  std::vector<X509Ptr> roots;
  for (const auto& pem : config.trusted_roots_pem) {
    auto parsed = parse_pem_list(pem, SIZE_MAX, kSigConfig, "trusted root");
    if (!parsed) return parsed.error();
    for (auto& c : *parsed) roots.push_back(std::move(c));
  }
  if (roots.empty()) return make_error(kSigConfig, "no trusted root configured");

  // 1. Structure (§9.3).
  auto parsed = parse_quote(quote, config.profile);
  if (!parsed) return parsed.error();
  const QuoteV4& q = *parsed;

  // 2. A MockQuoteV4 is never a production quote (§3.7 step 3, §9.6).
  if (has_mock_marker(q)) return make_error(kSigMockMarker, "the quote carries the mock marker");

  // 3. PCK certificate chain to a configured root, at the injected time.
  const std::string_view chain_text(reinterpret_cast<const char*>(q.pck_chain.data()), q.pck_chain.size());
  auto chain = parse_pem_list(chain_text, kMaxPckChainCerts, kSigChainParse, "PCK chain");
  if (!chain) return chain.error();
  if (auto s = verify_chain(*chain, roots, config.clock->now()); !s) return s;

  // 4. The PCK leaf key signs the QE report.
  X509* leaf = (*chain)[0].get();
  EVP_PKEY* pck_key = X509_get0_pubkey(leaf);
  if (!is_p256(pck_key)) return make_error(kSigBadPckKey, "PCK leaf key is not EC P-256");
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0)
    return make_error(kSigBadPckKey, "PCK leaf keyUsage lacks digitalSignature");

  // 5. QE report signature.
  if (!ecdsa_verify(pck_key, q.qe_report, q.qe_report_signature))
    return make_error(kSigQeReport, "QE report signature does not verify with the PCK leaf key");

  // 6. QE report_data binds the attestation key and the QE authentication data.
  Bytes hashed(q.attestation_key.begin(), q.attestation_key.end());
  hashed.insert(hashed.end(), q.qe_auth_data.begin(), q.qe_auth_data.end());
  ByteArray<64> expected{};
  const auto digest = crypto::sha256(hashed);
  std::copy(digest.begin(), digest.end(), expected.begin());
  if (!ct_equal(ByteView(q.qe_report).subspan(kQeReportDataOffset, 64), expected))
    return make_error(kSigQeBinding, "QE report_data != SHA256(attestation_key || qe_auth_data) || 0^32");

  // 7-8. The attestation key signs header || body.
  PkeyPtr ak = p256_public_key(q.attestation_key);
  if (!ak) return make_error(kSigBadAttestKey, "attestation key is not a P-256 point");
  if (!ecdsa_verify(ak.get(), quote.first(q.signed_size()), q.ecdsa_signature))
    return make_error(kSigQuote, "quote signature over Q[0:" + std::to_string(q.signed_size()) +
                                     ") does not verify with the attestation key");

  // 9. Policy: no debuggable TD in prod (§3.7 step 3).
  if (q.debug()) return make_error(kSigDebug, "TD_ATTRIBUTES.DEBUG is set");

  // 10. TCB-level collateral, when configured.
  if (config.collateral != nullptr) {
    std::vector<Bytes> der;
    der.reserve(chain->size());
    for (const auto& c : *chain) der.push_back(to_der(c.get()));
    if (auto s = config.collateral->check(q, der); !s)
      return make_error(kSigCollateral, s.error().code + ": " + s.error().message);
  }
  return {};
}

}  // namespace pnc::tdx
