// pnc-tdx's JSON output (report.hpp).
#include "report.hpp"

#include "pnc/codec.hpp"

namespace pnc::tdx_cli {
namespace {

std::string hex(ByteView b) { return codec::hex_encode(b); }

}  // namespace

nlohmann::ordered_json quote_json(const tdx::QuoteV4& q, std::size_t size) {
  const std::size_t signature_data = size - q.trailing.size() - q.signed_size() - 4;
  nlohmann::ordered_json j = {
      {"version", q.version},
      {"att_key_type", q.att_key_type},
      {"tee_type", q.tee_type},
      {"qe_vendor_id", hex(q.qe_vendor_id)},
      {"user_data", hex(q.user_data)},
      {"body_type", q.body_type},
      {"tee_tcb_svn", hex(q.tee_tcb_svn)},
      {"mr_seam", hex(q.mr_seam)},
      {"mr_signer_seam", hex(q.mr_signer_seam)},
      {"seam_attributes", hex(q.seam_attributes)},
      {"td_attributes", hex(q.td_attributes)},
      {"xfam", hex(q.xfam)},
      {"mr_td", hex(q.mr_td)},
      {"mr_config_id", hex(q.mr_config_id)},
      {"mr_owner", hex(q.mr_owner)},
      {"mr_owner_config", hex(q.mr_owner_config)},
      {"rtmr0", hex(q.rtmr[0])},
      {"rtmr1", hex(q.rtmr[1])},
      {"rtmr2", hex(q.rtmr[2])},
      {"rtmr3", hex(q.rtmr[3])},
      {"report_data", hex(q.report_data)},
      {"debug", q.debug()},
      {"size", size},
      {"signed_size", q.signed_size()},
      {"signature_data_length", signature_data},
      {"ecdsa_signature", hex(q.ecdsa_signature)},
      {"attestation_key", hex(q.attestation_key)},
      {"qe_report", hex(q.qe_report)},
      {"qe_report_signature", hex(q.qe_report_signature)},
      {"qe_auth_data", hex(q.qe_auth_data)},
      {"pck_chain_size", q.pck_chain.size()},
      {"trailing_size", q.trailing.size()},
      {"trailing_all_zero", std::all_of(q.trailing.begin(), q.trailing.end(), [](std::uint8_t b) { return b == 0; })},
  };
  if (q.body_type == tdx::kBodyTypeTdReport15) {
    j["tee_tcb_svn2"] = hex(q.tee_tcb_svn2);
    j["mr_service_td"] = hex(q.mr_service_td);
  }
  return j;
}

nlohmann::ordered_json dcap_json(const tdx::dcap::DcapResult& r, const tdx::dcap::TcbPolicy& policy, std::int64_t at) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& c : r.checks) {
    nlohmann::ordered_json one = {{"name", c.name}, {"ok", !c.error}};
    if (c.error) {
      one["error"] = c.error->code;
      one["message"] = c.error->message;
    }
    checks.push_back(std::move(one));
  }
  nlohmann::ordered_json accepted = nlohmann::ordered_json::array();
  for (auto s : policy.accepted) accepted.push_back(std::string(tdx::dcap::to_string(s)));
  using J = nlohmann::ordered_json;
  J j = {
      {"verified", r.ok()},
      {"status", r.status ? J(std::string(tdx::dcap::to_string(*r.status))) : J(nullptr)},
      {"advisory_ids", r.advisory_ids},
      {"fmspc", r.fmspc ? J(*r.fmspc) : J(nullptr)},
      {"at", at},
      {"accepted_statuses", accepted},
      {"checks", checks},
  };
  if (const auto v = r.verdict(); !v) j["error"] = v.error().code;
  return j;
}

nlohmann::ordered_json rtmrs_document(const std::array<tdx::Measurement, tdx::kImrCount>& rtmrs, std::size_t events,
                              const char* format) {
  nlohmann::ordered_json j = {{"format", format}, {"events", events}};
  const nlohmann::json values = tdx::rtmrs_json(rtmrs);
  for (const auto& [name, value] : values.items()) j[name] = value;
  return j;
}

nlohmann::ordered_json error_json(const Error& e) { return {{"error", e.code}, {"message", e.message}}; }

}  // namespace pnc::tdx_cli
