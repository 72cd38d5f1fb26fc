// The mutant catalogue shared by both peers, --list-mutants and the README.
#include "mutants.hpp"

namespace pnc::peers {

const std::vector<MutantInfo>& mutant_catalogue() {
  static const std::vector<MutantInfo> catalogue = {
      {Mutant::accept_replay, "accept-replay", true, true,
       "WebSocket envelopes: no R6 (a replayed or reflected envelope is processed again)"},
      {Mutant::nonce_at_584, "nonce-at-584", true, true,
       "own quotes carry SHA256(N) at offset 584 instead of 568 (--tdx mock only)"},
      {Mutant::skip_zero_check, "skip-zero-check", true, false,
       "handshake: an all-zero X25519 shared secret is accepted (K = HKDF(salt, 0^32))"},
      {Mutant::ignore_timestamp, "ignore-timestamp", true, true,
       "signed requests: V2 (|now - X-Timestamp| <= 120 s) is skipped"},
      {Mutant::accept_http_replay, "accept-http-replay", true, true,
       "signed requests: V7 (X-Nonce replay cache) is skipped"},
      {Mutant::accept_alg_none, "accept-alg-none", true, false,
       "/sdk/public: an X-Miner-Token with alg \"none\" is accepted without any check"},
      {Mutant::trust_verified_headers, "trust-verified-headers", true, false,
       "/sdk/public: X-Verified-Miner-Hotkey is honoured without proxy authentication"},
      {Mutant::no_deadline, "no-deadline", true, true,
       "handshake: no protocol deadline (only the --idle-timeout-ms transport timeout remains)"},
      {Mutant::accept_binary, "accept-binary", true, true,
       "binary frames are silently ignored instead of closing 1003"},
  };
  return catalogue;
}

std::optional<Mutant> parse_mutant(std::string_view name) {
  if (name.empty() || name == "none") return Mutant::none;
  for (const auto& m : mutant_catalogue()) {
    if (m.name == name) return m.id;
  }
  return std::nullopt;
}

std::string_view to_string(Mutant m) {
  for (const auto& info : mutant_catalogue()) {
    if (info.id == m) return info.name;
  }
  return "none";
}

std::string list_mutants(bool for_challenge) {
  std::string out;
  for (const auto& m : mutant_catalogue()) {
    if (for_challenge ? !m.challenge : !m.validator) continue;
    out.append(m.name).append("\t").append(m.what).append("\n");
  }
  return out;
}

}  // namespace pnc::peers
