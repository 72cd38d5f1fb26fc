#include "core/verdict.hpp"

namespace pnc::conf {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::pass: return "PASS";
    case Verdict::fail: return "FAIL";
    case Verdict::blocked: return "BLOCKED";
    case Verdict::unimplemented: return "UNIMPLEMENTED";
    case Verdict::skipped: return "SKIPPED";
    case Verdict::expected_fail: return "EXPECTED-FAIL";
  }
  return "FAIL";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  for (Verdict v : kAllVerdicts)
    if (to_string(v) == text) return v;
  return std::nullopt;
}

}  // namespace pnc::conf
