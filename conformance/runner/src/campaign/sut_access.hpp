// Opening a campaign's SUT (`fuzz`, `replay`, `properties`): a challenge as `run` opens it
// (--url with --sut, or --cmd with the keys the runner makes) with the reference oracle configured
// like it, or a shim process with pnc-ref-shim's operations as the oracle.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/target_setup.hpp"
#include "campaign/campaign.hpp"
#include "campaign/endpoint.hpp"
#include "campaign/fuzz_command.hpp"
#include "cases/shim_session.hpp"
#include "cases/validator_session.hpp"

namespace pnc::conf::campaign {

// The opened SUT (a challenge or validator as `run` opens it, or a shim process) and its oracle:
// endpoints (challenge, shim), or the reference validator's session (validator).
struct Opened {
  std::unique_ptr<OpenTarget> target;  // challenge and validator targets
  std::unique_ptr<ShimSession> shim;   // shim target
  std::unique_ptr<Endpoint> sut;
  std::unique_ptr<Endpoint> oracle;
  std::unique_ptr<ValidatorSession> reference_validator;  // validator target
  Millis timeout{1000};
  SutDescription no_description;
  std::vector<std::string> skipped_ops;  // shim: operations answered "unimplemented"
  std::vector<std::string> ops;          // shim: the others

  const SutDescription& description() const { return target ? target->sut() : no_description; }
  // How the campaign runs one input against this SUT and its oracle.
  Executor executor(Profile profile);
  void restart() {
    if (target) (void)target->before_case();  // a shim session restarts itself
  }
  void close() {
    sut.reset();
    if (reference_validator) reference_validator->stop();
    if (target) target->close();
    if (shim) shim->stop();
  }
};

// A challenge or validator SUT opened as `run` opens it (the --sut file loaded). Errors: the
// description's (sut.*) and the target's (setup.*).
Result<std::unique_ptr<OpenTarget>> open_network_target(Target target, const FuzzSettings& s);
// Errors: the target's own (sut.*, setup.*), setup.oracle.
Result<Opened> open_challenge(const FuzzSettings& s);
// The validator started from --cmd for every execution, and the reference validator configured
// like it. Errors: the target's own (sut.*, setup.*), setup.oracle.
Result<Opened> open_validator(const FuzzSettings& s);
// Also registers the shim scenarios (vector files) and sorts the operations into implemented
// and not. Errors: cli.shim_*, vectors.*, setup.shim.
Result<Opened> open_shim(const FuzzSettings& s);
Result<Opened> open_all(const FuzzSettings& s);

}  // namespace pnc::conf::campaign
