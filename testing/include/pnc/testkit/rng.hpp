// Scripted randomness: pnc::Rng doubles that hand a code path chosen "random" bytes (fixed keys,
// nonces and salts from vectors) so that its output can be compared with an oracle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <utility>

#include "pnc/rng.hpp"
#include "pnc/testkit/bytes.hpp"

namespace pnc::testkit {

// Hands out queued byte strings, each to the next draw of its size; other draws, and every draw
// once the queue is empty, come from DeterministicRng(fallback_seed).
// Strict mode (a mismatch handler given): every draw while the queue is not empty takes the front entry; a draw
// of another size calls the mismatch handler (a test reports it) and is served by the fallback.
class ScriptedRng : public Rng {
 public:
  using MismatchHandler = std::function<void(std::size_t requested, std::size_t queued)>;

  explicit ScriptedRng(std::uint64_t fallback_seed = 1) : fallback_(fallback_seed) {}
  ScriptedRng(std::uint64_t fallback_seed, MismatchHandler on_mismatch)
      : fallback_(fallback_seed), on_mismatch_(std::move(on_mismatch)) {}

  void push(Bytes b) { queue_.push_back(std::move(b)); }
  void fill(std::span<std::uint8_t> out) override;
  std::size_t queued() const { return queue_.size(); }

 private:
  std::deque<Bytes> queue_;
  DeterministicRng fallback_;
  MismatchHandler on_mismatch_;  // set: strict mode
};

// Replays one byte stream across all draws (a vector's concatenated ephemeral key, nonce, ...),
// then zero bytes; used() tells how much of the script was drawn.
class ByteScriptRng final : public Rng {
 public:
  explicit ByteScriptRng(Bytes script) : script_(std::move(script)) {}
  void fill(std::span<std::uint8_t> out) override;
  std::size_t used() const { return pos_; }

 private:
  Bytes script_;
  std::size_t pos_ = 0;
};

}  // namespace pnc::testkit
