// gtest main of every property binary. It fixes the suite's default RapidCheck parameters
// before RapidCheck reads RC_PARAMS (lazily, at the first property): the defaults come from
// PNC_RC_DEFAULTS (set per binary by the ctest registration), then the user's RC_PARAMS is
// appended so that every key the user gives wins (RapidCheck keeps the last value of a key).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* defaults = std::getenv("PNC_RC_DEFAULTS");
  std::string params = defaults != nullptr ? defaults : "max_success=100";
  if (const char* user = std::getenv("RC_PARAMS"); user != nullptr) {
    params += ' ';
    params += user;
  }
  ::setenv("RC_PARAMS", params.c_str(), 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
