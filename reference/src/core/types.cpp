#include "pnc/types.hpp"

namespace pnc {

std::string_view to_string(Profile p) {
  switch (p) {
    case Profile::seed_spec: return "seed-spec";
    case Profile::sdk_compat: return "sdk-compat";
    case Profile::hardened: return "hardened";
  }
  return "unknown";
}

std::optional<Profile> parse_profile(std::string_view name) {
  if (name == "seed-spec") return Profile::seed_spec;
  if (name == "sdk-compat") return Profile::sdk_compat;
  if (name == "hardened") return Profile::hardened;
  return std::nullopt;
}

}  // namespace pnc
