#include "cases/runner_evidence.hpp"

#include <algorithm>

#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_signed.hpp"

namespace pnc::conf {

namespace {

bool on_tdx_host(const SutDescription& sut) { return sut.runner_tdx && sut.runner_tdx->provider; }

// Prod mode without a root to check against: structure + binding only (verify_peer_quote does those).
class NoCollateralDcap final : public DcapVerifier {
 public:
  Status verify(ByteView) override { return {}; }
};

// The host's quote service as a provider the handshake machines own (the service is shared).
class SharedProvider final : public QuoteProvider {
 public:
  explicit SharedProvider(std::shared_ptr<QuoteProvider> inner) : inner_(std::move(inner)) {}
  Result<Evidence> get_quote(const ByteArray<64>& report_data) override { return inner_->get_quote(report_data); }

 private:
  std::shared_ptr<QuoteProvider> inner_;
};

}  // namespace

Evidence runner_evidence(const SutDescription& sut, const ByteArray<64>& report_data, const tdx::MockParams& params) {
  if (on_tdx_host(sut)) {
    auto ev = sut.runner_tdx->provider->get_quote(report_data);
    if (!ev) throw PreconditionFailed("the runner's own quote (--tdx " + sut.runner_tdx->source + "): " +
                                      ev.error().code + ": " + ev.error().message);
    return std::move(*ev);
  }
  return sut.signed_mock ? mock_tdx::signed_quote_v4_for(report_data, params) : tdx::mock_quote_v4_for(report_data, params);
}

std::string signed_mock_quote_b64(const ByteArray<64>& report_data, const tdx::MockParams& params, const std::string& fault) {
  mock_tdx::QuoteRequest request;
  request.mode = mock_tdx::Mode::signed_quote;
  request.report_data.emplace();
  std::copy(report_data.begin(), report_data.begin() + 32, request.report_data->begin());
  request.params = params;
  request.params.key_binding.emplace();
  std::copy(report_data.begin() + 32, report_data.end(), request.params.key_binding->begin());
  request.fault = fault;
  auto ev = mock_tdx::make_evidence(request);
  if (!ev) throw PreconditionFailed("the runner's signed-mock quote with fault " + fault + ": " + ev.error().message);
  return codec::b64_encode(ev->quote);
}

std::unique_ptr<QuoteProvider> runner_quote_provider(const SutDescription& sut, const tdx::MockParams& params) {
  if (on_tdx_host(sut)) return std::make_unique<SharedProvider>(sut.runner_tdx->provider);
  if (sut.signed_mock) return std::make_unique<mock_tdx::SignedQuoteProvider>(params);
  return std::make_unique<tdx::MockQuoteProvider>(params);
}

std::unique_ptr<DcapVerifier> sut_quote_verifier(const SutDescription& sut, Profile profile) {
  std::string root;
  if (on_tdx_host(sut)) root = sut.runner_tdx->trusted_root_pem;
  else if (sut.signed_mock) root = mock_tdx::mock_root_ca().pem;
  if (root.empty()) return std::make_unique<NoCollateralDcap>();
  static const SystemClock clock;
  tdx::SignedQuoteConfig config;
  config.trusted_roots_pem = {std::move(root)};
  config.clock = &clock;
  config.profile = profile;
  return std::make_unique<tdx::SignedQuoteVerifier>(config);
}

}  // namespace pnc::conf
