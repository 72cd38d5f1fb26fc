// Deliberate protocol bugs for conformance tests (BoGo's ProtocolBugs): one named switch per
// realistic mistake, each read at the exact check of the reference it breaks. Reachable only
// through the test-only target pnc::reference_testing; the public headers merely forward-declare
// these structs, and a config whose `faults` pointer is null (the default) behaves exactly as the
// spec says. The bundled mutant peers (conformance/peers/src/mutants.cpp) are named switch sets.
#pragma once

namespace pnc::testing {

// Envelopes, PROTOCOL.md §5 (envelope::Channel::Options::faults).
struct EnvelopeFaults {
  bool skip_replay_check = false;      // §5.3 R6: a nonce received before is accepted again
  bool skip_reflection_check = false;  // §5.3 R6: a nonce this endpoint sent is accepted back
  bool ignore_binary_frames = false;   // §3.1: a binary frame is dropped instead of close 1003
  bool reuse_send_nonce = false;       // §5.2: every envelope sent reuses the first nonce drawn
  bool malformed_closes_policy = false;  // §5.3 R1/R7: close 1008 instead of 1007
  // Campaign-only (no fixed case names them; conformance/peers/README.md):
  bool enc_prefix_compare = false;     // §5.3 R3: enc compared as strncmp(enc, label, strlen(label)):
                                       // "chacha20poly1305" followed by anything passes
  bool lenient_envelope_json = false;  // §0.3 JSON [SEED] / R1: the envelope text parsed with the
                                       // lenient reader (a duplicate member passes, last wins)
  bool replay_cache_last_4 = false;    // §5.3 R6: the received-nonce cache keeps only the 4 newest
                                       // nonces (an older envelope replayed passes)
};

// VerifyPeerQuote, §3.7 / §3.8 / §9.5 (HandshakeFaults::quote, read in tdx/verify.cpp).
struct QuoteFaults {
  bool mock_signature_prefix_63 = false;   // §3.7 step 4 / §9.6: mock signature compared over its
                                           // first 63 of 64 bytes
  bool rtmr3_prefix_47 = false;            // §9.5: RTMR3 compared with the log's replay over 47 of 48 bytes
  bool env_mode_case_insensitive = false;  // §3.8: peer and local environment mode compared ignoring
                                           // ASCII case ("Dev" passes for "dev")
  bool accept_debug_td = false;            // §3.7 step 3: TD_ATTRIBUTES.DEBUG not checked in prod
                                           // (read by verify_peer_quote and the signed verifier)
};

// The WebSocket handshake and key derivation, §3-§4 (handshake::ServerConfig / ClientConfig).
struct HandshakeFaults {
  bool no_deadline = false;                // §3.5 S0 / §3.6 C0: no 30 s handshake deadline
  bool ignore_binary_frames = false;       // §3.1: a binary handshake frame is ignored, no 1003
  bool accept_all_zero_shared = false;     // §4 / §12.2: an all-zero X25519 output is used as is
  bool own_nonce_at_offset_16 = false;     // §3.4: own report_data holds SHA256(N) at [16:48]
  bool ignore_salt = false;                // §4: HKDF runs with an empty salt, hkdf_salt unused
  bool swap_directional_labels = false;    // §4 [HARD]: c2s and s2c info labels swapped
  bool skip_aead_check = false;            // §3.5 S6: attestation_ok.aead is not compared
  bool skip_salt_length_check = false;     // §3.5 S6: hkdf_salt of any decoded length accepted
  bool drop_peer_event_log = false;        // §3.7/§3.8: the peer's event log is never verified
  bool annotate_own_event_log = false;     // §3.5 S4 [SEED]: own log edited, RTMR3 no longer replays
  // Campaign-only:
  bool aead_case_insensitive = false;      // §3.5 S6: attestation_ok.aead compared ignoring ASCII case
  bool reject_high_bit_pub = false;        // §0.4 X25519 / §3.5 S2: a val_x25519_pub with bit 255 set
                                           // is refused instead of masked (RFC 7748)
  QuoteFaults quote;                       // the peer's quote, §3.7 (both sides)
};

// Signed HTTP requests, §6.4 V1-V8 (signed_http::VerifierOptions::faults).
struct SignedHttpFaults {
  bool skip_timestamp_window = false;        // V2: |now - X-Timestamp| <= 120 s not checked
  bool timestamp_window_off_by_one = false;  // V2: 121 s of skew accepted (<= 121 instead of <= 120)
  bool lenient_timestamp_format = false;     // V1: '+', leading zeros accepted in X-Timestamp
  bool skip_nonce_format_check = false;      // V1: X-Nonce charset / length not checked
  bool skip_key_binding = false;             // V5: X-Public-Key not compared with the session key
  bool skip_nonce_replay_check = false;      // V7: the X-Nonce cache is neither read nor written
  bool burn_nonce_before_signature = false;  // V7 before V6 (D-15): forged requests burn nonces
  // Campaign-only:
  bool nonce_base64_charset = false;         // V1 / §6.1: X-Nonce charset also takes '+', '/', '='
  bool lenient_public_key_b64 = false;       // V1 / §0.3 Base64 [SEED]: X-Public-Key decoded with
                                             // Python's forgiving base64 (foreign characters dropped,
                                             // anything after the padding ignored)
};

// MinerToken, §7.2 / §7.4 (miner_token::VerifierConfig / IdentityOptions::faults).
struct MinerTokenFaults {
  bool accept_alg_none = false;         // step 3-4: alg "none" skips the header and signature checks
  bool skip_expiry = false;             // step 6: exp not compared with now
  bool skip_audience = false;           // step 7: aud / challenge_id not compared
  bool skip_replay_cache = false;       // step 8: jti never recorded
  bool trust_verified_headers = false;  // §7.4 [SEED]: X-Verified-* honoured without the proxy
  // Campaign-only:
  bool skip_iat_future = false;         // step 6: iat <= now + 30 s not checked
  bool skip_max_lifetime = false;       // step 6: exp - iat <= 3600 not checked (exp > iat still is)
  bool lenient_claims_json = false;     // step 5 / §0.3: the payload parsed with the lenient reader
                                        // (a duplicate claim passes, last wins)
};

// Sealed credentials, §8.1-§8.3 (credentials::handle_sealed_credentials).
struct CredentialsFaults {
  bool seed_as_x25519_secret = false;  // §8.3: the Ed25519 seed used as the X25519 key unconverted
  bool echo_dsn_in_reply = false;      // §8.1 / §0 secrets: the DSN is returned in the 200 body
  bool store_before_field_checks = false;  // §8.1 / §6.8: the DSN is opened and stored before the
                                           // step-2 field checks (a refused request changes state)
  // Campaign-only:
  bool version_16_refused = false;     // §8.1 step 2 [SEED]: version range 1-15 (Python's half-open
                                       // range(1, 16)), so the valid 16 is refused
  bool lenient_dsn_json = false;       // §8.1 step 5 / §0.3: the plaintext parsed with the lenient
                                       // reader (a duplicate "dsn" passes, last wins)
};

// HTTP bootstrap, §2 (bootstrap::AttestVerifierOptions::faults).
struct BootstrapFaults {
  bool nonce_reusable = false;      // §2.5 step 0: an accepted nonce is not consumed
  bool skip_nonce_expiry = false;   // §2.5 step 0: expires_at not compared with now
  bool consume_nonce_at_check = false;  // §2.5 step 0: the nonce is consumed when checked, so a
                                        // request refused later burns it (N-BOOT-08)
  // Campaign-only:
  bool report_data_prefix_31 = false;  // §2.5 step 5: REPORTDATA[0:31] compared instead of [0:32]
  bool x25519_pub_first_32 = false;    // §2.5 step 7: an sdk_x25519_pub longer than 32 bytes is cut
                                       // to its first 32 instead of refused
};

// Every module's switches, as a peer holds them.
struct Faults {
  HandshakeFaults handshake;
  EnvelopeFaults envelope;
  SignedHttpFaults signed_http;
  MinerTokenFaults miner_token;
  CredentialsFaults credentials;
  BootstrapFaults bootstrap;
};

}  // namespace pnc::testing

namespace pnc::testing {

// The switches in force: the configured set, or all off when none is configured.
template <class ModuleFaults>
const ModuleFaults& active(const ModuleFaults* configured) {
  static const ModuleFaults kAllOff{};
  return configured != nullptr ? *configured : kAllOff;
}

}  // namespace pnc::testing
