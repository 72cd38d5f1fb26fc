// The runner's challenge side of the §3 handshake against a validator SUT, from reference pieces:
// reads attestation_begin, builds attestation_response (MockQuoteV4 or signed-mock bound to N,
// [HARD] to both keys) that cases may edit, and derives the session from attestation_ok.
#pragma once

#include <optional>
#include <string>

#include "core/sut.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/json.hpp"
#include "pnc/rng.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::conf {

class ServerScript {
 public:
  ServerScript(Profile profile, const SutDescription& sut, Rng& rng);

  // Parses the client's attestation_begin (nonce, val_x25519_pub); the error names the problem.
  Status accept_begin(std::string_view frame);
  // A valid attestation_response for the accepted begin (edit before sending); with `params`,
  // its quote and event log measured with other mock parameters (environment, compose hash).
  json::Json response() const { return response(mock_params()); }
  json::Json response(const tdx::MockParams& params) const;
  // Evidence around N (and the [HARD] binding) with edited mock parameters / report data.
  std::string quote_b64(const tdx::MockParams& params, std::optional<ByteArray<64>> report_data = std::nullopt) const;
  tdx::MockParams mock_params() const;
  // The session from the client's attestation_ok (salt decoded, 32 bytes in strict profiles).
  Result<envelope::Channel> session_from_ok(std::string_view frame) const;

  // The challenge's answer to one of the client's §5.4 requests, its message_id echoed:
  // job_result for job_execute, db_version_response for anything else.
  static json::Json answer_to(const json::Json& request);

  const Bytes& nonce() const { return nonce_; }
  const Bytes& val_pub() const { return val_pub_; }
  const crypto::PublicKey& chal_pub() const { return chal_.pub; }
  Profile profile() const { return profile_; }

 private:
  Profile profile_;
  const SutDescription& sut_;
  crypto::X25519KeyPair chal_;
  Bytes nonce_;
  Bytes val_pub_;
};

}  // namespace pnc::conf
