#include "cases/validator_session.hpp"

#include <stdexcept>

namespace pnc::conf {

ValidatorSession& validator_of(Context& ctx) {
  auto* s = dynamic_cast<ValidatorSession*>(ctx.session);
  if (s == nullptr) throw std::logic_error("a validator case ran without a validator session");
  return *s;
}

Result<std::unique_ptr<ValidatorSession>> ValidatorSession::listen(SutDescription sut, std::uint16_t port, Millis accept_timeout) {
  auto queue = std::make_shared<net::WsAcceptQueue>([](const net::HttpRequest& r) { return r.path() == "/sdk/ws"; });
  net::ServerOptions options;
  options.port = port;
  options.ws = queue->factory();
  options.ws_max_message = 64u * 1024u * 1024u;
  auto server = net::Server::start(options);
  if (!server) return server.error();
  return std::make_unique<ValidatorSession>(std::move(sut), std::move(*server), queue, accept_timeout);
}

Result<std::shared_ptr<net::ServerWsPeer>> ValidatorSession::next_connection() {
  // The SUT instance of an earlier case goes first, then every connection it (or a
  // reconnecting external SUT) left in the queue: until the queue stays empty for a moment.
  if (release_sut) release_sut();
  while (auto stale = queue_->accept(Millis(connect_sut ? 30 : 0))) stale->abort();
  if (connect_sut) {
    if (std::string problem = connect_sut(); !problem.empty()) return make_error("validator.start", problem);
  }
  auto peer = queue_->accept(accept_timeout_);
  if (!peer) return make_error("validator.no_connection", "the validator SUT did not connect to " + ws_url() + " within " +
                                                              std::to_string(accept_timeout_.count()) + " ms");
  return peer;
}

void ValidatorSession::stop() {
  if (release_sut) release_sut();
  // The callbacks refer to the target's managed SUT; none may run after stop().
  release_sut = nullptr;
  connect_sut = nullptr;
  ensure_running = nullptr;
  if (server_) server_->stop(Millis(500));
}

}  // namespace pnc::conf
