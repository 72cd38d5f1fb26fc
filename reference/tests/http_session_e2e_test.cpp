// End to end across modules (bootstrap §2 -> signed_http §6): the session the validator registers
// during /attest is the one its signed-request verifier accepts, with the body key both sides
// derived. Lives outside bootstrap_test.cpp because it needs both module libraries.
#include <gtest/gtest.h>

#include "pnc/bootstrap.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"
#include "support/vectors.hpp"

namespace pnc {
namespace {

struct Bootstrapped {
  bootstrap::ChallengeKeys keys;
  bootstrap::ClientSession client;
};

// Runs §2.1-§2.6 between a challenge and a validator that registers into `table`.
Bootstrapped run_bootstrap(signed_http::SessionTable& table, const Clock& clock, Rng& rng,
                           Profile verifier_profile, Profile client_profile) {
  bootstrap::NonceStore store;
  bootstrap::AttestVerifier validator(store, table, bootstrap::mock_quote_check(), clock, rng,
                                      bootstrap::AttestVerifierOptions{verifier_profile});
  Bootstrapped out{bootstrap::generate_challenge_keys(rng), {}};
  const auto nr = validator.challenge();
  auto nonce = bootstrap::parse_nonce_response(nr.status, nr.body);
  EXPECT_TRUE(nonce.ok());
  auto ev = tdx::MockQuoteProvider().get_quote(bootstrap::attest_report_data(*nonce));
  EXPECT_TRUE(ev.ok());
  // Always the B64 quote form: VAL cannot read the SDK's hex quote (D-19).
  auto body = bootstrap::build_attest_body(out.keys, *nonce, *ev);
  EXPECT_TRUE(body.ok());
  const auto reply = validator.attest("application/json", *body);
  EXPECT_EQ(reply.status, 200) << reply.reason;
  auto cs = bootstrap::process_attest_response(reply.status, reply.body, out.keys, client_profile);
  EXPECT_TRUE(cs.ok());
  if (cs.ok()) out.client = std::move(*cs);
  return out;
}

TEST(HttpSessionE2E, SeedBootstrapThenSignedEncryptedRequest) {
  FixedClock clock(1700000000);
  DeterministicRng rng(2024);
  signed_http::SessionTable table;
  auto b = run_bootstrap(table, clock, rng, Profile::seed_spec, Profile::seed_spec);
  ASSERT_TRUE(b.client.session_token && b.client.aead_key);
  const auto session = table.find(*b.client.session_token);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(test::to_hex(session->aead_key->view()), test::to_hex(b.client.aead_key->view()));

  // SDK_EPHEMERAL_SK_B64 carries the signing seed the client then uses.
  const auto seed = test::b64(to_string(b.client.sdk_ephemeral_sk_b64->view()));
  signed_http::Signer signer(seed, *b.client.session_token, *b.client.aead_key, clock, rng);
  clock.advance(30);
  auto req = signer.sign("POST", "/results/submit", R"({"score":0.5})");
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->header("Content-Type").value_or(""), signed_http::kContentTypeEncrypted);

  signed_http::Verifier verifier(table, clock);
  const auto v = verifier.verify(*req);
  ASSERT_EQ(v.status, 200) << v.reason;
  EXPECT_TRUE(v.decrypted);
  EXPECT_EQ(to_string(v.body), R"({"score":0.5})");
  // Replay refused; after the session lifetime everything is refused.
  EXPECT_EQ(verifier.verify(*req).reason, signed_http::errc::kReplayedNonce);
  clock.set(1700000000 + 3600);
  auto late = signer.sign("POST", "/results/submit", R"({"score":0.5})");
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(verifier.verify(*late).reason, signed_http::errc::kSessionExpired);
}

TEST(HttpSessionE2E, CompatSdkBodyCannotBeReadByVal) {
  FixedClock clock(1700000000);
  DeterministicRng rng(7);
  signed_http::SessionTable table;
  auto b = run_bootstrap(table, clock, rng, Profile::sdk_compat, Profile::sdk_compat);
  ASSERT_TRUE(b.client.session_token && b.client.aead_key);
  const auto seed = test::b64(to_string(b.client.sdk_ephemeral_sk_b64->view()));
  signed_http::Signer sdk(seed, *b.client.session_token, *b.client.aead_key, clock, rng,
                          signed_http::SignerOptions{Profile::sdk_compat, std::nullopt});
  auto req = sdk.sign("POST", "/results/submit", R"({"score":0.5})");
  ASSERT_TRUE(req.ok());
  signed_http::VerifierOptions val;
  val.profile = Profile::sdk_compat;
  const auto v = signed_http::Verifier(table, clock, val).verify(*req);
  EXPECT_EQ(v.status, 400);  // D-12: XChaCha body vs IETF decryption
  EXPECT_EQ(v.reason, signed_http::errc::kDecryptFailed);
  // The same session with the SEED construction interoperates.
  signed_http::Signer fixed(seed, *b.client.session_token, *b.client.aead_key, clock, rng,
                            signed_http::SignerOptions{Profile::sdk_compat, signed_http::BodyCipher::ietf});
  auto ok = fixed.sign("POST", "/results/submit", R"({"score":0.5})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(signed_http::Verifier(table, clock, val).verify(*ok).status, 200);
}

}  // namespace
}  // namespace pnc
