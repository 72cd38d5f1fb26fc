// Runs every case of every vectors/testvectors_v1 file through the reference under each profile
// and compares with the case's expected result (`profiles[<profile>]`, else `result`;
// "acceptable" allows both outcomes) and, for accepted cases, its expected outputs.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "runner.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {

const std::vector<Mechanism>& mechanisms() {
  static const std::vector<Mechanism> m = {
      {"x25519_test.json", run_x25519},
      {"ed25519_test.json", run_ed25519},
      {"hkdf_sha256_test.json", run_hkdf},
      {"chacha20_poly1305_test.json", run_aead},
      {"xchacha20_poly1305_test.json", run_aead},
      {"codec_test.json", run_codec},
      {"envelope_test.json", run_envelope},
      {"handshake_test.json", run_handshake},
      {"signed_request_test.json", run_signed_request},
      {"encrypted_body_test.json", run_encrypted_body},
      {"miner_token_test.json", run_miner_token},
      {"sealed_box_test.json", run_sealed_box},
      {"credential_transfer_test.json", run_credential_transfer},
      {"quote_structure_test.json", run_quote},
      {"eventlog_test.json", run_eventlog},
      {"quote_signed_test.json", run_quote_signed},
      {"bootstrap_test.json", run_bootstrap},
  };
  return m;
}

Bytes hex_field(const Json& test, std::string_view name) {
  return test::hex(str_field(test, name));
}
std::string str_field(const Json& test, std::string_view name) {
  const auto it = test.find(std::string(name));
  if (it == test.end() || !it->is_string()) {
    ADD_FAILURE() << "test case lacks string field " << name;
    return {};
  }
  return it->get<std::string>();
}
std::string hexs(ByteView b) { return test::to_hex(b); }
std::string compare(std::string_view what, ByteView got, ByteView want) {
  if (got.size() == want.size() && std::equal(got.begin(), got.end(), want.begin())) return {};
  return std::string(what) + ": got " + hexs(got) + ", want " + hexs(want);
}

namespace {

const std::string kDir = PNC_VECTOR_FILES_DIR;

Json load(const std::string& name) {
  std::ifstream in(kDir + "/" + name);
  Json j = Json::parse(in, nullptr, false);
  return j;
}

class Consume : public ::testing::TestWithParam<std::tuple<std::size_t, Profile>> {};

TEST_P(Consume, EveryCaseHasTheExpectedResult) {
  const auto& [index, profile] = GetParam();
  const Mechanism& mech = mechanisms()[index];
  const Json file = load(std::string(mech.file));
  ASSERT_TRUE(file.is_object()) << mech.file << " missing or not JSON";
  const std::string pname(to_string(profile));
  std::size_t run = 0, failed = 0;
  for (const auto& group : file["testGroups"]) {
    Json g = group;
    g.erase("tests");
    for (const auto& t : group["tests"]) {
      std::string want = t["result"].get<std::string>();
      if (t.contains("profiles") && t["profiles"].contains(pname)) want = t["profiles"][pname].get<std::string>();
      const Verdict v = mech.run(g, t, profile);
      ++run;
      const bool ok = (want == "acceptable") || (want == "valid") == v.accepted;
      if (!ok || (v.accepted && !v.mismatch.empty())) {
        if (++failed <= 25)
          ADD_FAILURE() << mech.file << " tcId " << t["tcId"] << " (" << t["comment"].get<std::string>()
                        << ") under " << pname << ": expected " << want << ", reference "
                        << (v.accepted ? "accepted" : "rejected") << (v.mismatch.empty() ? "" : "; " + v.mismatch);
      }
    }
  }
  EXPECT_EQ(run, file["numberOfTests"].get<std::size_t>());
  EXPECT_GT(run, 0u);
  EXPECT_EQ(failed, 0u) << failed << " of " << run << " cases failed";
}

std::string name_of(const ::testing::TestParamInfo<Consume::ParamType>& info) {
  std::string n(mechanisms()[std::get<0>(info.param)].file);
  n = n.substr(0, n.find('.')) + "_" + std::string(to_string(std::get<1>(info.param)));
  for (auto& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Files, Consume,
                         ::testing::Combine(::testing::Range<std::size_t>(0, 17),
                                            ::testing::Values(Profile::seed_spec, Profile::sdk_compat,
                                                              Profile::hardened)),
                         name_of);

// Every committed vector file has a consumer, and every consumer has its file.
TEST(ConsumeCoverage, EveryFileHasARunner) {
  std::set<std::string> runners, files;
  for (const auto& m : mechanisms()) runners.insert(std::string(m.file));
  for (const auto& e : std::filesystem::directory_iterator(kDir))
    if (e.path().extension() == ".json") files.insert(e.path().filename().string());
  EXPECT_EQ(runners, files);
  EXPECT_EQ(mechanisms().size(), 17u);
}

}  // namespace
}  // namespace pnc::vectors
