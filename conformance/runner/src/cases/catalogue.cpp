#include "cases/catalogue.hpp"

namespace pnc::conf {

Result<std::vector<Case>> cases_for(Target target, const std::string& vectors_dir) {
  switch (target) {
    case Target::challenge: return challenge_cases();
    case Target::validator: return validator_cases();
    case Target::shim: return shim_cases(vectors_dir);
  }
  return std::vector<Case>{};
}

}  // namespace pnc::conf
