// ConfigfsTsmProvider against a temporary directory that behaves like the configfs-tsm ABI
// (fake_configfs_tsm.hpp): the real outblob of a cloud VM for its inblob (vectors/real-tdx,
// PROVENANCE.md), signed mock quotes for any REPORTDATA, and every refusal the provider owes:
// no TSM, another driver, a raced generation, a silent or oversized outblob, a wrong quote.
#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "fake_configfs_tsm.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/providers/configfs_tsm.hpp"
#include "pnc/providers/host_evidence.hpp"
#include "pnc/providers/tsm_attributes.hpp"
#include "support/vectors.hpp"

namespace pnc::providers {
namespace {

using testing::FakeConfigfsTsm;
using namespace std::chrono_literals;

std::string as_string(ByteView b) { return std::string(b.begin(), b.end()); }

ByteArray<64> to_array(const std::string& s) {
  ByteArray<64> out{};
  std::copy_n(s.begin(), std::min<std::size_t>(64, s.size()), out.begin());
  return out;
}

// The kernel of the cloud VM whose outblob was captured: it answers that outblob for that inblob.
FakeConfigfsTsm::Behaviour captured_vm() {
  FakeConfigfsTsm::Behaviour b;
  b.answer = [](const std::string& inblob) -> std::optional<std::string> {
    if (inblob != as_string(test::read_bytes("real-tdx/go-tdx-guest/ccel/nonce.dat"))) return std::string("wrong inblob");
    return as_string(test::read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat"));
  };
  return b;
}

// A kernel that answers a signed mock quote for whatever REPORTDATA it is given.
FakeConfigfsTsm::Behaviour signed_mock_kernel() {
  FakeConfigfsTsm::Behaviour b;
  b.answer = [](const std::string& inblob) -> std::optional<std::string> {
    return as_string(mock_tdx::signed_quote_v4_for(to_array(inblob)).quote);
  };
  return b;
}

TEST(ConfigfsTsm, RealOutblobForItsInblob) {
  FakeConfigfsTsm tsm(captured_vm());
  ConfigfsTsmProvider provider(tsm.options());
  const std::string nonce = as_string(test::read_bytes("real-tdx/go-tdx-guest/ccel/nonce.dat"));  // 64 zero bytes
  auto ev = provider.get_quote(to_array(nonce));
  ASSERT_TRUE(ev.ok()) << ev.error().code << " " << ev.error().message;
  EXPECT_EQ(ev->quote, test::read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat"));
  EXPECT_FALSE(ev->event_log.has_value());
  EXPECT_EQ(tsm.inblobs_seen(), std::vector<std::string>{nonce});
  EXPECT_EQ(tsm.entries_created(), 1);
  EXPECT_EQ(tsm.entries_removed(), 1);
  EXPECT_TRUE(std::filesystem::is_empty(tsm.root()));
}

TEST(ConfigfsTsm, EachQuoteGetsItsOwnEntryAndItsOwnReportData) {
  FakeConfigfsTsm tsm(signed_mock_kernel());
  ConfigfsTsmProvider provider(tsm.options());
  for (int i = 0; i < 3; ++i) {
    ByteArray<64> rd{};
    rd.fill(static_cast<std::uint8_t>(0x10 + i));
    auto ev = provider.get_quote(rd);
    ASSERT_TRUE(ev.ok()) << ev.error().code << " " << ev.error().message;
    EXPECT_EQ(ev->quote, mock_tdx::signed_quote_v4_for(rd).quote);
  }
  EXPECT_EQ(tsm.entries_created(), 3);
  EXPECT_EQ(tsm.entries_removed(), 3);
}

TEST(ConfigfsTsm, MissingRootIsNoTsm) {
  ConfigfsTsmOptions o;
  o.report_root = (std::filesystem::temp_directory_path() / "pnc-no-such-tsm-root").string();
  auto ev = ConfigfsTsmProvider(o).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kTsmNoTsm);
}

TEST(ConfigfsTsm, OtherDriverIsRefusedAndTheEntryRemoved) {
  auto b = signed_mock_kernel();
  b.provider = "sev_guest\n";
  FakeConfigfsTsm tsm(b);
  auto ev = ConfigfsTsmProvider(tsm.options()).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kTsmWrongProvider);
  EXPECT_TRUE(tsm.inblobs_seen().empty());  // refused before writing anything
  EXPECT_EQ(tsm.entries_removed(), 1);
}

TEST(ConfigfsTsm, RacedGenerationIsRefused) {
  auto b = signed_mock_kernel();
  b.bump = 2;  // someone else wrote to our entry between our write and our read
  FakeConfigfsTsm tsm(b);
  auto ev = ConfigfsTsmProvider(tsm.options()).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kTsmGenerationRace);
  EXPECT_EQ(tsm.entries_removed(), 1);
}

TEST(ConfigfsTsm, SilentOutblobTimesOut) {
  FakeConfigfsTsm::Behaviour b;
  b.answer = [](const std::string&) { return std::nullopt; };
  FakeConfigfsTsm tsm(b);
  const auto start = std::chrono::steady_clock::now();
  auto ev = ConfigfsTsmProvider(tsm.options(300ms)).get_quote({});
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kTsmTimeout);
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 5s);
  EXPECT_EQ(tsm.entries_removed(), 1);
}

TEST(ConfigfsTsm, OversizedOutblobIsCapped) {
  FakeConfigfsTsm::Behaviour b;
  b.answer = [](const std::string&) { return std::string(200000, '\0'); };
  FakeConfigfsTsm tsm(b);
  auto ev = ConfigfsTsmProvider(tsm.options()).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kTsmTooLarge);
}

TEST(ConfigfsTsm, EmptyOrForeignOutblobIsRefused) {
  {
    FakeConfigfsTsm::Behaviour b;
    b.answer = [](const std::string&) { return std::string(); };
    FakeConfigfsTsm tsm(b);
    auto ev = ConfigfsTsmProvider(tsm.options()).get_quote({});
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, kTsmEmpty);
  }
  {
    FakeConfigfsTsm tsm(captured_vm());  // a kernel that answers junk for an inblob it did not expect
    ByteArray<64> other{};
    other.fill(0x5a);  // the captured inblob is all zero
    auto ev = ConfigfsTsmProvider(tsm.options()).get_quote(other);
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, kBadQuote);  // "wrong inblob" is not a quote
  }
  {
    auto b = captured_vm();
    b.answer = [](const std::string&) -> std::optional<std::string> {
      return as_string(test::read_bytes("real-tdx/go-tdx-guest/ccel/cos-113-tdx-quote.dat"));
    };
    FakeConfigfsTsm tsm(b);  // the captured quote, whatever we asked
    ByteArray<64> other{};
    other.fill(0x5a);
    auto ev = ConfigfsTsmProvider(tsm.options()).get_quote(other);
    ASSERT_FALSE(ev.ok());
    EXPECT_EQ(ev.error().code, kReportDataMismatch);
  }
}

TEST(ConfigfsTsm, BadGenerationTextIsNamed) {
  auto b = signed_mock_kernel();
  FakeConfigfsTsm tsm(b);
  auto o = tsm.options();
  auto create = o.create_entry;
  o.create_entry = [create](const std::string& dir) {
    auto made = create(dir);
    std::ofstream(dir + "/generation", std::ios::trunc) << "many\n";
    return made;
  };
  auto ev = ConfigfsTsmProvider(o).get_quote({});
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().code, kTsmBadAttribute);
}

}  // namespace
}  // namespace pnc::providers
