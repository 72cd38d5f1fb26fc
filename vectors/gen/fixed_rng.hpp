// An Rng that serves a fixed byte script in order (keys, nonces, salts of a vector), then a
// deterministic keystream: lets the generator and the consumer test replay one exact run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

#include "pnc/rng.hpp"
#include "pnc/types.hpp"

namespace pnc::vectors {

class FixedRng final : public Rng {
 public:
  explicit FixedRng(Bytes script) : script_(std::move(script)) {}
  void fill(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min(out.size(), script_.size() - pos_);
    std::copy_n(script_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
    pos_ += n;
    if (n < out.size()) fallback_.fill(out.subspan(n));
  }
  std::size_t consumed() const { return pos_; }

 private:
  Bytes script_;
  std::size_t pos_ = 0;
  DeterministicRng fallback_{std::uint64_t{0}};
};

}  // namespace pnc::vectors
