// fuzz_b64_strict (PROTOCOL.md §14, §0.3): arbitrary bytes as base64 text.
// Oracles: strict accept => re-encoding gives the input back (canonical form only), and the
// verdict and bytes agree with libsodium's strict decoder; the same for base64url (§7, unpadded);
// a strict accept is also a sdk-compat accept with the same bytes; encode∘decode is the identity
// on the input read as bytes (P-B64).
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "pnc/codec.hpp"

using namespace pnc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto strict = codec::b64_decode(text, Profile::seed_spec);
  auto independent = fuzz::sodium_b64(text);
  FUZZ_ASSERT(strict.ok() == independent.has_value(), "strict base64 verdict differs from libsodium");
  if (strict) {
    FUZZ_ASSERT(*strict == *independent, "strict base64 bytes differ from libsodium");
    FUZZ_ASSERT(codec::b64_encode(*strict) == text, "accepted base64 does not re-encode to the input");
    auto compat = codec::b64_decode(text, Profile::sdk_compat);
    FUZZ_ASSERT(compat && *compat == *strict, "sdk-compat rejects or changes a canonical encoding");
    auto exact = codec::b64_decode_exact(text, strict->size());
    FUZZ_ASSERT(exact && *exact == *strict, "b64_decode_exact rejects the decoded length");
    auto off = codec::b64_decode_exact(text, strict->size() + 1);
    FUZZ_ASSERT(!off && off.error().code == codec::kB64BadLength, "wrong length not reported");
  } else {
    (void)codec::b64_decode(text, Profile::sdk_compat);  // lenient path: no crash, no UB
  }

  auto url = codec::b64url_decode(text);
  auto url_independent = fuzz::sodium_b64url(text);
  FUZZ_ASSERT(url.ok() == url_independent.has_value(), "base64url verdict differs from libsodium");
  if (url) {
    FUZZ_ASSERT(*url == *url_independent, "base64url bytes differ from libsodium");
    FUZZ_ASSERT(codec::b64url_encode(*url) == text, "accepted base64url does not re-encode to the input");
  }

  // Round trip of arbitrary bytes through the encoders.
  const ByteView raw(data, size);
  const std::string encoded = codec::b64_encode(raw);
  FUZZ_ASSERT(encoded == fuzz::sodium_b64_encode(raw), "b64_encode differs from libsodium");
  auto back = codec::b64_decode(encoded);
  FUZZ_ASSERT(back && Bytes(raw.begin(), raw.end()) == *back, "decode(encode(x)) != x");
  auto url_back = codec::b64url_decode(codec::b64url_encode(raw));
  FUZZ_ASSERT(url_back && Bytes(raw.begin(), raw.end()) == *url_back, "b64url decode(encode(x)) != x");
  return 0;
}
