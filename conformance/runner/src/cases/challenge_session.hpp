// Target "challenge": the SUT is a server at a base address; the runner plays validator /
// platform-api. ChallengeSession is what drivers use: addresses, the SUT description, a CSPRNG,
// and helpers for one connection (connect, scripted handshake, liveness probe).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cases/client_script.hpp"
#include "cases/ws_expect.hpp"
#include "core/case.hpp"
#include "pnc/net/http_client.hpp"
#include "pnc/net/ws_client.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf {

class ChallengeSession final : public TargetSession {
 public:
  ChallengeSession(std::string host, std::uint16_t port, SutDescription sut)
      : host_(std::move(host)), port_(port), sut_(std::move(sut)) {}

  // Cases run concurrently (run -j): the address may change under them (a restarted SUT), so
  // it is read and written under a lock. The SUT description is read-only during a run.
  std::string ws_url() const { return "ws://" + host() + ":" + std::to_string(port()) + "/sdk/ws"; }
  std::string http_base() const { return "http://" + host() + ":" + std::to_string(port()); }
  std::string host() const {
    std::lock_guard lock(address_mutex_);
    return host_;
  }
  std::uint16_t port() const {
    std::lock_guard lock(address_mutex_);
    return port_;
  }
  const SutDescription& sut() const { return sut_; }
  SutDescription& mutable_sut() { return sut_; }
  void set_address(std::string host, std::uint16_t port) {
    std::lock_guard lock(address_mutex_);
    host_ = std::move(host);
    port_ = port;
  }
  Rng& rng() { return rng_; }  // SystemRng: safe from every worker

 private:
  mutable std::mutex address_mutex_;
  std::string host_;
  std::uint16_t port_;
  SutDescription sut_;
  SystemRng rng_;
};

// One connection driven by a case.
struct Conn {
  std::unique_ptr<net::WsClient> ws;
  std::unique_ptr<ClientScript> script;
  std::optional<envelope::Channel> channel;  // after a completed handshake
  int probes = 0;
};

ChallengeSession& challenge_of(Context& ctx);

// Connects to /sdk/ws (the error is the case's observation).
Result<Conn> connect(Context& ctx);
// Connect + a valid attestation_begin + the SUT's attestation_response, accepted by the script.
Result<Conn> answered(Context& ctx);
// answered() + attestation_ok: a working session.
Result<Conn> establish(Context& ctx);
// Sends a sealed db_version_request and waits for the matching db_version_response. Returns
// an empty string when the SUT answered, else what happened instead.
std::string probe(Context& ctx, Conn& conn);
// Sends one text frame; an error text when the send itself failed.
std::string send_text(Context& ctx, Conn& conn, const std::string& text);

}  // namespace pnc::conf
