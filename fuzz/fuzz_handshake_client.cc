// fuzz_handshake_client (PROTOCOL.md §14, §3.6, §3.10, §4): length-prefixed frames fed to the
// validator / platform-api state machine with fixed keys (N = V3 nonce, val_sk and salt = V1).
// Oracle: K is derived only on an attestation_response, and only if an independent re-check
// passes (strict: a 32-byte chal_x25519_pub that is not low order, a quote bound to N — [HARD]
// also to both keys — that is a genuine mock quote in mock mode, or non-mock and DCAP-accepted
// in prod); the client then sends exactly one attestation_ok with the V1 salt; the session holds
// K = HKDF(salt, X25519(val_sk, chal_pub)) (OpenSSL); a failed or finished machine stays closed;
// encrypted-phase frames are delivered only if they open under K.
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
using pnc::handshake::ClientState;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes nonce = fuzz::unhex(fuzz::golden::kV3Nonce);
  static const Bytes val_sk = fuzz::unhex(fuzz::golden::kV1ValSk);
  static const Bytes salt = fuzz::unhex(fuzz::golden::kV1Salt);
  fuzz::reseed_randombytes(data, size);
  fuzz::Input in(data, size);
  const fuzz::HsConfig cfg = fuzz::HsConfig::decode(in.u8());
  const bool strict = is_strict(cfg.profile);

  fuzz::ScriptedRng rng(13);
  rng.push(nonce);
  rng.push(val_sk);
  rng.push(salt);
  tdx::MockParams params;
  params.env_mode = cfg.env;
  tdx::MockQuoteProvider provider(params);
  fuzz::StubDcap dcap(cfg.dcap_accepts);
  handshake::ClientConfig config;
  config.profile = cfg.profile;
  config.mode = cfg.mode;
  config.env_mode = cfg.env;
  config.dcap = &dcap;
  config.validator_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  handshake::ClientHandshake client(config, rng, cfg.own_quote ? &provider : nullptr);

  const handshake::Step first = client.start();
  FUZZ_ASSERT(first.send.size() == 1 && client.state() == ClientState::sent_begin, "start() did not send a begin");
  const auto begin = fuzz::parse_any(first.send[0]);
  FUZZ_ASSERT(fuzz::str_member(begin, "nonce") == fuzz::lower_hex(nonce), "begin does not carry N");
  const auto val_pub = fuzz::b64_member(begin, "val_x25519_pub", Profile::seed_spec, 32);
  FUZZ_ASSERT(val_pub.has_value(), "begin without a valid val_x25519_pub");

  std::optional<envelope::Channel> session;
  std::optional<fuzz::SessionKeys> keys;
  for (int frames = 0; frames < 16 && !in.empty(); ++frames) {
    const int kind = in.u8() % 4;
    const std::string payload = in.length_prefixed();

    if (session) {
      auto out = kind == 1 ? session->receive_binary() : session->receive_text(payload);
      if (out.delivered()) {
        auto direct = fuzz::ossl_open_envelope(keys->recv, payload);
        FUZZ_ASSERT(direct && *direct == out.opened.plaintext, "delivered an envelope that does not open under K");
      }
      continue;
    }

    const ClientState before = client.state();
    const handshake::Step step = kind == 1 ? client.on_binary() : kind == 2 ? client.on_timeout() : client.on_text(payload);
    const ClientState after = client.state();
    if (before != ClientState::sent_begin) {
      FUZZ_ASSERT(step.send.empty() && !step.established && after == before, "a finished handshake reacted");
      continue;
    }
    if (step.error) FUZZ_ASSERT(after == ClientState::closed && !step.established, "failure without CLOSED");
    if (step.error && strict) FUZZ_ASSERT(step.close.has_value(), "strict failure without a close");
    if (!step.established) {
      FUZZ_ASSERT(after != ClientState::encrypted, "ENCRYPTED without a session");
      continue;
    }

    FUZZ_ASSERT(kind != 1 && kind != 2 && after == ClientState::encrypted, "K derived from a non-text frame");
    const auto response = fuzz::parse_any(payload);
    FUZZ_ASSERT(fuzz::str_member(response, "type") == "attestation_response", "K derived without attestation_response");
    const auto chal_pub = fuzz::b64_member(response, "chal_x25519_pub", cfg.profile, 32);
    FUZZ_ASSERT(chal_pub.has_value(), "K derived without a 32-byte chal_x25519_pub");
    FUZZ_ASSERT(response.contains("quote") && response["quote"].is_string(), "K derived without a quote (N-HS-25)");
    auto shared = fuzz::ossl_x25519(val_sk, *chal_pub);
    if (strict) {
      FUZZ_ASSERT(fuzz::strict_json_ok(fuzz::scan_json(payload)), "non-strict JSON response accepted");
      FUZZ_ASSERT(shared.has_value(), "strict client accepted a low-order chal_x25519_pub");
      const std::string quote = fuzz::str_member(response, "quote");
      std::optional<Bytes> upper;
      if (cfg.profile == Profile::hardened) upper = fuzz::kx_binding(*val_pub, *chal_pub);
      FUZZ_ASSERT(fuzz::quote_bound(quote, nonce, upper), "server quote not bound to N (§3.4)");
      if (cfg.mode == AttestationMode::mock)
        FUZZ_ASSERT(fuzz::mock_quote_genuine(quote), "forged mock quote accepted");
      else
        FUZZ_ASSERT(cfg.dcap_accepts && !fuzz::has_mock_marker(quote), "prod accepted a quote DCAP did not pass");
    } else if (!shared) {
      shared = Bytes(32, 0);  // [COMPAT] VAL uses the all-zero secret as is (D-33)
    }
    FUZZ_ASSERT(step.send.size() == 1, "attestation_ok not sent exactly once");
    const auto ok = fuzz::parse_any(step.send[0]);
    FUZZ_ASSERT(fuzz::str_member(ok, "type") == "attestation_ok" &&
                    fuzz::b64_member(ok, "hkdf_salt", Profile::seed_spec, 32) == salt,
                "attestation_ok does not carry the client's salt");
    session = client.take_session();
    FUZZ_ASSERT(session.has_value(), "established without a session");
    keys = fuzz::derive_keys(cfg.profile, salt, *shared, /*server_side=*/false);
    fuzz::check_session_keys(*session, *keys, rng);
  }
  return 0;
}
