// Injected randomness: keys, salts and nonces come from an Rng so that any operation can be
// replayed deterministically (tests, vectors, fuzzing) while production uses the OS CSPRNG.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "pnc/secret.hpp"
#include "pnc/types.hpp"

namespace pnc {

class Rng {
 public:
  virtual ~Rng() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;

  template <std::size_t N>
  ByteArray<N> bytes() {
    ByteArray<N> b{};
    fill(b);
    return b;
  }
  Bytes bytes(std::size_t n) {
    Bytes b(n);
    fill(b);
    return b;
  }
  std::string uuid_v4();  // lowercase, hyphenated, version 4 / variant 10xx
};

// libsodium randombytes_buf (getrandom(2)).
class SystemRng final : public Rng {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// ChaCha20 keystream under a 32-byte seed: same seed, same bytes, on every platform.
class DeterministicRng final : public Rng {
 public:
  explicit DeterministicRng(ByteView seed);
  explicit DeterministicRng(std::uint64_t seed);
  void fill(std::span<std::uint8_t> out) override;

 private:
  Secret<32> key_;
  std::uint64_t offset_ = 0;  // bytes of keystream consumed so far
};

}  // namespace pnc
