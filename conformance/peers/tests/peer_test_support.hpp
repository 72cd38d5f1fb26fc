// Shared helpers of the peer tests: start a peer subprocess on 127.0.0.1:0, run the reference
// client handshake over pnc_net, send signed requests. Each test stops what it starts (the
// PeerProcess destructor kills a child left running when an assertion fails).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"
#include "pnc/net/net.hpp"
#include "pnc/peers/peer_process.hpp"
#include "pnc/rng.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::peers::test {

using Json = nlohmann::json;
using Millis = std::chrono::milliseconds;
inline constexpr Millis kWait{10000};

inline std::unique_ptr<PeerProcess> start_peer(const char* exe, std::vector<std::string> args,
                                               std::vector<std::pair<std::string, std::string>> env = {}) {
  args.insert(args.begin(), {"--listen", "127.0.0.1:0"});
  auto p = PeerProcess::start(exe, args, kWait, env);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? std::move(p.value()) : nullptr;
}

inline std::unique_ptr<PeerProcess> start_challenge(std::vector<std::string> args = {}) {
  return start_peer(PNC_REF_CHALLENGE, std::move(args));
}
inline std::unique_ptr<PeerProcess> start_validator(std::vector<std::string> args = {}) {
  return start_peer(PNC_REF_VALIDATOR, std::move(args));
}

// A connected, attested client session (reference ClientHandshake, mock quotes, env "dev").
struct ClientSession {
  std::unique_ptr<net::WsClient> ws;
  std::optional<envelope::Channel> channel;
  std::string response_frame;  // the server's attestation_response
};

inline Result<ClientSession> attest(const PeerProcess& peer, Profile profile = Profile::seed_spec,
                                    std::string env = "dev") {
  static SystemRng rng;
  ClientSession s;
  auto ws = net::WsClient::connect(peer.ws_url("/sdk/ws"), kWait);
  if (!ws) return ws.error();
  s.ws = std::move(*ws);
  handshake::ClientConfig cc;
  cc.profile = profile;
  cc.mode = AttestationMode::mock;
  cc.env_mode = env;
  tdx::MockParams params;
  params.env_mode = env;
  tdx::MockQuoteProvider quotes(params);
  handshake::ClientHandshake hs(cc, rng, &quotes);
  auto begin = hs.start();
  for (auto& f : begin.send) {
    if (auto st = s.ws->send_text(f, kWait); !st) return st.error();
  }
  while (hs.state() == handshake::ClientState::sent_begin) {
    net::Frame f = s.ws->receive(kWait);
    if (f.kind != net::FrameKind::text) {
      return make_error("test.handshake", "unexpected frame kind " +
                                              std::to_string(static_cast<int>(f.kind)) + " code " +
                                              std::to_string(f.close_code) + " " + f.close_reason);
    }
    s.response_frame = f.data;
    auto step = hs.on_text(f.data);
    for (auto& out : step.send) (void)s.ws->send_text(out, kWait);
    if (step.error) return make_error(step.error->code, step.cause ? step.cause->code : "");
  }
  s.channel = hs.take_session();
  if (!s.channel) return make_error("test.handshake", "no session");
  return s;
}

// Seal + send one inner message.
inline Status send_inner(ClientSession& s, const Json& msg) {
  static SystemRng rng;
  auto sealed = s.channel->seal_json(msg, rng);
  if (!sealed) return sealed.error();
  return s.ws->send_text(*sealed, kWait);
}

// Receive + open one inner message (nullopt on close/timeout; `last` keeps the frame).
inline std::optional<Json> receive_inner(ClientSession& s, Millis timeout = kWait,
                                         net::Frame* last = nullptr) {
  net::Frame f = s.ws->receive(timeout);
  if (last) *last = f;
  if (f.kind != net::FrameKind::text) return std::nullopt;
  auto out = s.channel->receive_text(f.data);
  if (!out.delivered()) return std::nullopt;
  return out.opened.message;
}

// A signing identity for /sdk/weights etc.: Ed25519 seed, its public key, and the
// --session argument that provisions it.
struct Signer {
  Bytes seed;
  crypto::PublicKey pk{};
  std::string token = "tok-1";
  std::string session_arg() const { return token + ":" + codec::b64_encode(pk); }
};
inline Signer make_signer(std::uint8_t fill = 7) {
  Signer s;
  s.seed.assign(32, fill);
  auto kp = crypto::ed25519_from_seed(s.seed);
  s.pk = kp.pub;
  return s;
}

inline Result<net::HttpResponse> send_signed(const PeerProcess& peer, const Signer& who,
                                             const std::string& target, const std::string& payload,
                                             const Clock& clock, const net::Headers& extra = {}) {
  static SystemRng rng;
  signed_http::Signer signer(who.seed, who.token, std::nullopt, clock, rng);
  auto req = signer.sign("POST", target, payload);
  if (!req) return req.error();
  net::Headers headers = req->headers;
  headers.insert(headers.end(), extra.begin(), extra.end());
  return net::http_request(peer.http_url(), req->method, req->target, headers,
                           to_string(req->body), kWait);
}

}  // namespace pnc::peers::test
