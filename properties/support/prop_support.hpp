// Shared pieces of the property suite: RapidCheck generators for protocol inputs (valid values
// and near-miss mutations), OpenSSL 3 oracles (an implementation independent of the reference's
// libsodium), spec data tables (§12.2, §12.3) and deterministic Rng doubles.
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pnc/rng.hpp"
#include "pnc/types.hpp"

namespace pnc::prop {

// ---------------------------------------------------------------- generators

// Exactly n arbitrary bytes (shrinks towards zero bytes).
rc::Gen<Bytes> bytes(std::size_t n);
// Between lo and hi arbitrary bytes.
rc::Gen<Bytes> bytes_between(std::size_t lo, std::size_t hi);
// A string of [lo, hi] characters drawn from `alphabet`.
rc::Gen<std::string> string_of(std::string_view alphabet, std::size_t lo, std::size_t hi);
// A random JSON object of scalars, arrays and nested objects (depth <= 3), UTF-8 strings.
rc::Gen<nlohmann::json> json_object();
// A JSON object that is a valid inner message (§5.4): string `type` plus random members.
rc::Gen<nlohmann::json> inner_message();

// Alphabets.
inline constexpr std::string_view kB64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kNonceAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
inline constexpr std::string_view kPathAlphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~%";

// ---------------------------------------------------------------- mutations

// A copy of `b` with bit `bit` (0 .. 8*size-1) flipped.
Bytes flip_bit(ByteView b, std::size_t bit);
// A copy of `s` with byte `index` replaced by `value` (caller guarantees value differs).
std::string replace_byte(std::string_view s, std::size_t index, char value);

// ---------------------------------------------------------------- OpenSSL 3 oracles

// X25519; nullopt when OpenSSL refuses (it refuses an all-zero shared secret).
std::optional<Bytes> ossl_x25519(ByteView sk32, ByteView pk32);
Bytes ossl_x25519_public(ByteView sk32);
Bytes ossl_hkdf_sha256(ByteView salt, ByteView ikm, ByteView info, std::size_t length);
Bytes ossl_chacha_seal(ByteView key32, ByteView nonce12, ByteView pt, ByteView aad = {});
std::optional<Bytes> ossl_chacha_open(ByteView key32, ByteView nonce12, ByteView ct_and_tag,
                                      ByteView aad = {});
Bytes ossl_ed25519_public(ByteView seed32);
Bytes ossl_ed25519_sign(ByteView seed32, ByteView msg);
bool ossl_ed25519_verify(ByteView pk32, ByteView msg, ByteView sig64);
Bytes ossl_sha256(ByteView data);
Bytes ossl_sha384(ByteView data);
Bytes ossl_sha512(ByteView data);
// RFC 4648 §4 base64 with padding (OpenSSL EVP_EncodeBlock).
std::string ossl_b64(ByteView data);
// Decodes canonical padded base64 with OpenSSL (EVP_DecodeBlock, padding bytes removed);
// nullopt when OpenSSL refuses. Only meant for strings the test already knows are canonical.
std::optional<Bytes> ossl_b64_decode(std::string_view text);
// An envelope frame (§5.1) built with OpenSSL: {"enc","nonce","ciphertext"}.
std::string ossl_envelope(ByteView key32, ByteView nonce12, std::string_view plaintext);

// ---------------------------------------------------------------- spec data

// §12.2: the 14 low-order X25519 encodings.
const std::vector<Bytes>& low_order_x25519();
// §12.3: small-order and non-canonical Ed25519 encodings.
const std::vector<Bytes>& bad_ed25519_points();

// Lowercase hex (test-side, independent of pnc::codec).
std::string to_hex(ByteView data);

// ---------------------------------------------------------------- Rng doubles

// Hands out queued byte strings whose size matches the request, else a deterministic stream.
class ScriptedRng final : public Rng {
 public:
  explicit ScriptedRng(std::uint64_t seed = 1) : fallback_(seed) {}
  void push(Bytes b) { queue_.push_back(std::move(b)); }
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::deque<Bytes> queue_;
  DeterministicRng fallback_;
};

}  // namespace pnc::prop
