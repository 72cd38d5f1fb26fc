#include "core/case.hpp"

#include <algorithm>

namespace pnc::conf {

std::string_view to_string(Target t) {
  switch (t) {
    case Target::challenge: return "challenge";
    case Target::validator: return "validator";
    case Target::shim: return "shim";
  }
  return "challenge";
}

std::optional<Target> parse_target(std::string_view name) {
  for (Target t : {Target::challenge, Target::validator, Target::shim})
    if (to_string(t) == name) return t;
  return std::nullopt;
}

std::string_view to_string(Mechanism m) {
  switch (m) {
    case Mechanism::handshake: return "handshake";
    case Mechanism::attestation: return "attestation";
    case Mechanism::key_exchange: return "key exchange";
    case Mechanism::envelope: return "envelope";
    case Mechanism::transport: return "transport";
    case Mechanism::bootstrap: return "bootstrap";
    case Mechanism::signed_http: return "signed-http";
    case Mechanism::credentials: return "credentials";
    case Mechanism::http_body: return "http-body";
    case Mechanism::identity: return "identity";
    case Mechanism::vectors: return "vectors";
  }
  return "handshake";
}

std::string Case::mechanism_name() const {
  if (mechanism == Mechanism::vectors) return "vectors/" + vector_file;
  return std::string(to_string(mechanism));
}

bool Case::applies_to(Profile p) const {
  return profiles.empty() || std::find(profiles.begin(), profiles.end(), p) != profiles.end();
}

const std::string& Case::expected_for(Profile p) const {
  auto it = expected.find(p);
  return it != expected.end() ? it->second : expected_default;
}

}  // namespace pnc::conf
