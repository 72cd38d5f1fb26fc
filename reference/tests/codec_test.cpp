// codec: strict and sdk-compat base64, base64url and hex (PROTOCOL.md §0.3, §12.1 N-ENC-01..07).
// Expected values are the spec's own examples and OpenSSL's encoder.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "pnc/codec.hpp"
#include "pnc/rng.hpp"
#include "support/vectors.hpp"

namespace pnc::codec {
namespace {

constexpr Profile kSeed = Profile::seed_spec;
constexpr Profile kCompat = Profile::sdk_compat;

std::string openssl_b64(ByteView b) {
  std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(),
                          static_cast<int>(b.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

TEST(Base64, EncodeMatchesOpenSslForEveryLengthUpTo64) {
  DeterministicRng rng(7);
  for (std::size_t n = 0; n <= 64; ++n) {
    Bytes b = rng.bytes(n);
    std::string enc = b64_encode(b);
    EXPECT_EQ(enc, openssl_b64(b)) << "length " << n;
    auto dec = b64_decode(enc, kSeed);
    ASSERT_TRUE(dec) << dec.error().message;
    EXPECT_EQ(*dec, b);
  }
}

TEST(Base64, GoldenKeysDecodeToTheirHexValues) {
  auto r = b64_decode_exact(test::gs("V1", "val_pub_b64"), 32);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, test::gh("V1", "val_pub"));
  auto s = b64_decode_exact(test::gs("V1", "salt_b64"), 32, kCompat);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, test::gh("V1", "salt"));
}

// N-ENC-01: characters outside the alphabet.
TEST(Base64, StrictRejectsForeignCharactersCompatSkipsThem) {
  for (const char* text : {"AA*E", "AA E", "AAE=\n", "AA-E", "AA_E", " AAE="}) {
    auto r = b64_decode(text, kSeed);
    ASSERT_FALSE(r) << text;
    EXPECT_TRUE(r.error().code == kB64BadChar || r.error().code == kB64BadPadding) << text;
  }
  EXPECT_EQ(b64_decode("AA*E", kSeed).error().code, kB64BadChar);
  // Bytes >= 0x80 (e.g. UTF-8 of a non-ASCII character inside JSON) are not symbols either;
  // found by properties.PB64 (libsodium 1.0.18 decodes "\xFFAA=" to fc 00).
  EXPECT_EQ(b64_decode("\xFF" "AA=", kSeed).error().code, kB64BadChar);
  EXPECT_EQ(b64_decode("A\xC3\xA9=", kSeed).error().code, kB64BadChar);
  auto c = b64_decode("A A E =", kCompat);  // Python: b'\x00\x01'
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, (Bytes{0x00, 0x01}));
}

// N-ENC-02: missing padding fails in both profiles.
TEST(Base64, MissingPaddingFailsInEveryProfile) {
  for (auto p : {kSeed, kCompat, Profile::hardened}) {
    auto r = b64_decode("AAE", p);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kB64BadPadding);
    EXPECT_FALSE(b64_decode("AA=", p));
  }
}

// N-ENC-03: non-canonical trailing bits (the spec's example AAF= vs AAE=).
TEST(Base64, NonCanonicalTrailingBitsRejectedStrictAcceptedCompat) {
  auto ok = b64_decode("AAE=", kSeed);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (Bytes{0x00, 0x01}));
  auto bad = b64_decode("AAF=", kSeed);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, kB64NonCanonical);
  auto compat = b64_decode("AAF=", kCompat);
  ASSERT_TRUE(compat);
  EXPECT_EQ(*compat, (Bytes{0x00, 0x01}));
  // A 32-byte key whose last symbol carries non-zero unused bits.
  std::string key = test::gs("V1", "val_pub_b64");  // ends "...Tmo="
  std::string tweaked = key.substr(0, 42) + "p=";
  EXPECT_EQ(b64_decode(tweaked, kSeed).error().code, kB64NonCanonical);
}

// N-ENC-04: padding in the middle.
TEST(Base64, PaddingInTheMiddleRejectedStrict) {
  auto r = b64_decode("AA==AA==", kSeed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kB64BadPadding);
  auto c = b64_decode("AA==AA==", kCompat);  // Python stops after the first quantum
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, (Bytes{0x00}));
  EXPECT_FALSE(b64_decode("A===", kSeed));
  EXPECT_FALSE(b64_decode("====", kSeed));
}

// N-ENC-05 / N-ENC-06: decoded length off by one, empty string.
TEST(Base64, ExactLengthIsEnforced) {
  DeterministicRng rng(3);
  for (std::size_t want : {12u, 16u, 32u, 64u}) {
    for (std::size_t got : {want - 1, want + 1}) {
      auto r = b64_decode_exact(b64_encode(rng.bytes(got)), want);
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, kB64BadLength);
    }
    EXPECT_TRUE(b64_decode_exact(b64_encode(rng.bytes(want)), want));
    EXPECT_EQ(b64_decode_exact("", want).error().code, kB64BadLength);
    EXPECT_EQ(b64_decode_exact("", want, kCompat).error().code, kB64BadLength);
  }
}

TEST(Base64Url, UnpaddedUrlAlphabetOnly) {
  EXPECT_EQ(b64url_encode(Bytes{0xfb, 0xff}), "-_8");
  auto r = b64url_decode("-_8");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (Bytes{0xfb, 0xff}));
  EXPECT_EQ(b64url_decode("-_8=").error().code, kB64BadChar);   // N-TOK-09 padding
  EXPECT_EQ(b64url_decode("+/8").error().code, kB64BadChar);    // standard alphabet
  EXPECT_EQ(b64url_decode("-_9").error().code, kB64NonCanonical);  // unused bits set
  EXPECT_EQ(b64url_decode("AAAAA").error().code, kB64BadPadding);  // length mod 4 == 1
  DeterministicRng rng(9);
  for (std::size_t n = 0; n < 40; ++n) {
    Bytes b = rng.bytes(n);
    std::string e = b64url_encode(b);
    EXPECT_EQ(e.find('='), std::string::npos);
    auto d = b64url_decode(e);
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, b);
  }
}

// N-ENC-07: hex nonce variants.
TEST(Hex, StrictRejectsEveryMalformedNonce) {
  std::string nonce = test::gs("V3", "nonce_hex");
  ASSERT_TRUE(hex_decode_exact(nonce, 32));
  std::string upper = nonce;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(ch));
  auto up = hex_decode_exact(upper, 32);
  ASSERT_TRUE(up) << "upper case is accepted on input";
  EXPECT_EQ(*up, test::gh("V3", "nonce_hex"));

  EXPECT_EQ(hex_decode_exact(nonce.substr(0, 63), 32).error().code, kHexBadLength);
  EXPECT_EQ(hex_decode_exact(nonce + "0", 32).error().code, kHexBadLength);
  EXPECT_EQ(hex_decode_exact(nonce.substr(0, 62), 32).error().code, kHexBadLength);
  EXPECT_EQ(hex_decode_exact("0x" + nonce.substr(2), 32).error().code, kHexBadChar);
  EXPECT_EQ(hex_decode_exact("g" + nonce.substr(1), 32).error().code, kHexBadChar);
  EXPECT_EQ(hex_decode_exact(nonce.substr(0, 30) + " " + nonce.substr(31), 32).error().code,
            kHexBadChar);
  EXPECT_EQ(hex_encode(test::gh("V3", "nonce_hex")), nonce);
}

TEST(Hex, CompatFollowsPythonBytesFromhex) {
  auto spaced = hex_decode("0a 0b", kCompat);
  ASSERT_TRUE(spaced);
  EXPECT_EQ(*spaced, (Bytes{0x0a, 0x0b}));
  auto nl = hex_decode("0a\n0b", kCompat);
  ASSERT_TRUE(nl);
  EXPECT_EQ(*nl, (Bytes{0x0a, 0x0b}));
  auto empty = hex_decode("", kCompat);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(hex_decode("0a0", kCompat));
  EXPECT_FALSE(hex_decode("0 a", kCompat)) << "whitespace may not split a byte pair";
  EXPECT_FALSE(hex_decode("0a 0b", kSeed));
  // N-HS-05: 31 / 33 bytes are fine for compat (any even length).
  EXPECT_TRUE(hex_decode(std::string(62, 'a'), kCompat));
  EXPECT_TRUE(hex_decode(std::string(66, 'a'), kCompat));
}

// Fixed-size decoders into a caller buffer: RFC 4648 §10 vectors, and the *_decode_exact codes.
TEST(DecodeInto, Rfc4648VectorsAndExactCodes) {
  ByteArray<6> out{};
  ASSERT_TRUE(b64_decode_into("Zm9vYmFy", out));
  EXPECT_EQ(std::string(out.begin(), out.end()), "foobar");
  ByteArray<5> five{};
  ASSERT_TRUE(b64_decode_into("Zm9vYmE=", five));
  EXPECT_EQ(std::string(five.begin(), five.end()), "fooba");
  ASSERT_TRUE(b64_decode_into("Zm9vYmE=", five, kCompat));
  EXPECT_EQ(std::string(five.begin(), five.end()), "fooba");
  auto arr = b64_decode_array<4>("Zm9vYg==");
  ASSERT_TRUE(arr);
  EXPECT_EQ(std::string(arr->begin(), arr->end()), "foob");
  // Wrong decoded length, bad character, non-canonical trailing bits, missing padding.
  EXPECT_EQ(b64_decode_into("Zm9vYmFy", five).error().code, kB64BadLength);
  EXPECT_EQ(b64_decode_into("Zm9v*mE=", five).error().code, kB64BadChar);
  EXPECT_EQ(b64_decode_into("Zm9vYmF=", five).error().code, kB64NonCanonical);
  EXPECT_EQ(b64_decode_into("Zm9vYmE", five).error().code, kB64BadPadding);

  ByteArray<3> h{};
  ASSERT_TRUE(hex_decode_into("00fFa5", h));
  EXPECT_EQ(h, (ByteArray<3>{0x00, 0xff, 0xa5}));
  ASSERT_TRUE(hex_decode_into("00 ff a5", h, kCompat));
  EXPECT_EQ(h, (ByteArray<3>{0x00, 0xff, 0xa5}));
  EXPECT_EQ(hex_decode_into("00ff", h).error().code, kHexBadLength);
  EXPECT_EQ(hex_decode_into("00ffg5", h).error().code, kHexBadChar);
  EXPECT_EQ(hex_decode_array<2>("0a0b0c").error().code, kHexBadLength);
}

}  // namespace
}  // namespace pnc::codec
