// The endpoints of a campaign: the SUT over pnc_net (moves bytes, bounds every wait) and the
// reference ChallengeApp in process (the oracle); for the shim target a shim process and
// pnc-ref-shim's operations in process (the oracle).
#include <map>

#include "campaign/endpoint.hpp"
#include "challenge_app.hpp"
#include "operations.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/net/ws_client.hpp"

namespace pnc::conf::campaign {

namespace {

class NetEndpoint final : public Endpoint {
 public:
  NetEndpoint(std::function<std::string()> host, std::function<std::uint16_t()> port, Millis timeout,
              std::function<std::string()> exited)
      : host_(std::move(host)), port_(std::move(port)), timeout_(timeout), exited_(std::move(exited)) {}

  int ws_open(std::string& error) override {
    net::WsClientOptions options;
    options.max_message = 64u * 1024u * 1024u;
    auto ws = net::WsClient::connect("ws://" + host_() + ":" + std::to_string(port_()) + "/sdk/ws", timeout_, options);
    if (!ws) {
      error = ws.error().message;
      return -1;
    }
    conns_.push_back(std::move(*ws));
    return static_cast<int>(conns_.size()) - 1;
  }

  bool ws_send(int conn, const std::string& text) override {
    return static_cast<bool>(conns_.at(static_cast<std::size_t>(conn))->send_text(text, timeout_));
  }

  std::vector<WsEvent> ws_collect(int conn, int want) override {
    std::vector<WsEvent> out;
    auto& ws = *conns_.at(static_cast<std::size_t>(conn));
    while (want < 0 || static_cast<int>(out.size()) < want) {
      const net::Frame f = ws.receive(timeout_);
      WsEvent e;
      if (f.kind == net::FrameKind::text) {
        e.kind = WsEvent::Kind::text;
        e.text = f.data;
      } else if (f.kind == net::FrameKind::binary) {
        e.kind = WsEvent::Kind::text;
        e.text = "<binary>";
      } else if (f.kind == net::FrameKind::close) {
        e.kind = WsEvent::Kind::close;
        e.code = f.close_code;
      } else if (f.kind == net::FrameKind::timeout) {
        e.kind = WsEvent::Kind::timeout;
      } else {
        e.kind = WsEvent::Kind::dropped;
      }
      out.push_back(e);
      if (e.kind != WsEvent::Kind::text) break;
    }
    return out;
  }

  void ws_close_all() override { conns_.clear(); }  // destroying a client closes its socket

  HttpAnswer http(const net::HttpRequest& r) override {
    auto a = net::http_request("http://" + host_() + ":" + std::to_string(port_()), r.method, r.target, r.headers, r.body,
                               timeout_);
    HttpAnswer out;
    if (!a) out.error = a.error().message;
    else {
      out.status = a->status;
      out.body = a->body;
    }
    return out;
  }

  std::string exited() override { return exited_ ? exited_() : std::string(); }

 private:
  std::function<std::string()> host_;
  std::function<std::uint16_t()> port_;
  Millis timeout_;
  std::function<std::string()> exited_;
  std::vector<std::unique_ptr<net::WsClient>> conns_;
};

class OracleEndpoint final : public Endpoint {
 public:
  explicit OracleEndpoint(std::unique_ptr<peers::ChallengeApp> app) : app_(std::move(app)) {}

  int ws_open(std::string&) override {
    Conn c;
    c.logic = app_->new_session();
    apply(c, c.logic->on_open());
    conns_.push_back(std::move(c));
    return static_cast<int>(conns_.size()) - 1;
  }

  bool ws_send(int conn, const std::string& text) override {
    Conn& c = conns_.at(static_cast<std::size_t>(conn));
    if (c.closed) return false;
    apply(c, c.logic->on_text(text));
    return true;
  }

  std::vector<WsEvent> ws_collect(int conn, int want) override {
    Conn& c = conns_.at(static_cast<std::size_t>(conn));
    std::vector<WsEvent> out;
    while (!c.pending.empty() && (want < 0 || static_cast<int>(out.size()) < want)) {
      out.push_back(c.pending.front());
      c.pending.erase(c.pending.begin());
    }
    return out;
  }

  void ws_close_all() override { conns_.clear(); }

  HttpAnswer http(const net::HttpRequest& r) override {
    const net::HttpResponse a = app_->http(r);
    return HttpAnswer{a.status, a.body, {}};
  }

 private:
  struct Conn {
    std::unique_ptr<peers::SessionLogic> logic;
    std::vector<WsEvent> pending;
    bool closed = false;
  };
  static void apply(Conn& c, const peers::Actions& a) {
    for (const auto& s : a.send) c.pending.push_back(WsEvent{WsEvent::Kind::text, s, 0});
    if (a.close) {
      c.pending.push_back(WsEvent{WsEvent::Kind::close, {}, a.close->code});
      c.closed = true;
    }
  }
  std::unique_ptr<peers::ChallengeApp> app_;
  std::vector<Conn> conns_;
};

// The shim target has no WebSocket or HTTP side.
class ShimOnly : public Endpoint {
 public:
  int ws_open(std::string& error) override {
    error = "a shim has no WebSocket";
    return -1;
  }
  bool ws_send(int, const std::string&) override { return false; }
  std::vector<WsEvent> ws_collect(int, int) override { return {}; }
  void ws_close_all() override {}
  HttpAnswer http(const net::HttpRequest&) override { return HttpAnswer{0, {}, "a shim has no HTTP side"}; }
};

class ShimEndpoint final : public ShimOnly {
 public:
  explicit ShimEndpoint(ShimSession& shim) : shim_(shim) {}
  Result<ShimAnswer> shim_call(const std::string& op, const json::Json& args, Profile profile) override {
    return shim_.call(op, args, profile);
  }

 private:
  ShimSession& shim_;
};

class ShimOracle final : public ShimOnly {
 public:
  Result<ShimAnswer> shim_call(const std::string& op, const json::Json& args, Profile profile) override {
    return parse_shim_answer(shim::answer(json::dump(shim_request(1, op, args, profile))), 1);
  }
};

}  // namespace

std::unique_ptr<Endpoint> make_shim_endpoint(ShimSession& shim) { return std::make_unique<ShimEndpoint>(shim); }
std::unique_ptr<Endpoint> make_shim_oracle() { return std::make_unique<ShimOracle>(); }

std::unique_ptr<Endpoint> make_net_endpoint(std::function<std::string()> host, std::function<std::uint16_t()> port,
                                            Millis timeout, std::function<std::string()> exited) {
  return std::make_unique<NetEndpoint>(std::move(host), std::move(port), timeout, std::move(exited));
}

Result<std::unique_ptr<Endpoint>> make_oracle_endpoint(Profile profile, const SutDescription& sut) {
  peers::ChallengeConfig c;
  c.profile = profile;
  c.env_mode = sut.env_mode;
  c.tdx = sut.signed_mock ? "signed-mock" : "mock";
  c.admin = sut.admin;
  c.sdk_dev_mode = sut.sdk_dev_mode;
  const auto b64pub = [](const Bytes& seed) { return codec::b64_encode(crypto::ed25519_from_seed(seed).pub); };
  if (sut.signer) c.sessions.push_back(sut.signer->session_token + ":" + b64pub(sut.signer->seed));
  if (sut.proxy_signer) {
    c.trusted_proxy_keys.push_back(b64pub(sut.proxy_signer->seed));
    c.proxy_session = sut.proxy_signer->session_token;
  }
  if (sut.sealed_key_seed) c.receiver_key_b64 = codec::b64_encode(*sut.sealed_key_seed);
  if (sut.token_issuer) {
    c.miner_token_issuer_pk = b64pub(sut.token_issuer->seed);
    c.miner_token_iss = sut.token_issuer->issuer;
    c.challenge_id = sut.token_issuer->audience;
  }
  if (sut.handshake_deadline_ms) c.handshake_deadline_ms = *sut.handshake_deadline_ms;
  auto app = peers::ChallengeApp::create(std::move(c));
  if (!app) return app.error();
  return std::unique_ptr<Endpoint>(std::make_unique<OracleEndpoint>(std::move(*app)));
}

}  // namespace pnc::conf::campaign
