// The challenge side (pnc-ref-challenge) as a pure application object: HTTP requests in,
// responses out; WebSocket frames in, frames and closes out. All protocol decisions are made by
// the reference (handshake, envelope, router, signed_http, credentials, miner_token); this class
// wires them together per PROTOCOL.md §1.2 and hands the selected mutant's fault switches to them.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "peer_common.hpp"
#include "pnc/clock.hpp"
#include "pnc/credentials.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/net/types.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::peers {

struct ChallengeConfig {
  Profile profile = Profile::seed_spec;
  std::string env_mode = "dev";
  std::string tdx = "mock";
  HostQuoteOptions host_quotes;  // --tdx configfs / dstack: where the host's quote service is
  PeerFaults faults;                        // the --mutant's switches (all off: correct)
  bool admin = false;                       // CHALLENGE_ADMIN
  bool sdk_dev_mode = false;                // SDK_DEV_MODE ([COMPAT] verifier leniency)
  std::optional<std::string> challenge_id;  // CHALLENGE_ID
  bool orm_permissions = false;             // answer orm_ready with orm_permissions
  std::int64_t db_version = 1;
  std::optional<std::string> receiver_key_b64;  // SDK_EPHEMERAL_SK_B64 (B64 of the Ed25519 seed)
  std::vector<std::string> sessions;            // TOKEN:PK_B64[:AEAD_KEY_B64]
  std::vector<std::string> trusted_proxy_keys;  // B64 Ed25519 keys, registered as session "proxy"
  std::string proxy_session = "proxy";
  std::optional<std::string> miner_token_issuer_pk;  // B64
  std::string miner_token_iss = "platform-api";
  std::int64_t session_lifetime = 3600;
  std::int64_t handshake_deadline_ms = 30000;
  std::size_t max_message = 16u * 1024u * 1024u;
};

// The peer's DSN sink: the DSN in wiped memory (MemoryDsnSink) plus the SHA-256 of every DSN ever
// stored, which the test route GET /sdk/admin/dsn_digests lists (§6.8: a refused request must
// not store; the digest shows it without the secret leaving the peer).
class DigestRecordingSink final : public credentials::DsnSink {
 public:
  Status store(ByteView dsn) override;
  std::vector<std::string> digests() const;

 private:
  mutable std::mutex mu_;
  credentials::MemoryDsnSink inner_;
  std::vector<std::string> digests_;
};

class ChallengeApp {
 public:
  static Result<std::unique_ptr<ChallengeApp>> create(ChallengeConfig config);

  net::HttpResponse http(const net::HttpRequest& request);
  std::unique_ptr<SessionLogic> new_session();

  const ChallengeConfig& config() const { return config_; }
  bool credentials_received() const { return ready_.load(); }

  // Shared with sessions.
  QuoteSetup& quotes() { return quotes_; }
  const Clock& clock() const { return clock_; }

 private:
  explicit ChallengeApp(ChallengeConfig config) : config_(std::move(config)) {}
  net::HttpResponse weights(const net::HttpRequest& request);
  net::HttpResponse credentials(const net::HttpRequest& request);
  net::HttpResponse public_route(const net::HttpRequest& request, std::string_view name);
  net::HttpResponse weights_body(const signed_http::VerifyResult& v) const;
  signed_http::VerifyResult verify_signed(const signed_http::HttpRequest& request);

  ChallengeConfig config_;
  SystemClock clock_;
  QuoteSetup quotes_;
  signed_http::SessionTable sessions_;
  std::vector<ByteArray<32>> trusted_proxy_keys_;
  std::optional<miner_token::VerifierConfig> token_config_;
  miner_token::JtiReplayCache jti_cache_;
  std::mutex sink_mu_;
  DigestRecordingSink sink_;  // the DSN stays in wiped memory, never logged; digests listed
  std::atomic<bool> ready_{false};
};

}  // namespace pnc::peers
