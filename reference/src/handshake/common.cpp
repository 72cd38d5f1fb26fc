#include "handshake/common.hpp"

#include <algorithm>
#include <utility>

#include "pnc/crypto.hpp"

namespace pnc::handshake::detail {

Step failure(Profile profile, FailureSpec spec) {
  Step step;
  const bool strict = is_strict(profile);
  if (strict ? spec.strict_reject : spec.compat_reject) step.send.push_back(reject_frame(spec.message));
  // The close reason is the stable code: short, and never secret material.
  step.close = CloseFrame{strict ? spec.strict_close : spec.compat_close, strict ? spec.code : ""};
  step.error = make_error(spec.code, std::move(spec.message));
  step.cause = std::move(spec.cause);
  return step;
}

std::string reject_frame(std::string_view reason) {
  json::Json msg = {{"type", "attestation_reject"}, {"reason", std::string(reason)}};
  return json::dump(msg);
}

bool too_large(Profile profile, std::size_t size) {
  return size > (is_strict(profile) ? kMaxHandshakeFrameBytes : envelope::kMaxFrameBytes);
}

std::string type_of(const json::Json& msg) {
  if (!msg.is_object()) return {};
  auto it = msg.find("type");
  return it != msg.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<std::optional<std::string>> event_log_member(const json::Json& msg, const char* name,
                                                    Profile profile) {
  auto it = msg.find(name);
  if (it == msg.end() || it->is_null()) return std::optional<std::string>();
  if (it->is_string()) return std::optional<std::string>(it->get<std::string>());
  if (is_strict(profile))
    return make_error(kBadEventLog, std::string(name) + " must be a string (JSON text) or null");
  return std::optional<std::string>(json::dump(*it));  // SDK also takes an object (§3.8)
}

envelope::Channel derive_session(Profile profile, const Secret<32>& shared, ByteView salt,
                                 bool directional, bool server_side) {
  if (!directional) return envelope::Channel(profile, crypto::hkdf_sha256_32(salt, shared.view(), kInfo));
  Secret<32> c2s = crypto::hkdf_sha256_32(salt, shared.view(), kInfoC2S);
  Secret<32> s2c = crypto::hkdf_sha256_32(salt, shared.view(), kInfoS2C);
  return server_side ? envelope::Channel(profile, s2c, c2s) : envelope::Channel(profile, c2s, s2c);
}

std::optional<std::string> annotate_server_log(const std::optional<std::string>& log,
                                               const std::string& env_mode) {
  if (!log) return log;
  auto doc = json::parse(*log, Profile::sdk_compat);
  if (!doc) return json::dump(json::Json{{"environment_mode", env_mode}, {"original", *log}});
  if (!doc->is_object()) return log;  // arrays (dstack) and scalars stay as they are
  (*doc)["environment_mode"] = env_mode;
  return json::dump(*doc);
}

std::string annotate_validator_log(const std::optional<std::string>& log, const std::string& env_mode) {
  if (log) {
    auto doc = json::parse(*log, Profile::sdk_compat);
    if (doc && doc->is_object()) {
      (*doc)["environment_mode"] = env_mode;
      return json::dump(*doc);
    }
  }
  return json::dump(json::Json{{"environment_mode", env_mode}});
}

Status run_verifier(const PeerVerifier& verifier, const PeerQuoteCheck& check) {
  return verifier ? verifier(check) : verify_peer_quote(check);
}

}  // namespace pnc::handshake::detail
