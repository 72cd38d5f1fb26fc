// verify_dcap (tdx_dcap.hpp): every check of an offline DCAP verification in order, each recorded
// with its name and error. Signatures and chains on OpenSSL 3 (tdx/x509.hpp): X509_verify_cert
// with Intel's CRLs for the PCK chain and the TCB signing chains, raw r||s ECDSA for the quote,
// the QE report, TCB info and QE identity. The TCB judgement itself is in dcap_tcb.cpp.
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <functional>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/secret.hpp"
#include "pnc/tdx_dcap.hpp"
#include "pnc/tdx_mock.hpp"
#include "tdx/x509.hpp"

namespace pnc::tdx::dcap {
namespace {

using x509::X509Ptr;

constexpr std::size_t kMaxChainCerts = 8;
constexpr const char* kSgxExtensionsOid = "1.2.840.113741.1.13.1";

// ---- SGX extensions of a PCK certificate, read with OpenSSL's generic ASN.1 parser ----

struct SeqFree {
  void operator()(STACK_OF(ASN1_TYPE)* p) const { sk_ASN1_TYPE_pop_free(p, ASN1_TYPE_free); }
};
using SeqPtr = std::unique_ptr<STACK_OF(ASN1_TYPE), SeqFree>;

SeqPtr parse_sequence(const unsigned char* data, int len) {
  if (data == nullptr || len <= 0) return nullptr;
  const unsigned char* p = data;
  SeqPtr seq(d2i_ASN1_SEQUENCE_ANY(nullptr, &p, len));
  if (!seq || p != data + len) return nullptr;
  return seq;
}

std::string oid_text(const ASN1_OBJECT* obj) {
  char buf[80] = {};
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return n > 0 && n < static_cast<int>(sizeof buf) ? std::string(buf) : std::string();
}

// Each element of an SGX extension sequence is SEQUENCE { OID, value }: calls f(oid, value).
bool for_each_entry(const STACK_OF(ASN1_TYPE)* seq, const std::function<bool(const std::string&, const ASN1_TYPE*)>& f) {
  for (int i = 0; i < sk_ASN1_TYPE_num(seq); ++i) {
    const ASN1_TYPE* entry = sk_ASN1_TYPE_value(seq, i);
    if (entry->type != V_ASN1_SEQUENCE) return false;
    SeqPtr pair = parse_sequence(entry->value.sequence->data, entry->value.sequence->length);
    if (!pair || sk_ASN1_TYPE_num(pair.get()) != 2) return false;
    const ASN1_TYPE* oid = sk_ASN1_TYPE_value(pair.get(), 0);
    if (oid->type != V_ASN1_OBJECT) return false;
    if (!f(oid_text(oid->value.object), sk_ASN1_TYPE_value(pair.get(), 1))) return false;
  }
  return true;
}

std::optional<std::int64_t> integer(const ASN1_TYPE* v) {
  std::int64_t out = 0;
  if (v->type != V_ASN1_INTEGER || ASN1_INTEGER_get_int64(&out, v->value.integer) != 1) return std::nullopt;
  return out;
}

std::optional<Bytes> octets(const ASN1_TYPE* v, std::size_t size) {
  if (v->type != V_ASN1_OCTET_STRING || static_cast<std::size_t>(v->value.octet_string->length) != size)
    return std::nullopt;
  const unsigned char* d = v->value.octet_string->data;
  return Bytes(d, d + size);
}

// ---- Chain failures as this header's codes ----

Error chain_error(const x509::ChainFailure& f, const char* untrusted_code, const std::string& what) {
  const std::string msg = what + ", " + f.text;
  switch (f.error) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return make_error(kCertExpired, msg);
    case X509_V_ERR_CERT_NOT_YET_VALID: return make_error(kCertNotYetValid, msg);
    case X509_V_ERR_CRL_HAS_EXPIRED: return make_error(kCrlExpired, msg);
    case X509_V_ERR_CRL_NOT_YET_VALID: return make_error(kCrlNotYetValid, msg);
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
      return make_error(kCrlInvalid, msg);
    case X509_V_ERR_CERT_REVOKED:
      return make_error(untrusted_code == kPckChain ? kPckRevoked : untrusted_code, msg + " (revoked)");
    default: return make_error(untrusted_code, msg);
  }
}

// Appends each check's outcome to the result.
class Recorder {
 public:
  explicit Recorder(DcapResult& out) : out_(out) {}
  bool pass(const char* name) {
    out_.checks.push_back(Check{name, std::nullopt});
    return true;
  }
  bool fail(const char* name, Error e) {
    out_.checks.push_back(Check{name, std::move(e)});
    return false;
  }
  bool record(const char* name, const Status& s) { return s ? pass(name) : fail(name, s.error()); }

 private:
  DcapResult& out_;
};

// A signed collateral document (TCB info or QE identity) and the names of its three checks.
struct SignedDocument {
  const char* what;            // "tcb_info"
  const char* chain_check;     // "tcb_info_chain"
  const char* signature_check;
  const char* window_check;
  const char* signature_code;
  const std::string& chain_pem;
  const std::string& text;     // the signed bytes
  ByteView signature;
  std::optional<std::pair<std::int64_t, std::int64_t>> window;  // issueDate, nextUpdate (when parsed)
};

// Chain to the roots (with the CRLs), signature over the exact text, validity window at `now`.
void check_signed_document(Recorder& rec, const SignedDocument& doc, const std::vector<X509Ptr>& roots,
                           const std::vector<X509_CRL*>& crls, std::int64_t now) {
  const std::string what = doc.what;
  auto chain = x509::parse_pem_list(doc.chain_pem, kMaxChainCerts, kCollateralFormat, what + "_issuer_chain");
  if (!chain) {
    rec.fail(doc.chain_check, chain.error());
  } else {
    const auto r = x509::verify_chain(*chain, roots, now, crls);
    if (r.ok) rec.pass(doc.chain_check);
    else rec.fail(doc.chain_check, chain_error(r.failure, kTcbSigningChain, what + "_issuer_chain"));
    EVP_PKEY* key = X509_get0_pubkey((*chain)[0].get());
    const ByteView message(reinterpret_cast<const std::uint8_t*>(doc.text.data()), doc.text.size());
    if (x509::is_p256(key) && x509::ecdsa_verify(key, message, doc.signature)) rec.pass(doc.signature_check);
    else rec.fail(doc.signature_check, make_error(doc.signature_code, what + " is not signed by its issuer chain's leaf"));
  }
  if (!doc.window) return;
  if (now < doc.window->first)
    rec.fail(doc.window_check, make_error(kCollateralNotYetValid, what + ": now is before issueDate"));
  else if (now > doc.window->second)
    rec.fail(doc.window_check, make_error(kCollateralExpired, what + ": now is after nextUpdate"));
  else rec.pass(doc.window_check);
}

Result<std::vector<X509Ptr>> parse_roots(const std::vector<std::string>& pems) {
  std::vector<X509Ptr> roots;
  for (const auto& pem : pems) {
    auto parsed = x509::parse_pem_list(pem, SIZE_MAX, kConfig, "trusted root");
    if (!parsed) return parsed.error();
    for (auto& c : *parsed) roots.push_back(std::move(c));
  }
  if (roots.empty()) return make_error(kConfig, "no trusted root configured");
  return roots;
}

}  // namespace

Status verify_pck_chain(std::string_view chain_pem, ByteView root_ca_crl, ByteView pck_crl,
                        const std::vector<std::string>& trusted_roots_pem, std::int64_t now,
                        std::string_view issuer_chain_pem) {
  x509::ErrorQueueGuard guard;
  auto roots = parse_roots(trusted_roots_pem);
  if (!roots) return roots.error();
  auto chain = x509::parse_pem_list(chain_pem, kMaxChainCerts, kPckChainFormat, "PCK chain");
  if (!chain) return chain.error();
  x509::CrlPtr root_crl = x509::parse_der_crl(root_ca_crl);
  x509::CrlPtr leaf_crl = x509::parse_der_crl(pck_crl);
  if (!root_crl) return make_error(kCollateralFormat, "root_ca_crl is not a DER CRL");
  if (!leaf_crl) return make_error(kCollateralFormat, "pck_crl is not a DER CRL");
  std::vector<X509Ptr> issuers;
  if (!issuer_chain_pem.empty()) {
    auto parsed = x509::parse_pem_list(issuer_chain_pem, kMaxChainCerts, kCollateralFormat, "pck_crl_issuer_chain");
    if (!parsed) return parsed.error();
    issuers = std::move(*parsed);
  }
  std::vector<X509*> extra;
  for (const auto& c : issuers) extra.push_back(c.get());
  const auto r = x509::verify_chain(*chain, *roots, now, {root_crl.get(), leaf_crl.get()}, extra);
  if (r.ok) return {};
  return chain_error(r.failure, kPckChain, "PCK chain");
}

Result<PckTcb> parse_pck_extensions(ByteView leaf_der) {
  x509::ErrorQueueGuard guard;
  auto bad = [](const std::string& m) { return make_error(kPckExtensions, "PCK certificate: " + m); };
  if (leaf_der.size() > static_cast<std::size_t>(LONG_MAX)) return bad("too large");
  const unsigned char* p = leaf_der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(leaf_der.size())));
  if (!cert || p != leaf_der.data() + leaf_der.size()) return bad("not a DER certificate");
  std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(OBJ_txt2obj(kSgxExtensionsOid, 1), ASN1_OBJECT_free);
  const int idx = oid ? X509_get_ext_by_OBJ(cert.get(), oid.get(), -1) : -1;
  if (idx < 0) return bad("no SGX extensions (OID 1.2.840.113741.1.13.1)");
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert.get(), idx));
  SeqPtr top = parse_sequence(data->data, data->length);
  if (!top) return bad("SGX extensions are not a DER SEQUENCE");

  PckTcb out;
  bool have_tcb = false, have_fmspc = false, have_pce = false;
  int components = 0;
  bool have_pcesvn = false;
  const std::string base = kSgxExtensionsOid;
  const bool well_formed = for_each_entry(top.get(), [&](const std::string& id, const ASN1_TYPE* v) {
    if (id == base + ".2") {  // TCB: SEQUENCE of { OID .2.N, value }
      if (v->type != V_ASN1_SEQUENCE) return false;
      SeqPtr tcb = parse_sequence(v->value.sequence->data, v->value.sequence->length);
      if (!tcb) return false;
      have_tcb = true;
      return for_each_entry(tcb.get(), [&](const std::string& sub, const ASN1_TYPE* sv) {
        const std::string prefix = base + ".2.";
        if (sub.rfind(prefix, 0) != 0) return true;
        const std::string n = sub.substr(prefix.size());
        if (n == "17") {
          auto svn = integer(sv);
          if (!svn || *svn < 0 || *svn > 65535) return false;
          out.pce_svn = static_cast<std::uint16_t>(*svn);
          have_pcesvn = true;
          return true;
        }
        if (n == "18") return sv->type == V_ASN1_OCTET_STRING;  // CPUSVN as bytes: the components say it
        const int k = n.size() <= 2 && std::all_of(n.begin(), n.end(), ::isdigit) ? std::stoi(n) : 0;
        if (k < 1 || k > 16) return true;
        auto svn = integer(sv);
        if (!svn || *svn < 0 || *svn > 255) return false;
        out.cpu_svn_components[static_cast<std::size_t>(k - 1)] = static_cast<std::uint8_t>(*svn);
        ++components;
        return true;
      });
    }
    if (id == base + ".3") {
      auto b = octets(v, 2);
      if (!b) return false;
      out.pce_id = *b;
      have_pce = true;
    }
    if (id == base + ".4") {
      auto b = octets(v, 6);
      if (!b) return false;
      out.fmspc = *b;
      have_fmspc = true;
    }
    return true;
  });
  if (!well_formed) return bad("malformed SGX extension entry");
  if (!have_tcb || components != 16 || !have_pcesvn) return bad("SGX TCB extension incomplete");
  if (!have_fmspc) return bad("no FMSPC");
  if (!have_pce) return bad("no PCE-ID");
  return out;
}

bool DcapResult::ok() const {
  return !checks.empty() && std::all_of(checks.begin(), checks.end(), [](const Check& c) { return !c.error; });
}

Status DcapResult::verdict() const {
  for (const auto& c : checks)
    if (c.error) return *c.error;
  if (checks.empty()) return make_error(kConfig, "no check ran");
  return {};
}

DcapResult verify_dcap(ByteView quote, const Collateral& collateral, const DcapOptions& options) {
  x509::ErrorQueueGuard guard;
  DcapResult out;
  Recorder rec(out);
  const std::int64_t now = options.now;

  // Configuration: the trust anchors.
  auto roots = parse_roots(options.trusted_roots_pem);
  if (!rec.record("trusted_roots", roots ? Status{} : Status{roots.error()})) return out;

  // The quote's structure (§9.3) and the mock marker.
  auto parsed = parse_quote(quote, options.profile);
  if (!rec.record("quote_structure", parsed ? Status{} : Status{parsed.error()})) return out;
  const QuoteV4& q = *parsed;
  rec.record("mock_marker", has_mock_marker(q) ? Status{make_error(kMockMarker, "the quote carries the mock marker")}
                                               : Status{});

  // CRLs (the windows are judged where OpenSSL uses them, in the chains below).
  x509::CrlPtr root_crl = x509::parse_der_crl(collateral.root_ca_crl);
  x509::CrlPtr pck_crl = x509::parse_der_crl(collateral.pck_crl);
  std::vector<X509_CRL*> crls;
  if (!root_crl || !pck_crl) {
    rec.fail("crls", make_error(kCollateralFormat, std::string(!root_crl ? "root_ca_crl" : "pck_crl") +
                                                        " is not a DER CRL"));
  } else {
    crls = {root_crl.get(), pck_crl.get()};
    rec.pass("crls");
  }

  // Collateral documents: TCB info and QE identity, each signed by the TCB signing chain.
  auto tcb_info = parse_tcb_info(collateral.tcb_info);
  rec.record("tcb_info_format", tcb_info ? Status{} : Status{tcb_info.error()});
  auto qe_identity = parse_qe_identity(collateral.qe_identity);
  rec.record("qe_identity_format", qe_identity ? Status{} : Status{qe_identity.error()});
  if (!crls.empty()) {
    std::optional<std::pair<std::int64_t, std::int64_t>> w1, w2;
    if (tcb_info) w1 = std::pair{tcb_info->issue_date, tcb_info->next_update};
    if (qe_identity) w2 = std::pair{qe_identity->issue_date, qe_identity->next_update};
    check_signed_document(rec, {"tcb_info", "tcb_info_chain", "tcb_info_signature", "tcb_info_window",
                                kTcbInfoSignature, collateral.tcb_info_issuer_chain, collateral.tcb_info,
                                collateral.tcb_info_signature, w1}, *roots, crls, now);
    check_signed_document(rec, {"qe_identity", "qe_identity_chain", "qe_identity_signature", "qe_identity_window",
                                kQeIdentitySignature, collateral.qe_identity_issuer_chain, collateral.qe_identity,
                                collateral.qe_identity_signature, w2}, *roots, crls, now);
  }

  // PCK chain to the root, every certificate and CRL valid now, nothing revoked.
  const std::string_view chain_text(reinterpret_cast<const char*>(q.pck_chain.data()), q.pck_chain.size());
  rec.record("pck_chain", verify_pck_chain(chain_text, collateral.root_ca_crl, collateral.pck_crl,
                                           options.trusted_roots_pem, now, collateral.pck_crl_issuer_chain));
  auto chain = x509::parse_pem_list(chain_text, kMaxChainCerts, kPckChainFormat, "PCK chain");

  // Signatures: QE report by the PCK leaf, its binding of the attestation key, the quote by the AK.
  if (chain) {
    EVP_PKEY* pck_key = X509_get0_pubkey((*chain)[0].get());
    if (!x509::is_p256(pck_key)) {
      rec.fail("pck_key", make_error(kBadPckKey, "PCK leaf key is not EC P-256"));
    } else {
      rec.pass("pck_key");
      rec.record("qe_report_signature", x509::ecdsa_verify(pck_key, q.qe_report, q.qe_report_signature)
                                            ? Status{}
                                            : Status{make_error(kQeReportSignature,
                                                                "QE report signature does not verify with the PCK key")});
    }
  }
  Bytes hashed(q.attestation_key.begin(), q.attestation_key.end());
  hashed.insert(hashed.end(), q.qe_auth_data.begin(), q.qe_auth_data.end());
  const auto digest = crypto::sha256(hashed);
  rec.record("qe_report_binding",
             ct_equal(ByteView(q.qe_report).subspan(kQeReportDataOffset, 32), digest)
                 ? Status{}
                 : Status{make_error(kQeReportBinding, "QE REPORTDATA[0:32] != SHA256(attestation_key || qe_auth_data)")});
  x509::PkeyPtr ak = x509::p256_public_key(q.attestation_key);
  if (!ak) rec.fail("quote_signature", make_error(kBadAttestKey, "attestation key is not a P-256 point"));
  else
    rec.record("quote_signature", x509::ecdsa_verify(ak.get(), quote.first(q.signed_size()), q.ecdsa_signature)
                                      ? Status{}
                                      : Status{make_error(kQuoteSignature, "quote signature over Q[0:" +
                                                                               std::to_string(q.signed_size()) +
                                                                               ") does not verify with the attestation key")});

  // Platform identity: the PCK certificate's SGX extensions against TCB info.
  std::optional<PckTcb> pck;
  if (chain) {
    auto ext = parse_pck_extensions(x509::to_der((*chain)[0].get()));
    if (rec.record("pck_extensions", ext ? Status{} : Status{ext.error()})) {
      pck = *ext;
      out.fmspc = codec::hex_encode(pck->fmspc);
    }
  }
  bool platform_matches = false;  // Intel's QVL evaluates no TCB level for another platform's TCB info
  if (tcb_info) {
    rec.record("tcb_info_tdx", tcb_info->id == "TDX" && tcb_info->version >= 3
                                   ? Status{}
                                   : Status{make_error(kTcbInfoNotTdx, "TCB info is not TDX TCB info version 3 or later")});
    if (pck) {
      platform_matches = pck->fmspc == tcb_info->fmspc && pck->pce_id == tcb_info->pce_id;
      rec.record("fmspc", pck->fmspc == tcb_info->fmspc
                              ? Status{}
                              : Status{make_error(kFmspcMismatch, "PCK FMSPC " + codec::hex_encode(pck->fmspc) +
                                                                      " != TCB info " + codec::hex_encode(tcb_info->fmspc))});
      rec.record("pce_id", pck->pce_id == tcb_info->pce_id
                               ? Status{}
                               : Status{make_error(kPceIdMismatch, "PCK PCE-ID != TCB info pceId")});
    }
  }

  // QE identity, then the TCB level and its status.
  std::optional<ModuleTcbLevel> qe_level;
  if (qe_identity) {
    Result<ModuleTcbLevel> level = qe_identity->id == "TD_QE"
                                       ? evaluate_qe_identity(*qe_identity, q.qe_report)
                                       : Result<ModuleTcbLevel>(make_error(kQeIdentityMismatch, "QE identity is not TD_QE"));
    if (rec.record("qe_identity", level ? Status{} : Status{level.error()})) qe_level = *level;
  }
  if (tcb_info && pck && qe_level && platform_matches) {
    auto eval = evaluate_tdx_tcb(*tcb_info, *pck, q, *qe_level);
    if (rec.record("tcb_level", eval ? Status{} : Status{eval.error()})) {
      out.status = eval->status;
      out.advisory_ids = eval->advisory_ids;
    }
  }

  // Policy: no debuggable TD, and a TCB status the verifier accepts.
  rec.record("td_debug", q.debug() ? Status{make_error(kDebugTd, "TD_ATTRIBUTES.DEBUG is set")} : Status{});
  if (out.status)
    rec.record("tcb_status", options.policy.accepts(*out.status)
                                 ? Status{}
                                 : Status{make_error(kTcbStatusRejected, "TCB status " + std::string(to_string(*out.status)) +
                                                                             " is not accepted by the policy")});
  else
    rec.fail("tcb_status", make_error(kTcbNotSupported, "no TCB status could be established"));
  return out;
}

Status CollateralDcapVerifier::verify(ByteView quote) {
  DcapOptions options{roots_, clock_.now(), policy_, profile_};
  return verify_dcap(quote, collateral_, options).verdict();
}

}  // namespace pnc::tdx::dcap
