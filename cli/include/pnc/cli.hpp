// Conventions every installed binary shares (DEC-81): --version, usage errors exit 2 with a
// message, deprecated flag spellings kept as aliases. See cli/CMakeLists.txt.
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace pnc::cli {

inline constexpr int kUsageExit = 2;

std::string_view project_version();  // "0.1.0" (CMake's project version)
std::string_view git_commit();       // configure-time commit, "-dirty" suffix, or "unknown"

// "<tool> <version> (commit <commit>[, <details>])": what --version prints.
std::string version_line(std::string_view tool, std::string_view details = {});

// Names the app, adds --version (version_line) and, when given, the --help footer (examples,
// exit status). Call before adding options.
void setup(CLI::App& app, std::string_view tool, std::string_view footer = {}, std::string_view details = {});

// Parses the command line: nullopt to go on, else the exit status: 0 after --help / --version,
// kUsageExit after a usage error (CLI11's message, plus "Run with --help" on stderr).
std::optional<int> parse(CLI::App& app, int argc, char** argv);

// The name of the top-level app (the tool) of a subcommand or app.
std::string root_name(const CLI::App& app);

// Prints "<tool>: <message> (see --help)" on stderr and returns kUsageExit.
int usage_error(std::string_view tool, std::string_view message);

// Keeps a renamed option's old spelling working: an option `old_name` bound to the same
// variable, listed under "Deprecated" in --help, excluding `replacement`, and a warning on stderr
// when it is used. Add the replacement's validators to the returned option.
template <typename T>
CLI::Option* deprecated_alias(CLI::App& app, const std::string& old_name, CLI::Option* replacement, T& variable) {
  const std::string new_name = replacement->get_name();
  auto* alias = app.add_option(old_name, variable, "deprecated spelling of " + new_name);
  alias->group("Deprecated");
  alias->each([tool = root_name(app), old_name, new_name](const std::string&) {
    std::cerr << tool << ": warning: " << old_name << " is deprecated, use " << new_name << '\n';
  });
  alias->excludes(replacement);
  return alias;
}

// The same for a flag (no value).
template <typename T>
CLI::Option* deprecated_flag_alias(CLI::App& app, const std::string& old_name, CLI::Option* replacement, T& variable) {
  const std::string new_name = replacement->get_name();
  auto* alias = app.add_flag(old_name, variable, "deprecated spelling of " + new_name);
  alias->group("Deprecated");
  alias->excludes(replacement);
  app.parse_complete_callback([alias, tool = root_name(app), old_name, new_name] {
    if (alias->count() > 0) std::cerr << tool << ": warning: " << old_name << " is deprecated, use " << new_name << '\n';
  });
  return alias;
}

}  // namespace pnc::cli
