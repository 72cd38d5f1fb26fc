// The certificate's honesty rules (docs/report-format.md, "Headline"): CONFORMANT only for a full,
// unfiltered, unwaived run of a non-empty catalogue in which every applicable case PASSed; the
// requirement table; the provenance digests; SUT names without command lines.
#include <gtest/gtest.h>

#include "core/engine.hpp"
#include "core/expectations.hpp"
#include "pnc/child_process.hpp"
#include "core/provenance.hpp"
#include "pnc/json.hpp"
#include "report/report.hpp"
#include "trace/requirements.hpp"

namespace pnc::conf {
namespace {

Case make(std::string id, Outcome outcome, std::vector<Profile> profiles = {}, std::vector<Need> needs = {}) {
  Case c;
  c.id = std::move(id);
  c.title = "title of " + c.id;
  c.mechanism = Mechanism::handshake;
  c.profiles = std::move(profiles);
  c.needs = std::move(needs);
  c.expected_default = "the expected behaviour";
  c.run = [outcome](Context&) { return outcome; };
  return c;
}

RunReport run(const std::vector<Case>& cases, const std::string& filter = "*", const Expectations* exp = nullptr,
              SutDescription sut = {}) {
  EngineOptions o;
  o.filter = filter;
  o.sut = &sut;
  o.expectations = exp;
  return run_cases(cases, o);
}

std::vector<Case> all_pass() {
  return {make("A-1", Outcome::pass("ok")), make("A-2", Outcome::pass("ok")),
          make("B-1", Outcome::pass("ok"), {Profile::sdk_compat})};  // not in seed-spec: not applicable
}

bool has_reason(const Headline& h, const std::string& part) {
  for (const auto& r : h.reasons)
    if (r.find(part) != std::string::npos) return true;
  return false;
}

TEST(Headline, FullPassingRunIsConformant) {
  const Headline h = headline(run(all_pass()));
  EXPECT_EQ(h.word, "CONFORMANT");
  EXPECT_TRUE(h.reasons.empty());
}

TEST(Headline, FilteredRunIsPartial) {
  const RunReport r = run(all_pass(), "A-*");
  const Headline h = headline(r);
  EXPECT_EQ(h.word, "PARTIAL");
  EXPECT_TRUE(has_reason(h, "--filter 'A-*' selected 2 of 3 cases")) << ::testing::PrintToString(h.reasons);
  // A filter that excludes nothing is not a filtered run.
  EXPECT_EQ(headline(run(all_pass(), "*,-NOPE*")).word, "CONFORMANT");
}

TEST(Headline, EmptyRunsArePartial) {
  const Headline none = headline(run(all_pass(), "NOPE*"));
  EXPECT_EQ(none.word, "PARTIAL");
  EXPECT_TRUE(has_reason(none, "no case selected (--filter 'NOPE*')"));
  const Headline empty = headline(run({}));
  EXPECT_EQ(empty.word, "PARTIAL");
  EXPECT_TRUE(has_reason(empty, "the catalogue is empty"));
  // Only not-applicable cases: nothing was tested.
  const Headline inapplicable = headline(run({make("B-1", Outcome::pass("ok"), {Profile::hardened})}));
  EXPECT_EQ(inapplicable.word, "PARTIAL");
  EXPECT_TRUE(has_reason(inapplicable, "no case applies"));
}

TEST(Headline, WaivedFailuresAreDeviations) {
  auto cases = all_pass();
  cases.push_back(make("C-1", Outcome::fail("wrong close code")));
  auto exp = parse_expectations(R"({"expected_failures": {"*": "everything is known"}})");
  ASSERT_TRUE(exp.ok());
  const RunReport r = run(cases, "*", &*exp);
  EXPECT_TRUE(r.acceptable());  // exit status 0: the waiver is the certifier's call...
  const Headline h = headline(r);
  EXPECT_EQ(h.word, "CONFORMANT WITH DEVIATIONS");  // ...but the headline says so
  EXPECT_TRUE(has_reason(h, "1 case(s) waived"));
  ASSERT_EQ(r.provenance.waivers.size(), 1u);
  EXPECT_EQ(r.provenance.waivers[0].glob, "*");
  EXPECT_EQ(r.provenance.waivers[0].cases, std::vector<std::string>{"C-1"});
}

TEST(Headline, FailuresAreNotConformantAndNamed) {
  auto cases = all_pass();
  cases.push_back(make("C-1", Outcome::fail("wrong close code")));
  cases.push_back(make("C-2", Outcome::blocked("no handshake")));
  const Headline h = headline(run(cases, "*,-A-2"));
  EXPECT_EQ(h.word, "NOT CONFORMANT");
  EXPECT_TRUE(has_reason(h, "1 case(s) FAIL"));
  EXPECT_TRUE(has_reason(h, "1 case(s) BLOCKED"));  // every reason is named, not only the worst
  EXPECT_TRUE(has_reason(h, "filtered"));
}

TEST(Headline, BlockedInterruptedAndUntestedSkipsArePartial) {
  auto blocked = all_pass();
  blocked.push_back(make("C-2", Outcome::blocked("no handshake")));
  EXPECT_EQ(headline(run(blocked)).word, "PARTIAL");

  RunReport interrupted = run(all_pass());
  interrupted.interrupted = true;
  const Headline hi = headline(interrupted);
  EXPECT_EQ(hi.word, "PARTIAL");
  EXPECT_TRUE(has_reason(hi, "interrupted"));

  // A key the runner lacks: the case was not tested.
  auto keyless = all_pass();
  keyless.push_back(make("D-1", Outcome::pass("unused"), {}, {Need::sealed_key}));
  const Headline hk = headline(run(keyless));
  EXPECT_EQ(hk.word, "PARTIAL");
  EXPECT_TRUE(has_reason(hk, "1 case(s) SKIPPED for want of a key"));

  // An endpoint group the SUT declares absent, or a prod-only case on a mock SUT: not applicable.
  auto configured = all_pass();
  configured.push_back(make("D-2", Outcome::pass("unused"), {}, {Need::admin}));
  configured.push_back(make("D-3", Outcome::pass("unused"), {}, {Need::prod_mode}));
  SutDescription no_admin;
  no_admin.admin = false;
  const RunReport rc = run(configured, "*", nullptr, no_admin);
  EXPECT_EQ(rc.summary().at(Verdict::skipped), 3);
  EXPECT_EQ(headline(rc).word, "CONFORMANT");
}

TEST(Headline, AttestationModeIsReported) {
  SutDescription sut;
  sut.mode = AttestationMode::prod;
  sut.signed_mock = true;
  EXPECT_EQ(run(all_pass(), "*", nullptr, sut).provenance.attestation_mode, "signed-mock");
  EXPECT_EQ(run(all_pass()).provenance.attestation_mode, "mock");
}

TEST(RequirementTable, OneVerdictPerRequirement) {
  Traceability t;
  t.requirements = {
      {"R-3.5-aaaaaa", "3.5", "The server **MUST** close with `1008` when the first frame is not attestation_begin.", {"A-*"}, ""},
      {"R-3.5-bbbbbb", "3.5", "A client MUST NOT send data before attestation_ok.", {"C-1"}, ""},
      {"R-0.2-cccccc", "0.2", "MUST / MUST NOT are used as in RFC 2119.", {}, "defines the keywords"},
      {"R-9.9-dddddd", "9.9", "The shim MUST do vectors.", {"x25519_test#*"}, ""},
      {"R-4.1-eeeeee", "4.1",
       "The challenge MUST derive the key with HKDF-SHA256 over the X25519 shared secret, the salt from attestation_ok "
       "and the info string of section 4, and MUST abort on an all-zero secret.",
       {"B-1"}, ""},
  };
  auto cases = all_pass();
  cases.push_back(make("C-1", Outcome::fail("sent data early")));
  EngineOptions o;
  SutDescription sut;
  o.sut = &sut;
  o.requirements_of = [&t](const std::string& id) { return requirements_of(t, id); };
  const RunReport r = run_cases(cases, o);
  const auto rows = requirement_results(t, r);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].verdict, "PASS");
  EXPECT_EQ(rows[0].cases, (std::vector<std::string>{"A-1", "A-2"}));
  EXPECT_EQ(rows[0].level, "MUST");
  EXPECT_EQ(rows[0].title, "The server MUST close with 1008 when the first frame is not attestation_begin.");
  EXPECT_EQ(rows[1].verdict, "FAIL");
  EXPECT_EQ(rows[1].level, "MUST NOT");
  EXPECT_EQ(rows[2].verdict, "EXCEPTED");
  EXPECT_EQ(rows[2].note, "defines the keywords");
  EXPECT_EQ(rows[3].verdict, "NOT IN RUN");
  EXPECT_EQ(rows[4].verdict, "NOT APPLICABLE");  // B-1 is sdk-compat only
  EXPECT_LE(rows[4].title.size(), 95u);
  EXPECT_EQ(rows[4].title.substr(rows[4].title.size() - 4), " …");
}

TEST(Provenance, DigestsAndCatalogueDump) {
  // FIPS 180-2 appendix B.1.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto cases = all_pass();
  const std::string before = sha256_hex(catalogue_dump(cases));
  EXPECT_EQ(before, sha256_hex(catalogue_dump(all_pass())));  // canonical: same catalogue, same digest
  cases[1].expected_default = "something else";
  EXPECT_NE(before, sha256_hex(catalogue_dump(cases)));
  const auto vectors = vector_file_digests(PNC_VECTORS_DIR);
  ASSERT_GE(vectors.size(), 10u);
  EXPECT_EQ(vectors.front().name, "PROTOCOL-vectors.json");
  for (const auto& f : vectors) EXPECT_EQ(f.sha256.size(), 64u) << f.name;
  EXPECT_FALSE(hash_file("/nonexistent/sut.json", "sut.json").ok());
}

TEST(Provenance, SutIsNamedByProgramNotCommandLine) {
  EXPECT_EQ(executable_name("/opt/sdk/bin/my-challenge --session tok:KEY --port {port}"), "my-challenge");
  EXPECT_EQ(executable_name("RUST_LOG=debug SECRET=x ./target/sdk --x"), "sdk");
  EXPECT_EQ(executable_name("'python3' shim.py"), "python3");
  EXPECT_EQ(executable_name("MARK=1 exec /usr/bin/peer --x"), "peer");
  EXPECT_EQ(executable_name("   "), "unnamed SUT");
}

TEST(Certificate, ShowsInputsDigestsAndHeadline) {
  auto cases = all_pass();
  cases.push_back(make("C-1", Outcome::fail("wrong close code")));
  auto exp = parse_expectations(R"({"expected_failures": {"C-*": "close code fixed in 2.4 <soon>"}})");
  ASSERT_TRUE(exp.ok());
  RunReport r = run(cases, "*", &*exp);
  r.provenance.sut_file = InputFile{"my-sut.json", std::string(64, 'a')};
  r.provenance.catalogue_sha256 = std::string(64, 'c');
  const std::string json = json_report(r);
  const std::string html = html_certificate(r, sha256_hex(json));
  EXPECT_NE(html.find("CONFORMANT WITH DEVIATIONS"), std::string::npos);
  EXPECT_NE(html.find("attestation mock"), std::string::npos);
  EXPECT_NE(html.find("my-sut.json (SHA-256 " + std::string(64, 'a') + ")"), std::string::npos);
  EXPECT_NE(html.find("close code fixed in 2.4 &lt;soon&gt;"), std::string::npos);
  EXPECT_NE(html.find("report.json SHA-256</th><td>" + sha256_hex(json)), std::string::npos);
  EXPECT_NE(html.find("table-layout:fixed"), std::string::npos);  // long cells wrap instead of overflowing
  auto doc = json::parse_object(json);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["format_version"], std::string(kReportFormatVersion));
  EXPECT_EQ((*doc)["headline"]["verdict"], "CONFORMANT WITH DEVIATIONS");
  EXPECT_EQ((*doc)["inputs"]["waivers"][0]["reason"], "close code fixed in 2.4 <soon>");
  EXPECT_EQ((*doc)["inputs"]["sut_file"]["name"], "my-sut.json");
  EXPECT_TRUE((*doc)["inputs"]["expectations_file"].is_null());
  EXPECT_EQ((*doc)["kind"], "conformance");
  EXPECT_TRUE((*doc)["campaign"].is_null());
  EXPECT_EQ(html_file_name(r), "certificate.html");
}

// A campaign (fuzz, properties) never gets a conformance word: it certifies nothing.
RunReport campaign(ReportKind kind, std::vector<Verdict> verdicts, std::uint64_t executions) {
  RunReport r;
  r.kind = kind;
  r.campaign.seed = 7;
  r.campaign.executions = executions;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    CaseReport c;
    c.id = "entry-" + std::to_string(i);
    c.verdict = verdicts[i];
    r.cases.push_back(c);
  }
  return r;
}

TEST(CampaignHeadline, WordsOfItsOwn) {
  const Headline clean = headline(campaign(ReportKind::fuzz, {Verdict::pass}, 500));
  EXPECT_EQ(clean.word, "NO FINDINGS");
  EXPECT_TRUE(has_reason(clean, "500 execution(s), seed 7")) << ::testing::PrintToString(clean.reasons);
  EXPECT_TRUE(has_reason(clean, "certifies nothing"));

  const Headline found = headline(campaign(ReportKind::fuzz, {Verdict::fail, Verdict::fail}, 120));
  EXPECT_EQ(found.word, "FINDINGS");
  EXPECT_TRUE(has_reason(found, "2 finding(s)"));

  RunReport stopped = campaign(ReportKind::fuzz, {Verdict::pass}, 3);
  stopped.interrupted = true;
  EXPECT_EQ(headline(stopped).word, "INCOMPLETE");
  EXPECT_EQ(headline(campaign(ReportKind::fuzz, {Verdict::pass}, 0)).word, "INCOMPLETE");  // nothing ran

  const Headline props = headline(campaign(ReportKind::properties, {Verdict::pass, Verdict::blocked, Verdict::skipped}, 200));
  EXPECT_EQ(props.word, "INCOMPLETE");
  EXPECT_TRUE(has_reason(props, "1 never judged"));
  EXPECT_TRUE(has_reason(props, "1 SKIPPED"));
  EXPECT_TRUE(has_reason(props, "200 generated case(s)"));
  // A finding outweighs an incomplete campaign.
  EXPECT_EQ(headline(campaign(ReportKind::properties, {Verdict::fail, Verdict::blocked}, 10)).word, "FINDINGS");
}

TEST(CampaignHeadline, ReportFilesSayWhatRan) {
  RunReport r = campaign(ReportKind::fuzz, {Verdict::fail}, 42);
  r.campaign.shard = "1/4";
  r.campaign.jobs = 2;
  r.campaign.selection = "ws-session";
  r.campaign.findings = {"findings/finding-ws-session-0badc0de.json"};
  auto doc = json::parse_object(json_report(r));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["kind"], "fuzz");
  EXPECT_EQ((*doc)["headline"]["verdict"], "FINDINGS");
  EXPECT_EQ((*doc)["campaign"]["seed"], 7);
  EXPECT_EQ((*doc)["campaign"]["shard"], "1/4");
  EXPECT_EQ((*doc)["campaign"]["executions"], 42);
  EXPECT_EQ((*doc)["campaign"]["jobs"], 2);
  EXPECT_EQ((*doc)["campaign"]["selection"], "ws-session");
  EXPECT_EQ((*doc)["campaign"]["findings"][0], "findings/finding-ws-session-0badc0de.json");
  const std::string html = html_certificate(r);
  EXPECT_NE(html.find("<h1>Campaign report: fuzz</h1>"), std::string::npos);
  EXPECT_EQ(html.find("Conformance certificate"), std::string::npos);
  EXPECT_NE(html.find("Executions</th><td>42"), std::string::npos);
  EXPECT_NE(html.find("Seed</th><td>7, shard 1/4, 2 worker(s)"), std::string::npos);
  EXPECT_NE(html.find("<h2>Findings</h2>"), std::string::npos);
  EXPECT_EQ(html.find("Pass rate"), std::string::npos);  // findings have no rate
  EXPECT_EQ(html_file_name(r), "report.html");
}

}  // namespace
}  // namespace pnc::conf
