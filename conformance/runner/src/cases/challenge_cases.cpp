// The challenge-target catalogue: WebSocket cases (handshake, keys, envelope, transport) and
// HTTP cases (signed requests, sealed credentials, identity), section by section
// (catalogue_sections.hpp).
#include <algorithm>

#include "cases/case_builders.hpp"
#include "cases/catalogue.hpp"
#include "cases/catalogue_sections.hpp"

namespace pnc::conf {

std::vector<Case> challenge_cases() {
  std::vector<Case> out;
  append(out, valid_handshake_cases());
  append(out, freshness_cases());
  append(out, first_frame_cases());
  append(out, begin_quote_cases());
  append(out, begin_encoding_cases());
  append(out, low_order_key_cases());
  append(out, attestation_ok_cases());
  append(out, handshake_deadline_cases());
  append(out, encrypted_phase_cases());
  append(out, transport_cases());
  append(out, signed_request_cases());
  append(out, credential_cases());
  append(out, malformed_body_cases());
  append(out, credential_refusal_cases());
  append(out, identity_cases());
  // The runner can only produce quotes a mock or signed-mock SUT accepts: every case that
  // needs an accepted handshake or none at all runs there; prod-only cases say so themselves.
  for (auto& c : out) {
    const bool prod_only = std::find(c.needs.begin(), c.needs.end(), Need::prod_mode) != c.needs.end();
    const bool no_handshake = c.mechanism == Mechanism::signed_http || c.mechanism == Mechanism::credentials ||
                              c.mechanism == Mechanism::identity || c.mechanism == Mechanism::http_body;
    if (!prod_only && !no_handshake) c.needs.push_back(Need::runner_quotes);
  }
  return out;
}

}  // namespace pnc::conf
