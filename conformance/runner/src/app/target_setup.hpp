// Opens what a run needs for its target and closes it afterwards: the shim process, the
// challenge SUT address (and the SUT process when started from --cmd), or the loopback
// challenge the validator SUT connects to. Nothing survives close() or the destructor.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/run_command.hpp"
#include "core/sut.hpp"

namespace pnc::conf {

class OpenTarget {
 public:
  virtual ~OpenTarget() = default;
  virtual TargetSession* session() = 0;
  virtual const SutDescription& sut() const = 0;
  virtual std::string describe() const = 0;      // report "target" field
  virtual std::string sut_identity() const = 0;  // when the SUT description has no name
  // Before each case: restart a managed SUT that died; a reason to FAIL the case otherwise.
  virtual std::optional<std::string> before_case() { return std::nullopt; }
  // A SUT the runner started that has exited: how ("exited with 139 (SIGSEGV)"); empty otherwise.
  virtual std::string sut_exit() { return {}; }
  virtual void close() = 0;
};

Result<std::unique_ptr<OpenTarget>> open_target(const RunSettings& settings, const SutDescription& sut);

}  // namespace pnc::conf
