// Command-line options both peers share (CLI11), documented in conformance/peers/README.md.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "peer_common.hpp"

namespace pnc::peers {

struct CommonOptions {
  std::string listen = "127.0.0.1:0";
  std::string profile = "seed-spec";
  std::string env = "dev";
  std::string tdx = "mock";
  HostQuoteOptions host_quotes;  // --configfs-root, --dstack-socket
  std::string mutant = "none";
  bool list_mutants = false;
  std::vector<std::string> sessions;
  std::int64_t session_lifetime = 3600;
  std::int64_t handshake_deadline_ms = 30000;
  std::size_t max_message = 16u * 1024u * 1024u;
  unsigned threads = 2;
  std::int64_t io_timeout_ms = 30000;
  std::int64_t idle_timeout_ms = 300000;
  std::int64_t reply_delay_ms = 0;  // a slow SUT: every HTTP answer and WebSocket reply waits
};

// The options both peers take; call pnc::cli::setup(app, TOOL, ...) first (--version, footer).
void add_common_options(CLI::App& app, CommonOptions& o);
// Parses the command line: nullopt to go on, else the exit status (0 for --help / --version,
// 2 for every usage error, as pnc-conformance; CLI11's own codes are 100+).
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

// Validated values of the common options.
struct CommonValues {
  std::string host;
  std::uint16_t port = 0;
  Profile profile = Profile::seed_spec;
  PeerFaults faults;  // the --mutant's switch set (all off for "none")
};
Result<CommonValues> check_common_options(const CommonOptions& o, bool for_challenge);

// Server options from the common options (timeouts, limits, threads).
net::ServerOptions server_options(const CommonOptions& o, const CommonValues& v);

}  // namespace pnc::peers
