#include "pnc/peers/peer_process.hpp"

#include <charconv>
#include <string_view>
#include <thread>

namespace pnc::peers {

namespace {

// The peer's argv as one /bin/sh command line: each word single-quoted, `exec` so that the peer
// itself (not a shell) is the child that terminate() signals and whose status it reports.
std::string command_line(const std::string& exe, const std::vector<std::string>& args) {
  std::string cmd = "exec " + shell_quote(exe);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return cmd;
}

}  // namespace

Result<std::unique_ptr<PeerProcess>> PeerProcess::start(
    const std::string& exe, const std::vector<std::string>& args, Millis timeout,
    const std::vector<std::pair<std::string, std::string>>& env) {
  ChildProcess::Options options;
  options.pipe_stdio = true;
  options.env = env;
  options.log_path = "/dev/stderr";
  auto child = ChildProcess::start(command_line(exe, args), options);
  if (!child) return make_error("peer.spawn_failed", exe + ": " + child.error().message);
  std::unique_ptr<PeerProcess> p(new PeerProcess(std::move(*child)));
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

std::string PeerProcess::http_url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

std::string PeerProcess::ws_url(const std::string& path) const {
  return "ws" + http_url().substr(4) + path;
}

std::optional<std::string> PeerProcess::read_line(Millis timeout) {
  auto line = child_.read_line(timeout, 1 << 20);
  if (!line) return std::nullopt;
  return std::move(*line);
}

std::optional<int> PeerProcess::wait_exit(Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (child_.running() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(Millis{10});
  if (child_.running()) return std::nullopt;
  return child_.exit_status();
}

int PeerProcess::terminate(Millis timeout) {
  child_.stop(timeout);
  return child_.exit_status().value_or(-1);
}

}  // namespace pnc::peers
