// `pnc-conformance probe` against the bundled challenge peer in several modes: the draft SUT
// description must say what the peer was started with (profile family, environment, dev mode,
// admin routes, attestation mode), parse as a SUT description, and a run with it must be clean.
// Expected values are the peers' command lines, never the probe's own logic.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/managed_sut.hpp"
#include "app/probe.hpp"
#include "app/run_command.hpp"
#include "report/report.hpp"

#ifdef PNC_REF_CHALLENGE

namespace pnc::conf {
namespace {

using std::chrono::milliseconds;

struct Peer {
  explicit Peer(const std::string& args)
      : sut(std::string(PNC_REF_CHALLENGE) + " --listen 127.0.0.1:0 " + args, {}, "", milliseconds(10000)) {
    auto s = sut.start(true);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  }
  ~Peer() { sut.stop(); }
  std::string url() const { return "ws://" + sut.host() + ":" + std::to_string(sut.port()); }
  ManagedSut sut;
};

const std::string kSeed = " --ed25519-seed 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

ProbeResult probed(const Peer& p) {
  auto r = probe_sut(p.url(), milliseconds(2000));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ProbeResult{};
}

std::string all_notes(const ProbeResult& r) {
  std::string s;
  for (const auto& n : r.notes) s += n + "\n";
  return s;
}

TEST(Probe, StrictPeerWithAdminRoutes) {
  Peer peer("--profile seed-spec --env dev --tdx mock --admin" + kSeed);
  const ProbeResult r = probed(peer);
  EXPECT_EQ(r.health_status, 200);
  EXPECT_EQ(r.health, "ready");
  EXPECT_EQ(r.draft.mode, AttestationMode::mock);
  EXPECT_EQ(r.draft.env_mode, "dev");
  EXPECT_FALSE(r.draft.sdk_dev_mode);
  EXPECT_TRUE(r.draft.admin);
  EXPECT_TRUE(r.draft.weights);
  EXPECT_EQ(r.weights_stranger, 401);  // a stranger's signature is refused (§6.4 [SEED])
  ASSERT_TRUE(r.suggested_profile.has_value());
  EXPECT_EQ(*r.suggested_profile, Profile::seed_spec);
  EXPECT_EQ(r.dsn_digests, 200);
  EXPECT_TRUE(r.server_errors.empty()) << all_notes(r);

  // The draft is a valid SUT description saying the same.
  auto sut = parse_sut_description(draft_json(r));
  ASSERT_TRUE(sut.ok()) << sut.error().message << "\n" << draft_json(r);
  EXPECT_EQ(sut->env_mode, "dev");
  EXPECT_TRUE(sut->admin);
  EXPECT_NE(draft_json(r).find("\"$notes\""), std::string::npos);

  // The keys no probe can learn are named, with the cases they would enable.
  const auto missing = missing_members(r.draft, PNC_VECTORS_DIR);
  std::string joined;
  for (const auto& m : missing) joined += m + "\n";
  EXPECT_NE(joined.find("trusted_signer: "), std::string::npos) << joined;
  EXPECT_NE(joined.find("sealed_key_seed: "), std::string::npos) << joined;
  EXPECT_NE(joined.find("miner_token: "), std::string::npos) << joined;
}

TEST(Probe, CompatDevModePeerWithoutAdmin) {
  Peer peer("--profile sdk-compat --env prod --tdx mock --sdk-dev-mode");
  const ProbeResult r = probed(peer);
  EXPECT_EQ(r.draft.env_mode, "prod");
  EXPECT_EQ(r.draft.mode, AttestationMode::mock);
  EXPECT_TRUE(r.draft.sdk_dev_mode) << all_notes(r);
  EXPECT_FALSE(r.draft.admin) << all_notes(r);
  EXPECT_EQ(r.credentials_unsigned, 404);
  ASSERT_TRUE(r.suggested_profile.has_value());
  EXPECT_EQ(*r.suggested_profile, Profile::sdk_compat);
}

TEST(Probe, HardenedPeerIsRecognisedByItsHandshake) {
  Peer peer("--profile hardened --env dev --tdx mock --admin");
  const ProbeResult r = probed(peer);
  ASSERT_TRUE(r.ws_profile.has_value()) << all_notes(r);
  EXPECT_EQ(*r.ws_profile, Profile::hardened);
  ASSERT_TRUE(r.suggested_profile.has_value());
  EXPECT_EQ(*r.suggested_profile, Profile::hardened);
}

TEST(Probe, PeerThatRefusesMockQuotesIsProd) {
  Peer peer("--profile seed-spec --env prod --tdx signed-mock");
  const ProbeResult r = probed(peer);
  EXPECT_TRUE(r.ws_answered) << all_notes(r);
  EXPECT_FALSE(r.ws_env.has_value()) << all_notes(r);
  EXPECT_EQ(r.draft.mode, AttestationMode::prod);
  EXPECT_NE(all_notes(r).find("signed-mock"), std::string::npos);
}

TEST(Probe, ServerErrorsAreReported) {
  Peer peer("--profile seed-spec --env dev --tdx mock --mutant weights-500");
  const ProbeResult r = probed(peer);
  ASSERT_EQ(r.server_errors.size(), 2u) << all_notes(r);  // unsigned and stranger-signed /sdk/weights
  EXPECT_NE(r.server_errors[0].find("POST /sdk/weights: HTTP 500"), std::string::npos) << r.server_errors[0];
  EXPECT_NE(all_notes(r).find("server error"), std::string::npos);
}

TEST(Probe, NothingListeningIsAnError) {
  auto port = free_port();
  ASSERT_TRUE(port.ok());
  auto r = probe_sut("ws://127.0.0.1:" + std::to_string(*port), milliseconds(500));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "probe.unreachable");
  EXPECT_FALSE(probe_sut("not a url", milliseconds(500)).ok());
}

// The subcommand writes the draft; a run with it against the same SUT has no FAIL and no BLOCKED.
TEST(Probe, CommandWritesADraftARunCanUse) {
  Peer peer("--profile seed-spec --env dev --tdx mock --admin" + kSeed);
  const std::string file = (std::filesystem::temp_directory_path() / ("pnc-probe-" + std::to_string(::getpid()) + ".json")).string();
  ProbeSettings ps;
  ps.url = peer.url();
  ps.out_file = file;
  ps.vectors_dir = PNC_VECTORS_DIR;
  std::ostringstream out, err;
  ASSERT_EQ(probe_command(ps, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("trusted_signer"), std::string::npos) << out.str();
  auto sut = load_sut_description(file);
  ASSERT_TRUE(sut.ok()) << sut.error().message;

  RunSettings s;
  s.target = Target::challenge;
  s.profile = Profile::seed_spec;
  s.url = peer.url();
  s.sut_file = file;
  s.vectors_dir = PNC_VECTORS_DIR;
  s.timeout_ms = 2000;
  s.filter = "*,-N-HS-23*";  // the deadline cases wait the draft's 30 s
  std::ostringstream ignored;
  auto report = execute_run(s, ignored, false);
  ASSERT_TRUE(report.ok()) << report.error().message;
  std::string bad;
  int pass = 0;
  for (const auto& c : report->cases) {
    if (c.verdict == Verdict::pass) ++pass;
    if (c.verdict == Verdict::fail || c.verdict == Verdict::blocked) bad += "\n  " + c.id + ": " + c.observed;
  }
  EXPECT_TRUE(bad.empty()) << bad;
  EXPECT_GT(pass, 50);
  std::remove(file.c_str());
}

}  // namespace
}  // namespace pnc::conf

#endif  // PNC_REF_CHALLENGE
