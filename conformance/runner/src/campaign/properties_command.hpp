// `pnc-conformance properties` (docs/campaigns.md, "Properties"): the §14 property families
// run against a SUT's shim with RapidCheck; each failure is shrunk to a minimal case, printed and
// written as a JSON finding with the exact shim calls and the command that reproduces it.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "core/case.hpp"

namespace pnc::conf::campaign {

struct PropertySettings {
  std::string cmd;         // the shim command
  Profile profile = Profile::seed_spec;
  std::uint64_t seed = 1;  // RapidCheck's seed: the same seed, the same cases
  int runs = 100;          // successful cases per property
  std::string properties;  // comma-separated names or families ("P-ENV"); empty: all
  std::string findings_dir;
  int timeout_ms = 1000;
  int startup_timeout_ms = 10000;
};

// Exit status: 0 every property held (or was skipped: operation unimplemented), 1 a property
// failed, 2 usage or setup error, 130/143 interrupted.
int properties_command(const PropertySettings& s, std::ostream& out, std::ostream& err);

// The property list for --help.
std::string property_help();

}  // namespace pnc::conf::campaign
