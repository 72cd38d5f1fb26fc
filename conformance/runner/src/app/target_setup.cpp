#include "app/target_setup.hpp"

#include <filesystem>

#include "cases/shim_session.hpp"

namespace pnc::conf {

namespace {

std::string log_path(const RunSettings& s, const char* name) {
  if (s.report_dir.empty()) return {};
  return (std::filesystem::path(s.report_dir) / name).string();
}

class ShimTarget final : public OpenTarget {
 public:
  ShimTarget(const RunSettings& s, SutDescription sut)
      : shim_(s.cmd, log_path(s, "shim.log"), Millis(s.timeout_ms), Millis(s.startup_timeout_ms)), sut_(std::move(sut)), cmd_(s.cmd) {}
  Status start() { return shim_.start(); }
  TargetSession* session() override { return &shim_; }
  const SutDescription& sut() const override { return sut_; }
  std::string describe() const override { return "shim " + executable_name(cmd_); }
  std::string sut_identity() const override { return shim_.identity(); }
  void close() override { shim_.stop(); }

 private:
  ShimSession shim_;
  SutDescription sut_;
  std::string cmd_;
};

}  // namespace

Result<std::unique_ptr<OpenTarget>> open_challenge_target(const RunSettings& settings, const SutDescription& sut);
Result<std::unique_ptr<OpenTarget>> open_validator_target(const RunSettings& settings, const SutDescription& sut);

Result<std::unique_ptr<OpenTarget>> open_target(const RunSettings& settings, const SutDescription& sut) {
  switch (settings.target) {
    case Target::shim: {
      if (settings.cmd.empty()) return make_error("setup.usage", "--target shim needs --cmd 'SHIM COMMAND'");
      auto t = std::make_unique<ShimTarget>(settings, sut);
      if (auto s = t->start(); !s) return make_error("setup.shim", "cannot start the shim: " + s.error().message);
      return std::unique_ptr<OpenTarget>(std::move(t));
    }
    case Target::challenge: return open_challenge_target(settings, sut);
    case Target::validator: return open_validator_target(settings, sut);
  }
  return make_error("setup.usage", "unknown target");
}

}  // namespace pnc::conf
