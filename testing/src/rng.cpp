#include "pnc/testkit/rng.hpp"

#include <algorithm>

namespace pnc::testkit {

void ScriptedRng::fill(std::span<std::uint8_t> out) {
  if (!queue_.empty() && queue_.front().size() == out.size()) {
    std::copy(queue_.front().begin(), queue_.front().end(), out.begin());
    queue_.pop_front();
    return;
  }
  if (!queue_.empty() && on_mismatch_) {
    const std::size_t queued = queue_.front().size();
    queue_.pop_front();
    on_mismatch_(out.size(), queued);
  }
  fallback_.fill(out);
}

void ByteScriptRng::fill(std::span<std::uint8_t> out) {
  for (auto& b : out) b = pos_ < script_.size() ? script_[pos_++] : 0;
}

}  // namespace pnc::testkit
