// The mutant catalogue shared by both peers, --list-mutants and the README: name -> switch set.
#include "mutants.hpp"

namespace pnc::peers {

const std::vector<MutantInfo>& mutant_catalogue() {
  // clang-format off
  static const std::vector<MutantInfo> catalogue = {
      // ---- envelopes (§5)
      {"accept-replay", true, true,
       "WebSocket envelopes: no R6 (a replayed or reflected envelope is processed again)",
       [](PeerFaults& f) {
         f.reference.envelope.skip_replay_check = true;
         f.reference.envelope.skip_reflection_check = true;
       }},
      {"accept-reflection", true, true,
       "WebSocket envelopes: R6 reflection half skipped (an envelope this peer sent is accepted back)",
       [](PeerFaults& f) { f.reference.envelope.skip_reflection_check = true; }},
      {"reuse-send-nonce", true, true,
       "WebSocket envelopes: every envelope this peer sends reuses its first nonce (§5.2)",
       [](PeerFaults& f) { f.reference.envelope.reuse_send_nonce = true; }},
      {"malformed-closes-1008", true, true,
       "WebSocket envelopes: a non-JSON frame or plaintext closes 1008 instead of 1007 (§5.3 R1/R7)",
       [](PeerFaults& f) { f.reference.envelope.malformed_closes_policy = true; }},
      {"accept-binary", true, true, "binary frames are silently ignored instead of closing 1003",
       [](PeerFaults& f) {
         f.reference.handshake.ignore_binary_frames = true;
         f.reference.envelope.ignore_binary_frames = true;
       }},
      // ---- handshake and key derivation (§3-§4)
      {"no-deadline", true, true,
       "handshake: no protocol deadline (only the --idle-timeout-ms transport timeout remains)",
       [](PeerFaults& f) { f.reference.handshake.no_deadline = true; }},
      {"deadline-early", true, false,
       "handshake: the deadline fires at half the configured time (an idle handshake is closed early, §3.5 S0, §3.9)",
       [](PeerFaults& f) { f.handshake_deadline_halved = true; }},
      {"skip-zero-check", true, false,
       "handshake: an all-zero X25519 shared secret is accepted (K = HKDF(salt, 0^32))",
       [](PeerFaults& f) { f.reference.handshake.accept_all_zero_shared = true; }},
      {"nonce-at-584", true, true,
       "own quotes carry SHA256(N) at offset 584 (report_data[16:48]) instead of 568",
       [](PeerFaults& f) { f.reference.handshake.own_nonce_at_offset_16 = true; }},
      {"salt-ignored", true, true,
       "key derivation: HKDF runs with an empty salt instead of hkdf_salt (§4)",
       [](PeerFaults& f) { f.reference.handshake.ignore_salt = true; }},
      {"swapped-direction-labels", true, true,
       "key derivation [HARD]: the c2s and s2c HKDF info labels are swapped (§4)",
       [](PeerFaults& f) { f.reference.handshake.swap_directional_labels = true; }},
      {"skip-aead-check", true, false,
       "handshake: attestation_ok.aead is not compared with the profile's label (§3.5 S6)",
       [](PeerFaults& f) { f.reference.handshake.skip_aead_check = true; }},
      {"salt-any-length", true, false,
       "handshake: an hkdf_salt of any decoded length is accepted (§3.5 S6: exactly 32 bytes)",
       [](PeerFaults& f) { f.reference.handshake.skip_salt_length_check = true; }},
      {"ignore-peer-event-log", true, true,
       "attestation: the peer's event log is not passed to VerifyPeerQuote (environment never compared, §3.8)",
       [](PeerFaults& f) { f.reference.handshake.drop_peer_event_log = true; }},
      {"edit-own-event-log", true, true,
       "attestation [SEED]: own event log annotated with environment_mode after measurement (RTMR3 no longer replays)",
       [](PeerFaults& f) { f.reference.handshake.annotate_own_event_log = true; }},
      // ---- signed HTTP (§6.4)
      {"ignore-timestamp", true, true,
       "signed requests: V2 (|now - X-Timestamp| <= 120 s) is skipped",
       [](PeerFaults& f) { f.reference.signed_http.skip_timestamp_window = true; }},
      {"skew-121", true, true,
       "signed requests: V2 window off by one (121 s of skew accepted)",
       [](PeerFaults& f) { f.reference.signed_http.timestamp_window_off_by_one = true; }},
      {"lenient-timestamp", true, true,
       "signed requests: V1 X-Timestamp parsed leniently ('+' sign, leading zeros)",
       [](PeerFaults& f) { f.reference.signed_http.lenient_timestamp_format = true; }},
      {"skip-nonce-format", true, true,
       "signed requests: V1 X-Nonce charset and length (16-128 of [A-Za-z0-9_-]) not checked",
       [](PeerFaults& f) { f.reference.signed_http.skip_nonce_format_check = true; }},
      {"skip-key-binding", true, true,
       "signed requests: V5 skipped (X-Public-Key not compared with the session's key)",
       [](PeerFaults& f) { f.reference.signed_http.skip_key_binding = true; }},
      {"accept-http-replay", true, true,
       "signed requests: V7 (X-Nonce replay cache) is skipped",
       [](PeerFaults& f) { f.reference.signed_http.skip_nonce_replay_check = true; }},
      {"burn-nonce-early", true, true,
       "signed requests: V7 runs before V6, so a forged request burns a nonce (D-15)",
       [](PeerFaults& f) { f.reference.signed_http.burn_nonce_before_signature = true; }},
      // ---- MinerToken and identity (§7)
      {"accept-alg-none", true, false,
       "/sdk/public: an X-Miner-Token with alg \"none\" is accepted without header or signature checks",
       [](PeerFaults& f) { f.reference.miner_token.accept_alg_none = true; }},
      {"token-exp-unchecked", true, false,
       "/sdk/public: an expired X-Miner-Token is accepted (§7.2 step 6 exp)",
       [](PeerFaults& f) { f.reference.miner_token.skip_expiry = true; }},
      {"token-audience-ignored", true, false,
       "/sdk/public: X-Miner-Token aud / challenge_id not compared (§7.2 step 7)",
       [](PeerFaults& f) { f.reference.miner_token.skip_audience = true; }},
      {"token-jti-reusable", true, false,
       "/sdk/public: no jti replay cache (§7.2 step 8)",
       [](PeerFaults& f) { f.reference.miner_token.skip_replay_cache = true; }},
      {"trust-verified-headers", true, false,
       "/sdk/public: X-Verified-Miner-Hotkey is honoured without proxy authentication",
       [](PeerFaults& f) { f.reference.miner_token.trust_verified_headers = true; }},
      // ---- credentials (§8)
      {"sealed-key-unconverted", true, false,
       "credentials: the Ed25519 seed is used as the X25519 secret without the §8.3 conversion",
       [](PeerFaults& f) { f.reference.credentials.seed_as_x25519_secret = true; }},
      {"dsn-echoed", true, false,
       "credentials: the stored DSN is echoed in the 200 body (a secret leaves the SDK)",
       [](PeerFaults& f) { f.reference.credentials.echo_dsn_in_reply = true; }},
      {"cred-store-early", true, false,
       "credentials: the DSN is opened and stored before the request's fields are checked (§6.8, N-CRED-13)",
       [](PeerFaults& f) { f.reference.credentials.store_before_field_checks = true; }},
      // ---- bootstrap (§2)
      {"accept-debug-td", true, true,
       "quote check: TD_ATTRIBUTES.DEBUG not checked in prod mode (§3.7 step 3; seen with --tdx signed-mock)",
       [](PeerFaults& f) { f.reference.handshake.quote.accept_debug_td = true; }},
      {"results-bad-payload-500", false, true,
       "/results/*: a validly signed payload that is not a JSON object gets HTTP 500 (an uncaught decode error, DEC-52)",
       [](PeerFaults& f) { f.results_payload_server_error = true; }},
      {"boot-nonce-reusable", false, true,
       "/attest: an accepted nonce is not consumed (§2.5 step 0)",
       [](PeerFaults& f) { f.reference.bootstrap.nonce_reusable = true; }},
      {"boot-nonce-no-expiry", false, true,
       "/attest: an expired nonce is accepted (§2.5 step 0)",
       [](PeerFaults& f) { f.reference.bootstrap.skip_nonce_expiry = true; }},
      {"boot-nonce-burned-on-refusal", false, true,
       "/attest: the nonce is consumed when checked, so a request refused later burns it (§2.5, N-BOOT-08)",
       [](PeerFaults& f) { f.reference.bootstrap.consume_nonce_at_check = true; }},
      // ---- campaign-only: no fixed case names them; a campaign must find them
      //      (/work/coord/mutants-for-camp.md and conformance/peers/README.md say how)
      {"aead-case-insensitive", true, false,
       "handshake: attestation_ok.aead compared ignoring ASCII case (§3.5 S6: exact)",
       [](PeerFaults& f) { f.reference.handshake.aead_case_insensitive = true; }},
      {"high-bit-pub-refused", true, false,
       "key exchange: a val_x25519_pub with bit 255 set is refused instead of masked (§0.4, RFC 7748)",
       [](PeerFaults& f) { f.reference.handshake.reject_high_bit_pub = true; }},
      {"enc-prefix-compare", true, true,
       "WebSocket envelopes: enc compared like strncmp over the label's length (\"chacha20poly1305x\" passes, §5.3 R3)",
       [](PeerFaults& f) { f.reference.envelope.enc_prefix_compare = true; }},
      {"envelope-duplicate-member", true, true,
       "WebSocket envelopes: the envelope JSON read last-wins, a duplicate member passes (§0.3, §5.3 R1)",
       [](PeerFaults& f) { f.reference.envelope.lenient_envelope_json = true; }},
      {"replay-cache-4", true, true,
       "WebSocket envelopes: the R6 replay cache keeps only the 4 newest nonces (§5.3 R6: an exact set)",
       [](PeerFaults& f) { f.reference.envelope.replay_cache_last_4 = true; }},
      {"sig-nonce-base64-chars", true, true,
       "signed requests: V1 X-Nonce charset also takes '+', '/', '=' (§6.1: [A-Za-z0-9_-])",
       [](PeerFaults& f) { f.reference.signed_http.nonce_base64_charset = true; }},
      {"sig-key-lenient-b64", true, true,
       "signed requests: V1 X-Public-Key decoded like Python's b64decode (foreign characters dropped, text after the padding ignored)",
       [](PeerFaults& f) { f.reference.signed_http.lenient_public_key_b64 = true; }},
      {"token-iat-future", true, false,
       "/sdk/public: an X-Miner-Token whose iat is in the future is accepted (§7.2 step 6: iat <= now + 30)",
       [](PeerFaults& f) { f.reference.miner_token.skip_iat_future = true; }},
      {"token-lifetime-unchecked", true, false,
       "/sdk/public: an X-Miner-Token living longer than 3600 s is accepted (§7.2 step 6: exp - iat <= 3600)",
       [](PeerFaults& f) { f.reference.miner_token.skip_max_lifetime = true; }},
      {"token-duplicate-claim", true, false,
       "/sdk/public: the X-Miner-Token payload read last-wins, a duplicate claim passes (§7.2 step 5, §0.3)",
       [](PeerFaults& f) { f.reference.miner_token.lenient_claims_json = true; }},
      {"cred-version-16-refused", true, false,
       "credentials: version 16 refused (range 1-15, Python's half-open range(1, 16); §8.1 step 2: 1-16)",
       [](PeerFaults& f) { f.reference.credentials.version_16_refused = true; }},
      {"cred-dsn-duplicate", true, false,
       "credentials: the sealed plaintext read last-wins, a duplicate \"dsn\" passes (§8.1 step 5, §0.3)",
       [](PeerFaults& f) { f.reference.credentials.lenient_dsn_json = true; }},
      {"mock-sig-63", true, true,
       "attestation: the peer's mock signature compared over its first 63 of 64 bytes (§3.7 step 4, §9.6)",
       [](PeerFaults& f) { f.reference.handshake.quote.mock_signature_prefix_63 = true; }},
      {"rtmr3-47", true, true,
       "attestation: the peer's RTMR3 compared with the event-log replay over 47 of 48 bytes (§9.5)",
       [](PeerFaults& f) { f.reference.handshake.quote.rtmr3_prefix_47 = true; }},
      {"env-mode-case-insensitive", true, true,
       "attestation: the peer's environment mode compared ignoring ASCII case (§3.8)",
       [](PeerFaults& f) { f.reference.handshake.quote.env_mode_case_insensitive = true; }},
      {"boot-reportdata-31", false, true,
       "/attest: REPORTDATA compared with SHA256(nonce) over 31 of 32 bytes (§2.5 step 5)",
       [](PeerFaults& f) { f.reference.bootstrap.report_data_prefix_31 = true; }},
      {"boot-x25519-pub-cut", false, true,
       "/attest: an sdk_x25519_pub longer than 32 bytes is cut to 32 instead of refused (§2.5 step 7)",
       [](PeerFaults& f) { f.reference.bootstrap.x25519_pub_first_32 = true; }},
      // ---- peer-level
      {"weights-500", true, false, "/sdk/weights answers HTTP 500 to every request",
       [](PeerFaults& f) { f.weights_server_error = true; }},
      {"weights-any-body", true, false, "/sdk/weights answers 200 to any body, however malformed (§6.8)",
       [](PeerFaults& f) { f.weights_accept_any_body = true; }},
  };
  // clang-format on
  return catalogue;
}

std::optional<PeerFaults> mutant_faults(std::string_view name) {
  PeerFaults faults;
  if (name.empty() || name == "none") return faults;
  for (const auto& m : mutant_catalogue()) {
    if (m.name == name) {
      m.switch_on(faults);
      return faults;
    }
  }
  return std::nullopt;
}

std::string list_mutants(bool for_challenge) {
  std::string out;
  for (const auto& m : mutant_catalogue()) {
    if (for_challenge ? !m.challenge : !m.validator) continue;
    out.append(m.name).append("\t").append(m.what).append("\n");
  }
  return out;
}

}  // namespace pnc::peers
