// Names what a quote that failed verification actually is, so that a report explains the
// failure instead of echoing a parser error: its length, its version field (hex), where SHA256(N)
// is complete, the mock marker, and whether it has the shape of one of the upstream mocks of
// PROTOCOL.md §9.6 (D-03). Pure: bytes in, words out.
#pragma once

#include <string>

#include "pnc/types.hpp"

namespace pnc::conf {

// E.g. "1024 bytes, not a TDX v4/v5 quote (version field 0x4f21); SHA256(N) complete only at
// offset 584: an upstream-style mock quote (SDK / VAL mock, §9.6, D-03)".
std::string describe_quote_shape(ByteView quote, ByteView nonce);

}  // namespace pnc::conf
