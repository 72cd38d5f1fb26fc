// A SUT the runner starts from a command template and stops afterwards (challenge and validator
// targets). The template's placeholders are documented in docs/report-format.md; the SUT's
// stdout/stderr go to <report-dir>/sut.log (or a temporary file). A SUT started without a {port}
// placeholder must print "listening on HOST:PORT" on stdout (the bundled peers do with port 0).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "pnc/child_process.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

class ManagedSut {
 public:
  // `port_var`: the placeholder that receives a runner-chosen port ("port" for a challenge SUT,
  // "http_port" for a validator SUT's HTTP listener).
  ManagedSut(std::string command_template, std::map<std::string, std::string> vars, std::string log_path,
             std::chrono::milliseconds startup_timeout, std::string port_var = "port");
  ~ManagedSut();

  // Starts the SUT; with `need_port` waits for its listening address (from {port} or the log).
  Status start(bool need_port);
  bool running() { return child_.running(); }
  std::string describe_exit() const { return child_.describe_exit(); }
  void stop();
  const std::string& host() const { return host_; }
  std::uint16_t port() const { return port_; }
  // The command as started, for reports: private-key seeds appear as <redacted>.
  const std::string& command() const { return display_command_; }
  // The program's basename: the SUT's name in reports (its arguments may carry secrets).
  std::string executable() const { return executable_name(template_); }
  int starts() const { return starts_; }
  const std::string& log_path() const { return log_path_; }
  // Keeps a temporary log after the SUT failed, so that the error naming it stays true.
  void keep_log() { temp_log_ = false; }
  // Why the SUT is not running, for a precondition failure: "the SUT exited with 127 (command
  // not found) <when> (log kept: PATH; last line: ...)". Keeps the log.
  std::string exit_problem(const std::string& when);

 private:
  std::string template_;
  std::string port_var_;
  std::map<std::string, std::string> vars_;
  std::string log_path_;
  bool temp_log_ = false;
  std::chrono::milliseconds startup_timeout_;
  ChildProcess child_;
  std::string command_;
  std::string display_command_;
  std::string host_ = "127.0.0.1";
  std::uint16_t port_ = 0;
  int starts_ = 0;
};

// A free loopback TCP port (bound and released through pnc_net).
Result<std::uint16_t> free_port();

}  // namespace pnc::conf
