// The runner's side of the shim protocol (conformance/shim/README.md): starts the shim command,
// greets it, sends one request at a time and classifies each answer. A shim that times out,
// exits or answers garbage is restarted before the next call, so one bad answer costs one case.
#pragma once

#include <string>
#include <string_view>

#include "core/case.hpp"
#include "pnc/child_process.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

struct ShimAnswer {
  enum class Kind { ok, error, unimplemented };
  Kind kind = Kind::error;
  json::Json result;  // ok
  std::string error;  // error: the shim's reason
};

// The protocol's two halves without the process: request `id` as a JSON object, and the
// answer line to request `id` classified (errors: shim.garbage). The in-process oracle of shim
// campaigns uses them too.
json::Json shim_request(int id, const std::string& op, const json::Json& args, Profile profile);
Result<ShimAnswer> parse_shim_answer(std::string_view line, int id);

class ShimSession final : public TargetSession {
 public:
  // `log_path`: the shim's stderr; empty = /dev/null.
  // `timeout` bounds every answer; `startup` bounds the first one (hello), which includes
  // starting an interpreter or runtime.
  ShimSession(std::string command, std::string log_path, Millis timeout, Millis startup = Millis(10000));
  ~ShimSession() override;

  // Starts the shim and exchanges hello; the error says why the shim is unusable.
  Status start();
  // One operation. An Error means the shim misbehaved (timeout, exit, garbage): a FAIL.
  Result<ShimAnswer> call(const std::string& op, const json::Json& args, Profile profile);
  // The same, but only on a running shim (clean-up calls that must not restart one).
  Result<ShimAnswer> call_if_healthy(const std::string& op, const json::Json& args, Profile profile);
  void stop();

  const std::string& identity() const { return identity_; }  // "name version" from hello
  int restarts() const { return restarts_; }

 private:
  Result<ShimAnswer> exchange(const std::string& op, const json::Json& args, Profile profile, Millis timeout);
  std::string command_;
  std::string log_path_;
  Millis timeout_;
  Millis startup_;
  ChildProcess child_;
  bool healthy_ = false;
  int next_id_ = 1;
  int restarts_ = 0;
  std::string identity_;
};

}  // namespace pnc::conf
