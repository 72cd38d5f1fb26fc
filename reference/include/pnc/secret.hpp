// Secret material: fixed-size and variable-size buffers that wipe themselves (sodium_memzero)
// when destroyed or moved from, plus constant-time comparison for MACs, signatures and keys.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "pnc/types.hpp"

namespace pnc {

void secure_wipe(void* data, std::size_t size);

// Constant time in the contents (lengths are public): true iff a and b are equal.
bool ct_equal(ByteView a, ByteView b);

template <std::size_t N>
class Secret {
 public:
  Secret() = default;
  explicit Secret(ByteView src) { std::copy_n(src.begin(), std::min(src.size(), N), bytes_.begin()); }
  Secret(const Secret& o) : bytes_(o.bytes_) {}
  Secret(Secret&& o) noexcept : bytes_(o.bytes_) { o.wipe(); }
  Secret& operator=(const Secret& o) { bytes_ = o.bytes_; return *this; }
  Secret& operator=(Secret&& o) noexcept { if (this != &o) { bytes_ = o.bytes_; o.wipe(); } return *this; }
  ~Secret() { wipe(); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return N; }
  ByteView view() const { return {bytes_.data(), N}; }
  std::span<std::uint8_t, N> span() { return bytes_; }
  void wipe() { secure_wipe(bytes_.data(), N); }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t n) : bytes_(n) {}
  explicit SecretBytes(ByteView src) : bytes_(src.begin(), src.end()) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes(SecretBytes&& o) noexcept : bytes_(std::move(o.bytes_)) { o.bytes_.clear(); }
  SecretBytes& operator=(const SecretBytes& o) { if (this != &o) { wipe(); bytes_ = o.bytes_; } return *this; }
  SecretBytes& operator=(SecretBytes&& o) noexcept {
    if (this != &o) { wipe(); bytes_ = std::move(o.bytes_); o.bytes_.clear(); }
    return *this;
  }
  ~SecretBytes() { wipe(); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  ByteView view() const { return {bytes_.data(), bytes_.size()}; }
  void resize(std::size_t n) { wipe(); bytes_.resize(n); }
  void wipe() { if (!bytes_.empty()) secure_wipe(bytes_.data(), bytes_.size()); }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace pnc
