// The generator's short names for the PROTOCOL.md tables of pnc/spec_tables.hpp (§12.2, §12.3),
// used to build edge cases.
#pragma once

#include <array>
#include <string_view>

#include "pnc/spec_tables.hpp"

namespace pnc::vectors {

// §12.2: the 14 low-order X25519 encodings (7 points, bit 255 clear then set).
inline constexpr const auto& kLowOrderX25519 = pnc::spec::kLowOrderX25519Hex;

// §12.3 and §0.4 (pnc/spec_tables.hpp, the one copy).
inline constexpr const auto& kBadEd25519Points = pnc::spec::kBadEd25519PointsHex;
inline constexpr std::size_t kSmallOrderEd25519Count = pnc::spec::kSmallOrderEd25519Count;
inline constexpr std::string_view kEd25519OrderLE = pnc::spec::kEd25519OrderLEHex;

}  // namespace pnc::vectors
