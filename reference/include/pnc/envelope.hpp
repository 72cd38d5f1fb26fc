// The encrypted envelope of PROTOCOL.md §5.1-5.3: one text frame
// {"enc":"chacha20poly1305","nonce":B64(n12),"ciphertext":B64(c||tag)} per inner message, sealed
// under the session key. Stateless seal/open plus a per-connection Channel that holds the key(s),
// the [SEED] replay/reflection cache (R6), the 2^32-envelope limit and the per-profile failure
// disposition (sdk-compat drops bad frames, seed-spec/hardened close the connection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "pnc/json.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

namespace pnc {

// WebSocket close codes used by the protocol (RFC 6455 §7.4.1, PROTOCOL.md §3.9).
inline constexpr std::uint16_t kCloseNormal = 1000;
inline constexpr std::uint16_t kCloseUnsupportedData = 1003;  // binary frame
inline constexpr std::uint16_t kCloseInvalidPayload = 1007;   // malformed JSON / plaintext
inline constexpr std::uint16_t kClosePolicy = 1008;           // authentication / protocol failure
inline constexpr std::uint16_t kCloseTooBig = 1009;           // frame over the limit (§10)
inline constexpr std::uint16_t kCloseInternal = 1011;

// A close the caller must perform: code plus a short reason (<= 123 bytes, never secret).
struct CloseFrame {
  std::uint16_t code = kCloseNormal;
  std::string reason;
};

}  // namespace pnc

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct EnvelopeFaults;
}  // namespace pnc::testing

namespace pnc::envelope {

inline constexpr std::string_view kEnc = "chacha20poly1305";
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kMaxFrameBytes = 16u * 1024u * 1024u;  // §10: any WS message
inline constexpr std::uint64_t kMaxEnvelopes = 1ull << 32;           // §5.2, per key, both ways

// One error code per receive check (§5.3), plus the channel-level conditions.
inline constexpr const char* kNotJsonObject = "env.not_json_object";    // R1
inline constexpr const char* kMissingMember = "env.missing_member";     // R2 (absent or not a string)
inline constexpr const char* kUnsupportedEnc = "env.unsupported_enc";   // R3
inline constexpr const char* kInvalidEnvelope = "env.invalid_envelope"; // R4 (encoding or length)
inline constexpr const char* kAuthFailed = "env.auth_failed";           // R5 (tag mismatch)
inline constexpr const char* kReplay = "env.replay";                    // R6 nonce received before
inline constexpr const char* kReflection = "env.reflection";            // R6 nonce we sent
inline constexpr const char* kBadPlaintext = "env.bad_plaintext";       // R7
inline constexpr const char* kTooLarge = "env.too_large";               // frame > 16 MiB
inline constexpr const char* kBinaryFrame = "env.binary_frame";
inline constexpr const char* kLimitReached = "env.limit_reached";       // 2^32 envelopes used
inline constexpr const char* kBadKey = "env.bad_key";
inline constexpr const char* kClosed = "env.closed";                    // channel already closed

// Seals `plaintext` (UTF-8 JSON text of one inner message, sent as is) under key32 with a fresh
// 12-byte nonce drawn from rng. Output is the compact envelope text, members in the order
// enc, nonce, ciphertext.
Result<std::string> seal(ByteView key32, std::string_view plaintext, Rng& rng);

// A successfully opened envelope.
struct Opened {
  ByteArray<kNonceBytes> nonce{};
  std::string plaintext;  // the decrypted UTF-8 JSON text
  json::Json message;     // the parsed inner object
};

// Stateless R1-R5 and R7 of §5.3 in order (R6 needs connection state: see Channel). JSON and
// base64 strictness follow `profile`; sdk-compat accepts an inner object without a string
// `type` (§5.3 R7: correlation still happens upstream). The error code names the failed check.
Result<Opened> open(ByteView key32, std::string_view frame, Profile profile = Profile::seed_spec);

// What the caller does with one received frame.
struct Outcome {
  enum class Action { deliver, drop, close };
  Action action = Action::drop;
  Opened opened;                    // valid when action == deliver
  std::optional<Error> error;       // the failed check when action != deliver
  std::optional<CloseFrame> close;  // when action == close
  bool delivered() const { return action == Action::deliver; }
};

// The encrypted phase of one WebSocket connection (§5). seed-spec and sdk-compat use one key K
// for both directions; hardened uses K_c2s / K_s2c (§4). Not thread-safe: sends and receives of
// one connection are serialised by the caller (§5.2).
class Channel {
 public:
  struct Options {
    std::uint64_t max_envelopes = kMaxEnvelopes;  // lowered only by tests of the limit
    const testing::EnvelopeFaults* faults = nullptr;  // tests only; null = the spec's behaviour
  };

  // One key for both directions (seed-spec, sdk-compat, or hardened with aead
  // "chacha20poly1305").
  Channel(Profile profile, const Secret<32>& key, Options options);
  Channel(Profile profile, const Secret<32>& key) : Channel(profile, key, Options{}) {}
  // Directional keys ([HARD]): seal with send_key, open with recv_key.
  Channel(Profile profile, const Secret<32>& send_key, const Secret<32>& recv_key, Options options);
  Channel(Profile profile, const Secret<32>& send_key, const Secret<32>& recv_key)
      : Channel(profile, send_key, recv_key, Options{}) {}

  // Seals one inner message. Strict profiles record the nonce (reflection check), never reuse a
  // nonce already sent or received (it is redrawn) and enforce the envelope limit: on
  // env.limit_reached the caller closes with 1000 and reconnects (§5.2).
  Result<std::string> seal(std::string_view plaintext, Rng& rng);
  Result<std::string> seal_json(const json::Json& message, Rng& rng);  // compact dump, then seal()

  // R1-R7 on one text frame, then the profile's disposition: sdk-compat drops a bad frame and
  // keeps the connection; seed-spec/hardened close with 1007 (R1, R7) or 1008 (R2-R6). A frame
  // over 16 MiB closes with 1009 in every profile. Accepted nonces are recorded (strict only).
  Outcome receive_text(std::string_view frame);
  // A binary frame: seed-spec/hardened close 1003; sdk-compat ignores it (§3.1).
  Outcome receive_binary();

  Profile profile() const { return profile_; }
  bool directional() const { return directional_; }
  bool closed() const { return closed_; }
  std::uint64_t envelopes() const { return count_; }  // sealed + accepted under this session
  std::size_t cached_nonces() const { return received_.size() + sent_.size(); }

 private:
  Outcome fail(Error error, std::uint16_t strict_code);

  Profile profile_;
  bool directional_;
  Secret<32> send_key_;
  Secret<32> recv_key_;
  Options options_;
  std::uint64_t count_ = 0;
  bool closed_ = false;
  std::set<ByteArray<kNonceBytes>> received_;  // exact sets (§5.3 R6), strict profiles only
  std::set<ByteArray<kNonceBytes>> sent_;
  std::deque<ByteArray<kNonceBytes>> received_order_;  // the replay_cache_last_4 fault only
};

}  // namespace pnc::envelope
