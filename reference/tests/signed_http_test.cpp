// Signed HTTP requests (PROTOCOL.md §6): golden vectors V4/V5 and every N-SIG case of §12.6 per
// profile. Independent oracles: canonical strings are built here by concatenation, hashed with
// OpenSSL and signed/opened with libsodium directly; expected values come from golden().
#include "pnc/testing/faults.hpp"
#include "pnc/signed_http.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <regex>

#include "support/vectors.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::signed_http {
namespace {

using test::b64;
using test::gh;
using test::gs;
using test::hex;
using test::to_hex;

constexpr std::int64_t kNow = 1700000000;  // §12.6 base case time

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto p = s.find('\n', start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return out;
    start = p + 1;
  }
}

// The six fields of the golden canonical string (test-side split, §6.2).
struct V4Fields {
  std::string method, path, hash, ts, nonce, token;
};
V4Fields v4_fields(const char* key = "canonical") {
  auto f = split_lines(gs("V4", key));
  EXPECT_EQ(f.size(), 6u);
  f.resize(6);
  return {f[0], f[1], f[2], f[3], f[4], f[5]};
}

std::string ossl_sha256_hex(std::string_view data) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
  return to_hex(ByteView(d, sizeof d));
}

std::string ossl_b64(ByteView data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// libsodium Ed25519, independent of pnc::crypto.
struct TestKey {
  Bytes seed, pk;
  explicit TestKey(Bytes s) : seed(std::move(s)), pk(32) {
    Bytes sk(64);
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  }
  std::string pk_b64() const { return ossl_b64(pk); }
  std::string sign_b64(std::string_view msg) const {
    Bytes sk(64), pk2(32), sig(64);
    crypto_sign_seed_keypair(pk2.data(), sk.data(), seed.data());
    crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(msg.data()),
                         msg.size(), sk.data());
    return ossl_b64(sig);
  }
};

std::string test_canonical(std::string_view method, std::string_view path, std::string_view body,
                           std::string_view ts, std::string_view nonce, std::string_view token) {
  return std::string(method) + "\n" + std::string(path) + "\n" + ossl_sha256_hex(body) + "\n" +
         std::string(ts) + "\n" + std::string(nonce) + "\n" + std::string(token);
}

struct Params {
  Profile profile;
  CompatVerifier compat;
  const char* name;
};
const Params kSeed{Profile::seed_spec, CompatVerifier::val_middleware, "seed"};
const Params kHard{Profile::hardened, CompatVerifier::val_middleware, "hardened"};
const Params kVal{Profile::sdk_compat, CompatVerifier::val_middleware, "compat-val"};
const Params kSdk{Profile::sdk_compat, CompatVerifier::sdk_presence_only, "compat-sdk"};

class SignedHttp : public ::testing::Test {
 protected:
  SignedHttp() : key_(gh("V4", "seed")), other_(Bytes(32, 0x42)) {}

  void SetUp() override {
    ASSERT_EQ(sodium_init() >= 0, true);
    f_ = v4_fields();
    add_session(f_.token, key_, kNow + 3600);
  }

  void add_session(const std::string& token, const TestKey& k, std::int64_t expires,
                   std::optional<Bytes> aead = std::nullopt) {
    Session s;
    s.ed_public = k.pk;
    if (aead) s.aead_key = Secret<32>(*aead);
    s.expires_at = expires;
    ASSERT_TRUE(sessions_.add(token, std::move(s), clock_.now()).ok());
  }

  // The golden V4 request, byte for byte.
  HttpRequest base() const {
    HttpRequest r;
    r.method = "POST";
    r.target = f_.path;
    r.body = to_bytes(gs("V4", "body"));
    r.headers = {{"X-Session-Token", f_.token}, {"X-Public-Key", gs("V4", "pk_b64")},
                 {"X-Timestamp", f_.ts},        {"X-Nonce", f_.nonce},
                 {"X-Signature", gs("V4", "sig_b64")}, {"Content-Type", "application/json"}};
    return r;
  }

  // A request with a fresh, valid signature over the given fields (independent signer).
  HttpRequest signed_req(std::string method, std::string target, std::string body, std::string ts,
                         std::string nonce, std::string token, const TestKey* k = nullptr,
                         std::string content_type = "application/json") const {
    if (!k) k = &key_;
    HttpRequest r;
    r.method = method;
    r.target = target;
    std::string_view path = target;
    path = path.substr(0, path.find('?'));
    r.headers = {{"X-Session-Token", token},
                 {"X-Public-Key", k->pk_b64()},
                 {"X-Timestamp", ts},
                 {"X-Nonce", nonce},
                 {"X-Signature", k->sign_b64(test_canonical(method, path, body, ts, nonce, token))},
                 {"Content-Type", content_type}};
    r.body = to_bytes(body);
    return r;
  }
  HttpRequest fresh(std::string nonce, std::string body = "{\"score\":0.5}") const {
    return signed_req("POST", f_.path, body, std::to_string(clock_.now()), nonce, f_.token);
  }

  VerifyResult run(const Params& p, const HttpRequest& r) {
    VerifierOptions o;
    o.profile = p.profile;
    o.compat = p.compat;
    return Verifier(sessions_, clock_, o).verify(r);
  }
  // As run(), against a new table holding only the base session (no nonce seen yet).
  VerifyResult run_fresh(const Params& p, const HttpRequest& r) {
    SessionTable t;
    Session s;
    s.ed_public = key_.pk;
    s.expires_at = kNow + 3600;
    EXPECT_TRUE(t.add(f_.token, std::move(s), kNow).ok());
    VerifierOptions o;
    o.profile = p.profile;
    o.compat = p.compat;
    return Verifier(t, clock_, o).verify(r);
  }
  void expect_fresh(const Params& p, const HttpRequest& r, int status, const char* reason = "") {
    const auto res = run_fresh(p, r);
    EXPECT_EQ(res.status, status) << p.name << " reason=" << res.reason;
    EXPECT_EQ(res.reason, reason) << p.name;
  }
  void expect(const Params& p, const HttpRequest& r, int status, const char* reason = "") {
    const auto res = run(p, r);
    EXPECT_EQ(res.status, status) << p.name << " reason=" << res.reason;
    EXPECT_EQ(res.reason, reason) << p.name;
  }

  FixedClock clock_{kNow};
  SessionTable sessions_;
  TestKey key_, other_;
  V4Fields f_;
};

// ---------------------------------------------------------------- golden vectors

TEST(SignedHttpVectors, V4CanonicalStringByteExact) {
  const auto f = v4_fields();
  EXPECT_EQ(canonical_string(f.method, f.path, to_bytes(gs("V4", "body")), f.ts, f.nonce, f.token),
            gs("V4", "canonical"));
  EXPECT_EQ(f.hash, gs("V4", "body_sha256"));
  const auto e = v4_fields("canonical_empty");
  EXPECT_EQ(e.token, "");
  EXPECT_EQ(canonical_string(e.method, e.path, {}, e.ts, e.nonce, ""), gs("V4", "canonical_empty"));
}

TEST(SignedHttpVectors, V4SignerHeadersByteExact) {
  const auto f = v4_fields();
  FixedClock clock(kNow);
  DeterministicRng rng(1);
  Signer signer(gh("V4", "seed"), f.token, std::nullopt, clock, rng);
  EXPECT_EQ(to_hex(signer.public_key()), gs("V4", "pk"));
  auto r = signer.sign_body(f.method, f.path, to_bytes(gs("V4", "body")), kContentTypeJson, f.ts,
                            f.nonce);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("x-signature").value_or(""), gs("V4", "sig_b64"));
  EXPECT_EQ(r->header("X-Public-Key").value_or(""), gs("V4", "pk_b64"));
  EXPECT_EQ(r->header("X-Timestamp").value_or(""), f.ts);
  EXPECT_EQ(r->header("X-Nonce").value_or(""), f.nonce);
  EXPECT_EQ(r->header("X-Session-Token").value_or(""), f.token);
  EXPECT_EQ(r->header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(to_string(r->body), gs("V4", "body"));
}

TEST(SignedHttpVectors, V4EmptyBodyEmptyTokenSignature) {
  const auto e = v4_fields("canonical_empty");
  FixedClock clock(kNow);
  DeterministicRng rng(1);
  Signer signer(gh("V4", "seed"), "", std::nullopt, clock, rng);
  auto r = signer.sign_body(e.method, e.path, {}, kContentTypeJson, e.ts, e.nonce);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("X-Signature").value_or(""), gs("V4", "sig_empty_b64"));
  EXPECT_EQ(r->header("X-Session-Token").value_or("?"), "");
}

TEST(SignedHttpVectors, V4SPlusLDiffersOnlyInS) {
  const auto good = b64(gs("V4", "sig_b64"));
  const auto bad = b64(gs("V4", "sig_s_plus_l_b64"));
  ASSERT_EQ(good.size(), 64u);
  ASSERT_EQ(bad.size(), 64u);
  EXPECT_TRUE(std::equal(good.begin(), good.begin() + 32, bad.begin()));
  EXPECT_NE(good, bad);
}

TEST(SignedHttpVectors, V5BothConstructions) {
  const auto key = gh("V5", "key");
  const auto nonce = gh("V5", "nonce");
  const auto pt = to_bytes(gs("V5", "plaintext"));
  for (auto [cipher, ct_key] : {std::pair{BodyCipher::ietf, "ietf_ct"},
                                std::pair{BodyCipher::sdk_xchacha, "sdk_xchacha_ct"}}) {
    auto env = encrypt_body_with_nonce(key, nonce, pt, cipher);
    ASSERT_TRUE(env.ok());
    const auto j = nlohmann::json::parse(*env);
    EXPECT_EQ(j.at("enc"), "chacha20poly1305");  // D-12: same label for both
    EXPECT_EQ(b64(j.at("nonce").get<std::string>()), nonce);
    EXPECT_EQ(to_hex(b64(j.at("ciphertext").get<std::string>())), gs("V5", ct_key));
    auto back = decrypt_body(key, *env, cipher);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, pt);
  }
  // The two constructions cannot open each other's output (VAL cannot read SDK bodies).
  auto sdk_env = encrypt_body_with_nonce(key, nonce, pt, BodyCipher::sdk_xchacha);
  ASSERT_TRUE(sdk_env.ok());
  auto cross = decrypt_body(key, *sdk_env, BodyCipher::ietf);
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.error().code, errc::kDecryptFailed);
}

TEST(SignedHttpVectors, V5HChaChaIdentityWithLibsodium) {
  const auto key = gh("V5", "key");
  Bytes n16 = gh("V5", "nonce");
  n16.resize(16, 0);  // n12 || 0^4
  Bytes subkey(32);
  crypto_core_hchacha20(subkey.data(), n16.data(), key.data(), nullptr);
  EXPECT_EQ(to_hex(subkey), gs("V5", "hchacha_subkey"));
  const auto pt = gs("V5", "plaintext");
  Bytes ct(pt.size() + 16);
  unsigned long long len = 0;
  const Bytes zero12(12, 0);
  crypto_aead_chacha20poly1305_ietf_encrypt(ct.data(), &len,
                                            reinterpret_cast<const unsigned char*>(pt.data()),
                                            pt.size(), nullptr, 0, nullptr, zero12.data(), subkey.data());
  EXPECT_EQ(to_hex(ct), gs("V5", "sdk_xchacha_ct"));
}

TEST(SignedHttpEnvelope, ParseErrors) {
  const auto key = gh("V5", "key");
  const std::string n = ossl_b64(gh("V5", "nonce"));
  const std::string c = ossl_b64(gh("V5", "ietf_ct"));
  auto code = [&](const std::string& body) {
    auto r = decrypt_body(key, body, BodyCipher::ietf);
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(code(R"({"enc":"chacha20poly1305","nonce":")" + n + R"(","ciphertext":")" + c + "\"}"), "ok");
  EXPECT_EQ(code(R"({"enc":"xchacha20poly1305","nonce":")" + n + R"(","ciphertext":")" + c + "\"}"),
            errc::kUnsupportedEnc);
  EXPECT_EQ(code(R"({"enc":"chacha20poly1305","nonce":"AAAA","ciphertext":")" + c + "\"}"),
            errc::kBadEnvelope);  // 3-byte nonce
  EXPECT_EQ(code(R"({"enc":"chacha20poly1305","nonce":")" + n + R"(","ciphertext":"AAAA"})"),
            errc::kBadEnvelope);  // shorter than a tag
  EXPECT_EQ(code(R"({"enc":"chacha20poly1305","nonce":")" + n + "\"}"), errc::kBadEnvelope);
  EXPECT_EQ(code(R"({"enc":"chacha20poly1305","nonce":1,"ciphertext":")" + c + "\"}"), errc::kBadEnvelope);
  EXPECT_EQ(code("[]"), errc::kBadEnvelope);
  EXPECT_EQ(code("not json"), errc::kBadEnvelope);
  EXPECT_EQ(code(""), errc::kBadEnvelope);
}

TEST(SignedHttpBody, FalsyJsonFollowsPythonTruthiness) {
  for (const char* falsy : {"null", "false", "0", "0.0", "\"\"", "[]", "{}", " {} "})
    EXPECT_TRUE(is_falsy_json(falsy)) << falsy;
  for (const char* truthy : {"true", "1", "-1", "0.5", "\"0\"", "[0]", "{\"a\":null}", "[[]]", "nope"})
    EXPECT_FALSE(is_falsy_json(truthy)) << truthy;
}

// ---------------------------------------------------------------- request helpers

TEST(SignedHttpRequest, HeadersAreCaseInsensitiveAndPathDropsQuery) {
  HttpRequest r;
  r.target = "/a/b?x=1#f";
  r.headers = {{"x-nonce", "1"}, {"X-NONCE", "2"}};
  EXPECT_EQ(r.header("X-Nonce").value_or(""), "1");
  EXPECT_EQ(r.header_count("X-Nonce"), 2u);
  r.set_header("X-Nonce", "3");
  EXPECT_EQ(r.header_count("x-nonce"), 1u);
  EXPECT_EQ(r.header("X-Nonce").value_or(""), "3");
  EXPECT_FALSE(r.header("X-Other").has_value());
  EXPECT_EQ(r.path(), "/a/b");
  r.target = "/p%2Fq#frag";
  EXPECT_EQ(r.path(), "/p%2Fq");
}

// ---------------------------------------------------------------- base case

TEST_F(SignedHttp, GoldenRequestAcceptedEveryProfile) {
  for (const auto& p : {kSeed, kHard, kVal, kSdk}) {
    SessionTable fresh_table;  // each profile needs an unused nonce
    Session s;
    s.ed_public = key_.pk;
    s.expires_at = kNow + 3600;
    ASSERT_TRUE(fresh_table.add(f_.token, s, kNow).ok());
    VerifierOptions o;
    o.profile = p.profile;
    o.compat = p.compat;
    const auto r = Verifier(fresh_table, clock_, o).verify(base());
    EXPECT_EQ(r.status, 200) << p.name << " " << r.reason;
    EXPECT_EQ(to_string(r.body), gs("V4", "body")) << p.name;
    EXPECT_FALSE(r.decrypted);
  }
}

TEST_F(SignedHttp, LowerCaseHeaderNamesAccepted) {
  auto r = base();
  for (auto& h : r.headers)
    std::transform(h.first.begin(), h.first.end(), h.first.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  expect(kSeed, r, 200);
}

// ---------------------------------------------------------------- N-SIG-01..21

TEST_F(SignedHttp, NSig01EachHeaderMissing) {
  for (const char* h : {"X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature"}) {
    auto r = base();
    r.remove_header(h);
    for (const auto& p : {kSeed, kHard, kVal, kSdk}) expect(p, r, 401, errc::kMissingHeader);
  }
}

TEST_F(SignedHttp, NSig01EmptyHeaderValues) {
  for (const char* h : {"X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature"}) {
    auto r = base();
    r.set_header(h, "");
    expect(kSeed, r, 401, errc::kMissingHeader);
    expect(kSdk, r, 401, errc::kMissingHeader);
  }
}

TEST_F(SignedHttp, DuplicateSignedHeaderRejectedStrict) {
  auto r = base();
  r.headers.emplace_back("x-nonce", "another-nonce-value-123");
  expect(kSeed, r, 401, errc::kDuplicateHeader);
  expect(kVal, r, 200);  // first value wins upstream
}

TEST_F(SignedHttp, NSig02OutsideSkewWindow) {
  for (std::int64_t d : {-121, 121}) {
    const auto r = signed_req("POST", f_.path, "{}", std::to_string(kNow + d), "nonce-skew-" + std::to_string(d + 1000) + "xyz", f_.token);
    expect(kSeed, r, 401, errc::kTimestampSkew);
    expect(kHard, r, 401, errc::kTimestampSkew);
    expect(kVal, r, 401, errc::kTimestampSkew);
    expect(kSdk, r, 200);  // D-14: no timestamp check
  }
}

TEST_F(SignedHttp, NSig03SkewBoundaryAccepted) {
  int i = 0;
  for (std::int64_t d : {-120, 120}) {
    for (const auto& p : {kSeed, kVal}) {
      const auto r = signed_req("POST", f_.path, "{}", std::to_string(kNow + d),
                                "nonce-boundary-" + std::to_string(i++) + "-abcdef", f_.token);
      expect(p, r, 200);
    }
  }
}

TEST_F(SignedHttp, NSig04NonCanonicalTimestamps) {
  // The golden signature covers "1700000000"; each header variant is sent with it.
  const std::vector<std::string> bad = {"+1700000000", "1700000000.0", "-1", " 1700000000",
                                        "01700000000", "18446744073709551616"};
  for (const auto& ts : bad) {
    auto r = base();
    r.set_header("X-Timestamp", ts);
    expect(kSeed, r, 401, errc::kBadTimestamp);
    expect(kHard, r, 401, errc::kBadTimestamp);
  }
  auto empty = base();
  empty.set_header("X-Timestamp", "");
  expect(kSeed, empty, 401, errc::kMissingHeader);
  expect(kVal, empty, 401, errc::kBadTimestamp);
  // Above 2^53 (strict) is rejected even if otherwise well-formed.
  auto big = base();
  big.set_header("X-Timestamp", "9007199254740993");
  expect(kSeed, big, 401, errc::kBadTimestamp);
  // VAL parses u64 and re-formats (§6.2 quirk): the first two accepted by the golden signature.
  for (const auto& [ts, status] : std::vector<std::pair<std::string, int>>{
           {"1700000000.0", 401}, {"-1", 401}, {" 1700000000", 401}, {"18446744073709551616", 401}}) {
    auto r = base();
    r.set_header("X-Timestamp", ts);
    expect(kVal, r, status, errc::kBadTimestamp);
  }
  {
    auto r = base();
    r.set_header("X-Timestamp", "+1700000000");
    expect(kVal, r, 200);
  }
  {
    auto r = base();
    r.set_header("X-Timestamp", "01700000000");
    expect_fresh(kVal, r, 200);
  }
}

TEST_F(SignedHttp, NSig05Replay) {
  for (const auto& p : {kSeed, kVal}) {
    SessionTable t;
    Session s;
    s.ed_public = key_.pk;
    s.expires_at = kNow + 3600;
    ASSERT_TRUE(t.add(f_.token, s, kNow).ok());
    VerifierOptions o;
    o.profile = p.profile;
    o.compat = p.compat;
    Verifier v(t, clock_, o);
    EXPECT_EQ(v.verify(base()).status, 200) << p.name;
    const auto second = v.verify(base());
    EXPECT_EQ(second.status, 401) << p.name;
    EXPECT_EQ(second.reason, errc::kReplayedNonce) << p.name;
  }
  expect(kSdk, base(), 200);
  expect(kSdk, base(), 200);  // COMPAT SDK verifier accepts the replay (quirk)
}

TEST_F(SignedHttp, NSig05ReplayStillDetectedLateInRetention) {
  expect(kSeed, base(), 200);
  clock_.advance(120);  // last second the golden timestamp is fresh
  expect(kSeed, base(), 401, errc::kReplayedNonce);
}

TEST_F(SignedHttp, NSig06SameNonceDifferentBody) {
  expect(kSeed, base(), 200);
  expect(kSeed, fresh(f_.nonce, "{\"score\":0.9}"), 401, errc::kReplayedNonce);
  expect(kVal, fresh(f_.nonce, "{\"score\":0.8}"), 401, errc::kReplayedNonce);
}

TEST_F(SignedHttp, NSig07SameNonceOtherSession) {
  add_session("session_other", other_, kNow + 3600);
  expect(kSeed, base(), 200);
  const auto r = signed_req("POST", f_.path, "{}", f_.ts, f_.nonce, "session_other", &other_);
  expect(kSeed, r, 200);
}

TEST_F(SignedHttp, NSig08And09BodyChanged) {
  for (const char* body : {"{\"score\":0.6}", "{\"score\": 0.5}"}) {
    auto r = base();
    r.body = to_bytes(body);
    for (const auto& p : {kSeed, kHard, kVal}) expect_fresh(p, r, 401, errc::kBadSignature);
    expect(kSdk, r, 200);
  }
}

TEST_F(SignedHttp, NSig10MethodChanged) {
  auto wire = base();
  wire.method = "PUT";
  expect(kSeed, wire, 401, errc::kBadSignature);
  expect(kVal, wire, 401, errc::kBadSignature);
  // Signed as PUT, sent as POST.
  auto canon = signed_req("PUT", f_.path, gs("V4", "body"), f_.ts, "nonce-method-put-0001", f_.token);
  canon.method = "POST";
  expect(kSeed, canon, 401, errc::kBadSignature);
}

TEST_F(SignedHttp, NSig11PathChanged) {
  for (const char* target : {"/results/submit/", "/Results/submit", "/results%2Fsubmit",
                             "/api/results/submit"}) {
    auto r = base();
    r.target = target;
    expect(kSeed, r, 401, errc::kBadSignature);
  }
  auto q = base();
  q.target = f_.path + "?a=1";  // the query is not signed
  expect(kSeed, q, 200);
}

TEST_F(SignedHttp, NSig12CanonicalVariantsRejected) {
  const std::string body = gs("V4", "body");
  const std::string h = ossl_sha256_hex(body);
  std::string h_upper = h;
  for (auto& c : h_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  unsigned char raw[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), raw);
  const std::string h_b64 = ossl_b64(ByteView(raw, sizeof raw));
  const auto& f = f_;
  const std::vector<std::string> variants = {
      f.method + "\r\n" + f.path + "\r\n" + h + "\r\n" + f.ts + "\r\n" + f.nonce + "\r\n" + f.token,
      test_canonical(f.method, f.path, body, f.ts, f.nonce, f.token) + "\n",
      f.method + "\n" + f.path + "\n" + h + "\n" + f.ts + "\n" + f.nonce,
      f.method + f.path + h + f.ts + f.nonce + f.token,
      f.method + "\n" + f.path + "\n" + h_upper + "\n" + f.ts + "\n" + f.nonce + "\n" + f.token,
      f.method + "\n" + f.path + "\n" + h_b64 + "\n" + f.ts + "\n" + f.nonce + "\n" + f.token,
  };
  for (const auto& v : variants) {
    auto r = base();
    r.set_header("X-Signature", key_.sign_b64(v));
    expect(kSeed, r, 401, errc::kBadSignature);
    expect_fresh(kVal, r, 401, errc::kBadSignature);
  }
}

TEST_F(SignedHttp, NSig13TokenOfAnotherSession) {
  add_session("session_other", other_, kNow + 3600);
  const auto r = signed_req("POST", f_.path, "{}", f_.ts, "nonce-other-session-01", "session_other");
  expect(kSeed, r, 401, errc::kKeyMismatch);
  expect(kVal, r, 401, errc::kKeyMismatch);
}

TEST_F(SignedHttp, NSig14PublicKeyNotTheSessionKey) {
  const auto r = signed_req("POST", f_.path, "{}", f_.ts, "nonce-wrong-key-00001", f_.token, &other_);
  expect(kSeed, r, 401, errc::kKeyMismatch);
  expect(kHard, r, 401, errc::kKeyMismatch);
  expect(kVal, r, 401, errc::kKeyMismatch);
}

TEST_F(SignedHttp, NSig15ExpiredSession) {
  add_session("session_expiring", key_, kNow);  // now >= expires_at
  const auto r = signed_req("POST", f_.path, "{}", f_.ts, "nonce-expired-0000001", "session_expiring");
  expect(kSeed, r, 401, errc::kSessionExpired);
  expect(kVal, r, 401, errc::kSessionExpired);
  add_session("session_live", key_, kNow + 1);  // one second left
  expect(kSeed, signed_req("POST", f_.path, "{}", f_.ts, "nonce-live-0000000001", "session_live"), 200);
}

TEST_F(SignedHttp, UnknownSession) {
  const auto r = signed_req("POST", f_.path, "{}", f_.ts, "nonce-unknown-000001", "session_nope");
  expect(kSeed, r, 401, errc::kUnknownSession);
  expect(kVal, r, 401, errc::kUnknownSession);
}

TEST_F(SignedHttp, NSig16SPlusL) {
  auto r = base();
  r.set_header("X-Signature", gs("V4", "sig_s_plus_l_b64"));
  for (const auto& p : {kSeed, kHard, kVal}) expect(p, r, 401, errc::kBadSignature);
}

TEST_F(SignedHttp, NSig17SignatureEncodings) {
  const auto sig = b64(gs("V4", "sig_b64"));
  std::string url = gs("V4", "sig_b64");
  for (auto& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
  std::string url_nopad = url;
  while (!url_nopad.empty() && url_nopad.back() == '=') url_nopad.pop_back();
  for (const auto& enc : {to_hex(sig), url, url_nopad}) {
    auto r = base();
    r.set_header("X-Signature", enc);
    expect(kSeed, r, 401, errc::kBadSignatureEncoding);
    expect_fresh(kVal, r, 401, errc::kBadSignatureEncoding);
  }
}

TEST_F(SignedHttp, BadPublicKeyEncoding) {
  for (const std::string& pk : {to_hex(key_.pk), std::string("AAAA"), ossl_b64(Bytes(33, 1))}) {
    auto r = base();
    r.set_header("X-Public-Key", pk);
    expect(kSeed, r, 401, errc::kBadPublicKey);
  }
}

TEST_F(SignedHttp, NSig18BadSignatureDoesNotBurnNonceInSeed) {
  auto bad = base();
  bad.set_header("X-Signature", gs("V4", "sig_s_plus_l_b64"));
  expect(kSeed, bad, 401, errc::kBadSignature);
  expect(kSeed, base(), 200);  // [SEED] nonce only recorded after success
}

TEST_F(SignedHttp, NSig18ValBurnsNonceOnBadSignature) {
  auto bad = base();
  bad.set_header("X-Signature", gs("V4", "sig_s_plus_l_b64"));
  expect(kVal, bad, 401, errc::kBadSignature);
  expect(kVal, base(), 401, errc::kReplayedNonce);  // D-15
}

TEST_F(SignedHttp, NSig19EncryptedBodies) {
  const auto key = gh("V5", "key");
  add_session("session_aead", key_, kNow + 3600, key);
  const std::string n = ossl_b64(gh("V5", "nonce"));
  auto env = [&](const char* enc, const Bytes& ct) {
    return std::string(R"({"enc":")") + enc + R"(","nonce":")" + n + R"(","ciphertext":")" +
           ossl_b64(ct) + "\"}";
  };
  int i = 0;
  auto req = [&](const std::string& body, const char* ct = "application/x-encrypted+json") {
    return signed_req("POST", f_.path, body, f_.ts, "nonce-enc-case-" + std::to_string(i++) + "-xyz",
                      "session_aead", nullptr, ct);
  };
  // Valid IETF envelope: decrypted plaintext handed on (seed and VAL).
  for (const auto& p : {kSeed, kVal}) {
    const auto r = run(p, req(env("chacha20poly1305", gh("V5", "ietf_ct"))));
    EXPECT_EQ(r.status, 200) << p.name << r.reason;
    EXPECT_TRUE(r.decrypted);
    EXPECT_EQ(to_string(r.body), gs("V5", "plaintext"));
  }
  // SDK XChaCha quirk body and a tampered tag: 400.
  Bytes tampered = gh("V5", "ietf_ct");
  tampered.back() ^= 1;
  for (const auto& ct : {gh("V5", "sdk_xchacha_ct"), tampered}) {
    expect(kSeed, req(env("chacha20poly1305", ct)), 400, errc::kDecryptFailed);
    expect(kVal, req(env("chacha20poly1305", ct)), 400, errc::kDecryptFailed);
  }
  // xchacha label: seed refuses, VAL decrypts it as IETF anyway.
  expect(kSeed, req(env("xchacha20poly1305", gh("V5", "ietf_ct"))), 400, errc::kUnsupportedEnc);
  expect(kVal, req(env("xchacha20poly1305", gh("V5", "ietf_ct"))), 200);
  // Not an envelope: seed 400 when labelled encrypted; VAL passes it through.
  expect(kSeed, req("{\"score\":0.5}"), 400, errc::kBadEnvelope);
  {
    const auto r = run(kVal, req("{\"score\":0.5}"));
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.decrypted);
  }
  // Content-Type parameters and case are tolerated.
  expect(kSeed, req(env("chacha20poly1305", gh("V5", "ietf_ct")), "Application/X-Encrypted+JSON; charset=utf-8"), 200);
  // Encrypted body to a session without a key.
  expect(kSeed, signed_req("POST", f_.path, env("chacha20poly1305", gh("V5", "ietf_ct")), f_.ts,
                           "nonce-enc-nokey-00001", f_.token, nullptr, "application/x-encrypted+json"),
         400, errc::kNoSessionKey);
  // Plain Content-Type: the envelope is treated as plaintext (§6.5).
  {
    const auto body = env("chacha20poly1305", gh("V5", "ietf_ct"));
    const auto r = run(kSeed, req(body, "application/json"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(to_string(r.body), body);
  }
}

TEST_F(SignedHttp, NSig20BodyLimit) {
  std::string big(kMaxBodyBytes + 1, 'a');
  auto over = signed_req("POST", f_.path, big, f_.ts, "nonce-big-body-000001", f_.token);
  for (const auto& p : {kSeed, kVal, kSdk}) expect(p, over, 413, errc::kBodyTooLarge);
  big.pop_back();
  expect(kSeed, signed_req("POST", f_.path, big, f_.ts, "nonce-max-body-000001", f_.token), 200);
}

TEST_F(SignedHttp, NSig20LimitCheckedBeforeSession) {
  auto r = base();
  r.body.assign(kMaxBodyBytes + 1, 'x');
  r.set_header("X-Session-Token", "session_unknown");
  expect(kSeed, r, 413, errc::kBodyTooLarge);  // V3 precedes V4 and any crypto
}

TEST_F(SignedHttp, NSig21NonceSyntax) {
  const std::vector<std::pair<std::string, const char*>> cases = {
      {std::string(15, 'a'), errc::kBadNonce},
      {std::string(129, 'a'), errc::kBadNonce},
      {"nonce-with-newline\nabc", errc::kNonAsciiHeader},
      {"nonce-with-\xc3\xa9-accent", errc::kNonAsciiHeader},
      {"nonce with spaces here", errc::kBadNonce},
  };
  for (const auto& [nonce, reason] : cases) {
    const auto r = signed_req("POST", f_.path, "{}", f_.ts, nonce, f_.token);
    expect(kSeed, r, 401, reason);
    expect(kHard, r, 401, reason);
  }
  // Boundaries 16 and 128 are fine.
  expect(kSeed, signed_req("POST", f_.path, "{}", f_.ts, std::string(16, 'b'), f_.token), 200);
  expect(kSeed, signed_req("POST", f_.path, "{}", f_.ts, std::string(128, 'c'), f_.token), 200);
  // VAL accepts any nonce, even empty (quirk); the SDK needs it non-empty.
  expect(kVal, signed_req("POST", f_.path, "{}", f_.ts, std::string(15, 'd'), f_.token), 200);
  const auto empty = signed_req("POST", f_.path, "{}", f_.ts, "", f_.token);
  expect(kVal, empty, 200);
  expect(kSdk, empty, 401, errc::kMissingHeader);
}

TEST_F(SignedHttp, SdkDevModeChecksNothing) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/sdk/weights";
  r.body = to_bytes("{\"jobs\":[]}");
  VerifierOptions o;
  o.profile = Profile::sdk_compat;
  o.compat = CompatVerifier::sdk_presence_only;
  EXPECT_EQ(Verifier(sessions_, clock_, o).verify(r).status, 401);
  o.sdk_dev_mode = true;
  EXPECT_EQ(Verifier(sessions_, clock_, o).verify(r).status, 200);
}

TEST_F(SignedHttp, SessionTokenTooLong) {
  const std::string token(kMaxSessionTokenChars + 1, 't');
  const auto r = signed_req("POST", f_.path, "{}", f_.ts, "nonce-long-token-0001", token);
  expect(kSeed, r, 401, errc::kBadSessionToken);
}

// ---------------------------------------------------------------- nonce cache bound

TEST(SignedHttpNonceCache, RefusesWhenFullAndKeepsEntries600s) {
  NonceCache c(3, 600);
  EXPECT_EQ(c.check_and_insert("a", 1000), NonceCache::Insert::inserted);
  EXPECT_EQ(c.check_and_insert("b", 1000), NonceCache::Insert::inserted);
  EXPECT_EQ(c.check_and_insert("c", 1100), NonceCache::Insert::inserted);
  EXPECT_EQ(c.check_and_insert("d", 1100), NonceCache::Insert::full);
  EXPECT_EQ(c.check_and_insert("a", 1100), NonceCache::Insert::replayed);  // detected even when full
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.check_and_insert("d", 1600), NonceCache::Insert::full);  // a, b are exactly 600 s old
  EXPECT_EQ(c.check_and_insert("a", 1600), NonceCache::Insert::replayed);
  EXPECT_EQ(c.check_and_insert("d", 1601), NonceCache::Insert::inserted);  // a, b purged
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.check_and_insert("a", 1601), NonceCache::Insert::inserted);
  EXPECT_EQ(c.check_and_insert("c", 1700), NonceCache::Insert::replayed);  // c kept (600 s)
  EXPECT_EQ(c.check_and_insert("e", 1701), NonceCache::Insert::inserted);  // c purged now
}

TEST(SignedHttpNonceCache, ClockGoingBackwardsNeverDropsEntries) {
  NonceCache c(10, 600);
  EXPECT_EQ(c.check_and_insert("a", 5000), NonceCache::Insert::inserted);
  EXPECT_EQ(c.check_and_insert("a", 100), NonceCache::Insert::replayed);
  EXPECT_EQ(c.check_and_insert("a", std::numeric_limits<std::int64_t>::min()),
            NonceCache::Insert::replayed);
}

TEST_F(SignedHttp, VerifierRefusesNewNoncesWhenSessionCacheFull) {
  SessionTable t(16, 2);
  Session s;
  s.ed_public = key_.pk;
  s.expires_at = kNow + 3600;
  ASSERT_TRUE(t.add(f_.token, s, kNow).ok());
  Verifier v(t, clock_);
  EXPECT_EQ(v.verify(fresh("nonce-cap-000000000001")).status, 200);
  EXPECT_EQ(v.verify(fresh("nonce-cap-000000000002")).status, 200);
  const auto full = v.verify(fresh("nonce-cap-000000000003"));
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.reason, errc::kNonceCacheFull);
  EXPECT_EQ(v.verify(fresh("nonce-cap-000000000001")).reason, errc::kReplayedNonce);
  clock_.advance(601);
  EXPECT_EQ(v.verify(fresh("nonce-cap-000000000003")).status, 200);
}

TEST(SignedHttpSessionTable, DuplicateFullAndPurge) {
  SessionTable t(2, 4);
  Session s;
  s.ed_public = Bytes(32, 1);
  s.expires_at = 100;
  ASSERT_TRUE(t.add("a", s, 0).ok());
  auto dup = t.add("a", s, 0);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, errc::kSessionExists);
  s.expires_at = 200;
  ASSERT_TRUE(t.add("b", s, 0).ok());
  auto full = t.add("c", s, 50);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, errc::kSessionTableFull);
  EXPECT_TRUE(t.add("c", s, 100).ok());  // "a" expired at 100 and was purged
  EXPECT_FALSE(t.find("a").has_value());
  EXPECT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.remove("c"));
  EXPECT_FALSE(t.remove("c"));
  EXPECT_EQ(t.check_and_insert_nonce("zzz", "n", 0), NonceCache::Insert::replayed);
}

// ---------------------------------------------------------------- signer

const std::regex kUuidV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

TEST_F(SignedHttp, SignerPlainRoundTripAndIndependentCheck) {
  DeterministicRng rng(7);
  Signer signer(key_.seed, f_.token, std::nullopt, clock_, rng);
  auto r = signer.sign("POST", "/results/submit", "{\"score\":0.5}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("X-Timestamp").value_or(""), std::to_string(kNow));
  const std::string nonce(r->header("X-Nonce").value_or(""));
  EXPECT_TRUE(std::regex_match(nonce, kUuidV4)) << nonce;
  EXPECT_EQ(r->header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(to_string(r->body), "{\"score\":0.5}");
  // Verify with libsodium over a test-built canonical string.
  const auto canon = test_canonical("POST", "/results/submit", "{\"score\":0.5}",
                                    std::to_string(kNow), nonce, f_.token);
  const auto sig = b64(std::string(r->header("X-Signature").value_or("")));
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_EQ(crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(canon.data()),
                                        canon.size(), key_.pk.data()),
            0);
  expect(kSeed, *r, 200);
  // Two signatures never share a nonce.
  auto r2 = signer.sign("POST", "/results/submit", "{\"score\":0.5}");
  ASSERT_TRUE(r2.ok());
  EXPECT_NE(r2->header("X-Nonce"), r->header("X-Nonce"));
  expect(kSeed, *r2, 200);
}

TEST_F(SignedHttp, SignerSeedEncryptedIsIetfAndVerifies) {
  const auto key = gh("V1", "key");
  add_session("session_enc", key_, kNow + 3600, key);
  DeterministicRng rng(8);
  Signer signer(key_.seed, "session_enc", Secret<32>(key), clock_, rng);
  auto r = signer.sign("POST", "/results/submit", "{\"score\":0.5}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->header("Content-Type").value_or(""), "application/x-encrypted+json");
  const auto j = nlohmann::json::parse(to_string(r->body));
  EXPECT_EQ(j.at("enc"), "chacha20poly1305");
  const auto n = b64(j.at("nonce").get<std::string>());
  const auto c = b64(j.at("ciphertext").get<std::string>());
  ASSERT_EQ(n.size(), 12u);
  Bytes pt(c.size());
  unsigned long long len = 0;
  ASSERT_EQ(crypto_aead_chacha20poly1305_ietf_decrypt(pt.data(), &len, nullptr, c.data(), c.size(),
                                                      nullptr, 0, n.data(), key.data()),
            0);
  pt.resize(static_cast<std::size_t>(len));
  EXPECT_EQ(to_string(pt), "{\"score\":0.5}");
  const auto v = run(kSeed, *r);
  EXPECT_EQ(v.status, 200) << v.reason;
  EXPECT_TRUE(v.decrypted);
  EXPECT_EQ(to_string(v.body), "{\"score\":0.5}");
}

TEST_F(SignedHttp, SignerCompatEncryptedIsXChachaQuirk) {
  const auto key = gh("V1", "key");
  add_session("session_enc", key_, kNow + 3600, key);
  DeterministicRng rng(9);
  Signer signer(key_.seed, "session_enc", Secret<32>(key), clock_, rng,
                SignerOptions{Profile::sdk_compat, std::nullopt});
  auto r = signer.sign("POST", "/results/submit", "{\"score\":0.5}");
  ASSERT_TRUE(r.ok());
  const auto j = nlohmann::json::parse(to_string(r->body));
  EXPECT_EQ(j.at("enc"), "chacha20poly1305");  // mislabelled (D-12)
  Bytes n24 = b64(j.at("nonce").get<std::string>());
  ASSERT_EQ(n24.size(), 12u);
  n24.resize(24, 0);
  const auto c = b64(j.at("ciphertext").get<std::string>());
  Bytes pt(c.size());
  unsigned long long len = 0;
  ASSERT_EQ(crypto_aead_xchacha20poly1305_ietf_decrypt(pt.data(), &len, nullptr, c.data(), c.size(),
                                                       nullptr, 0, n24.data(), key.data()),
            0);
  pt.resize(static_cast<std::size_t>(len));
  EXPECT_EQ(to_string(pt), "{\"score\":0.5}");
  expect(kVal, *r, 400, errc::kDecryptFailed);  // VAL cannot read SDK bodies
}

TEST_F(SignedHttp, SignerFalsyPayloadQuirk) {
  DeterministicRng rng(10);
  Signer compat(key_.seed, f_.token, std::nullopt, clock_, rng, SignerOptions{Profile::sdk_compat, {}});
  Signer seed(key_.seed, f_.token, std::nullopt, clock_, rng);
  for (const char* falsy : {"{}", "[]", "0", "\"\"", "null"}) {
    auto c = compat.sign("POST", "/cvm/heartbeat", falsy);
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->body.empty()) << falsy;
    EXPECT_EQ(c->header("Content-Type").value_or(""), "application/json");
    auto s = seed.sign("POST", "/cvm/heartbeat", falsy);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(to_string(s->body), falsy);  // D-18 [SEED]: sent as given
  }
  // With a key, the empty plaintext is still encrypted: ciphertext = the 16-byte tag alone.
  Signer keyed(key_.seed, f_.token, Secret<32>(gh("V1", "key")), clock_, rng,
               SignerOptions{Profile::sdk_compat, {}});
  auto k = keyed.sign("POST", "/cvm/heartbeat", "{}");
  ASSERT_TRUE(k.ok());
  const auto j = nlohmann::json::parse(to_string(k->body));
  EXPECT_EQ(b64(j.at("ciphertext").get<std::string>()).size(), 16u);
}

TEST_F(SignedHttp, SignerRejectsBadInput) {
  DeterministicRng rng(11);
  Signer signer(key_.seed, f_.token, std::nullopt, clock_, rng);
  auto bad = signer.sign("POST", "/x", "{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, errc::kBadPayload);
  auto dup = signer.sign("POST", "/x", R"({"a":1,"a":2})");  // strict JSON: duplicates
  ASSERT_FALSE(dup.ok());
  auto target = signer.sign("POST", "results", "{}");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.error().code, errc::kBadRequestLine);
}

// ---- fault switches of the campaign-only mutants: the spec's verifier refuses, the faulted accepts

TEST_F(SignedHttp, FaultNonceBase64CharsetAcceptsPlusSlashEquals) {
  const HttpRequest r = fresh("0123456789abcdef+/=");
  expect_fresh(kSeed, r, 401, errc::kBadNonce);
  pnc::testing::SignedHttpFaults f;
  f.nonce_base64_charset = true;
  VerifierOptions o;
  o.faults = &f;
  EXPECT_EQ(Verifier(sessions_, clock_, o).verify(r).status, 200);
}

TEST_F(SignedHttp, FaultLenientPublicKeyIgnoresTextAfterThePadding) {
  HttpRequest r = fresh("0123456789abcdef-lenient");
  r.set_header("X-Public-Key", key_.pk_b64() + "A");  // not signed: no re-signing needed
  expect_fresh(kSeed, r, 401, errc::kBadPublicKey);
  pnc::testing::SignedHttpFaults f;
  f.lenient_public_key_b64 = true;
  VerifierOptions o;
  o.faults = &f;
  EXPECT_EQ(Verifier(sessions_, clock_, o).verify(r).status, 200);
}

}  // namespace
}  // namespace pnc::signed_http
