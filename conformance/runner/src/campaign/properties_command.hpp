// `pnc-conformance properties` (docs/campaigns.md, "Properties"): the §14 property families
// run with RapidCheck against a SUT's shim (its operations) or a challenge or validator SUT (live
// sessions); each failure is shrunk to a minimal case, printed and written as a JSON finding with
// the exact calls or frames and the command that reproduces it.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "core/case.hpp"

namespace pnc::conf::campaign {

struct PropertySettings {
  Target target = Target::shim;  // shim, challenge or validator
  std::string cmd;         // the shim command, or the challenge's or validator's command template
  std::string url;         // challenge: an SUT that is already running
  std::string sut_file;    // challenge, validator: its description
  Profile profile = Profile::seed_spec;
  std::uint64_t seed = 1;  // RapidCheck's seed: the same seed, the same cases
  int runs = 100;          // successful cases per property
  std::string properties;  // comma-separated names or families ("P-ENV"); empty: all
  std::string findings_dir;
  std::string junit;       // write a JUnit XML file here: one <testcase> per property
  std::string report_dir;  // write report.json (kind "properties"), junit.xml and report.html here
  int timeout_ms = 1000;
  int startup_timeout_ms = 10000;
};

// Exit status: 0 every property held (or was skipped: operation unimplemented), 1 a property
// failed, 2 usage or setup error (or a property that was never judged: inconclusive or blocked),
// 130/143 interrupted.
int properties_command(const PropertySettings& s, std::ostream& out, std::ostream& err);

// The property lists for --help.
std::string property_help();

}  // namespace pnc::conf::campaign
