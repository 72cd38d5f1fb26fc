#include "campaign/property_probe.hpp"

#include <rapidcheck.h>

namespace pnc::conf::campaign {

void PropertyProbe::fail(const std::string& why) {
  failing_ = calls_;
  failing_why_ = why;
  RC_FAIL(why);
}

void PropertyProbe::skip(const std::string& why) {
  skipped_ = why;
  RC_SUCCEED("skipped");
}

void PropertyProbe::block(const std::string& why) {
  blocked_ = why;
  RC_SUCCEED("blocked");
}

}  // namespace pnc::conf::campaign
