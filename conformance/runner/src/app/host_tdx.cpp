#include "app/host_tdx.hpp"

#include "core/read_file.hpp"

#include <fstream>
#include <sstream>

#include "pnc/providers/configfs_tsm.hpp"
#include "pnc/providers/dstack_agent.hpp"
#include "pnc/tdx_signed.hpp"

namespace pnc::conf {

Result<std::shared_ptr<const RunnerTdx>> make_runner_tdx(const RunSettings& settings, const SutDescription& sut) {
  if (settings.tdx == "mock") {
    if (!settings.root_file.empty())
      return make_error("setup.tdx", "--root applies to --tdx configfs|dstack (a mock run checks mock quotes)");
    return std::shared_ptr<const RunnerTdx>();
  }
  if (settings.tdx != "configfs" && settings.tdx != "dstack")
    return make_error("setup.tdx", "--tdx must be mock, configfs or dstack, not \"" + settings.tdx + "\"");
  if (sut.mode != AttestationMode::prod || sut.signed_mock)
    return make_error("setup.tdx", "--tdx " + settings.tdx +
                                       " sends genuine TDX quotes: the SUT description must say attestation_mode \"prod\"");
  auto tdx = std::make_shared<RunnerTdx>();
  tdx->source = settings.tdx;
  if (settings.tdx == "configfs") {
    providers::ConfigfsTsmOptions o;
    o.report_root = settings.configfs_root;
    tdx->provider = std::make_shared<providers::ConfigfsTsmProvider>(o);
  } else {
    providers::DstackAgentOptions o;
    o.socket_path = settings.dstack_socket;
    tdx->provider = std::make_shared<providers::DstackQuoteProvider>(o);
  }
  if (settings.root_file.empty()) {
    tdx->trusted_root_pem = std::string(tdx::intel_sgx_root_ca_pem());
  } else {
    const auto text = read_file(settings.root_file);
    if (!text || text->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
      return make_error("setup.tdx", "--root " + settings.root_file + ": not a readable PEM certificate");
    tdx->trusted_root_pem = *text;
  }
  return std::shared_ptr<const RunnerTdx>(std::move(tdx));
}

}  // namespace pnc::conf
