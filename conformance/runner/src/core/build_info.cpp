// The runner's build identity: the git commit recorded when CMake configured the build
// (conformance/runner/CMakeLists.txt), for the reports' provenance.
#include "core/engine.hpp"

#ifndef PNC_RUNNER_COMMIT
#define PNC_RUNNER_COMMIT "unknown"
#endif

namespace pnc::conf {

std::string_view build_commit() { return PNC_RUNNER_COMMIT; }

}  // namespace pnc::conf
