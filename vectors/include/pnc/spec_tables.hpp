// Tables transcribed from docs/PROTOCOL.md, shared by every oracle that needs them (reference
// tests, vector generator, runner, properties, fuzz targets). Data from the spec, not from the
// reference library: the reference never includes this header, so checks built on it stay
// independent of the code they check.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace pnc::spec {

// §12.2 (N-X-01/02): the 14 low-order X25519 encodings — 7 points (orders 1, 2, 4, 8 and the
// non-canonical encodings of 0, 1 and p-1), bit 255 clear and then set — as lowercase hex.
inline constexpr std::array<std::string_view, 14> kLowOrderX25519Hex = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "0100000000000000000000000000000000000000000000000000000000000080",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
};

// §12.3 (N-ED-03/04): small-order and non-canonical Ed25519 point encodings — the 8 small-order
// points first, then y = p and y = p + 1 — as lowercase hex.
inline constexpr std::array<std::string_view, 10> kBadEd25519PointsHex = {
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

// §0.4: the Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
inline constexpr std::string_view kEd25519OrderLEHex =
    "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

}  // namespace pnc::spec
