// The §14 property families with a shim as the implementation under test (docs/campaigns.md,
// "Properties"): RapidCheck generates the inputs and shrinks a failure to a minimal one;
// pnc-ref-shim's operations in process and the spec's relations (round trips, single-bit flips
// refused) are the oracle. Each property names the shim operations it needs; a shim that answers
// "unimplemented" to one of them skips the property.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "campaign/endpoint.hpp"
#include "campaign/property_probe.hpp"

namespace pnc::conf::campaign {

// What a shim property's body talks to: the SUT's shim and pnc-ref-shim's operations.
class ShimProbe : public PropertyProbe {
 public:
  ShimProbe(Endpoint& sut, Endpoint& reference, Profile profile) : sut_(sut), reference_(reference), profile_(profile) {}

  // The SUT's answer. A shim that fails (timeout, exit, garbage) fails the case; "unimplemented"
  // ends it (the property is reported SKIPPED).
  ShimAnswer sut(const std::string& op, const json::Json& args);
  // The reference's answer; a reference that refuses the arguments as outside the shim contract
  // (shim.bad_request) is a generator defect and fails the case with that text.
  ShimAnswer reference(const std::string& op, const json::Json& args);
  // Both, failing the case unless they agree on ok / error and on the `judged` result members.
  ShimAnswer same(const std::string& op, const json::Json& args, const std::vector<std::string>& judged);
  Profile profile() const { return profile_; }

 private:
  static constexpr int kShimFailuresBeforeGivingUp = 3;
  Result<ShimAnswer> call_sut(const std::string& op, const json::Json& args);
  // The SUT's answer when it is one to judge: a shim failure fails the case, "unimplemented"
  // ends it.
  ShimAnswer usable(const std::string& op, Result<ShimAnswer> a);

  Endpoint& sut_;
  Endpoint& reference_;
  Profile profile_;
  int shim_failures_ = 0;
  std::string last_shim_error_;
};

struct ShimProperty {
  std::string name;                 // "P-ENV.seal-open"
  std::string section;              // PROTOCOL.md sections it checks
  std::string what;                 // one line for --help and reports
  std::vector<std::string> ops;     // shim operations it calls on the SUT
  std::function<void(ShimProbe&)> body;  // one case: generates (rc::gen) and checks
};

const std::vector<ShimProperty>& shim_properties();

}  // namespace pnc::conf::campaign
