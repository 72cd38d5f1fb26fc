// Strict JSON reading (PROTOCOL.md §0.3, §12.1 N-ENC-08..12) per profile.
#include <gtest/gtest.h>

#include "pnc/json.hpp"
#include "support/vectors.hpp"

namespace pnc::json {
namespace {

constexpr Profile kSeed = Profile::seed_spec;
constexpr Profile kCompat = Profile::sdk_compat;

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(Json, GoldenEnvelopeParsesAsAnObject) {
  auto r = parse_object(test::gs("V2", "envelope"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(get_string(*r, "enc").value(), "chacha20poly1305");
}

// N-ENC-08: top-level value that is not an object where one is required.
TEST(Json, TopLevelNonObjectRejected) {
  for (const char* text : {"[]", "\"attestation_begin\"", "1", "null", "true"}) {
    for (auto p : {kSeed, kCompat}) {
      auto r = parse_object(text, p);
      ASSERT_FALSE(r) << text;
      EXPECT_EQ(r.error().code, kNotObject) << text;
    }
  }
}

// A raw NUL byte is not JSON anywhere: not after a document (nlohmann would stop there and
// accept the prefix; found by fuzz_json_strict), not inside a string, in every profile.
TEST(Json, RawNulByteRejectedEverywhere) {
  using namespace std::string_literals;
  for (const std::string& text : {"{\"type\":\"attestation_ok\"}\0{\"type\":\"x\"}"s,
                                  "{\"type\":\"a\0b\"}"s, "{\"type\":\"x\"}\0"s, "\0"s}) {
    for (auto p : {kSeed, kCompat, Profile::hardened}) {
      auto r = parse(text, p);
      ASSERT_FALSE(r) << text.size();
      EXPECT_EQ(r.error().code, kSyntax);
    }
  }
  EXPECT_TRUE(parse("{\"type\":\"a\\u0000b\"}", kSeed)) << "an escaped NUL is valid JSON";
}

// N-ENC-09: duplicate member names.
TEST(Json, DuplicateMembersRejectedStrictLastWinsCompat) {
  const char* text = R"({"type":"attestation_ok","type":"x"})";
  auto strict = parse(text, kSeed);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, kDuplicate);
  EXPECT_EQ(parse(text, Profile::hardened).error().code, kDuplicate);
  auto compat = parse(text, kCompat);
  ASSERT_TRUE(compat);
  EXPECT_EQ((*compat)["type"], "x");
  // Same name in sibling objects is not a duplicate.
  EXPECT_TRUE(parse(R"({"a":{"k":1},"b":{"k":2}})", kSeed));
  EXPECT_EQ(parse(R"({"a":{"k":1,"k":2}})", kSeed).error().code, kDuplicate);
}

// N-ENC-10: NaN / Infinity, invalid UTF-8, lone surrogates.
TEST(Json, NonJsonNumbersBadUtf8AndLoneSurrogatesRejected) {
  for (std::string text : {std::string(R"({"x":NaN})"), std::string(R"({"x":Infinity})"),
                           std::string(R"({"x":-Infinity})"), std::string("{\"x\":\"\xC3\x28\"}"),
                           std::string(R"({"x":"\ud800"})"), std::string(R"({"x":"\udc00"})"),
                           std::string("{\"x\":\"\xff\"}")}) {
    auto r = parse(text, kSeed);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, kSyntax) << text;
  }
  EXPECT_TRUE(parse(R"({"x":"\ud83d\ude00"})", kSeed)) << "a valid surrogate pair is fine";
  EXPECT_TRUE(parse("{\"x\":\"\xC3\xA9\"}", kSeed)) << "valid UTF-8 is fine";
}

// N-ENC-11: nesting depth 65.
TEST(Json, NestingDeeperThan64Rejected) {
  EXPECT_TRUE(parse(nested(64), kSeed));
  auto r = parse(nested(65), kSeed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kTooDeep);
  std::string objects;
  for (int i = 0; i < 65; ++i) objects += "{\"a\":";
  objects += "1" + std::string(65, '}');
  EXPECT_EQ(parse(objects, kSeed).error().code, kTooDeep);
  EXPECT_TRUE(parse(nested(65), kCompat));
  // Hostile depth never crashes, in any profile.
  EXPECT_FALSE(parse(nested(200000), kCompat));
  EXPECT_FALSE(parse(std::string(100000, '['), kSeed));
}

// N-ENC-12: required member with the wrong type.
TEST(Json, TypedAccessorsNameTheRule) {
  auto obj = parse_object(R"({"nonce":123,"hkdf_salt":null,"quote":[],"n":-5,"big":18446744073709551615,"f":1.5})");
  ASSERT_TRUE(obj);
  EXPECT_EQ(get_string(*obj, "nonce").error().code, kWrongType);
  EXPECT_EQ(get_string(*obj, "hkdf_salt").error().code, kWrongType);
  EXPECT_EQ(get_string(*obj, "quote").error().code, kWrongType);
  EXPECT_EQ(get_string(*obj, "absent").error().code, kMissing);
  EXPECT_EQ(get_int(*obj, "n").value(), -5);
  EXPECT_EQ(get_int(*obj, "big").error().code, kWrongType);
  EXPECT_EQ(get_int(*obj, "f").error().code, kWrongType);
  EXPECT_EQ(get_object(*obj, "quote").error().code, kWrongType);
  EXPECT_TRUE(has(*obj, "quote"));
  EXPECT_FALSE(has(*obj, "absent"));
}

TEST(Json, SyntaxErrorsAndTruncationNeverCrash) {
  std::string doc = test::gs("V2", "envelope");
  for (std::size_t n = 0; n < doc.size(); ++n) {
    auto r = parse(doc.substr(0, n), kSeed);
    EXPECT_FALSE(r) << n;
  }
  EXPECT_EQ(parse("", kSeed).error().code, kSyntax);
  EXPECT_EQ(parse("{} {}", kSeed).error().code, kSyntax);
  EXPECT_EQ(parse("{'a':1}", kSeed).error().code, kSyntax);
}

TEST(Json, DumpIsCompact) {
  auto obj = parse_object(R"({ "type" : "x", "n" : [1, 2] })");
  ASSERT_TRUE(obj);
  EXPECT_EQ(dump(*obj), R"({"n":[1,2],"type":"x"})");
}

}  // namespace
}  // namespace pnc::json
