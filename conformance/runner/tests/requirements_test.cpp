// Requirement extraction is stable and detects drift; the committed file is in sync with the spec.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "trace/requirements.hpp"

namespace pnc::conf {
namespace {

TEST(Requirements, ExtractsMustSentencesWithStableIds) {
  const std::string md =
      "# T\nDocument id: X, version 2.3 (draft).\n## 3. Part\n### 3.5 Sub\nA MUST do x. It may do y. B MUST NOT do z.\n"
      "```\nMUST in code is ignored\n```\nMUSTARD is not a keyword.\n";
  const auto reqs = extract_requirements(md);
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].section, "3.5");
  EXPECT_EQ(reqs[0].text, "A MUST do x.");
  EXPECT_EQ(reqs[1].text, "B MUST NOT do z.");
  EXPECT_EQ(reqs[0].id, requirement_id("3.5", "A MUST do x."));
  EXPECT_EQ(reqs[0].id.rfind("R-3.5-", 0), 0u);
  // Inserting text elsewhere does not change the id.
  const auto again = extract_requirements("## 3. Part\nNew MUST here.\n### 3.5 Sub\nA MUST do x.\n");
  EXPECT_EQ(again.back().id, reqs[0].id);
  EXPECT_EQ(spec_version_of(md), "2.3");
}

TEST(Requirements, DriftIsReported) {
  Traceability committed;
  committed.spec_version = "1.0";
  committed.requirements = extract_requirements("### 1.1 S\nA MUST x.\n");
  EXPECT_TRUE(drift(extract_requirements("### 1.1 S\nA MUST x.\n"), committed, "1.0").empty());
  EXPECT_EQ(drift(extract_requirements("### 1.1 S\nA MUST x. B MUST y.\n"), committed, "1.0").size(), 1u);
  EXPECT_EQ(drift(extract_requirements("### 1.1 S\nA MUST z.\n"), committed, "1.0").size(), 2u);
  EXPECT_EQ(drift(extract_requirements("### 1.1 S\nA MUST x.\n"), committed, "1.1").size(), 1u);
}

TEST(Requirements, CommittedFileMatchesTheSpec) {
  std::ifstream in(PNC_PROTOCOL_MD);
  std::stringstream b;
  b << in.rdbuf();
  auto committed = load_traceability(PNC_REQUIREMENTS_FILE);
  ASSERT_TRUE(committed.ok()) << committed.error().message;
  const auto problems = drift(extract_requirements(b.str()), *committed, spec_version_of(b.str()));
  for (const auto& p : problems) ADD_FAILURE() << p;
  for (const auto& r : committed->requirements)
    EXPECT_TRUE(!r.covered_by.empty() || !r.exception.empty()) << r.id << " is neither covered nor excepted";
}

// Network coverage: a requirement covered only by shim / vector cases needs a network exception;
// an exception for an id that has a network case, or for no requirement at all, is stale.
TEST(NetworkCoverage, GapsAndStaleExceptionsAreProblems) {
  Traceability t;
  t.requirements = extract_requirements("### 5.3 R\nA MUST x. B MUST y. C MUST z. D MUST w.\n");
  ASSERT_EQ(t.requirements.size(), 4u);
  t.requirements[0].covered_by = {"N-ENV-10"};           // a challenge case
  t.requirements[1].covered_by = {"V2.*"};               // shim cases only
  t.requirements[2].covered_by = {"V2.*", "N-ENV-10"};   // both
  t.requirements[3].exception = "not a requirement";      // excepted as a whole
  Case net, shim;
  net.id = "N-ENV-10";
  net.target = Target::challenge;
  shim.id = "V2.open";
  shim.target = Target::shim;
  const std::vector<const Case*> cases = {&net, &shim};
  const auto rows = coverage(t, cases);
  EXPECT_EQ(rows[0].network_cases, std::vector<std::string>{"N-ENV-10"});
  EXPECT_TRUE(rows[1].network_cases.empty());

  NetworkExceptions none;
  auto problems = network_problems(rows, none);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("NETWORK-GAP " + t.requirements[1].id, 0), 0u) << problems[0];

  NetworkExceptions ok;
  ok.reasons[t.requirements[1].id] = "only a library function can be asked";
  EXPECT_TRUE(network_problems(rows, ok).empty());

  NetworkExceptions stale = ok;
  stale.reasons[t.requirements[0].id] = "has a network case";
  stale.reasons["R-9.9-000000"] = "no such requirement";
  EXPECT_EQ(network_problems(rows, stale).size(), 2u);

  std::ostringstream printed;
  EXPECT_EQ(print_coverage(printed, rows, false, none), 1);
  EXPECT_NE(printed.str().find("NO-NET"), std::string::npos) << printed.str();
  EXPECT_EQ(print_coverage(printed, rows, false, ok), 0);
}

// The committed network exceptions load, and each has a reason.
TEST(NetworkCoverage, CommittedExceptionsLoad) {
  auto ex = load_network_exceptions(PNC_NETWORK_EXCEPTIONS_FILE);
  ASSERT_TRUE(ex.ok()) << ex.error().message;
  for (const auto& [id, reason] : ex->reasons) EXPECT_GE(reason.size(), 10u) << id;
}

}  // namespace
}  // namespace pnc::conf
