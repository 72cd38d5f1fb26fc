#include "handshake/common.hpp"

#include <algorithm>
#include <utility>

#include "pnc/crypto.hpp"

namespace pnc::handshake {

Secret<32> session_key(const Secret<32>& shared, ByteView salt, std::string_view info,
                       const testing::HandshakeFaults* faults) {
  const ByteView used_salt = faults != nullptr && faults->ignore_salt ? ByteView() : salt;
  if (faults != nullptr && faults->swap_directional_labels)
    info = info == kInfoC2S ? kInfoS2C : info == kInfoS2C ? kInfoC2S : info;
  return crypto::hkdf_sha256_32(used_salt, shared.view(), info);
}

}  // namespace pnc::handshake

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

bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
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
                                 bool directional, bool server_side,
                                 const testing::HandshakeFaults& faults,
                                 const testing::EnvelopeFaults* envelope_faults) {
  envelope::Channel::Options options;
  options.faults = envelope_faults;
  if (!directional) return envelope::Channel(profile, session_key(shared, salt, kInfo, &faults), options);
  Secret<32> c2s = session_key(shared, salt, kInfoC2S, &faults);
  Secret<32> s2c = session_key(shared, salt, kInfoS2C, &faults);
  return server_side ? envelope::Channel(profile, s2c, c2s, options)
                     : envelope::Channel(profile, c2s, s2c, options);
}

ByteArray<64> own_report_data(ByteView nonce, const std::optional<ByteArray<32>>& binding,
                              const testing::HandshakeFaults& faults) {
  ByteArray<64> rd = ws_report_data(nonce, binding);
  if (!faults.own_nonce_at_offset_16) return rd;
  constexpr std::size_t kShift = 16;
  std::copy_backward(rd.begin(), rd.begin() + 32, rd.begin() + 32 + kShift);  // [16:48] = SHA256(N)
  std::fill(rd.begin(), rd.begin() + kShift, std::uint8_t{0});
  return rd;
}

std::optional<std::string> peer_event_log(std::optional<std::string> log,
                                          const testing::HandshakeFaults& faults) {
  if (faults.drop_peer_event_log) return std::nullopt;
  return log;
}

Result<Secret<32>> shared_secret(ByteView own_secret, ByteView peer_public, bool accept_all_zero) {
  auto dh = crypto::x25519(own_secret, peer_public);
  if (dh || !accept_all_zero || dh.error().code != crypto::kAllZeroShared) return dh;
  return Secret<32>();  // the all-zero output, used as is
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
