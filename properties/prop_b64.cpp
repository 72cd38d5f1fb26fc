// P-B64 (PROTOCOL.md §14, §0.3): strict base64 decode∘encode = identity, encode∘decode = identity
// on canonical strings, every non-canonical string is rejected; the same for base64url (MinerToken)
// and hex. Oracles: OpenSSL's encoder for the canonical form, and a small independent model of
// "canonical" written from §0.3 (alphabet, length, padding position, zero unused bits).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "pnc/codec.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;

int b64_value(char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

// §0.3 [SEED] canonical padded base64, independent of pnc::codec.
bool model_canonical_b64(std::string_view s) {
  if (s.size() % 4 != 0) return false;
  std::size_t pad = 0;
  while (pad < s.size() && pad < 2 && s[s.size() - 1 - pad] == '=') ++pad;
  const std::size_t data = s.size() - pad;
  for (std::size_t i = 0; i < data; ++i)
    if (b64_value(s[i], false) < 0) return false;
  if (pad == 1) return (b64_value(s[data - 1], false) & 0x03) == 0;
  if (pad == 2) return (b64_value(s[data - 1], false) & 0x0f) == 0;
  return true;
}

// §0.3 B64URL: url alphabet, no padding, length mod 4 != 1, unused bits zero.
bool model_canonical_b64url(std::string_view s) {
  if (s.size() % 4 == 1) return false;
  for (char c : s)
    if (b64_value(c, true) < 0) return false;
  if (s.size() % 4 == 2) return (b64_value(s.back(), true) & 0x0f) == 0;
  if (s.size() % 4 == 3) return (b64_value(s.back(), true) & 0x03) == 0;
  return true;
}

std::string to_url(std::string s) {
  std::replace(s.begin(), s.end(), '+', '-');
  std::replace(s.begin(), s.end(), '/', '_');
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

// Near-miss mutations of a canonical encoding (§12.1 N-ENC-01..04, 06).
rc::Gen<std::string> mutated(const std::string& canonical) {
  const std::string foreign = " \n\r\t*-_.=!\x80\xff";
  const std::size_t n = canonical.size();
  return rc::gen::oneOf(
      // insert a foreign character (or '=' in the middle)
      rc::gen::map(rc::gen::pair(rc::gen::inRange<std::size_t>(0, n + 1), rc::gen::elementOf(foreign)),
                   [canonical](std::pair<std::size_t, char> p) {
                     std::string s = canonical;
                     s.insert(s.begin() + static_cast<std::ptrdiff_t>(p.first), p.second);
                     return s;
                   }),
      // replace one character by any byte
      rc::gen::map(rc::gen::pair(rc::gen::inRange<std::size_t>(0, std::max<std::size_t>(n, 1)), rc::gen::arbitrary<char>()),
                   [canonical](std::pair<std::size_t, char> p) {
                     std::string s = canonical;
                     if (!s.empty()) s[p.first % s.size()] = p.second;
                     return s;
                   }),
      // delete one character
      rc::gen::map(rc::gen::inRange<std::size_t>(0, std::max<std::size_t>(n, 1)), [canonical](std::size_t i) {
        std::string s = canonical;
        if (!s.empty()) s.erase(i % s.size(), 1);
        return s;
      }),
      // strip or add padding; duplicate a quantum after the padding
      rc::gen::just([canonical] {
        std::string s = canonical;
        while (!s.empty() && s.back() == '=') s.pop_back();
        return s;
      }()),
      rc::gen::just(canonical + "="),
      rc::gen::just(canonical + canonical),
      // set an unused low bit of the last data symbol (non-canonical trailing bits)
      rc::gen::map(rc::gen::inRange(1, 16), [canonical](int bits) {
        std::string s = canonical;
        std::size_t pad = 0;
        while (pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
        if (pad == 0 || pad >= s.size()) return s;
        const std::size_t i = s.size() - 1 - pad;
        const int mask = pad == 1 ? 0x03 : 0x0f;
        const int v = (b64_value(s[i], false) & ~mask) | (bits & mask);
        s[i] = std::string_view(kB64Alphabet)[static_cast<std::size_t>(v)];
        return s;
      }));
}

RC_GTEST_PROP(PB64, DecodeEncodeIsIdentity, ()) {
  const Bytes data = *bytes_between(0, 200);
  const std::string text = codec::b64_encode(data);
  RC_ASSERT(text == ossl_b64(data));  // the encoder emits the canonical (OpenSSL) form
  const auto back = codec::b64_decode(text);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == data);
  const auto exact = codec::b64_decode_exact(text, data.size());
  RC_ASSERT(exact.ok());
  // Decoded length off by one for a fixed-size field (N-ENC-05).
  RC_ASSERT_FALSE(codec::b64_decode_exact(text, data.size() + 1).ok());
  if (!data.empty()) RC_ASSERT_FALSE(codec::b64_decode_exact(text, data.size() - 1).ok());
}

RC_GTEST_PROP(PB64, EncodeDecodeIsIdentityOnCanonicalStrings, ()) {
  const std::string canonical = ossl_b64(*bytes_between(0, 120));
  const auto decoded = codec::b64_decode(canonical);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(codec::b64_encode(*decoded) == canonical);
  RC_ASSERT(*decoded == *ossl_b64_decode(canonical));
  // sdk-compat accepts every canonical encoding with the same result (§0.3).
  const auto lenient = codec::b64_decode(canonical, Profile::sdk_compat);
  RC_ASSERT(lenient.ok());
  RC_ASSERT(*lenient == *decoded);
}

RC_GTEST_PROP(PB64, StrictAcceptsExactlyTheCanonicalStrings, ()) {
  const std::string canonical = ossl_b64(*bytes_between(0, 60));
  const std::string s = *rc::gen::oneOf(mutated(canonical), string_of(std::string(kB64Alphabet) + "=", 0, 24));
  const bool expect = model_canonical_b64(s);
  const auto got = codec::b64_decode(s);
  RC_CLASSIFY(expect, "canonical");
  RC_ASSERT(got.ok() == expect);
  if (got.ok()) RC_ASSERT(codec::b64_encode(*got) == s);
  for (Profile p : {Profile::seed_spec, Profile::hardened}) RC_ASSERT(codec::b64_decode(s, p).ok() == expect);
}

RC_GTEST_PROP(PB64, LenientDecoderNeverCrashesAndReencodesConsistently, ()) {
  const std::string s = *rc::gen::oneOf(mutated(ossl_b64(*bytes_between(0, 60))), rc::gen::arbitrary<std::string>());
  const auto got = codec::b64_decode(s, Profile::sdk_compat);
  // Whatever it accepts, it must be a byte string whose canonical encoding it also accepts.
  if (got.ok()) RC_ASSERT(*codec::b64_decode(codec::b64_encode(*got), Profile::sdk_compat) == *got);
}

RC_GTEST_PROP(PB64Url, DecodeEncodeIsIdentity, ()) {
  const Bytes data = *bytes_between(0, 200);
  const std::string text = codec::b64url_encode(data);
  RC_ASSERT(text == to_url(ossl_b64(data)));
  const auto back = codec::b64url_decode(text);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == data);
}

RC_GTEST_PROP(PB64Url, AcceptsExactlyTheCanonicalStrings, ()) {
  const std::string canonical = to_url(ossl_b64(*bytes_between(0, 60)));
  const std::string s = *rc::gen::oneOf(
      rc::gen::map(mutated(canonical + std::string((4 - canonical.size() % 4) % 4, '=')),
                   [](std::string m) {
                     std::replace(m.begin(), m.end(), '+', '-');
                     return m;
                   }),
      mutated(canonical), string_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=", 0, 24));
  const bool expect = model_canonical_b64url(s);
  const auto got = codec::b64url_decode(s);
  RC_CLASSIFY(expect, "canonical");
  RC_ASSERT(got.ok() == expect);
  if (got.ok()) RC_ASSERT(codec::b64url_encode(*got) == s);
}

RC_GTEST_PROP(PHex, DecodeEncodeIsIdentity, ()) {
  const Bytes data = *bytes_between(0, 100);
  const std::string text = codec::hex_encode(data);
  RC_ASSERT(text == to_hex(data));  // lowercase, two characters per byte
  RC_ASSERT(*codec::hex_decode(text) == data);
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
  RC_ASSERT(*codec::hex_decode(upper) == data);  // input accepts both cases (§0.3)
  RC_ASSERT(*codec::hex_decode(text, Profile::sdk_compat) == data);
}

RC_GTEST_PROP(PHex, StrictRejectsEveryNearMiss, ()) {
  const std::string text = to_hex(*bytes_between(1, 40));
  const std::size_t i = *rc::gen::inRange<std::size_t>(0, text.size());
  const std::string s = *rc::gen::oneOf(
      rc::gen::just(text.substr(1)),                                   // odd length
      rc::gen::just("0x" + text),                                      // prefix
      rc::gen::map(rc::gen::elementOf(std::string("gGxz -+\n\t.")),  // non-hex character
                   [text, i](char c) { return replace_byte(text, i, c); }),
      rc::gen::just(text.substr(0, i - i % 2) + " " + text.substr(i - i % 2)));  // embedded space
  RC_ASSERT_FALSE(codec::hex_decode(s).ok());
  RC_ASSERT_FALSE(codec::hex_decode(s, Profile::hardened).ok());
}

}  // namespace
