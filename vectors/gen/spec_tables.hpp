// Tables copied verbatim from docs/PROTOCOL.md §12.2 and §12.3. Used by the generator to build
// edge cases and by the OpenSSL cross-check as a spec-side oracle for rules OpenSSL lacks.
#pragma once

#include <array>
#include <string_view>

#include "pnc/spec_tables.hpp"

namespace pnc::vectors {

// §12.2: the 14 low-order X25519 encodings (7 points, bit 255 clear then set).
inline constexpr const auto& kLowOrderX25519 = pnc::spec::kLowOrderX25519Hex;

// §12.3: small-order and non-canonical Ed25519 point encodings (8 small order, then y = p, p + 1).
inline constexpr std::array<std::string_view, 10> kBadEd25519Points = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};
inline constexpr std::size_t kSmallOrderEd25519Count = 8;  // the first 8 entries above

// L = 2^252 + 27742317777372353535851937790883648493, little-endian (§0.4).
inline constexpr std::string_view kEd25519OrderLE =
    "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

}  // namespace pnc::vectors
