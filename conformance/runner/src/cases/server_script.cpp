#include "cases/server_script.hpp"

#include "cases/runner_evidence.hpp"
#include "cases/text.hpp"
#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/handshake.hpp"
#include "pnc/router.hpp"

namespace pnc::conf {

ServerScript::ServerScript(Profile profile, const SutDescription& sut, Rng& rng)
    : profile_(profile), sut_(sut), chal_(crypto::x25519_keypair(rng)) {}

tdx::MockParams ServerScript::mock_params() const {
  tdx::MockParams p;
  p.env_mode = sut_.env_mode;
  if (sut_.compose_hash) {
    if (auto h = codec::hex_decode_exact(*sut_.compose_hash, 32)) {
      ByteArray<32> ch{};
      std::copy(h->begin(), h->end(), ch.begin());
      p.compose_hash = ch;
    }
  }
  return p;
}

Status ServerScript::accept_begin(std::string_view frame) {
  auto doc = json::parse_object(frame, Profile::sdk_compat);
  if (!doc) return make_error("script.bad_begin", "the first message is not a JSON object");
  if (string_member(*doc, "type") != "attestation_begin")
    return make_error("script.bad_begin", "the first message is \"" + string_member(*doc, "type") + "\", not attestation_begin");
  auto nonce = codec::hex_decode_exact(string_member(*doc, "nonce"), 32);
  auto pub = codec::b64_decode_exact(string_member(*doc, "val_x25519_pub"), 32);
  if (!nonce || !pub) return make_error("script.bad_begin", "attestation_begin with a bad nonce or val_x25519_pub");
  nonce_ = std::move(*nonce);
  val_pub_ = std::move(*pub);
  return {};
}

std::string ServerScript::quote_b64(const tdx::MockParams& params, std::optional<ByteArray<64>> report_data) const {
  std::optional<ByteArray<32>> binding;
  if (profile_ == Profile::hardened) binding = key_binding_challenge(val_pub_, chal_.pub);
  const ByteArray<64> rd = report_data ? *report_data : ws_report_data(nonce_, binding);
  const Evidence ev = runner_evidence(sut_, rd, params);
  return codec::b64_encode(ev.quote);
}

json::Json ServerScript::response(const tdx::MockParams& params) const {
  std::optional<ByteArray<32>> binding;
  if (profile_ == Profile::hardened) binding = key_binding_challenge(val_pub_, chal_.pub);
  const ByteArray<64> rd = ws_report_data(nonce_, binding);
  const Evidence ev = runner_evidence(sut_, rd, params);
  return {{"type", "attestation_response"},
          {"quote", codec::b64_encode(ev.quote)},
          {"event_log", ev.event_log ? json::Json(*ev.event_log) : json::Json(nullptr)},
          {"rtmrs", ev.rtmrs},
          {"chal_x25519_pub", codec::b64_encode(chal_.pub)}};
}

Result<envelope::Channel> ServerScript::session_from_ok(std::string_view frame) const {
  auto doc = json::parse_object(frame, Profile::sdk_compat);
  if (!doc || string_member(*doc, "type") != "attestation_ok")
    return make_error("script.bad_ok", "expected attestation_ok");
  auto salt = codec::b64_decode(string_member(*doc, "hkdf_salt"));
  if (!salt || salt->empty()) return make_error("script.bad_ok", "attestation_ok without a usable hkdf_salt");
  auto shared = crypto::x25519(chal_.secret.view(), val_pub_);
  if (!shared) return shared.error();
  if (string_member(*doc, "aead") != handshake::kAeadDirectional)
    return envelope::Channel(profile_, crypto::hkdf_sha256_32(*salt, shared->view(), handshake::kInfo));
  return envelope::Channel(profile_, crypto::hkdf_sha256_32(*salt, shared->view(), handshake::kInfoS2C),
                           crypto::hkdf_sha256_32(*salt, shared->view(), handshake::kInfoC2S));
}

json::Json ServerScript::answer_to(const json::Json& request) {
  if (string_member(request, "type") == "job_execute")
    return router::Router::reply_to(request, {{"type", "job_result"}, {"job_id", string_member(request, "job_id")}, {"result", {{"ok", true}}}});
  return router::Router::reply_to(request, {{"type", "db_version_response"}, {"payload", {{"db_version", 1}}}});
}

}  // namespace pnc::conf
