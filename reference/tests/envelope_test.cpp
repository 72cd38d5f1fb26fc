// Envelope seal/open (PROTOCOL.md §5.1-5.3): vector V2, every N-ENV mutation of §12.5 per
// profile, the positive controls, replay/reflection (R6), directional keys and the 2^32 limit.
// Oracles: golden() vectors, OpenSSL (ChaCha20-Poly1305, HKDF, base64) and libsodium's
// XChaCha20-Poly1305 for the N-ENV-09 construction; never the code under test.
#include <gtest/gtest.h>
#include <sodium.h>

#include <deque>
#include <string>
#include <vector>

#include "pnc/envelope.hpp"
#include "pnc/testing/faults.hpp"
#include "pnc/testkit/oracles.hpp"
#include "pnc/testkit/rng.hpp"
#include "support/vectors.hpp"
#include "pnc/chosen_randomness.hpp"

namespace {

using pnc::Bytes;
using pnc::ByteView;
using pnc::Profile;
using pnc::envelope::Channel;
using pnc::envelope::Outcome;
using pnc::test::gh;
using pnc::test::gs;
using Json = nlohmann::json;

constexpr const auto& kAllProfiles = pnc::kProfiles;

// Queued byte strings first (each must match the request size: a mismatch fails the test), then
// DeterministicRng(7) (the toolkit's scripted Rng, strict).
class ScriptedRng : public pnc::testkit::ScriptedRng {
 public:
  ScriptedRng()
      : pnc::testkit::ScriptedRng(7, [](std::size_t requested, std::size_t queued) {
          ADD_FAILURE() << "scripted draw of the wrong size: " << requested << " requested, " << queued << " queued";
        }) {}
};

// ---- independent oracles (the toolkit's OpenSSL ones) ----
using pnc::testkit::ossl_b64;
using pnc::testkit::ossl_chacha_seal;
// Opens with OpenSSL; a failure fails the test and yields no bytes.
Bytes ossl_chacha_open(ByteView key, ByteView nonce, ByteView ct) {
  auto pt = pnc::testkit::ossl_chacha_open(key, nonce, ct);
  if (!pt) ADD_FAILURE() << "OpenSSL could not open the envelope";
  return pt.value_or(Bytes{});
}
Bytes ossl_hkdf(ByteView salt, ByteView ikm, std::string_view info) {
  return pnc::testkit::ossl_hkdf_sha256(salt, ikm, info, 32);
}

std::string frame(std::string_view enc, ByteView nonce, ByteView ct) {
  Json j = {{"enc", std::string(enc)}, {"nonce", ossl_b64(nonce)}, {"ciphertext", ossl_b64(ct)}};
  return j.dump();
}
// An envelope built entirely by OpenSSL.
std::string ossl_envelope(ByteView key, ByteView nonce, std::string_view plaintext) {
  return frame("chacha20poly1305", nonce, ossl_chacha_seal(key, nonce, pnc::as_bytes(plaintext)));
}

pnc::Secret<32> v1_key() { return pnc::Secret<32>(gh("V1", "key")); }
Bytes v2_nonce() { return gh("V2", "nonce"); }
Bytes v2_ct() { return gh("V2", "ct_tag_hex"); }

// Expects the frame to fail with `code`: strict profiles close with strict_close, sdk-compat
// drops the frame and keeps the channel open.
void expect_fails(Profile p, const std::string& f, const char* code, std::uint16_t strict_close,
                  const pnc::Secret<32>& key) {
  Channel ch(p, key);
  Outcome o = ch.receive_text(f);
  ASSERT_FALSE(o.delivered()) << pnc::to_string(p) << " accepted " << f.substr(0, 200);
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->code, code) << pnc::to_string(p);
  if (pnc::is_strict(p)) {
    EXPECT_EQ(o.action, Outcome::Action::close);
    ASSERT_TRUE(o.close.has_value());
    EXPECT_EQ(o.close->code, strict_close);
    EXPECT_TRUE(ch.closed());
  } else {
    EXPECT_EQ(o.action, Outcome::Action::drop);
    EXPECT_FALSE(o.close.has_value());
    EXPECT_FALSE(ch.closed());
    // The connection stays usable: the valid V2 envelope is still accepted.
    EXPECT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
  }
}
void expect_fails_all(const std::string& f, const char* code, std::uint16_t strict_close) {
  for (Profile p : kAllProfiles) expect_fails(p, f, code, strict_close, v1_key());
}

// ---------------------------------------------------------------- V2

TEST(EnvelopeV2, SealWithFixedNonceIsByteExact) {
  auto out = pnc::envelope::seal_with_nonce(gh("V1", "key"), v2_nonce(), gs("V2", "plaintext"));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, gs("V2", "envelope"));
}

TEST(EnvelopeV2, ChannelSealDrawsTheNonceFromTheRng) {
  for (Profile p : kAllProfiles) {
    ScriptedRng rng;
    rng.push(v2_nonce());
    Channel ch(p, v1_key());
    auto out = ch.seal(gs("V2", "plaintext"), rng);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, gs("V2", "envelope"));
    EXPECT_EQ(ch.envelopes(), 1u);
  }
}

TEST(EnvelopeV2, FreeSealUsesRngNonce) {
  ScriptedRng rng;
  rng.push(v2_nonce());
  auto out = pnc::envelope::seal(gh("V1", "key"), gs("V2", "plaintext"), rng);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, gs("V2", "envelope"));
}

TEST(EnvelopeV2, OpensInEveryProfile) {
  for (Profile p : kAllProfiles) {
    auto o = pnc::envelope::open(gh("V1", "key"), gs("V2", "envelope"), p);
    ASSERT_TRUE(o.ok()) << o.error().code;
    EXPECT_EQ(o->plaintext, gs("V2", "plaintext"));
    EXPECT_EQ(Bytes(o->nonce.begin(), o->nonce.end()), v2_nonce());
    EXPECT_EQ(o->message.at("type"), "orm_ready");
    EXPECT_EQ(o->message.at("schema"), "challenge_demo");
  }
}

TEST(EnvelopeV2, OpenSSLDecryptsWhatSealProduces) {
  auto out = pnc::envelope::seal_with_nonce(gh("V1", "key"), v2_nonce(), gs("V2", "plaintext"));
  ASSERT_TRUE(out.ok());
  Json j = Json::parse(*out);
  Bytes pt = ossl_chacha_open(gh("V1", "key"), pnc::test::b64(j["nonce"].get<std::string>()),
                              pnc::test::b64(j["ciphertext"].get<std::string>()));
  EXPECT_EQ(pnc::to_string(pt), gs("V2", "plaintext"));
}

TEST(EnvelopeV2, TamperedTagAndAadVariantsFail) {
  for (const char* key : {"tampered_tag_ciphertext_b64", "aad_x_ciphertext_b64"}) {
    Json j = Json::parse(gs("V2", "envelope"));
    j["ciphertext"] = gs("V2", key);
    auto o = pnc::envelope::open(gh("V1", "key"), j.dump());
    ASSERT_FALSE(o.ok()) << key;
    EXPECT_EQ(o.error().code, pnc::envelope::kAuthFailed);
    expect_fails_all(j.dump(), pnc::envelope::kAuthFailed, pnc::kClosePolicy);  // N-ENV-04, 08
  }
}

TEST(EnvelopeV2, WrongKeySizeIsAnError) {
  Bytes short_key(31, 1);
  EXPECT_EQ(pnc::envelope::open(short_key, gs("V2", "envelope")).error().code, pnc::envelope::kBadKey);
  EXPECT_FALSE(pnc::envelope::seal_with_nonce(short_key, v2_nonce(), "{}").ok());
  EXPECT_FALSE(pnc::envelope::seal_with_nonce(gh("V1", "key"), Bytes(11), "{}").ok());
}

// ---------------------------------------------------------------- N-ENV-01..14

TEST(EnvelopeNegative, NEnv01_EncLabel) {
  for (const char* enc : {"ChaCha20Poly1305", "chacha20-poly1305", "xchacha20poly1305", ""})
    expect_fails_all(frame(enc, v2_nonce(), v2_ct()), pnc::envelope::kUnsupportedEnc, pnc::kClosePolicy);
  Json j = Json::parse(gs("V2", "envelope"));
  j.erase("enc");
  expect_fails_all(j.dump(), pnc::envelope::kMissingMember, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv02_NonceLength) {
  for (std::size_t n : {11u, 13u, 24u}) {
    Bytes nonce(n, 0xa0);
    expect_fails_all(frame("chacha20poly1305", nonce, v2_ct()), pnc::envelope::kInvalidEnvelope,
                     pnc::kClosePolicy);
  }
}

TEST(EnvelopeNegative, NEnv03_CiphertextShorterThanTag) {
  Bytes ct = v2_ct();
  ct.resize(15);
  expect_fails_all(frame("chacha20poly1305", v2_nonce(), ct), pnc::envelope::kInvalidEnvelope,
                   pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv04_TagLastByteFlipped) {
  Bytes ct = v2_ct();
  ct.back() ^= 0x01;
  expect_fails_all(frame("chacha20poly1305", v2_nonce(), ct), pnc::envelope::kAuthFailed, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv05_CiphertextFlippedTruncatedExtended) {
  Bytes flipped = v2_ct();
  flipped[3] ^= 0x80;
  Bytes truncated = v2_ct();
  truncated.pop_back();
  Bytes extended = v2_ct();
  extended.push_back(0);
  for (const Bytes& ct : {flipped, truncated, extended})
    expect_fails_all(frame("chacha20poly1305", v2_nonce(), ct), pnc::envelope::kAuthFailed, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv06_NonceChanged) {
  Bytes nonce = v2_nonce();
  nonce[0] ^= 1;
  expect_fails_all(frame("chacha20poly1305", nonce, v2_ct()), pnc::envelope::kAuthFailed, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv07_DifferentKey) {
  Bytes other_salt(32, 0x42);
  Bytes other_key = ossl_hkdf(other_salt, gh("V1", "shared"), "platform-api-sdk-v1");
  ASSERT_NE(other_key, gh("V1", "key"));
  expect_fails_all(ossl_envelope(other_key, v2_nonce(), gs("V2", "plaintext")),
                   pnc::envelope::kAuthFailed, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv08_NonEmptyAad) {
  Bytes ct = ossl_chacha_seal(gh("V1", "key"), v2_nonce(), pnc::as_bytes(gs("V2", "plaintext")),
                              pnc::as_bytes("x"));
  EXPECT_EQ(ossl_b64(ct), gs("V2", "aad_x_ciphertext_b64"));  // the two oracles agree
  expect_fails_all(frame("chacha20poly1305", v2_nonce(), ct), pnc::envelope::kAuthFailed, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv09_XChaChaConstruction) {
  ASSERT_GE(sodium_init(), 0);
  Bytes n24 = v2_nonce();
  n24.resize(24, 0);
  std::string pt = gs("V2", "plaintext");
  Bytes ct(pt.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long ct_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data(), &ct_len,
                                             reinterpret_cast<const unsigned char*>(pt.data()),
                                             pt.size(), nullptr, 0, nullptr, n24.data(),
                                             gh("V1", "key").data());
  ASSERT_EQ(ct_len, ct.size());
  expect_fails_all(frame("chacha20poly1305", v2_nonce(), ct), pnc::envelope::kAuthFailed, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, NEnv10_ReplayRejectedInStrictAcceptedInCompat) {
  for (Profile p : kAllProfiles) {
    Channel ch(p, v1_key());
    ASSERT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
    Outcome again = ch.receive_text(gs("V2", "envelope"));
    if (pnc::is_strict(p)) {
      ASSERT_EQ(again.action, Outcome::Action::close);
      EXPECT_EQ(again.error->code, pnc::envelope::kReplay);
      EXPECT_EQ(again.close->code, pnc::kClosePolicy);
    } else {
      EXPECT_TRUE(again.delivered());  // D-10 quirk
    }
  }
}

TEST(EnvelopeNegative, NEnv10_ReplayWithDifferentFramingIsStillAReplay) {
  // Same nonce and ciphertext, members reordered plus an unknown member: still the same nonce.
  Channel ch(Profile::seed_spec, v1_key());
  ASSERT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
  Json j = Json::parse(gs("V2", "envelope"));
  j["extra"] = 1;
  Outcome o = ch.receive_text(j.dump());
  ASSERT_TRUE(o.error.has_value());
  EXPECT_EQ(o.error->code, pnc::envelope::kReplay);
}

TEST(EnvelopeNegative, NEnv11_ReflectionRejectedInStrictAcceptedInCompat) {
  for (Profile p : kAllProfiles) {
    ScriptedRng rng;
    Channel ch(p, v1_key());  // one K both ways (seed-spec, sdk-compat, hardened without -dir)
    auto sent = ch.seal(R"({"type":"heartbeat","payload":{}})", rng);
    ASSERT_TRUE(sent.ok());
    Outcome o = ch.receive_text(*sent);
    if (pnc::is_strict(p)) {
      ASSERT_EQ(o.action, Outcome::Action::close);
      EXPECT_EQ(o.error->code, pnc::envelope::kReflection);
      EXPECT_EQ(o.close->code, pnc::kClosePolicy);
    } else {
      EXPECT_TRUE(o.delivered());
    }
  }
}

TEST(EnvelopeNegative, NEnv12_BadPlaintext) {
  Bytes key = gh("V1", "key");
  int i = 0;
  for (const char* pt : {"not json", "[1,2]", "\"x\"", R"({"a":1})", R"({"type":5})", R"({"type":null})"}) {
    Bytes nonce(12, static_cast<std::uint8_t>(0x10 + i++));
    std::string f = ossl_envelope(key, nonce, pt);
    bool compat_object = pt[0] == '{';  // §5.3 R7 [COMPAT]: objects without a string type pass
    for (Profile p : kAllProfiles) {
      if (!pnc::is_strict(p) && compat_object) {
        Channel ch(p, v1_key());
        Outcome o = ch.receive_text(f);
        EXPECT_TRUE(o.delivered()) << pt;
        EXPECT_EQ(o.opened.message, Json::parse(pt));
      } else {
        expect_fails(p, f, pnc::envelope::kBadPlaintext, pnc::kCloseInvalidPayload, v1_key());
      }
    }
  }
  // Invalid UTF-8 inside a JSON string.
  std::string bad_utf8 = "{\"type\":\"\xc3\x28\"}";
  expect_fails_all(ossl_envelope(key, Bytes(12, 0x33), bad_utf8), pnc::envelope::kBadPlaintext,
                   pnc::kCloseInvalidPayload);
}

TEST(EnvelopeNegative, NEnv12_PlaintextStrictJsonRules) {
  Bytes key = gh("V1", "key");
  std::string dup = ossl_envelope(key, Bytes(12, 0x44), R"({"type":"x","type":"y"})");
  expect_fails(Profile::seed_spec, dup, pnc::envelope::kBadPlaintext, pnc::kCloseInvalidPayload, v1_key());
  expect_fails(Profile::hardened, dup, pnc::envelope::kBadPlaintext, pnc::kCloseInvalidPayload, v1_key());
  Channel compat(Profile::sdk_compat, v1_key());
  Outcome o = compat.receive_text(dup);
  ASSERT_TRUE(o.delivered());
  EXPECT_EQ(o.opened.message["type"], "y");  // last wins
  std::string deep = std::string(65, '[') + std::string(65, ']');
  std::string deep_obj = R"({"type":"x","d":)" + deep + "}";
  expect_fails(Profile::seed_spec, ossl_envelope(key, Bytes(12, 0x45), deep_obj),
               pnc::envelope::kBadPlaintext, pnc::kCloseInvalidPayload, v1_key());
}

TEST(EnvelopeNegative, NEnv13_FrameOver16MiBClosesWith1009InEveryProfile) {
  Json j = Json::parse(gs("V2", "envelope"));
  j["pad"] = std::string(pnc::envelope::kMaxFrameBytes, 'a');
  std::string big = j.dump();
  ASSERT_GT(big.size(), pnc::envelope::kMaxFrameBytes);
  for (Profile p : kAllProfiles) {
    Channel ch(p, v1_key());
    Outcome o = ch.receive_text(big);
    ASSERT_EQ(o.action, Outcome::Action::close);
    EXPECT_EQ(o.error->code, pnc::envelope::kTooLarge);
    EXPECT_EQ(o.close->code, pnc::kCloseTooBig);
  }
}

TEST(EnvelopeNegative, NEnv14_NonStringMembers) {
  for (const char* member : {"enc", "nonce", "ciphertext"}) {
    for (Json bad : {Json(5), Json(nullptr), Json::array(), Json::object(), Json(true)}) {
      Json j = Json::parse(gs("V2", "envelope"));
      j[member] = bad;
      expect_fails_all(j.dump(), pnc::envelope::kMissingMember, pnc::kClosePolicy);
    }
  }
}

TEST(EnvelopeNegative, R1_NotAJsonObject) {
  for (std::string f : {"", "garbage", "[]", R"(["enc"])", "\"x\"", "{", "NaN"})
    expect_fails_all(f, pnc::envelope::kNotJsonObject, pnc::kCloseInvalidPayload);
}

TEST(EnvelopeNegative, R1_DuplicateMemberStrictOnly) {
  std::string dup = R"({"enc":"bogus","enc":"chacha20poly1305","nonce":")" + ossl_b64(v2_nonce()) +
                    R"(","ciphertext":")" + ossl_b64(v2_ct()) + R"("})";
  expect_fails(Profile::seed_spec, dup, pnc::envelope::kNotJsonObject, pnc::kCloseInvalidPayload, v1_key());
  expect_fails(Profile::hardened, dup, pnc::envelope::kNotJsonObject, pnc::kCloseInvalidPayload, v1_key());
  Channel compat(Profile::sdk_compat, v1_key());
  EXPECT_TRUE(compat.receive_text(dup).delivered());  // Python json: last wins
}

TEST(EnvelopeNegative, R4_MalformedBase64) {
  Json j = Json::parse(gs("V2", "envelope"));
  j["nonce"] = "oKGio6Slpqeoqaq*";  // '*' outside the alphabet
  expect_fails(Profile::seed_spec, j.dump(), pnc::envelope::kInvalidEnvelope, pnc::kClosePolicy, v1_key());
  j["nonce"] = "oKGio6Slpqeoqaqr";
  j["ciphertext"] = "";  // N-ENC-06: empty
  expect_fails_all(j.dump(), pnc::envelope::kInvalidEnvelope, pnc::kClosePolicy);
}

TEST(EnvelopeNegative, ChecksRunInTheNormativeOrder) {
  // R3 before R4: a bad label wins over a bad nonce; R4 before R5: a short nonce is "invalid
  // envelope", not an authentication failure; R2 before R3: a missing member wins.
  EXPECT_EQ(pnc::envelope::open(gh("V1", "key"), frame("x", Bytes(5), v2_ct())).error().code,
            pnc::envelope::kUnsupportedEnc);
  EXPECT_EQ(pnc::envelope::open(gh("V1", "key"), frame("chacha20poly1305", Bytes(5), Bytes(3))).error().code,
            pnc::envelope::kInvalidEnvelope);
  Json j = {{"enc", "x"}, {"nonce", 1}};
  EXPECT_EQ(pnc::envelope::open(gh("V1", "key"), j.dump()).error().code, pnc::envelope::kMissingMember);
  // R5 before R7: garbage plaintext under a wrong key fails authentication.
  Bytes wrong(32, 9);
  EXPECT_EQ(pnc::envelope::open(wrong, ossl_envelope(gh("V1", "key"), Bytes(12, 1), "zzz")).error().code,
            pnc::envelope::kAuthFailed);
}

TEST(EnvelopeNegative, BinaryFrame) {
  for (Profile p : kAllProfiles) {
    Channel ch(p, v1_key());
    Outcome o = ch.receive_binary();
    EXPECT_FALSE(o.delivered());
    EXPECT_EQ(o.error->code, pnc::envelope::kBinaryFrame);
    if (pnc::is_strict(p)) {
      ASSERT_TRUE(o.close.has_value());
      EXPECT_EQ(o.close->code, pnc::kCloseUnsupportedData);
    } else {
      EXPECT_EQ(o.action, Outcome::Action::drop);  // §3.1: logged and ignored
      EXPECT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
    }
  }
}

TEST(EnvelopeNegative, ClosedChannelAcceptsNothing) {
  Channel ch(Profile::seed_spec, v1_key());
  ASSERT_EQ(ch.receive_text("garbage").action, Outcome::Action::close);
  Outcome o = ch.receive_text(gs("V2", "envelope"));
  EXPECT_FALSE(o.delivered());
  EXPECT_EQ(o.error->code, pnc::envelope::kClosed);
  ScriptedRng rng;
  EXPECT_EQ(ch.seal("{\"type\":\"x\"}", rng).error().code, pnc::envelope::kClosed);
}

TEST(EnvelopeNegative, RejectedFrameRecordsNoNonce) {
  // A frame failing R5 carrying the V2 nonce must not poison the cache (compat keeps going and
  // has no cache; strict closes): checked through the cache size on a fresh strict channel.
  Channel ch(Profile::seed_spec, v1_key());
  Bytes ct = v2_ct();
  ct[0] ^= 1;
  ch.receive_text(frame("chacha20poly1305", v2_nonce(), ct));
  EXPECT_EQ(ch.cached_nonces(), 0u);
}

// ---------------------------------------------------------------- positive controls

TEST(EnvelopePositive, UnknownMembersAnyOrderMinimalPlaintext) {
  Json extra = Json::parse(gs("V2", "envelope"));
  extra["x-unknown"] = {{"a", 1}};
  std::string reordered = R"({"ciphertext":")" + ossl_b64(v2_ct()) + R"(","nonce":")" +
                          ossl_b64(v2_nonce()) + R"(","enc":"chacha20poly1305"})";
  std::string minimal = ossl_envelope(gh("V1", "key"), Bytes(12, 0x77), R"({"type":"x"})");
  for (Profile p : kAllProfiles) {
    for (const std::string& f : {extra.dump(), reordered, minimal}) {
      Channel ch(p, v1_key());
      Outcome o = ch.receive_text(f);
      ASSERT_TRUE(o.delivered()) << pnc::to_string(p) << " " << f;
      EXPECT_FALSE(o.error.has_value());
    }
  }
  auto o = pnc::envelope::open(gh("V1", "key"), minimal);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->message, Json({{"type", "x"}}));
}

// ---------------------------------------------------------------- channel behaviour

TEST(EnvelopeChannel, DirectionalKeys) {
  Bytes c2s = ossl_hkdf(gh("V1", "salt"), gh("V1", "shared"), "platform-api-sdk-v1/c2s");
  Bytes s2c = ossl_hkdf(gh("V1", "salt"), gh("V1", "shared"), "platform-api-sdk-v1/s2c");
  ASSERT_NE(c2s, s2c);
  Channel client(Profile::hardened, pnc::Secret<32>(c2s), pnc::Secret<32>(s2c));
  Channel server(Profile::hardened, pnc::Secret<32>(s2c), pnc::Secret<32>(c2s));
  EXPECT_TRUE(client.directional());
  ScriptedRng rng;
  auto up = client.seal(R"({"type":"db_version_request"})", rng);
  ASSERT_TRUE(up.ok());
  // Sealed under K_c2s: OpenSSL opens it with that key.
  Json j = Json::parse(*up);
  EXPECT_EQ(pnc::to_string(ossl_chacha_open(c2s, pnc::test::b64(j["nonce"].get<std::string>()),
                                            pnc::test::b64(j["ciphertext"].get<std::string>()))),
            R"({"type":"db_version_request"})");
  Outcome in = server.receive_text(*up);
  ASSERT_TRUE(in.delivered());
  EXPECT_EQ(in.opened.message["type"], "db_version_request");
  auto down = server.seal(R"({"type":"db_version_response","payload":{"db_version":1}})", rng);
  ASSERT_TRUE(down.ok());
  EXPECT_TRUE(client.receive_text(*down).delivered());
  // Reflection of the client's own envelope fails authentication under K_s2c.
  Channel client2(Profile::hardened, pnc::Secret<32>(c2s), pnc::Secret<32>(s2c));
  auto own = client2.seal(R"({"type":"x"})", rng);
  ASSERT_TRUE(own.ok());
  Outcome refl = client2.receive_text(*own);
  ASSERT_TRUE(refl.error.has_value());
  EXPECT_EQ(refl.error->code, pnc::envelope::kAuthFailed);
  // An envelope under the single K (V2) fails on a directional channel.
  Channel server2(Profile::hardened, pnc::Secret<32>(s2c), pnc::Secret<32>(c2s));
  EXPECT_EQ(server2.receive_text(gs("V2", "envelope")).error->code, pnc::envelope::kAuthFailed);
}

TEST(EnvelopeChannel, StrictSenderNeverReusesAKnownNonce) {
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    Channel ch(p, v1_key());
    ASSERT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
    ScriptedRng rng;
    Bytes fresh(12, 0x5a);
    rng.push(v2_nonce());  // already received: must be redrawn
    rng.push(fresh);
    auto out = ch.seal(R"({"type":"x"})", rng);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(pnc::test::b64(Json::parse(*out)["nonce"].get<std::string>()), fresh);
    rng.push(fresh);  // already sent: redrawn too
    rng.push(Bytes(12, 0x5b));
    auto out2 = ch.seal(R"({"type":"x"})", rng);
    ASSERT_TRUE(out2.ok());
    EXPECT_EQ(pnc::test::b64(Json::parse(*out2)["nonce"].get<std::string>()), Bytes(12, 0x5b));
    EXPECT_EQ(ch.cached_nonces(), 3u);
  }
}

TEST(EnvelopeChannel, EnvelopeLimitCountsBothDirections) {
  Channel::Options opt;
  opt.max_envelopes = 3;
  for (Profile p : kAllProfiles) {
    Channel ch(p, v1_key(), opt);
    ScriptedRng rng;
    ASSERT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
    ASSERT_TRUE(ch.seal(R"({"type":"a"})", rng).ok());
    ASSERT_TRUE(ch.seal(R"({"type":"b"})", rng).ok());
    EXPECT_EQ(ch.envelopes(), 3u);
    auto fourth = ch.seal(R"({"type":"c"})", rng);
    if (pnc::is_strict(p)) {
      ASSERT_FALSE(fourth.ok());
      EXPECT_EQ(fourth.error().code, pnc::envelope::kLimitReached);
      Outcome in = ch.receive_text(ossl_envelope(gh("V1", "key"), Bytes(12, 0x66), R"({"type":"d"})"));
      ASSERT_EQ(in.action, Outcome::Action::close);
      EXPECT_EQ(in.error->code, pnc::envelope::kLimitReached);
      EXPECT_EQ(in.close->code, pnc::kCloseNormal);  // §5.2: close 1000 and reconnect
    } else {
      EXPECT_TRUE(fourth.ok());  // the limit is [SEED]
    }
  }
  EXPECT_EQ(pnc::envelope::kMaxEnvelopes, std::uint64_t{1} << 32);
}

TEST(EnvelopeChannel, CompatKeepsNoNonceCache) {
  Channel ch(Profile::sdk_compat, v1_key());
  ScriptedRng rng;
  ASSERT_TRUE(ch.receive_text(gs("V2", "envelope")).delivered());
  ASSERT_TRUE(ch.seal(R"({"type":"a"})", rng).ok());
  EXPECT_EQ(ch.cached_nonces(), 0u);
}

// ---------------------------------------------------------------- P-ENV (§14)

TEST(EnvelopeProperty, RoundTripFreshNoncesAndBitFlips) {
  pnc::DeterministicRng rng(std::uint64_t{20261127});
  Bytes key = gh("V1", "key");
  for (int i = 0; i < 300; ++i) {
    Json msg = {{"type", "t" + std::to_string(i)},
                {"data", pnc::test::to_hex(rng.bytes(static_cast<std::size_t>(i % 40)))},
                {"n", i}};
    std::string pt = msg.dump();
    auto a = pnc::envelope::seal(key, pt, rng);
    auto b = pnc::envelope::seal(key, pt, rng);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(*a, *b);  // fresh nonces
    auto o = pnc::envelope::open(key, *a);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->plaintext, pt);
    EXPECT_EQ(o->message, msg);
    // OpenSSL agrees on every envelope.
    Json j = Json::parse(*a);
    EXPECT_EQ(pnc::to_string(ossl_chacha_open(key, pnc::test::b64(j["nonce"].get<std::string>()),
                                              pnc::test::b64(j["ciphertext"].get<std::string>()))), pt);
  }
  // Every single-bit flip of nonce, ciphertext or tag fails to open.
  Bytes nonce = v2_nonce(), ct = v2_ct();
  for (std::size_t bit = 0; bit < nonce.size() * 8; ++bit) {
    Bytes n = nonce;
    n[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(pnc::envelope::open(key, frame("chacha20poly1305", n, ct)).ok()) << bit;
  }
  for (std::size_t bit = 0; bit < ct.size() * 8; ++bit) {
    Bytes c = ct;
    c[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    auto r = pnc::envelope::open(key, frame("chacha20poly1305", nonce, c));
    ASSERT_FALSE(r.ok()) << bit;
    EXPECT_EQ(r.error().code, pnc::envelope::kAuthFailed);
  }
}


// ---------------------------------------------------------------- fault switches (mutants)
// Each campaign-only mutant's switch (pnc/testing/faults.hpp) changes exactly one verdict: the
// spec's channel refuses the frame, the faulted one delivers it.

Channel faulted(Profile p, const pnc::testing::EnvelopeFaults& f) {
  Channel::Options o;
  o.faults = &f;
  return Channel(p, v1_key(), o);
}

TEST(EnvelopeFaultSwitches, EncPrefixCompareAcceptsALongerLabel) {
  Json j = Json::parse(gs("V2", "envelope"));
  j["enc"] = "chacha20poly1305x";
  pnc::testing::EnvelopeFaults f;
  f.enc_prefix_compare = true;
  Channel spec(Profile::seed_spec, v1_key());
  EXPECT_EQ(spec.receive_text(j.dump()).error->code, pnc::envelope::kUnsupportedEnc);
  EXPECT_TRUE(faulted(Profile::seed_spec, f).receive_text(j.dump()).delivered());
  // Still refused by the faulted channel: a shorter or different label.
  j["enc"] = "chacha20poly130";
  EXPECT_FALSE(faulted(Profile::seed_spec, f).receive_text(j.dump()).delivered());
}

TEST(EnvelopeFaultSwitches, LenientEnvelopeJsonAcceptsADuplicateMember) {
  std::string text = gs("V2", "envelope");
  text.insert(1, "\"enc\":\"chacha20poly1305\",");  // `enc` twice, same value
  pnc::testing::EnvelopeFaults f;
  f.lenient_envelope_json = true;
  Channel spec(Profile::seed_spec, v1_key());
  const Outcome refused = spec.receive_text(text);
  ASSERT_TRUE(refused.close.has_value());
  EXPECT_EQ(refused.close->code, pnc::kCloseInvalidPayload);  // R1: not strict JSON -> 1007
  EXPECT_TRUE(faulted(Profile::seed_spec, f).receive_text(text).delivered());
}

TEST(EnvelopeFaultSwitches, ReplayCacheOfFourForgetsTheFifthOldestNonce) {
  pnc::testing::EnvelopeFaults f;
  f.replay_cache_last_4 = true;
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    Channel spec(p, v1_key());
    Channel fault = faulted(p, f);
    std::vector<std::string> frames;
    for (std::uint8_t i = 0; i < 5; ++i)
      frames.push_back(ossl_envelope(v1_key().view(), Bytes(12, i), "{\"type\":\"x\"}"));
    for (const auto& fr : frames) {
      ASSERT_TRUE(spec.receive_text(fr).delivered());
      ASSERT_TRUE(fault.receive_text(fr).delivered());
    }
    // The newest nonce is still remembered by both; the oldest only by the spec's exact set.
    EXPECT_EQ(spec.receive_text(frames[0]).error->code, pnc::envelope::kReplay);
    Channel fault2 = faulted(p, f);
    for (const auto& fr : frames) ASSERT_TRUE(fault2.receive_text(fr).delivered());
    EXPECT_EQ(fault2.receive_text(frames[4]).error->code, pnc::envelope::kReplay);
    EXPECT_TRUE(fault.receive_text(frames[0]).delivered());
  }
}

}  // namespace
