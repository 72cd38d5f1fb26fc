// A bundled peer (or any program that prints "listening on HOST:PORT" first) started for the
// peers' tests: a ChildProcess (pnc/child_process.hpp, the tree's one fork/exec) whose stdout
// lines are read with timeouts; stopped with SIGTERM (SIGKILL as a fallback) by terminate() or
// the destructor. Not thread-safe per object.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pnc/child_process.hpp"
#include "pnc/result.hpp"

namespace pnc::peers {

class PeerProcess {
 public:
  using Millis = std::chrono::milliseconds;
  // Runs `exe args...` with extra environment variables, waits up to `timeout` for the
  // "listening on HOST:PORT" line. Errors: peer.spawn_failed, peer.no_listen_line (the child is
  // stopped and the line it printed instead is in the message). Its stderr is the test's.
  static Result<std::unique_ptr<PeerProcess>> start(
      const std::string& exe, const std::vector<std::string>& args, Millis timeout,
      const std::vector<std::pair<std::string, std::string>>& env = {});
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }
  std::string http_url() const;                          // http://host:port
  std::string ws_url(const std::string& path) const;     // ws://host:port + path
  pid_t pid() const { return child_.pid(); }

  // The next stdout line (without '\n'), nullopt on timeout or end of output.
  std::optional<std::string> read_line(Millis timeout);
  // Waits (bounded) for the child to exit on its own; its exit status, or nullopt if running.
  std::optional<int> wait_exit(Millis timeout);
  // SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit code, or 128 + signal number
  // if it died from a signal.
  int terminate(Millis timeout = Millis{5000});
  bool running() { return child_.running(); }

 private:
  explicit PeerProcess(ChildProcess child) : child_(std::move(child)) {}
  ChildProcess child_;
  std::string host_;
  std::uint16_t port_ = 0;
};

}  // namespace pnc::peers
