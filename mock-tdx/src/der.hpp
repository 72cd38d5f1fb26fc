// A minimal DER writer (X.690) for the mock PKI's certificates: exactly the types an X.509 v3
// certificate with EC keys needs. Every function returns the complete TLV.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "pnc/types.hpp"

namespace pnc::mock_tdx::der {

Bytes tlv(std::uint8_t tag, ByteView content);
Bytes sequence(std::initializer_list<ByteView> items);
Bytes set(std::initializer_list<ByteView> items);  // items given in DER (sorted) order
Bytes explicit_tag(unsigned number, ByteView inner);  // [number] EXPLICIT, constructed
Bytes implicit_primitive(unsigned number, ByteView content);  // [number] IMPLICIT, primitive
Bytes oid(std::string_view dotted);
Bytes integer(ByteView big_endian_magnitude);  // non-negative, minimal encoding
Bytes small_integer(unsigned value);
Bytes boolean(bool value);
Bytes octet_string(ByteView content);
Bytes bit_string(ByteView content, unsigned unused_bits = 0);
Bytes utf8_string(std::string_view text);
// UTCTime (YYMMDDHHMMSSZ) for years 1950-2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise (RFC
// 5280 §4.1.2.5).
Bytes time(std::int64_t unix_seconds);

}  // namespace pnc::mock_tdx::der
