// Shared pieces of the two handshake state machines (private to the handshake module).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "pnc/attestation.hpp"
#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/testing/faults.hpp"

namespace pnc::handshake::detail {

// How one failure is reported: the reject frame (if any) and the close code, per profile.
struct FailureSpec {
  FailureSpec(const char* c, std::string m, std::uint16_t strict_code = kClosePolicy,
              InStrict in_strict = InStrict::reject_then_close, InCompat in_compat = InCompat::close_silently,
              std::uint16_t compat_code = kCloseNormal)
      : code(c), message(std::move(m)), strict_close(strict_code),
        strict_reject(in_strict == InStrict::reject_then_close),
        compat_reject(in_compat == InCompat::reject_then_close), compat_close(compat_code) {}
  const char* code;
  std::string message;                   // also the attestation_reject reason when one is sent
  std::uint16_t strict_close = kClosePolicy;
  bool strict_reject = true;             // seed-spec/hardened send attestation_reject first
  bool compat_reject = false;            // sdk-compat sends it too (else a silent close)
  std::uint16_t compat_close = kCloseNormal;
  std::optional<Error> cause;
};
Step failure(Profile profile, FailureSpec spec);

std::string reject_frame(std::string_view reason);

// A frame over the profile's handshake limit ([SEED] 1 MiB, [COMPAT] 16 MiB framework limit).
bool too_large(Profile profile, std::size_t size);

// The member `type` when it is a string, else empty.
std::string type_of(const json::Json& msg);

// ASCII case-insensitive equality (the aead_case_insensitive fault's comparison).
bool iequals(std::string_view a, std::string_view b);

// An event log member: absent/null -> nullopt; string -> text; [COMPAT] other JSON -> its dump.
// Strict profiles reject other types (the error is returned).
Result<std::optional<std::string>> event_log_member(const json::Json& msg, const char* name,
                                                    Profile profile);

// §4: K (or [HARD] K_c2s / K_s2c) from the shared secret and salt; the Channel for one side,
// carrying the envelope faults. `faults` breaks the derivation (ignore_salt, swapped labels).
envelope::Channel derive_session(Profile profile, const Secret<32>& shared, ByteView salt,
                                 bool directional, bool server_side,
                                 const testing::HandshakeFaults& faults,
                                 const testing::EnvelopeFaults* envelope_faults);

// The report_data of the own quote (§3.4), or with the own_nonce_at_offset_16 fault
// SHA256(N) moved to [16:48] (offset 584 in the quote, where only a lenient scan finds it).
ByteArray<64> own_report_data(ByteView nonce, const std::optional<ByteArray<32>>& binding,
                              const testing::HandshakeFaults& faults);

// The peer's event log as VerifyPeerQuote sees it (none with the drop_peer_event_log fault).
std::optional<std::string> peer_event_log(std::optional<std::string> log,
                                          const testing::HandshakeFaults& faults);

// X25519 per §4 / §12.2: an all-zero result fails unless `accept_all_zero` (the [COMPAT]
// quirk D-33, or the accept_all_zero_shared fault), when it is returned as the key material.
Result<Secret<32>> shared_secret(ByteView own_secret, ByteView peer_public, bool accept_all_zero);

// [COMPAT] §3.5 S4 annotation of the server's own event log.
std::optional<std::string> annotate_server_log(const std::optional<std::string>& log,
                                               const std::string& env_mode);
// [COMPAT] VAL's annotation of its own event log (§3.8 notes): an object gets
// environment_mode; anything else is replaced by {"environment_mode": env} (events lost).
std::string annotate_validator_log(const std::optional<std::string>& log, const std::string& env_mode);

// The configured verifier, or pnc::verify_peer_quote.
Status run_verifier(const PeerVerifier& verifier, const PeerQuoteCheck& check);

}  // namespace pnc::handshake::detail
