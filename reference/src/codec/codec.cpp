#include "pnc/codec.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "core/sodium_init.hpp"

namespace pnc::codec {
namespace {

bool is_b64_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Classifies a strict decode failure into the most specific reason.
Error classify_b64_failure(std::string_view text) {
  std::size_t pad_start = text.find('=');
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!is_b64_alpha(c) && c != '=')
      return make_error(kB64BadChar, "base64: character outside the alphabet at offset " +
                                         std::to_string(i));
  }
  if (text.size() % 4 != 0)
    return make_error(kB64BadPadding, "base64: length " + std::to_string(text.size()) +
                                          " is not a multiple of 4");
  if (pad_start != std::string_view::npos) {
    for (std::size_t i = pad_start; i < text.size(); ++i)
      if (text[i] != '=') return make_error(kB64BadPadding, "base64: padding before the end");
    if (text.size() - pad_start > 2) return make_error(kB64BadPadding, "base64: too much padding");
  }
  return make_error(kB64NonCanonical, "base64: non-zero unused bits in the last symbol");
}

// Python binascii.a2b_base64 in non-strict mode (what base64.b64decode(validate=False) runs).
Result<Bytes> b64_decode_python(std::string_view text) {
  Bytes out;
  unsigned quad_pos = 0, pads = 0;
  std::uint32_t left = 0;
  for (char c : text) {
    if (c == '=') {
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return out;  // quantum complete: stop
      continue;
    }
    int v = b64_value(c);
    if (v < 0) continue;  // foreign characters are discarded
    pads = 0;
    switch (quad_pos) {
      case 0: left = static_cast<std::uint32_t>(v); quad_pos = 1; break;
      case 1:
        out.push_back(static_cast<std::uint8_t>((left << 2) | (static_cast<unsigned>(v) >> 4)));
        left = static_cast<std::uint32_t>(v) & 0x0f; quad_pos = 2; break;
      case 2:
        out.push_back(static_cast<std::uint8_t>((left << 4) | (static_cast<unsigned>(v) >> 2)));
        left = static_cast<std::uint32_t>(v) & 0x03; quad_pos = 3; break;
      default:
        out.push_back(static_cast<std::uint8_t>((left << 6) | static_cast<unsigned>(v)));
        quad_pos = 0; break;
    }
  }
  if (quad_pos == 1)
    return make_error(kB64BadPadding, "base64: a single data character after the last quantum");
  if (quad_pos != 0) return make_error(kB64BadPadding, "base64: incorrect padding");
  return out;
}

Result<Bytes> check_length(Result<Bytes> r, std::size_t length, const char* code,
                           const char* what) {
  if (!r) return r;
  if (r->size() != length)
    return make_error(code, std::string(what) + ": decoded " + std::to_string(r->size()) +
                                " bytes, expected " + std::to_string(length));
  return r;
}

}  // namespace

std::string b64_encode(ByteView data) {
  detail::ensure_sodium();
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // drop the terminator libsodium writes
  return out;
}

Result<Bytes> b64_decode(std::string_view text, Profile profile) {
  if (!is_strict(profile)) return b64_decode_python(text);
  if (text.empty()) return Bytes{};  // libsodium must not see a null output buffer
  detail::ensure_sodium();
  // libsodium 1.0.18 decodes bytes >= 0x80 as symbols; the alphabet is checked here first.
  for (char c : text)
    if (!is_b64_alpha(c) && c != '=') return classify_b64_failure(text);
  if (text.size() % 4 != 0) return classify_b64_failure(text);
  Bytes out(text.size() / 4 * 3);
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return classify_b64_failure(text);
  out.resize(len);
  return out;
}

Result<Bytes> b64_decode_exact(std::string_view text, std::size_t length, Profile profile) {
  return check_length(b64_decode(text, profile), length, kB64BadLength, "base64");
}

std::string b64url_encode(ByteView data) {
  detail::ensure_sodium();
  std::string out(
      sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);
  return out;
}

Result<Bytes> b64url_decode(std::string_view text) {
  detail::ensure_sodium();
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok)
      return make_error(kB64BadChar, "base64url: character outside the alphabet at offset " +
                                         std::to_string(i));
  }
  if (text.size() % 4 == 1)
    return make_error(kB64BadPadding, "base64url: length is 1 more than a multiple of 4");
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return make_error(kB64NonCanonical, "base64url: non-zero unused bits in the last symbol");
  out.resize(len);
  return out;
}

std::string hex_encode(ByteView data) {
  detail::ensure_sodium();
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.resize(data.size() * 2);
  return out;
}

Result<Bytes> hex_decode(std::string_view text, Profile profile) {
  Bytes out;
  out.reserve(text.size() / 2);
  if (is_strict(profile)) {
    if (text.empty()) return out;  // libsodium must not see a null output buffer
    if (text.size() % 2 != 0)
      return make_error(kHexBadLength, "hex: odd number of digits (" +
                                           std::to_string(text.size()) + ")");
    detail::ensure_sodium();
    out.resize(text.size() / 2);
    std::size_t len = 0;
    if (sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len,
                       nullptr) != 0) {
      std::size_t bad = 0;
      while (bad < text.size() && hex_value(text[bad]) >= 0) ++bad;
      return make_error(kHexBadChar, "hex: non-hex character at offset " + std::to_string(bad));
    }
    out.resize(len);
    return out;
  }
  // Python bytes.fromhex: ASCII whitespace may precede each byte pair, never split one.
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && is_ascii_space(text[i])) ++i;
    if (i == text.size()) return out;
    if (i + 1 >= text.size())
      return make_error(kHexBadLength, "hex: odd number of digits");
    int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0)
      return make_error(kHexBadChar, "hex: non-hex character at offset " +
                                         std::to_string(hi < 0 ? i : i + 1));
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    i += 2;
  }
}

Result<Bytes> hex_decode_exact(std::string_view text, std::size_t length, Profile profile) {
  return check_length(hex_decode(text, profile), length, kHexBadLength, "hex");
}

namespace {
// The general decoder, for everything the fast paths below do not take (errors, sdk-compat).
Status copy_exact(Result<Bytes> r, std::span<std::uint8_t> out) {
  if (!r) return r.error();
  std::copy(r->begin(), r->end(), out.begin());  // size checked by *_decode_exact
  return {};
}
}  // namespace

Status b64_decode_into(std::string_view text, std::span<std::uint8_t> out, Profile profile) {
  // Fast path: strict profile, canonical length. Same steps as b64_decode (alphabet, then
  // libsodium), so success here is success there with the same bytes; anything else takes the
  // general path, which produces the error.
  constexpr std::size_t kMaxFast = 96;
  if (is_strict(profile) && !out.empty() && out.size() <= kMaxFast && text.size() == (out.size() + 2) / 3 * 4) {
    bool alpha = true;
    for (char c : text) alpha &= is_b64_alpha(c) || c == '=';
    if (alpha) {
      detail::ensure_sodium();
      std::uint8_t tmp[kMaxFast];
      std::size_t len = 0;
      if (sodium_base642bin(tmp, text.size() / 4 * 3, text.data(), text.size(), nullptr, &len, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) == 0 &&
          len == out.size()) {
        std::copy_n(tmp, len, out.begin());
        sodium_memzero(tmp, sizeof tmp);
        return {};
      }
      sodium_memzero(tmp, sizeof tmp);
    }
  }
  return copy_exact(b64_decode_exact(text, out.size(), profile), out);
}

Status hex_decode_into(std::string_view text, std::span<std::uint8_t> out, Profile profile) {
  if (is_strict(profile) && !out.empty() && text.size() == out.size() * 2) {
    detail::ensure_sodium();
    std::size_t len = 0;
    if (sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr) == 0 &&
        len == out.size())
      return {};
  }
  return copy_exact(hex_decode_exact(text, out.size(), profile), out);
}

}  // namespace pnc::codec
