// The multi-step vector drivers and unmapped group types: a shim that lies about handshake
// outcomes fails exactly the transcripts that contradict it, and a vector file with a group type
// the runner does not know is reported as a visible runner gap that does not fail the run.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cases/catalogue.hpp"
#include "cases/shim_session.hpp"
#include "core/engine.hpp"
#include "pnc/json.hpp"
#include "report/report.hpp"

namespace pnc::conf {
namespace {

using std::chrono::milliseconds;

RunReport run_lying_shim(const char* mode, Profile profile) {
  ShimSession shim(std::string("python3 ") + PNC_RUNNER_TEST_DIR + "/misbehaving_shim.py " + mode, "", milliseconds(5000));
  EXPECT_TRUE(shim.start().ok());
  auto cases = vector_file_cases(PNC_VECTORS_DIR);
  EXPECT_TRUE(cases.ok());
  SutDescription sut;
  EngineOptions o;
  o.profile = profile;
  o.filter = "handshake_test#*";
  o.sut = &sut;
  o.session = &shim;
  o.timeout = milliseconds(5000);
  RunReport r = run_cases(cases.ok() ? *cases : std::vector<Case>{}, o);
  shim.stop();
  return r;
}

// The expected result of each handshake test in a profile, read from the vector file itself.
std::map<std::string, std::string> expected_results(const std::string& profile) {
  std::ifstream in(std::string(PNC_VECTORS_DIR) + "/testvectors_v1/handshake_test.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str());
  std::map<std::string, std::string> out;
  for (const auto& g : doc["testGroups"])
    for (const auto& t : g["tests"]) {
      std::string r = t["result"];
      if (t.contains("profiles") && t["profiles"].contains(profile)) r = t["profiles"][profile];
      out["handshake_test#" + t["tcId"].dump()] = r;
    }
  return out;
}

TEST(HandshakeTranscripts, AShimThatAlwaysEstablishesFailsEveryTranscriptItShouldRefuse) {
  const auto want = expected_results("seed-spec");
  const RunReport r = run_lying_shim("established", Profile::seed_spec);
  ASSERT_EQ(r.cases.size(), want.size());
  for (const auto& c : r.cases) {
    const std::string& expected = want.at(c.id);
    if (expected == "invalid") {
      EXPECT_EQ(c.verdict, Verdict::fail) << c.id << " " << c.observed;
    } else if (expected == "acceptable") {
      EXPECT_EQ(c.verdict, Verdict::pass) << c.id << " " << c.observed;
    }
  }
  // It sends no frames, so every valid seed-spec transcript with recorded frames fails too.
  const auto v10 = std::find_if(r.cases.begin(), r.cases.end(), [](const CaseReport& c) { return c.id == "handshake_test#1"; });
  ASSERT_NE(v10, r.cases.end());
  EXPECT_EQ(v10->verdict, Verdict::fail);
  EXPECT_NE(v10->observed.find("sent 0 frames"), std::string::npos) << v10->observed;
}

TEST(HandshakeTranscripts, AShimThatAlwaysRefusesFailsExactlyTheValidTranscripts) {
  for (const char* profile : {"seed-spec", "sdk-compat"}) {
    const auto want = expected_results(profile);
    const RunReport r = run_lying_shim("refusing", *parse_profile(profile));
    ASSERT_EQ(r.cases.size(), want.size());
    for (const auto& c : r.cases)
      EXPECT_EQ(c.verdict, want.at(c.id) == "valid" ? Verdict::fail : Verdict::pass) << profile << " " << c.id << " " << c.observed;
  }
}

TEST(VectorFiles, UnknownGroupTypeIsAVisibleRunnerGapThatDoesNotFailTheRun) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("pnc-runner-gap-" + std::to_string(::getpid()));
  fs::create_directories(dir / "testvectors_v1");
  std::ofstream(dir / "testvectors_v1" / "future_test.json")
      << R"({"testGroups":[{"type":"FutureThing","tests":[{"tcId":1,"result":"valid"},{"tcId":2,"result":"invalid"}]}]})";
  auto cases = vector_file_cases(dir.string());
  fs::remove_all(dir);
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  SutDescription sut;
  EngineOptions o;
  o.sut = &sut;
  const RunReport r = run_cases(*cases, o);
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].id, "future_test#FutureThing");
  EXPECT_EQ(r.cases[0].verdict, Verdict::unimplemented);
  EXPECT_TRUE(r.cases[0].runner_gap);
  EXPECT_NE(r.cases[0].title.find("2 tests"), std::string::npos) << r.cases[0].title;
  EXPECT_TRUE(r.acceptable());
  // Visible in every report form.
  std::ostringstream console;
  write_console_report(console, r, false);
  EXPECT_NE(console.str().find("runner gap"), std::string::npos);
  EXPECT_NE(console.str().find("RESULT: PASS"), std::string::npos);
  auto doc = json::parse_object(json_report(r));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["cases"][0]["verdict"], "UNIMPLEMENTED");
  EXPECT_EQ((*doc)["cases"][0]["runner_gap"], true);
  EXPECT_EQ((*doc)["passed"], true);
  EXPECT_NE(junit_report(r).find("failures=\"0\""), std::string::npos);
}

TEST(Engine, AnUnimplementedOperationOfTheSutStillFailsTheRun) {
  Case c;
  c.id = "X-1";
  c.run = [](Context&) { return Outcome{Verdict::unimplemented, "the shim does not implement x", {}}; };
  SutDescription sut;
  EngineOptions o;
  o.sut = &sut;
  const RunReport r = run_cases({c}, o);
  EXPECT_FALSE(r.cases[0].runner_gap);
  EXPECT_FALSE(r.acceptable());
}

}  // namespace
}  // namespace pnc::conf
