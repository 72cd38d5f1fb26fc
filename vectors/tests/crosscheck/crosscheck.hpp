// The cross-check of every vector file against a second implementation: OpenSSL 3 where it has
// the primitive, and the spec's own tables (§12.2 / §12.3) for the strict-policy rules OpenSSL
// does not implement. Each check looks at one case's seed-spec `result` and either confirms it,
// skips it (nothing for OpenSSL to check, e.g. a JSON or time rule), or reports a disagreement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "openssl_engine.hpp"

namespace xcheck {

using Json = nlohmann::json;

enum class Kind { confirmed_openssl, confirmed_spec, skipped, disagree };
struct Outcome {
  Kind kind = Kind::skipped;
  std::string why;  // for disagreements
};
inline Outcome openssl_ok() { return {Kind::confirmed_openssl, {}}; }
inline Outcome spec_ok() { return {Kind::confirmed_spec, {}}; }
inline Outcome skip() { return {Kind::skipped, {}}; }
inline Outcome bad(std::string why) { return {Kind::disagree, std::move(why)}; }
// Confirmed when OpenSSL's verdict equals the expected one.
inline Outcome agree(bool openssl_accepts, bool expected_valid, const std::string& what) {
  if (openssl_accepts == expected_valid) return openssl_ok();
  return bad(what + ": OpenSSL " + (openssl_accepts ? "accepts" : "rejects"));
}

// Case helpers.
bool valid(const Json& t);  // seed-spec result == valid ("acceptable" cases are skipped)
bool has_flag(const Json& t, const char* flag);
Bytes h(const Json& j, const char* field);  // hex field (empty on error)
std::string s(const Json& j, const char* field);
// Quote byte readers shared by the two quote checkers: little-endian field (caller checks bounds),
// and a bounded slice (empty when out of range).
inline std::uint32_t le(const Bytes& b, std::size_t off, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::uint32_t{b[off + i]} << (8 * i);
  return v;
}
inline Bytes sub(const Bytes& b, std::size_t off, std::size_t n) {
  if (off > b.size() || n > b.size() - off) return {};
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(off), b.begin() + static_cast<std::ptrdiff_t>(off + n));
}

using CheckFn = Outcome (*)(const Json& group, const Json& test);
Outcome check_x25519(const Json&, const Json&);
Outcome check_ed25519(const Json&, const Json&);
Outcome check_hkdf(const Json&, const Json&);
Outcome check_aead(const Json&, const Json&);
Outcome check_codec(const Json&, const Json&);
Outcome check_envelope(const Json&, const Json&);
Outcome check_signed_request(const Json&, const Json&);
Outcome check_encrypted_body(const Json&, const Json&);
Outcome check_miner_token(const Json&, const Json&);
Outcome check_sealed_box(const Json&, const Json&);
Outcome check_credential_transfer(const Json&, const Json&);
Outcome check_handshake(const Json&, const Json&);
Outcome check_quote(const Json&, const Json&);
Outcome check_eventlog(const Json&, const Json&);
Outcome check_quote_signed(const Json&, const Json&);
Outcome check_bootstrap(const Json&, const Json&);
Outcome check_quote_real(const Json&, const Json&);

}  // namespace xcheck
