// Credentials (PROTOCOL.md §8): vectors V6 (sealed DSN) and V7 (credential transfer) byte-exact,
// every N-CRED case of §12.8, N-X-04/05 with the 14 low-order keys of §12.2, Ed25519 -> X25519
// consistency, and that neither the sink is touched on failure nor the DSN ever appears in an
// error. Expected values come from golden(), the spec text, or OpenSSL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "pnc/testing/faults.hpp"
#include "pnc/credentials.hpp"
#include "pnc/spec_tables.hpp"
#include "pnc/testkit/oracles.hpp"
#include "pnc/testkit/rng.hpp"
#include "support/vectors.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::credentials {
namespace {

using nlohmann::json;
using test::b64;
using test::gh;
using test::gs;

// §12.2: the 14 low-order X25519 encodings (spec data).
constexpr const auto& kLowOrder = pnc::spec::kLowOrderX25519Hex;  // §12.2

// §8.1 detail strings (spec data).
constexpr const char* kDetailMissingFields = "missing fields";
constexpr const char* kDetailMissingKey = "missing SDK ephemeral key";
constexpr const char* kDetailDecrypt = "credentials decrypt failed";
constexpr const char* kDetailInvalid = "invalid credentials payload";

// ---- Test-side helpers ----

// OpenSSL, independent of pnc::codec / pnc::crypto (the toolkit's oracles).
std::string b64enc(ByteView data) { return pnc::testkit::ossl_b64(data); }
using pnc::testkit::ossl_chacha_seal;
// Replays a fixed byte script (vectors fix the "random" ephemeral key and nonce).
using ScriptedRng = pnc::testkit::ByteScriptRng;

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string v6_dsn() { return json::parse(gs("V6", "plaintext"))["dsn"].get<std::string>(); }
std::string v7_database_url() {
  return json::parse(gs("V7", "plaintext"))["database_url"].get<std::string>();
}

std::string body(const json& sealed, const json& name = "demo", const json& version = 1) {
  return json({{"sealed", sealed}, {"challenge_name", name}, {"version", version}}).dump();
}
std::string v6_body() { return body(gs("V6", "sealed_b64")); }

// A sealed box of `plaintext` to the V6 recipient (test-side: the vector's fixed ephemeral key
// through libsodium's construction as exposed by pnc::crypto, already pinned by V6 below).
std::string sealed_to_v6(std::string_view plaintext) {
  auto s = crypto::seal_with_ephemeral(gh("V6", "x25519_pk"), as_bytes(plaintext), gh("V6", "eph_sk"));
  EXPECT_TRUE(s);
  return b64enc(*s);
}

std::string detail_of(const CredentialsReply& r) { return json::parse(r.body)["detail"].get<std::string>(); }

// Runs the handler against a pre-seeded sink and checks the sink stayed untouched (N-CRED-13).
CredentialsReply run_failing(std::string_view req, const std::optional<std::string>& key,
                             Profile profile = Profile::seed_spec) {
  MemoryDsnSink sink;
  sink.set(as_bytes("previous"));
  auto r = handle_sealed_credentials(req, key, profile, sink);
  EXPECT_NE(r.status, 200);
  EXPECT_EQ(sink.writes(), 0);
  EXPECT_EQ(pnc::to_string(sink.value()->view()), "previous");
  EXPECT_EQ(r.body.find("postgresql"), std::string::npos);  // the DSN never leaks
  return r;
}

std::optional<std::string> v6_key() { return gs("V6", "sdk_ephemeral_sk_b64"); }

// ---- V6: sealed DSN ----

TEST(CredentialsV6, KeyConversionMatchesVector) {
  EXPECT_EQ(b64(gs("V6", "sdk_ephemeral_sk_b64")), gh("V6", "ed_seed"));
  Secret<32> x_sk = crypto::ed25519_seed_to_x25519(gh("V6", "ed_seed"));
  EXPECT_EQ(Bytes(x_sk.view().begin(), x_sk.view().end()), gh("V6", "x25519_sk"));
  auto x_pk = crypto::ed25519_public_to_x25519(gh("V6", "ed_pk"));
  ASSERT_TRUE(x_pk);
  EXPECT_EQ(Bytes(x_pk->begin(), x_pk->end()), gh("V6", "x25519_pk"));
  auto derived = crypto::x25519_from_secret(x_sk.view()).pub;
  EXPECT_EQ(Bytes(derived.begin(), derived.end()), gh("V6", "x25519_pk"));
}

TEST(CredentialsV6, EphemeralKeyAndNonce) {
  auto e_pk = crypto::x25519_from_secret(gh("V6", "eph_sk")).pub;
  EXPECT_EQ(Bytes(e_pk.begin(), e_pk.end()), gh("V6", "eph_pk"));
  Bytes nonce = crypto::blake2b(cat(gh("V6", "eph_pk"), gh("V6", "x25519_pk")), 24);
  EXPECT_EQ(nonce, gh("V6", "seal_nonce"));
}

TEST(CredentialsV6, SealedBytesAreByteExact) {
  auto s = crypto::seal_with_ephemeral(gh("V6", "x25519_pk"), as_bytes(gs("V6", "plaintext")),
                                       gh("V6", "eph_sk"));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, b64(gs("V6", "sealed_b64")));
  EXPECT_EQ(s->size(), test::golden()["V6"]["sealed_len"].get<std::size_t>());
  EXPECT_EQ(Bytes(s->begin(), s->begin() + 32), gh("V6", "eph_pk"));
}

TEST(CredentialsV6, SealCredentialsConvertsTheEdKey) {
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    ScriptedRng rng(gh("V6", "eph_sk"));
    auto s = seal_credentials(p, gh("V6", "ed_pk"), gs("V6", "plaintext"), rng);
    ASSERT_TRUE(s) << s.error().code;
    EXPECT_EQ(*s, b64(gs("V6", "sealed_b64")));
  }
  // [HARD] (D-24): the key is the sdk_x25519 key itself.
  ScriptedRng rng(gh("V6", "eph_sk"));
  auto h = seal_credentials(Profile::hardened, gh("V6", "x25519_pk"), gs("V6", "plaintext"), rng);
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, b64(gs("V6", "sealed_b64")));
}

TEST(CredentialsV6, SealCredentialsRefusesBadEdKey) {
  SystemRng rng;
  auto r = seal_credentials(Profile::seed_spec, test::hex(kLowOrder[1]), "x", rng);  // Ed identity
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, crypto::kEdBadPublicKey);
  EXPECT_FALSE(seal_credentials(Profile::seed_spec, Bytes(31, 1), "x", rng));
}

TEST(CredentialsV6, OpenStoresTheDsnAndAnswersMigrated) {
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    MemoryDsnSink sink;
    auto r = handle_sealed_credentials(v6_body(), v6_key(), p, sink);
    EXPECT_EQ(r.status, 200) << r.code;
    EXPECT_EQ(r.code, "");
    EXPECT_EQ(json::parse(r.body), json({{"migrated", true}}));
    ASSERT_TRUE(sink.value().has_value());
    EXPECT_EQ(pnc::to_string(sink.value()->view()), v6_dsn());
    EXPECT_EQ(sink.writes(), 1);
    EXPECT_EQ(r.challenge_name, "demo");
    EXPECT_EQ(r.version, "1");
  }
}

TEST(CredentialsV6, HardenedOpensWithTheX25519Secret) {
  MemoryDsnSink sink;
  auto r = handle_sealed_credentials(v6_body(), b64enc(gh("V6", "x25519_sk")), Profile::hardened, sink);
  EXPECT_EQ(r.status, 200) << r.code;
  ASSERT_TRUE(sink.value());
  EXPECT_EQ(pnc::to_string(sink.value()->view()), v6_dsn());
  // The Ed25519 seed is not the hardened receiver key.
  run_failing(v6_body(), v6_key(), Profile::hardened);
}

TEST(CredentialsV6, EnvSinkSetsSdkDbDsn) {
  ::setenv("SDK_DB_DSN", "before", 1);
  EnvDsnSink env;
  auto bad = handle_sealed_credentials(body(std::string(64, 'A')), v6_key(), Profile::seed_spec, env);
  EXPECT_EQ(bad.status, 400);
  EXPECT_STREQ(std::getenv("SDK_DB_DSN"), "before");  // N-CRED-13 on the real environment
  auto ok = handle_sealed_credentials(v6_body(), v6_key(), Profile::seed_spec, env);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(std::string(std::getenv("SDK_DB_DSN")), v6_dsn());
  EXPECT_FALSE(env.store(as_bytes(std::string_view("a\0b", 3))));
  ::unsetenv("SDK_DB_DSN");
}

TEST(CredentialsV6, MigrationHookRunsAfterStore) {
  MemoryDsnSink sink;
  std::string seen;
  auto r = handle_sealed_credentials(v6_body(), v6_key(), Profile::seed_spec, sink,
                                     [&](const std::string& name, const std::string& version) -> Status {
                                       EXPECT_EQ(sink.writes(), 1);  // DSN is in place first
                                       seen = name + "/" + version;
                                       return {};
                                     });
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(seen, "demo/1");
  auto f = handle_sealed_credentials(v6_body(), v6_key(), Profile::seed_spec, sink,
                                     [](const std::string&, const std::string&) -> Status {
                                       return make_error("db.down", "migration failed");
                                     });
  EXPECT_EQ(f.status, 500);
  EXPECT_EQ(f.code, kMigrationFailed);
}

// ---- N-CRED-01..09 ----

TEST(CredentialsNegative, NCred01Sealed47Bytes) {
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    auto r = run_failing(body(b64enc(Bytes(47, 7))), v6_key(), p);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(detail_of(r), kDetailDecrypt);
    EXPECT_EQ(r.code, kDecryptFailed);
  }
}

TEST(CredentialsNegative, NCred02BitFlips) {
  Bytes sealed = b64(gs("V6", "sealed_b64"));
  for (std::size_t pos : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{47},
                          std::size_t{48}, sealed.size() - 1}) {  // e_pk, tag, ciphertext
    Bytes m = sealed;
    m[pos] ^= 0x01;
    auto r = run_failing(body(b64enc(m)), v6_key());
    EXPECT_EQ(r.status, 400) << pos;
    EXPECT_EQ(detail_of(r), kDetailDecrypt) << pos;
  }
}

TEST(CredentialsNegative, NCred03OtherRecipient) {
  DeterministicRng rng(std::uint64_t{3});
  auto other = crypto::ed25519_keypair(rng);
  auto s = seal_credentials(Profile::seed_spec, other.pub, gs("V6", "plaintext"), rng);
  ASSERT_TRUE(s);
  auto r = run_failing(body(b64enc(*s)), v6_key());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(detail_of(r), kDetailDecrypt);
}

TEST(CredentialsNegative, NCred04KeyUnset) {
  for (const auto& key : {std::optional<std::string>{}, std::optional<std::string>{""}}) {
    auto r = run_failing(v6_body(), key);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(detail_of(r), kDetailMissingKey);
    EXPECT_EQ(r.code, kMissingKey);
  }
}

TEST(CredentialsNegative, NCred05KeyWrongLength) {
  for (std::size_t n : {31u, 33u, 64u}) {
    auto r = run_failing(v6_body(), b64enc(Bytes(n, 0x42)));
    EXPECT_EQ(r.status, 400) << n;
    EXPECT_EQ(detail_of(r), kDetailDecrypt) << n;
  }
}

TEST(CredentialsNegative, NCred06MissingFields) {
  const std::string sealed = gs("V6", "sealed_b64");
  const std::vector<std::string> bodies = {
      json({{"challenge_name", "demo"}, {"version", 1}}).dump(),
      json({{"sealed", sealed}, {"version", 1}}).dump(),
      json({{"sealed", sealed}, {"challenge_name", "demo"}}).dump(),
      body(sealed, "demo", nullptr),
      body(sealed, ""),
      body("", "demo"),
      body(nullptr, "demo"),
      "{}",
      "not json",
      "[]",
  };
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    for (const auto& b : bodies) {
      auto r = run_failing(b, v6_key(), p);
      EXPECT_EQ(r.status, 400) << b;
      EXPECT_EQ(detail_of(r), kDetailMissingFields) << b;
      EXPECT_EQ(r.code, kMissingFields) << b;
    }
  }
}

TEST(CredentialsNegative, StepOrder) {
  // Step 2 before step 3: missing fields win over a missing key.
  auto a = run_failing(body(nullptr), std::nullopt);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(detail_of(a), kDetailMissingFields);
  // Step 3 before step 4: a missing key wins over an undecryptable box.
  auto b = run_failing(body(b64enc(Bytes(10, 1))), std::nullopt);
  EXPECT_EQ(b.status, 500);
  // Step 4 before step 5.
  auto c = run_failing(body(b64enc(Bytes(47, 1))), v6_key());
  EXPECT_EQ(detail_of(c), kDetailDecrypt);
}

TEST(CredentialsNegative, NCred07InvalidPayloads) {
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    for (const char* pt : {R"({"dsn": ""})", R"({"other": 1})", R"({"dsn": 5})", R"({broken json)",
                           R"({"dsn": null})", R"({"dsn": ["postgresql://a"]})", ""}) {
      auto r = run_failing(body(sealed_to_v6(pt)), v6_key(), p);
      EXPECT_EQ(r.status, 400) << pt;
      EXPECT_EQ(detail_of(r), kDetailInvalid) << pt;
      EXPECT_EQ(r.code, kInvalidPayload) << pt;
    }
  }
}

TEST(CredentialsNegative, NCred08NotUtf8) {
  for (std::string pt : {std::string("\xff\xfe"), std::string("postgresql://\xc3\x28"),
                         std::string("\xed\xa0\x80"), std::string("\xc0\xaf")}) {
    auto r = run_failing(body(sealed_to_v6(pt)), v6_key(), Profile::sdk_compat);
    EXPECT_EQ(detail_of(r), kDetailInvalid);
  }
}

TEST(CredentialsNegative, NCred09RawStringIsTheDsn) {
  const std::string raw = v6_dsn();  // a raw (non-JSON) plaintext
  for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
    MemoryDsnSink sink;
    auto r = handle_sealed_credentials(body(sealed_to_v6(raw)), v6_key(), p, sink);
    EXPECT_EQ(r.status, 200);
    ASSERT_TRUE(sink.value());
    EXPECT_EQ(pnc::to_string(sink.value()->view()), raw);
  }
  // Non-ASCII UTF-8 is fine.
  MemoryDsnSink sink;
  auto r = handle_sealed_credentials(body(sealed_to_v6("postgresql://\xc3\xa9@db/x")), v6_key(),
                                     Profile::seed_spec, sink);
  EXPECT_EQ(r.status, 200);
}

TEST(CredentialsNegative, SeedDsnLimits) {
  const std::string at_limit(kMaxDsnBytes, 'd');
  const std::string over(kMaxDsnBytes + 1, 'd');
  MemoryDsnSink sink;
  EXPECT_EQ(handle_sealed_credentials(body(sealed_to_v6(at_limit)), v6_key(), Profile::seed_spec, sink).status, 200);
  EXPECT_EQ(detail_of(run_failing(body(sealed_to_v6(over)), v6_key())), kDetailInvalid);
  EXPECT_EQ(detail_of(run_failing(body(sealed_to_v6(json({{"dsn", over}}).dump())), v6_key())), kDetailInvalid);
  const std::string with_nul("postgresql://a\0b", 16);
  EXPECT_EQ(detail_of(run_failing(body(sealed_to_v6(with_nul)), v6_key())), kDetailInvalid);
  // sdk-compat has no length limit.
  MemoryDsnSink compat;
  EXPECT_EQ(handle_sealed_credentials(body(sealed_to_v6(over)), v6_key(), Profile::sdk_compat, compat).status, 200);
  // sdk-compat hands a NUL to the sink; the environment cannot hold it.
  EnvDsnSink env;
  ::setenv("SDK_DB_DSN", "before", 1);
  auto r = handle_sealed_credentials(body(sealed_to_v6(with_nul)), v6_key(), Profile::sdk_compat, env);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.code, kStoreFailed);
  EXPECT_STREQ(std::getenv("SDK_DB_DSN"), "before");
  ::unsetenv("SDK_DB_DSN");
}

TEST(CredentialsNegative, SeedDuplicateDsnMember) {
  std::string pt = R"({"dsn":"postgresql://a","dsn":"postgresql://b"})";
  EXPECT_EQ(detail_of(run_failing(body(sealed_to_v6(pt)), v6_key())), kDetailInvalid);
  MemoryDsnSink sink;  // sdk-compat: Python json.loads, last wins
  EXPECT_EQ(handle_sealed_credentials(body(sealed_to_v6(pt)), v6_key(), Profile::sdk_compat, sink).status, 200);
  EXPECT_EQ(pnc::to_string(sink.value()->view()), "postgresql://b");
}

// ---- §8.1 version rules ----

TEST(CredentialsVersion, SeedAcceptsOneToSixteen) {
  for (const json& v : {json(1), json(16), json("1"), json("16"), json("9")}) {
    MemoryDsnSink sink;
    auto r = handle_sealed_credentials(body(gs("V6", "sealed_b64"), "demo", v), v6_key(), Profile::seed_spec, sink);
    EXPECT_EQ(r.status, 200) << v.dump();
    EXPECT_EQ(r.version, v.is_string() ? v.get<std::string>() : std::to_string(v.get<int>()));
  }
}

TEST(CredentialsVersion, SeedRejectsOthers) {
  for (const json& v : {json(0), json(17), json(-1), json("0"), json("17"), json("01"), json("1a"),
                        json("123"), json(true), json(1.0), json::array({1}), json::object()}) {
    auto r = run_failing(body(gs("V6", "sealed_b64"), "demo", v), v6_key());
    EXPECT_EQ(r.status, 400) << v.dump();
    EXPECT_EQ(detail_of(r), kDetailMissingFields) << v.dump();
    EXPECT_EQ(r.code, kBadField) << v.dump();
  }
  auto r = run_failing(body(5, "demo"), v6_key());  // sealed not a string
  EXPECT_EQ(r.code, kBadField);
}

TEST(CredentialsVersion, CompatUsesPythonStr) {
  // §8.1: 1 -> "1", true -> "True", 1.0 -> "1.0"; the rest follow Python 3 str()/repr().
  const std::vector<std::pair<json, std::string>> cases = {
      {json(1), "1"},          {json(true), "True"},      {json(false), "False"},
      {json(0), "0"},          {json(1.0), "1.0"},        {json(1.5), "1.5"},
      {json(1e16), "1e+16"},   {json(1e15), "1000000000000000.0"},
      {json(0.0001), "0.0001"}, {json(0.00001), "1e-05"}, {json(-2.5), "-2.5"},
      {json("abc"), "abc"},    {json(170), "170"},
      {json::array({1, "a", nullptr}), "[1, 'a', None]"},
      {json({{"k", "it's"}}), "{'k': \"it's\"}"},
  };
  for (const auto& [v, want] : cases) {
    MemoryDsnSink sink;
    auto r = handle_sealed_credentials(body(gs("V6", "sealed_b64"), "demo", v), v6_key(), Profile::sdk_compat, sink);
    EXPECT_EQ(r.status, 200) << v.dump();
    EXPECT_EQ(r.version, want) << v.dump();
  }
  MemoryDsnSink sink;
  auto n = handle_sealed_credentials(body(gs("V6", "sealed_b64"), 42, 1), v6_key(), Profile::sdk_compat, sink);
  EXPECT_EQ(n.challenge_name, "42");
}

TEST(CredentialsVersion, CompatQuirks) {
  // A truthy non-string `sealed` passes step 2 and fails to decode at step 4.
  auto r = run_failing(body(5), v6_key(), Profile::sdk_compat);
  EXPECT_EQ(detail_of(r), kDetailDecrypt);
  // Falsy values count as missing.
  for (const json& v : {json(0), json(false), json::array(), json::object()})
    EXPECT_EQ(detail_of(run_failing(body(v), v6_key(), Profile::sdk_compat)), kDetailMissingFields);
  // Lenient base64 (Python b64decode without validate): a newline inside is skipped.
  std::string s = gs("V6", "sealed_b64");
  s.insert(20, "\n");
  MemoryDsnSink sink;
  EXPECT_EQ(handle_sealed_credentials(body(s), v6_key(), Profile::sdk_compat, sink).status, 200);
  EXPECT_EQ(detail_of(run_failing(body(s), v6_key(), Profile::seed_spec)), kDetailDecrypt);
}

// ---- N-X-05 ----

TEST(CredentialsLowOrder, NX05SealedBoxWithLowOrderEphemeral) {
  Bytes sealed = b64(gs("V6", "sealed_b64"));
  for (const auto& h : kLowOrder) {
    Bytes m = sealed;
    Bytes key = test::hex(h);
    std::copy(key.begin(), key.end(), m.begin());
    for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
      auto r = run_failing(body(b64enc(m)), v6_key(), p);
      EXPECT_EQ(r.status, 400) << h;
      EXPECT_EQ(detail_of(r), kDetailDecrypt) << h;
    }
  }
}

// ---- Ed25519 -> X25519 consistency (§8.3) ----

TEST(CredentialsEdToX, ConversionIsConsistentAndRoundTrips) {
  DeterministicRng rng(std::uint64_t{8});
  for (int i = 0; i < 32; ++i) {
    auto ed = crypto::ed25519_keypair(rng);
    Secret<32> x_sk = crypto::ed25519_seed_to_x25519(ed.seed.view());
    auto from_secret = crypto::x25519_from_secret(x_sk.view()).pub;
    auto from_public = crypto::ed25519_public_to_x25519(ed.pub);
    ASSERT_TRUE(from_public);
    EXPECT_EQ(from_secret, *from_public);
    // The sealer (public side) and the receiver (secret side) meet.
    const std::string dsn = "postgresql://u:p@db/" + std::to_string(i);
    auto sealed = seal_credentials(Profile::seed_spec, ed.pub, dsn, rng);
    ASSERT_TRUE(sealed);
    MemoryDsnSink sink;
    auto r = handle_sealed_credentials(sealed_request_body(*sealed, "demo", 2), b64enc(ed.seed.view()),
                                       Profile::seed_spec, sink);
    ASSERT_EQ(r.status, 200) << r.code;
    EXPECT_EQ(pnc::to_string(sink.value()->view()), dsn);
    EXPECT_EQ(r.version, "2");
  }
}

// ---- V7: credential transfer ----

Bytes v7_recipient_pk() { return b64(gs("V7", "recipient_pk_b64")); }
Bytes v7_nonce() { return b64(gs("V7", "nonce_b64")); }

json v7_response(const std::string& ct_b64, const std::string& epk_b64 = gs("V7", "eph_pk_b64"),
                 const std::string& nonce_b64 = gs("V7", "nonce_b64")) {
  return {{"encrypted_credentials",
           {{"encrypted_data", ct_b64}, {"ephemeral_public_key", epk_b64}, {"nonce", nonce_b64}}},
          {"schema_name", "challenge_x"}};
}

TEST(CredentialsV7, KeysSharedSecretAndHkdf) {
  auto pk = crypto::x25519_from_secret(gh("V7", "recipient_sk")).pub;
  EXPECT_EQ(Bytes(pk.begin(), pk.end()), v7_recipient_pk());
  auto epk = crypto::x25519_from_secret(gh("V7", "eph_sk")).pub;
  EXPECT_EQ(Bytes(epk.begin(), epk.end()), b64(gs("V7", "eph_pk_b64")));
  auto shared = crypto::x25519(gh("V7", "eph_sk"), v7_recipient_pk());
  ASSERT_TRUE(shared);
  EXPECT_EQ(Bytes(shared->view().begin(), shared->view().end()), gh("V7", "shared"));
  auto key = crypto::hkdf_sha256_32(as_bytes(kTransferSalt), gh("V7", "shared"), kTransferInfo);
  EXPECT_EQ(Bytes(key.view().begin(), key.view().end()), gh("V7", "key"));
}

TEST(CredentialsV7, OpenSslOracleAgreesWithVector) {
  Bytes pt = to_bytes(gs("V7", "plaintext"));
  EXPECT_EQ(ossl_chacha_seal(gh("V7", "key"), v7_nonce(), pt, b64(gs("V7", "eph_pk_b64"))),
            b64(gs("V7", "ct_with_aad_b64")));
  EXPECT_EQ(ossl_chacha_seal(gh("V7", "key"), v7_nonce(), pt, {}), b64(gs("V7", "ct_no_aad_b64")));
}

TEST(CredentialsV7, BothCiphertextsByteExact) {
  const Bytes pt = to_bytes(gs("V7", "plaintext"));
  auto seed = encrypt_credentials_with(v7_recipient_pk(), pt, gh("V7", "eph_sk"), v7_nonce(), AadMode::seed);
  ASSERT_TRUE(seed);
  EXPECT_EQ(seed->encrypted_data, b64(gs("V7", "ct_with_aad_b64")));
  EXPECT_EQ(Bytes(seed->ephemeral_public_key.begin(), seed->ephemeral_public_key.end()),
            b64(gs("V7", "eph_pk_b64")));
  EXPECT_EQ(Bytes(seed->nonce.begin(), seed->nonce.end()), v7_nonce());
  auto api = encrypt_credentials_with(v7_recipient_pk(), pt, gh("V7", "eph_sk"), v7_nonce(), AadMode::platform_api);
  ASSERT_TRUE(api);
  EXPECT_EQ(api->encrypted_data, b64(gs("V7", "ct_no_aad_b64")));
}

TEST(CredentialsV7, RngSenderDrawsKeyThenNonce) {
  const std::map<std::string, std::string> creds = {{"database_url", v7_database_url()}};
  for (auto [mode, ct] : {std::pair{AadMode::seed, gs("V7", "ct_with_aad_b64")},
                          std::pair{AadMode::platform_api, gs("V7", "ct_no_aad_b64")}}) {
    ScriptedRng rng(cat(gh("V7", "eph_sk"), v7_nonce()));
    auto enc = encrypt_credentials(v7_recipient_pk(), creds, rng, mode);
    ASSERT_TRUE(enc);
    EXPECT_EQ(rng.used(), 44u);
    EXPECT_EQ(enc->encrypted_data, b64(ct));
  }
}

TEST(CredentialsV7, DecryptGoldenResponses) {
  auto seed = decrypt_credentials(v7_response(gs("V7", "ct_with_aad_b64")).dump(), gh("V7", "recipient_sk"), AadMode::seed);
  ASSERT_TRUE(seed) << seed.error().code;
  ASSERT_EQ(seed->size(), 1u);
  EXPECT_EQ(pnc::to_string(seed->at("database_url").view()), v7_database_url());
  auto api = decrypt_credentials(v7_response(gs("V7", "ct_no_aad_b64")).dump(), gh("V7", "recipient_sk"),
                                 AadMode::platform_api);
  ASSERT_TRUE(api);
  EXPECT_EQ(pnc::to_string(api->at("database_url").view()), v7_database_url());
}

TEST(CredentialsV7, NCred10CrossRuleFailures) {
  auto a = decrypt_credentials(v7_response(gs("V7", "ct_no_aad_b64")).dump(), gh("V7", "recipient_sk"), AadMode::seed);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, kTransferAuth);
  auto b = decrypt_credentials(v7_response(gs("V7", "ct_with_aad_b64")).dump(), gh("V7", "recipient_sk"),
                               AadMode::platform_api);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, kTransferAuth);
}

TEST(CredentialsV7, ResponseBuilderRoundTrip) {
  const std::string id = "123e4567-e89b-12d3-a456-426614174000";
  EXPECT_EQ(schema_name(id), "challenge_123e4567_e89b_12d3_a456_426614174000");
  SystemRng rng;
  auto x = crypto::x25519_keypair(rng);
  auto enc = encrypt_credentials(x.pub, {{"database_url", "postgresql://a"}, {"schema_name", "s"}}, rng, AadMode::seed);
  ASSERT_TRUE(enc);
  std::string resp = build_credential_response(*enc, id);
  json j = json::parse(resp);
  EXPECT_EQ(j["schema_name"], "challenge_123e4567_e89b_12d3_a456_426614174000");
  EXPECT_EQ(b64(j["encrypted_credentials"]["nonce"].get<std::string>()).size(), 12u);
  auto dec = decrypt_credentials(resp, x.secret.view(), AadMode::seed);
  ASSERT_TRUE(dec);
  EXPECT_EQ(pnc::to_string(dec->at("schema_name").view()), "s");
}

// ---- §8.5 and N-CRED-11..13 ----

TEST(CredentialsReceive, DatabaseUrlGoesToTheSink) {
  MemoryDsnSink sink;
  auto st = receive_credentials(v7_response(gs("V7", "ct_with_aad_b64")).dump(), gh("V7", "recipient_sk"),
                                AadMode::seed, sink);
  ASSERT_TRUE(st) << st.error().code;
  EXPECT_EQ(pnc::to_string(sink.value()->view()), v7_database_url());
}

TEST(CredentialsReceive, DsnPreferredOverDatabaseUrl) {
  SystemRng rng;
  auto x = crypto::x25519_keypair(rng);
  auto enc = encrypt_credentials(x.pub, {{"dsn", "postgresql://dsn"}, {"database_url", "postgresql://url"}}, rng,
                                 AadMode::seed);
  ASSERT_TRUE(enc);
  MemoryDsnSink sink;
  ASSERT_TRUE(receive_credentials(build_credential_response(*enc, "c"), x.secret.view(), AadMode::seed, sink));
  EXPECT_EQ(pnc::to_string(sink.value()->view()), "postgresql://dsn");
}

// Every failing receive leaves a pre-seeded sink untouched (N-CRED-13) and names no secret.
std::string receive_fails(const std::string& response, ByteView x_sk, AadMode mode = AadMode::seed) {
  MemoryDsnSink sink;
  sink.set(as_bytes("previous"));
  auto st = receive_credentials(response, x_sk, mode, sink);
  EXPECT_FALSE(st);
  EXPECT_EQ(sink.writes(), 0);
  EXPECT_EQ(pnc::to_string(sink.value()->view()), "previous");
  if (st) return "ok";
  EXPECT_EQ(st.error().message.find("postgresql"), std::string::npos);
  return st.error().code;
}

TEST(CredentialsReceive, NoDsnAndNonStringValues) {
  SystemRng rng;
  auto x = crypto::x25519_keypair(rng);
  auto enc = encrypt_credentials(x.pub, {{"schema_name", "s"}}, rng, AadMode::seed);
  ASSERT_TRUE(enc);
  EXPECT_EQ(receive_fails(build_credential_response(*enc, "c"), x.secret.view()), kNoDsn);
  auto empty = encrypt_credentials(x.pub, {{"dsn", ""}, {"database_url", "postgresql://u"}}, rng, AadMode::seed);
  ASSERT_TRUE(empty);
  EXPECT_EQ(receive_fails(build_credential_response(*empty, "c"), x.secret.view()), kInvalidPayload);
  for (const char* pt : {R"({"database_url": 5})", R"(["postgresql://u"])", R"({"database_url": "postgresql://u")"}) {
    auto raw = encrypt_credentials_with(x.pub, as_bytes(pt), Bytes(32, 5), Bytes(12, 6), AadMode::seed);
    ASSERT_TRUE(raw);
    EXPECT_EQ(receive_fails(build_credential_response(*raw, "c"), x.secret.view()), kInvalidPayload) << pt;
  }
}

TEST(CredentialsReceive, NCred11FieldLengths) {
  const Bytes sk = gh("V7", "recipient_sk");
  const std::string ct = gs("V7", "ct_with_aad_b64");
  Bytes nonce = v7_nonce();
  EXPECT_EQ(receive_fails(v7_response(ct, gs("V7", "eph_pk_b64"), b64enc(ByteView(nonce).first(11))).dump(), sk),
            kBadResponse);
  Bytes n13 = nonce;
  n13.push_back(0);
  EXPECT_EQ(receive_fails(v7_response(ct, gs("V7", "eph_pk_b64"), b64enc(n13)).dump(), sk), kBadResponse);
  Bytes epk = b64(gs("V7", "eph_pk_b64"));
  EXPECT_EQ(receive_fails(v7_response(ct, b64enc(ByteView(epk).first(31))).dump(), sk), kBadResponse);
  EXPECT_EQ(receive_fails(v7_response(b64enc(Bytes(15, 0))).dump(), sk), kBadResponse);
  // 16 bytes passes decoding and fails authentication.
  EXPECT_EQ(receive_fails(v7_response(b64enc(Bytes(16, 0))).dump(), sk), kTransferAuth);
}

TEST(CredentialsReceive, NCred11MalformedResponses) {
  const Bytes sk = gh("V7", "recipient_sk");
  EXPECT_EQ(receive_fails("[]", sk), kBadResponse);
  EXPECT_EQ(receive_fails("{}", sk), kBadResponse);
  json missing = v7_response(gs("V7", "ct_with_aad_b64"));
  missing["encrypted_credentials"].erase("nonce");
  EXPECT_EQ(receive_fails(missing.dump(), sk), kBadResponse);
  json wrong = v7_response(gs("V7", "ct_with_aad_b64"));
  wrong["encrypted_credentials"]["nonce"] = 12;
  EXPECT_EQ(receive_fails(wrong.dump(), sk), kBadResponse);
  std::string bad_b64 = gs("V7", "ct_with_aad_b64");
  bad_b64[3] = '*';
  EXPECT_EQ(receive_fails(v7_response(bad_b64).dump(), sk), kBadResponse);
}

TEST(CredentialsReceive, NCred12AadIsAnotherKey) {
  Bytes other_aad = gh("V6", "x25519_pk");  // any 32-byte key other than e_pk
  Bytes ct = ossl_chacha_seal(gh("V7", "key"), v7_nonce(), to_bytes(gs("V7", "plaintext")), other_aad);
  EXPECT_EQ(receive_fails(v7_response(b64enc(ct)).dump(), gh("V7", "recipient_sk")), kTransferAuth);
  EXPECT_EQ(receive_fails(v7_response(b64enc(ct)).dump(), gh("V7", "recipient_sk"), AadMode::platform_api),
            kTransferAuth);
}

TEST(CredentialsReceive, NCred13EnvUnchangedOnFailure) {
  ::setenv("SDK_DB_DSN", "before", 1);
  EnvDsnSink env;
  EXPECT_FALSE(receive_credentials(v7_response(gs("V7", "ct_no_aad_b64")).dump(), gh("V7", "recipient_sk"),
                                   AadMode::seed, env));
  EXPECT_STREQ(std::getenv("SDK_DB_DSN"), "before");
  EXPECT_TRUE(receive_credentials(v7_response(gs("V7", "ct_no_aad_b64")).dump(), gh("V7", "recipient_sk"),
                                  AadMode::platform_api, env));
  EXPECT_EQ(std::string(std::getenv("SDK_DB_DSN")), v7_database_url());
  ::unsetenv("SDK_DB_DSN");
}

// ---- N-X-04 ----

TEST(CredentialsLowOrder, NX04EphemeralPublicKey) {
  for (const auto& h : kLowOrder)
    EXPECT_EQ(receive_fails(v7_response(gs("V7", "ct_with_aad_b64"), b64enc(test::hex(h))).dump(),
                            gh("V7", "recipient_sk")),
              kLowOrderKey)
        << h;
}

TEST(CredentialsLowOrder, NX04RequestPublicKeyAndSender) {
  const std::string id = "123e4567-e89b-12d3-a456-426614174000";
  for (const auto& h : kLowOrder) {
    json req = {{"challenge_id", id}, {"public_key", b64enc(test::hex(h))}};
    auto r = parse_credential_request(req.dump());
    ASSERT_FALSE(r) << h;
    EXPECT_EQ(r.error().code, kLowOrderKey) << h;
    SystemRng rng;
    auto enc = encrypt_credentials(test::hex(h), {{"database_url", "postgresql://u"}}, rng, AadMode::seed);
    ASSERT_FALSE(enc) << h;
    EXPECT_EQ(enc.error().code, kLowOrderKey) << h;
  }
}

// ---- Mechanism B request ----

TEST(CredentialsRequest, BuildAndParse) {
  CredentialRequest req;
  req.challenge_id = "123E4567-e89b-12d3-a456-426614174000";
  Bytes pk = v7_recipient_pk();
  std::copy(pk.begin(), pk.end(), req.public_key.begin());
  req.migrations = json::array({{{"version", 1}, {"name", "init"}, {"sql", "select 1"}, {"checksum", "x"}}});
  std::string text = build_credential_request(req);
  json j = json::parse(text);
  EXPECT_EQ(j["public_key"], gs("V7", "recipient_pk_b64"));
  EXPECT_EQ(j["challenge_id"], req.challenge_id);
  auto back = parse_credential_request(text);
  ASSERT_TRUE(back) << back.error().code;
  EXPECT_EQ(back->public_key, req.public_key);
  EXPECT_EQ(back->challenge_id, req.challenge_id);
  ASSERT_TRUE(back->migrations);
  EXPECT_EQ(*back->migrations, *req.migrations);
}

TEST(CredentialsRequest, RejectsBadInput) {
  const std::string pk = gs("V7", "recipient_pk_b64");
  const std::string id = "123e4567-e89b-12d3-a456-426614174000";
  const std::vector<json> bad = {
      {{"public_key", pk}},
      {{"challenge_id", "not-a-uuid"}, {"public_key", pk}},
      {{"challenge_id", "123e4567e89b12d3a456426614174000"}, {"public_key", pk}},
      {{"challenge_id", "123e4567-e89b-12d3-a456-42661417400g"}, {"public_key", pk}},
      {{"challenge_id", id}},
      {{"challenge_id", id}, {"public_key", b64enc(Bytes(31, 1))}},
      {{"challenge_id", id}, {"public_key", b64enc(Bytes(33, 1))}},
      {{"challenge_id", id}, {"public_key", pk}, {"migrations", "x"}},
      {{"challenge_id", 5}, {"public_key", pk}},
  };
  for (const auto& b : bad) {
    auto r = parse_credential_request(b.dump());
    ASSERT_FALSE(r) << b.dump();
    EXPECT_EQ(r.error().code, kBadRequest) << b.dump();
  }
  EXPECT_FALSE(parse_credential_request("[]"));
  auto null_migrations = parse_credential_request(json({{"challenge_id", id}, {"public_key", pk}, {"migrations", nullptr}}).dump());
  ASSERT_TRUE(null_migrations);
  EXPECT_FALSE(null_migrations->migrations);
}

// ---- DSN never in an error ----

TEST(CredentialsSecrecy, DsnNeverInAnyErrorText) {
  const std::string marker = "postgresql://SECRET-MARKER-7f3a";
  const std::vector<std::string> plaintexts = {
      "{\"dsn\": \"" + marker + "\", broken",
      "{\"dsn\": \"" + marker + "\", \"dsn\": \"" + marker + "\"}",
      "{\"dsn\": [\"" + marker + "\"]}",
      std::string(marker) + std::string(1, '\0'),
      marker + "\xff",
  };
  for (const auto& pt : plaintexts) {
    CredentialsReply r = run_failing(body(sealed_to_v6(pt)), v6_key());
    EXPECT_EQ(r.body.find("SECRET-MARKER"), std::string::npos);
    EXPECT_EQ(r.code.find("SECRET-MARKER"), std::string::npos);
  }
  SystemRng rng;
  auto x = crypto::x25519_keypair(rng);
  for (const auto& pt : plaintexts) {
    auto enc = encrypt_credentials_with(x.pub, as_bytes(pt), Bytes(32, 9), Bytes(12, 1), AadMode::seed);
    ASSERT_TRUE(enc);
    auto d = decrypt_credentials(build_credential_response(*enc, "c"), x.secret.view(), AadMode::seed);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().message.find("SECRET-MARKER"), std::string::npos);
  }
  EXPECT_EQ(receive_fails(v7_response(gs("V7", "ct_no_aad_b64")).dump(), gh("V7", "recipient_sk")), kTransferAuth);
}

// ---- fault switches of the campaign-only mutants

TEST(CredentialsFaultSwitches, Version16RefusedOnlyByVersion16Refused) {
  pnc::testing::CredentialsFaults f;
  f.version_16_refused = true;
  MemoryDsnSink ok_sink, fault_sink;
  EXPECT_EQ(handle_sealed_credentials(body(gs("V6", "sealed_b64"), "demo", 16), v6_key(), Profile::seed_spec, ok_sink).status, 200);
  const auto r = handle_sealed_credentials(body(gs("V6", "sealed_b64"), "demo", 16), v6_key(), Profile::seed_spec, fault_sink, {}, &f);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(detail_of(r), kDetailMissingFields);
  // 15 still passes the faulted receiver.
  MemoryDsnSink sink15;
  EXPECT_EQ(handle_sealed_credentials(body(gs("V6", "sealed_b64"), "demo", 15), v6_key(), Profile::seed_spec, sink15, {}, &f).status, 200);
}

TEST(CredentialsFaultSwitches, DuplicateDsnAcceptedOnlyByLenientDsnJson) {
  const std::string sealed = sealed_to_v6("{\"dsn\":\"postgresql://a@db/x\",\"dsn\":\"postgresql://b@db/y\"}");
  MemoryDsnSink spec_sink;
  const auto refused = handle_sealed_credentials(body(sealed), v6_key(), Profile::seed_spec, spec_sink);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(detail_of(refused), kDetailInvalid);
  pnc::testing::CredentialsFaults f;
  f.lenient_dsn_json = true;
  MemoryDsnSink sink;
  EXPECT_EQ(handle_sealed_credentials(body(sealed), v6_key(), Profile::seed_spec, sink, {}, &f).status, 200);
  ASSERT_TRUE(sink.value().has_value());
  EXPECT_EQ(pnc::to_string(sink.value()->view()), "postgresql://b@db/y");  // last wins
}

}  // namespace
}  // namespace pnc::credentials
