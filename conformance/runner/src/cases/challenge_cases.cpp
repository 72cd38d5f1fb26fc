// The challenge-target catalogue: WebSocket cases (handshake, keys, envelope, transport) and
// HTTP cases (signed requests, sealed credentials, identity).
#include <algorithm>

#include "cases/catalogue.hpp"

namespace pnc::conf {

std::vector<Case> challenge_ws_cases();
std::vector<Case> challenge_http_cases();

std::vector<Case> challenge_cases() {
  std::vector<Case> out = challenge_ws_cases();
  for (auto& c : challenge_http_cases()) out.push_back(std::move(c));
  // The runner can only produce quotes a mock or signed-mock SUT accepts: every case that
  // needs an accepted handshake or none at all runs there; prod-only cases say so themselves.
  for (auto& c : out) {
    const bool prod_only = std::find(c.needs.begin(), c.needs.end(), Need::prod_mode) != c.needs.end();
    if (!prod_only && c.mechanism != "signed-http" && c.mechanism != "credentials" && c.mechanism != "identity")
      c.needs.push_back(Need::runner_quotes);
  }
  return out;
}

}  // namespace pnc::conf
