// The quote sources of --tdx for TDX hosts (configfs, dstack): the peer's own quotes come from the
// host provider, and the peer's check of the other side is the production signature path against
// Intel's SGX root. Against the fake agent answering the real dstack GetQuote capture
// (vectors/real-tdx/dstack/tdx-lite-getquote.json) at a time inside its PCK window.
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "fake_dstack_agent.hpp"
#include "peer_common.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/providers/configfs_tsm.hpp"
#include "pnc/providers/dstack_agent.hpp"
#include "pnc/tdx_signed.hpp"
#include "support/vectors.hpp"

namespace pnc::peers {
namespace {

constexpr std::int64_t kInsidePckWindow = 1780272000;  // 2026-06-01 (tdx_real_quote_test.cpp)

TEST(PeerQuoteSources, DstackPeerQuotesFromTheAgentAndChecksPeersAgainstIntelsRoot) {
  const auto doc = test::load_json("real-tdx/dstack/tdx-lite-getquote.json");
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("pnc-peer-dstack-" + std::to_string(::getpid()) + ".sock")).string();
  providers::testing::FakeDstackAgent agent(path, [&](const auto&) {
    return providers::testing::FakeDstackAgent::http(200, doc.dump());
  });
  HostQuoteOptions host;
  host.dstack.socket_path = path;
  FixedClock clock(kInsidePckWindow);
  auto setup = make_quote_setup("dstack", "prod", Profile::seed_spec, clock, host);
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_EQ(setup->mode, AttestationMode::prod);
  ASSERT_TRUE(setup->provider && setup->dcap);

  ByteArray<64> rd{};
  const Bytes want = test::hex(doc["report_data"].get<std::string>());
  std::copy(want.begin(), want.end(), rd.begin());
  auto ev = setup->provider->get_quote(rd);
  ASSERT_TRUE(ev.ok()) << ev.error().code << " " << ev.error().message;
  EXPECT_EQ(ev->quote, test::hex(doc["quote"].get<std::string>()));
  // The genuine quote passes the peer-quote signature check; a signed mock quote does not.
  EXPECT_TRUE(setup->dcap->verify(ev->quote).ok());
  const auto mock = setup->dcap->verify(mock_tdx::signed_quote_v4_for(rd).quote);
  ASSERT_FALSE(mock.ok());
  EXPECT_EQ(mock.error().code, tdx::kSigChainUntrusted);
}

TEST(PeerQuoteSources, HostSourcesWithoutTheirServiceFailWithNamedErrors) {
  FixedClock clock(kInsidePckWindow);
  HostQuoteOptions host;
  host.configfs.report_root = "/nonexistent/pnc/tsm/report";
  host.dstack.socket_path = "/nonexistent/pnc/dstack.sock";
  auto configfs = make_quote_setup("configfs", "dev", Profile::hardened, clock, host);
  ASSERT_TRUE(configfs.ok());
  EXPECT_EQ(configfs->provider->get_quote({}).error().code, providers::kTsmNoTsm);
  auto dstack = make_quote_setup("dstack", "dev", Profile::hardened, clock, host);
  ASSERT_TRUE(dstack.ok());
  EXPECT_EQ(dstack->provider->get_quote({}).error().code, providers::kDstackUnreachable);
  for (const char* bad : {"tpm", "", "CONFIGFS", "dstack "}) {
    EXPECT_FALSE(is_tdx_source(bad)) << bad;
    auto s = make_quote_setup(bad, "dev", Profile::seed_spec, clock, host);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, "peer.bad_tdx");
  }
}

}  // namespace
}  // namespace pnc::peers
