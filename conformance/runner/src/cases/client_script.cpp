#include "cases/client_script.hpp"

#include "cases/quote_shape.hpp"
#include "cases/runner_evidence.hpp"
#include "cases/text.hpp"
#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/handshake.hpp"

namespace pnc::conf {

ClientScript::ClientScript(Profile profile, const SutDescription& sut, Rng& rng)
    : profile_(profile), sut_(sut), rng_(rng), nonce_(rng.bytes(32)), val_(crypto::x25519_keypair(rng)) {}

tdx::MockParams ClientScript::mock_params() const {
  tdx::MockParams p;
  p.env_mode = sut_.env_mode;
  return p;
}

Evidence ClientScript::evidence_for(const ByteArray<64>& report_data, const tdx::MockParams& params) const {
  return runner_evidence(sut_, report_data, params);
}

std::unique_ptr<QuoteProvider> ClientScript::own_provider() const { return runner_quote_provider(sut_, mock_params()); }

std::unique_ptr<DcapVerifier> ClientScript::dcap_verifier() const { return sut_quote_verifier(sut_, profile_); }

std::string ClientScript::quote_b64(ByteView nonce, ByteView val_pub, const tdx::MockParams& params) const {
  std::optional<ByteArray<32>> binding;
  if (profile_ == Profile::hardened) binding = key_binding_validator(val_pub);
  return codec::b64_encode(evidence_for(ws_report_data(nonce, binding), params).quote);
}

json::Json ClientScript::begin(bool with_quote) const {
  json::Json msg = {{"type", "attestation_begin"},
                    {"nonce", codec::hex_encode(nonce_)},
                    {"val_x25519_pub", codec::b64_encode(val_.pub)}};
  if (with_quote) {
    std::optional<ByteArray<32>> binding;
    if (profile_ == Profile::hardened) binding = key_binding_validator(val_.pub);
    const auto ev = evidence_for(ws_report_data(nonce_, binding), mock_params());
    msg["val_quote"] = codec::b64_encode(ev.quote);
    if (ev.event_log) msg["val_event_log"] = *ev.event_log;
    if (!ev.rtmrs.is_null()) msg["val_rtmrs"] = ev.rtmrs;
  }
  return msg;
}

Status ClientScript::accept_response(std::string_view frame) {
  auto doc = json::parse_object(frame, Profile::sdk_compat);
  if (!doc) return make_error("script.bad_response", "the answer is not a JSON object");
  const std::string type = string_member(*doc, "type");
  if (type == "attestation_reject")
    return make_error("script.rejected", "attestation_reject: " + string_member(*doc, "reason"));
  if (type != "attestation_response") return make_error("script.bad_response", "expected attestation_response, got \"" + type + "\"");
  auto quote = json::get_string(*doc, "quote");
  auto pub_text = json::get_string(*doc, "chal_x25519_pub");
  if (!quote || !pub_text) return make_error("script.bad_response", "attestation_response lacks quote or chal_x25519_pub");
  auto pub = codec::b64_decode_exact(*pub_text, 32);
  if (!pub) return make_error("script.bad_response", "chal_x25519_pub is not 32 bytes of base64");
  std::copy(pub->begin(), pub->end(), chal_pub_.begin());
  std::optional<std::string> event_log;
  if (auto it = doc->find("event_log"); it != doc->end()) {
    if (it->is_string()) event_log = it->get<std::string>();
    else if (!it->is_null()) event_log = it->dump();
  }
  const auto dcap = dcap_verifier();
  PeerQuoteCheck check;
  check.profile = profile_;
  check.mode = sut_.mode;
  check.quote_b64 = *quote;
  check.event_log = event_log;
  check.nonce = nonce_;
  check.local_env = sut_.env_mode;
  if (profile_ == Profile::hardened) check.key_binding = key_binding_challenge(val_.pub, chal_pub_);
  check.dcap = dcap.get();
  quote_check_ = {};
  if (auto s = verify_peer_quote(check); !s) {
    const auto bytes = codec::b64_decode(*quote, Profile::sdk_compat);
    const std::string shape = bytes ? describe_quote_shape(*bytes, nonce_) : "not base64";
    quote_check_ = make_error("script.bad_quote", "the SUT's quote fails verification: " + s.error().message + " (" + shape + ")");
  }
  return {};
}

json::Json ClientScript::ok_message() {
  salt_ = rng_.bytes(32);
  const bool directional = profile_ == Profile::hardened;
  return {{"type", "attestation_ok"},
          {"aead", std::string(directional ? handshake::kAeadDirectional : handshake::kAead)},
          {"hkdf_salt", codec::b64_encode(salt_)}};
}

Result<envelope::Channel> ClientScript::session(std::optional<Bytes> salt) const {
  const Bytes& s = salt ? *salt : salt_;
  auto shared = crypto::x25519(val_.secret.view(), chal_pub_);
  if (!shared) return shared.error();
  if (profile_ != Profile::hardened)
    return envelope::Channel(profile_, crypto::hkdf_sha256_32(s, shared->view(), handshake::kInfo));
  return envelope::Channel(profile_, crypto::hkdf_sha256_32(s, shared->view(), handshake::kInfoC2S),
                           crypto::hkdf_sha256_32(s, shared->view(), handshake::kInfoS2C));
}

Bytes ClientScript::c2s_key() const {
  auto shared = crypto::x25519(val_.secret.view(), chal_pub_);
  if (!shared) return Bytes(32, 0);
  const auto key = crypto::hkdf_sha256_32(salt_, shared->view(),
                                          profile_ == Profile::hardened ? handshake::kInfoC2S : handshake::kInfo);
  return Bytes(key.view().begin(), key.view().end());
}

std::string probe_request(const std::string& message_id) {
  return json::dump(json::Json{{"type", "db_version_request"}, {"message_id", message_id}});
}

bool is_probe_answer(const json::Json& message, const std::string& message_id) {
  return string_member(message, "type") == "db_version_response" &&
         message.contains("message_id") && message["message_id"] == message_id;
}

}  // namespace pnc::conf
