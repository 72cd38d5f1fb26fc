// The case model, engine and the four report forms: verdict rules, expectations, skips, exception
// safety and the report contents a CI or certifier relies on.
#include <gtest/gtest.h>

#include <sstream>

#include "core/engine.hpp"
#include "core/expectations.hpp"
#include "pnc/json.hpp"
#include "report/report.hpp"

namespace pnc::conf {
namespace {

Case make(std::string id, Mechanism mechanism, Outcome outcome, std::vector<Profile> profiles = {}) {
  Case c;
  c.id = std::move(id);
  c.title = "title of " + c.id;
  c.mechanism = mechanism;
  c.profiles = std::move(profiles);
  c.expected_default = "the expected behaviour";
  c.run = [outcome](Context&) { return outcome; };
  return c;
}

std::vector<Case> sample() {
  std::vector<Case> cases;
  cases.push_back(make("A-1", Mechanism::handshake, Outcome::pass("ok")));
  cases.push_back(make("A-2", Mechanism::handshake, Outcome::fail("closed with 1000 <b>&</b>")));
  cases.push_back(make("B-1", Mechanism::envelope, Outcome::pass("ok"), {Profile::sdk_compat}));
  Case thrower = make("B-2", Mechanism::envelope, Outcome::pass("unused"));
  thrower.run = [](Context&) -> Outcome { throw std::runtime_error("boom"); };
  cases.push_back(std::move(thrower));
  Case needy = make("C-1", Mechanism::credentials, Outcome::pass("unused"));
  needy.needs = {Need::sealed_key};
  cases.push_back(std::move(needy));
  return cases;
}

RunReport run_sample(const Expectations* exp, const std::string& filter = "*") {
  SutDescription sut;
  EngineOptions o;
  o.profile = Profile::seed_spec;
  o.filter = filter;
  o.sut = &sut;
  o.expectations = exp;
  o.requirements_of = [](const std::string& id) { return std::vector<std::string>{"R-" + id}; };
  return run_cases(sample(), o);
}

TEST(Engine, VerdictsSkipsAndExceptions) {
  const RunReport r = run_sample(nullptr);
  ASSERT_EQ(r.cases.size(), 5u);
  EXPECT_EQ(r.cases[0].verdict, Verdict::pass);
  EXPECT_EQ(r.cases[1].verdict, Verdict::fail);
  EXPECT_EQ(r.cases[2].verdict, Verdict::skipped);  // not in seed-spec
  EXPECT_NE(r.cases[2].observed.find("not in profile seed-spec"), std::string::npos);
  EXPECT_EQ(r.cases[3].verdict, Verdict::fail);  // a throwing driver fails its case only
  EXPECT_NE(r.cases[3].observed.find("boom"), std::string::npos);
  EXPECT_EQ(r.cases[4].verdict, Verdict::skipped);  // the SUT lacks the key
  EXPECT_NE(r.cases[4].observed.find("sealed_key_seed"), std::string::npos);
  EXPECT_FALSE(r.acceptable());
  EXPECT_EQ(r.summary().at(Verdict::fail), 2);
  EXPECT_EQ(r.cases[0].requirements, std::vector<std::string>{"R-A-1"});
}

TEST(Engine, ExpectationsTurnFailuresIntoExpectedFail) {
  auto exp = parse_expectations(R"({"expected_failures": {"A-*": "known bug #1", "B-2": "known crash"}})");
  ASSERT_TRUE(exp.ok());
  const RunReport r = run_sample(&*exp);
  EXPECT_EQ(r.cases[0].verdict, Verdict::pass);  // a passing case stays PASS
  EXPECT_EQ(r.cases[1].verdict, Verdict::expected_fail);
  EXPECT_EQ(r.cases[1].expectation_reason, "known bug #1");
  EXPECT_EQ(r.cases[1].observed.rfind("FAIL: ", 0), 0u);
  EXPECT_EQ(r.cases[3].verdict, Verdict::expected_fail);
  EXPECT_TRUE(r.acceptable());
}

TEST(Engine, FilterSelectsAndExcludes) {
  EXPECT_EQ(run_sample(nullptr, "A-*").cases.size(), 2u);
  EXPECT_EQ(run_sample(nullptr, "*,-B-*").cases.size(), 3u);
  EXPECT_TRUE(glob_match("N-HS-*", "N-HS-01"));
  EXPECT_FALSE(glob_match("N-HS-*,-N-HS-01", "N-HS-01"));
  EXPECT_FALSE(parse_expectations(R"({"expected_failures": {"x": ""}})").ok());
  EXPECT_FALSE(parse_expectations("[]").ok());
}

TEST(Reports, JsonHasTheDocumentedMembers) {
  const RunReport r = run_sample(nullptr);
  auto doc = json::parse_object(json_report(r));
  ASSERT_TRUE(doc.ok());
  for (const char* m : {"suite", "suite_version", "spec_version", "profile", "target", "started", "duration_ms", "summary", "cases"})
    EXPECT_TRUE(doc->contains(m)) << m;
  EXPECT_EQ((*doc)["summary"]["FAIL"], 2);
  EXPECT_EQ((*doc)["summary"]["EXPECTED-FAIL"], 0);
  const auto& c = (*doc)["cases"][1];
  for (const char* m : {"id", "title", "mechanism", "requirements", "verdict", "expected", "observed", "duration_ms"})
    EXPECT_TRUE(c.contains(m)) << m;
  EXPECT_EQ(c["verdict"], "FAIL");
  EXPECT_EQ(c["expected"], "the expected behaviour");
}

TEST(Reports, JunitAndHtmlEscapeAndCount) {
  RunReport r = run_sample(nullptr);
  r.cases[1].observed += std::string("\x01\xff", 2);  // hostile bytes from a SUT
  const std::string junit = junit_report(r);
  EXPECT_NE(junit.find("tests=\"5\""), std::string::npos);
  EXPECT_NE(junit.find("failures=\"2\""), std::string::npos);
  EXPECT_NE(junit.find("skipped=\"2\""), std::string::npos);
  EXPECT_NE(junit.find("&lt;b&gt;&amp;&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(junit.find('\x01'), std::string::npos);
  const std::string html = html_certificate(r);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("NOT CONFORMANT"), std::string::npos);
  EXPECT_EQ(html.find("<b>&</b>"), std::string::npos);
  EXPECT_EQ(html.find("http://") == std::string::npos || html.find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos, true);
  std::ostringstream console;
  write_console_report(console, r, false);
  EXPECT_NE(console.str().find("RESULT: FAIL"), std::string::npos);
  EXPECT_NE(console.str().find("observed: closed with 1000"), std::string::npos);
}

TEST(Reports, MechanismStats) {
  const auto stats = mechanism_stats(run_sample(nullptr));
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].mechanism, "handshake");
  EXPECT_DOUBLE_EQ(stats[0].pass_rate(), 0.5);
  EXPECT_DOUBLE_EQ(stats[2].pass_rate(), 1.0);  // only skipped cases
}

// Reports print a case's mechanism by name: the names are part of the report format.
TEST(Reports, MechanismNames) {
  const std::vector<std::pair<Mechanism, std::string>> names = {
      {Mechanism::handshake, "handshake"},     {Mechanism::attestation, "attestation"}, {Mechanism::key_exchange, "key exchange"},
      {Mechanism::envelope, "envelope"},       {Mechanism::transport, "transport"},     {Mechanism::bootstrap, "bootstrap"},
      {Mechanism::signed_http, "signed-http"}, {Mechanism::credentials, "credentials"}, {Mechanism::http_body, "http-body"},
      {Mechanism::identity, "identity"}};
  SutDescription sut;
  EngineOptions o;
  o.sut = &sut;
  for (const auto& [mechanism, name] : names) {
    const Case c = make("X-1", mechanism, Outcome::pass("ok"));
    EXPECT_EQ(c.mechanism_name(), name);
    EXPECT_EQ(run_cases({c}, o).cases.at(0).mechanism, name);  // as report.json and junit.xml print it
  }
  Case v = make("x25519_test#1", Mechanism::vectors, Outcome::pass("ok"));
  v.vector_file = "x25519";
  EXPECT_EQ(v.mechanism_name(), "vectors/x25519");
}

TEST(SutDescription, ParsesAndRejects) {
  auto sut = parse_sut_description(R"({"name":"x","attestation_mode":"signed-mock","env_mode":"prod",
    "endpoints":{"admin":false},"trusted_signer":{"session_token":"t","seed":")" + std::string(64, 'a') + R"("}})");
  ASSERT_TRUE(sut.ok()) << sut.error().message;
  EXPECT_EQ(sut->mode, AttestationMode::prod);
  EXPECT_TRUE(sut->signed_mock);
  EXPECT_FALSE(sut->admin);
  EXPECT_TRUE(has(*sut, Need::signer));
  EXPECT_FALSE(has(*sut, Need::sealed_key));
  EXPECT_FALSE(parse_sut_description(R"({"attestation_mode":"real"})").ok());
  EXPECT_FALSE(parse_sut_description(R"({"trusted_signer":{"session_token":"t","seed":"zz"}})").ok());
  EXPECT_FALSE(parse_sut_description(R"({"endpoints":{"admin":"yes"}})").ok());
}

}  // namespace
}  // namespace pnc::conf
