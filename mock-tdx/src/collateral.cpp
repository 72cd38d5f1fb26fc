// Mock DCAP collateral (collateral.hpp): TCB info and QE identity documents written like Intel's,
// signed with the deterministic ECDSA of ecdsa.cpp, and CRLs built with OpenSSL's X509_CRL API.
#include "pnc/mock_tdx/collateral.hpp"

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/mock_tdx/ecdsa.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/pki.hpp"

namespace pnc::mock_tdx {
namespace {

using OJson = nlohmann::ordered_json;

// ---- OpenSSL helpers ----

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>>;
using IntPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using AkidPtr = std::unique_ptr<AUTHORITY_KEYID, Deleter<AUTHORITY_KEYID, AUTHORITY_KEYID_free>>;

[[noreturn]] void openssl_failure(const char* what) {
  throw std::runtime_error(std::string("mock collateral: OpenSSL failed in ") + what);
}

X509Ptr parse_cert(const Certificate& c) {
  const unsigned char* p = c.der.data();
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(c.der.size())));
  if (!x) openssl_failure("d2i_X509");
  return x;
}

// The mock key as an OpenSSL EVP_PKEY (private and public part), for X509_CRL_sign.
PkeyPtr to_pkey(const P256Key& key) {
  std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>> d(BN_bin2bn(key.scalar().data(), 32, nullptr));
  Bytes point{0x04};
  point.insert(point.end(), key.public_xy().begin(), key.public_xy().end());
  if (!bld || !d || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    openssl_failure("OSSL_PARAM_BLD");
  std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_KEYPAIR, params.get()) != 1)
    openssl_failure("EVP_PKEY_fromdata");
  return PkeyPtr(pkey);
}

TimePtr asn1_time(std::int64_t t) {
  TimePtr a(ASN1_TIME_set(nullptr, static_cast<time_t>(t)));
  if (!a) openssl_failure("ASN1_TIME_set");
  return a;
}

struct CrlSpec {
  const Certificate* issuer = nullptr;           // its subject is the CRL's issuer, its SKID the AKID
  const P256Key* signer = nullptr;               // normally the issuer's key
  std::int64_t this_update = kPkiNotBefore;
  std::int64_t next_update = kPkiNotAfter;
  std::vector<const Certificate*> revoked;       // each revoked at this_update
  long number = 1;
};

Bytes make_crl(const CrlSpec& spec) {
  CrlPtr crl(X509_CRL_new());
  if (!crl) throw std::bad_alloc();
  X509Ptr issuer = parse_cert(*spec.issuer);
  const TimePtr last = asn1_time(spec.this_update), next = asn1_time(spec.next_update);
  if (X509_CRL_set_version(crl.get(), 1) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 || X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1)
    openssl_failure("X509_CRL_set_*");
  for (const Certificate* c : spec.revoked) {
    X509Ptr cert = parse_cert(*c);
    X509_REVOKED* r = X509_REVOKED_new();
    if (r == nullptr || X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(cert.get())) != 1 ||
        X509_REVOKED_set_revocationDate(r, last.get()) != 1 || X509_CRL_add0_revoked(crl.get(), r) != 1) {
      X509_REVOKED_free(r);
      openssl_failure("X509_REVOKED");
    }
  }
  IntPtr number(ASN1_INTEGER_new());
  AkidPtr akid(AUTHORITY_KEYID_new());
  const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(issuer.get());
  if (!number || !akid || skid == nullptr || ASN1_INTEGER_set(number.get(), spec.number) != 1 ||
      (akid->keyid = ASN1_OCTET_STRING_dup(skid)) == nullptr ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, akid.get(), 0, 0) != 1 ||
      X509_CRL_sort(crl.get()) != 1)
    openssl_failure("X509_CRL extensions");
  // X509_CRL_sign sets both algorithm identifiers (ecdsa-with-SHA256) and a random-k signature;
  // the signature value is then replaced by the RFC 6979 one over the same TBS encoding.
  const PkeyPtr pkey = to_pkey(*spec.signer);
  if (X509_CRL_sign(crl.get(), pkey.get(), EVP_sha256()) <= 0) openssl_failure("X509_CRL_sign");
  unsigned char* tbs = nullptr;
  const int tbs_len = i2d_re_X509_CRL_tbs(crl.get(), &tbs);
  if (tbs_len <= 0) openssl_failure("i2d_re_X509_CRL_tbs");
  const Bytes signature = ecdsa_der(spec.signer->sign(ByteView(tbs, static_cast<std::size_t>(tbs_len))));
  OPENSSL_free(tbs);
  const ASN1_BIT_STRING* sig = nullptr;
  X509_CRL_get0_signature(crl.get(), &sig, nullptr);
  auto* writable = const_cast<ASN1_BIT_STRING*>(sig);  // the CRL's own signature value
  if (ASN1_BIT_STRING_set(writable, const_cast<unsigned char*>(signature.data()), static_cast<int>(signature.size())) != 1)
    openssl_failure("ASN1_BIT_STRING_set");
  writable->flags = (writable->flags & ~0x07L) | ASN1_STRING_FLAG_BITS_LEFT;  // no unused bits
  unsigned char* out = nullptr;
  const int len = i2d_X509_CRL(crl.get(), &out);
  if (len <= 0) openssl_failure("i2d_X509_CRL");
  Bytes der(out, out + len);
  OPENSSL_free(out);
  return der;
}

// ---- Documents ----

std::string utc(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string upper_hex(ByteView b) {
  std::string s = codec::hex_encode(b);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// Intel's names of the 16 SGX TCB components (the "category"/"type" members are informational).
OJson sgx_components(const std::array<std::uint8_t, 16>& svns) {
  OJson arr = OJson::array();
  for (std::size_t i = 0; i < 16; ++i) {
    OJson c = {{"svn", svns[i]}};
    if (i < 2) {
      c["category"] = "BIOS";
      c["type"] = i == 0 ? "Early Microcode Update" : "SGX Late Microcode Update";
    }
    arr.push_back(c);
  }
  return arr;
}

OJson tdx_components(const std::array<std::uint8_t, 16>& svns) {
  OJson arr = OJson::array();
  for (std::size_t i = 0; i < 16; ++i) {
    OJson c = {{"svn", svns[i]}};
    if (i == 0) {
      c["category"] = "OS/VMM";
      c["type"] = "TDX Module";
    }
    arr.push_back(c);
  }
  return arr;
}

struct Level {
  std::array<std::uint8_t, 16> sgx{};
  std::uint16_t pcesvn = kPckPceSvn;
  std::array<std::uint8_t, 16> tdx{};  // the signed mock quotes' TEE_TCB_SVN is all zero
  std::string status = "UpToDate";
  std::string date = "2025-11-12T00:00:00Z";
  std::vector<std::string> advisories;
};

std::array<std::uint8_t, 16> pck_components() {
  std::array<std::uint8_t, 16> a{};
  std::copy(std::begin(kPckSgxComponents), std::end(kPckSgxComponents), a.begin());
  return a;
}

// What a fault may change; the defaults make the good set.
struct Plan {
  // TCB info.
  std::string tcb_id = "TDX";
  std::int64_t tcb_issue = kPkiNotBefore, tcb_next = kPkiNotAfter;
  std::string fmspc = "504E43000000", pce_id = "0000";  // Intel writes hex in uppercase
  std::string module_mrsigner = std::string(96, '0');  // the signed mock quotes' MRSIGNERSEAM
  std::vector<Level> levels;
  const P256Key* tcb_info_signer = &tcb_signing_key();
  // QE identity.
  std::int64_t qe_issue = kPkiNotBefore, qe_next = kPkiNotAfter;
  std::string qe_mrsigner;
  std::uint16_t qe_level_svn = kQeIsvSvn;
  std::string qe_status = "UpToDate";
  const P256Key* qe_identity_signer = &tcb_signing_key();
  // TCB signing chain.
  bool impostor_tcb_signing = false;
  // CRLs.
  CrlSpec root_crl, pck_crl;
  bool root_crl_garbage = false;
};

Plan good_plan() {
  Plan p;
  Level current;
  current.sgx = pck_components();
  Level older;  // an older platform TCB, OutOfDate, as Intel's lists continue
  older.sgx = {2, 2, 2, 2, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  older.pcesvn = 11;
  older.status = "OutOfDate";
  older.date = "2024-03-13T00:00:00Z";
  older.advisories = {"INTEL-SA-00837"};
  p.levels = {current, older};
  const auto signer = crypto::sha256(as_bytes(kQeMrSignerLabel));
  p.qe_mrsigner = upper_hex(signer);
  p.root_crl.issuer = &mock_root_ca();
  p.root_crl.signer = &root_key();
  p.pck_crl.issuer = &mock_intermediate_ca();
  p.pck_crl.signer = &intermediate_key();
  return p;
}

std::string tcb_info_text(const Plan& p) {
  OJson module = {{"mrsigner", p.module_mrsigner}, {"attributes", "0000000000000000"},
                  {"attributesMask", "FFFFFFFFFFFFFFFF"}};
  const OJson identity = OJson{{"id", "TDX_01"}, {"mrsigner", p.module_mrsigner}, {"attributes", "0000000000000000"},
                   {"attributesMask", "FFFFFFFFFFFFFFFF"},
                   {"tcbLevels", OJson::array({OJson{{"tcb", {{"isvsvn", 4}}}, {"tcbDate", "2025-11-12T00:00:00Z"},
                                                     {"tcbStatus", "UpToDate"}}})}};
  OJson levels = OJson::array();
  for (const auto& l : p.levels) {
    OJson level = {{"tcb", {{"sgxtcbcomponents", sgx_components(l.sgx)}, {"pcesvn", l.pcesvn},
                            {"tdxtcbcomponents", tdx_components(l.tdx)}}},
                   {"tcbDate", l.date},
                   {"tcbStatus", l.status}};
    if (!l.advisories.empty()) level["advisoryIDs"] = l.advisories;
    levels.push_back(level);
  }
  const OJson doc = {{"id", p.tcb_id},
                     {"version", 3},
                     {"issueDate", utc(p.tcb_issue)},
                     {"nextUpdate", utc(p.tcb_next)},
                     {"fmspc", p.fmspc},
                     {"pceId", p.pce_id},
                     {"tcbType", 0},
                     {"tcbEvaluationDataNumber", 17},
                     {"tdxModule", module},
                     {"tdxModuleIdentities", OJson::array({identity})},
                     {"tcbLevels", levels}};
  return doc.dump();
}

std::string qe_identity_text(const Plan& p) {
  OJson level = {{"tcb", {{"isvsvn", p.qe_level_svn}}}, {"tcbDate", "2025-11-12T00:00:00Z"}, {"tcbStatus", p.qe_status}};
  if (p.qe_status != "UpToDate") level["advisoryIDs"] = std::vector<std::string>{"INTEL-SA-00615"};
  const OJson doc = {{"id", "TD_QE"},
                     {"version", 2},
                     {"issueDate", utc(p.qe_issue)},
                     {"nextUpdate", utc(p.qe_next)},
                     {"tcbEvaluationDataNumber", 17},
                     {"miscselect", "00000000"},
                     {"miscselectMask", "FFFFFFFF"},
                     {"attributes", "00000000000000000000000000000000"},
                     {"attributesMask", "FBFFFFFFFFFFFFFF0000000000000000"},
                     {"mrsigner", p.qe_mrsigner},
                     {"isvprodid", kQeIsvProdId},
                     {"tcbLevels", OJson::array({level})}};
  return doc.dump();
}

Bytes rs(const ByteArray<64>& sig) { return Bytes(sig.begin(), sig.end()); }

tdx::dcap::Collateral build(const Plan& p) {
  tdx::dcap::Collateral c;
  const std::string& root = mock_root_ca().pem;
  c.pck_crl_issuer_chain = mock_intermediate_ca().pem + root;
  if (p.impostor_tcb_signing) {
    // Same names as the mock root and TCB signing cert; a key nobody trusts signed them.
    const P256Key impostor = P256Key::from_label(kImpostorRootKeyLabel);
    CertificateSpec r;
    r.serial_label = "impostor-root-ca";
    r.subject_cn = r.issuer_cn = kRootCn;
    r.ca = true;
    r.path_len = 1;
    r.subject_public = r.issuer_public = impostor.public_xy();
    r.signer = &impostor;
    CertificateSpec s;
    s.serial_label = "impostor-tcb-signing";
    s.subject_cn = kTcbSigningCn;
    s.issuer_cn = kRootCn;
    s.subject_public = tcb_signing_key().public_xy();
    s.issuer_public = impostor.public_xy();
    s.signer = &impostor;
    c.tcb_info_issuer_chain = make_certificate(s).pem + make_certificate(r).pem;
  } else {
    c.tcb_info_issuer_chain = mock_tcb_signing_cert().pem + root;
  }
  c.qe_identity_issuer_chain = c.tcb_info_issuer_chain;
  c.root_ca_crl = p.root_crl_garbage ? to_bytes("not a CRL") : make_crl(p.root_crl);
  c.pck_crl = make_crl(p.pck_crl);
  c.tcb_info = tcb_info_text(p);
  c.tcb_info_signature = rs(p.tcb_info_signer->sign(as_bytes(c.tcb_info)));
  c.qe_identity = qe_identity_text(p);
  c.qe_identity_signature = rs(p.qe_identity_signer->sign(as_bytes(c.qe_identity)));
  return c;
}

const P256Key& forger() {
  static const P256Key k = P256Key::from_label(kForgerKeyLabel);
  return k;
}

struct Fault {
  CollateralFaultInfo info;
  std::function<void(Plan&)> apply;
};

const std::vector<Fault>& faults() {
  static const std::vector<Fault> list = {
      {{"tcb-info-expired", "TCB info nextUpdate 2025-12-01, before the verification time", "tcb_info_window",
        tdx::dcap::kCollateralExpired, "UpToDate"},
       [](Plan& p) { p.tcb_next = kCollateralExpiredAt; }},
      {{"tcb-info-not-yet-valid", "TCB info issueDate 2040-01-01, after the verification time", "tcb_info_window",
        tdx::dcap::kCollateralNotYetValid, "UpToDate"},
       [](Plan& p) { p.tcb_issue = kFutureNotBefore; }},
      {{"tcb-info-bad-signature", "TCB info signed by a key other than the TCB signing certificate's",
        "tcb_info_signature", tdx::dcap::kTcbInfoSignature, "UpToDate"},
       [](Plan& p) { p.tcb_info_signer = &forger(); }},
      {{"tcb-info-wrong-fmspc", "TCB info for FMSPC 00906ED50000, not the PCK's 504E43000000", "fmspc",
        tdx::dcap::kFmspcMismatch, ""},
       [](Plan& p) { p.fmspc = "00906ED50000"; }},
      {{"tcb-info-wrong-pce-id", "TCB info for PCE-ID 0100, not the PCK's 0000", "pce_id", tdx::dcap::kPceIdMismatch, ""},
       [](Plan& p) { p.pce_id = "0100"; }},
      {{"tcb-info-not-tdx", "SGX TCB info (id \"SGX\") where TDX TCB info is required", "tcb_info_tdx",
        tdx::dcap::kTcbInfoNotTdx, "UpToDate"},
       [](Plan& p) { p.tcb_id = "SGX"; }},
      {{"tcb-out-of-date", "the platform's TCB level is OutOfDate (a newer level exists)", "tcb_status",
        tdx::dcap::kTcbStatusRejected, "OutOfDate"},
       [](Plan& p) {
         Level newer = p.levels[0];
         newer.sgx[0] = 5;
         newer.pcesvn = 14;
         newer.date = "2026-02-11T00:00:00Z";
         p.levels[0].status = "OutOfDate";
         p.levels[0].advisories = {"INTEL-SA-01036", "INTEL-SA-01079"};
         p.levels.insert(p.levels.begin(), newer);
       }},
      {{"tcb-sw-hardening-needed", "the platform's TCB level is SWHardeningNeeded (accepted by the default policy)",
        "", "", "SWHardeningNeeded"},
       [](Plan& p) {
         p.levels[0].status = "SWHardeningNeeded";
         p.levels[0].advisories = {"INTEL-SA-00615"};
       }},
      {{"tcb-configuration-needed", "the platform's TCB level is ConfigurationNeeded (refused by the default policy)",
        "tcb_status", tdx::dcap::kTcbStatusRejected, "ConfigurationNeeded"},
       [](Plan& p) {
         p.levels[0].status = "ConfigurationNeeded";
         p.levels[0].advisories = {"INTEL-SA-00828"};
       }},
      {{"tcb-revoked", "the platform's TCB level is Revoked", "tcb_status", tdx::dcap::kTcbStatusRejected, "Revoked"},
       [](Plan& p) { p.levels[0].status = "Revoked"; }},
      {{"tcb-not-supported", "every TCB level needs a higher SGX TCB than the PCK certifies", "tcb_level",
        tdx::dcap::kTcbNotSupported, ""},
       [](Plan& p) {
         for (auto& l : p.levels) l.sgx[0] = 9;
       }},
      {{"tdx-module-mismatch", "TCB info's TDX module MRSIGNER differs from the quote's MRSIGNERSEAM", "tcb_level",
        tdx::dcap::kTdxModuleMismatch, ""},
       [](Plan& p) { p.module_mrsigner = std::string(95, '0') + "1"; }},
      {{"qe-identity-expired", "QE identity nextUpdate 2025-12-01, before the verification time",
        "qe_identity_window", tdx::dcap::kCollateralExpired, "UpToDate"},
       [](Plan& p) { p.qe_next = kCollateralExpiredAt; }},
      {{"qe-identity-bad-signature", "QE identity signed by a key other than the TCB signing certificate's",
        "qe_identity_signature", tdx::dcap::kQeIdentitySignature, "UpToDate"},
       [](Plan& p) { p.qe_identity_signer = &forger(); }},
      {{"qe-identity-mismatch", "QE identity MRSIGNER differs from the quote's QE report", "qe_identity",
        tdx::dcap::kQeIdentityMismatch, ""},
       [](Plan& p) { p.qe_mrsigner = upper_hex(crypto::sha256(as_bytes("another QE signer"))); }},
      {{"qe-tcb-not-supported", "every QE identity level needs ISVSVN 2, the QE report has 1", "qe_identity",
        tdx::dcap::kQeTcbNotSupported, ""},
       [](Plan& p) { p.qe_level_svn = 2; }},
      {{"qe-out-of-date", "the QE's level is OutOfDate, which makes the TCB status OutOfDate", "tcb_status",
        tdx::dcap::kTcbStatusRejected, "OutOfDate"},
       [](Plan& p) { p.qe_status = "OutOfDate"; }},
      {{"pck-revoked", "the PCK CRL lists the PCK leaf's serial number", "pck_chain", tdx::dcap::kPckRevoked,
        "UpToDate"},
       [](Plan& p) { p.pck_crl.revoked = {&mock_pck_leaf()}; }},
      {{"pck-platform-ca-revoked", "the root CA CRL lists the PCK platform CA's serial number", "pck_chain",
        tdx::dcap::kPckRevoked, "UpToDate"},
       [](Plan& p) { p.root_crl.revoked = {&mock_intermediate_ca()}; }},
      {{"pck-crl-expired", "PCK CRL nextUpdate 2025-12-01, before the verification time", "pck_chain",
        tdx::dcap::kCrlExpired, "UpToDate"},
       [](Plan& p) { p.pck_crl.next_update = kCollateralExpiredAt; }},
      {{"pck-crl-bad-signature", "PCK CRL signed by a key other than the PCK platform CA's", "pck_chain",
        tdx::dcap::kCrlInvalid, "UpToDate"},
       [](Plan& p) { p.pck_crl.signer = &forger(); }},
      {{"root-crl-expired", "root CA CRL nextUpdate 2025-12-01, before the verification time", "tcb_info_chain",
        tdx::dcap::kCrlExpired, "UpToDate"},
       [](Plan& p) { p.root_crl.next_update = kCollateralExpiredAt; }},
      {{"root-crl-not-yet-valid", "root CA CRL thisUpdate 2040-01-01, after the verification time",
        "tcb_info_chain", tdx::dcap::kCrlNotYetValid, "UpToDate"},
       [](Plan& p) { p.root_crl.this_update = kFutureNotBefore; }},
      {{"root-crl-not-der", "root_ca_crl is not a DER CRL", "crls", tdx::dcap::kCollateralFormat, "UpToDate"},
       [](Plan& p) { p.root_crl_garbage = true; }},
      {{"tcb-signing-wrong-issuer",
        "TCB signing certificate issued by an impostor root that has the mock root's name", "tcb_info_chain",
        tdx::dcap::kTcbSigningChain, "UpToDate"},
       [](Plan& p) { p.impostor_tcb_signing = true; }},
      {{"tcb-signing-revoked", "the root CA CRL lists the TCB signing certificate's serial number",
        "tcb_info_chain", tdx::dcap::kTcbSigningChain, "UpToDate"},
       [](Plan& p) { p.root_crl.revoked = {&mock_tcb_signing_cert()}; }},
  };
  return list;
}

}  // namespace

const std::vector<CollateralFaultInfo>& collateral_fault_registry() {
  static const std::vector<CollateralFaultInfo> infos = [] {
    std::vector<CollateralFaultInfo> v;
    for (const auto& f : faults()) v.push_back(f.info);
    return v;
  }();
  return infos;
}

const CollateralFaultInfo* find_collateral_fault(std::string_view name) {
  for (const auto& f : collateral_fault_registry())
    if (f.name == name) return &f;
  return nullptr;
}

Result<tdx::dcap::Collateral> make_collateral(std::string_view fault) {
  Plan p = good_plan();
  if (!fault.empty()) {
    const auto& list = faults();
    const auto it = std::find_if(list.begin(), list.end(), [&](const Fault& f) { return f.info.name == fault; });
    if (it == list.end())
      return make_error(kUnknownCollateralFault,
                        "unknown collateral fault '" + std::string(fault) + "' (see `pnc-mock-tdx collateral --list`)");
    it->apply(p);
  }
  return build(p);
}

std::string collateral_json(const tdx::dcap::Collateral& c) {
  const OJson j = {{"pck_crl_issuer_chain", c.pck_crl_issuer_chain},
                   {"root_ca_crl", codec::hex_encode(c.root_ca_crl)},
                   {"pck_crl", codec::hex_encode(c.pck_crl)},
                   {"tcb_info_issuer_chain", c.tcb_info_issuer_chain},
                   {"tcb_info", c.tcb_info},
                   {"tcb_info_signature", codec::hex_encode(c.tcb_info_signature)},
                   {"qe_identity_issuer_chain", c.qe_identity_issuer_chain},
                   {"qe_identity", c.qe_identity},
                   {"qe_identity_signature", codec::hex_encode(c.qe_identity_signature)}};
  return j.dump(2);
}

Bytes mock_root_ca_crl() { return make_crl(good_plan().root_crl); }
Bytes mock_pck_crl() { return make_crl(good_plan().pck_crl); }

}  // namespace pnc::mock_tdx
