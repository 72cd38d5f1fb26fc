#include "der.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace pnc::mock_tdx::der {
namespace {

void put_length(Bytes& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
    return;
  }
  Bytes be;
  for (std::size_t v = n; v != 0; v >>= 8) be.insert(be.begin(), static_cast<std::uint8_t>(v & 0xff));
  out.push_back(static_cast<std::uint8_t>(0x80 | be.size()));
  out.insert(out.end(), be.begin(), be.end());
}

Bytes join(std::initializer_list<ByteView> items) {
  Bytes out;
  for (ByteView i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

void base128(Bytes& out, std::uint64_t v) {
  Bytes tmp{static_cast<std::uint8_t>(v & 0x7f)};
  for (v >>= 7; v != 0; v >>= 7) tmp.insert(tmp.begin(), static_cast<std::uint8_t>(0x80 | (v & 0x7f)));
  out.insert(out.end(), tmp.begin(), tmp.end());
}

// Days since 1970-01-01 ⇒ civil date (proleptic Gregorian; H. Hinnant's algorithm).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

}  // namespace

Bytes tlv(std::uint8_t tag, ByteView content) {
  Bytes out{tag};
  put_length(out, content.size());
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes sequence(std::initializer_list<ByteView> items) { return tlv(0x30, join(items)); }
Bytes set(std::initializer_list<ByteView> items) { return tlv(0x31, join(items)); }
Bytes explicit_tag(unsigned number, ByteView inner) { return tlv(static_cast<std::uint8_t>(0xa0 | number), inner); }
Bytes implicit_primitive(unsigned number, ByteView content) {
  return tlv(static_cast<std::uint8_t>(0x80 | number), content);
}

Bytes oid(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  std::uint64_t cur = 0;
  for (char c : dotted) {
    if (c == '.') {
      arcs.push_back(cur);
      cur = 0;
    } else {
      cur = cur * 10 + static_cast<std::uint64_t>(c - '0');
    }
  }
  arcs.push_back(cur);
  Bytes body;
  base128(body, arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) base128(body, arcs[i]);
  return tlv(0x06, body);
}

Bytes integer(ByteView magnitude) {
  std::size_t i = 0;
  while (i + 1 < magnitude.size() && magnitude[i] == 0) ++i;
  Bytes body;
  if (magnitude.empty() || (magnitude[i] & 0x80) != 0) body.push_back(0x00);
  body.insert(body.end(), magnitude.begin() + static_cast<std::ptrdiff_t>(i), magnitude.end());
  return tlv(0x02, body);
}

Bytes small_integer(unsigned value) {
  Bytes be;
  for (unsigned v = value; v != 0; v >>= 8) be.insert(be.begin(), static_cast<std::uint8_t>(v & 0xff));
  return integer(be);
}

Bytes boolean(bool value) { return tlv(0x01, Bytes{static_cast<std::uint8_t>(value ? 0xff : 0x00)}); }
Bytes octet_string(ByteView content) { return tlv(0x04, content); }

Bytes bit_string(ByteView content, unsigned unused_bits) {
  Bytes body{static_cast<std::uint8_t>(unused_bits)};
  body.insert(body.end(), content.begin(), content.end());
  return tlv(0x03, body);
}

Bytes utf8_string(std::string_view text) { return tlv(0x0c, as_bytes(text)); }

Bytes time(std::int64_t t) {
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const std::int64_t secs = t - days * 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto hh = static_cast<unsigned>(secs / 3600), mm = static_cast<unsigned>(secs / 60 % 60),
             ss = static_cast<unsigned>(secs % 60);
  char buf[32];
  if (y >= 1950 && y <= 2049) {
    std::snprintf(buf, sizeof buf, "%02u%02u%02u%02u%02u%02uZ", static_cast<unsigned>(y % 100), m, d, hh, mm, ss);
    return tlv(0x17, as_bytes(buf));
  }
  std::snprintf(buf, sizeof buf, "%04u%02u%02u%02u%02u%02uZ", static_cast<unsigned>(y), m, d, hh, mm, ss);
  return tlv(0x18, as_bytes(buf));
}

}  // namespace pnc::mock_tdx::der
