// Opening the validator target: the runner's loopback challenge (pnc_net Server + accept queue
// on /sdk/ws), and either a SUT command template started afresh for every case (placeholders
// {url}, {ws_url}, {http_port}, {profile}, {env_mode}, {deadline_ms}) or an external SUT that
// connects by itself (--listen-port). The SUT's HTTP base comes from "listening on" (managed),
// --bootstrap-url or the SUT description.
#include <filesystem>

#include "app/managed_sut.hpp"
#include "app/target_setup.hpp"
#include "cases/validator_session.hpp"
#include "pnc/codec.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf {

namespace {

class ValidatorTarget final : public OpenTarget {
 public:
  ValidatorTarget(std::unique_ptr<ValidatorSession> session, std::unique_ptr<ManagedSut> managed)
      : managed_(std::move(managed)), session_(std::move(session)) {}
  ~ValidatorTarget() override { close(); }
  TargetSession* session() override { return session_.get(); }
  const SutDescription& sut() const override { return session_->sut(); }
  std::string describe() const override {
    return "validator, runner challenge at " + session_->ws_url() + (managed_ ? " (SUT started by the runner: " + managed_->executable() + ")" : "");
  }
  std::string sut_identity() const override { return managed_ ? managed_->executable() : "external validator"; }
  void close() override {
    session_->stop();
    if (managed_) managed_->stop();
  }

 private:
  // The session's callbacks point into the managed SUT: it must be destroyed first.
  std::unique_ptr<ManagedSut> managed_;
  std::unique_ptr<ValidatorSession> session_;
};

}  // namespace

Result<std::unique_ptr<OpenTarget>> open_validator_target(const RunSettings& settings, const SutDescription& given) {
  SutDescription sut = given;
  if (!settings.bootstrap_url.empty()) sut.bootstrap_url = settings.bootstrap_url;
  const Millis startup(settings.startup_timeout_ms);
  if (settings.cmd.find("{deadline_ms}") != std::string::npos) sut.handshake_deadline_ms = settings.deadline_ms;
  // A started SUT is told the compose hash the runner's quotes carry (N-HS-27 then has a subject).
  if (!sut.compose_hash && settings.cmd.find("{compose_hash}") != std::string::npos) {
    SystemRng rng;
    sut.compose_hash = codec::hex_encode(rng.bytes(32));
  }
  auto listening = ValidatorSession::listen(sut, static_cast<std::uint16_t>(settings.listen_port), startup);
  if (!listening) return make_error("setup.listen", "cannot listen for the validator SUT: " + listening.error().message);
  auto session = std::move(*listening);
  std::unique_ptr<ManagedSut> managed;
  if (!settings.cmd.empty()) {
    std::map<std::string, std::string> vars = {
        {"url", session->base_url()},       {"ws_url", session->ws_url()},
        {"profile", std::string(to_string(settings.profile))}, {"env_mode", sut.env_mode},
        {"deadline_ms", std::to_string(sut.handshake_deadline_ms.value_or(settings.deadline_ms))},
        {"compose_hash", sut.compose_hash.value_or("")}};
    const std::string log = settings.report_dir.empty() ? "" : (std::filesystem::path(settings.report_dir) / "sut.log").string();
    managed = std::make_unique<ManagedSut>(settings.cmd, vars, log, startup, "http_port");
    ManagedSut* m = managed.get();
    ValidatorSession* s = session.get();
    const bool learn_http = !sut.bootstrap_url.has_value();
    session->connect_sut = [m, s, learn_http]() -> std::string {
      if (auto st = m->start(true); !st) return "cannot start the validator SUT: " + st.error().message;
      if (learn_http) s->mutable_sut().bootstrap_url = "http://" + m->host() + ":" + std::to_string(m->port());
      return {};
    };
    session->release_sut = [m]() { m->stop(); };
    session->ensure_running = [m, s]() -> std::string { return m->running() ? std::string() : s->connect_sut(); };
    // The bootstrap address is known once the SUT has started once.
    if (auto problem = session->connect_sut(); !problem.empty()) {
      session->stop();  // its callbacks point into `managed`, which is destroyed first on return
      return make_error("setup.sut", problem);
    }
    m->stop();
    session->mutable_sut().name = sut_report_name(session->sut(), m->executable());
  } else if (!sut.bootstrap_url && settings.listen_port == 0) {
    return make_error("setup.usage", "--target validator needs --cmd 'TEMPLATE' or --listen 127.0.0.1:PORT for an external SUT");
  }
  return std::unique_ptr<OpenTarget>(std::make_unique<ValidatorTarget>(std::move(session), std::move(managed)));
}

}  // namespace pnc::conf
