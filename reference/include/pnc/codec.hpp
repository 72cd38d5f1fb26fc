// Text encodings of PROTOCOL.md §0.3: base64 (standard alphabet, padded), base64url (unpadded,
// MinerToken only) and hex. Strict decoders implement seed-spec; sdk-compat reproduces Python's
// lenient base64.b64decode / bytes.fromhex. Encoders always emit the canonical form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::codec {

// Error codes (Error::code).
inline constexpr const char* kB64BadChar = "b64.bad_char";          // outside the alphabet
inline constexpr const char* kB64BadPadding = "b64.bad_padding";    // missing / misplaced '='
inline constexpr const char* kB64NonCanonical = "b64.non_canonical";  // unused bits not zero
inline constexpr const char* kB64BadLength = "b64.bad_length";      // decoded length != required
inline constexpr const char* kHexBadChar = "hex.bad_char";
inline constexpr const char* kHexBadLength = "hex.bad_length";

std::string b64_encode(ByteView data);
// seed-spec/hardened: strict RFC 4648 §4 (canonical, padded, no whitespace).
// sdk-compat: Python base64.b64decode(validate=False): foreign characters skipped, trailing bits
// ignored, decoding stops once padding completes a quantum; wrong padding still fails.
Result<Bytes> b64_decode(std::string_view text, Profile profile = Profile::seed_spec);
// As b64_decode, then the decoded length must equal `length` (b64.bad_length otherwise).
Result<Bytes> b64_decode_exact(std::string_view text, std::size_t length,
                               Profile profile = Profile::seed_spec);

std::string b64url_encode(ByteView data);  // RFC 4648 §5, no padding
// Strict in every profile: alphabet A-Z a-z 0-9 - _, no '=', length mod 4 != 1, unused bits 0.
Result<Bytes> b64url_decode(std::string_view text);

std::string hex_encode(ByteView data);  // lowercase
// seed-spec/hardened: even length, [0-9a-fA-F] only. sdk-compat: Python bytes.fromhex (ASCII
// whitespace between byte pairs skipped, any even number of digits including none).
Result<Bytes> hex_decode(std::string_view text, Profile profile = Profile::seed_spec);
Result<Bytes> hex_decode_exact(std::string_view text, std::size_t length,
                               Profile profile = Profile::seed_spec);

// Fixed-size fields (keys, nonces, salts, signatures, digests) decoded straight into the caller's
// buffer, without a heap allocation: the same acceptance and the same error codes as
// *_decode_exact(text, out.size(), profile); `out` is unspecified after an error.
Status b64_decode_into(std::string_view text, std::span<std::uint8_t> out, Profile profile = Profile::seed_spec);
Status hex_decode_into(std::string_view text, std::span<std::uint8_t> out, Profile profile = Profile::seed_spec);

template <std::size_t N>
Result<ByteArray<N>> b64_decode_array(std::string_view text, Profile profile = Profile::seed_spec) {
  ByteArray<N> out;
  if (auto s = b64_decode_into(text, out, profile); !s) return s.error();
  return out;
}
template <std::size_t N>
Result<ByteArray<N>> hex_decode_array(std::string_view text, Profile profile = Profile::seed_spec) {
  ByteArray<N> out;
  if (auto s = hex_decode_into(text, out, profile); !s) return s.error();
  return out;
}

}  // namespace pnc::codec
