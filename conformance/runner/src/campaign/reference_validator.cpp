#include "campaign/reference_validator.hpp"

#include <thread>

#include "validator_app.hpp"

namespace pnc::conf::campaign {

namespace {

// One client run at a time; joined before the next starts and when the session stops.
struct ClientThread {
  std::unique_ptr<peers::ValidatorApp> app;
  peers::ClientRun run;
  std::thread thread;
  void join() {
    if (thread.joinable()) thread.join();
  }
  ~ClientThread() { join(); }
};

}  // namespace

Result<std::unique_ptr<ValidatorSession>> open_reference_validator(Profile profile, const SutDescription& sut, Millis timeout) {
  peers::ValidatorConfig c;
  c.profile = profile;
  c.env_mode = sut.env_mode;
  c.tdx = sut.signed_mock ? "signed-mock" : "mock";
  if (sut.handshake_deadline_ms) c.handshake_deadline_ms = *sut.handshake_deadline_ms;
  c.expected_compose_hash = sut.compose_hash;
  auto app = peers::ValidatorApp::create(std::move(c));
  if (!app) return app.error();

  auto listening = ValidatorSession::listen(sut, 0, timeout);
  if (!listening) return make_error("setup.listen", "cannot listen for the reference validator: " + listening.error().message);
  auto session = std::move(*listening);

  auto client = std::make_shared<ClientThread>();
  client->app = std::move(*app);
  client->run.url = session->ws_url();
  client->run.connect_timeout_ms = timeout.count();
  // Long enough that a dropped frame is seen as silence, bounded as every wait is.
  client->run.reply_timeout_ms = 20 * timeout.count();
  client->run.no_deadline_wait_ms = 20 * timeout.count();
  session->connect_sut = [client]() -> std::string {
    client->join();
    client->thread = std::thread([client] { (void)peers::run_client(*client->app, client->run, [](const std::string&) {}); });
    return {};
  };
  session->release_sut = [client]() { client->join(); };
  return session;
}

}  // namespace pnc::conf::campaign
