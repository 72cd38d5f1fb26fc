// Cross-check of quote_signed_test.json with OpenSSL 3 alone: the quote is cut up by hand from the
// §9.2 layout, then OpenSSL verifies the ECDSA P-256 quote signature over header||body with the
// attestation key, the QE report signature with the PCK leaf's key, the QE report-data binding
// SHA256(AK || QE auth data) || 0^32, the PCK chain to the group's root with X509_verify_cert at the
// case's `now`, and REPORTDATA[0:32] = SHA256(N). A case is confirmed when the check its `detail`
// names fails and the checks before it pass (or, for valid cases, when everything passes).
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <memory>

#include "crosscheck.hpp"

namespace xcheck {
namespace {

struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct StoreFree { void operator()(X509_STORE* p) const { X509_STORE_free(p); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); } };
struct StackFree { void operator()(STACK_OF(X509)* p) const { sk_X509_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct SigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// §9.2 offsets: signature data at 636 = ECDSA signature (64), attestation key (64), cert data
// type (2), size (4), QE report (384), QE report signature (64), QE auth data size A (2), auth
// data (A), inner cert type (2), inner size P (4), PCK chain (P).
constexpr std::size_t kSd = 636;
struct Parts {
  Bytes body, sig, ak, qe_report, qe_sig, auth, chain;
};
std::optional<Parts> cut(const Bytes& q) {
  if (q.size() < kSd + 584) return std::nullopt;
  Parts p;
  p.body = sub(q, 0, 632);
  p.sig = sub(q, kSd, 64);
  p.ak = sub(q, kSd + 64, 64);
  p.qe_report = sub(q, kSd + 134, 384);
  p.qe_sig = sub(q, kSd + 518, 64);
  const std::size_t a = le(q, kSd + 582, 2);
  p.auth = sub(q, kSd + 584, a);
  const std::size_t inner = kSd + 584 + a;
  if (p.auth.size() != a || inner + 6 > q.size()) return std::nullopt;
  p.chain = sub(q, inner + 6, std::min<std::size_t>(le(q, inner + 2, 4), q.size() - inner - 6));
  return p;
}

// EC P-256 public key from the uncompressed point 04 || x || y (nullptr if not on the curve).
PkeyPtr p256_key(const Bytes& xy) {
  Bytes point{0x04};
  point.insert(point.end(), xy.begin(), xy.end());
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  char group[] = "prime256v1";
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    return nullptr;
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  PkeyPtr out(key);
  // Explicit on-curve check (EVP_PKEY_public_check) in case fromdata did not do it.
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new(out.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return out;
}

// ECDSA-SHA256 verify of a raw r || s signature.
bool ecdsa_verify(EVP_PKEY* key, const Bytes& msg, const Bytes& rs) {
  if (key == nullptr || rs.size() != 64) return false;
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(rs.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(rs.data() + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return false;
  const Bytes encoded(der, der + len);
  OPENSSL_free(der);
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  return md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(md.get(), encoded.data(), encoded.size(), msg.data(), msg.size()) == 1;
}

std::vector<X509Ptr> read_pem(const Bytes& text) {
  std::vector<X509Ptr> out;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  while (bio) {
    X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (c == nullptr) break;
    out.emplace_back(c);
  }
  return out;
}

// X509_verify_cert of chain[0] with `root` as the only anchor, chain[1..] untrusted, at `now`.
// Returns X509_V_OK or the OpenSSL error; -1 when there is no certificate to verify.
int verify_chain(const std::vector<X509Ptr>& chain, const std::string& root_pem, std::int64_t now) {
  if (chain.empty()) return -1;
  const auto roots = read_pem(bytes(root_pem));
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (roots.empty() || !store || !untrusted || !ctx) return -1;
  for (const auto& r : roots) X509_STORE_add_cert(store.get(), r.get());
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), chain[i].get());
  if (X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get()) != 1) return -1;
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), static_cast<time_t>(now));
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

struct Findings {
  int chain = -1;  // X509_V_OK or an error
  bool qe_sig = false, qe_binding = false, ak_point = false, quote_sig = false, nonce = false;
  bool debug = false, mock_marker = false;
};

Findings examine(const Json& g, const Json& t, const Parts& p, const Bytes& q) {
  Findings f;
  Bytes chain_text = p.chain;
  while (!chain_text.empty() && chain_text.back() == 0) chain_text.pop_back();  // NUL padding of real quotes
  const auto chain = read_pem(chain_text);
  f.chain = verify_chain(chain, s(g, "rootCaPem"), t["now"].get<std::int64_t>());
  if (!chain.empty()) f.qe_sig = ecdsa_verify(X509_get0_pubkey(chain[0].get()), p.qe_report, p.qe_sig);
  f.qe_binding = sub(p.qe_report, 320, 64) == cat(sha256(cat(p.ak, p.auth)), Bytes(32, 0));
  const PkeyPtr ak = p256_key(p.ak);
  f.ak_point = ak != nullptr;
  f.quote_sig = ecdsa_verify(ak.get(), p.body, p.sig);
  f.nonce = sub(q, 568, 32) == sha256(h(t, "nonce"));
  f.debug = (q[168] & 0x01) != 0;
  f.mock_marker = sub(q, 28, 20) == bytes("PNC-MOCK-TDX-QUOTE-1");
  return f;
}

}  // namespace

Outcome check_quote_signed(const Json& g, const Json& t) {
  const Bytes q = h(t, "quote");
  const std::string detail = s(t, "detail");
  const bool crypto_case = has_flag(t, "Valid") || has_flag(t, "ValidityBoundary") || has_flag(t, "IntelRoot") ||
                           has_flag(t, "NonceBinding") || has_flag(t, "ProdPolicy") || detail.rfind("tdx.sig.", 0) == 0;
  if (!crypto_case) return skip();  // structure, event log, environment, key binding: no cryptography
  const auto parts = cut(q);
  if (!parts) return bad("signature data not parseable by the cross-check");
  const Findings f = examine(g, t, *parts, q);
  const bool chain_ok = f.chain == X509_V_OK;
  const bool signatures_ok = chain_ok && f.qe_sig && f.qe_binding && f.ak_point && f.quote_sig;
  const std::string chain_err = f.chain < 0 ? "no certificate" : X509_verify_cert_error_string(f.chain);

  if (valid(t)) return agree(signatures_ok && f.nonce && !f.debug && !f.mock_marker, true, "signed quote (chain: " + chain_err + ")");
  if (has_flag(t, "NonceBinding")) return agree(signatures_ok && f.nonce, false, "signed, REPORTDATA[0:32] == SHA256(N)");
  if (has_flag(t, "IntelRoot"))  // genuine mock signatures, but no chain to Intel's root
    return agree(chain_ok || !(f.qe_sig && f.qe_binding && f.quote_sig), false, "signatures ok, chain to Intel's root");
  if (detail == "tdx.sig.mock_marker") return agree(signatures_ok && !f.mock_marker, false, "signed, no mock marker");
  if (detail == "tdx.sig.debug_td") return agree(signatures_ok && !f.debug, false, "signed, DEBUG clear");
  // The check `detail` names must fail, every check the verifier runs before it must pass (§3.7-3 order:
  // chain, QE report signature, QE binding, attestation key, quote signature).
  if (detail == "tdx.sig.pck_chain_parse") return agree(f.chain != -1, false, "PEM chain parses");
  if (detail == "tdx.sig.cert_expired") return agree(f.chain != X509_V_ERR_CERT_HAS_EXPIRED, false, "chain not expired (" + chain_err + ")");
  if (detail == "tdx.sig.cert_not_yet_valid")
    return agree(f.chain != X509_V_ERR_CERT_NOT_YET_VALID, false, "chain not before notBefore (" + chain_err + ")");
  if (detail == "tdx.sig.pck_chain_untrusted")
    return agree(chain_ok || f.chain == -1 || f.chain == X509_V_ERR_CERT_HAS_EXPIRED || f.chain == X509_V_ERR_CERT_NOT_YET_VALID,
                 false, "chain verifies (" + chain_err + ")");
  if (!chain_ok) return bad("chain does not verify before the failing check: " + chain_err);
  if (detail == "tdx.sig.qe_report_signature") return agree(f.qe_sig, false, "QE report signature by the PCK leaf");
  if (detail == "tdx.sig.qe_report_binding") return agree(!f.qe_sig || f.qe_binding, false, "QE signature ok, QE binding");
  if (detail == "tdx.sig.bad_attestation_key")
    return agree(!f.qe_sig || !f.qe_binding || f.ak_point, false, "QE ok, attestation key on P-256");
  if (detail == "tdx.sig.quote_signature")
    return agree(!f.qe_sig || !f.qe_binding || !f.ak_point || f.quote_sig, false, "QE and key ok, quote signature");
  return skip();
}

}  // namespace xcheck
