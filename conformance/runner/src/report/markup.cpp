#include "report/markup.hpp"

#include <cstdint>

namespace pnc::conf {

namespace {

// Length of the valid UTF-8 sequence at s[i], 0 when invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  std::size_t n = 0;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0 && b0 >= 0xC2) n = 2;
  else if ((b0 & 0xF0) == 0xE0) n = 3;
  else if ((b0 & 0xF8) == 0xF0 && b0 <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<std::uint8_t>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

std::string markup_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': case '\t': case '\r': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += "\xEF\xBF\xBD";
        else out += c;
    }
    ++i;
  }
  return out;
}

}  // namespace pnc::conf
