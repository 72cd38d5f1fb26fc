// Properties over live sessions with a validator SUT (docs/campaigns.md, "Validator
// properties"): the runner plays the challenge twice, for the SUT and for the reference
// validator in process (configured like the SUT), and sends both the same generated
// attestation_response or envelope; after each one both clients' reactions, in normal form, must
// agree. The reaction is the client's first event: "carried-on" (its next request opened, or
// close 1000 at the end of its script), "close:1008", "enc-bad:<check>", "msg:attestation_ok",
// "silent" (when both sides drop a frame, the proper answer follows and its reaction is judged
// too). A validator that does not connect or whose attestation_begin is unusable blocks the
// property; the SUT's own quote is never judged here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "campaign/property_probe.hpp"
#include "campaign/validator_link.hpp"
#include "pnc/json.hpp"

namespace pnc::conf::campaign {

class ValidatorProbe : public PropertyProbe {
 public:
  ValidatorProbe(ValidatorSession& sut, ValidatorSession& reference, Profile profile, const SutDescription& description,
                 std::uint64_t seed, Millis timeout)
      : pair_{sut, reference, profile, description, timeout, {}, {}}, seed_(seed) {}
  ~ValidatorProbe() override { pair_.abort(); }

  // attestation_response as each side's script builds it, changed by `edit` (the same change on
  // both sides), sent and judged; when both clients accepted it, their first request is judged.
  // `edit_text` (when set) changes the response's text afterwards (a member written twice).
  using EditResponse = std::function<void(ChallengeEnd&, json::Json&)>;
  using EditText = std::function<std::string(const std::string&)>;
  void judged_response(const std::string& what, const EditResponse& edit, const EditText& edit_text = {});
  // A clean handshake on both sides and each client's first request (judged: it must open).
  void open_session();
  // Sends the frame `build` makes on each side (nullopt: not sent) and judges the reactions.
  using Build = std::function<std::optional<std::string>(ChallengeEnd&)>;
  void answer(const std::string& action, const Build& build);
  // The same with a binary frame of `bytes`.
  void answer_binary(const std::string& action, const std::string& bytes);

  const SutDescription& description() const { return pair_.description; }
  Profile profile() const { return pair_.profile; }

 private:
  void open_links();
  ChallengeEnd link(bool is_sut);
  void judge(const std::string& action, const std::string& frame, const std::string& sut, const std::string& reference);
  void exchange(const std::string& action, const Build& build, bool binary);

  ValidatorPair pair_;
  std::uint64_t seed_;
  std::uint64_t cases_ = 0;
};

struct ValidatorProperty {
  std::string name;
  std::string section;
  std::string what;
  std::function<void(ValidatorProbe&)> body;
};

const std::vector<ValidatorProperty>& validator_properties();

}  // namespace pnc::conf::campaign
