// Byte types of the test toolkit: the same types as pnc::Bytes / pnc::ByteView (reference/
// include/pnc/types.hpp), spelled here so that the oracles need no reference header.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace pnc::testkit {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView view_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace pnc::testkit
