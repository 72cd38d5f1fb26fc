// TCB judgement of DCAP verification (tdx_dcap.hpp), Intel QVL semantics: the QE identity match
// and its ISVSVN level, the TDX TCB level (SGX components and PCESVN from the PCK certificate,
// TDX components from TEE_TCB_SVN), the TDX module identity, and Intel's status convergence.
// Pure functions over parsed data.
#include <algorithm>

#include "pnc/tdx_dcap.hpp"

namespace pnc::tdx::dcap {
namespace {

// QE report (SGX REPORT body) offsets.
constexpr std::size_t kQeMiscSelect = 16;  // u32 little-endian
constexpr std::size_t kQeAttributes = 48;  // 16 bytes
constexpr std::size_t kQeMrSigner = 128;   // 32 bytes
constexpr std::size_t kQeIsvProdId = 256;  // u16 little-endian
constexpr std::size_t kQeIsvSvn = 258;     // u16 little-endian

std::uint16_t le16(ByteView b, std::size_t at) { return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8)); }

bool masked_equal(ByteView value, ByteView mask, ByteView expected) {
  if (value.size() != mask.size() || mask.size() != expected.size()) return false;
  for (std::size_t i = 0; i < value.size(); ++i)
    if ((value[i] & mask[i]) != (expected[i] & mask[i])) return false;
  return true;
}

void add_advisories(std::vector<std::string>& out, const std::vector<std::string>& ids) {
  for (const auto& id : ids)
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
}

// Intel's convergence of a TCB level status with an OutOfDate / Revoked module or QE status.
TcbStatus converge(TcbStatus level, TcbStatus other) {
  if (other == TcbStatus::Revoked) return TcbStatus::Revoked;
  if (other == TcbStatus::OutOfDate) {
    if (level == TcbStatus::UpToDate || level == TcbStatus::SWHardeningNeeded) return TcbStatus::OutOfDate;
    if (level == TcbStatus::ConfigurationNeeded || level == TcbStatus::ConfigurationAndSWHardeningNeeded)
      return TcbStatus::OutOfDateConfigurationNeeded;
  }
  return level;
}

bool all_at_least(const std::array<std::uint8_t, 16>& have, const std::array<std::uint8_t, 16>& need,
                  std::size_t from) {
  for (std::size_t i = from; i < 16; ++i)
    if (have[i] < need[i]) return false;
  return true;
}

}  // namespace

Result<ModuleTcbLevel> evaluate_qe_identity(const QeIdentity& identity, ByteView qe_report) {
  if (qe_report.size() != kQeReportSize) return make_error(kQeIdentityMismatch, "QE report is not 384 bytes");
  if (!std::equal(identity.mrsigner.begin(), identity.mrsigner.end(), qe_report.begin() + kQeMrSigner) ||
      identity.mrsigner.size() != 32)
    return make_error(kQeIdentityMismatch, "QE MRSIGNER differs from the QE identity's");
  if (le16(qe_report, kQeIsvProdId) != identity.isv_prod_id)
    return make_error(kQeIdentityMismatch, "QE ISVPRODID " + std::to_string(le16(qe_report, kQeIsvProdId)) +
                                               " != " + std::to_string(identity.isv_prod_id));
  const std::uint32_t misc = qe_report[kQeMiscSelect] | (qe_report[kQeMiscSelect + 1] << 8) |
                             (qe_report[kQeMiscSelect + 2] << 16) |
                             (static_cast<std::uint32_t>(qe_report[kQeMiscSelect + 3]) << 24);
  if ((misc & identity.miscselect_mask) != (identity.miscselect & identity.miscselect_mask))
    return make_error(kQeIdentityMismatch, "QE MISCSELECT differs under the mask");
  if (!masked_equal(qe_report.subspan(kQeAttributes, 16), identity.attributes_mask, identity.attributes))
    return make_error(kQeIdentityMismatch, "QE ATTRIBUTES differ under the mask");
  const std::uint16_t svn = le16(qe_report, kQeIsvSvn);
  for (const auto& level : identity.tcb_levels)
    if (svn >= level.isv_svn) return level;
  return make_error(kQeTcbNotSupported, "QE ISVSVN " + std::to_string(svn) + " is below every QE identity level");
}

Result<TcbEvaluation> evaluate_tdx_tcb(const TcbInfo& info, const PckTcb& pck, const QuoteV4& quote,
                                       const ModuleTcbLevel& qe_level) {
  const auto& tee_tcb_svn = quote.tee_tcb_svn;
  const std::uint8_t module_version = tee_tcb_svn[1];
  const std::uint8_t module_svn = tee_tcb_svn[0];

  // The TDX module identity: TDX_<version> of tdxModuleIdentities when the version is non-zero,
  // otherwise tcbInfo's single tdxModule (no levels of its own).
  const TdxModuleIdentity* module = nullptr;
  std::string wanted = "tdxModule";
  if (module_version > 0) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    wanted = std::string("TDX_") + kHex[module_version >> 4] + kHex[module_version & 15];
    for (const auto& m : info.tdx_module_identities) {
      std::string id = m.id;
      std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (id == wanted) module = &m;
    }
  } else if (info.tdx_module) {
    module = &*info.tdx_module;
  }
  if (module == nullptr) return make_error(kTdxModuleMismatch, "TCB info has no TDX module identity " + wanted);
  if (!std::equal(module->mrsigner.begin(), module->mrsigner.end(), quote.mr_signer_seam.begin()) ||
      module->mrsigner.size() != quote.mr_signer_seam.size())
    return make_error(kTdxModuleMismatch, "MRSIGNERSEAM differs from " + wanted + "'s mrsigner");
  if (!masked_equal(quote.seam_attributes, module->attributes_mask, module->attributes))
    return make_error(kTdxModuleMismatch, "SEAMATTRIBUTES differ from " + wanted + "'s under the mask");

  // Platform level: SGX components and PCESVN certified by the PCK, TDX components by TEE_TCB_SVN.
  const TcbLevel* level = nullptr;
  bool sgx_matched = false;
  for (const auto& l : info.tcb_levels) {
    if (!all_at_least(pck.cpu_svn_components, l.sgx_components, 0) || pck.pce_svn < l.pce_svn) continue;
    sgx_matched = true;
    if (all_at_least(tee_tcb_svn, l.tdx_components, module_version > 0 ? 2 : 0)) {
      level = &l;
      break;
    }
  }
  if (level == nullptr)
    return make_error(kTcbNotSupported, sgx_matched ? "TEE_TCB_SVN is below every TDX TCB level the PCK meets"
                                                    : "the PCK certificate's TCB is below every TCB level");

  TcbEvaluation out;
  out.status = level->status;
  add_advisories(out.advisory_ids, level->advisory_ids);
  if (module_version > 0) {
    const ModuleTcbLevel* module_level = nullptr;
    for (const auto& ml : module->tcb_levels)
      if (module_svn >= ml.isv_svn) {
        module_level = &ml;
        break;
      }
    if (module_level == nullptr)
      return make_error(kTcbNotSupported, "TDX module ISVSVN " + std::to_string(module_svn) + " is below every " +
                                              wanted + " level");
    out.status = converge(out.status, module_level->status);
    add_advisories(out.advisory_ids, module_level->advisory_ids);
  }
  out.status = converge(out.status, qe_level.status);
  add_advisories(out.advisory_ids, qe_level.advisory_ids);
  return out;
}

}  // namespace pnc::tdx::dcap
