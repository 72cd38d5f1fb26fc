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

}  // namespace pnc
