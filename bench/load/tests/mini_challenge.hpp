// A minimal in-process challenge for pnc-bench's tests: pnc_net's Server with the reference
// ServerHandshake on WS /sdk/ws (mock attestation), db_version_request -> db_version_response on
// the encrypted channel, and POST /sdk/weights behind the §6.4 verifier with one trusted signer.
// Loopback only, port chosen by the kernel, stopped by its destructor.
#pragma once

#include <memory>
#include <string>

#include "pnc/net/server.hpp"
#include "pnc/types.hpp"

namespace pnc::load::test {

class MiniChallenge {
 public:
  // nullptr if the server cannot start.
  static std::unique_ptr<MiniChallenge> start(Profile profile, const Bytes& signer_seed, const std::string& token);
  ~MiniChallenge();
  std::string ws_url() const;
  std::string http_url() const;

  struct State;

 private:
  MiniChallenge() = default;
  std::shared_ptr<State> state_;
  std::unique_ptr<net::Server> server_;
};

}  // namespace pnc::load::test
