#include "campaign/validator_fuzz.hpp"

#include <atomic>
#include <iostream>
#include <map>

#include "campaign/scenario_edits.hpp"
#include "campaign/validator_link.hpp"
#include "pnc/clock.hpp"

namespace pnc::conf::campaign {

namespace {

using json::Json;

class ValidatorRun {
 public:
  ValidatorRun(const Scenario& sc, const Input& in, ValidatorSession& sut, ValidatorSession& reference, Profile profile,
               const SutDescription& description, std::uint64_t seed, Millis timeout)
      : sc_(sc), in_(in), pair_{sut, reference, profile, description, timeout, {}, {}}, seed_(seed) {}

  std::optional<Execution> run() {
    auto r = pair_.accept(false, seed_);
    if (!r) {
      // No verdict without the reference: not judged, and said so (once), never a silent pass.
      static std::atomic<bool> warned{false};
      if (!warned.exchange(true))
        std::cerr << "pnc-conformance: warning: the reference validator " << r.error().message
                  << "; executions without it are not judged\n";
      return std::nullopt;
    }
    pair_.reference = std::move(*r);
    Execution x;
    x.expected.push_back({"begin", {"msg:attestation_begin"}});
    auto s = pair_.accept(true, seed_);
    if (!s) {
      x.observed.push_back({"begin", {s.error().code == "campaign.no_connection" ? "no-connection" : "no-usable-begin"}});
      pair_.reference.abort();
      return x;
    }
    pair_.sut = std::move(*s);
    x.observed.push_back({"begin", {"msg:attestation_begin"}});
    for (const PlanEntry& e : make_plan(sc_, in_.mutations)) {
      // The reference is done, or the SUT's script ended normally before it: nothing left to compare.
      if (pair_.reference.done || pair_.sut.done) break;
      auto seen = step(e);
      if (!seen) continue;
      x.expected.push_back({variant_name(sc_, e), seen->second});
      x.observed.push_back({variant_name(sc_, e), seen->first});
      if (seen->first != seen->second) break;
    }
    pair_.abort();
    return x;
  }

 private:
  const std::string& name_of(int step) const { return sc_.steps[static_cast<std::size_t>(step)].name; }

  // The frame of `step` on end `e`, the step's mutations applied.
  std::optional<std::string> build(ChallengeEnd& e, int step) {
    const std::int64_t now = SystemClock().now();
    if (name_of(step) == "response") return apply_evidence_message(e.script->response(), "quote", "event_log", in_.mutations, step, now);
    if (!e.channel || e.pending.is_null()) return std::nullopt;
    return apply_envelope_edits(json::dump(ServerScript::answer_to(e.pending)), [&e](const std::string& inner) { return e.seal(inner); },
                                in_.mutations, step, now);
  }

  // The proper frame a client still waits for after dropping one.
  static std::optional<std::string> proper(ChallengeEnd& e) {
    if (!e.channel) return json::dump(e.script->response());
    return e.answer();
  }

  // Both reactions to what was just sent: after attestation_ok the client's first request too;
  // when both stay silent, the proper frame follows.
  void react(std::vector<std::string>& sut, std::vector<std::string>& reference, bool follow_silence) {
    auto [s, r] = pair_.react_both();
    sut.push_back(s);
    reference.push_back(r);
    if (s != r) return;
    if (r == "msg:attestation_ok") {
      react(sut, reference, false);
    } else if (r == "silent" && follow_silence) {
      pair_.reference.send(proper(pair_.reference));
      pair_.sut.send(proper(pair_.sut));
      react(sut, reference, false);
    }
  }

  // (SUT, reference) reactions to one plan entry; nullopt when the entry sends nothing (a
  // second connection, which a validator does not open: cross-replay does not apply).
  std::optional<std::pair<std::vector<std::string>, std::vector<std::string>>> step(const PlanEntry& e) {
    std::optional<std::string> fr, fs;
    if (e.variant.empty()) {
      fr = build(pair_.reference, e.step);
      fs = build(pair_.sut, e.step);
      if (fr) built_r_[e.step] = *fr;
      if (fs) built_s_[e.step] = *fs;
    } else if (e.variant == "replay" || e.variant == "late-replay") {
      if (built_r_.count(e.step)) fr = built_r_[e.step];
      if (built_s_.count(e.step)) fs = built_s_[e.step];
    } else if (e.variant == "reflect") {
      // The validator's own last frame sent back to it.
      if (!pair_.reference.pending_frame.empty()) fr = pair_.reference.pending_frame;
      if (!pair_.sut.pending_frame.empty()) fs = pair_.sut.pending_frame;
    } else {
      return std::nullopt;
    }
    std::vector<std::string> s, r;
    if (!fr) return std::make_pair(std::vector<std::string>{fs ? "sent" : "not-sent"}, std::vector<std::string>{"not-sent"});
    if (!fs) return std::make_pair(std::vector<std::string>{"not-sent"}, std::vector<std::string>{"sent"});
    pair_.reference.send(fr);
    pair_.sut.send(fs);
    react(s, r, true);
    return std::make_pair(std::move(s), std::move(r));
  }

  const Scenario& sc_;
  const Input& in_;
  ValidatorPair pair_;
  std::uint64_t seed_;
  std::map<int, std::string> built_r_, built_s_;
};

}  // namespace

Executor validator_executor(Profile profile, const SutDescription& sut, ValidatorSession& target, ValidatorSession& reference,
                            Millis timeout) {
  return [=, &sut, &target, &reference](const Input& input, std::uint64_t value_seed) -> std::optional<Execution> {
    const Scenario* sc = find_scenario(input.scenario);
    if (sc == nullptr || sc->target() != Target::validator) return std::nullopt;
    return ValidatorRun(*sc, input, target, reference, profile, sut, value_seed, timeout).run();
  };
}

}  // namespace pnc::conf::campaign
