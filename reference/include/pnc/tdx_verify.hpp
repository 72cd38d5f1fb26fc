// Companions of verify_peer_quote (attestation.hpp, §3.7): extra error codes and the upstream
// waiver rules. verify_peer_quote always reports the precise failure and never waives anything
// itself; an sdk-compat caller that reproduces upstream's mock/dev waivers (D-06) asks
// compat_waives() whether to continue anyway. Strict profiles never waive.
#pragma once

#include <array>
#include <cstddef>

#include "pnc/attestation.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx {

// Codes verify_peer_quote may return besides attest_errc (same "attest." namespace).
inline constexpr const char* kEventLogTooLarge = "attest.event_log_too_large";  // > 1 MiB
inline constexpr const char* kEventDigest = "attest.event_digest_mismatch";  // [HARD] digest != V1
inline constexpr const char* kKeyBindingMissing = "attest.key_binding_missing";  // [HARD] caller gave none

inline constexpr std::size_t kCompatMinPeerQuote = 1024;  // SDK's check of the peer (D-29)
inline constexpr std::size_t kCompatMinOwnQuote = 100;    // SDK's "no quote" threshold (§3.5 S4)
inline constexpr std::array<std::size_t, 3> kCompatOffsets = {568, 576, 584};

// Upstream nonce check (§3.7 COMPAT step 2, D-03): Q[o, o+32) == digest for any o in
// {568, 576, 584} that fits. API's whole check of the challenge quote is this function.
bool compat_nonce_match(ByteView quote, ByteView digest32);

// Which upstream party is judging a peer's quote, and its mode switches (§1.3).
enum class CompatVerifier { sdk_server, validator_client, api_client };
struct CompatFlags {
  bool mock_attestation = false;    // SDK: (not tee_enforced) or tdx_sim or dev_mode
  bool sdk_dev_mode = false;        // SDK_DEV_MODE=true
  bool validator_mock_vmm = false;  // VALIDATOR_MOCK_VMM=true
  bool api_dev = false;             // API: DEV_MODE=true or TEE_ENFORCED=false
};

// D-06 waivers of the sdk-compat profile for a failure of verify_peer_quote:
// SDK: mock_attestation waives everything (environment mismatch included); dev_mode waives the
// nonce binding. VAL: mock VMM waives quote failures but not environment/compose-hash ones.
// API: dev mode skips the whole check. Returns false for every strict profile.
bool compat_waives(Profile profile, CompatVerifier who, const CompatFlags& flags,
                   const Error& failure);

}  // namespace pnc::tdx
