#include "pnc/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

extern char** environ;

namespace pnc {

namespace {

std::mutex live_groups_mutex;
std::set<pid_t> live_groups;  // process groups of started, not yet stopped children

void track_group(pid_t pgid, bool live) {
  std::lock_guard lock(live_groups_mutex);
  if (live) live_groups.insert(pgid);
  else live_groups.erase(pgid);
}

}  // namespace

void signal_child_groups(int sig) {
  std::lock_guard lock(live_groups_mutex);
  for (pid_t pgid : live_groups) ::kill(-pgid, sig);
}

std::string shell_quote(std::string_view word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string executable_name(std::string_view command) {
  std::istringstream words{std::string(command)};
  std::string word;
  while (words >> word) {
    const auto eq = word.find('='), slash = word.find('/');
    if (eq != std::string::npos && (slash == std::string::npos || eq < slash)) continue;  // VAR=value
    if (word == "exec" || word == "env") continue;
    word.erase(std::remove(word.begin(), word.end(), '\''), word.end());
    word.erase(std::remove(word.begin(), word.end(), '"'), word.end());
    const auto base = word.rfind('/');
    return base == std::string::npos ? word : word.substr(base + 1);
  }
  return "unnamed SUT";
}

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

std::string expand_template(std::string_view command_template,
                            const std::map<std::string, std::string>& vars) {
  std::string out;
  for (std::size_t i = 0; i < command_template.size();) {
    if (command_template[i] == '{') {
      const std::size_t close = command_template.find('}', i);
      if (close != std::string_view::npos) {
        auto it = vars.find(std::string(command_template.substr(i + 1, close - i - 1)));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += command_template[i++];
  }
  return out;
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : pid_(o.pid_), in_fd_(o.in_fd_), out_fd_(o.out_fd_), buffer_(std::move(o.buffer_)),
      exit_status_(o.exit_status_), raw_status_(o.raw_status_) {
  o.pid_ = -1;
  o.in_fd_ = o.out_fd_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    stop();
    pid_ = o.pid_;
    in_fd_ = o.in_fd_;
    out_fd_ = o.out_fd_;
    buffer_ = std::move(o.buffer_);
    exit_status_ = o.exit_status_;
    raw_status_ = o.raw_status_;
    o.pid_ = -1;
    o.in_fd_ = o.out_fd_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { stop(); }

void ChildProcess::close_fds() {
  if (in_fd_ >= 0) ::close(in_fd_);
  if (out_fd_ >= 0) ::close(out_fd_);
  in_fd_ = out_fd_ = -1;
}

Result<ChildProcess> ChildProcess::start(const std::string& command, const Options& options) {
  int to_child[2] = {-1, -1};
  int from_child[2] = {-1, -1};
  if (options.pipe_stdio) {
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0)
      return make_error("proc.spawn_failed", std::string("pipe: ") + std::strerror(errno));
  }
  int log_fd = ::open(options.log_path.empty() ? "/dev/null" : options.log_path.c_str(),
                      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) log_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  // Build the environment before fork: only async-signal-safe calls happen in the child.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    bool overridden = false;
    for (const auto& [k, v] : options.env)
      if (entry.compare(0, k.size() + 1, k + "=") == 0) overridden = true;
    if (!overridden) env_strings.push_back(std::move(entry));
  }
  for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string shell = "/bin/sh", dash_c = "-c", cmd = command;
  char* argv[] = {shell.data(), dash_c.data(), cmd.data(), nullptr};
  const int dev_null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);

  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1], log_fd, dev_null})
      if (fd >= 0) ::close(fd);
    return make_error("proc.spawn_failed", std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);  // own group: stop() ends the SUT and its children together
    if (options.pipe_stdio) {
      ::dup2(to_child[0], 0);
      ::dup2(from_child[1], 1);
    } else {
      ::dup2(dev_null, 0);
      ::dup2(log_fd, 1);
    }
    ::dup2(log_fd, 2);
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;  // the runner blocks SIGINT/SIGTERM for its signal thread; the SUT must not
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent: no race with an early stop()
  track_group(pid, true);
  ChildProcess child;
  child.pid_ = pid;
  if (options.pipe_stdio) {
    ::close(to_child[0]);
    ::close(from_child[1]);
    child.in_fd_ = to_child[1];
    child.out_fd_ = from_child[0];
    ::fcntl(child.in_fd_, F_SETFL, ::fcntl(child.in_fd_, F_GETFL) | O_NONBLOCK);
    ::fcntl(child.out_fd_, F_SETFL, ::fcntl(child.out_fd_, F_GETFL) | O_NONBLOCK);
  }
  if (log_fd >= 0) ::close(log_fd);
  if (dev_null >= 0) ::close(dev_null);
  return child;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  if (exit_status_) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    raw_status_ = status;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

std::string ChildProcess::describe_exit() const {
  if (!exit_status_) return "still running";
  if (WIFSIGNALED(raw_status_)) return "killed by signal " + std::to_string(WTERMSIG(raw_status_));
  return "exited with status " + std::to_string(*exit_status_);
}

void ChildProcess::stop(milliseconds grace) {
  close_fds();
  if (pid_ <= 0) return;
  if (running()) {
    ::kill(-pid_, SIGTERM);
    const auto deadline = SteadyClock::now() + grace;
    while (running() && SteadyClock::now() < deadline) std::this_thread::sleep_for(milliseconds(5));
    if (running()) {
      ::kill(-pid_, SIGKILL);
      int status = 0;
      if (::waitpid(pid_, &status, 0) == pid_) {
        raw_status_ = status;
        exit_status_ = 128 + SIGKILL;
      }
    }
  }
  // Children the SUT left in its group (the shell's grandchildren) go too.
  ::kill(-pid_, SIGKILL);
  track_group(pid_, false);
  pid_ = -1;
}

Status ChildProcess::write_line(std::string_view line, milliseconds timeout) {
  if (in_fd_ < 0) return make_error("proc.closed", "no stdin pipe");
  std::string data(line);
  data += '\n';
  std::size_t off = 0;
  const auto deadline = SteadyClock::now() + timeout;
  while (off < data.size()) {
    const ssize_t n = ::write(in_fd_, data.data() + off, data.size() - off);
    if (n > 0) {
      off += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return make_error("proc.eof", std::string("write to the child failed: ") + std::strerror(errno));
    const auto left = std::chrono::ceil<milliseconds>(deadline - SteadyClock::now());  // up: never time out early
    if (left.count() <= 0) return make_error("proc.timeout", "the child did not read its input in time");
    pollfd p{in_fd_, POLLOUT, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));
  }
  return {};
}

Result<std::string> ChildProcess::read_line(milliseconds timeout, std::size_t max_bytes) {
  if (out_fd_ < 0) return make_error("proc.closed", "no stdout pipe");
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    const std::size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (buffer_.size() > max_bytes) {
      buffer_.clear();
      return make_error("proc.too_long", "the child sent a line over " + std::to_string(max_bytes) + " bytes");
    }
    char chunk[65536];
    const ssize_t n = ::read(out_fd_, chunk, sizeof chunk);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return make_error("proc.eof", "the child closed its output");
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return make_error("proc.eof", std::string("read from the child failed: ") + std::strerror(errno));
    const auto left = std::chrono::ceil<milliseconds>(deadline - SteadyClock::now());  // up: never time out early
    if (left.count() <= 0) return make_error("proc.timeout", "no complete answer in time");
    pollfd p{out_fd_, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(left.count()));
  }
}

}  // namespace pnc
