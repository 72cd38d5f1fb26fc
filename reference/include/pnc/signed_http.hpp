// Signed HTTP requests (PROTOCOL.md §6): canonical string, signer, verifier (V1-V8), per-session
// nonce cache and the §6.5 encrypted bodies. Pure data in, pure data out: no sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pnc/clock.hpp"
#include "pnc/crypto.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct SignedHttpFaults;
}  // namespace pnc::testing

namespace pnc::signed_http {

// ---- Constants (§6.1, §10) ----
inline constexpr const char* kHdrSessionToken = "X-Session-Token";
inline constexpr const char* kHdrPublicKey = "X-Public-Key";
inline constexpr const char* kHdrTimestamp = "X-Timestamp";
inline constexpr const char* kHdrNonce = "X-Nonce";
inline constexpr const char* kHdrSignature = "X-Signature";
inline constexpr const char* kHdrContentType = "Content-Type";
inline constexpr const char* kContentTypeJson = "application/json";
inline constexpr const char* kContentTypeEncrypted = "application/x-encrypted+json";
inline constexpr const char* kEncLabel = "chacha20poly1305";
inline constexpr const char* kEncLabelX = "xchacha20poly1305";  // accepted by VAL only

inline constexpr std::size_t kMaxBodyBytes = 16u * 1024u * 1024u;  // N-SIG-20
inline constexpr std::int64_t kMaxSkewSeconds = 120;                // V2
inline constexpr std::int64_t kNonceRetentionSeconds = 600;         // V7
inline constexpr std::int64_t kSessionLifetimeSeconds = 3600;       // §2.5
inline constexpr std::size_t kMinNonceChars = 16;
inline constexpr std::size_t kMaxNonceChars = 128;
inline constexpr std::size_t kMaxSessionTokenChars = 256;  // D-21
inline constexpr std::size_t kDefaultNonceCapacity = 4096;  // per session
inline constexpr std::size_t kDefaultMaxSessions = 65536;

// ---- Reason codes (Error::code); each verifier check has its own ----
namespace errc {
inline constexpr const char* kMissingHeader = "sig.missing_header";        // V1, 401
inline constexpr const char* kDuplicateHeader = "sig.duplicate_header";    // V1, 401
inline constexpr const char* kNonAsciiHeader = "sig.non_ascii_header";     // V1, 401
inline constexpr const char* kBadTimestamp = "sig.bad_timestamp";          // V1, 401
inline constexpr const char* kBadPublicKey = "sig.bad_public_key";         // V1, 401
inline constexpr const char* kBadSignatureEncoding = "sig.bad_signature_encoding";  // V1, 401
inline constexpr const char* kBadNonce = "sig.bad_nonce";                  // V1, 401
inline constexpr const char* kBadSessionToken = "sig.bad_session_token";   // V1, 401
inline constexpr const char* kTimestampSkew = "sig.timestamp_skew";        // V2, 401
inline constexpr const char* kBodyTooLarge = "sig.body_too_large";         // V3, 413
inline constexpr const char* kUnknownSession = "sig.unknown_session";      // V4, 401
inline constexpr const char* kSessionExpired = "sig.session_expired";      // V4, 401
inline constexpr const char* kKeyMismatch = "sig.key_mismatch";            // V5, 401
inline constexpr const char* kBadSignature = "sig.bad_signature";          // V6, 401
inline constexpr const char* kReplayedNonce = "sig.replayed_nonce";        // V7, 401
inline constexpr const char* kNonceCacheFull = "sig.nonce_cache_full";     // V7, 503
inline constexpr const char* kNoSessionKey = "sig.no_session_key";         // V8, 400
inline constexpr const char* kBadEnvelope = "sig.bad_envelope";            // V8, 400
inline constexpr const char* kUnsupportedEnc = "sig.unsupported_enc";      // V8, 400
inline constexpr const char* kDecryptFailed = "sig.decrypt_failed";        // V8, 400
// Signer / session-table errors.
inline constexpr const char* kBadPayload = "sig.bad_payload";              // payload is not JSON
inline constexpr const char* kBadRequestLine = "sig.bad_request_line";     // method / target
inline constexpr const char* kSessionExists = "sig.session_exists";
inline constexpr const char* kSessionTableFull = "sig.session_table_full";
}  // namespace errc

// ---- Request value type ----
using Header = std::pair<std::string, std::string>;

struct HttpRequest {
  std::string method;          // as sent, e.g. "POST"
  std::string target;          // request-target as on the wire: path, optionally "?query"
  std::vector<Header> headers;  // in wire order; names compared case-insensitively
  Bytes body;                  // exact transmitted bytes

  // First value of header `name` (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
  // Number of occurrences of header `name`.
  std::size_t header_count(std::string_view name) const;
  // Removes every `name` header, then appends (name, value).
  void set_header(std::string_view name, std::string value);
  // Removes every `name` header.
  void remove_header(std::string_view name);
  // The signed PATH: `target` up to the first '?' or '#' (§6.2: query is not covered).
  std::string_view path() const;
};

// ---- Canonical string (§6.2) ----
// METHOD \n PATH \n HEX(SHA256(body)) \n TIMESTAMP \n NONCE \n SESSION_TOKEN, no trailing LF.
std::string canonical_string(std::string_view method, std::string_view path, ByteView body,
                             std::string_view timestamp, std::string_view nonce,
                             std::string_view session_token);

// ---- Encrypted bodies (§6.5) ----
enum class BodyCipher {
  ietf,         // [SEED] ChaCha20-Poly1305(key, n12) — what VAL decrypts
  sdk_xchacha,  // [COMPAT] D-12: XChaCha20-Poly1305(key, n12 || 0^12), still labelled chacha20poly1305
};

struct Envelope {
  std::string enc;
  Bytes nonce;       // 12 bytes
  Bytes ciphertext;  // c || tag, >= 16 bytes
};

// Envelope JSON text {"enc":"chacha20poly1305","nonce":B64(n12),"ciphertext":B64(c||t)}.
Result<std::string> encrypt_body(ByteView key32, ByteView plaintext, BodyCipher cipher, Rng& rng);
// Strict parse: a JSON object whose `enc`, `nonce`, `ciphertext` are strings, nonce decodes to
// 12 bytes and ciphertext to >= 16 (errc::kBadEnvelope). The `enc` value is not checked here.
Result<Envelope> parse_envelope(std::string_view body, Profile profile = Profile::seed_spec);
// Opens an envelope with the given construction (errc::kDecryptFailed on a bad tag).
Result<Bytes> open_envelope(ByteView key32, const Envelope& env, BodyCipher cipher);
// parse_envelope + enc == "chacha20poly1305" (errc::kUnsupportedEnc) + open_envelope.
Result<Bytes> decrypt_body(ByteView key32, std::string_view body, BodyCipher cipher);

// Python truthiness of a JSON value (None, False, 0, 0.0, "", [], {} are falsy): D-18.
bool is_falsy_json(std::string_view json_text);

// ---- Signer (§6.3) ----
struct SignerOptions {
  Profile profile = Profile::seed_spec;
  // Body construction when an AEAD key is held; default: ietf, or sdk_xchacha in sdk-compat.
  std::optional<BodyCipher> cipher;
};

class Signer {
 public:
  // `aead_key` absent: plain JSON bodies. Clock and Rng must outlive the signer.
  Signer(ByteView ed_seed32, std::string session_token, std::optional<Secret<32>> aead_key,
         const Clock& clock, Rng& rng, SignerOptions options = {});

  // Builds a signed request for JSON text `payload_json` (sent byte-exact in plain mode). In
  // sdk-compat a falsy payload becomes the empty body / empty plaintext (D-18).
  Result<HttpRequest> sign(std::string_view method, std::string_view target,
                           std::string_view payload_json);
  // Signs an already-built body (no payload rules) with the given nonce and timestamp: the
  // deterministic core used by sign() and by tests/vectors.
  Result<HttpRequest> sign_body(std::string_view method, std::string_view target, Bytes body,
                                std::string_view content_type, std::string timestamp,
                                std::string nonce) const;

  const crypto::PublicKey& public_key() const { return key_.pub; }

 private:
  crypto::Ed25519KeyPair key_;  // derived once: no public-key derivation per request
  std::string pub_b64_;         // X-Public-Key, the same for every request
  std::string token_;
  std::optional<Secret<32>> aead_key_;
  const Clock& clock_;
  Rng& rng_;
  SignerOptions options_;
};

// ---- Nonce cache (V7) ----
// An exact set of the nonces seen in one session. Each entry is kept for at least `retention`
// seconds after insertion, then purged lazily. Capacity policy: when `capacity` unexpired
// entries are present a NEW nonce is refused (Insert::full) rather than evicting an unexpired
// one, because eviction would reopen a replay window; a replay is still detected when full.
class NonceCache {
 public:
  enum class Insert { inserted, replayed, full };
  explicit NonceCache(std::size_t capacity = kDefaultNonceCapacity,
                      std::int64_t retention = kNonceRetentionSeconds);
  // Atomic check-and-insert at time `now` (the caller serialises access).
  Insert check_and_insert(std::string_view nonce, std::int64_t now);
  std::size_t size() const { return set_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  void purge(std::int64_t now);
  std::size_t capacity_;
  std::int64_t retention_;
  std::unordered_set<std::string> set_;
  std::deque<std::pair<std::int64_t, std::string>> order_;  // insertion order
};

// ---- Sessions (§2.5: what the bootstrap registers, what V4/V5/V8 consult) ----
struct Session {
  Bytes ed_public;                    // registered Ed25519 key (32 bytes in strict profiles)
  std::optional<Secret<32>> aead_key;  // HTTP body key (§2.6); absent = plaintext bodies only
  std::int64_t expires_at = 0;        // valid while now < expires_at
};

// Where the bootstrap verifier registers sessions (header-only interface, so the bootstrap
// module needs no link dependency on this module).
class SessionRegistry {
 public:
  virtual ~SessionRegistry() = default;
  // Registers `token`; fails on a duplicate token or when the registry is full.
  virtual Status add(std::string token, Session session, std::int64_t now) = 0;
};

// Thread-safe session table with one bounded NonceCache per session.
class SessionTable final : public SessionRegistry {
 public:
  explicit SessionTable(std::size_t max_sessions = kDefaultMaxSessions,
                        std::size_t nonce_capacity = kDefaultNonceCapacity);
  // Expired sessions are purged first; then errc::kSessionTableFull when still full.
  Status add(std::string token, Session session, std::int64_t now) override;
  // Copy of the session (empty when unknown; expiry is the caller's check).
  std::optional<Session> find(std::string_view token) const;
  // V7 on the session's cache; `replayed` also for an unknown token (fail closed).
  NonceCache::Insert check_and_insert_nonce(std::string_view token, std::string_view nonce,
                                            std::int64_t now);
  bool remove(std::string_view token);
  std::size_t size() const;

 private:
  struct Entry {
    Session session;
    NonceCache nonces;
  };
  void purge_expired(std::int64_t now);
  mutable std::mutex mu_;
  std::size_t max_sessions_;
  std::size_t nonce_capacity_;
  std::map<std::string, Entry, std::less<>> sessions_;
};

// ---- Verifier (§6.4) ----
// Which upstream verifier sdk-compat reproduces.
enum class CompatVerifier {
  val_middleware,      // VAL: nonce before key/signature (D-15), u64 timestamp, empty nonce ok
  sdk_presence_only,   // SDK: five headers present and non-empty, nothing else (D-14)
};

struct VerifierOptions {
  Profile profile = Profile::seed_spec;
  CompatVerifier compat = CompatVerifier::val_middleware;  // sdk-compat only
  bool sdk_dev_mode = false;  // sdk_presence_only with SDK_DEV_MODE=true: no check at all
  // Applied in every profile (VAL is unbounded; the reference never is).
  std::size_t max_body_bytes = kMaxBodyBytes;
  const testing::SignedHttpFaults* faults = nullptr;  // tests only; null = the spec
};

struct VerifyResult {
  int status = 0;              // 200 accepted; 400 / 401 / 413 / 503 rejected
  std::string reason;          // errc::* on rejection, empty on success
  Bytes body;                  // on success: the handler input (decrypted when encrypted)
  bool decrypted = false;      // body came from an envelope
  bool ok() const { return status == 200; }
};

class Verifier {
 public:
  // `sessions` and `clock` must outlive the verifier.
  Verifier(SessionTable& sessions, const Clock& clock, VerifierOptions options = {});
  // Runs V1-V8 (or the selected compat behaviour); first failure wins.
  VerifyResult verify(const HttpRequest& request) const;

 private:
  VerifyResult verify_strict(const HttpRequest& request) const;
  VerifyResult verify_val(const HttpRequest& request) const;
  VerifyResult verify_presence(const HttpRequest& request) const;
  SessionTable& sessions_;
  const Clock& clock_;
  VerifierOptions options_;
};

}  // namespace pnc::signed_http
