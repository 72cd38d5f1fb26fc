// core: profiles, results, secrets, constant-time comparison, injected clock and RNG.
#include <gtest/gtest.h>

#include "pnc/clock.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

namespace pnc {
namespace {

TEST(Profile, NamesRoundTripAndUnknownNamesAreRejected) {
  for (auto p : pnc::kProfiles)
    EXPECT_EQ(parse_profile(to_string(p)), p);
  EXPECT_EQ(to_string(Profile::seed_spec), "seed-spec");
  EXPECT_EQ(to_string(Profile::sdk_compat), "sdk-compat");
  EXPECT_EQ(to_string(Profile::hardened), "hardened");
  EXPECT_FALSE(parse_profile("Seed-Spec").has_value());
  EXPECT_FALSE(parse_profile("").has_value());
  EXPECT_TRUE(is_strict(Profile::hardened));
  EXPECT_FALSE(is_strict(Profile::sdk_compat));
}

TEST(Result, CarriesValueOrNamedError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 7);
  Result<int> bad = make_error("x.code", "why");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "x.code");
  Status s;
  EXPECT_TRUE(s.ok());
  Status f = make_error("y", "z");
  EXPECT_EQ(f.error().code, "y");
}

TEST(Secret, ComparesInConstantTimeAndWipes) {
  Bytes a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
  EXPECT_TRUE(ct_equal(a, b));
  EXPECT_FALSE(ct_equal(a, c));
  EXPECT_FALSE(ct_equal(a, d));
  EXPECT_TRUE(ct_equal({}, {}));

  Secret<4> s{ByteView(a)};
  EXPECT_EQ(s.data()[2], 3);
  Secret<4> moved(std::move(s));
  EXPECT_EQ(moved.data()[0], 1);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(s.data()[i], 0) << "moved-from secret not wiped";
  moved.wipe();
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(moved.data()[i], 0);

  SecretBytes sb{ByteView(c)};
  SecretBytes sb2(std::move(sb));
  EXPECT_TRUE(sb.empty());
  EXPECT_EQ(sb2.size(), 3u);
}

TEST(Clock, FixedClockIsControlledByTheTest) {
  FixedClock c(1700000000);
  EXPECT_EQ(c.now(), 1700000000);
  c.advance(121);
  EXPECT_EQ(c.now(), 1700000121);
  c.set(5);
  EXPECT_EQ(c.now(), 5);
  SystemClock sys;
  EXPECT_GT(sys.now(), 1700000000);  // this code was written after 2023-11-14
}

TEST(Rng, DeterministicRngRepeatsPerSeedAndDiffersAcrossSeeds) {
  DeterministicRng a(42), b(42), c(43);
  auto x = a.bytes(100), y = b.bytes(100), z = c.bytes(100);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  EXPECT_NE(a.bytes(100), x) << "successive draws must differ";
  SystemRng sys;
  EXPECT_NE(sys.bytes(32), sys.bytes(32));
}

TEST(Rng, UuidV4HasVersionAndVariantBits) {
  DeterministicRng r(1);
  for (int i = 0; i < 64; ++i) {
    std::string u = r.uuid_v4();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[8], '-');
    EXPECT_EQ(u[13], '-');
    EXPECT_EQ(u[14], '4');
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    for (char ch : u) EXPECT_TRUE((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || ch == '-');
  }
}

}  // namespace
}  // namespace pnc
