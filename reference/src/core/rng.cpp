#include "pnc/rng.hpp"

#include <sodium.h>

#include <cstdio>

#include "core/sodium_init.hpp"

namespace pnc {

std::string Rng::uuid_v4() {
  auto b = bytes<16>();
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

void SystemRng::fill(std::span<std::uint8_t> out) {
  detail::ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

DeterministicRng::DeterministicRng(ByteView seed) {
  detail::ensure_sodium();
  // Any seed length: hash it to the 32-byte stream key.
  crypto_generichash(key_.data(), key_.size(), seed.data(), seed.size(), nullptr, 0);
}

DeterministicRng::DeterministicRng(std::uint64_t seed) {
  detail::ensure_sodium();
  std::uint8_t le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(seed >> (8 * i));
  crypto_generichash(key_.data(), key_.size(), le, sizeof le, nullptr, 0);
}

void DeterministicRng::fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  // Each call starts on a fresh 64-byte keystream block, so the output depends only on the
  // seed and the sequence of requested lengths.
  static constexpr std::uint8_t kNonce[crypto_stream_chacha20_NONCEBYTES] = {};
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  crypto_stream_chacha20_xor_ic(out.data(), out.data(), out.size(), kNonce, offset_ / 64,
                                key_.data());
  offset_ += (out.size() + 63) / 64 * 64;
}

}  // namespace pnc
