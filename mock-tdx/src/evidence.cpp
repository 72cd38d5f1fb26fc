// make_evidence: MockQuoteV4 (reused from the reference's tdx module) or its signed twin, with a
// named fault applied at the stage it targets (build.hpp).
#include "pnc/mock_tdx/evidence.hpp"

#include <algorithm>

#include "build.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/mock_tdx/ecdsa.hpp"
#include "pnc/mock_tdx/faults.hpp"
#include "pnc/rng.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::mock_tdx {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kQeAuthDataSize = 32;

void put_le16(ByteArray<384>& report, std::size_t off, std::uint16_t v) {
  report[off] = static_cast<std::uint8_t>(v);
  report[off + 1] = static_cast<std::uint8_t>(v >> 8);
}

ByteArray<384> qe_report_template() {
  ByteArray<384> r{};
  const auto enclave = crypto::sha256(as_bytes(kQeMrEnclaveLabel));
  const auto signer = crypto::sha256(as_bytes(kQeMrSignerLabel));
  std::copy(enclave.begin(), enclave.end(), r.begin() + 64);   // MRENCLAVE
  std::copy(signer.begin(), signer.end(), r.begin() + 128);    // MRSIGNER
  put_le16(r, 256, kQeIsvProdId);                              // ISVPRODID
  put_le16(r, 258, kQeIsvSvn);                                 // ISVSVN
  return r;
}

// MockQuoteV4 around the REPORTDATA, parsed back into fields (the reference builds it; this
// module only changes what a mode or a fault changes).
tdx::QuoteV4 mock_fields(const ByteArray<64>& report_data, const tdx::MockParams& params) {
  auto parsed = tdx::parse_quote(tdx::mock_quote_v4_for(report_data, params).quote);
  return std::move(parsed).value();  // MockQuoteV4 always parses (tested against V8)
}

Evidence finish(Bytes quote, const std::vector<tdx::Event>& events, const tdx::QuoteV4& q) {
  return Evidence{std::move(quote), tdx::event_log_json(events), tdx::rtmrs_json(q.rtmr)};
}

}  // namespace

std::string_view to_string(Mode mode) { return mode == Mode::mock ? "mock" : "signed"; }

std::optional<Mode> parse_mode(std::string_view name) {
  if (name == "mock") return Mode::mock;
  if (name == "signed") return Mode::signed_quote;
  return std::nullopt;
}

namespace detail {

Bytes sign_quote(tdx::QuoteV4 q, const SignPlan& plan) {
  const P256Key ak = P256Key::from_label(plan.ak_label);
  q.attestation_key = plan.ak_field ? *plan.ak_field : ak.public_xy();
  q.qe_auth_data.resize(kQeAuthDataSize);
  for (std::size_t i = 0; i < kQeAuthDataSize; ++i) q.qe_auth_data[i] = static_cast<std::uint8_t>(i);
  q.pck_chain = plan.chain_bytes ? *plan.chain_bytes : to_bytes(pck_chain_pem(plan.chain));
  q.cert_type = tdx::kCertTypeQeReport;
  q.inner_cert_type = tdx::kCertTypePckChain;

  q.qe_report = qe_report_template();
  Bytes hashed(q.attestation_key.begin(), q.attestation_key.end());
  hashed.insert(hashed.end(), q.qe_auth_data.begin(), q.qe_auth_data.end());
  const auto binding = crypto::sha256(hashed);
  std::copy(binding.begin(), binding.end(), q.qe_report.begin() + tdx::kQeReportDataOffset);
  if (plan.after_qe_binding) plan.after_qe_binding(q);
  const P256Key qe_signer = plan.qe_signer_label.empty() ? leaf_key() : P256Key::from_label(plan.qe_signer_label);
  q.qe_report_signature = qe_signer.sign(q.qe_report);

  q.ecdsa_signature = {};
  Bytes bytes = tdx::serialize_quote(q);
  const P256Key quote_signer = plan.quote_signer_label.empty() ? ak : P256Key::from_label(plan.quote_signer_label);
  const auto sig = quote_signer.sign(ByteView(bytes).first(tdx::kSignedSize));
  std::copy(sig.begin(), sig.end(), bytes.begin() + tdx::kOffSigData + tdx::kRelEcdsaSig);
  return bytes;
}

}  // namespace detail

Result<ByteArray<64>> request_report_data(const QuoteRequest& r) {
  if (r.nonce.has_value() == r.report_data.has_value())
    return make_error(kBadBinding, "give exactly one of a nonce and a report_data");
  if (r.nonce) return ws_report_data(*r.nonce, r.params.key_binding);
  ByteArray<64> rd{};
  std::copy(r.report_data->begin(), r.report_data->end(), rd.begin());
  if (r.params.key_binding) std::copy(r.params.key_binding->begin(), r.params.key_binding->end(), rd.begin() + 32);
  return rd;
}

Result<Evidence> make_evidence(const QuoteRequest& r) {
  auto rd = request_report_data(r);
  if (!rd) return rd.error();
  if (r.params.env_mode != "dev" && r.params.env_mode != "prod")
    return make_error(kBadEnv, "env_mode must be dev or prod, not '" + r.params.env_mode + "'");

  static const detail::Hooks kNoHooks;
  const detail::Hooks* hooks = &kNoHooks;
  if (!r.fault.empty()) {
    const FaultInfo* f = find_fault(r.fault);
    if (f == nullptr) return make_error(kUnknownFault, "unknown fault '" + r.fault + "' (see `pnc-mock-tdx faults`)");
    if (!f->expectation(r.mode))
      return make_error(kFaultNotApplicable,
                        "fault " + r.fault + " does not apply to mode " + std::string(to_string(r.mode)));
    if (f->needs_nonce && !r.nonce)
      return make_error(kFaultNotApplicable, "fault " + r.fault + " needs a nonce, not a report_data");
    if (f->requires_env && r.params.env_mode != *f->requires_env)
      return make_error(kFaultNotApplicable, "fault " + r.fault + " needs env " + std::string(*f->requires_env));
    hooks = &detail::fault_hooks(static_cast<std::size_t>(f - fault_registry().data()));
  }
  const detail::Draft draft{r, *rd};

  // Events first: RTMR3 is their replay.
  std::vector<tdx::Event> events = tdx::mock_events(r.params);
  if (hooks->events) hooks->events(events, draft);
  tdx::QuoteV4 q = mock_fields(*rd, r.params);
  q.rtmr[tdx::kRuntimeImr] = tdx::replay_rtmrs(events)[tdx::kRuntimeImr];
  if (r.mode == Mode::signed_quote) std::copy(kSignedTag.begin(), kSignedTag.end(), q.user_data.begin());
  if (hooks->quote) hooks->quote(q, draft);

  Bytes bytes;
  if (r.mode == Mode::mock) {
    bytes = tdx::serialize_quote(q);
    tdx::reseal_mock_signature(bytes);
  } else {
    detail::SignPlan plan;
    if (hooks->sign) hooks->sign(plan);
    bytes = detail::sign_quote(q, plan);
  }
  if (hooks->bytes) hooks->bytes(bytes);

  Evidence ev = finish(std::move(bytes), events, q);
  if (hooks->evidence) hooks->evidence(ev, events, draft);
  return ev;
}

Evidence signed_quote_v4_for(const ByteArray<64>& report_data, const tdx::MockParams& params) {
  const auto events = tdx::mock_events(params);
  tdx::QuoteV4 q = mock_fields(report_data, params);
  std::copy(kSignedTag.begin(), kSignedTag.end(), q.user_data.begin());
  return finish(detail::sign_quote(q, detail::SignPlan{}), events, q);
}

std::string evidence_json(const Evidence& ev) {
  auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
  return "{\"quote\":" + dump(Json(codec::b64_encode(ev.quote))) +
         ",\"event_log\":" + (ev.event_log ? dump(Json(*ev.event_log)) : std::string("null")) +
         ",\"rtmrs\":" + dump(ev.rtmrs) + "}";
}

// ---- Upstream shapes ----

std::string_view to_string(Upstream kind) {
  switch (kind) {
    case Upstream::sdk: return "sdk";
    case Upstream::sdk_fallback: return "sdk-fallback";
    case Upstream::val: return "val";
    case Upstream::api: return "api";
    case Upstream::python_test: return "python-test";
  }
  return "sdk";
}

std::optional<Upstream> parse_upstream(std::string_view name) {
  for (Upstream k : {Upstream::sdk, Upstream::sdk_fallback, Upstream::val, Upstream::api, Upstream::python_test})
    if (to_string(k) == name) return k;
  return std::nullopt;
}

Evidence upstream_evidence(Upstream kind, const UpstreamRequest& r) {
  DeterministicRng rng(r.seed);
  switch (kind) {
    case Upstream::sdk:
    case Upstream::sdk_fallback: {
      tdx::SdkMockOptions o;
      o.env_mode = r.env_mode;
      o.compose_hash = r.compose_hash;
      o.challenge_id = r.challenge_id;
      o.fallback = kind == Upstream::sdk_fallback;
      return tdx::sdk_mock_quote(r.nonce, rng, o);
    }
    case Upstream::val: return tdx::val_mock_quote(r.nonce, r.hotkey, rng, r.compose_hash);
    case Upstream::api: return tdx::api_mock_quote(r.nonce, r.hotkey, rng, r.compose_hash);
    case Upstream::python_test: return tdx::python_test_mock_quote();
  }
  return tdx::python_test_mock_quote();
}

}  // namespace pnc::mock_tdx
