// Verdicts of one case, after Autobahn|Testsuite: what the SUT did, judged against what the spec
// expects in the selected profile.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pnc::conf {

enum class Verdict {
  pass,           // behaved as the spec requires
  fail,           // behaved otherwise (or crashed, hung, sent garbage)
  blocked,        // a precondition failed (e.g. no handshake possible): the subject was never tested
  unimplemented,  // the SUT (shim) does not implement the operation
  skipped,        // not in this profile, or the SUT lacks what the case needs
  expected_fail,  // failed, but the certifier's expectations file lists it with a reason
};

inline constexpr Verdict kAllVerdicts[] = {Verdict::pass,          Verdict::fail,
                                           Verdict::blocked,       Verdict::unimplemented,
                                           Verdict::skipped,       Verdict::expected_fail};

std::string_view to_string(Verdict v);  // "PASS", "FAIL", "BLOCKED", ...
std::optional<Verdict> parse_verdict(std::string_view text);

// Does this verdict keep the exit status at 0? BLOCKED does not (the subject was never tested),
// but it is not the SUT's failure either (exit status 3 when it is the only problem,
// docs/report-format.md). There is no NON-STRICT verdict (DEC-54).
constexpr bool is_acceptable(Verdict v) {
  return v == Verdict::pass || v == Verdict::skipped || v == Verdict::expected_fail;
}

}  // namespace pnc::conf
