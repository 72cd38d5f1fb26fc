// The validator-target catalogue: WebSocket cases (the client's handshake, quote checks,
// deadline, envelopes) and HTTP cases (bootstrap, /results/submit), section by section
// (catalogue_sections.hpp).
#include "cases/case_builders.hpp"
#include "cases/catalogue.hpp"
#include "cases/catalogue_sections.hpp"

namespace pnc::conf {

std::vector<Case> validator_cases() {
  std::vector<Case> out;
  append(out, client_handshake_cases());
  append(out, client_quote_cases());
  append(out, client_deadline_cases());
  append(out, client_envelope_cases());
  append(out, bootstrap_cases());
  append(out, refused_attest_cases());
  append(out, signed_results_cases());
  return out;
}

}  // namespace pnc::conf
