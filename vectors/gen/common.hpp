// Shared generator state: the golden values of PROTOCOL.md §13 (vectors/PROTOCOL-vectors.json),
// consistency checks that make generation fail when the reference disagrees with them, and the
// per-mechanism generator entry points.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pnc/rng.hpp"
#include "pnc/types.hpp"
#include "vector_file.hpp"

namespace pnc::vectors {

struct Golden {
  nlohmann::json j;
  std::string s(std::string_view section, std::string_view key) const;
  Bytes h(std::string_view section, std::string_view key) const;   // hex field
  Bytes b(std::string_view section, std::string_view key) const;   // base64 field
  const nlohmann::json& rfc() const { return rfc_; }
  nlohmann::json rfc_;
};

// Records a generator failure (the reference disagreeing with a golden value, an operation that
// must succeed failing). main() exits non-zero when any was recorded.
void fail(const std::string& what);
void check(bool ok, const std::string& what);
void check_eq(const Bytes& got, const Bytes& want, const std::string& what);
void check_eq(const std::string& got, const std::string& want, const std::string& what);
const std::vector<std::string>& failures();

Bytes concat(const Bytes& a, const Bytes& b);
Bytes flip(Bytes b, std::size_t byte, std::uint8_t mask = 0x01);

// One generator per output file.
VectorFile gen_x25519(const Golden& g);
VectorFile gen_ed25519(const Golden& g);
VectorFile gen_hkdf(const Golden& g);
VectorFile gen_chacha(const Golden& g);
VectorFile gen_xchacha(const Golden& g);
VectorFile gen_codec(const Golden& g);
VectorFile gen_envelope(const Golden& g);
VectorFile gen_handshake(const Golden& g);
VectorFile gen_signed_request(const Golden& g);
VectorFile gen_encrypted_body(const Golden& g);
VectorFile gen_miner_token(const Golden& g);
VectorFile gen_sealed_box(const Golden& g);
VectorFile gen_credential_transfer(const Golden& g);
VectorFile gen_quote(const Golden& g);
VectorFile gen_eventlog(const Golden& g);
VectorFile gen_quote_signed(const Golden& g);  // through pnc::mock_tdx
VectorFile gen_bootstrap(const Golden& g);

}  // namespace pnc::vectors
