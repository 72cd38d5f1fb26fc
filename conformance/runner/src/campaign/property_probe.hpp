// What every property's case talks to (a shim's operations, or live sessions with a challenge):
// the calls of the case are recorded, so that those of the last failing (= the shrunk) case become
// the finding's reproducer, and a property that was never judged says why (SKIPPED: the SUT does
// not implement an operation it needs; BLOCKED: a precondition of its subject failed).
#pragma once

#include <string>
#include <vector>

#include "pnc/json.hpp"

namespace pnc::conf::campaign {

// One call (a shim operation, or a frame sent in a live session) as both sides answered it,
// in normal form.
struct PropertyCall {
  std::string op;
  json::Json args;
  std::string sut;
  std::string reference;
};

class PropertyProbe {
 public:
  virtual ~PropertyProbe() = default;
  void begin_case() { calls_.clear(); }
  // Fails the case with `why` (after keeping the calls made so far).
  [[noreturn]] void fail(const std::string& why);

  const std::vector<PropertyCall>& failing_calls() const { return failing_; }
  const std::string& failing_why() const { return failing_why_; }
  const std::string& skipped() const { return skipped_; }
  const std::string& blocked() const { return blocked_; }

 protected:
  void record(PropertyCall call) { calls_.push_back(std::move(call)); }
  // Ends the case unjudged: the property is reported SKIPPED / BLOCKED with `why`.
  [[noreturn]] void skip(const std::string& why);
  [[noreturn]] void block(const std::string& why);

 private:
  std::vector<PropertyCall> calls_;
  std::vector<PropertyCall> failing_;
  std::string failing_why_;
  std::string skipped_;
  std::string blocked_;
};

}  // namespace pnc::conf::campaign
