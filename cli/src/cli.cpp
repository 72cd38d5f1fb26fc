#include "pnc/cli.hpp"

#ifndef PNC_PROJECT_VERSION
#define PNC_PROJECT_VERSION "0.0.0"
#endif
#ifndef PNC_GIT_COMMIT
#define PNC_GIT_COMMIT "unknown"
#endif

namespace pnc::cli {

std::string_view project_version() { return PNC_PROJECT_VERSION; }
std::string_view git_commit() { return PNC_GIT_COMMIT; }

std::string version_line(std::string_view tool, std::string_view details) {
  std::string line = std::string(tool) + " " + std::string(project_version()) + " (commit " + std::string(git_commit());
  if (!details.empty()) line += ", " + std::string(details);
  return line + ")";
}

void setup(CLI::App& app, std::string_view tool, std::string_view footer, std::string_view details) {
  app.name(std::string(tool));
  app.set_version_flag("--version", version_line(tool, details), "print the version and the git commit, then exit");
  if (!footer.empty()) app.footer(std::string(footer));
}

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    app.exit(e);
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11 reports a missing subcommand before unknown arguments: name those too.
    std::string unknown;
    for (const auto& arg : app.remaining())
      if (std::string(e.what()).find(arg) == std::string::npos) unknown += " " + arg;
    if (!unknown.empty()) std::cerr << app.get_name() << ": unknown argument(s):" << unknown << '\n';
    app.exit(e);  // CLI11's message and "Run with --help for more information." on stderr
    return kUsageExit;
  }
  return std::nullopt;
}

std::string root_name(const CLI::App& app) {
  const CLI::App* a = &app;
  while (a->get_parent() != nullptr) a = a->get_parent();
  return a->get_name();
}

int usage_error(std::string_view tool, std::string_view message) {
  std::cerr << tool << ": " << message << " (see --help)\n";
  return kUsageExit;
}

}  // namespace pnc::cli
