// A child process the runner or a test owns: a SUT started from a command template, a shim, a
// bundled peer in the peers' tests. It runs in its own process group so that stop() ends it and everything it spawned; the destructor stops
// it too, so no process outlives the runner. Pipes are optional (the shim talks over them) and
// every read/write waits at most the given timeout.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pnc/result.hpp"

namespace pnc {

// Replaces every {name} in `command_template` with vars[name]; unknown names stay as they are.
std::string expand_template(std::string_view command_template,
                            const std::map<std::string, std::string>& vars);

// `word` as one /bin/sh word: single-quoted, an inner ' written '\''.
std::string shell_quote(std::string_view word);

// The basename of the program a command line starts ("VAR=x /opt/bin/sdk --token T" -> "sdk"):
// how reports name a SUT without printing its arguments, which may carry secrets.
std::string executable_name(std::string_view command);

// Sends `sig` to the process group of every ChildProcess not yet stopped: how an interrupted run
// ends its SUT or shim at once (app/interrupt.hpp); stop() still reaps them afterwards.
void signal_child_groups(int sig);

class ChildProcess {
 public:
  struct Options {
    bool pipe_stdio = false;  // stdin/stdout as pipes (shim); else /dev/null / inherited log
    std::vector<std::pair<std::string, std::string>> env;  // added to the runner's environment
    std::string log_path;     // stderr (and stdout when not piped) go here; empty = /dev/null
  };

  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  // Runs `command` with /bin/sh -c.
  static Result<ChildProcess> start(const std::string& command, const Options& options);

  bool running();                 // reaps the child if it exited
  std::optional<int> exit_status() const { return exit_status_; }  // after it ended
  std::string describe_exit() const;  // "exited with 3", "killed by signal 9"
  // SIGTERM to the group, then SIGKILL after `grace`; always reaps.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));
  pid_t pid() const { return pid_; }

  // Line protocol over the pipes (pipe_stdio only). write_line appends '\n'.
  Status write_line(std::string_view line, std::chrono::milliseconds timeout);
  // One line without its '\n'; net.timeout-like error "proc.timeout" when nothing complete came
  // in time, "proc.eof" when the child closed stdout, "proc.too_long" beyond max_bytes.
  Result<std::string> read_line(std::chrono::milliseconds timeout, std::size_t max_bytes);

 private:
  void close_fds();
  pid_t pid_ = -1;
  int in_fd_ = -1;   // our end of the child's stdin
  int out_fd_ = -1;  // our end of the child's stdout
  std::string buffer_;
  std::optional<int> exit_status_;
  int raw_status_ = 0;
};

}  // namespace pnc
