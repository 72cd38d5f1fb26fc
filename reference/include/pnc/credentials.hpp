// Credentials (PROTOCOL.md §8): Mechanism A, the sealed DSN delivered to
// POST /sdk/admin/db/credentials (§8.1-8.3), Mechanism B, the X25519 + HKDF + ChaCha20-Poly1305
// credential transfer (§8.4), and where the DSN ends up (§8.5). The DSN only ever leaves this
// module through a DsnSink: it is never logged, written to disk or put in an error message.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

// Deliberate-bug switches for conformance tests (pnc/testing/faults.hpp, test-only target).
namespace pnc::testing {
struct CredentialsFaults;
}  // namespace pnc::testing

namespace pnc::credentials {

// ---- Error codes (Error::code / CredentialsReply::code) ----
// Mechanism A, in processing order.
inline constexpr const char* kMissingFields = "creds.missing_fields";    // 400 "missing fields"
inline constexpr const char* kBadField = "creds.bad_field";              // [SEED] wrong type/range; 400 "missing fields"
inline constexpr const char* kMissingKey = "creds.missing_key";          // 500 "missing SDK ephemeral key"
inline constexpr const char* kDecryptFailed = "creds.decrypt_failed";    // 400 "credentials decrypt failed"
inline constexpr const char* kInvalidPayload = "creds.invalid_payload";  // 400 "invalid credentials payload"
inline constexpr const char* kStoreFailed = "creds.store_failed";        // 500, the sink refused
inline constexpr const char* kMigrationFailed = "creds.migration_failed";  // 500, the migration hook failed
// Mechanism B.
inline constexpr const char* kBadRequest = "creds.bad_request";      // credential request malformed
inline constexpr const char* kBadResponse = "creds.bad_response";    // response fields malformed
inline constexpr const char* kLowOrderKey = "creds.low_order_key";   // all-zero X25519 shared secret
inline constexpr const char* kTransferAuth = "creds.transfer_auth_failed";  // AEAD tag mismatch
inline constexpr const char* kNoDsn = "creds.no_dsn";                // neither dsn nor database_url

inline constexpr std::size_t kMaxDsnBytes = 4096;
inline constexpr std::string_view kDsnEnvVar = "SDK_DB_DSN";
inline constexpr std::string_view kTransferSalt = "platform-credential-transfer-v1";
inline constexpr std::string_view kTransferInfo = "credential-encryption";

// ---- Where the DSN goes (§8.5) ----

// The only way a DSN leaves this module. store() receives the DSN bytes; implementations
// must not log or persist them.
class DsnSink {
 public:
  virtual ~DsnSink() = default;
  virtual Status store(ByteView dsn) = 0;
};

// Production: setenv("SDK_DB_DSN", dsn, 1). Refuses a DSN containing NUL (it cannot be an
// environment value). POSIX setenv is not safe against concurrent getenv: call it while the
// process is not reading its environment from other threads.
class EnvDsnSink final : public DsnSink {
 public:
  Status store(ByteView dsn) override;
};

// Tests and embedders: keeps the DSN in wiped memory and counts writes.
class MemoryDsnSink final : public DsnSink {
 public:
  Status store(ByteView dsn) override;
  const std::optional<SecretBytes>& value() const { return value_; }
  int writes() const { return writes_; }
  void set(ByteView dsn) { value_ = SecretBytes(dsn); }  // pre-seed for "unchanged" checks

 private:
  std::optional<SecretBytes> value_;
  int writes_ = 0;
};

// ---- Mechanism A: sealed DSN receiver (§8.1) ----

struct CredentialsReply {
  int status = 500;
  std::string body;            // compact JSON: {"migrated":true} or {"detail":"..."}
  std::string code;            // empty on success, else one of the codes above
  std::string challenge_name;  // on success: the migration target
  std::string version;         // on success: the version as a string (Python str() in sdk-compat)
};

// Step 6's "run migrations, initialise the DB layer" hook; called after the DSN is stored.
using MigrationRunner = std::function<Status(const std::string& challenge_name, const std::string& version)>;

// Steps 2-7 of §8.1, in order; step 1 (signed-header verification, §6.4) is the caller's job
// and must have passed before this is called. `receiver_key_b64` is SDK_EPHEMERAL_SK_B64
// (B64 of the Ed25519 seed, converted per §8.3) in seed-spec/sdk-compat; in hardened it is
// B64 of the sdk_x25519 secret key used directly (D-24). nullopt or "" => 500. The sink is
// written only on the success path.
CredentialsReply handle_sealed_credentials(std::string_view body_json,
                                           const std::optional<std::string>& receiver_key_b64,
                                           Profile profile, DsnSink& sink,
                                           const MigrationRunner& migrate = {},
                                           const testing::CredentialsFaults* faults = nullptr);

// Sender side for tests/tools: seals `plaintext` (a raw DSN or {"dsn": ...} JSON). seed-spec/
// sdk-compat seal to EdPkToX25519(recipient_key) (the challenge's Ed25519 key); hardened seals
// to recipient_key as an X25519 key (sdk_x25519_pub). Returns the sealed bytes (§8.2).
Result<Bytes> seal_credentials(Profile profile, ByteView recipient_key, std::string_view plaintext,
                               Rng& rng);
// The §8.1 request body {"challenge_name", "sealed": B64(sealed), "version"}.
std::string sealed_request_body(ByteView sealed, std::string_view challenge_name, int version);

// ---- Mechanism B: credential transfer (§8.4) ----

enum class AadMode {
  seed,          // AAD = e_pk (SDK receiver rule, [SEED])
  platform_api,  // AAD = empty (what platform-api sends, D-25)
};

struct CredentialRequest {
  std::string challenge_id;  // canonical hyphenated UUID
  crypto::PublicKey public_key{};
  std::optional<json::Json> migrations;  // array when present
};
std::string build_credential_request(const CredentialRequest& request);
// Issuer-side validation, before any side effect (D-43): challenge_id a hyphenated UUID,
// public_key B64 of exactly 32 bytes and not low-order (N-X-04), migrations an array.
Result<CredentialRequest> parse_credential_request(std::string_view body_json,
                                                   Profile profile = Profile::seed_spec);

struct EncryptedCredentials {
  Bytes encrypted_data;  // c || t
  crypto::PublicKey ephemeral_public_key{};
  ByteArray<12> nonce{};
};
// Sender: e_sk and the 12-byte nonce from rng (in that order), plaintext = compact JSON of the
// map. Fails with kLowOrderKey for a low-order recipient key.
Result<EncryptedCredentials> encrypt_credentials(ByteView recipient_x25519_pk,
                                                 const std::map<std::string, std::string>& plaintext,
                                                 Rng& rng, AadMode aad_mode);
// Deterministic variant (vectors): explicit e_sk, nonce and plaintext bytes.
Result<EncryptedCredentials> encrypt_credentials_with(ByteView recipient_x25519_pk,
                                                      ByteView plaintext, ByteView e_sk32,
                                                      ByteView nonce12, AadMode aad_mode);
// "challenge_" + challenge_id with every '-' replaced by '_'.
std::string schema_name(std::string_view challenge_id);
// The 200 response {"encrypted_credentials": {...}, "schema_name": ...}.
std::string build_credential_response(const EncryptedCredentials& enc, std::string_view challenge_id);

using CredentialMap = std::map<std::string, SecretBytes>;

// Receiver: decode (e_pk 32, nonce 12, ciphertext >= 16 bytes), X25519 (all-zero refused),
// HKDF, open with the AAD rule, parse a JSON object of strings.
Result<CredentialMap> decrypt_credentials(std::string_view response_json, ByteView x_sk32,
                                          AadMode aad_mode, Profile profile = Profile::seed_spec);
// §8.5: decrypt, then store member dsn, else database_url, through the sink. Any failure
// leaves the sink untouched.
Status receive_credentials(std::string_view response_json, ByteView x_sk32, AadMode aad_mode,
                           DsnSink& sink, Profile profile = Profile::seed_spec);

}  // namespace pnc::credentials
