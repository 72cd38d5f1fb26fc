// HTTP bootstrap (PROTOCOL.md §2): the validator's /attestation/challenge and /attest handling
// and the challenge's side of the exchange, as pure functions/objects with injected Clock, Rng,
// nonce store, quote verification and session registry. No sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/crypto.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/types.hpp"

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct BootstrapFaults;
}  // namespace pnc::testing

namespace pnc::bootstrap {

inline constexpr std::int64_t kNonceLifetimeSeconds = 300;   // §2.1, §10
inline constexpr std::int64_t kSessionLifetimeSeconds = 3600;  // §2.5
inline constexpr std::size_t kNonceBytes = 32;               // 64 hex chars
inline constexpr std::size_t kSaltBytes = 32;
inline constexpr std::size_t kMaxEventLogBytes = 1024 * 1024;  // §10
inline constexpr std::size_t kDefaultNonceCapacity = 4096;
inline constexpr const char* kHkdfInfo = "platform-api-sdk-v1";
inline constexpr const char* kAeadLabel = "chacha20poly1305";      // [SEED] (D-20)
inline constexpr const char* kAeadLabelVal = "xchacha20poly1305";  // what VAL advertises
inline constexpr const char* kSessionTokenPrefix = "session_";

namespace errc {
// Validator side; the HTTP status is in the comment.
inline constexpr const char* kNonceStoreFull = "boot.nonce_store_full";          // 503
inline constexpr const char* kUnsupportedMediaType = "boot.unsupported_media_type";  // 415
inline constexpr const char* kBadJson = "boot.bad_json";                         // 400
inline constexpr const char* kUnprocessable = "boot.unprocessable";              // 422
inline constexpr const char* kNonceUnknown = "boot.nonce_unknown";               // 401 [SEED] step 0
inline constexpr const char* kNonceExpired = "boot.nonce_expired";               // 401 [SEED] step 0
inline constexpr const char* kNonceUsed = "boot.nonce_used";                     // 401 [SEED] step 0
inline constexpr const char* kBadAttestationType = "boot.bad_attestation_type";  // 400 step 1
inline constexpr const char* kBadQuoteOrNonce = "boot.bad_quote_or_nonce";       // 400 step 2
inline constexpr const char* kQuoteEncoding = "boot.quote_encoding";             // 400 step 3
inline constexpr const char* kQuoteUnparseable = "boot.quote_unparseable";       // 400 (VAL 500) step 4
inline constexpr const char* kQuoteRejected = "boot.quote_rejected";             // 400 step 4
inline constexpr const char* kCollateral = "boot.collateral_unavailable";        // 500 step 4
inline constexpr const char* kReportData = "boot.report_data_mismatch";          // 401 step 5
inline constexpr const char* kEvidenceMissing = "boot.evidence_missing";         // 400 step 6
inline constexpr const char* kBadEventLog = "boot.bad_event_log";                // 400 step 6
inline constexpr const char* kBadRtmrs = "boot.bad_rtmrs";                       // 400 step 6
inline constexpr const char* kBadX25519Key = "boot.bad_x25519_key";              // 400 step 7
inline constexpr const char* kBadEd25519Key = "boot.bad_ed25519_key";            // 400 step 7
inline constexpr const char* kLowOrderX25519 = "boot.low_order_x25519";          // 400 [SEED]
inline constexpr const char* kNoQuoteVerifier = "boot.no_quote_verifier";        // 500
inline constexpr const char* kSessionRegistration = "boot.session_registration"; // 500
// Challenge side.
inline constexpr const char* kHttpStatus = "boot.http_status";          // non-2xx answer
inline constexpr const char* kBadNonceResponse = "boot.bad_nonce_response";
inline constexpr const char* kBadAttestResponse = "boot.bad_attest_response";
inline constexpr const char* kBadServerKey = "boot.bad_server_key";     // srv_x25519_pub
inline constexpr const char* kBadSalt = "boot.bad_salt";                // hkdf_salt
inline constexpr const char* kBadAead = "boot.bad_aead_label";          // [SEED] D-20
inline constexpr const char* kLowOrderServerKey = "boot.low_order_server_key";  // N-BOOT-07
inline constexpr const char* kNoQuote = "boot.no_quote";                // [SEED] quote required
}  // namespace errc

// An HTTP answer: status, the reason code on failure, the JSON body on success.
struct Reply {
  int status = 0;
  std::string reason;  // errc::* when status != 200
  std::string body;    // JSON text on 200, empty otherwise
  bool ok() const { return status == 200; }
};

// ---------------------------------------------------------------- validator side

// Issued bootstrap nonces [SEED]: single use, `lifetime` seconds, bounded. When full after
// purging expired entries, issue() refuses (never evicts a live nonce).
class NonceStore {
 public:
  enum class Check { ok, unknown, expired, used };
  struct Issued {
    std::string nonce;  // HEX(32 random bytes)
    std::int64_t expires_at = 0;
  };
  explicit NonceStore(std::size_t capacity = kDefaultNonceCapacity,
                      std::int64_t lifetime = kNonceLifetimeSeconds);
  // errc::kNonceStoreFull when `capacity` live nonces exist.
  Result<Issued> issue(std::int64_t now, Rng& rng);
  // Valid while now <= expires_at; a used nonce reports `used` until it expires.
  Check check(std::string_view nonce, std::int64_t now) const;
  // Atomic check-and-mark-used.
  Check consume(std::string_view nonce, std::int64_t now);
  std::size_t size() const;

 private:
  struct Entry {
    std::int64_t expires_at;
    bool used;
  };
  Check check_locked(std::string_view nonce, std::int64_t now) const;
  mutable std::mutex mu_;
  std::size_t capacity_;
  std::int64_t lifetime_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// Step 4 quote verification, injected: OK, or an error. Return errc::kCollateral for a
// collateral fetch failure (500); any other error is a verification failure (400). The nonce
// binding (step 5) is checked by the bootstrap itself.
using QuoteCheck = std::function<Status(ByteView quote, std::string_view nonce_text)>;

// prod: refuses the mock marker, then `dcap.verify` (collateral + signature + TCB). `dcap` must
// outlive the returned function.
QuoteCheck dcap_quote_check(DcapVerifier& dcap);
// mock ([SEED] §2.5): structural parse + mock marker + mock signature (§9.6).
QuoteCheck mock_quote_check();

struct AttestVerifierOptions {
  Profile profile = Profile::seed_spec;  // sdk_compat reproduces VAL @73399fa
  std::int64_t session_lifetime = kSessionLifetimeSeconds;
  const testing::BootstrapFaults* faults = nullptr;  // tests only; null = the spec
};

// The validator's two bootstrap routes. All references must outlive the object.
class AttestVerifier {
 public:
  AttestVerifier(NonceStore& nonces, signed_http::SessionRegistry& sessions, QuoteCheck quote_check,
                 const Clock& clock, Rng& rng, AttestVerifierOptions options = {});

  // POST /attestation/challenge: 200 {"nonce": hex64, "expires_at": now+300} or 503.
  Reply challenge();
  // POST /attest (§2.5). `content_type` is the request's Content-Type header, if any.
  // On 200 the session is registered and `body` is the §2.5 response.
  Reply attest(std::optional<std::string_view> content_type, std::string_view body);

 private:
  NonceStore& nonces_;
  signed_http::SessionRegistry& sessions_;
  QuoteCheck quote_check_;
  const Clock& clock_;
  Rng& rng_;
  AttestVerifierOptions options_;
};

// ---------------------------------------------------------------- challenge side

// §2.2: per-bootstrap ephemeral keys.
struct ChallengeKeys {
  Secret<32> ed_seed;
  crypto::PublicKey ed_pk{};
  Secret<32> x25519_sk;
  crypto::PublicKey x25519_pub{};
};
ChallengeKeys generate_challenge_keys(Rng& rng);

// §2.1: the nonce text from a /attestation/challenge answer. [SEED] 200 with a 64-hex-char
// string; [COMPAT] any 2xx, any string, missing -> "".
Result<std::string> parse_nonce_response(int http_status, std::string_view body,
                                         Profile profile = Profile::seed_spec);

// §2.3: what the challenge asks its quote provider for (SHA256(ASCII nonce) || 0^32).
ByteArray<64> attest_report_data(std::string_view nonce_text);

// §2.4: the /attest JSON body. `evidence` absent or with an empty quote: [SEED] errc::kNoQuote;
// [COMPAT] "quote": null. Quote encoding: [SEED] B64, [COMPAT] hex (D-19).
Result<std::string> build_attest_body(const ChallengeKeys& keys, std::string_view nonce_text,
                                      const std::optional<Evidence>& evidence,
                                      Profile profile = Profile::seed_spec);

// §2.6 result.
struct ClientSession {
  std::optional<std::string> session_token;  // [COMPAT] may be absent
  std::optional<Secret<32>> aead_key;        // absent when the answer had no `crypto` [COMPAT]
  // SDK_EPHEMERAL_SK_B64 = B64(ed_seed) (ASCII), set only together with aead_key.
  std::optional<SecretBytes> sdk_ephemeral_sk_b64;
};

// §2.6: processes the /attest answer. [SEED] requires session_token, crypto with a 32-byte
// hkdf_salt, a 32-byte non-low-order srv_x25519_pub and aead "chacha20poly1305"; [COMPAT]
// accepts hkdf_salt_b64, any salt length, a missing crypto (no key). Every profile aborts on an
// all-zero X25519 result (libsodium behaviour).
Result<ClientSession> process_attest_response(int http_status, std::string_view body,
                                              const ChallengeKeys& keys,
                                              Profile profile = Profile::seed_spec);

// aead_key = HKDF-SHA256(salt, X25519 shared, "platform-api-sdk-v1", 32): both sides use it.
Secret<32> derive_aead_key(ByteView salt, ByteView shared);

}  // namespace pnc::bootstrap
