// Tables transcribed from docs/PROTOCOL.md, shared by every oracle that needs them (reference
// tests, vector generator, runner, properties, fuzz targets). Data from the spec, not from the
// reference library: the reference never includes this header, so checks built on it stay
// independent of the code they check.
#pragma once

#include <array>
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

}  // namespace pnc::spec
