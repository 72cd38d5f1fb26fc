#include "mini_challenge.hpp"

#include <mutex>
#include <optional>

#include "pnc/clock.hpp"
#include "pnc/crypto.hpp"
#include "pnc/handshake.hpp"
#include "pnc/router.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::load::test {

struct MiniChallenge::State {
  Profile profile = Profile::seed_spec;
  SystemClock clock;
  signed_http::SessionTable sessions;
  std::optional<signed_http::Verifier> verifier;
};

namespace {

class Session final : public net::WsHandler {
 public:
  explicit Session(Profile profile) : profile_(profile) {
    handshake::ServerConfig sc;
    sc.profile = profile;
    sc.mode = AttestationMode::mock;
    sc.env_mode = "dev";
    server_.emplace(sc, rng_, quotes_);
  }

  void on_text(net::WsConnection& conn, std::string text) override {
    if (!channel_) {
      handshake::Step step = server_->on_text(text);
      for (auto& f : step.send) conn.send_text(std::move(f));
      if (step.close) conn.close(step.close->code, step.close->reason);
      if (step.established) channel_ = server_->take_session();
      return;
    }
    auto in = channel_->receive_text(text);
    if (in.action == envelope::Outcome::Action::close) {
      conn.close(in.close->code, in.close->reason);
      return;
    }
    if (!in.delivered() || in.opened.message.value("type", "") != "db_version_request") return;
    auto reply = router::Router::reply_to(
        in.opened.message, json::Json{{"type", "db_version_response"}, {"payload", {{"db_version", 1}}}});
    if (auto sealed = channel_->seal_json(reply, rng_)) conn.send_text(std::move(*sealed));
  }

 private:
  Profile profile_;
  SystemRng rng_;
  tdx::MockQuoteProvider quotes_;
  std::optional<handshake::ServerHandshake> server_;
  std::optional<envelope::Channel> channel_;
};

}  // namespace

std::unique_ptr<MiniChallenge> MiniChallenge::start(Profile profile, const Bytes& signer_seed,
                                                    const std::string& token) {
  std::unique_ptr<MiniChallenge> mc(new MiniChallenge());
  mc->state_ = std::make_shared<State>();
  auto state = mc->state_;
  state->profile = profile;
  const auto pub = crypto::ed25519_from_seed(signer_seed).pub;
  const std::int64_t now = state->clock.now();
  if (!state->sessions.add(token, signed_http::Session{Bytes(pub.begin(), pub.end()), std::nullopt, now + 3600}, now))
    return nullptr;
  signed_http::VerifierOptions vo;
  vo.profile = profile;
  state->verifier.emplace(state->sessions, state->clock, vo);

  net::ServerOptions so;
  so.host = "127.0.0.1";
  so.port = 0;
  so.threads = 2;
  so.ws = [profile](const net::HttpRequest& upgrade) -> std::unique_ptr<net::WsHandler> {
    if (upgrade.path() != "/sdk/ws") return nullptr;
    return std::make_unique<Session>(profile);
  };
  so.http = [state](const net::HttpRequest& req) {
    if (req.method != "POST" || req.path() != "/sdk/weights") return net::json_response(404, R"({"detail":"Not Found"})");
    signed_http::HttpRequest sreq;
    sreq.method = req.method;
    sreq.target = req.target;
    sreq.headers.assign(req.headers.begin(), req.headers.end());
    sreq.body = to_bytes(req.body);
    auto v = state->verifier->verify(sreq);
    if (!v.ok()) return net::json_response(v.status, R"({"error":")" + v.reason + R"("})");
    return net::json_response(200, R"({"weights":{}})");
  };
  auto server = net::Server::start(std::move(so));
  if (!server) return nullptr;
  mc->server_ = std::move(*server);
  return mc;
}

MiniChallenge::~MiniChallenge() {
  if (server_) server_->stop();
}

std::string MiniChallenge::ws_url() const { return "ws://127.0.0.1:" + std::to_string(server_->port()) + "/sdk/ws"; }
std::string MiniChallenge::http_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

}  // namespace pnc::load::test
