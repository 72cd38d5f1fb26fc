// fork/exec with a stdout pipe, line reads with poll(2) timeouts, SIGTERM → SIGKILL shutdown.
#include "pnc/peers/peer_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace pnc::peers {

namespace {
using Clock = std::chrono::steady_clock;
}

Result<std::unique_ptr<PeerProcess>> PeerProcess::start(
    const std::string& exe, const std::vector<std::string>& args, Millis timeout,
    const std::vector<std::pair<std::string, std::string>>& env) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return make_error("peer.spawn_failed", "pipe failed");
  std::vector<std::string> argv_store;
  argv_store.push_back(exe);
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return make_error("peer.spawn_failed", "fork failed");
  }
  if (pid == 0) {  // child: only async-signal-safe calls until exec
    dup2(fds[1], STDOUT_FILENO);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::unique_ptr<PeerProcess> p(new PeerProcess());
  p->pid_ = pid;
  p->stdout_fd_ = fds[0];
  auto line = p->read_line(timeout);
  constexpr std::string_view kPrefix = "listening on ";
  if (!line || line->rfind(kPrefix, 0) != 0) {
    p->terminate(Millis{2000});
    return make_error("peer.no_listen_line",
                      "no 'listening on' line from " + exe + ": " + line.value_or("<none>"));
  }
  const std::string address = line->substr(kPrefix.size());
  const auto colon = address.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos ||
      std::from_chars(address.data() + colon + 1, address.data() + address.size(), port).ec !=
          std::errc{} ||
      port == 0 || port > 65535) {
    p->terminate(Millis{2000});
    return make_error("peer.no_listen_line", "bad listen line: " + *line);
  }
  p->host_ = address.substr(0, colon);
  if (p->host_.size() > 2 && p->host_.front() == '[') p->host_ = p->host_.substr(1, p->host_.size() - 2);
  p->port_ = static_cast<std::uint16_t>(port);
  return p;
}

PeerProcess::~PeerProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    reap(true, Millis{5000});
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::string PeerProcess::http_url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

std::string PeerProcess::ws_url(const std::string& path) const {
  return "ws" + http_url().substr(4) + path;
}

std::optional<std::string> PeerProcess::read_line(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (stdout_fd_ < 0) return std::nullopt;
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int r = poll(&pfd, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    char chunk[4096];
    const ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(stdout_fd_);
      stdout_fd_ = -1;
      if (buffer_.empty()) return std::nullopt;
      std::string rest = std::move(buffer_);
      buffer_.clear();
      return rest;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<int> PeerProcess::reap(bool block_until, Millis timeout) {
  if (exit_status_) return exit_status_;
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = Clock::now() + timeout;
  do {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status)
                                       : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
      return exit_status_;
    }
    if (r < 0 && errno != EINTR) return std::nullopt;
    if (!block_until) break;
    std::this_thread::sleep_for(Millis{10});
  } while (Clock::now() < deadline);
  return std::nullopt;
}

std::optional<int> PeerProcess::wait_exit(Millis timeout) { return reap(true, timeout); }

int PeerProcess::terminate(Millis timeout) {
  if (!running()) return exit_status_.value_or(-1);
  kill(pid_, SIGTERM);
  if (auto status = reap(true, timeout)) return *status;
  kill(pid_, SIGKILL);
  return reap(true, Millis{5000}).value_or(-1);
}

}  // namespace pnc::peers
