// MinerToken (PROTOCOL.md §7): vector V9 byte-exact, §7.2 verification with every N-TOK case of
// §12.7 and its specific reason code, the jti replay cache, and the §7.4 identity table per
// profile. Mutated tokens are built and signed test-side with OpenSSL, never with the code
// under test; expected values come from the spec or golden().
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <string>

#include "pnc/testing/faults.hpp"
#include "pnc/miner_token.hpp"
#include "support/vectors.hpp"

namespace pnc::miner_token {
namespace {

using nlohmann::json;
using test::b64;
using test::gh;
using test::gs;

constexpr std::int64_t kNow = 1700000100;  // §12.7 base-case verifier time

// ---- Test-side token construction (OpenSSL) ----

std::string b64url(ByteView data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

Bytes b64url_dec(std::string s) {
  std::replace(s.begin(), s.end(), '-', '+');
  std::replace(s.begin(), s.end(), '_', '/');
  while (s.size() % 4) s.push_back('=');
  return b64(s);
}

Bytes ossl_sign(ByteView seed, std::string_view msg) {
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  Bytes sig(64);
  std::size_t len = sig.size();
  EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(md, sig.data(), &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  return sig;
}

std::string make_token(std::string_view header, std::string_view payload, ByteView seed) {
  std::string si = b64url(as_bytes(header)) + "." + b64url(as_bytes(payload));
  return si + "." + b64url(ossl_sign(seed, si));
}

json v9_payload() { return json::parse(gs("V9", "payload")); }
json v9_header() { return json::parse(gs("V9", "header")); }

// Re-signed V9 variant with a mutated payload (and optionally header).
std::string token_with(const json& payload, const json& header = v9_header()) {
  return make_token(header.dump(), payload.dump(), gh("V9", "issuer_seed"));
}

VerifierConfig v9_config() {
  VerifierConfig cfg;
  Bytes pk = gh("V9", "issuer_pk");
  std::copy(pk.begin(), pk.end(), cfg.issuer_public_key.begin());
  cfg.issuer = v9_payload()["iss"].get<std::string>();
  cfg.audience = v9_payload()["aud"].get<std::string>();  // `challenge_demo`, §12.7
  return cfg;
}

std::string reason(std::string_view token, std::int64_t now = kNow,
                   const VerifierConfig& cfg = v9_config()) {
  FixedClock clock(now);
  auto r = verify(token, cfg, clock);
  return r ? std::string("ok") : r.error().code;
}

MinerClaims claims_from(const json& p) {
  MinerClaims c;
  c.iss = p["iss"].get<std::string>();
  c.aud = p["aud"].get<std::string>();
  c.miner_hotkey = p["miner_hotkey"].get<std::string>();
  c.uid = p["uid"].get<std::string>();
  c.job_id = p["job_id"].get<std::string>();
  c.challenge_id = p["challenge_id"].get<std::string>();
  c.job_type = p["job_type"].get<std::string>();
  c.iat = p["iat"].get<std::int64_t>();
  c.exp = p["exp"].get<std::int64_t>();
  c.jti = p["jti"].get<std::string>();
  return c;
}

TokenInfo expected_info(const json& p) {
  auto s = [&](const char* k) { return p[k].get<std::string>(); };
  return TokenInfo{s("uid"), s("miner_hotkey"), s("job_id"), s("challenge_id"), s("job_type")};
}

// ---- V9 ----

TEST(MinerTokenV9, TestSideSignerReproducesTheVector) {
  // Validates the OpenSSL helper every negative case below relies on.
  EXPECT_EQ(make_token(gs("V9", "header"), gs("V9", "payload"), gh("V9", "issuer_seed")),
            gs("V9", "token"));
}

TEST(MinerTokenV9, HeaderAndPayloadJsonAreByteExact) {
  EXPECT_EQ(header_json(), gs("V9", "header"));
  EXPECT_EQ(claims_json(claims_from(v9_payload())), gs("V9", "payload"));
}

TEST(MinerTokenV9, IssueIsByteExact) {
  auto t = issue(claims_from(v9_payload()), gh("V9", "issuer_seed"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, gs("V9", "token"));
  EXPECT_EQ(t->substr(0, t->rfind('.')), gs("V9", "signing_input"));
}

TEST(MinerTokenV9, SignCompactIsByteExact) {
  auto t = sign_compact(gs("V9", "header"), gs("V9", "payload"), gh("V9", "issuer_seed"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, gs("V9", "token"));
}

TEST(MinerTokenV9, VerifyYieldsTheSpecTokenInfo) {
  FixedClock clock(kNow);
  auto c = verify(gs("V9", "token"), v9_config(), clock);
  ASSERT_TRUE(c) << c.error().code;
  EXPECT_EQ(token_info(*c), expected_info(v9_payload()));
  EXPECT_EQ(c->jti, v9_payload()["jti"].get<std::string>());
  EXPECT_FALSE(c->nbf.has_value());
  json ti = to_json(token_info(*c));
  EXPECT_EQ(ti, json({{"uid", "7"},
                      {"miner_hotkey", v9_payload()["miner_hotkey"]},
                      {"job_id", "job-1"},
                      {"challenge_id", "challenge_demo"},
                      {"job_type", ""}}));
}

// ---- Issue-side checks ----

TEST(MinerTokenIssue, RejectsBadSeedAndInvalidClaims) {
  MinerClaims c = claims_from(v9_payload());
  Bytes seed = gh("V9", "issuer_seed");
  EXPECT_EQ(issue(c, ByteView(seed).first(31)).error().code, kBadSeed);
  EXPECT_EQ(sign_compact("{}", "{}", ByteView(seed).first(31)).error().code, kBadSeed);
  MinerClaims long_life = c;
  long_life.exp = long_life.iat + 3601;
  EXPECT_EQ(issue(long_life, seed).error().code, kBadLifetime);
  MinerClaims inverted = c;
  inverted.exp = inverted.iat;
  EXPECT_EQ(issue(inverted, seed).error().code, kBadLifetime);
  MinerClaims other_challenge = c;
  other_challenge.challenge_id = "other";
  EXPECT_EQ(issue(other_challenge, seed).error().code, kChallengeMismatch);
  MinerClaims short_jti = c;
  short_jti.jti = std::string(15, 'a');
  EXPECT_EQ(issue(short_jti, seed).error().code, kBadClaims);
  MinerClaims bad_utf8 = c;
  bad_utf8.job_type = "\xc3\x28";
  EXPECT_EQ(issue(bad_utf8, seed).error().code, kBadClaims);
}

TEST(MinerTokenIssue, KidAndNbfRoundTrip) {
  MinerClaims c = claims_from(v9_payload());
  c.nbf = c.iat;
  auto t = issue(c, gh("V9", "issuer_seed"), std::string("key-1"));
  ASSERT_TRUE(t);
  json header = json::parse(pnc::to_string(b64url_dec(t->substr(0, t->find('.')))));
  EXPECT_EQ(header, json({{"alg", "EdDSA"}, {"typ", "MinerToken"}, {"kid", "key-1"}}));
  FixedClock clock(kNow);
  auto v = verify(*t, v9_config(), clock);
  ASSERT_TRUE(v) << v.error().code;
  ASSERT_TRUE(v->nbf.has_value());
  EXPECT_EQ(*v->nbf, c.iat);
}

// ---- N-TOK-01 / 02 / 03 / 04 / 05: time ----

TEST(MinerTokenNegative, NTok01ExpiredPastLeeway) {
  EXPECT_EQ(reason(gs("V9", "token"), 1700000331), kExpired);
}

TEST(MinerTokenNegative, NTok02InsideLeewayAccepted) {
  EXPECT_EQ(reason(gs("V9", "token"), 1700000329), "ok");
  EXPECT_EQ(reason(gs("V9", "token"), 1700000330), kExpired);  // exp > now - 30 is strict
}

TEST(MinerTokenNegative, NTok03IatInFuture) {
  json p = v9_payload();
  p["iat"] = kNow + 31;
  EXPECT_EQ(reason(token_with(p)), kIssuedInFuture);
  p["iat"] = kNow + 30;
  EXPECT_EQ(reason(token_with(p)), "ok");
}

TEST(MinerTokenNegative, NTok04NbfInFuture) {
  json p = v9_payload();
  p["nbf"] = kNow + 31;
  EXPECT_EQ(reason(token_with(p)), kNotYetValid);
  p["nbf"] = kNow + 30;
  EXPECT_EQ(reason(token_with(p)), "ok");
}

TEST(MinerTokenNegative, NTok05LifetimeOver3600) {
  json p = v9_payload();
  p["exp"] = p["iat"].get<std::int64_t>() + 3601;
  EXPECT_EQ(reason(token_with(p)), kBadLifetime);
  p["exp"] = p["iat"].get<std::int64_t>() + 3600;
  EXPECT_EQ(reason(token_with(p)), "ok");
  p["iat"] = kNow;  // iat < exp is required too
  p["exp"] = kNow;
  EXPECT_EQ(reason(token_with(p)), kBadLifetime);
}

TEST(MinerTokenNegative, ExtremeTimesDoNotOverflow) {
  json p = v9_payload();
  p["iat"] = INT64_MIN;
  p["exp"] = INT64_MAX;
  EXPECT_EQ(reason(token_with(p)), kBadLifetime);
}

// ---- N-TOK-06: header ----

TEST(MinerTokenNegative, NTok06AlgNoneWithEmptySignature) {
  json h = {{"alg", "none"}, {"typ", "MinerToken"}};
  std::string t = b64url(as_bytes(h.dump())) + "." + b64url(as_bytes(gs("V9", "payload"))) + ".";
  EXPECT_EQ(reason(t), kMalformed);
  // Even validly signed, alg none is refused at step 3.
  EXPECT_EQ(reason(token_with(v9_payload(), h)), kBadAlg);
}

TEST(MinerTokenNegative, NTok06OtherAlgs) {
  for (const char* alg : {"HS256", "eddsa", "Ed25519", "ES256"}) {
    json h = v9_header();
    h["alg"] = alg;
    EXPECT_EQ(reason(token_with(v9_payload(), h)), kBadAlg) << alg;
  }
  json missing = v9_header();
  missing.erase("alg");
  EXPECT_EQ(reason(token_with(v9_payload(), missing)), kBadAlg);
}

TEST(MinerTokenNegative, NTok06TypJwtAndCrit) {
  json h = v9_header();
  h["typ"] = "JWT";
  EXPECT_EQ(reason(token_with(v9_payload(), h)), kBadTyp);
  json c = v9_header();
  c["crit"] = json::array({"exp"});
  EXPECT_EQ(reason(token_with(v9_payload(), c)), kCrit);
}

TEST(MinerTokenNegative, HeaderNotAnObjectOrBadKid) {
  EXPECT_EQ(reason(make_token("[1]", gs("V9", "payload"), gh("V9", "issuer_seed"))), kBadHeader);
  EXPECT_EQ(reason(make_token(R"({"alg":"EdDSA","alg":"EdDSA","typ":"MinerToken"})", gs("V9", "payload"),
                              gh("V9", "issuer_seed"))),
            kBadHeader);  // duplicate member, §0.3
  json h = v9_header();
  h["kid"] = 7;
  EXPECT_EQ(reason(token_with(v9_payload(), h)), kBadHeader);
  json unknown = v9_header();
  unknown["x5u"] = "ignored";  // unknown members are ignored (§0.3)
  EXPECT_EQ(reason(token_with(v9_payload(), unknown)), "ok");
}

// ---- N-TOK-07 / 08: signature ----

TEST(MinerTokenNegative, NTok07SignatureByAnotherKey) {
  Bytes other = gh("V6", "ed_seed");  // RFC 8032 test 1 seed, not the issuer
  EXPECT_EQ(reason(make_token(gs("V9", "header"), gs("V9", "payload"), other)), kBadSignature);
}

TEST(MinerTokenNegative, NTok07Truncated63AndLong65) {
  std::string si = gs("V9", "signing_input");
  Bytes sig = ossl_sign(gh("V9", "issuer_seed"), si);
  EXPECT_EQ(reason(si + "." + b64url(ByteView(sig).first(63))), kBadSignature);
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_EQ(reason(si + "." + b64url(longer)), kBadSignature);
}

TEST(MinerTokenNegative, NTok07SPlusL) {
  // L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1), little-endian.
  const Bytes l = test::hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  std::string si = gs("V9", "signing_input");
  Bytes sig = ossl_sign(gh("V9", "issuer_seed"), si);
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned sum = sig[32 + i] + l[i] + carry;
    sig[32 + i] = static_cast<std::uint8_t>(sum & 0xff);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);  // still < 2^256
  EXPECT_EQ(reason(si + "." + b64url(sig)), kBadSignature);
}

TEST(MinerTokenNegative, NTok07KeyFromConfigOnly) {
  // A token signed by another key verifies only if the verifier is configured with that key.
  Bytes other_seed = gh("V6", "ed_seed");
  std::string t = make_token(gs("V9", "header"), gs("V9", "payload"), other_seed);
  VerifierConfig cfg = v9_config();
  Bytes other_pk = gh("V6", "ed_pk");
  std::copy(other_pk.begin(), other_pk.end(), cfg.issuer_public_key.begin());
  EXPECT_EQ(reason(t, kNow, cfg), "ok");
  EXPECT_EQ(reason(gs("V9", "token"), kNow, cfg), kBadSignature);
}

TEST(MinerTokenNegative, NTok08PayloadChangedOldSignature) {
  std::string token = gs("V9", "token");
  std::string sig_seg = token.substr(token.rfind('.') + 1);
  json p = v9_payload();
  p["uid"] = "8";
  std::string t = b64url(as_bytes(gs("V9", "header"))) + "." + b64url(as_bytes(p.dump())) + "." + sig_seg;
  EXPECT_EQ(reason(t), kBadSignature);
}

// ---- N-TOK-09 / 10: encoding and shape ----

TEST(MinerTokenNegative, NTok09PaddingAndStdAlphabet) {
  std::string token = gs("V9", "token");
  std::string h = token.substr(0, token.find('.'));
  std::string rest = token.substr(token.find('.'));
  std::string padded = h;
  while (padded.size() % 4) padded.push_back('=');
  ASSERT_NE(padded, h);  // the V9 header segment needs padding
  EXPECT_EQ(reason(padded + rest), kBadEncoding);

  std::string std_alpha = token;
  std::size_t dot2 = std_alpha.rfind('.');
  std::size_t dash = std_alpha.find('-', dot2);
  std::size_t under = std_alpha.find('_', dot2);
  ASSERT_NE(dash, std::string::npos);
  ASSERT_NE(under, std::string::npos);
  std::string plus = std_alpha, slash = std_alpha;
  plus[dash] = '+';
  slash[under] = '/';
  EXPECT_EQ(reason(plus), kBadEncoding);
  EXPECT_EQ(reason(slash), kBadEncoding);
}

TEST(MinerTokenNegative, NTok09NonCanonicalTrailingBits) {
  // 64 bytes = 86 symbols; the last symbol carries 4 unused bits that must be zero.
  static const std::string kAlpha =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string t = gs("V9", "token");
  std::size_t v = kAlpha.find(t.back());
  ASSERT_EQ(v & 0xF, 0u);
  t.back() = kAlpha[v | 1];
  EXPECT_EQ(reason(t), kBadEncoding);
}

TEST(MinerTokenNegative, NTok10SegmentCountAndEmptySegments) {
  std::string t = gs("V9", "token");
  std::string two = t.substr(0, t.rfind('.'));
  EXPECT_EQ(reason(two), kMalformed);
  EXPECT_EQ(reason(t + ".AAAA"), kMalformed);
  EXPECT_EQ(reason(""), kMalformed);
  EXPECT_EQ(reason(".."), kMalformed);
  std::string empty_payload = t.substr(0, t.find('.') + 1) + t.substr(t.rfind('.'));
  EXPECT_EQ(reason(empty_payload), kMalformed);
  std::string empty_header = t.substr(t.find('.'));
  EXPECT_EQ(reason(empty_header), kMalformed);
}

TEST(MinerTokenNegative, NTok10LengthLimit) {
  // A validly signed token padded with an unknown claim to the largest size <= 4096 passes;
  // one byte more is refused at step 1 regardless of content.
  json p = v9_payload();
  std::string best;
  for (std::size_t n = 2500; n < 2800; ++n) {
    p["pad"] = std::string(n, 'x');
    std::string t = token_with(p);
    if (t.size() <= kMaxTokenBytes) best = t;
  }
  ASSERT_GE(best.size(), kMaxTokenBytes - 3);
  EXPECT_EQ(reason(best), "ok");
  std::string too_long = gs("V9", "token");
  too_long += std::string(kMaxTokenBytes + 1 - too_long.size(), 'A');
  ASSERT_EQ(too_long.size(), 4097u);
  EXPECT_EQ(reason(too_long), kTooLong);
}

// ---- N-TOK-11: claims ----

TEST(MinerTokenNegative, NTok11MissingOrMistypedClaims) {
  for (const char* name : {"miner_hotkey", "exp", "aud", "iss", "uid", "job_id", "challenge_id",
                           "job_type", "iat", "jti"}) {
    json p = v9_payload();
    p.erase(name);
    EXPECT_EQ(reason(token_with(p)), kBadClaims) << name;
  }
  json p = v9_payload();
  p["exp"] = "1700000300";
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p = v9_payload();
  p["exp"] = 1700000300.0;
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p = v9_payload();
  p["nbf"] = "1700000000";
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p = v9_payload();
  p["uid"] = 7;
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
}

TEST(MinerTokenNegative, ClaimFormats) {
  json p = v9_payload();
  p["miner_hotkey"] = "";
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p["miner_hotkey"] = std::string(65, 'k');
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p["miner_hotkey"] = std::string(64, 'k');
  EXPECT_EQ(reason(token_with(p)), "ok");
  p = v9_payload();
  p["jti"] = std::string(15, 'j');
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p["jti"] = std::string(129, 'j');
  EXPECT_EQ(reason(token_with(p)), kBadClaims);
  p["jti"] = std::string(128, 'j');
  EXPECT_EQ(reason(token_with(p)), "ok");
  p = v9_payload();
  for (const char* uid : {"07", "-1", "x", " 7"}) {
    p["uid"] = uid;
    EXPECT_EQ(reason(token_with(p)), kBadClaims) << uid;
  }
  p["uid"] = "";  // "may be empty", §7.1
  EXPECT_EQ(reason(token_with(p)), "ok");
  p["unknown_claim"] = json::object();  // ignored
  EXPECT_EQ(reason(token_with(p)), "ok");
}

TEST(MinerTokenNegative, PayloadNotAnObject) {
  EXPECT_EQ(reason(make_token(gs("V9", "header"), "[]", gh("V9", "issuer_seed"))), kBadPayload);
  EXPECT_EQ(reason(make_token(gs("V9", "header"), "{\"uid\":\"7\",\"uid\":\"8\"}", gh("V9", "issuer_seed"))),
            kBadPayload);
}

// ---- N-TOK-12: configuration ----

TEST(MinerTokenNegative, NTok12AudienceChallengeIssuer) {
  json p = v9_payload();
  p["aud"] = "other_challenge";
  EXPECT_EQ(reason(token_with(p)), kBadAudience);
  p = v9_payload();
  p["challenge_id"] = "other_challenge";
  EXPECT_EQ(reason(token_with(p)), kChallengeMismatch);
  p = v9_payload();
  p["iss"] = "someone-else";
  EXPECT_EQ(reason(token_with(p)), kBadIssuer);
  VerifierConfig cfg = v9_config();
  cfg.audience = "another_challenge";
  EXPECT_EQ(reason(gs("V9", "token"), kNow, cfg), kBadAudience);
}

// ---- N-TOK-13: replay ----

TEST(MinerTokenReplay, NTok13SecondUseRejected) {
  JtiReplayCache cache;
  VerifierConfig cfg = v9_config();
  cfg.replay_cache = &cache;
  EXPECT_EQ(reason(gs("V9", "token"), kNow, cfg), "ok");
  EXPECT_EQ(reason(gs("V9", "token"), kNow + 1, cfg), kReplayed);
  EXPECT_EQ(reason(gs("V9", "token"), 1700000329, cfg), kReplayed);  // last accepted second
  EXPECT_EQ(cache.size(), 1u);
}

TEST(MinerTokenReplay, FailedTokensDoNotBurnTheJti) {
  JtiReplayCache cache;
  VerifierConfig cfg = v9_config();
  cfg.replay_cache = &cache;
  EXPECT_EQ(reason(gs("V9", "token"), 1700000331, cfg), kExpired);
  VerifierConfig wrong_aud = cfg;
  wrong_aud.audience = "x";
  EXPECT_EQ(reason(gs("V9", "token"), kNow, wrong_aud), kBadAudience);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(reason(gs("V9", "token"), kNow, cfg), "ok");
}

TEST(MinerTokenReplay, CapacityFailsClosedThenPurgesExpired) {
  JtiReplayCache cache(2);
  EXPECT_TRUE(cache.check_and_insert("jti-aaaaaaaaaaaaaaaa", 1000, 100));
  EXPECT_TRUE(cache.check_and_insert("jti-bbbbbbbbbbbbbbbb", 2000, 100));
  auto full = cache.check_and_insert("jti-cccccccccccccccc", 2000, 100);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, kReplayCacheFull);
  EXPECT_EQ(cache.check_and_insert("jti-bbbbbbbbbbbbbbbb", 2000, 500).error().code, kReplayed);
  // Past the first entry's retention it is purged to make room; the live one stays.
  EXPECT_TRUE(cache.check_and_insert("jti-cccccccccccccccc", 2000, 1001));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.check_and_insert("jti-bbbbbbbbbbbbbbbb", 2000, 1001).error().code, kReplayed);
  // Still full of live entries: refused, nothing evicted.
  EXPECT_EQ(cache.check_and_insert("jti-aaaaaaaaaaaaaaaa", 3000, 1001).error().code, kReplayCacheFull);
  // An expired jti may be seen again: the token it guarded can no longer pass step 6.
  EXPECT_TRUE(cache.check_and_insert("jti-bbbbbbbbbbbbbbbb", 3000, 2001));
  EXPECT_EQ(cache.check_and_insert("jti-bbbbbbbbbbbbbbbb", 3000, 2001).error().code, kReplayed);
}

TEST(MinerTokenHttp, UnauthorizedBody) {
  FixedClock clock(1700000331);
  auto r = verify(gs("V9", "token"), v9_config(), clock);
  ASSERT_FALSE(r);
  HttpReply reply = unauthorized(r.error());
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(json::parse(reply.body), json({{"error", kExpired}}));
}

// ---- §7.4 identity resolution ----

const std::vector<std::string> kRoutes = {"submit", "get_agent_status", "list_agents", "list_agent_jobs"};

IdentityOptions opts(std::optional<std::string> challenge = std::nullopt) {
  IdentityOptions o;
  o.challenge_id = std::move(challenge);
  o.routes = kRoutes;
  return o;
}

TEST(MinerTokenIdentity, CompatTrustsVerifiedHeader) {  // D-23, N-TOK-14 COMPAT (quirk)
  Headers h = {{"x-verified-miner-hotkey", "5Hotkey"}, {"X-Job-Id", "job-9"}};
  auto r = resolve_identity(Profile::sdk_compat, "submit", h, false, opts("chal-1"));
  ASSERT_TRUE(r) << r.error().code;
  EXPECT_EQ(*r, (TokenInfo{"verified-uid", "5Hotkey", "job-9", "chal-1", ""}));
  auto d = resolve_identity(Profile::sdk_compat, "submit", {{"X-Verified-Miner-Hotkey", "5H"}}, false, opts());
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, (TokenInfo{"verified-uid", "5H", "", "challenge", ""}));
}

TEST(MinerTokenIdentity, CompatUsesFirstOfRepeatedHeaders) {
  Headers h = {{"X-Verified-Miner-Hotkey", "first"}, {"X-Verified-Miner-Hotkey", "second"}};
  auto r = resolve_identity(Profile::sdk_compat, "submit", h, false, opts());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->miner_hotkey, "first");
}

TEST(MinerTokenIdentity, ReadOnlyRoutesAllProfiles) {  // D-37
  for (Profile p : {Profile::sdk_compat, Profile::seed_spec, Profile::hardened}) {
    for (const char* route : {"get_agent_status", "list_agents", "list_agent_jobs"}) {
      auto anon = resolve_identity(p, route, {}, false, opts());
      ASSERT_TRUE(anon) << route;
      EXPECT_EQ(*anon, (TokenInfo{"public-readonly-uid", "public", "", "challenge", ""}));
      auto named = resolve_identity(p, route, {{"X-Miner-Hotkey", "5M"}}, false, opts("c"));
      ASSERT_TRUE(named);
      EXPECT_EQ(named->uid, "public-readonly-uid");
      EXPECT_EQ(named->miner_hotkey, "5M");
      EXPECT_EQ(named->challenge_id, "c");
    }
  }
  EXPECT_FALSE(is_read_only_route("submit"));
}

TEST(MinerTokenIdentity, DevModeBranch) {
  for (Profile p : {Profile::sdk_compat, Profile::seed_spec}) {
    auto r = resolve_identity(p, "submit", {}, true, opts());
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, (TokenInfo{"dev-uid", "dev-miner", "", "dev-challenge", ""}));
    auto m = resolve_identity(p, "submit", {{"X-Miner-Hotkey", "5D"}}, true, opts("c"));
    ASSERT_TRUE(m);
    EXPECT_EQ(*m, (TokenInfo{"dev-uid", "5D", "", "c", ""}));
  }
}

TEST(MinerTokenIdentity, NTok15NoIdentityProdIs401AllProfiles) {
  for (Profile p : {Profile::sdk_compat, Profile::seed_spec, Profile::hardened}) {
    auto r = resolve_identity(p, "submit", {{"X-Miner-Hotkey", "5M"}}, false, opts());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kIdMissing);
    HttpReply reply = identity_error_reply(r.error());
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(json::parse(reply.body),
              json({{"detail", "Missing X-Verified-Miner-Hotkey header. Requests must be proxied "
                               "through platform-api with signature verification."}}));
  }
}

TEST(MinerTokenIdentity, UnknownRouteIs404AfterIdentity) {
  auto r = resolve_identity(Profile::sdk_compat, "nope", {{"X-Verified-Miner-Hotkey", "5H"}}, false, opts());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kIdUnknownRoute);
  HttpReply reply = identity_error_reply(r.error());
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(json::parse(reply.body), json({{"detail", "public handler not found"}}));
  // Identity is resolved first: no identity on an unknown route is still 401.
  auto anon = resolve_identity(Profile::sdk_compat, "nope", {}, false, opts());
  ASSERT_FALSE(anon);
  EXPECT_EQ(anon.error().code, kIdMissing);
}

TEST(MinerTokenIdentity, NTok14SeedRejectsUnauthenticatedVerifiedHeader) {
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    for (const char* route : {"submit", "list_agents"}) {
      auto r = resolve_identity(p, route, {{"X-Verified-Miner-Hotkey", "5Spoof"}}, true, opts());
      ASSERT_FALSE(r) << route;
      EXPECT_EQ(r.error().code, kIdUnauthenticated);
      EXPECT_EQ(identity_error_reply(r.error()).status, 401);
    }
    auto uid_only = resolve_identity(p, "list_agents", {{"x-verified-miner-uid", "1"}}, false, opts());
    ASSERT_FALSE(uid_only);
    EXPECT_EQ(uid_only.error().code, kIdUnauthenticated);
  }
}

TEST(MinerTokenIdentity, SeedHonoursHeadersOnSignedProxyRequest) {
  IdentityOptions o = opts("chal-1");
  o.authenticated_by_signed_request = true;
  Headers h = {{"X-Verified-Miner-Hotkey", "5H"}, {"X-Verified-Miner-Uid", "12"}, {"X-Job-Id", "j"}};
  auto r = resolve_identity(Profile::seed_spec, "submit", h, false, o);
  ASSERT_TRUE(r) << r.error().code;
  EXPECT_EQ(*r, (TokenInfo{"12", "5H", "j", "chal-1", ""}));
  auto no_uid = resolve_identity(Profile::seed_spec, "submit", {{"X-Verified-Miner-Hotkey", "5H"}}, false, o);
  ASSERT_TRUE(no_uid);
  EXPECT_EQ(no_uid->uid, "verified-uid");
}

TEST(MinerTokenIdentity, SeedIgnoresJobIdWithoutAuthentication) {
  auto r = resolve_identity(Profile::seed_spec, "list_agents", {{"X-Job-Id", "j"}}, false, opts());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->job_id, "");
  auto c = resolve_identity(Profile::sdk_compat, "list_agents", {{"X-Job-Id", "j"}}, false, opts());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->job_id, "j");
}

TEST(MinerTokenIdentity, SeedMinerTokenPath) {
  VerifierConfig cfg = v9_config();
  FixedClock clock(kNow);
  IdentityOptions o = opts("ignored-token-claims-win");
  o.token_verifier = &cfg;
  o.clock = &clock;
  json p = v9_payload();
  std::string hotkey = p["miner_hotkey"].get<std::string>();

  auto only_token = resolve_identity(Profile::seed_spec, "submit", {{"X-Miner-Token", gs("V9", "token")}}, false, o);
  ASSERT_TRUE(only_token) << only_token.error().code;
  EXPECT_EQ(*only_token, expected_info(p));

  Headers matching = {{"X-Miner-Token", gs("V9", "token")},
                      {"X-Verified-Miner-Hotkey", hotkey},
                      {"X-Verified-Miner-Uid", p["uid"].get<std::string>()},
                      {"X-Job-Id", p["job_id"].get<std::string>()}};
  auto m = resolve_identity(Profile::seed_spec, "submit", matching, false, o);
  ASSERT_TRUE(m) << m.error().code;
  EXPECT_EQ(*m, expected_info(p));

  for (const char* name : {"X-Verified-Miner-Hotkey", "X-Verified-Miner-Uid", "X-Job-Id"}) {
    Headers bad = {{"X-Miner-Token", gs("V9", "token")}, {name, "mismatch"}};
    auto r = resolve_identity(Profile::seed_spec, "submit", bad, false, o);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, kIdHeaderMismatch);
    EXPECT_EQ(identity_error_reply(r.error()).status, 401);
  }
}

TEST(MinerTokenIdentity, SeedMinerTokenFailuresCarryTheReason) {
  VerifierConfig cfg = v9_config();
  FixedClock late(1700000331);
  IdentityOptions o = opts();
  o.token_verifier = &cfg;
  o.clock = &late;
  auto r = resolve_identity(Profile::seed_spec, "list_agents", {{"X-Miner-Token", gs("V9", "token")}}, false, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kExpired);
  HttpReply reply = identity_error_reply(r.error());
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(json::parse(reply.body), json({{"error", kExpired}}));

  IdentityOptions none = opts();
  auto nv = resolve_identity(Profile::seed_spec, "submit", {{"X-Miner-Token", gs("V9", "token")}}, false, none);
  ASSERT_FALSE(nv);
  EXPECT_EQ(nv.error().code, kIdNoVerifier);
}

TEST(MinerTokenIdentity, ProxyForwardingStripsClientIdentityAndRoundTrips) {
  VerifierConfig cfg = v9_config();
  FixedClock clock(kNow);
  auto claims = verify(gs("V9", "token"), cfg, clock);
  ASSERT_TRUE(claims);
  Headers client = {{"x-VERIFIED-miner-hotkey", "5Spoof"}, {"X-Verified-Anything", "1"},
                    {"X-Job-Id", "spoofed"}, {"X-Miner-Token", "junk"}, {"Accept", "*/*"}};
  Headers fwd = proxy_forward_headers(client, *claims, gs("V9", "token"));
  for (const auto& [k, v] : fwd) {
    EXPECT_NE(v, "5Spoof");
    EXPECT_NE(v, "spoofed");
    EXPECT_NE(v, "junk");
    EXPECT_NE(k, "X-Verified-Anything");
  }
  EXPECT_EQ(fwd.front(), (std::pair<std::string, std::string>{"Accept", "*/*"}));
  IdentityOptions o = opts();
  o.token_verifier = &cfg;
  o.clock = &clock;
  auto r = resolve_identity(Profile::seed_spec, "submit", fwd, false, o);
  ASSERT_TRUE(r) << r.error().code;
  EXPECT_EQ(*r, expected_info(v9_payload()));
}

TEST(MinerTokenIdentity, SeedRejectsRepeatedIdentityHeaders) {
  IdentityOptions o = opts();
  o.authenticated_by_signed_request = true;
  Headers h = {{"X-Verified-Miner-Hotkey", "a"}, {"x-verified-miner-hotkey", "b"}};
  auto r = resolve_identity(Profile::seed_spec, "submit", h, false, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kIdDuplicateHeader);
}

TEST(MinerTokenIdentity, EmptyHeaderCountsAsAbsent) {
  auto r = resolve_identity(Profile::sdk_compat, "submit", {{"X-Verified-Miner-Hotkey", ""}}, false, opts());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kIdMissing);
}

// ---- fault switches of the campaign-only mutants: the spec's verifier refuses, the faulted accepts

std::string faulted_reason(std::string_view token, void (*on)(pnc::testing::MinerTokenFaults&)) {
  pnc::testing::MinerTokenFaults f;
  on(f);
  VerifierConfig cfg = v9_config();
  cfg.faults = &f;
  return reason(token, kNow, cfg);
}

TEST(MinerTokenFaultSwitches, IatInTheFutureAcceptedOnlyBySkipIatFuture) {
  json p = v9_payload();
  p["iat"] = kNow + 120;  // beyond the 30 s leeway
  p["exp"] = kNow + 600;
  const std::string t = token_with(p);
  EXPECT_EQ(reason(t), kIssuedInFuture);
  EXPECT_EQ(faulted_reason(t, [](pnc::testing::MinerTokenFaults& f) { f.skip_iat_future = true; }), "ok");
}

TEST(MinerTokenFaultSwitches, LifetimeOver3600AcceptedOnlyBySkipMaxLifetime) {
  json p = v9_payload();
  p["iat"] = kNow - 10;
  p["exp"] = kNow - 10 + 3601;
  const std::string t = token_with(p);
  EXPECT_EQ(reason(t), kBadLifetime);
  auto on = [](pnc::testing::MinerTokenFaults& f) { f.skip_max_lifetime = true; };
  EXPECT_EQ(faulted_reason(t, on), "ok");
  p["exp"] = p["iat"];  // exp > iat is still checked
  EXPECT_EQ(faulted_reason(token_with(p), on), kBadLifetime);
}

TEST(MinerTokenFaultSwitches, DuplicateClaimAcceptedOnlyByLenientClaimsJson) {
  std::string payload = v9_payload().dump();
  payload.insert(1, "\"aud\":\"" + v9_payload()["aud"].get<std::string>() + "\",");
  const std::string t = make_token(v9_header().dump(), payload, gh("V9", "issuer_seed"));
  EXPECT_EQ(reason(t), kBadPayload);
  EXPECT_EQ(faulted_reason(t, [](pnc::testing::MinerTokenFaults& f) { f.lenient_claims_json = true; }), "ok");
}

}  // namespace
}  // namespace pnc::miner_token
