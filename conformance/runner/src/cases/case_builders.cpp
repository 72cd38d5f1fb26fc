#include "cases/case_builders.hpp"

#include <iterator>

namespace pnc::conf {

ExpectFn per_profile(ProfileExpect e) {
  return [e](Profile p, const SutDescription&) { return e.of(p); };
}

ExpectFn per_profile(WsExpect strict, WsExpect compat) { return per_profile(ProfileExpect::strict_compat(strict, compat)); }

Case ws_case(Target target, std::string id, std::string title, Mechanism mechanism, const ExpectFn& expect) {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = mechanism;
  c.target = target;
  // A challenge SUT is a server, a validator SUT a client: the words differ (attestation_response
  // or attestation_ok goes out).
  const bool server_side = target != Target::validator;
  const SutDescription mock_default;
  for (Profile p : kProfiles) c.expected[p] = expect(p, mock_default).describe(server_side);
  return c;
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

void append(std::vector<Case>& out, std::vector<Case> section) {
  out.insert(out.end(), std::make_move_iterator(section.begin()), std::make_move_iterator(section.end()));
}

}  // namespace pnc::conf
