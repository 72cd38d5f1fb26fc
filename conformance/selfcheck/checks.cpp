#include "checks.hpp"

#include <map>
#include <string>

#include "pnc/attestation.hpp"
#include "pnc/bootstrap.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/rng.hpp"
#include "pnc/router.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::selfcheck {
namespace {

constexpr std::int64_t kNow = 1700000000;

std::string s(const nlohmann::json& v, const char* sec, const char* key) {
  const auto& x = v.at(sec).at(key);
  return x.is_string() ? x.get<std::string>() : x.dump();
}
Bytes h(const nlohmann::json& v, const char* sec, const char* key) {
  auto r = codec::hex_decode(s(v, sec, key));
  return r ? *r : Bytes{};
}
std::string err(const Error& e) { return e.code + ": " + e.message; }

// Handshake (mock attestation, env dev) then one db_version round trip through the routers, then
// a replayed envelope: seed-spec/hardened close 1008, sdk-compat delivers it again (D-10).
void check_handshake_and_envelopes(Report& r, Profile profile) {
  DeterministicRng rng(static_cast<std::uint64_t>(profile) + 1);
  FixedClock clock(kNow);
  tdx::MockQuoteProvider server_quotes, client_quotes;
  handshake::ServerConfig sc;
  sc.profile = profile;
  sc.mode = AttestationMode::mock;
  sc.env_mode = "dev";
  handshake::ClientConfig cc;
  cc.profile = profile;
  cc.mode = AttestationMode::mock;
  cc.env_mode = "dev";
  handshake::ServerHandshake server(sc, rng, server_quotes);
  handshake::ClientHandshake client(cc, rng, &client_quotes);

  auto begin = client.start();
  if (!r.check("handshake", "client sends attestation_begin", begin.send.size() == 1,
               begin.error ? err(*begin.error) : ""))
    return;
  auto response = server.on_text(begin.send[0]);
  if (!r.check("handshake", "server verifies val_quote, sends attestation_response",
               response.send.size() == 1 && !response.close,
               response.error ? err(*response.error) : ""))
    return;
  auto ok = client.on_text(response.send[0]);
  if (!r.check("handshake", "client verifies quote, sends attestation_ok",
               ok.established && ok.send.size() == 1, ok.error ? err(*ok.error) : ""))
    return;
  auto done = server.on_text(ok.send[0]);
  if (!r.check("handshake", "server derives the session key", done.established,
               done.error ? err(*done.error) : ""))
    return;
  auto client_ch = client.take_session();
  auto server_ch = server.take_session();
  if (!r.check("handshake", "both sides hold a channel", client_ch && server_ch)) return;

  router::Router client_router(profile, rng, clock), server_router(profile, rng, clock);
  std::optional<std::int64_t> db_version;
  auto req = client_router.request(json::Json{{"type", "db_version_request"}},
                                   [&](Result<json::Json> res) {
                                     if (res) db_version = (*res)["payload"]["db_version"].get<std::int64_t>();
                                   });
  auto frame = client_ch->seal_json(*req, rng);
  auto in = server_ch->receive_text(*frame);
  if (!r.check("envelope", "server opens the client's envelope", in.delivered(),
               in.error ? err(*in.error) : ""))
    return;
  r.check("envelope", "inner message type is db_version_request",
          in.opened.message.value("type", "") == "db_version_request");
  auto reply = router::Router::reply_to(
      in.opened.message, json::Json{{"type", "db_version_response"}, {"payload", {{"db_version", 1}}}});
  auto back = client_ch->receive_text(*server_ch->seal_json(reply, rng));
  if (r.check("envelope", "client opens the server's envelope", back.delivered(),
              back.error ? err(*back.error) : "")) {
    auto d = client_router.receive(back.opened.message);
    r.check("router", "response correlated to the request by message_id",
            d.correlated && db_version == 1);
  }

  auto replay = server_ch->receive_text(*frame);
  if (is_strict(profile))
    r.check("envelope", "replayed envelope closes the connection with 1008 (R6)",
            replay.action == envelope::Outcome::Action::close && replay.close &&
                replay.close->code == kClosePolicy,
            replay.error ? replay.error->code : "delivered");
  else
    r.check("envelope", "replayed envelope is accepted (sdk-compat quirk, D-10)", replay.delivered());
  auto garbage = client_ch->receive_text("{\"enc\":\"chacha20poly1305\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}");
  r.check("envelope", "forged envelope is not delivered", !garbage.delivered(),
          garbage.error ? garbage.error->code : "");
}

// sdk-compat signed requests against VAL's middleware with a directly provisioned session:
// plain bodies verify, replays are caught, and the SDK's XChaCha body cannot be decrypted (D-12).
void check_compat_signed_http(Report& r, const bootstrap::ChallengeKeys& keys, Rng& rng,
                              const Clock& clock) {
  signed_http::SessionTable sessions;
  Secret<32> key;
  rng.fill(key.span());
  (void)sessions.add("session_selfcheck",
                     signed_http::Session{Bytes(keys.ed_pk.begin(), keys.ed_pk.end()), key,
                                          clock.now() + 3600},
                     clock.now());
  signed_http::Verifier v(sessions, clock, {Profile::sdk_compat});
  signed_http::Signer plain(keys.ed_seed.view(), "session_selfcheck", std::nullopt, clock, rng,
                            {Profile::sdk_compat, std::nullopt});
  auto request = plain.sign("POST", "/results/submit", R"({"score":0.5})");
  auto accepted = v.verify(*request);
  r.check("signed_http", "VAL middleware accepts a plain signed request", accepted.ok(),
          std::to_string(accepted.status) + " " + accepted.reason);
  r.check("signed_http", "and refuses its replay (401)", v.verify(*request).status == 401);
  signed_http::Signer sdk(keys.ed_seed.view(), "session_selfcheck", key, clock, rng,
                          {Profile::sdk_compat, std::nullopt});
  auto quirk = v.verify(*sdk.sign("POST", "/results/submit", R"({"score":0.5})"));
  r.check("signed_http", "the SDK's XChaCha body cannot be decrypted by VAL (D-12, 400)",
          quirk.status == 400, std::to_string(quirk.status) + " " + quirk.reason);
}

// HTTP bootstrap (§2) then a signed, encrypted request (§6) under the bootstrap session.
void check_bootstrap_and_signed_http(Report& r, Profile profile) {
  DeterministicRng rng(static_cast<std::uint64_t>(profile) + 10);
  FixedClock clock(kNow);
  bootstrap::NonceStore nonces;
  signed_http::SessionTable sessions;
  bootstrap::AttestVerifierOptions vo;
  vo.profile = profile;
  bootstrap::AttestVerifier verifier(nonces, sessions, bootstrap::mock_quote_check(), clock, rng, vo);

  auto challenge = verifier.challenge();
  auto nonce = bootstrap::parse_nonce_response(challenge.status, challenge.body, profile);
  if (!r.check("bootstrap", "validator issues a nonce", challenge.ok() && nonce.ok(), challenge.reason))
    return;
  auto keys = bootstrap::generate_challenge_keys(rng);
  tdx::MockQuoteProvider quotes;
  auto evidence = quotes.get_quote(bootstrap::attest_report_data(*nonce));
  auto body = bootstrap::build_attest_body(keys, *nonce, *evidence, profile);
  if (!r.check("bootstrap", "challenge builds /attest with a mock quote", body.ok(),
               body.ok() ? "" : err(body.error())))
    return;
  auto attested = verifier.attest("application/json", *body);
  if (profile == Profile::sdk_compat) {
    // VAL has no mock leniency and the compat body carries the quote as hex (D-19): 500/400.
    r.check("bootstrap", "VAL-shaped /attest refuses the SDK's hex quote (D-19)", !attested.ok(),
            std::to_string(attested.status) + " " + attested.reason);
    check_compat_signed_http(r, keys, rng, clock);
    return;
  }
  if (!r.check("bootstrap", "validator accepts /attest and opens a session", attested.ok(),
               std::to_string(attested.status) + " " + attested.reason))
    return;
  auto session = bootstrap::process_attest_response(attested.status, attested.body, keys, profile);
  if (!r.check("bootstrap", "challenge derives the HTTP session key", session.ok() && session->aead_key,
               session.ok() ? "" : err(session.error())))
    return;
  r.check("bootstrap", "a reused nonce is refused (single use)",
          verifier.attest("application/json", *body).status == 401);

  signed_http::Signer signer(keys.ed_seed.view(), *session->session_token, *session->aead_key, clock,
                             rng, {profile, std::nullopt});
  auto request = signer.sign("POST", "/results/submit", R"({"score":0.5})");
  if (!r.check("signed_http", "challenge signs an encrypted request", request.ok())) return;
  signed_http::Verifier v(sessions, clock, {profile});
  auto accepted = v.verify(*request);
  r.check("signed_http", "validator verifies V1-V8 and decrypts the body",
          accepted.ok() && to_string(accepted.body) == R"({"score":0.5})",
          std::to_string(accepted.status) + " " + accepted.reason);
  auto replayed = v.verify(*request);
  r.check("signed_http", "the same request again is a replay (V7, 401)",
          replayed.status == 401 && replayed.reason == signed_http::errc::kReplayedNonce,
          replayed.reason);
  clock.advance(121);
  auto late = signer.sign("POST", "/results/submit", R"({"score":0.5})");
  clock.advance(-121);
  auto stale = v.verify(*late);
  r.check("signed_http", "a timestamp 121 s off is refused (V2, 401)", stale.status == 401,
          stale.reason);
}

void check_miner_token(Report& r, Profile profile) {
  if (profile == Profile::sdk_compat) {
    // Upstream has no MinerToken: the challenge trusts X-Verified-Miner-Hotkey (D-22, D-23).
    miner_token::IdentityOptions o;
    o.routes = {"submit"};
    auto id = miner_token::resolve_identity(profile, "submit", {{"X-Verified-Miner-Hotkey", "5Hot"}},
                                            false, o);
    r.check("miner_token", "client-set X-Verified-Miner-Hotkey is trusted (quirk, D-23)",
            id.ok() && id->miner_hotkey == "5Hot");
    return;
  }
  DeterministicRng rng(7);
  FixedClock clock(kNow + 100);
  auto issuer = crypto::ed25519_keypair(rng);
  miner_token::MinerClaims c;
  c.iss = "platform-api";
  c.aud = c.challenge_id = "challenge_demo";
  c.miner_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  c.uid = "7";
  c.job_id = "job-1";
  c.iat = kNow;
  c.exp = kNow + 300;
  c.jti = codec::hex_encode(rng.bytes(16));
  auto token = miner_token::issue(c, issuer.seed.view());
  if (!r.check("miner_token", "issuer signs a MinerToken", token.ok())) return;
  miner_token::JtiReplayCache cache;
  miner_token::VerifierConfig vc{issuer.pub, "platform-api", "challenge_demo", 30, &cache};
  auto ok = miner_token::verify(*token, vc, clock);
  r.check("miner_token", "verifier accepts it and yields token_info",
          ok.ok() && ok->miner_hotkey == c.miner_hotkey, ok.ok() ? "" : err(ok.error()));
  r.check("miner_token", "the same jti again is refused", !miner_token::verify(*token, vc, clock).ok());
  std::string tampered = *token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  r.check("miner_token", "a changed byte breaks the token", !miner_token::verify(tampered, vc, clock).ok());
  miner_token::IdentityOptions o;
  o.routes = {"submit"};
  auto forged = miner_token::resolve_identity(profile, "submit", {{"X-Verified-Miner-Hotkey", "5Hot"}},
                                              false, o);
  r.check("miner_token", "unauthenticated X-Verified-Miner-Hotkey is refused (N-TOK-14)", !forged.ok());
}

void check_credentials(Report& r, Profile profile) {
  DeterministicRng rng(static_cast<std::uint64_t>(profile) + 20);
  const std::string dsn = "postgresql://selfcheck:secret@db:5432/x";
  credentials::MemoryDsnSink sink;
  std::string receiver_key_b64;
  Bytes recipient;
  if (profile == Profile::hardened) {  // D-24: seal to the sdk_x25519 key
    auto kp = crypto::x25519_keypair(rng);
    receiver_key_b64 = codec::b64_encode(kp.secret.view());
    recipient.assign(kp.pub.begin(), kp.pub.end());
  } else {
    auto kp = crypto::ed25519_keypair(rng);
    receiver_key_b64 = codec::b64_encode(kp.seed.view());
    recipient.assign(kp.pub.begin(), kp.pub.end());
  }
  auto sealed = credentials::seal_credentials(profile, recipient, R"({"dsn":")" + dsn + "\"}", rng);
  if (!r.check("credentials", "platform seals a DSN to the challenge", sealed.ok())) return;
  auto reply = credentials::handle_sealed_credentials(
      credentials::sealed_request_body(*sealed, "demo", 1), receiver_key_b64, profile, sink);
  r.check("credentials", "challenge opens it: 200 {\"migrated\": true}, DSN stored",
          reply.status == 200 && sink.value() && to_string(sink.value()->view()) == dsn,
          std::to_string(reply.status) + " " + reply.code);
  Bytes bad = *sealed;
  bad.back() ^= 1;
  credentials::MemoryDsnSink untouched;
  auto refused = credentials::handle_sealed_credentials(credentials::sealed_request_body(bad, "demo", 1),
                                                        receiver_key_b64, profile, untouched);
  r.check("credentials", "a flipped bit: 400 \"credentials decrypt failed\", sink untouched",
          refused.status == 400 && untouched.writes() == 0, refused.code);

  auto receiver = crypto::x25519_keypair(rng);
  auto mode = profile == Profile::sdk_compat ? credentials::AadMode::platform_api : credentials::AadMode::seed;
  auto enc = credentials::encrypt_credentials(receiver.pub, {{"database_url", dsn}}, rng, mode);
  if (!r.check("credentials", "credential transfer: issuer encrypts", enc.ok())) return;
  credentials::MemoryDsnSink sink2;
  auto st = credentials::receive_credentials(credentials::build_credential_response(*enc, "demo"),
                                             receiver.secret.view(), mode, sink2, profile);
  r.check("credentials", "credential transfer: receiver decrypts, database_url becomes the DSN",
          st.ok() && sink2.value() && to_string(sink2.value()->view()) == dsn,
          st.ok() ? "" : err(st.error()));
  auto other_mode = mode == credentials::AadMode::seed ? credentials::AadMode::platform_api : credentials::AadMode::seed;
  credentials::MemoryDsnSink sink3;
  r.check("credentials", "the other AAD rule cannot open it (D-25)",
          !credentials::receive_credentials(credentials::build_credential_response(*enc, "demo"),
                                            receiver.secret.view(), other_mode, sink3, profile).ok());
}

void check_quotes(Report& r, Profile profile) {
  DeterministicRng rng(3);
  Bytes nonce = rng.bytes(32);
  auto ev = tdx::mock_quote_v4(nonce);
  PeerQuoteCheck c;
  c.profile = profile;
  c.mode = AttestationMode::mock;
  std::string b64 = codec::b64_encode(ev.quote);
  c.quote_b64 = b64;
  c.event_log = ev.event_log;
  c.nonce = nonce;
  c.local_env = "dev";
  if (profile == Profile::hardened) c.key_binding = ByteArray<32>{};
  auto ok = verify_peer_quote(c);
  r.check("tdx", "MockQuoteV4 passes VerifyPeerQuote in mock mode", ok.ok(), ok.ok() ? "" : err(ok.error()));
  c.mode = AttestationMode::prod;
  auto prod = verify_peer_quote(c);
  if (is_strict(profile))
    r.check("tdx", "the same quote fails in prod mode (mock marker)", !prod.ok(),
            prod.ok() ? "" : prod.error().code);
  else
    r.check("tdx", "the same quote passes in prod mode (the SDK never verifies signatures, D-06)",
            prod.ok(), prod.ok() ? "" : prod.error().code);
  c.mode = AttestationMode::mock;
  Bytes other = rng.bytes(32);
  c.nonce = other;
  auto wrong = verify_peer_quote(c);
  r.check("tdx", "a quote for another nonce fails the binding", !wrong.ok(),
          wrong.ok() ? "" : wrong.error().code);
}

}  // namespace

void check_golden_vectors(Report& r, const nlohmann::json& v) {
  r.set_profile("golden");
  auto k = crypto::hkdf_sha256_32(h(v, "V1", "salt"), h(v, "V1", "shared"), "platform-api-sdk-v1");
  auto shared = crypto::x25519(h(v, "V1", "val_sk"), h(v, "V1", "chal_pub"));
  r.check("V1", "X25519 + HKDF session key", shared.ok() &&
          codec::hex_encode(shared->view()) == s(v, "V1", "shared") &&
          codec::hex_encode(k.view()) == s(v, "V1", "key"));
  auto env = envelope::seal_with_nonce(h(v, "V1", "key"), h(v, "V2", "nonce"), s(v, "V2", "plaintext"));
  r.check("V2", "envelope byte for byte", env.ok() && *env == s(v, "V2", "envelope"));
  r.check("V3", "WebSocket and HTTP report_data",
          codec::hex_encode(crypto::sha256(h(v, "V3", "nonce_hex"))) == s(v, "V3", "rd_ws") &&
          codec::hex_encode(crypto::sha256(as_bytes(s(v, "V3", "nonce_hex")))) == s(v, "V3", "rd_http"));
  auto sig = crypto::ed25519_sign(h(v, "V4", "seed"), as_bytes(s(v, "V4", "canonical")));
  r.check("V4", "signed-request signature", codec::b64_encode(sig) == s(v, "V4", "sig_b64"));
  auto x = signed_http::encrypt_body_with_nonce(h(v, "V5", "key"), h(v, "V5", "nonce"),
                                                as_bytes(s(v, "V5", "plaintext")),
                                                signed_http::BodyCipher::sdk_xchacha);
  auto xenv = x ? json::parse_object(*x) : Result<json::Json>(make_error("x", "x"));
  r.check("V5", "sdk-compat XChaCha body quirk",
          xenv.ok() && codec::hex_encode(*codec::b64_decode((*xenv)["ciphertext"].get<std::string>())) ==
                           s(v, "V5", "sdk_xchacha_ct"));
  auto sealed = crypto::seal_with_ephemeral(h(v, "V6", "x25519_pk"), as_bytes(s(v, "V6", "plaintext")),
                                            h(v, "V6", "eph_sk"));
  r.check("V6", "sealed DSN", sealed.ok() && codec::b64_encode(*sealed) == s(v, "V6", "sealed_b64"));
  auto seven = credentials::encrypt_credentials_with(
      *codec::b64_decode(s(v, "V7", "recipient_pk_b64")), as_bytes(s(v, "V7", "plaintext")),
      h(v, "V7", "eph_sk"), *codec::b64_decode(s(v, "V7", "nonce_b64")), credentials::AadMode::seed);
  r.check("V7", "credential transfer (AAD = e_pk)",
          seven.ok() && codec::b64_encode(seven->encrypted_data) == s(v, "V7", "ct_with_aad_b64"));
  auto q = tdx::mock_quote_v4(h(v, "V8", "nonce_hex"));
  r.check("V8", "MockQuoteV4 and its event log",
          codec::hex_encode(crypto::sha256(q.quote)) == s(v, "V8", "quote_sha256") &&
              q.event_log == s(v, "V8", "event_log"));
  auto token = miner_token::sign_compact(s(v, "V9", "header"), s(v, "V9", "payload"), h(v, "V9", "issuer_seed"));
  r.check("V9", "MinerToken", token.ok() && *token == s(v, "V9", "token"));
}

void check_profile(Report& r, Profile profile) {
  r.set_profile(std::string(to_string(profile)));
  check_handshake_and_envelopes(r, profile);
  check_bootstrap_and_signed_http(r, profile);
  check_miner_token(r, profile);
  check_credentials(r, profile);
  check_quotes(r, profile);
}

}  // namespace pnc::selfcheck
