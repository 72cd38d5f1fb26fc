// The runner's validator / platform-api side of the §3 handshake, built from reference pieces
// (keys, MockQuoteV4, verify_peer_quote, HKDF, envelope Channel) so that each case can send the
// valid prefix and then exactly one mutation. The valid-handshake case additionally runs the
// reference ClientHandshake state machine unmodified (HS-OK.validator, challenge_handshake_cases.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/sut.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/json.hpp"
#include "pnc/rng.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::conf {

class ClientScript {
 public:
  ClientScript(Profile profile, const SutDescription& sut, Rng& rng);

  // attestation_begin with N, val_x25519_pub and (with_quote) a MockQuoteV4 bound to N (and
  // [HARD] to val_pub), its event log and rtmrs. Members can be edited before sending.
  json::Json begin(bool with_quote = true) const;
  // val_quote for an arbitrary nonce / public key / mock parameters (mutations of §12.4).
  std::string quote_b64(ByteView nonce, ByteView val_pub, const tdx::MockParams& params) const;
  tdx::MockParams mock_params() const;  // the SUT's environment mode
  // MockQuoteV4, or for a signed-mock SUT the ECDSA-signed mock quote, around REPORTDATA.
  Evidence evidence_for(const ByteArray<64>& report_data, const tdx::MockParams& params) const;

  // The validator's own quote provider and the check of the SUT's quote (prod: the mock PKI root
  // for a signed-mock SUT, structure + binding only otherwise), for the reference ClientHandshake.
  std::unique_ptr<QuoteProvider> own_provider() const;
  std::unique_ptr<DcapVerifier> dcap_verifier() const;

  // C4: parses attestation_response and decodes chal_x25519_pub; the error says what was wrong
  // with the message itself. The SUT's quote is verified too (mode and environment from the SUT
  // description), but its verdict is kept apart in quote_check(): only the cases whose subject
  // is the SUT's attestation judge it, every other case goes on (DEC-50).
  Status accept_response(std::string_view frame);
  // The verdict on the SUT's quote from the last accept_response (an error names the failed
  // check and the quote's shape, describe_quote_shape()).
  const Status& quote_check() const { return quote_check_; }
  // C5: attestation_ok with a fresh 32-byte salt (remembered for session()).
  json::Json ok_message();
  // The session under the remembered (or given) salt; fails on an all-zero shared secret.
  Result<envelope::Channel> session(std::optional<Bytes> salt = std::nullopt) const;

  // The key this client seals with (K, or [HARD] K_c2s): for hand-made envelopes (N-ENV-08/09).
  Bytes c2s_key() const;

  const Bytes& nonce() const { return nonce_; }
  const crypto::PublicKey& val_pub() const { return val_.pub; }
  const crypto::PublicKey& chal_pub() const { return chal_pub_; }
  Profile profile() const { return profile_; }

 private:
  Profile profile_;
  const SutDescription& sut_;
  Rng& rng_;
  Bytes nonce_;
  crypto::X25519KeyPair val_;
  crypto::PublicKey chal_pub_{};
  Bytes salt_;
  Status quote_check_;
};

// An inner message sealed on a channel, and the liveness probe of §3 step 7: a
// db_version_request (§5.4) that a live challenge answers with db_version_response echoing the
// message_id.
std::string probe_request(const std::string& message_id);
bool is_probe_answer(const json::Json& message, const std::string& message_id);

}  // namespace pnc::conf
