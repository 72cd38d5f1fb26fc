// Helpers for the mutants that must bypass a check inside the reference's handshake or Channel
// (accept-replay, skip-zero-check): capture the ephemeral secret the handshake draws, re-derive
// the session keys exactly as §4 does, and open envelopes without the R6 replay check.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "pnc/envelope.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

namespace pnc::peers {

// An Rng that forwards to the system CSPRNG and keeps a copy of the first `keep` 32-byte draws
// (the handshake draws its X25519 secret that way). Copies are wiped on destruction / forget().
class RecordingRng final : public Rng {
 public:
  explicit RecordingRng(std::size_t keep) : keep_(keep) {}
  void fill(std::span<std::uint8_t> out) override;
  const Secret<32>* draw(std::size_t index) const {
    return index < draws_.size() ? &draws_[index] : nullptr;
  }
  void forget() { draws_.clear(); keep_ = 0; }

 private:
  SystemRng system_;
  std::size_t keep_;
  std::vector<Secret<32>> draws_;
};

// §4 key derivation (single key, or [HARD] directional keys for this side).
struct SessionKeys {
  Secret<32> send;
  Secret<32> recv;
};
SessionKeys derive_session_keys(ByteView shared, ByteView salt, bool directional, bool server_side);

// A base64 member of a handshake frame, decoded (sdk-compat rules are the lenient superset).
std::optional<Bytes> b64_member(std::string_view frame, std::string_view name);
// The salt of attestation_ok (hkdf_salt, else [COMPAT] hkdf_salt_b64) and whether it asks for
// directional keys.
std::optional<Bytes> ok_salt(std::string_view frame);
bool ok_directional(std::string_view frame);

// §5.3 R1-R5 and R7 without R6, with the profile's disposition (strict: close 1007 for R1/R7,
// 1008 otherwise; sdk-compat: drop). Frames over 16 MiB close 1009.
envelope::Outcome open_without_replay_check(const Secret<32>& recv_key, std::string_view frame,
                                            Profile profile);

}  // namespace pnc::peers
