// The WebSocket attestation handshake of PROTOCOL.md §3-§4 as two explicit, message-driven state
// machines: ServerHandshake (the challenge, §3.5) and ClientHandshake (validator or platform-api,
// §3.6). Each input is one frame (text, binary) or a deadline event; each output (Step) is the
// text frames to send, an optional close, the named reason of a failure and, once established,
// the session Channel (§5). No sockets, threads or clocks: the caller owns them and calls
// on_timeout() when the 30-second deadline fires (deadline_applies() says if there is one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pnc/attestation.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct HandshakeFaults;
struct EnvelopeFaults;
}  // namespace pnc::testing

namespace pnc::handshake {

inline constexpr std::int64_t kDeadlineSeconds = 30;                 // [SEED] §3.5 S0 / §3.6 C0
inline constexpr std::size_t kMaxHandshakeFrameBytes = 1024u * 1024u;  // [SEED] §10
inline constexpr std::size_t kMinOwnQuoteBytes = 100;                // §3.5 S4 / §9.1
inline constexpr std::string_view kInfo = "platform-api-sdk-v1";      // §4
inline constexpr std::string_view kInfoC2S = "platform-api-sdk-v1/c2s";  // [HARD] §4
inline constexpr std::string_view kInfoS2C = "platform-api-sdk-v1/s2c";
inline constexpr std::string_view kAead = "chacha20poly1305";
inline constexpr std::string_view kAeadDirectional = "chacha20poly1305-dir";  // [HARD]
inline constexpr std::string_view kReasonQuoteRequired = "Validator quote required for mutual attestation";
inline constexpr std::string_view kReasonExpectedBegin = "expected attestation_begin";

// §4: the session key for one HKDF info label (kInfo; [HARD] kInfoC2S / kInfoS2C) from the X25519
// shared secret and hkdf_salt. `faults` (tests only) break it as the handshake's mutants do
// (ignore_salt; swap_directional_labels exchanges kInfoC2S and kInfoS2C).
Secret<32> session_key(const Secret<32>& shared, ByteView salt, std::string_view info,
                       const testing::HandshakeFaults* faults = nullptr);

// Reason codes (Step::error->code): one per rejection of §12.4.
inline constexpr const char* kBinaryFrame = "hs.binary_frame";          // N-HS-03
inline constexpr const char* kTooLarge = "hs.too_large";                // N-HS-28
inline constexpr const char* kBadJson = "hs.bad_json";                  // N-HS-03, N-ENC-08..11
inline constexpr const char* kExpectedBegin = "hs.expected_begin";      // N-HS-01, 02
inline constexpr const char* kMissingField = "hs.missing_field";        // N-HS-04
inline constexpr const char* kBadNonce = "hs.bad_nonce";                // N-HS-05, 06, N-ENC-07
inline constexpr const char* kBadValPub = "hs.bad_val_pub";             // N-ENC-05 (S2)
inline constexpr const char* kBadValQuote = "hs.bad_val_quote";         // val_quote not a string
inline constexpr const char* kBadEventLog = "hs.bad_event_log";         // event log of wrong type
inline constexpr const char* kValQuoteRequired = "hs.val_quote_required";  // N-HS-07
inline constexpr const char* kPeerQuoteRejected = "hs.peer_quote_rejected";  // N-HS-08..17, 27
inline constexpr const char* kQuoteUnavailable = "hs.quote_unavailable";  // own quote missing
inline constexpr const char* kExpectedOk = "hs.expected_ok";            // N-HS-21
inline constexpr const char* kMissingSalt = "hs.missing_salt";          // N-HS-18
inline constexpr const char* kBadSalt = "hs.bad_salt";                  // N-HS-19
inline constexpr const char* kBadAead = "hs.bad_aead";                  // N-HS-20
inline constexpr const char* kLowOrderKey = "hs.low_order_key";         // N-X-01, N-X-02
inline constexpr const char* kDeadline = "hs.deadline";                 // N-HS-23
inline constexpr const char* kUnexpectedMessage = "hs.unexpected_message";  // N-HS-24
inline constexpr const char* kMissingQuote = "hs.missing_quote";        // N-HS-25
inline constexpr const char* kBadChalPub = "hs.bad_chal_pub";           // N-HS-26
inline constexpr const char* kPeerRejected = "hs.peer_rejected";        // attestation_reject received
inline constexpr const char* kNotStarted = "hs.not_started";            // client input before start()
inline constexpr const char* kFinished = "hs.finished";                 // input after ENCRYPTED/CLOSED
inline constexpr const char* kInternal = "hs.internal";

// A peer-quote check: defaults to pnc::verify_peer_quote (tdx module); tests inject fakes.
using PeerVerifier = std::function<Status(const PeerQuoteCheck&)>;

// The result of one input.
struct Step {
  std::vector<std::string> send;    // text frames to send, in order, before any close
  std::optional<CloseFrame> close;  // then close the connection with this code
  std::optional<Error> error;       // why the handshake failed (stable hs.* code)
  std::optional<Error> cause;       // the underlying error (attest.*, x25519.*, ...) if any
  std::vector<Error> waived;        // [COMPAT] attestation failures waived in mock mode
  bool established = false;         // the session key exists: take_session()
};

// What a failing side sends before its close (§3.9), said per profile group at each check.
enum class InStrict { reject_then_close, close_silently };  // seed-spec / hardened
enum class InCompat { reject_then_close, close_silently };  // sdk-compat

// ---------------------------------------------------------------- server (challenge, §3.5)

struct ServerConfig {
  Profile profile = Profile::seed_spec;
  AttestationMode mode = AttestationMode::prod;  // mock == upstream mock_attestation (§1.3)
  std::string env_mode = "prod";                  // local environment mode (§3.8)
  PeerVerifier verifier;                          // empty: pnc::verify_peer_quote
  DcapVerifier* dcap = nullptr;                   // passed to the verifier (prod)
  std::optional<std::string> expected_compose_hash;  // passed to the verifier when set
  // [COMPAT] compose hash written into the SDK fallback mock log (COMPOSE_HASH), §9.6.
  std::optional<std::string> compose_hash;
  const testing::HandshakeFaults* faults = nullptr;         // tests only; null = the spec
  const testing::EnvelopeFaults* envelope_faults = nullptr;  // for the session Channel
};

enum class ServerState {
  await_begin,    // AWAIT_BEGIN
  sent_response,  // SENT_RESPONSE = AWAIT_OK: attestation_response sent, waiting for attestation_ok
  encrypted,      // ENCRYPTED: session established (use the Channel from now on)
  closed,         // CLOSED: failed or aborted
};

class ServerHandshake {
 public:
  // rng draws chal_sk (32 bytes) in S4, then the [COMPAT] fallback quote's random bytes.
  ServerHandshake(ServerConfig config, Rng& rng, QuoteProvider& quotes);

  Step on_text(std::string_view frame);
  Step on_binary();
  // The caller's 30-second deadline fired ([SEED]/[HARD] close 1008; [COMPAT] no deadline).
  Step on_timeout();

  ServerState state() const { return state_; }
  bool deadline_applies() const;
  // The session (once), after a Step with established == true.
  std::optional<envelope::Channel> take_session();

 private:
  Step on_begin(std::string_view frame);
  Step on_ok(std::string_view frame);
  // Strict profiles always send attestation_reject before closing with `strict_code`.
  Step fail(const char* code, std::string message, InCompat in_compat, std::uint16_t strict_code,
            std::optional<std::string> reject_reason = std::nullopt);

  ServerConfig config_;
  Rng& rng_;
  QuoteProvider& quotes_;
  ServerState state_ = ServerState::await_begin;
  Bytes nonce_;                       // N
  std::optional<std::string> val_pub_b64_;  // as received ([COMPAT] decoded only in S6)
  Bytes val_pub_;                     // decoded (strict: in S2)
  Secret<32> chal_sk_;
  bool have_chal_sk_ = false;
  std::optional<envelope::Channel> session_;
};

// ------------------------------------------------------ client (validator / platform-api, §3.6)

struct ClientConfig {
  Profile profile = Profile::seed_spec;
  AttestationMode mode = AttestationMode::prod;  // mock == VALIDATOR_MOCK_VMM (waivers in compat)
  std::string env_mode = "prod";
  PeerVerifier verifier;                          // empty: pnc::verify_peer_quote
  DcapVerifier* dcap = nullptr;
  std::optional<std::string> expected_compose_hash;  // C4.5
  std::optional<std::string> platform_api_id;        // sent as-is when set (API)
  std::string validator_hotkey;  // [COMPAT] only: seeds VAL's mock quote when the own quote fails
  const testing::HandshakeFaults* faults = nullptr;         // tests only; null = the spec
  const testing::EnvelopeFaults* envelope_faults = nullptr;  // for the session Channel
};

enum class ClientState {
  init,        // before start()
  sent_begin,  // SENT_BEGIN; VERIFY and SENT_OK happen within the attestation_response input
  encrypted,   // ENCRYPTED: attestation_ok sent, session established
  closed,      // CLOSED
};

class ClientHandshake {
 public:
  // own_quotes: the validator's provider (its quote goes out as val_quote); nullptr for a
  // platform-api-like client that sends none (D-05). rng draws N (32), val_sk (32) in start(),
  // then the salt (32) when attestation_response is accepted.
  ClientHandshake(ClientConfig config, Rng& rng, QuoteProvider* own_quotes);

  // C1-C2: the attestation_begin frame (or an abort when the own quote is unavailable).
  Step start();
  Step on_text(std::string_view frame);
  Step on_binary();
  Step on_timeout();

  ClientState state() const { return state_; }
  bool deadline_applies() const;
  std::optional<envelope::Channel> take_session();

 private:
  Step on_response(const json::Json& msg);
  Step fail(const char* code, std::string message, InStrict in_strict, std::uint16_t strict_code,
            InCompat in_compat = InCompat::close_silently);

  ClientConfig config_;
  Rng& rng_;
  QuoteProvider* own_quotes_;
  ClientState state_ = ClientState::init;
  Bytes nonce_;
  Secret<32> val_sk_;
  crypto::PublicKey val_pub_{};
  std::optional<envelope::Channel> session_;
};

}  // namespace pnc::handshake
