// The fault registry (faults.hpp): every fault of every applicable mode fails the reference's
// verification with its own expected code (and, in signed mode, tdx::verify_signed_quote with
// its precise reason) while the same request without the fault passes; the registry covers
// N-Q-01..15 and N-HS-08..17; names, descriptions and the JSON form are well formed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>

#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/faults.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "support/vectors.hpp"

namespace pnc::mock_tdx {
namespace {

struct Case {
  const FaultInfo* fault;
  Mode mode;
};
// Printed after the test's name in gtest's list: without it, the pointer's bytes (a different
// ctest name every build).
void PrintTo(const Case& c, std::ostream* os) { *os << c.fault->name << " (" << to_string(c.mode) << ")"; }

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = std::string(info.param.fault->name) + "_" + std::string(to_string(info.param.mode));
  for (char& c : n)
    if (c == '-') c = '_';
  return n;
}

std::vector<Case> all_cases() {
  std::vector<Case> out;
  for (const auto& f : fault_registry())
    for (Mode m : {Mode::mock, Mode::signed_quote})
      if (f.expectation(m)) out.push_back({&f, m});
  return out;
}

QuoteRequest base_request(const FaultInfo& f, Mode mode) {
  QuoteRequest r;
  r.mode = mode;
  r.nonce = test::gh("V3", "nonce_hex");
  r.params.env_mode = f.requires_env ? std::string(*f.requires_env) : (mode == Mode::mock ? "dev" : "prod");
  return r;
}

bool reported_in_message(std::string_view code) {
  return code == attest_errc::kDcap || code == attest_errc::kStructure || code == attest_errc::kTooShort;
}

class EveryFault : public ::testing::TestWithParam<Case> {};

TEST_P(EveryFault, FailsForItsOwnReasonWhileTheBaseCasePasses) {
  const FaultInfo& f = *GetParam().fault;
  const Mode mode = GetParam().mode;
  const Expectation expect = *f.expectation(mode);
  JudgeOptions opts;
  opts.profile = f.profile;

  QuoteRequest r = base_request(f, mode);
  auto base = make_evidence(r);
  ASSERT_TRUE(base) << base.error().message;
  const Status base_verdict = judge(r, *base, opts);
  ASSERT_TRUE(base_verdict) << base_verdict.error().code << ": " << base_verdict.error().message;

  r.fault = std::string(f.name);
  auto ev = make_evidence(r);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_TRUE(ev->quote != base->quote || ev->event_log != base->event_log || ev->rtmrs != base->rtmrs);
  const Status verdict = judge(r, *ev, opts);
  ASSERT_FALSE(verdict) << "fault " << f.name << " passed verification";
  EXPECT_EQ(verdict.error().code, expect.code) << verdict.error().message;
  if (!expect.detail.empty() && reported_in_message(expect.code)) {
    EXPECT_NE(verdict.error().message.find(expect.detail), std::string::npos) << verdict.error().message;
  }

  // Structural faults: the reference parser names the same rule.
  if (expect.code == attest_errc::kStructure || expect.code == attest_errc::kTooShort) {
    auto parsed = tdx::parse_quote(ev->quote, f.profile);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, expect.detail);
  }

  // Signed mode: the production verifier alone, at the reference time with the mock root.
  if (mode == Mode::signed_quote) {
    FixedClock clock(kReferenceTime);
    tdx::SignedQuoteConfig cfg;
    cfg.trusted_roots_pem = {mock_root_ca().pem};
    cfg.clock = &clock;
    const Status s = tdx::verify_signed_quote(ev->quote, cfg);
    if (expect.detail.empty()) {
      EXPECT_TRUE(s) << s.error().code << ": " << s.error().message;
    } else {
      ASSERT_FALSE(s);
      EXPECT_EQ(s.error().code, expect.detail) << s.error().message;
    }
  }

  // Deterministic: the same request gives the same evidence.
  auto again = make_evidence(r);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->quote, ev->quote);
  EXPECT_EQ(again->event_log, ev->event_log);
  EXPECT_EQ(again->rtmrs, ev->rtmrs);
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryFault, ::testing::ValuesIn(all_cases()), case_name);

TEST(FaultRegistry, NamesDescriptionsAndModes) {
  std::set<std::string_view> names;
  const std::regex name_re("^[a-z0-9]+(-[a-z0-9]+)*$");
  for (const auto& f : fault_registry()) {
    EXPECT_TRUE(names.insert(f.name).second) << "duplicate " << f.name;
    EXPECT_TRUE(std::regex_match(std::string(f.name), name_re)) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
    EXPECT_EQ(f.description.find('\n'), std::string_view::npos) << f.name;
    EXPECT_FALSE(f.spec.empty()) << f.name;
    EXPECT_TRUE(f.mock || f.signed_quote) << f.name;
    EXPECT_EQ(find_fault(f.name), &f);
  }
  EXPECT_EQ(find_fault("no-such-fault"), nullptr);
  // The names the issue promises.
  for (const char* n : {"truncate-635", "nonce-at-584", "debug-bit", "pck-expired"}) EXPECT_NE(find_fault(n), nullptr) << n;
}

TEST(FaultRegistry, CoversEverySpecCase) {
  std::string all;
  for (const auto& f : fault_registry()) all += " " + std::string(f.spec) + " ";
  for (int i = 1; i <= 15; ++i) {
    const std::string id = (i < 10 ? "N-Q-0" : "N-Q-") + std::to_string(i);
    EXPECT_NE(all.find(" " + id + " "), std::string::npos) << id;
  }
  for (int i = 8; i <= 17; ++i) {
    const std::string id = (i < 10 ? "N-HS-0" : "N-HS-") + std::to_string(i);
    EXPECT_NE(all.find(" " + id + " "), std::string::npos) << id;
  }
  // Every signed-mode verifier code is exercised by some fault.
  std::set<std::string_view> details;
  for (const auto& f : fault_registry())
    if (f.signed_quote) details.insert(f.signed_quote->detail);
  for (const char* c : {tdx::kSigMockMarker, tdx::kSigChainParse, tdx::kSigCertExpired, tdx::kSigCertNotYetValid,
                        tdx::kSigChainUntrusted, tdx::kSigQeReport, tdx::kSigQeBinding, tdx::kSigBadAttestKey,
                        tdx::kSigQuote, tdx::kSigDebug})
    EXPECT_TRUE(details.count(c)) << c;
}

TEST(FaultRegistry, JsonFormMatchesTheRegistry) {
  const auto j = nlohmann::json::parse(fault_registry_json());
  ASSERT_EQ(j.size(), fault_registry().size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const FaultInfo& f = fault_registry()[i];
    EXPECT_EQ(j[i]["name"], std::string(f.name));
    EXPECT_EQ(j[i]["profile"], std::string(to_string(f.profile)));
    EXPECT_EQ(j[i]["modes"].contains("mock"), f.mock.has_value());
    EXPECT_EQ(j[i]["modes"].contains("signed"), f.signed_quote.has_value());
    if (f.signed_quote) {
      EXPECT_EQ(j[i]["modes"]["signed"]["detail"], std::string(f.signed_quote->detail));
    }
  }
}

TEST(FaultRegistry, FaultsWorkWithAGivenReportData) {
  // Binding faults move or change whatever 32 bytes are bound, not only SHA256(N).
  QuoteRequest r;
  r.mode = Mode::signed_quote;
  r.params.env_mode = "prod";
  r.report_data = ByteArray<32>{};
  r.report_data->fill(0x5c);
  r.fault = "nonce-at-584";
  auto ev = make_evidence(r);
  ASSERT_TRUE(ev);
  EXPECT_EQ(Bytes(ev->quote.begin() + 584, ev->quote.begin() + 616), Bytes(32, 0x5c));
  EXPECT_EQ(Bytes(ev->quote.begin() + 568, ev->quote.begin() + 584), Bytes(16, 0));
  r.fault = "nonce-other";
  ev = make_evidence(r);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->quote[568 + 31], 0x5d);
}

}  // namespace
}  // namespace pnc::mock_tdx
