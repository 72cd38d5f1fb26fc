// The runner's build identity for the reports' provenance: the git commit recorded once, when
// CMake configured the build (cli/CMakeLists.txt, shared by every binary's --version).
#include "core/engine.hpp"
#include "pnc/cli.hpp"

namespace pnc::conf {

std::string_view build_commit() { return pnc::cli::git_commit(); }

}  // namespace pnc::conf
