// Start a bundled peer (or any program that prints "listening on HOST:PORT" first) as a child
// process, read its stdout lines with timeouts and stop it with SIGTERM (SIGKILL as a fallback).
// For the peers' tests and for the conformance runner. Not thread-safe per object.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pnc/result.hpp"

namespace pnc::peers {

class PeerProcess {
 public:
  using Millis = std::chrono::milliseconds;
  // Runs `exe args...` with extra environment variables, waits up to `timeout` for the
  // "listening on HOST:PORT" line. Errors: peer.spawn_failed, peer.no_listen_line (the child is
  // killed and its stdout so far is in the message).
  static Result<std::unique_ptr<PeerProcess>> start(
      const std::string& exe, const std::vector<std::string>& args, Millis timeout,
      const std::vector<std::pair<std::string, std::string>>& env = {});
  ~PeerProcess();  // kills (SIGKILL) and reaps a child still running
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }
  std::string http_url() const;                          // http://host:port
  std::string ws_url(const std::string& path) const;     // ws://host:port + path
  pid_t pid() const { return pid_; }

  // The next stdout line (without '\n'), nullopt on timeout or end of output.
  std::optional<std::string> read_line(Millis timeout);
  // Waits (bounded) for the child to exit on its own; its exit status, or nullopt if running.
  std::optional<int> wait_exit(Millis timeout);
  // SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit code, or 128 + signal number
  // if it died from a signal.
  int terminate(Millis timeout = Millis{5000});
  bool running() const { return pid_ > 0 && !exit_status_; }

 private:
  PeerProcess() = default;
  std::optional<int> reap(bool block_until, Millis timeout);
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::optional<int> exit_status_;
};

}  // namespace pnc::peers
