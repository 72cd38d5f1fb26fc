// RapidCheck generators shared by the shim and the live properties (used inside a property's
// body only: they draw with rc::gen).
#pragma once

#include <rapidcheck.h>

#include <string>
#include <string_view>
#include <vector>

#include "pnc/codec.hpp"
#include "pnc/types.hpp"

namespace pnc::conf::campaign::gen {

inline constexpr std::string_view kPrintable =
    " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
inline constexpr std::string_view kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

inline Bytes draw_bytes(std::size_t lo, std::size_t hi) {
  const auto n = *rc::gen::inRange(lo, hi + 1);
  return *rc::gen::container<Bytes>(n, rc::gen::arbitrary<std::uint8_t>());
}
inline std::string draw_hex(std::size_t lo, std::size_t hi) { return codec::hex_encode(draw_bytes(lo, hi)); }
inline std::string draw_text(std::string_view alphabet, std::size_t lo, std::size_t hi) {
  const auto n = *rc::gen::inRange(lo, hi + 1);
  return *rc::gen::container<std::string>(n, rc::gen::elementOf(std::string(alphabet)));
}

// A uniform choice in [lo, hi) whatever the case's size (RapidCheck scales inRange by the size,
// which starves the later branches of a switch in the early cases); it still shrinks towards lo.
template <typename T>
T uniform(T lo, T hi) {
  return *rc::gen::resize(100, rc::gen::inRange<T>(lo, hi));
}
template <typename T>
T uniform_element(const std::vector<T>& items) {
  return items[uniform<std::size_t>(0, items.size())];
}

// Bit `bit` of `b` flipped.
inline Bytes flip(Bytes b, std::size_t bit) {
  b[bit / 8] = static_cast<std::uint8_t>(b[bit / 8] ^ (1u << (bit % 8)));
  return b;
}

}  // namespace pnc::conf::campaign::gen
