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
#include "pnc/testkit/oracles.hpp"
#include "pnc/testkit/rng.hpp"
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

// The toolkit's (testing/, pnc::testkit): one copy for tests, properties and fuzz targets.
using testkit::ossl_b64;
using testkit::ossl_b64_decode;
using testkit::ossl_chacha_open;
using testkit::ossl_chacha_seal;
using testkit::ossl_ed25519_public;
using testkit::ossl_ed25519_sign;
using testkit::ossl_ed25519_verify;
using testkit::ossl_envelope;
using testkit::ossl_hkdf_sha256;
using testkit::ossl_sha256;
using testkit::ossl_sha384;
using testkit::ossl_sha512;
using testkit::ossl_x25519;
using testkit::ossl_x25519_public;

// ---------------------------------------------------------------- spec data

// §12.2: the 14 low-order X25519 encodings.
const std::vector<Bytes>& low_order_x25519();
// §12.3: small-order and non-canonical Ed25519 encodings.
const std::vector<Bytes>& bad_ed25519_points();

// Lowercase hex (test-side, independent of pnc::codec).
using testkit::to_hex;

// ---------------------------------------------------------------- Rng doubles

using testkit::ScriptedRng;

}  // namespace pnc::prop
