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

}  // namespace
}  // namespace pnc::conf
