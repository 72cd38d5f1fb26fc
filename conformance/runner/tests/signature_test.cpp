// Signed reports: report.json.sig round trip, tampering, the wrong key, a missing signature and a
// certificate that no longer matches (docs/report-format.md, "Signed reports").
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/provenance.hpp"
#include "pnc/codec.hpp"
#include "report/report.hpp"
#include "report/signature.hpp"

namespace pnc::conf {
namespace {

namespace fs = std::filesystem;

// RFC 8032 §7.1, TEST 1.
constexpr const char* kSeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr const char* kPublicHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
// RFC 8032 §7.1, TEST 2's public key: a valid key that did not sign.
constexpr const char* kOtherPublicHex = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

class SignedReport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pnc-signature-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    spit(dir_ / "key.hex", std::string(kSeedHex) + "\n");
    auto seed = load_sign_key((dir_ / "key.hex").string());
    ASSERT_TRUE(seed.ok()) << seed.error().message;
    RunReport r;
    r.profile = "seed-spec";
    r.provenance.signing_public_key = sign_key_public_hex(*seed);
    CaseReport c;
    c.id = "A-1";
    c.verdict = Verdict::pass;
    r.cases.push_back(c);
    ASSERT_TRUE(write_report_files(dir_.string(), r, &*seed).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  Bytes key(const char* hex) { return *codec::hex_decode(hex); }
  fs::path dir_;
};

TEST_F(SignedReport, RoundTrip) {
  EXPECT_EQ(sign_key_public_hex(*load_sign_key((dir_ / "key.hex").string())), kPublicHex);
  EXPECT_TRUE(verify_report_dir(dir_.string(), key(kPublicHex)).ok());
  EXPECT_EQ(slurp(dir_ / "report.json.sig").size(), 129u);  // 128 hex + newline
  EXPECT_NE(slurp(dir_ / "certificate.html").find(kPublicHex), std::string::npos);
  // The public key is accepted directly or from a file.
  spit(dir_ / "pub.hex", std::string(kPublicHex) + "\n");
  auto from_file = load_public_key((dir_ / "pub.hex").string());
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(*from_file, key(kPublicHex));
  EXPECT_FALSE(load_public_key("not-a-key").ok());
}

TEST_F(SignedReport, OneChangedByteFails) {
  std::string json = slurp(dir_ / "report.json");
  const auto at = json.find("\"PASS\"");
  ASSERT_NE(at, std::string::npos);
  json[at + 1] = 'F';  // "FASS"
  spit(dir_ / "report.json", json);
  const auto s = verify_report_dir(dir_.string(), key(kPublicHex));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "verify.bad_signature");
}

TEST_F(SignedReport, AnotherKeyFails) {
  const auto s = verify_report_dir(dir_.string(), key(kOtherPublicHex));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "verify.bad_signature");
}

TEST_F(SignedReport, MissingOrMalformedSignatureFails) {
  spit(dir_ / "report.json.sig", "zz\n");
  EXPECT_EQ(verify_report_dir(dir_.string(), key(kPublicHex)).error().code, "verify.bad_signature");
  fs::remove(dir_ / "report.json.sig");
  EXPECT_EQ(verify_report_dir(dir_.string(), key(kPublicHex)).error().code, "verify.bad_signature");
  EXPECT_EQ(verify_report_dir((dir_ / "nope").string(), key(kPublicHex)).error().code, "verify.usage");
}

TEST_F(SignedReport, CertificateMustNameTheReportDigest) {
  std::string html = slurp(dir_ / "certificate.html");
  const std::string digest = sha256_hex(slurp(dir_ / "report.json"));
  const auto at = html.find(digest);
  ASSERT_NE(at, std::string::npos);
  html.replace(at, 64, std::string(64, '0'));
  spit(dir_ / "certificate.html", html);
  EXPECT_EQ(verify_report_dir(dir_.string(), key(kPublicHex)).error().code, "verify.certificate_mismatch");
}

TEST(SignKey, BadKeyFilesAreNamedErrors) {
  const fs::path p = fs::temp_directory_path() / ("pnc-bad-key-" + std::to_string(::getpid()));
  spit(p, "0123");
  auto r = load_sign_key(p.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sign.bad_key");
  EXPECT_EQ(r.error().message.find("0123"), std::string::npos);  // never echoes key material
  fs::remove(p);
  EXPECT_EQ(load_sign_key(p.string()).error().code, "sign.unreadable");
}

}  // namespace
}  // namespace pnc::conf
