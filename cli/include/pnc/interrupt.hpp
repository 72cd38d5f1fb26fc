// SIGINT / SIGTERM for the tools that must end cleanly (pnc-conformance run, pnc-bench): the first
// signal prints "<tool>: SIGINT: <what>", runs `on_first` (e.g. stop child process groups) and
// sets stop_requested() so that the tool can finish with a partial result and exit 128 + signal
// (130 / 143); a second signal runs `on_second` and exits 128 + signal at once.
// Construct it before any thread starts: it blocks both signals in the calling thread (inherited
// by every thread created after it) and waits for them on its own thread.
#pragma once

#include <atomic>
#include <functional>
#include <iosfwd>
#include <string>
#include <thread>

namespace pnc::cli {

class InterruptGuard {
 public:
  using Action = std::function<void(int signal)>;
  InterruptGuard(std::string tool, std::string what, std::ostream& err, Action on_first = {}, Action on_second = {});
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  const std::atomic<bool>& stop_requested() const { return stop_; }
  int signal_number() const { return signal_.load(); }  // 0: none yet
  int exit_status() const { return signal_number() == 0 ? 0 : 128 + signal_number(); }

 private:
  void watch();
  std::string tool_, what_;
  std::ostream& err_;
  Action on_first_, on_second_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<int> signal_{0};
  std::thread watcher_;
};

}  // namespace pnc::cli
