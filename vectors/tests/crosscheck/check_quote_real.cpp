// Cross-check of vectors/real-tdx/quote_real_test.json with OpenSSL 3 alone (nothing from
// pnc::reference): the quote is cut up by hand (Intel's v4 layout), then OpenSSL verifies the
// quote signature, the QE report signature and its binding, the PCK chain and the TCB signing
// chains with both CRLs (X509_V_FLAG_CRL_CHECK_ALL) at `now`, the TCB info / QE identity
// signatures; the windows and the FMSPC are read here, and the TCB status is evaluated here from
// the PCK certificate's SGX extension and TEE_TCB_SVN (Intel's rules: first matching level, TDX
// module identity, QE level, convergence). A case is confirmed when its expected status is the
// one found here and the finding its `check` names fails while, for valid cases, all pass.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <memory>

#include "crosscheck.hpp"

namespace xcheck {
namespace {

template <typename T, void (*F)(T*)>
struct Del {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Del<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Del<X509_CRL, X509_CRL_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Del<EVP_PKEY, EVP_PKEY_free>>;


void bio_free(BIO* b) { BIO_free(b); }

std::vector<X509Ptr> read_pem(const std::string& text) {
  std::vector<X509Ptr> out;
  std::unique_ptr<BIO, Del<BIO, bio_free>> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  while (bio) {
    X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (c == nullptr) break;
    out.emplace_back(c);
  }
  return out;
}

CrlPtr read_crl(const Bytes& der) {
  const unsigned char* p = der.data();
  return CrlPtr(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
}

PkeyPtr p256_key(const Bytes& xy) {
  Bytes point{0x04};
  point.insert(point.end(), xy.begin(), xy.end());
  std::unique_ptr<OSSL_PARAM_BLD, Del<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
  char group[] = "prime256v1";
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    return nullptr;
  std::unique_ptr<OSSL_PARAM, Del<OSSL_PARAM, OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, Del<EVP_PKEY_CTX, EVP_PKEY_CTX_free>> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return nullptr;
  return PkeyPtr(key);
}

bool ecdsa_verify(EVP_PKEY* key, const Bytes& msg, const Bytes& rs) {
  if (key == nullptr || rs.size() != 64) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), 32, nullptr), BN_bin2bn(rs.data() + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return false;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(md, der, static_cast<std::size_t>(len), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  return ok;
}

// X509_verify_cert: chain[0] to `roots`, chain[1..] + extra untrusted, both CRLs, time pinned.
int verify_chain(const std::vector<X509Ptr>& chain, const std::vector<X509Ptr>& extra,
                 const std::vector<X509Ptr>& roots, const std::vector<X509_CRL*>& crls, std::int64_t now) {
  if (chain.empty() || roots.empty()) return -1;
  X509_STORE* store = X509_STORE_new();
  for (const auto& r : roots) X509_STORE_add_cert(store, r.get());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted, chain[i].get());
  for (const auto& e : extra) sk_X509_push(untrusted, e.get());
  STACK_OF(X509_CRL)* crl_stack = sk_X509_CRL_new_null();
  for (X509_CRL* c : crls) sk_X509_CRL_push(crl_stack, c);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  int result = -1;
  if (X509_STORE_CTX_init(ctx, store, chain[0].get(), untrusted) == 1) {
    X509_STORE_CTX_set0_crls(ctx, crl_stack);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    result = X509_verify_cert(ctx) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  }
  X509_STORE_CTX_free(ctx);
  sk_X509_CRL_free(crl_stack);
  sk_X509_free(untrusted);
  X509_STORE_free(store);
  return result;
}

std::int64_t utc_seconds(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return -1;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The SGX extension entries of a PCK certificate, located by their OIDs in the extension value:
// 1.2.840.113741.1.13.1.2.N (N = 1..17) INTEGER, .4 FMSPC OCTET STRING(6).
struct PckTcb {
  std::array<int, 16> comps{};
  int pcesvn = -1;
  Bytes fmspc;
};
std::optional<PckTcb> pck_tcb(X509* leaf) {
  ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
  const int idx = X509_get_ext_by_OBJ(leaf, oid, -1);
  ASN1_OBJECT_free(oid);
  if (idx < 0) return std::nullopt;
  const ASN1_OCTET_STRING* v = X509_EXTENSION_get_data(X509_get_ext(leaf, idx));
  const Bytes ext(v->data, v->data + v->length);
  const Bytes base = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
  auto find = [&](const Bytes& arcs) -> std::optional<std::size_t> {  // index after the OID TLV
    Bytes pat = {0x06, static_cast<std::uint8_t>(base.size() + arcs.size())};
    pat.insert(pat.end(), base.begin(), base.end());
    pat.insert(pat.end(), arcs.begin(), arcs.end());
    const auto it = std::search(ext.begin(), ext.end(), pat.begin(), pat.end());
    if (it == ext.end()) return std::nullopt;
    return static_cast<std::size_t>(it - ext.begin()) + pat.size();
  };
  auto integer = [&](std::size_t at) -> int {
    if (at + 2 > ext.size() || ext[at] != 0x02 || ext[at + 1] == 0 || ext[at + 1] > 3 || at + 2 + ext[at + 1] > ext.size())
      return -1;
    int value = 0;
    for (std::size_t i = 0; i < ext[at + 1]; ++i) value = (value << 8) | ext[at + 2 + i];
    return value;
  };
  PckTcb out;
  for (std::uint8_t n = 1; n <= 17; ++n) {
    const auto at = find({0x02, n});
    if (!at) return std::nullopt;
    const int value = integer(*at);
    if (value < 0) return std::nullopt;
    if (n == 17) out.pcesvn = value;
    else out.comps[n - 1] = value;
  }
  const auto at = find({0x04});
  if (!at || *at + 8 > ext.size() || ext[*at] != 0x04 || ext[*at + 1] != 6) return std::nullopt;
  out.fmspc = sub(ext, *at + 2, 6);
  return out;
}

const std::vector<std::string> kStatuses = {"UpToDate", "SWHardeningNeeded", "ConfigurationNeeded",
                                            "ConfigurationAndSWHardeningNeeded", "OutOfDate",
                                            "OutOfDateConfigurationNeeded", "Revoked"};

std::string converge(const std::string& level, const std::string& other) {
  if (other == "Revoked") return "Revoked";
  if (other == "OutOfDate") {
    if (level == "UpToDate" || level == "SWHardeningNeeded") return "OutOfDate";
    if (level == "ConfigurationNeeded" || level == "ConfigurationAndSWHardeningNeeded")
      return "OutOfDateConfigurationNeeded";
  }
  return level;
}

// Intel's TDX TCB evaluation, written from Intel's QVL description; "" when no level matches.
std::string evaluate(const Json& tcb, const Json& qe, const PckTcb& pck, const Bytes& q, const Bytes& qe_report) {
  const Bytes tee = sub(q, 48, 16);
  const int module_version = tee[1], module_svn = tee[0];
  std::string status;
  for (const auto& l : tcb["tcbLevels"]) {
    const auto& sgx = l["tcb"]["sgxtcbcomponents"];
    const auto& tdx = l["tcb"]["tdxtcbcomponents"];
    bool ok = l["tcb"]["pcesvn"].get<int>() <= pck.pcesvn;
    for (std::size_t i = 0; i < 16 && ok; ++i) ok = sgx[i]["svn"].get<int>() <= pck.comps[i];
    for (std::size_t i = module_version > 0 ? 2 : 0; i < 16 && ok; ++i) ok = tdx[i]["svn"].get<int>() <= tee[i];
    if (ok) {
      status = l["tcbStatus"].get<std::string>();
      break;
    }
  }
  if (status.empty()) return "";
  if (module_version > 0) {
    char id[8];
    std::snprintf(id, sizeof id, "TDX_%02X", module_version);
    std::string module_status;
    for (const auto& m : tcb.value("tdxModuleIdentities", Json::array()))
      if (m["id"] == id)
        for (const auto& ml : m["tcbLevels"])
          if (module_svn >= ml["tcb"]["isvsvn"].get<int>()) {
            module_status = ml["tcbStatus"].get<std::string>();
            break;
          }
    if (module_status.empty()) return "";
    status = converge(status, module_status);
  }
  const int qe_svn = static_cast<int>(le(qe_report, 258, 2));
  for (const auto& ql : qe["tcbLevels"])
    if (qe_svn >= ql["tcb"]["isvsvn"].get<int>()) return converge(status, ql["tcbStatus"].get<std::string>());
  return "";
}

struct Findings {
  std::map<std::string, bool> ok;  // by the check names of the file
  std::string status;              // "" = none established
  int pck_chain_error = 0, tcb_chain_error = 0;
};

Findings examine(const Json& g, const Json& t) {
  Findings f;
  const Bytes q = h(t, "quote");
  const auto& c = g["collateral"];
  const std::int64_t now = t["now"].get<std::int64_t>();
  // Structure (v4): 636 + S bytes, then only zero bytes.
  const std::size_t sig_len = q.size() >= 636 ? le(q, 632, 4) : 0;
  const bool complete = q.size() >= 636 && q.size() >= 636 + sig_len && sig_len >= 584;
  f.ok["quote_structure"] = complete && std::all_of(q.begin() + static_cast<std::ptrdiff_t>(636 + sig_len), q.end(),
                                                    [](std::uint8_t b) { return b == 0; });
  if (!complete) return f;
  const std::size_t sd = 636;
  const Bytes sig = sub(q, sd, 64), ak = sub(q, sd + 64, 64), qe_report = sub(q, sd + 134, 384),
              qe_sig = sub(q, sd + 518, 64);
  const std::size_t auth_len = le(q, sd + 582, 2);
  const Bytes auth = sub(q, sd + 584, auth_len);
  const std::size_t inner = sd + 584 + auth_len;
  const Bytes chain_bytes = sub(q, inner + 6, le(q, inner + 2, 4));
  const auto chain = read_pem(std::string(chain_bytes.begin(), chain_bytes.end()));
  const auto roots = read_pem(s(g, "rootCaPem"));
  CrlPtr root_crl = read_crl(h(c, "root_ca_crl")), pck_crl = read_crl(h(c, "pck_crl"));
  const std::vector<X509_CRL*> crls = {root_crl.get(), pck_crl.get()};

  f.pck_chain_error = verify_chain(chain, read_pem(s(c, "pck_crl_issuer_chain")), roots, crls, now);
  f.ok["pck_chain"] = f.pck_chain_error == X509_V_OK;
  f.ok["qe_report_signature"] = !chain.empty() && ecdsa_verify(X509_get0_pubkey(chain[0].get()), qe_report, qe_sig);
  f.ok["qe_report_binding"] = sub(qe_report, 320, 32) == sha256(cat(ak, auth));
  const PkeyPtr ak_key = p256_key(ak);
  f.ok["quote_signature"] = ecdsa_verify(ak_key.get(), sub(q, 0, 632), sig);

  const auto tcb_chain = read_pem(s(c, "tcb_info_issuer_chain"));
  f.tcb_chain_error = verify_chain(tcb_chain, {}, roots, crls, now);
  f.ok["tcb_info_chain"] = f.tcb_chain_error == X509_V_OK;
  const std::string tcb_text = s(c, "tcb_info"), qe_text = s(c, "qe_identity");
  f.ok["tcb_info_signature"] = !tcb_chain.empty() && ecdsa_verify(X509_get0_pubkey(tcb_chain[0].get()),
                                                                  bytes(tcb_text), h(c, "tcb_info_signature"));
  const auto qe_chain = read_pem(s(c, "qe_identity_issuer_chain"));
  f.ok["qe_identity_chain"] = verify_chain(qe_chain, {}, roots, crls, now) == X509_V_OK;
  f.ok["qe_identity_signature"] = !qe_chain.empty() && ecdsa_verify(X509_get0_pubkey(qe_chain[0].get()),
                                                                    bytes(qe_text), h(c, "qe_identity_signature"));
  const Json tcb = Json::parse(tcb_text, nullptr, false), qe = Json::parse(qe_text, nullptr, false);
  if (!tcb.is_object() || !qe.is_object()) return f;
  f.ok["tcb_info_window"] = now >= utc_seconds(tcb["issueDate"].get<std::string>()) &&
                              now <= utc_seconds(tcb["nextUpdate"].get<std::string>());
  f.ok["qe_identity_window"] = now >= utc_seconds(qe["issueDate"].get<std::string>()) &&
                                 now <= utc_seconds(qe["nextUpdate"].get<std::string>());
  const auto pck = chain.empty() ? std::nullopt : pck_tcb(chain[0].get());
  if (!pck) return f;
  f.ok["fmspc"] = unhex(tcb["fmspc"].get<std::string>()) == pck->fmspc;
  // No TCB level is evaluated against another platform's TCB info (Intel QVL: TCB info mismatch).
  if (f.ok["fmspc"]) f.status = evaluate(tcb, qe, *pck, q, qe_report);
  bool accepted = false;
  for (const auto& a : t["acceptedStatuses"]) accepted = accepted || a == f.status;
  f.ok["tcb_status"] = !f.status.empty() && accepted;
  return f;
}

}  // namespace

Outcome check_quote_real(const Json& g, const Json& t) {
  const Findings f = examine(g, t);
  const std::string expected_status = t["status"].is_null() ? "" : t["status"].get<std::string>();
  // A status is established only when the quote parses (the reference stops at the structure).
  if (f.ok.at("quote_structure") && !expected_status.empty() && f.status != expected_status)
    return bad("TCB status: OpenSSL-side evaluation gives '" + f.status + "', the file says '" + expected_status + "'");
  if (valid(t)) {
    for (const auto& [name, ok] : f.ok)
      if (!ok) return bad("check " + name + " fails under OpenSSL");
    if (f.ok.size() < 12) return bad("not every check could run");
    return openssl_ok();
  }
  const std::string check = s(t, "check");
  const auto it = f.ok.find(check);
  if (it == f.ok.end()) return bad("the cross-check has no finding for check '" + check + "'");
  if (it->second) return bad("check " + check + " passes under OpenSSL");
  if (check == "pck_chain" && s(t, "reason") == "dcap.crl_expired" && f.pck_chain_error != X509_V_ERR_CRL_HAS_EXPIRED)
    return bad(std::string("PCK chain error is ") + X509_verify_cert_error_string(f.pck_chain_error));
  return openssl_ok();
}

}  // namespace xcheck
