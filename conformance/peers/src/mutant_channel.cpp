// Key capture and replay-blind envelope opening for the accept-replay / skip-zero-check mutants.
#include "mutant_channel.hpp"

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"

namespace pnc::peers {

void RecordingRng::fill(std::span<std::uint8_t> out) {
  system_.fill(out);
  if (out.size() == 32 && draws_.size() < keep_) draws_.emplace_back(ByteView(out));
}

SessionKeys derive_session_keys(ByteView shared, ByteView salt, bool directional,
                                bool server_side) {
  if (!directional) {
    auto k = crypto::hkdf_sha256_32(salt, shared, handshake::kInfo);
    auto copy = Secret<32>(k.view());
    return SessionKeys{std::move(k), std::move(copy)};
  }
  auto c2s = crypto::hkdf_sha256_32(salt, shared, handshake::kInfoC2S);
  auto s2c = crypto::hkdf_sha256_32(salt, shared, handshake::kInfoS2C);
  if (server_side) return SessionKeys{std::move(s2c), std::move(c2s)};
  return SessionKeys{std::move(c2s), std::move(s2c)};
}

std::optional<Bytes> b64_member(std::string_view frame, std::string_view name) {
  auto doc = json::parse(frame, Profile::sdk_compat);
  if (!doc || !doc->is_object()) return std::nullopt;
  auto text = json::get_string(*doc, name);
  if (!text || text->empty()) return std::nullopt;
  auto bytes = codec::b64_decode(*text, Profile::sdk_compat);
  if (!bytes) return std::nullopt;
  return std::move(*bytes);
}

std::optional<Bytes> ok_salt(std::string_view frame) {
  if (auto salt = b64_member(frame, "hkdf_salt")) return salt;
  return b64_member(frame, "hkdf_salt_b64");
}

bool ok_directional(std::string_view frame) {
  auto doc = json::parse(frame, Profile::sdk_compat);
  if (!doc || !doc->is_object()) return false;
  auto aead = json::get_string(*doc, "aead");
  return aead && *aead == handshake::kAeadDirectional;
}

envelope::Outcome open_without_replay_check(const Secret<32>& recv_key, std::string_view frame,
                                            Profile profile) {
  envelope::Outcome out;
  if (frame.size() > envelope::kMaxFrameBytes) {
    out.action = envelope::Outcome::Action::close;
    out.error = make_error(envelope::kTooLarge, "frame too large");
    out.close = CloseFrame{kCloseTooBig, envelope::kTooLarge};
    return out;
  }
  auto opened = envelope::open(recv_key.view(), frame, profile);
  if (opened) {
    out.action = envelope::Outcome::Action::deliver;
    out.opened = std::move(*opened);
    return out;
  }
  out.error = opened.error();
  if (!is_strict(profile)) {
    out.action = envelope::Outcome::Action::drop;
    return out;
  }
  const bool payload = opened.error().code == envelope::kNotJsonObject ||
                       opened.error().code == envelope::kBadPlaintext;
  out.action = envelope::Outcome::Action::close;
  out.close = CloseFrame{payload ? kCloseInvalidPayload : kClosePolicy, opened.error().code};
  return out;
}

}  // namespace pnc::peers
