// fuzz_handshake_server (PROTOCOL.md §14, §3.5, §3.10, §4): a sequence of length-prefixed
// frames fed to the challenge's state machine with fixed keys (chal_sk = V1, via ScriptedRng).
// Oracle: K is derived only after exactly begin -> response -> ok, and then only if an
// independent re-check of both frames passes (fields per profile, prod needs a val_quote the
// stub DCAP accepted, strict mock mode needs a genuine mock quote bound to N); the session holds
// K = HKDF(salt, X25519(chal_sk, val_pub)) computed with OpenSSL; the attestation_response is
// bound to N (§3.4, [HARD] to both keys) and carries chal_pub; a failed or finished machine
// stays closed; encrypted-phase frames are delivered only if they open under K (OpenSSL).
// Input: config byte (handshake_oracle.hpp), then frames [kind u8][len u16][bytes]:
// kind % 4 == 1 binary, == 2 deadline, else text.
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "handshake_oracle.hpp"
#include "pnc/handshake.hpp"
#include "pnc/tdx_mock.hpp"

using namespace pnc;
using pnc::handshake::ServerState;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes chal_sk = fuzz::unhex(fuzz::golden::kV1ChalSk);
  static const Bytes chal_pub = fuzz::unhex(fuzz::golden::kV1ChalPub);
  fuzz::reseed_randombytes(data, size);
  fuzz::Input in(data, size);
  const fuzz::HsConfig cfg = fuzz::HsConfig::decode(in.u8());
  const bool strict = is_strict(cfg.profile);

  fuzz::ScriptedRng rng(11);
  rng.push(chal_sk);
  tdx::MockParams params;
  params.env_mode = cfg.env;
  tdx::MockQuoteProvider provider(params);
  fuzz::StubDcap dcap(cfg.dcap_accepts);
  handshake::ServerConfig config;
  config.profile = cfg.profile;
  config.mode = cfg.mode;
  config.env_mode = cfg.env;
  config.dcap = &dcap;
  handshake::ServerHandshake server(config, rng, provider);

  std::optional<std::string> begin_frame;
  std::optional<envelope::Channel> session;
  std::optional<fuzz::SessionKeys> keys;
  for (int frames = 0; frames < 16 && !in.empty(); ++frames) {
    const int kind = in.u8() % 4;
    const std::string payload = in.length_prefixed();

    if (session) {  // encrypted phase
      auto out = kind == 1 ? session->receive_binary() : session->receive_text(payload);
      if (out.delivered()) {
        auto direct = fuzz::ossl_open_envelope(keys->recv, payload);
        FUZZ_ASSERT(direct && *direct == out.opened.plaintext, "delivered an envelope that does not open under K");
      }
      continue;
    }

    const ServerState before = server.state();
    const handshake::Step step = kind == 1 ? server.on_binary() : kind == 2 ? server.on_timeout() : server.on_text(payload);
    const ServerState after = server.state();

    if (before == ServerState::closed || before == ServerState::encrypted) {
      FUZZ_ASSERT(step.send.empty() && !step.established && after == before, "a finished handshake reacted");
      continue;
    }
    if (step.error) FUZZ_ASSERT(after == ServerState::closed && !step.established, "failure without CLOSED");
    if (step.error && strict) FUZZ_ASSERT(step.close.has_value(), "strict failure without a close");
    if (!strict && kind == 2) FUZZ_ASSERT(!step.error, "sdk-compat has no deadline");

    if (before == ServerState::await_begin && after == ServerState::sent_response) {
      FUZZ_ASSERT(kind != 1 && kind != 2, "left AWAIT_BEGIN without a text frame");
      const auto begin = fuzz::parse_any(payload);
      if (strict) FUZZ_ASSERT(fuzz::strict_json_ok(fuzz::scan_json(payload)), "non-strict JSON begin accepted");
      FUZZ_ASSERT(fuzz::str_member(begin, "type") == "attestation_begin", "accepted a begin of another type");
      Bytes nonce;
      if (strict) {
        const std::string hex = fuzz::str_member(begin, "nonce");
        FUZZ_ASSERT(hex.size() == 64 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos,
                    "strict begin accepted with a bad nonce");
        nonce = fuzz::unhex(hex);
        auto val_pub = fuzz::b64_member(begin, "val_x25519_pub", cfg.profile, 32);
        FUZZ_ASSERT(val_pub.has_value(), "strict begin accepted with a bad val_x25519_pub");
        const std::string quote = fuzz::str_member(begin, "val_quote");
        if (cfg.mode == AttestationMode::prod)
          FUZZ_ASSERT(!quote.empty() && cfg.dcap_accepts && !fuzz::has_mock_marker(quote),
                      "prod begin accepted without a DCAP-verified, non-mock val_quote");
        if (!quote.empty()) {
          std::optional<Bytes> upper;
          if (cfg.profile == Profile::hardened) upper = fuzz::kx_binding(*val_pub);
          FUZZ_ASSERT(fuzz::quote_bound(quote, nonce, upper), "val_quote not bound to N (§3.4)");
          if (cfg.mode == AttestationMode::mock) FUZZ_ASSERT(fuzz::mock_quote_genuine(quote), "forged mock quote accepted");
        }
      } else if (auto r = codec::hex_decode(fuzz::str_member(begin, "nonce"), cfg.profile)) {
        nonce = *r;
      }
      // The response: chal_pub from the fixed chal_sk, quote bound to N.
      FUZZ_ASSERT(step.send.size() == 1, "attestation_response not sent exactly once");
      const auto response = fuzz::parse_any(step.send[0]);
      FUZZ_ASSERT(fuzz::str_member(response, "type") == "attestation_response", "response of the wrong type");
      FUZZ_ASSERT(fuzz::b64_member(response, "chal_x25519_pub", Profile::seed_spec, 32) == chal_pub,
                  "chal_x25519_pub is not X25519(chal_sk, 9)");
      if (strict) {
        std::optional<Bytes> upper;
        if (cfg.profile == Profile::hardened)
          upper = fuzz::kx_binding(*fuzz::b64_member(begin, "val_x25519_pub", cfg.profile, 32), chal_pub);
        FUZZ_ASSERT(fuzz::quote_bound(fuzz::str_member(response, "quote"), nonce, upper),
                    "own quote not bound to N (§3.4)");
      }
      begin_frame = payload;
    }

    if (step.established) {
      FUZZ_ASSERT(before == ServerState::sent_response && after == ServerState::encrypted && begin_frame,
                  "K derived outside begin -> response -> ok");
      FUZZ_ASSERT(kind != 1 && kind != 2, "K derived from a non-text frame");
      const auto ok = fuzz::parse_any(payload);
      FUZZ_ASSERT(fuzz::str_member(ok, "type") == "attestation_ok", "K derived from a frame that is not attestation_ok");
      std::optional<Bytes> salt;
      if (strict) {
        FUZZ_ASSERT(fuzz::strict_json_ok(fuzz::scan_json(payload)), "non-strict JSON ok accepted");
        const char* want = cfg.profile == Profile::hardened ? "chacha20poly1305-dir" : "chacha20poly1305";
        FUZZ_ASSERT(fuzz::str_member(ok, "aead") == want, "strict ok accepted with another aead");
        salt = fuzz::b64_member(ok, "hkdf_salt", cfg.profile, 32);
        FUZZ_ASSERT(salt.has_value(), "strict ok accepted without a 32-byte salt");
      } else {
        const char* name = !fuzz::str_member(ok, "hkdf_salt").empty() ? "hkdf_salt" : "hkdf_salt_b64";
        salt = fuzz::b64_member(ok, name, cfg.profile, 0);
        FUZZ_ASSERT(salt.has_value(), "sdk-compat ok accepted without a decodable salt");
      }
      const auto begin = fuzz::parse_any(*begin_frame);
      auto val_pub = fuzz::b64_member(begin, "val_x25519_pub", cfg.profile, 32);
      FUZZ_ASSERT(val_pub.has_value(), "K derived without a 32-byte val_x25519_pub");
      auto shared = fuzz::ossl_x25519(chal_sk, *val_pub);
      FUZZ_ASSERT(shared.has_value(), "K derived from a low-order val_x25519_pub");
      session = server.take_session();
      FUZZ_ASSERT(session.has_value(), "established without a session");
      keys = fuzz::derive_keys(cfg.profile, *salt, *shared, /*server_side=*/true);
      fuzz::check_session_keys(*session, *keys, rng);
    }
  }
  return 0;
}
