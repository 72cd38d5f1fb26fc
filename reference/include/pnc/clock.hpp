// Injected time source: every time-dependent check takes a Clock so tests are deterministic.
#pragma once

#include <cstdint>

namespace pnc {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now() const = 0;  // Unix time, whole seconds (UTC)
};

class SystemClock final : public Clock {
 public:
  std::int64_t now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t t) : t_(t) {}
  std::int64_t now() const override { return t_; }
  void set(std::int64_t t) { t_ = t; }
  void advance(std::int64_t dt) { t_ += dt; }

 private:
  std::int64_t t_;
};

// Time arithmetic that saturates instead of overflowing: times and windows can come from a peer
// (claims, request timestamps, a shim's `now`) as any 64-bit integer.
inline std::int64_t sat_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}
inline std::int64_t sat_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return b > 0 ? INT64_MIN : INT64_MAX;
  return r;
}

}  // namespace pnc
