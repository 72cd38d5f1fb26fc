#include "app/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <ostream>

#include "core/process.hpp"

namespace pnc::conf {

namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

InterruptGuard::InterruptGuard(std::ostream& err) : err_(err) {
  const sigset_t set = termination_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread([this] { watch(); });
}

InterruptGuard::~InterruptGuard() {
  done_ = true;
  watcher_.join();
  // A signal that arrives after this point ends the process the default way.
  const sigset_t set = termination_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void InterruptGuard::watch() {
  const sigset_t set = termination_signals();
  const timespec poll{0, 100 * 1000 * 1000};  // wake up to notice the destructor
  while (!done_) {
    const int sig = sigtimedwait(&set, nullptr, &poll);
    if (sig <= 0) continue;
    if (!stop_) {
      signal_ = sig;
      stop_ = true;
      err_ << "\npnc-conformance: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
           << ": stopping the SUT, writing a partial report (again to quit at once)" << std::endl;
      signal_child_groups(SIGTERM);
    } else {
      signal_child_groups(SIGKILL);
      ::_exit(128 + sig);
    }
  }
}

}  // namespace pnc::conf
