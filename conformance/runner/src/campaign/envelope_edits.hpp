// Envelope edits the live properties of both targets send: one bit of a member flipped, and
// envelopes broken at exactly one check of §5.3 (R1-R4, R7). Pure text in, text out: each side
// seals under its own session key, so the caller passes its sealing function.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pnc::conf::campaign {

// Seals one inner message under a side's session (nullopt: the side has no session).
using Seal = std::function<std::optional<std::string>(const std::string& inner)>;

// The envelope `frame` with one bit of the decoded `member` (nonce or ciphertext) flipped.
std::optional<std::string> flipped(const std::string& frame, const std::string& member, std::size_t bit);

// The ways to break one check: "not-json", "drop-nonce", "enc-upper", "nonce-13", ...
const std::vector<std::string>& malformed_kinds();
// An envelope of `kind` around `inner` (sealed with `seal` where the kind keeps the crypto valid).
std::optional<std::string> malformed(const Seal& seal, const std::string& kind, const std::string& inner);

}  // namespace pnc::conf::campaign
