// Where a campaign's messages go: the SUT over the network (NetEndpoint: only moves bytes) or
// the reference's challenge application in process (OracleEndpoint: pnc-ref-challenge's pure
// ChallengeApp, no sockets), which predicts what a correct challenge does with the same input;
// for the shim target, a shim process (ShimEndpoint) or pnc-ref-shim's operations in process.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cases/shim_session.hpp"
#include "core/case.hpp"
#include "pnc/net/types.hpp"

namespace pnc::conf::campaign {

// What came back on a WebSocket after one frame.
struct WsEvent {
  enum class Kind { text, close, dropped, timeout };
  Kind kind = Kind::timeout;
  std::string text;
  int code = 0;  // close
};

struct HttpAnswer {
  int status = 0;          // 0: no answer (error)
  std::string body;
  std::string error;
};

class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // A new WebSocket connection to /sdk/ws; its handle, or -1 (error set).
  virtual int ws_open(std::string& error) = 0;
  // Sends a text frame; false when the connection is already gone.
  virtual bool ws_send(int conn, const std::string& text) = 0;
  // The answers to the frames sent so far: at most `want` events (-1: all there are; the oracle
  // knows at once, the network waits up to the timeout for each), ending at a close.
  virtual std::vector<WsEvent> ws_collect(int conn, int want) = 0;
  virtual void ws_close_all() = 0;
  virtual HttpAnswer http(const net::HttpRequest& request) = 0;
  // A SUT process that exited (empty: running or not managed).
  virtual std::string exited() { return {}; }
  // One shim operation (shim target); an Error when the shim misbehaved (timeout, exit, garbage).
  virtual Result<ShimAnswer> shim_call(const std::string& op, const json::Json& args, Profile profile) {
    (void)op, (void)args, (void)profile;
    return make_error("campaign.not_a_shim", "this endpoint is not a shim");
  }
};

// The SUT at host:port (loopback or remote), every wait bounded by `timeout`.
std::unique_ptr<Endpoint> make_net_endpoint(std::function<std::string()> host, std::function<std::uint16_t()> port,
                                            Millis timeout, std::function<std::string()> exited = {});
// The reference challenge configured as the SUT is (profile, keys, admin, token issuer).
Result<std::unique_ptr<Endpoint>> make_oracle_endpoint(Profile profile, const SutDescription& sut);
// A shim process the caller started (shim target); it restarts itself after a bad answer.
std::unique_ptr<Endpoint> make_shim_endpoint(ShimSession& shim);
// pnc-ref-shim's operations in process: the shim target's oracle.
std::unique_ptr<Endpoint> make_shim_oracle();

}  // namespace pnc::conf::campaign
