// SIGINT / SIGTERM during `pnc-conformance run`: the first signal stops every started SUT or shim
// process group and asks the engine to stop scheduling cases, so that the run ends with a partial
// report marked `interrupted` and exit status 128 + signal (130 / 143); a second signal kills the
// groups and exits at once. Construct it before any thread starts: it blocks both signals in the
// calling thread (inherited by every thread after it) and waits for them on its own thread.
#pragma once

#include <atomic>
#include <iosfwd>
#include <thread>

namespace pnc::conf {

class InterruptGuard {
 public:
  explicit InterruptGuard(std::ostream& err);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  const std::atomic<bool>& stop_requested() const { return stop_; }
  int signal_number() const { return signal_.load(); }  // 0: none yet

 private:
  void watch();
  std::ostream& err_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<int> signal_{0};
  std::thread watcher_;
};

}  // namespace pnc::conf
