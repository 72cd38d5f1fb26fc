#include "app/managed_sut.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "pnc/net/server.hpp"

namespace pnc::conf {

using std::chrono::milliseconds;

Result<std::uint16_t> free_port() {
  net::ServerOptions options;
  options.threads = 1;
  auto server = net::Server::start(options);
  if (!server) return server.error();
  const std::uint16_t port = (*server)->port();
  (*server)->stop(milliseconds(100));
  return port;
}

ManagedSut::ManagedSut(std::string command_template, std::map<std::string, std::string> vars, std::string log_path,
                       milliseconds startup_timeout, std::string port_var)
    : template_(std::move(command_template)), port_var_(std::move(port_var)), vars_(std::move(vars)), log_path_(std::move(log_path)),
      startup_timeout_(startup_timeout) {
  if (log_path_.empty()) {
    char name[] = "/tmp/pnc-sut-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd >= 0) {
      ::close(fd);
      log_path_ = name;
      temp_log_ = true;
    }
  }
}

ManagedSut::~ManagedSut() {
  stop();
  if (temp_log_) std::remove(log_path_.c_str());
}

void ManagedSut::stop() { child_.stop(); }

Status ManagedSut::start(bool need_port) {
  child_.stop();
  const bool port_in_template = template_.find("{" + port_var_ + "}") != std::string::npos ||
                                (port_var_ == "port" && template_.find("{url}") != std::string::npos);
  if (need_port && port_in_template) {
    auto port = free_port();
    if (!port) return port.error();
    port_ = *port;
    vars_[port_var_] = std::to_string(port_);
    if (port_var_ == "port") {
      vars_["host"] = host_;
      vars_["url"] = "ws://" + host_ + ":" + std::to_string(port_);
    }
  }
  command_ = expand_template(template_, vars_);
  // Reports and the console show the command with secret values (private-key seeds) redacted.
  auto shown = vars_;
  for (auto& [name, value] : shown)
    if (name.find("seed") != std::string::npos) value = "<redacted>";
  display_command_ = expand_template(template_, shown);
  // Remember where this start's output begins in the (appended) log.
  std::streamoff log_start = 0;
  {
    std::ifstream in(log_path_, std::ios::binary | std::ios::ate);
    if (in) log_start = in.tellg();
  }
  ChildProcess::Options options;
  options.log_path = log_path_;
  auto child = ChildProcess::start(command_, options);
  if (!child) return child.error();
  child_ = std::move(*child);
  ++starts_;
  if (!need_port || port_in_template) return {};
  // Wait for "listening on HOST:PORT" in the SUT's output.
  const auto deadline = std::chrono::steady_clock::now() + startup_timeout_;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log_path_, std::ios::binary);
    in.seekg(log_start);
    std::string line;
    while (std::getline(in, line)) {
      const std::size_t at = line.find("listening on ");
      if (at == std::string::npos) continue;
      const std::string addr = line.substr(at + 13);
      const std::size_t colon = addr.rfind(':');
      if (colon == std::string::npos) continue;
      const int port = std::atoi(addr.c_str() + colon + 1);
      if (port <= 0 || port > 65535) continue;
      host_ = addr.substr(0, colon);
      port_ = static_cast<std::uint16_t>(port);
      return {};
    }
    if (!child_.running()) return make_error("sut.exited", exit_problem("before listening"));
    std::this_thread::sleep_for(milliseconds(10));
  }
  child_.stop();
  return make_error("sut.no_address", "the SUT did not print \"listening on HOST:PORT\" within " +
                                          std::to_string(startup_timeout_.count()) + " ms (log: " + log_path_ + ")");
}

std::string ManagedSut::exit_problem(const std::string& when) {
  keep_log();
  std::string exit = child_.describe_exit();
  if (exit == "exited with status 127") exit += " (command not found)";
  if (exit == "exited with status 126") exit += " (command not executable)";
  std::string last;
  std::ifstream in(log_path_, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) last = line;
  if (last.size() > 200) last = last.substr(0, 200) + "...";
  return "the SUT " + exit + " " + when + " (log kept: " + log_path_ + (last.empty() ? "" : "; last line: " + last) + ")";
}

}  // namespace pnc::conf
