// fuzz_hex (PROTOCOL.md §14, §0.3): arbitrary bytes as hex text.
// Oracles: strict accept => re-encoding gives the input back up to case (emitters are lowercase,
// input may be either case), and the verdict and bytes agree with libsodium's sodium_hex2bin on
// even-length input; a strict accept is a sdk-compat accept with the same bytes; exact-length
// decoding honours the length; encode∘decode is the identity on the input read as bytes.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pnc/codec.hpp"

using namespace pnc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto strict = codec::hex_decode(text, Profile::seed_spec);
  // Independent verdict: even length and sodium_hex2bin consumes every character.
  bool independent_ok = text.size() % 2 == 0;
  Bytes independent(text.size() / 2);
  if (independent_ok && !text.empty()) {  // libsodium wants non-null buffers
    std::size_t len = 0;
    const char* end = nullptr;
    independent_ok = sodium_hex2bin(independent.data(), independent.size(), text.data(), text.size(),
                                    nullptr, &len, &end) == 0 &&
                     len == independent.size() && end == text.data() + text.size();
  }
  FUZZ_ASSERT(strict.ok() == independent_ok, "strict hex verdict differs from libsodium");
  if (strict) {
    FUZZ_ASSERT(*strict == independent, "strict hex bytes differ from libsodium");
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    FUZZ_ASSERT(codec::hex_encode(*strict) == lowered, "accepted hex does not re-encode to the input");
    auto compat = codec::hex_decode(text, Profile::sdk_compat);
    FUZZ_ASSERT(compat && *compat == *strict, "sdk-compat rejects or changes strict hex");
    auto exact = codec::hex_decode_exact(text, strict->size());
    FUZZ_ASSERT(exact && *exact == *strict, "hex_decode_exact rejects the decoded length");
    FUZZ_ASSERT(!codec::hex_decode_exact(text, strict->size() + 1), "hex_decode_exact ignores the length");
  } else {
    auto compat = codec::hex_decode(text, Profile::sdk_compat);
    // bytes.fromhex only ever adds whitespace tolerance: no whitespace => same verdict.
    const bool has_space = std::any_of(text.begin(), text.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    });
    if (!has_space) FUZZ_ASSERT(!compat, "sdk-compat accepts hex that strict rejects without whitespace");
  }

  const ByteView raw(data, size);
  const std::string encoded = codec::hex_encode(raw);
  FUZZ_ASSERT(encoded == fuzz::lower_hex(raw), "hex_encode is not lowercase hex");
  auto back = codec::hex_decode(encoded);
  FUZZ_ASSERT(back && Bytes(raw.begin(), raw.end()) == *back, "decode(encode(x)) != x");
  return 0;
}
