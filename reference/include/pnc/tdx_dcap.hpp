// Offline DCAP verification of a TDX quote against Intel collateral (PROTOCOL.md §3.7 step 3):
// the semantics of Intel's Quote Verification Library on OpenSSL 3, pure logic (the caller reads
// the files and supplies the time). The collateral is the JSON object dcap-qvl and the dstack
// ecosystem exchange (parse_collateral). verify_dcap runs every check it can, each with a name
// and, when it fails, a named dcap.* error; the TCB evaluation gives Intel's status names with
// advisory ids, and a TcbPolicy says which statuses are accepted.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/result.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx::dcap {

// ---- Error codes (the quote's own structure keeps parse_quote's tdx.* codes) ----
inline constexpr const char* kConfig = "dcap.config";                          // no usable trusted root
inline constexpr const char* kCollateralFormat = "dcap.collateral_format";     // collateral JSON / hex / PEM / CRL DER
inline constexpr const char* kTcbInfoFormat = "dcap.tcb_info_format";          // tcb_info text not Intel's TCB info
inline constexpr const char* kQeIdentityFormat = "dcap.qe_identity_format";    // qe_identity text not Intel's
inline constexpr const char* kMockMarker = "dcap.mock_marker";                 // a MockQuoteV4 (§9.6)
inline constexpr const char* kPckChainFormat = "dcap.pck_chain_format";        // quote's PEM chain unreadable
inline constexpr const char* kPckChain = "dcap.pck_chain_untrusted";           // not to the root / bad signature
inline constexpr const char* kPckRevoked = "dcap.pck_revoked";                 // a chain certificate on a CRL
inline constexpr const char* kCertExpired = "dcap.cert_expired";               // a certificate past notAfter
inline constexpr const char* kCertNotYetValid = "dcap.cert_not_yet_valid";     // before notBefore
inline constexpr const char* kCrlExpired = "dcap.crl_expired";                 // now >= a CRL's nextUpdate
inline constexpr const char* kCrlNotYetValid = "dcap.crl_not_yet_valid";       // now < a CRL's thisUpdate
inline constexpr const char* kCrlInvalid = "dcap.crl_invalid";                 // CRL missing / bad signature
inline constexpr const char* kTcbSigningChain = "dcap.tcb_signing_chain_untrusted";
inline constexpr const char* kTcbInfoSignature = "dcap.tcb_info_signature";
inline constexpr const char* kQeIdentitySignature = "dcap.qe_identity_signature";
inline constexpr const char* kCollateralExpired = "dcap.collateral_expired";   // now > nextUpdate
inline constexpr const char* kCollateralNotYetValid = "dcap.collateral_not_yet_valid";  // now < issueDate
inline constexpr const char* kBadPckKey = "dcap.bad_pck_key";                  // leaf key not P-256
inline constexpr const char* kQeReportSignature = "dcap.qe_report_signature";  // QE report not signed by PCK
inline constexpr const char* kQeReportBinding = "dcap.qe_report_binding";      // REPORTDATA[0:32] != SHA256(AK||auth)
inline constexpr const char* kBadAttestKey = "dcap.bad_attestation_key";
inline constexpr const char* kQuoteSignature = "dcap.quote_signature";         // header||body not signed by AK
inline constexpr const char* kPckExtensions = "dcap.pck_extensions";           // no / malformed SGX extensions
inline constexpr const char* kTcbInfoNotTdx = "dcap.tcb_info_not_tdx";         // id != TDX or version < 3
inline constexpr const char* kFmspcMismatch = "dcap.fmspc_mismatch";
inline constexpr const char* kPceIdMismatch = "dcap.pce_id_mismatch";
inline constexpr const char* kQeIdentityMismatch = "dcap.qe_identity_mismatch";  // MRSIGNER/ISVPRODID/masks
inline constexpr const char* kQeTcbNotSupported = "dcap.qe_tcb_not_supported";  // QE ISVSVN below every level
inline constexpr const char* kTdxModuleMismatch = "dcap.tdx_module_mismatch";  // no identity / MRSIGNERSEAM / attrs
inline constexpr const char* kTcbNotSupported = "dcap.tcb_not_supported";      // no TCB level matches
inline constexpr const char* kDebugTd = "dcap.debug_td";                       // TD_ATTRIBUTES.DEBUG set
inline constexpr const char* kTcbStatusRejected = "dcap.tcb_status_rejected";  // status not in the policy

// ---- Intel's TCB statuses ----
enum class TcbStatus {
  UpToDate,
  SWHardeningNeeded,
  ConfigurationNeeded,
  ConfigurationAndSWHardeningNeeded,
  OutOfDate,
  OutOfDateConfigurationNeeded,
  Revoked,
};
std::string_view to_string(TcbStatus s);
std::optional<TcbStatus> tcb_status_from_string(std::string_view name);  // Intel's exact names

// Which statuses a verifier accepts. Default: UpToDate and SWHardeningNeeded, the strict choice of
// a stand-alone verifier (pnc-tdx); protocol() is §3.7 step 3's list, used by prod attestation (DEC-32).
struct TcbPolicy {
  std::set<TcbStatus> accepted = {TcbStatus::UpToDate, TcbStatus::SWHardeningNeeded};
  static TcbPolicy any();
  static TcbPolicy protocol();  // UpToDate, SWHardeningNeeded, ConfigurationNeeded (VAL's policy)
  bool accepts(TcbStatus s) const { return accepted.count(s) != 0; }
};
// "any", or a comma-separated list of Intel's status names ("UpToDate,SWHardeningNeeded").
Result<TcbPolicy> parse_policy(std::string_view text);

// "2025-06-19T10:16:03Z" (RFC 3339, UTC "Z", optional fractional seconds) ⇒ Unix seconds.
Result<std::int64_t> parse_utc_time(std::string_view text);

// ---- Collateral (dcap-qvl's QuoteCollateralV3 JSON) ----
struct Collateral {
  std::string pck_crl_issuer_chain;      // PEM
  Bytes root_ca_crl;                     // DER (hex in the JSON)
  Bytes pck_crl;                         // DER (hex in the JSON)
  std::string tcb_info_issuer_chain;     // PEM
  std::string tcb_info;                  // JSON text, exactly the signed bytes
  Bytes tcb_info_signature;              // r || s (hex in the JSON)
  std::string qe_identity_issuer_chain;  // PEM
  std::string qe_identity;               // JSON text, exactly the signed bytes
  Bytes qe_identity_signature;           // r || s
};
Result<Collateral> parse_collateral(std::string_view json_text);  // dcap.collateral_format

// ---- Parsed TCB info and QE identity (the parts the evaluation uses) ----
struct TcbLevel {
  std::array<std::uint8_t, 16> sgx_components{};
  std::uint16_t pce_svn = 0;
  std::array<std::uint8_t, 16> tdx_components{};
  TcbStatus status = TcbStatus::UpToDate;
  std::vector<std::string> advisory_ids;
};
struct ModuleTcbLevel {
  std::uint16_t isv_svn = 0;  // 0..255 for a TDX module, 0..65535 for a QE
  TcbStatus status = TcbStatus::UpToDate;
  std::vector<std::string> advisory_ids;
};
struct TdxModuleIdentity {
  std::string id;            // "TDX_03"; empty for tcbInfo's top-level tdxModule
  Bytes mrsigner;            // 48 bytes
  Bytes attributes;          // 8 bytes
  Bytes attributes_mask;     // 8 bytes
  std::vector<ModuleTcbLevel> tcb_levels;
};
struct TcbInfo {
  std::string id;  // "TDX" (or "SGX")
  int version = 0;
  std::int64_t issue_date = 0;   // Unix seconds
  std::int64_t next_update = 0;
  Bytes fmspc;    // 6 bytes
  Bytes pce_id;   // 2 bytes
  std::optional<TdxModuleIdentity> tdx_module;
  std::vector<TdxModuleIdentity> tdx_module_identities;
  std::vector<TcbLevel> tcb_levels;  // in the document's order (newest first)
};
Result<TcbInfo> parse_tcb_info(std::string_view json_text);  // dcap.tcb_info_format

struct QeIdentity {
  std::string id;  // "TD_QE"
  int version = 0;
  std::int64_t issue_date = 0;
  std::int64_t next_update = 0;
  std::uint32_t miscselect = 0;
  std::uint32_t miscselect_mask = 0;
  Bytes attributes;       // 16 bytes
  Bytes attributes_mask;  // 16 bytes
  Bytes mrsigner;         // 32 bytes
  std::uint16_t isv_prod_id = 0;
  std::vector<ModuleTcbLevel> tcb_levels;  // isvsvn levels, newest first
};
Result<QeIdentity> parse_qe_identity(std::string_view json_text);  // dcap.qe_identity_format

// The platform TCB the PCK leaf certifies (SGX extensions, OID 1.2.840.113741.1.13.1).
struct PckTcb {
  std::array<std::uint8_t, 16> cpu_svn_components{};  // SGX TCB components 1..16
  std::uint16_t pce_svn = 0;
  Bytes fmspc;   // 6 bytes
  Bytes pce_id;  // 2 bytes
};
// From the leaf certificate's DER (dcap.pck_extensions).
Result<PckTcb> parse_pck_extensions(ByteView leaf_der);

struct TcbEvaluation {
  TcbStatus status = TcbStatus::UpToDate;
  std::vector<std::string> advisory_ids;  // the matched levels' (platform, TDX module, QE), no duplicates
};

// QE identity match (MRSIGNER, ISVPRODID, MISCSELECT and ATTRIBUTES under their masks) and the QE's
// TCB level by ISVSVN (dcap.qe_identity_mismatch / dcap.qe_tcb_not_supported).
Result<ModuleTcbLevel> evaluate_qe_identity(const QeIdentity& identity, ByteView qe_report);

// TDX TCB level (Intel QVL's checkTcbLevel for TDX): the first level whose SGX components and
// PCESVN the PCK certifies and whose TDX components TEE_TCB_SVN meets (components 0 and 1 are
// skipped when TEE_TCB_SVN[1] > 0: the TDX module identity "TDX_%02X" rates them instead), the
// TDX module's status converged into it, then the QE's (Intel's convergence rules).
Result<TcbEvaluation> evaluate_tdx_tcb(const TcbInfo& info, const PckTcb& pck, const QuoteV4& quote,
                                       const ModuleTcbLevel& qe_level);

// The PCK chain check verify_dcap runs, on its own so that a test PKI can exercise revocation:
// the PEM chain (leaf first) to one of the roots, with root_ca_crl and pck_crl (DER), every
// certificate and CRL valid at `now`, no certificate revoked; issuer_chain_pem (the collateral's
// pck_crl_issuer_chain) adds untrusted intermediates. dcap.pck_chain_format, dcap.pck_chain_untrusted,
// dcap.pck_revoked, dcap.cert_expired / cert_not_yet_valid, dcap.crl_expired / crl_not_yet_valid /
// crl_invalid, dcap.collateral_format (a CRL that is not DER), dcap.config (no root).
Status verify_pck_chain(std::string_view chain_pem, ByteView root_ca_crl, ByteView pck_crl,
                        const std::vector<std::string>& trusted_roots_pem, std::int64_t now,
                        std::string_view issuer_chain_pem = {});

// ---- The whole verification ----
struct DcapOptions {
  std::vector<std::string> trusted_roots_pem;  // Intel SGX Root CA for real quotes
  std::int64_t now = 0;                        // Unix seconds; every validity window is judged here
  TcbPolicy policy;
  Profile profile = Profile::seed_spec;        // quote structure (§9.3)
};

struct Check {
  std::string name;            // e.g. "quote_signature", "pck_chain", "tcb_status"
  std::optional<Error> error;  // nullopt = passed
};

struct DcapResult {
  std::vector<Check> checks;              // every check made, in order
  std::optional<TcbStatus> status;        // when the TCB evaluation could run
  std::vector<std::string> advisory_ids;
  std::optional<std::string> fmspc;       // lowercase hex, when the PCK extensions were read
  bool ok() const;                        // every check passed (the policy check included)
  Status verdict() const;                 // the first failed check's error, or success
};

DcapResult verify_dcap(ByteView quote, const Collateral& collateral, const DcapOptions& options);

// The DcapVerifier prod attestation calls (verify_peer_quote, PeerQuoteCheck::dcap): verify_dcap
// with fixed collateral, roots and policy (default: §3.7's), at clock.now(); the first failed check.
class CollateralDcapVerifier final : public DcapVerifier {
 public:
  CollateralDcapVerifier(Collateral collateral, std::vector<std::string> trusted_roots_pem, const Clock& clock,
                         TcbPolicy policy = TcbPolicy::protocol(), Profile profile = Profile::seed_spec)
      : collateral_(std::move(collateral)), roots_(std::move(trusted_roots_pem)), clock_(clock),
        policy_(std::move(policy)), profile_(profile) {}
  Status verify(ByteView quote) override;

 private:
  Collateral collateral_;
  std::vector<std::string> roots_;
  const Clock& clock_;
  TcbPolicy policy_;
  Profile profile_;
};

}  // namespace pnc::tdx::dcap
