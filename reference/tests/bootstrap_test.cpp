// HTTP bootstrap (PROTOCOL.md §2): nonce lifecycle, the §2.5 status of every step, N-BOOT-01..07,
// N-X-03, vector V3, and a full exchange between both sides. Independent oracles: libsodium
// X25519 and OpenSSL HKDF recompute the session key; expected values come from golden() or §2.
#include "pnc/testing/faults.hpp"
#include "pnc/bootstrap.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <sodium.h>

#include <limits>
#include <regex>

#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "support/vectors.hpp"

namespace pnc::bootstrap {
namespace {

using nlohmann::json;
using test::b64;
using test::gh;
using test::gs;
using test::hex;
using test::to_hex;

constexpr std::int64_t kNow = 1700000000;

std::string ossl_b64(ByteView data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Bytes ossl_hkdf(ByteView salt, ByteView ikm, std::string_view info) {
  Bytes out(32);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
  std::size_t len = out.size();
  const bool ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) > 0 &&
                  EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt.data(), static_cast<int>(salt.size())) > 0 &&
                  EVP_PKEY_CTX_set1_hkdf_key(ctx, ikm.data(), static_cast<int>(ikm.size())) > 0 &&
                  EVP_PKEY_CTX_add1_hkdf_info(ctx, reinterpret_cast<const unsigned char*>(info.data()),
                                              static_cast<int>(info.size())) > 0 &&
                  EVP_PKEY_derive(ctx, out.data(), &len) > 0;
  EVP_PKEY_CTX_free(ctx);
  EXPECT_TRUE(ok);
  return out;
}

// §12.2 low-order X25519 encodings (a sample, both bit-255 forms) and §12.3 small-order Ed25519.
Bytes low_order_x25519(int i) {
  Bytes b(32, 0);
  if (i == 1) b[0] = 1;
  if (i == 2) b[31] = 0x80;
  if (i == 3) b = hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
  if (i == 4) b = hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  return b;
}

struct FakeRegistry final : signed_http::SessionRegistry {
  std::map<std::string, signed_http::Session> sessions;
  bool refuse = false;
  Status add(std::string token, signed_http::Session s, std::int64_t) override {
    if (refuse) return make_error("fake.refused", "refused");
    sessions.emplace(std::move(token), std::move(s));
    return {};
  }
};

struct FakeDcap final : DcapVerifier {
  Status result;
  Status verify(ByteView) override { return result; }
};

class Bootstrap : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }

  AttestVerifier make(Profile p, QuoteCheck check = mock_quote_check()) {
    return AttestVerifier(store_, registry_, std::move(check), clock_, rng_, AttestVerifierOptions{p});
  }
  std::string issue(AttestVerifier& v) {
    auto r = v.challenge();
    EXPECT_EQ(r.status, 200);
    return json::parse(r.body).at("nonce").get<std::string>();
  }
  // A valid seed-form /attest body for `nonce` (B64 quote: MockQuoteV4 bound to the nonce text).
  json body_for(const std::string& nonce) {
    auto body = build_attest_body(keys_, nonce, tdx::mock_quote_v4_for(attest_report_data(nonce)));
    EXPECT_TRUE(body.ok());
    return json::parse(*body);
  }
  Reply post(AttestVerifier& v, const json& body, std::optional<std::string_view> ct = "application/json") {
    return v.attest(ct, body.dump());
  }
  void expect(const Reply& r, int status, const char* reason) {
    EXPECT_EQ(r.status, status) << r.reason;
    EXPECT_EQ(r.reason, reason);
  }

  FixedClock clock_{kNow};
  DeterministicRng rng_{42};
  NonceStore store_;
  FakeRegistry registry_;
  ChallengeKeys keys_ = generate_challenge_keys(rng_);
};

// ---------------------------------------------------------------- V3 and nonce issue

TEST(BootstrapVectors, V3HttpReportData) {
  const auto rd = attest_report_data(gs("V3", "nonce_hex"));
  EXPECT_EQ(to_hex(ByteView(rd.data(), 32)), gs("V3", "rd_http"));
  EXPECT_EQ(Bytes(rd.begin() + 32, rd.end()), Bytes(32, 0));
  EXPECT_NE(to_hex(ByteView(rd.data(), 32)), gs("V3", "rd_ws"));  // D-02: not the WS binding
}

TEST_F(Bootstrap, ChallengeIssuesHexNonceExpiringIn300s) {
  auto v = make(Profile::seed_spec);
  const auto r = v.challenge();
  ASSERT_EQ(r.status, 200);
  const auto j = json::parse(r.body);
  EXPECT_EQ(j.size(), 2u);
  EXPECT_TRUE(std::regex_match(j.at("nonce").get<std::string>(), std::regex("^[0-9a-f]{64}$")));
  ASSERT_TRUE(j.at("expires_at").is_number_integer());  // D-41: integer
  EXPECT_EQ(j.at("expires_at").get<std::int64_t>(), kNow + 300);
  EXPECT_NE(issue(v), j.at("nonce").get<std::string>());
}

TEST(BootstrapNonceStore, SingleUseAndExpiry) {
  NonceStore s;
  DeterministicRng rng(1);
  auto n = s.issue(1000, rng);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->expires_at, 1300);
  EXPECT_EQ(s.check(n->nonce, 1300), NonceStore::Check::ok);
  EXPECT_EQ(s.check(n->nonce, 1301), NonceStore::Check::expired);
  EXPECT_EQ(s.check(std::string(64, 'a'), 1000), NonceStore::Check::unknown);
  EXPECT_EQ(s.consume(n->nonce, 1100), NonceStore::Check::ok);
  EXPECT_EQ(s.consume(n->nonce, 1100), NonceStore::Check::used);
  EXPECT_EQ(s.check(n->nonce, 1200), NonceStore::Check::used);
}

// A caller's clock at the edge of int64 (fuzz_shim_differential passed now = INT64_MAX under
// UBSan): the expiry saturates instead of overflowing, and the nonce is still fresh at that time.
TEST(BootstrapNonceStore, ExpiryAtTheEndOfTimeSaturates) {
  NonceStore s;
  DeterministicRng rng(3);
  const std::int64_t end = std::numeric_limits<std::int64_t>::max();
  auto n = s.issue(end, rng);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->expires_at, end);
  EXPECT_EQ(s.check(n->nonce, end), NonceStore::Check::ok);
  EXPECT_EQ(sat_add(end - 10, 300), end);
  EXPECT_EQ(sat_sub(std::numeric_limits<std::int64_t>::min() + 10, 300), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(sat_add(1000, 300), 1300);
}

TEST(BootstrapNonceStore, BoundedRefusesWhenFull) {
  NonceStore s(2);
  DeterministicRng rng(2);
  ASSERT_TRUE(s.issue(1000, rng).ok());
  ASSERT_TRUE(s.issue(1100, rng).ok());
  auto full = s.issue(1200, rng);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, errc::kNonceStoreFull);
  EXPECT_FALSE(s.issue(1300, rng).ok());  // first one still valid at its expiry second
  EXPECT_TRUE(s.issue(1301, rng).ok());   // first expired and purged
  EXPECT_EQ(s.size(), 2u);
}

TEST_F(Bootstrap, ChallengeAnswers503WhenStoreFull) {
  NonceStore tiny(1);
  AttestVerifier v(tiny, registry_, mock_quote_check(), clock_, rng_);
  EXPECT_EQ(v.challenge().status, 200);
  expect(v.challenge(), 503, errc::kNonceStoreFull);
}

// ---------------------------------------------------------------- full exchange

TEST_F(Bootstrap, FullExchangeBothSidesDeriveTheSameKey) {
  auto v = make(Profile::seed_spec);
  auto nr = v.challenge();
  auto nonce = parse_nonce_response(nr.status, nr.body);
  ASSERT_TRUE(nonce.ok());
  auto evidence = tdx::MockQuoteProvider().get_quote(attest_report_data(*nonce));
  ASSERT_TRUE(evidence.ok());
  auto body = build_attest_body(keys_, *nonce, *evidence);
  ASSERT_TRUE(body.ok());
  const auto r = v.attest("application/json", *body);
  ASSERT_EQ(r.status, 200) << r.reason;

  const auto j = json::parse(r.body);
  const auto token = j.at("session_token").get<std::string>();
  EXPECT_TRUE(std::regex_match(
      token, std::regex("^session_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")))
      << token;
  EXPECT_EQ(j.at("attested"), true);
  EXPECT_EQ(j.at("crypto").at("aead"), "chacha20poly1305");
  const auto srv = b64(j.at("crypto").at("srv_x25519_pub").get<std::string>());
  const auto salt = b64(j.at("crypto").at("hkdf_salt").get<std::string>());
  ASSERT_EQ(srv.size(), 32u);
  ASSERT_EQ(salt.size(), 32u);

  // Registered session.
  ASSERT_EQ(registry_.sessions.size(), 1u);
  const auto& s = registry_.sessions.begin()->second;
  EXPECT_EQ(registry_.sessions.begin()->first, token);
  EXPECT_EQ(s.ed_public, Bytes(keys_.ed_pk.begin(), keys_.ed_pk.end()));
  EXPECT_EQ(s.expires_at, kNow + 3600);
  ASSERT_TRUE(s.aead_key.has_value());

  // Challenge side.
  auto cs = process_attest_response(200, r.body, keys_);
  ASSERT_TRUE(cs.ok()) << cs.error().code;
  EXPECT_EQ(cs->session_token, token);
  ASSERT_TRUE(cs->aead_key.has_value());
  EXPECT_EQ(to_hex(cs->aead_key->view()), to_hex(s.aead_key->view()));
  // Independent recomputation: libsodium X25519 + OpenSSL HKDF.
  Bytes shared(32);
  ASSERT_EQ(crypto_scalarmult(shared.data(), keys_.x25519_sk.data(), srv.data()), 0);
  EXPECT_EQ(to_hex(cs->aead_key->view()), to_hex(ossl_hkdf(salt, shared, "platform-api-sdk-v1")));
  // SDK_EPHEMERAL_SK_B64 = B64(32-byte seed).
  ASSERT_TRUE(cs->sdk_ephemeral_sk_b64.has_value());
  EXPECT_EQ(b64(to_string(cs->sdk_ephemeral_sk_b64->view())), Bytes(keys_.ed_seed.view().begin(), keys_.ed_seed.view().end()));
  // The nonce is spent.
  expect(post(v, json::parse(*body)), 401, errc::kNonceUsed);
  EXPECT_EQ(registry_.sessions.size(), 1u);
}

TEST_F(Bootstrap, CompatVerifierAdvertisesXChachaLabel) {
  auto v = make(Profile::sdk_compat);
  const auto r = post(v, body_for(std::string(64, '7')));  // VAL never issued it: accepted
  ASSERT_EQ(r.status, 200) << r.reason;
  EXPECT_EQ(json::parse(r.body).at("crypto").at("aead"), "xchacha20poly1305");  // D-20
  // The SEED client refuses that label; the SDK reads no label.
  auto seed = process_attest_response(200, r.body, keys_);
  ASSERT_FALSE(seed.ok());
  EXPECT_EQ(seed.error().code, errc::kBadAead);
  auto compat = process_attest_response(200, r.body, keys_, Profile::sdk_compat);
  ASSERT_TRUE(compat.ok());
  EXPECT_EQ(to_hex(compat->aead_key->view()), to_hex(registry_.sessions.begin()->second.aead_key->view()));
}

// ---------------------------------------------------------------- N-BOOT-01

TEST_F(Bootstrap, NBoot01NonceNeverIssued) {
  auto v = make(Profile::seed_spec);
  const std::string forged(64, 'a');
  expect(post(v, body_for(forged)), 401, errc::kNonceUnknown);
  EXPECT_TRUE(registry_.sessions.empty());
  auto val = make(Profile::sdk_compat);
  EXPECT_EQ(post(val, body_for(forged)).status, 200);  // D-41
}

TEST_F(Bootstrap, NBoot01NonceExpired) {
  auto v = make(Profile::seed_spec);
  const auto n1 = issue(v);
  const auto n2 = issue(v);
  clock_.advance(300);
  EXPECT_EQ(post(v, body_for(n1)).status, 200);  // at expires_at: still valid
  clock_.advance(1);
  expect(post(v, body_for(n2)), 401, errc::kNonceExpired);
}

TEST_F(Bootstrap, NBoot01NonceReused) {
  auto v = make(Profile::seed_spec);
  const auto n = issue(v);
  EXPECT_EQ(post(v, body_for(n)).status, 200);
  expect(post(v, body_for(n)), 401, errc::kNonceUsed);
  auto val = make(Profile::sdk_compat);
  EXPECT_EQ(post(val, body_for(n)).status, 200);
  EXPECT_EQ(post(val, body_for(n)).status, 200);
}

TEST_F(Bootstrap, RejectedRequestDoesNotSpendNonce) {
  auto v = make(Profile::seed_spec);
  const auto n = issue(v);
  auto bad = body_for(n);
  bad["attestation"]["attestation_type"] = "tdx";
  expect(post(v, bad), 400, errc::kBadAttestationType);
  EXPECT_TRUE(registry_.sessions.empty());
  EXPECT_EQ(post(v, body_for(n)).status, 200);
}

// ---------------------------------------------------------------- N-BOOT-02..06

TEST_F(Bootstrap, NBoot02ReportDataOfDecodedNonce) {
  for (auto p : {Profile::seed_spec, Profile::sdk_compat}) {
    auto v = make(p);
    const auto n = issue(v);
    auto body = body_for(n);
    const auto ws = tdx::mock_quote_v4(hex(n));  // SHA256(decoded bytes): the WebSocket binding
    body["attestation"]["quote"] = ossl_b64(ws.quote);
    expect(post(v, body), 401, errc::kReportData);
  }
}

TEST_F(Bootstrap, NBoot03AttestationType) {
  for (auto p : {Profile::seed_spec, Profile::sdk_compat}) {
    auto v = make(p);
    for (json t : {json("tdx"), json("Sgx"), json("TDX"), json(nullptr), json(1)}) {
      auto body = body_for(issue(v));
      body["attestation"]["attestation_type"] = t;
      expect(post(v, body), 400, errc::kBadAttestationType);
    }
    auto body = body_for(issue(v));
    body["attestation"].erase("attestation_type");
    expect(post(v, body), 400, errc::kBadAttestationType);
  }
}

TEST_F(Bootstrap, NBoot04HexQuote) {
  const auto n = std::string(64, 'b');
  auto val = make(Profile::sdk_compat);
  // The SDK emits the hex form (D-19) ...
  const auto ev = tdx::mock_quote_v4_for(attest_report_data(n));
  auto compat_body = build_attest_body(keys_, n, ev, Profile::sdk_compat);
  ASSERT_TRUE(compat_body.ok());
  const auto cj = json::parse(*compat_body);
  EXPECT_EQ(cj.at("attestation").at("quote"), to_hex(ev.quote));
  // ... which base64-decodes (even length, multiple of 4) to garbage: VAL 500, SEED 400.
  ASSERT_EQ(to_hex(ev.quote).size() % 4, 0u);
  expect(post(val, cj), 500, errc::kQuoteUnparseable);
  auto v = make(Profile::seed_spec);
  auto body = body_for(issue(v));
  body["attestation"]["quote"] = to_hex(ev.quote);
  expect(post(v, body), 400, errc::kQuoteUnparseable);
}

TEST_F(Bootstrap, NBoot05EvidenceMissingOrNull) {
  for (const char* member : {"event_log", "rtmrs"}) {
    auto v = make(Profile::seed_spec);
    auto missing = body_for(issue(v));
    missing["attestation"].erase(member);
    expect(post(v, missing), 400, errc::kEvidenceMissing);
    auto null = body_for(issue(v));
    null["attestation"][member] = nullptr;
    expect(post(v, null), 400, errc::kEvidenceMissing);

    auto val = make(Profile::sdk_compat);
    auto vm = body_for(std::string(64, 'c'));
    vm["attestation"].erase(member);
    expect(post(val, vm), 400, errc::kEvidenceMissing);
    auto vn = body_for(std::string(64, 'c'));
    vn["attestation"][member] = nullptr;
    EXPECT_EQ(post(val, vn).status, 200);  // quirk
  }
}

TEST_F(Bootstrap, NBoot06EphemeralKey) {
  auto v = make(Profile::seed_spec);
  const std::vector<Bytes> bad = {
      Bytes(31, 1), Bytes(33, 1),
      hex("0100000000000000000000000000000000000000000000000000000000000000"),  // identity
      hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // order 2
      hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),  // order 8
      hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // y = p
  };
  for (const auto& k : bad) {
    auto body = body_for(issue(v));
    body["ephemeral_public_key"] = ossl_b64(k);
    expect(post(v, body), 400, errc::kBadEd25519Key);
  }
  auto body = body_for(issue(v));
  body["ephemeral_public_key"] = "not base64!";
  expect(post(v, body), 400, errc::kBadEd25519Key);
  // VAL only needs valid base64 of any length.
  auto val = make(Profile::sdk_compat);
  auto vb = body_for(std::string(64, 'd'));
  vb["ephemeral_public_key"] = ossl_b64(Bytes(31, 1));
  EXPECT_EQ(post(val, vb).status, 200);
  vb["ephemeral_public_key"] = "***";
  expect(post(val, vb), 400, errc::kBadEd25519Key);
}

TEST_F(Bootstrap, NX03LowOrderSdkX25519) {
  for (int i = 0; i < 5; ++i) {
    auto v = make(Profile::seed_spec);
    const auto n = issue(v);
    auto body = body_for(n);
    body["sdk_x25519_pub"] = ossl_b64(low_order_x25519(i));
    expect(post(v, body), 400, errc::kLowOrderX25519);
    EXPECT_EQ(store_.check(n, clock_.now()), NonceStore::Check::ok);  // not spent
    auto val = make(Profile::sdk_compat);
    EXPECT_EQ(post(val, body).status, 200);  // x25519-dalek has no check (D-33)
  }
}

// ---------------------------------------------------------------- §2.5 step statuses

TEST_F(Bootstrap, ExtractorStatuses) {
  auto v = make(Profile::seed_spec);
  const auto good = body_for(issue(v));
  expect(v.attest(std::nullopt, good.dump()), 415, errc::kUnsupportedMediaType);
  expect(v.attest("text/plain", good.dump()), 415, errc::kUnsupportedMediaType);
  expect(v.attest("application/json", "{not json"), 400, errc::kBadJson);
  expect(v.attest("application/json", "[]"), 422, errc::kUnprocessable);
  for (const char* m : {"ephemeral_public_key", "sdk_x25519_pub", "attestation"}) {
    auto missing = good;
    missing.erase(m);
    expect(post(v, missing), 422, errc::kUnprocessable);
    auto typed = good;
    typed[m] = 5;
    expect(post(v, typed), 422, errc::kUnprocessable);
  }
  // Content-Type with parameters / a +json subtype is JSON.
  EXPECT_EQ(v.attest("Application/JSON; charset=utf-8", good.dump()).status, 200);
  EXPECT_EQ(v.attest("application/vnd.pnc+json", body_for(issue(v)).dump()).status, 200);
  // Strict JSON: duplicate members rejected.
  expect(v.attest("application/json", R"({"a":1,"a":2})"), 400, errc::kBadJson);
}

TEST_F(Bootstrap, Step2QuoteAndNonceMustBeStrings) {
  auto v = make(Profile::seed_spec);
  for (const char* m : {"quote", "nonce"}) {
    for (json bad : {json(nullptr), json(7), json::array()}) {
      auto body = body_for(issue(v));
      body["attestation"][m] = bad;
      expect(post(v, body), 400, errc::kBadQuoteOrNonce);
    }
  }
}

TEST_F(Bootstrap, Step3QuoteBase64) {
  auto v = make(Profile::seed_spec);
  for (const char* q : {"!!!!", "AAA", "AA==AA==", "AAF="}) {
    auto body = body_for(issue(v));
    body["attestation"]["quote"] = q;
    expect(post(v, body), 400, errc::kQuoteEncoding);
  }
}

TEST_F(Bootstrap, Step4Verification) {
  auto q = [](Status s) { return [s](ByteView, std::string_view) { return s; }; };
  {
    auto v = make(Profile::seed_spec, q(make_error("attest.dcap_failed", "x")));
    expect(post(v, body_for(issue(v))), 400, errc::kQuoteRejected);
  }
  {
    auto v = make(Profile::seed_spec, q(make_error(errc::kCollateral, "pccs down")));
    expect(post(v, body_for(issue(v))), 500, errc::kCollateral);
  }
  {
    auto v = make(Profile::seed_spec, QuoteCheck{});
    expect(post(v, body_for(issue(v))), 500, errc::kNoQuoteVerifier);
  }
  {  // truncated quote: unparseable
    auto v = make(Profile::seed_spec);
    auto body = body_for(issue(v));
    auto raw = b64(body["attestation"]["quote"].get<std::string>());
    raw.resize(600);
    body["attestation"]["quote"] = ossl_b64(raw);
    expect(post(v, body), 400, errc::kQuoteUnparseable);
  }
  {  // mock quote with a broken mock signature
    auto v = make(Profile::seed_spec);
    auto body = body_for(issue(v));
    auto raw = b64(body["attestation"]["quote"].get<std::string>());
    raw[tdx::kOffSigData] ^= 1;
    body["attestation"]["quote"] = ossl_b64(raw);
    expect(post(v, body), 400, errc::kQuoteRejected);
  }
  {  // the injected function sees the quote bytes and the nonce text
    std::string seen_nonce;
    std::size_t seen_len = 0;
    auto v = make(Profile::seed_spec, [&](ByteView quote, std::string_view n) -> Status {
      seen_len = quote.size();
      seen_nonce = std::string(n);
      return {};
    });
    const auto n = issue(v);
    EXPECT_EQ(post(v, body_for(n)).status, 200);
    EXPECT_EQ(seen_nonce, n);
    EXPECT_EQ(seen_len, tdx::mock_quote_v4_for(attest_report_data(n)).quote.size());
  }
}

TEST_F(Bootstrap, Step4ProdDcapCheck) {
  FakeDcap dcap;
  auto v = make(Profile::seed_spec, dcap_quote_check(dcap));
  // A mock quote is refused in prod even when DCAP would pass.
  expect(post(v, body_for(issue(v))), 400, errc::kQuoteRejected);
  // A non-mock quote (marker removed) goes to DCAP.
  const auto n = issue(v);
  auto parsed = tdx::parse_quote(tdx::mock_quote_v4_for(attest_report_data(n)).quote);
  ASSERT_TRUE(parsed.ok());
  parsed->user_data.fill(0);
  auto body = body_for(n);
  body["attestation"]["quote"] = ossl_b64(tdx::serialize_quote(*parsed));
  EXPECT_EQ(post(v, body).status, 200);
  dcap.result = make_error(attest_errc::kDcap, "tcb OutOfDate");
  const auto n2 = issue(v);
  auto p2 = tdx::parse_quote(tdx::mock_quote_v4_for(attest_report_data(n2)).quote);
  ASSERT_TRUE(p2.ok());
  p2->user_data.fill(0);
  auto body2 = body_for(n2);
  body2["attestation"]["quote"] = ossl_b64(tdx::serialize_quote(*p2));
  expect(post(v, body2), 400, errc::kQuoteRejected);
}

TEST_F(Bootstrap, Step6EventLogAndRtmrsShape) {
  auto v = make(Profile::seed_spec);
  auto body = body_for(issue(v));
  body["attestation"]["event_log"] = "[{unterminated";
  expect(post(v, body), 400, errc::kBadEventLog);
  body = body_for(issue(v));
  body["attestation"]["event_log"] = json::array();  // not JSON text
  expect(post(v, body), 400, errc::kBadEventLog);
  body = body_for(issue(v));
  body["attestation"]["rtmrs"] = json::array({"00", "00", "00", "00"});
  expect(post(v, body), 400, errc::kBadRtmrs);
  auto val = make(Profile::sdk_compat);
  auto vb = body_for(std::string(64, 'e'));
  vb["attestation"]["event_log"] = "[{unterminated";
  expect(post(val, vb), 400, errc::kBadEventLog);
  vb = body_for(std::string(64, 'e'));
  vb["attestation"]["rtmrs"] = json::array();
  EXPECT_EQ(post(val, vb).status, 200);
}

TEST_F(Bootstrap, Step7SdkX25519Length) {
  for (auto p : {Profile::seed_spec, Profile::sdk_compat}) {
    auto v = make(p);
    for (const auto& k : {ossl_b64(Bytes(31, 9)), ossl_b64(Bytes(33, 9)), std::string("@@@@")}) {
      auto body = body_for(issue(v));
      body["sdk_x25519_pub"] = k;
      expect(post(v, body), 400, errc::kBadX25519Key);
    }
  }
}

TEST_F(Bootstrap, StepOrderFirstFailureWins) {
  auto v = make(Profile::seed_spec);
  auto body = body_for(issue(v));
  body["attestation"]["attestation_type"] = "Sgx";  // step 1
  body["attestation"]["quote"] = "!!";               // step 3
  body["sdk_x25519_pub"] = ossl_b64(Bytes(3, 0));    // step 7
  expect(post(v, body), 400, errc::kBadAttestationType);
  body["attestation"]["attestation_type"] = "Tdx";
  expect(post(v, body), 400, errc::kQuoteEncoding);
}

TEST_F(Bootstrap, RegistryRefusalIs500) {
  registry_.refuse = true;
  auto v = make(Profile::seed_spec);
  expect(post(v, body_for(issue(v))), 500, errc::kSessionRegistration);
}

// ---------------------------------------------------------------- challenge side

TEST(BootstrapClient, ParseNonceResponse) {
  const std::string h(64, 'f');
  EXPECT_EQ(parse_nonce_response(200, R"({"nonce":")" + h + R"(","expires_at":1})").value(), h);
  auto code = [](int st, std::string_view b, Profile p = Profile::seed_spec) {
    auto r = parse_nonce_response(st, b, p);
    return r.ok() ? "ok:" + *r : r.error().code;
  };
  EXPECT_EQ(code(500, R"({"nonce":")" + h + "\"}"), errc::kHttpStatus);
  EXPECT_EQ(code(200, R"({"nonce":")" + std::string(63, 'f') + "\"}"), errc::kBadNonceResponse);
  EXPECT_EQ(code(200, R"({"nonce":"0x)" + std::string(62, 'f') + "\"}"), errc::kBadNonceResponse);
  EXPECT_EQ(code(200, R"({"nonce":123})"), errc::kBadNonceResponse);
  EXPECT_EQ(code(200, R"({})"), errc::kBadNonceResponse);
  EXPECT_EQ(code(200, "nope"), errc::kBadNonceResponse);
  // COMPAT: any string, missing -> "".
  EXPECT_EQ(code(200, R"({"nonce":"abc"})", Profile::sdk_compat), "ok:abc");
  EXPECT_EQ(code(200, R"({})", Profile::sdk_compat), "ok:");
  EXPECT_EQ(code(404, R"({})", Profile::sdk_compat), errc::kHttpStatus);
}

TEST_F(Bootstrap, AttestBodyShapeSeedAndCompat) {
  const std::string n(64, '1');
  const auto ev = tdx::mock_quote_v4_for(attest_report_data(n));
  auto seed = build_attest_body(keys_, n, ev);
  ASSERT_TRUE(seed.ok());
  const auto j = json::parse(*seed);
  EXPECT_EQ(b64(j.at("ephemeral_public_key").get<std::string>()), Bytes(keys_.ed_pk.begin(), keys_.ed_pk.end()));
  EXPECT_EQ(b64(j.at("sdk_x25519_pub").get<std::string>()), Bytes(keys_.x25519_pub.begin(), keys_.x25519_pub.end()));
  const auto& a = j.at("attestation");
  EXPECT_EQ(a.at("attestation_type"), "Tdx");
  EXPECT_EQ(a.at("nonce"), n);
  EXPECT_EQ(b64(a.at("quote").get<std::string>()), ev.quote);
  EXPECT_TRUE(a.at("report").is_null());
  EXPECT_EQ(a.at("measurements"), json::array());
  EXPECT_EQ(a.at("capabilities"), json::array({"cvm"}));
  EXPECT_EQ(a.at("event_log"), *ev.event_log);
  EXPECT_EQ(a.at("rtmrs"), ev.rtmrs);
  // No quote: SEED refuses, COMPAT sends null.
  auto none = build_attest_body(keys_, n, std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, errc::kNoQuote);
  auto compat = build_attest_body(keys_, n, std::nullopt, Profile::sdk_compat);
  ASSERT_TRUE(compat.ok());
  EXPECT_TRUE(json::parse(*compat).at("attestation").at("quote").is_null());
}

class BootstrapResponse : public Bootstrap {
 protected:
  json response(std::size_t salt_len = 32, Bytes srv = {}) {
    if (srv.empty()) {
      Bytes sk(32, 7);
      srv.resize(32);
      crypto_scalarmult_base(srv.data(), sk.data());
    }
    return json{{"session_token", "session_x"},
                {"attested", true},
                {"crypto",
                 {{"srv_x25519_pub", ossl_b64(srv)},
                  {"aead", "chacha20poly1305"},
                  {"hkdf_salt", ossl_b64(Bytes(salt_len, 3))}}}};
  }
  std::string code(const json& j, Profile p = Profile::seed_spec, int status = 200) {
    auto r = process_attest_response(status, j.dump(), keys_, p);
    return r.ok() ? "ok" : r.error().code;
  }
};

TEST_F(BootstrapResponse, NBoot07SaltAndLowOrderServerKey) {
  EXPECT_EQ(code(response()), "ok");
  EXPECT_EQ(code(response(31)), errc::kBadSalt);
  EXPECT_EQ(code(response(33)), errc::kBadSalt);
  EXPECT_EQ(code(response(31), Profile::sdk_compat), "ok");  // D-09: any length
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(code(response(32, low_order_x25519(i))), errc::kLowOrderServerKey) << i;
    EXPECT_EQ(code(response(32, low_order_x25519(i)), Profile::sdk_compat), errc::kLowOrderServerKey);
  }
  EXPECT_EQ(code(response(32, Bytes(31, 5))), errc::kBadServerKey);
}

TEST_F(BootstrapResponse, DerivesKeyPerSection26) {
  auto j = response();
  auto r = process_attest_response(200, j.dump(), keys_);
  ASSERT_TRUE(r.ok());
  Bytes srv = b64(j["crypto"]["srv_x25519_pub"].get<std::string>());
  Bytes shared(32);
  ASSERT_EQ(crypto_scalarmult(shared.data(), keys_.x25519_sk.data(), srv.data()), 0);
  EXPECT_EQ(to_hex(r->aead_key->view()), to_hex(ossl_hkdf(Bytes(32, 3), shared, "platform-api-sdk-v1")));
  EXPECT_EQ(r->session_token, "session_x");
}

TEST_F(BootstrapResponse, StrictAndCompatShapes) {
  EXPECT_EQ(code(response(), Profile::seed_spec, 500), errc::kHttpStatus);
  EXPECT_EQ(process_attest_response(200, "", keys_).error().code, errc::kBadAttestResponse);
  auto no_crypto = response();
  no_crypto.erase("crypto");
  EXPECT_EQ(code(no_crypto), errc::kBadAttestResponse);
  auto compat = process_attest_response(200, no_crypto.dump(), keys_, Profile::sdk_compat);
  ASSERT_TRUE(compat.ok());
  EXPECT_FALSE(compat->aead_key.has_value());          // §2.6 step 4
  EXPECT_FALSE(compat->sdk_ephemeral_sk_b64.has_value());
  auto no_token = response();
  no_token.erase("session_token");
  EXPECT_EQ(code(no_token), errc::kBadAttestResponse);
  auto ct = process_attest_response(200, no_token.dump(), keys_, Profile::sdk_compat);
  ASSERT_TRUE(ct.ok());
  EXPECT_FALSE(ct->session_token.has_value());
  auto alt = response();
  alt["crypto"]["hkdf_salt_b64"] = alt["crypto"]["hkdf_salt"];
  alt["crypto"].erase("hkdf_salt");
  EXPECT_EQ(code(alt), errc::kBadAttestResponse);
  EXPECT_EQ(code(alt, Profile::sdk_compat), "ok");
  auto label = response();
  label["crypto"]["aead"] = "xchacha20poly1305";
  EXPECT_EQ(code(label), errc::kBadAead);
  label["crypto"].erase("aead");
  EXPECT_EQ(code(label), errc::kBadAead);
}

// ---- fault switches of the campaign-only mutants: the spec's verifier refuses, the faulted accepts

TEST_F(Bootstrap, FaultReportDataPrefix31MissesTheLastByte) {
  auto spec = make(Profile::seed_spec);
  const auto n1 = issue(spec);
  auto rd = attest_report_data(n1);
  rd[31] ^= 0x01;  // SHA256(nonce) wrong in its last byte; the mock quote is signed over it
  auto wrong = build_attest_body(keys_, n1, tdx::mock_quote_v4_for(rd));
  ASSERT_TRUE(wrong.ok());
  expect(post(spec, json::parse(*wrong)), 401, errc::kReportData);

  pnc::testing::BootstrapFaults f;
  f.report_data_prefix_31 = true;
  AttestVerifierOptions options;
  options.faults = &f;
  AttestVerifier faulted(store_, registry_, mock_quote_check(), clock_, rng_, options);
  const auto n2 = issue(faulted);
  auto rd2 = attest_report_data(n2);
  rd2[31] ^= 0x01;
  auto wrong2 = build_attest_body(keys_, n2, tdx::mock_quote_v4_for(rd2));
  ASSERT_TRUE(wrong2.ok());
  EXPECT_EQ(post(faulted, json::parse(*wrong2)).status, 200);
}

TEST_F(Bootstrap, FaultX25519PubCutAccepts33Bytes) {
  auto spec = make(Profile::seed_spec);
  const auto n1 = issue(spec);
  json body = body_for(n1);
  Bytes pub = b64(body.at("sdk_x25519_pub").get<std::string>());
  pub.push_back(0x00);
  body["sdk_x25519_pub"] = ossl_b64(pub);
  expect(post(spec, body), 400, errc::kBadX25519Key);

  pnc::testing::BootstrapFaults f;
  f.x25519_pub_first_32 = true;
  AttestVerifierOptions options;
  options.faults = &f;
  AttestVerifier faulted(store_, registry_, mock_quote_check(), clock_, rng_, options);
  const auto n2 = issue(faulted);
  json body2 = body_for(n2);
  body2["sdk_x25519_pub"] = ossl_b64(pub);
  EXPECT_EQ(post(faulted, body2).status, 200);
  // 31 bytes stay refused.
  const auto n3 = issue(faulted);
  json body3 = body_for(n3);
  pub.resize(31);
  body3["sdk_x25519_pub"] = ossl_b64(pub);
  expect(post(faulted, body3), 400, errc::kBadX25519Key);
}

}  // namespace
}  // namespace pnc::bootstrap
