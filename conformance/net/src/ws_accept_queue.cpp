// Blocking, queue-based view of server-side WebSocket connections (see ws_accept_queue.hpp).
#include "pnc/net/ws_accept_queue.hpp"

#include <chrono>

namespace pnc::net {

struct ServerWsPeer::State {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Frame> inbox;
  WsConnection* conn = nullptr;  // valid from on_open until on_closed (guarded by mu)
  bool ended = false;
};

namespace {

class QueueHandler final : public WsHandler {
 public:
  QueueHandler(std::shared_ptr<ServerWsPeer::State> state, std::shared_ptr<ServerWsPeer> peer,
               std::function<void(std::shared_ptr<ServerWsPeer>)> announce)
      : state_(std::move(state)), peer_(std::move(peer)), announce_(std::move(announce)) {}

  void on_open(WsConnection& conn) override {
    {
      std::lock_guard lock(state_->mu);
      state_->conn = &conn;
    }
    announce_(std::move(peer_));
  }
  void on_text(WsConnection&, std::string text) override {
    push(Frame{FrameKind::text, std::move(text), 0, {}, {}});
  }
  void on_binary(WsConnection&, std::string data) override {
    push(Frame{FrameKind::binary, std::move(data), 0, {}, {}});
  }
  void on_closed(const Frame& why) override {
    std::lock_guard lock(state_->mu);
    state_->conn = nullptr;
    state_->ended = true;
    state_->inbox.push_back(why);
    state_->cv.notify_all();
  }

 private:
  void push(Frame frame) {
    std::lock_guard lock(state_->mu);
    state_->inbox.push_back(std::move(frame));
    state_->cv.notify_all();
  }

  std::shared_ptr<ServerWsPeer::State> state_;
  std::shared_ptr<ServerWsPeer> peer_;
  std::function<void(std::shared_ptr<ServerWsPeer>)> announce_;
};

}  // namespace

ServerWsPeer::ServerWsPeer(std::shared_ptr<State> state, HttpRequest upgrade)
    : state_(std::move(state)), upgrade_(std::move(upgrade)) {}

Frame ServerWsPeer::receive(Millis timeout) {
  std::unique_lock lock(state_->mu);
  if (!state_->cv.wait_for(lock, timeout, [&] { return !state_->inbox.empty(); })) {
    Frame f;
    f.kind = state_->ended ? FrameKind::error : FrameKind::timeout;
    if (state_->ended) f.error = "connection closed";
    return f;
  }
  Frame f = std::move(state_->inbox.front());
  state_->inbox.pop_front();
  return f;
}

#define PNC_WITH_CONN(call)                  \
  do {                                       \
    std::lock_guard lock(state_->mu);        \
    if (state_->conn) state_->conn->call;    \
  } while (false)

void ServerWsPeer::send_text(std::string text) { PNC_WITH_CONN(send_text(std::move(text))); }
void ServerWsPeer::send_binary(std::string data) { PNC_WITH_CONN(send_binary(std::move(data))); }
void ServerWsPeer::send_raw(std::string bytes) { PNC_WITH_CONN(send_raw(std::move(bytes))); }
void ServerWsPeer::close(std::uint16_t code, std::string reason) {
  PNC_WITH_CONN(close(code, std::move(reason)));
}
void ServerWsPeer::abort() { PNC_WITH_CONN(abort()); }
void ServerWsPeer::set_read_limit(std::size_t bytes) { PNC_WITH_CONN(set_read_limit(bytes)); }

#undef PNC_WITH_CONN

bool ServerWsPeer::is_open() const {
  std::lock_guard lock(state_->mu);
  return state_->conn != nullptr && state_->conn->is_open();
}

WsAcceptQueue::WsAcceptQueue(std::function<bool(const HttpRequest&)> accept_if)
    : accept_if_(std::move(accept_if)) {}

WsHandlerFactory WsAcceptQueue::factory() {
  return [accept_if = accept_if_, shared = shared_](const HttpRequest& upgrade)
             -> std::unique_ptr<WsHandler> {
    if (accept_if && !accept_if(upgrade)) return nullptr;
    auto state = std::make_shared<ServerWsPeer::State>();
    auto peer = std::make_shared<ServerWsPeer>(state, upgrade);
    return std::make_unique<QueueHandler>(state, std::move(peer),
                                          [shared](std::shared_ptr<ServerWsPeer> p) {
                                            std::lock_guard lock(shared->mu);
                                            shared->ready.push_back(std::move(p));
                                            shared->cv.notify_all();
                                          });
  };
}

std::shared_ptr<ServerWsPeer> WsAcceptQueue::accept(Millis timeout) {
  std::unique_lock lock(shared_->mu);
  if (!shared_->cv.wait_for(lock, timeout, [&] { return !shared_->ready.empty(); })) {
    return nullptr;
  }
  auto peer = std::move(shared_->ready.front());
  shared_->ready.pop_front();
  return peer;
}

}  // namespace pnc::net
