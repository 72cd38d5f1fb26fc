#include "pnc/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <ostream>
#include <utility>

namespace pnc::cli {

namespace {

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

InterruptGuard::InterruptGuard(std::string tool, std::string what, std::ostream& err, Action on_first,
                               Action on_second)
    : tool_(std::move(tool)), what_(std::move(what)), err_(err), on_first_(std::move(on_first)),
      on_second_(std::move(on_second)) {
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
      err_ << '\n' << tool_ << ": " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ": " << what_ << std::endl;
      if (on_first_) on_first_(sig);
    } else {
      if (on_second_) on_second_(sig);
      ::_exit(128 + sig);
    }
  }
}

}  // namespace pnc::cli
