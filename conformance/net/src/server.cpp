// The HTTP + WebSocket server: an acceptor on its own strand, one strand-bound session object per
// connection (HttpSession, upgraded to WsSession), a small thread pool running the io_context.
// Timeouts: Beast's tcp_stream expiry for HTTP, Beast's websocket timeout option (handshake,
// close, idle) plus our own write watchdog for WebSocket writes.
#include "pnc/net/server.hpp"

#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace pnc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = beast::error_code;

void WsHandler::on_binary(WsConnection& conn, std::string data) {
  (void)data;
  conn.close(1003, "binary frames are not accepted");
}

namespace {

// Something stop() can ask to end: gracefully first, then by force.
class Stoppable {
 public:
  virtual ~Stoppable() = default;
  virtual void shutdown(bool force) = 0;
};

// The live sessions, shared by the server and every session (sessions may outlive a handler
// call on the server, never the io_context, which stop() drains first).
struct Registry {
  std::mutex mu;
  std::condition_variable idle;
  std::unordered_map<std::uint64_t, std::weak_ptr<Stoppable>> live;
  std::uint64_t next_id = 1;
  std::atomic<bool> stopping{false};

  std::uint64_t add(std::weak_ptr<Stoppable> session) {
    std::lock_guard lock(mu);
    const auto id = next_id++;
    live.emplace(id, std::move(session));
    return id;
  }
  void remove(std::uint64_t id) {
    std::lock_guard lock(mu);
    live.erase(id);
    if (live.empty()) idle.notify_all();
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return live.size();
  }
  void shutdown_all(bool force) {
    std::vector<std::shared_ptr<Stoppable>> sessions;
    {
      std::lock_guard lock(mu);
      for (auto& [id, weak] : live) {
        if (auto s = weak.lock()) sessions.push_back(std::move(s));
      }
    }
    for (auto& s : sessions) s->shutdown(force);
  }
  bool wait_idle(Millis timeout) {
    std::unique_lock lock(mu);
    return idle.wait_for(lock, timeout, [this] { return live.empty(); });
  }
};

std::string remote_of(const tcp::socket& socket) {
  error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

template <class Body>
HttpRequest to_request(const http::request<Body>& req, const std::string& remote) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  for (const auto& field : req) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = req.body();
  out.remote = remote;
  return out;
}

// ------------------------------------------------------------------------------- WebSocket

// beast::tcp_stream with a WebSocket teardown that really drains. Beast's own TCP teardown
// (1.81) stops after the first read because it tests the wrong byte count, then closes a socket
// that still holds unread data: the kernel answers with a reset and a peer that is still sending
// (an oversized message) loses the 1009 close frame. This one reads until EOF, bounded by the
// websocket close timeout, which closes the socket when it fires.
class DrainingStream {
 public:
  using executor_type = beast::tcp_stream::executor_type;
  explicit DrainingStream(beast::tcp_stream&& inner) : inner_(std::move(inner)) {}
  executor_type get_executor() noexcept { return inner_.get_executor(); }
  beast::tcp_stream& next_layer() noexcept { return inner_; }
  const beast::tcp_stream& next_layer() const noexcept { return inner_; }
  template <class Buffers, class Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    return inner_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  auto async_write_some(const Buffers& buffers, Handler&& handler) {
    return inner_.async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  beast::tcp_stream inner_;
};

template <class Handler>
struct DrainOp : std::enable_shared_from_this<DrainOp<Handler>> {
  DrainOp(DrainingStream& s, Handler&& h) : stream(s), handler(std::move(h)) {}
  void read() {
    stream.next_layer().socket().async_read_some(
        asio::buffer(scratch), [self = this->shared_from_this()](error_code ec, std::size_t) {
          if (!ec) return self->read();  // discard until EOF, error or the close timeout
          error_code ignored;
          self->stream.next_layer().socket().close(ignored);
          asio::post(self->stream.get_executor(),
                     beast::bind_front_handler(std::move(self->handler), error_code{}));
        });
  }
  DrainingStream& stream;
  Handler handler;
  std::array<char, 4096> scratch{};
};

// Beast finds these by argument-dependent lookup (websocket teardown customization point).
[[maybe_unused]] void teardown(beast::role_type, DrainingStream& s, error_code& ec) {
  s.next_layer().socket().close(ec);
}
template <class Handler>
void async_teardown(beast::role_type role, DrainingStream& s, Handler&& handler) {
  error_code ignored;
  if (role == beast::role_type::server) {
    s.next_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
  std::make_shared<DrainOp<std::decay_t<Handler>>>(s, std::forward<Handler>(handler))->read();
}

class WsSession final : public WsConnection,
                        public Stoppable,
                        public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(beast::tcp_stream&& stream, std::unique_ptr<WsHandler> handler,
            std::shared_ptr<Registry> registry, std::shared_ptr<const ServerOptions> options,
            std::string remote)
      : ws_(std::move(stream)),
        handler_(std::move(handler)),
        registry_(std::move(registry)),
        options_(std::move(options)),
        remote_(std::move(remote)),
        timer_(ws_.get_executor()),
        write_timer_(ws_.get_executor()) {}

  ~WsSession() override {
    if (id_ != 0) registry_->remove(id_);
  }

  void run(http::request<http::string_body> upgrade) {
    id_ = registry_->add(weak_from_this());
    beast::get_lowest_layer(ws_).expires_never();  // Beast's websocket timeouts take over
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options_->ws_close_timeout;
    timeouts.idle_timeout = options_->ws_idle_timeout;
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.read_message_max(options_->ws_max_message);
    ws_.auto_fragment(false);  // one message = one frame (PROTOCOL.md §3.1)
    ws_.async_accept(upgrade, [self = shared_from_this()](error_code ec) { self->on_accept(ec); });
  }

  // WsConnection --------------------------------------------------------------------------
  void send_text(std::string text) override { enqueue(Out{Out::Kind::text, std::move(text), 0}); }
  void send_binary(std::string data) override { enqueue(Out{Out::Kind::binary, std::move(data), 0}); }
  void send_raw(std::string bytes) override { enqueue(Out{Out::Kind::raw, std::move(bytes), 0}); }
  void close(std::uint16_t code, std::string reason) override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this(), code, r = std::move(reason)] {
      if (self->finished_ || self->close_queued_) return;
      self->close_queued_ = true;
      self->sent_close_code_ = code;
      self->open_ = false;
      self->queue_.push_back(Out{Out::Kind::close, r, code});
      self->pump();
    });
  }
  void abort() override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->kill_socket(); });
  }
  void set_read_limit(std::size_t bytes) override {
    asio::dispatch(ws_.get_executor(),
                   [self = shared_from_this(), bytes] { self->ws_.read_message_max(bytes); });
  }
  void set_timer(Millis after) override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this(), after] {
      if (self->finished_) return;
      const auto generation = ++self->timer_generation_;
      self->timer_.expires_after(after);
      self->timer_.async_wait([self, generation](error_code ec) {
        if (ec || generation != self->timer_generation_ || self->finished_) return;
        self->call_handler([&] { self->handler_->on_timer(*self); });
      });
    });
  }
  void cancel_timer() override {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      ++self->timer_generation_;
      self->timer_.cancel();
    });
  }
  bool is_open() const override { return open_; }
  const std::string& remote() const override { return remote_; }

  // Stoppable -----------------------------------------------------------------------------
  void shutdown(bool force) override {
    if (force) {
      abort();
    } else {
      close(1001, "server stopping");
    }
  }

 private:
  struct Out {
    enum class Kind { text, binary, raw, close } kind;  // scoped: `close` would shadow close()
    std::string data;
    std::uint16_t code;
  };

  void on_accept(error_code ec) {
    if (ec) return finish_error(ec);
    accepted_ = true;
    open_ = !close_queued_;
    call_handler([&] { handler_->on_open(*this); });
    if (registry_->stopping) shutdown(false);
    pump();  // anything queued while the 101 was still being written
    do_read();
  }

  void do_read() {
    if (finished_) return;
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(error_code ec) {
    if (finished_) return;
    if (ec) return finish_error(ec);
    std::string data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    const bool text = ws_.got_text();
    if (!close_queued_) {  // after our close frame, inbound data has no one to go to
      call_handler([&] {
        if (text) {
          handler_->on_text(*this, std::move(data));
        } else {
          handler_->on_binary(*this, std::move(data));
        }
      });
    }
    do_read();
  }

  // A handler that throws ends its session with 1011 instead of taking the server down.
  template <class F>
  void call_handler(F&& f) {
    if (finished_) return;
    try {
      f();
    } catch (...) {
      close(1011, "internal error");
    }
  }

  void enqueue(Out out) {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this(), o = std::move(out)]() mutable {
      if (self->finished_ || self->close_queued_) return;
      self->queue_.push_back(std::move(o));
      self->pump();
    });
  }

  void pump() {
    if (writing_ || queue_.empty() || finished_ || !accepted()) return;
    writing_ = true;
    write_timer_.expires_after(options_->write_timeout);
    write_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->kill_socket();  // the peer does not drain our writes
    });
    auto done = [self = shared_from_this()](error_code ec, std::size_t = 0) {
      self->on_written(ec);
    };
    Out& o = queue_.front();
    switch (o.kind) {
      case Out::Kind::text:
      case Out::Kind::binary:
        ws_.text(o.kind == Out::Kind::text);
        ws_.async_write(asio::buffer(o.data), done);
        break;
      case Out::Kind::raw:
        asio::async_write(beast::get_lowest_layer(ws_), asio::buffer(o.data), done);
        break;
      case Out::Kind::close: {
        websocket::close_reason why;
        why.code = o.code;
        const auto reason = std::string_view(o.data).substr(0, 123);  // <= 123 bytes fit
        why.reason.assign(reason.data(), reason.size());
        ws_.async_close(why, [self = shared_from_this()](error_code ec) { self->on_written(ec); });
        break;
      }
    }
  }

  void on_written(error_code ec) {
    write_timer_.cancel();
    writing_ = false;
    if (!queue_.empty()) queue_.pop_front();
    if (ec) {
      kill_socket();  // the pending read reports the end
      return;
    }
    pump();
  }

  bool accepted() const { return accepted_; }

  void kill_socket() {
    error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  void finish_error(error_code ec) {
    Frame why;
    // After our own close frame, Beast ends the pending read with operation_aborted once the
    // close handshake is over: that is a normal close too.
    const bool our_close_done = close_queued_ && ec == asio::error::operation_aborted;
    if (ec == websocket::error::closed || our_close_done) {
      why.kind = FrameKind::close;
      const auto code = static_cast<std::uint16_t>(ws_.reason().code);
      why.close_code = code != 0 ? code : our_close_done ? sent_close_code_ : std::uint16_t{1005};
      why.close_reason.assign(ws_.reason().reason.data(), ws_.reason().reason.size());
    } else {
      why.kind = FrameKind::error;
      why.error = ec.message();
      if (ec == websocket::error::message_too_big) why.close_code = 1009;
    }
    finish(why);
  }

  void finish(const Frame& why) {
    if (finished_) return;
    open_ = false;
    if (handler_) {
      try {
        handler_->on_closed(why);
      } catch (...) {
      }
    }
    finished_ = true;
    queue_.clear();
    ++timer_generation_;
    timer_.cancel();
    write_timer_.cancel();
    kill_socket();
  }

  websocket::stream<DrainingStream> ws_;
  std::unique_ptr<WsHandler> handler_;
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<const ServerOptions> options_;
  std::string remote_;
  asio::steady_timer timer_;
  asio::steady_timer write_timer_;
  beast::flat_buffer buffer_;
  std::deque<Out> queue_;
  std::uint64_t id_ = 0;
  std::uint64_t timer_generation_ = 0;
  std::uint16_t sent_close_code_ = 0;
  bool writing_ = false;
  bool close_queued_ = false;
  bool accepted_ = false;  // the 101 is out: frames may be written
  bool finished_ = false;
  std::atomic<bool> open_{false};
};

// ------------------------------------------------------------------------------------ HTTP

class HttpSession final : public Stoppable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<Registry> registry,
              std::shared_ptr<const ServerOptions> options)
      : stream_(std::move(socket)), registry_(std::move(registry)), options_(std::move(options)) {
    remote_ = remote_of(stream_.socket());
  }
  ~HttpSession() override {
    if (id_ != 0) registry_->remove(id_);
  }

  void run() {
    id_ = registry_->add(weak_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  void shutdown(bool force) override {
    (void)force;  // HTTP has no close handshake: both ways just close
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.socket().close(ignored);
    });
  }

 private:
  void do_read() {
    if (registry_->stopping) return close_socket();
    parser_.emplace();
    parser_->body_limit(options_->http_max_body);
    parser_->header_limit(static_cast<std::uint32_t>(options_->http_max_header));
    stream_.expires_after(first_ ? options_->http_request_timeout : options_->http_idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec == http::error::body_limit) return reply_error(413);
    if (ec == http::error::header_limit) return reply_error(431);
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof || ec == asio::error::bad_descriptor) {
      return close_socket();
    }
    if (ec) return reply_error(400);  // malformed request
    auto request = parser_->release();
    const bool keep_alive = request.keep_alive();

    if (websocket::is_upgrade(request)) {
      HttpRequest info = to_request(request, remote_);
      std::unique_ptr<WsHandler> handler;
      if (options_->ws && !registry_->stopping) {
        try {
          handler = options_->ws(info);
        } catch (...) {
          handler = nullptr;
        }
      }
      if (!handler) return reply(json_response(404, R"({"detail":"Not Found"})"), false);
      stream_.expires_never();
      auto session = std::make_shared<WsSession>(std::move(stream_), std::move(handler),
                                                 registry_, options_, remote_);
      session->run(std::move(request));
      return;
    }

    HttpResponse response;
    if (options_->http) {
      try {
        response = options_->http(to_request(request, remote_));
      } catch (...) {
        response = json_response(500, R"({"detail":"internal error"})");
      }
    } else {
      response = json_response(404, R"({"detail":"Not Found"})");
    }
    reply(std::move(response), keep_alive);
  }

  void reply_error(unsigned status) {
    HttpResponse response;
    response.status = static_cast<int>(status);
    reply(std::move(response), false);
  }

  void reply(HttpResponse response, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
    res->result(static_cast<unsigned>(status));
    res->version(11);
    if (!response.reason.empty()) res->reason(response.reason);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    res->body() = std::move(response.body);
    keep_alive = keep_alive && !registry_->stopping;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    stream_.expires_after(options_->write_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep_alive](error_code ec, std::size_t) {
                        if (ec || !keep_alive) return self->close_socket();
                        self->first_ = false;
                        self->do_read();
                      });
  }

  void close_socket() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<const ServerOptions> options_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  std::uint64_t id_ = 0;
  bool first_ = true;
};

}  // namespace

// ---------------------------------------------------------------------------------- Server

struct Server::Impl {
  std::shared_ptr<const ServerOptions> options;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::strand<asio::io_context::executor_type> accept_strand{asio::make_strand(ioc)};
  tcp::acceptor acceptor{accept_strand};
  asio::steady_timer retry_timer{accept_strand};
  std::shared_ptr<Registry> registry = std::make_shared<Registry>();
  std::vector<std::thread> threads;
  std::string host;
  std::uint16_t port = 0;
  std::mutex stop_mu;
  bool stopped = false;

  explicit Impl(ServerOptions o)
      : options(std::make_shared<const ServerOptions>(std::move(o))),
        ioc(static_cast<int>(std::max(1u, options->threads))) {}

  void do_accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {  // e.g. out of descriptors: back off instead of spinning
        retry_timer.expires_after(std::chrono::milliseconds(50));
        retry_timer.async_wait([this](error_code e) {
          if (!e) do_accept();
        });
        return;
      }
      if (registry->stopping || registry->size() >= options->max_connections) {
        error_code ignored;
        socket.close(ignored);
      } else {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), registry, options)->run();
      }
      do_accept();
    });
  }
};

Server::Server(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(ServerOptions options) {
  auto impl = std::make_shared<Impl>(std::move(options));
  error_code ec;
  const auto address = asio::ip::make_address(impl->options->host, ec);
  if (ec) return make_error(kListenFailed, "listen host must be an IP literal");
  const tcp::endpoint endpoint(address, impl->options->port);
  auto& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(kListenFailed, "cannot listen: " + ec.message());
  impl->host = impl->options->host;
  impl->port = acceptor.local_endpoint(ec).port();
  impl->work.emplace(impl->ioc.get_executor());
  asio::dispatch(impl->accept_strand, [raw = impl.get()] { raw->do_accept(); });
  for (unsigned i = 0; i < std::max(1u, impl->options->threads); ++i) {
    impl->threads.emplace_back([raw = impl.get()] { raw->ioc.run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

const std::string& Server::host() const { return impl_->host; }
std::uint16_t Server::port() const { return impl_->port; }
std::size_t Server::active_connections() const { return impl_->registry->size(); }

void Server::stop(Millis grace) {
  Impl& s = *impl_;
  std::lock_guard lock(s.stop_mu);
  if (s.stopped) return;
  s.stopped = true;
  s.registry->stopping = true;
  // Stop accepting (on the acceptor's strand) and wait until that has happened.
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  asio::dispatch(s.accept_strand, [&] {
    error_code ignored;
    s.acceptor.close(ignored);
    s.retry_timer.cancel();
    std::lock_guard l(mu);
    closed = true;
    cv.notify_all();
  });
  {
    std::unique_lock l(mu);
    cv.wait_for(l, std::chrono::seconds(5), [&] { return closed; });
  }
  s.registry->shutdown_all(false);
  if (!s.registry->wait_idle(grace)) {
    s.registry->shutdown_all(true);
    (void)s.registry->wait_idle(std::chrono::seconds(2));
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.threads) {
    if (t.get_id() == std::this_thread::get_id()) {
      t.detach();  // documented misuse (stop() on a pool thread): don't deadlock
    } else if (t.joinable()) {
      t.join();
    }
  }
  s.threads.clear();
}

}  // namespace pnc::net
