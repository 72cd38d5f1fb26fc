// The runner's challenge end of one connection from a validator client, as validator campaigns
// use it (properties and fuzz against a validator, docs/campaigns.md): accept the connection and
// its attestation_begin, send frames, and read the client's reaction in a normal form that the
// SUT and the reference validator share: "msg:attestation_ok", "carried-on" (the client's next
// request opened, or close 1000 at the end of its script), "close:1008", "enc-bad:<check>",
// "silent", "dropped", "binary". Keys and nonces come from a seeded generator, so the SUT's and
// the reference's ends draw the same values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cases/server_script.hpp"
#include "cases/validator_session.hpp"
#include "pnc/envelope.hpp"
#include "pnc/json.hpp"

namespace pnc::conf::campaign {

struct ChallengeEnd {
  std::shared_ptr<net::ServerWsPeer> peer;
  std::unique_ptr<DeterministicRng> rng;  // both ends draw the same keys and nonces
  std::unique_ptr<ServerScript> script;
  std::optional<envelope::Channel> channel;
  json::Json pending;             // the validator's last request, answered next
  std::string pending_frame;      // that request as it was sent
  std::vector<std::string> sent;  // the envelopes the runner sent on this connection
  bool done = false;              // the validator closed (its script ended, or it refused)

  std::optional<std::string> seal(const std::string& inner);
  // The proper answer to `pending`, sealed.
  std::optional<std::string> answer();
  // Sends `frame` (nothing when unset or the client is gone); text frames are kept in `sent`.
  void send(const std::optional<std::string>& frame, bool binary = false);
  // The client's first event after a frame, in normal form (updates the end's state).
  std::string react(Millis timeout);
  void abort();
};

// The next connection of `session` with its attestation_begin accepted, the values drawn from
// `seed`; or why there is none ("did not connect (...)", "sent no attestation_begin (...)",
// "sent an unusable attestation_begin: ...").
Result<ChallengeEnd> accept_end(ValidatorSession& session, Profile profile, const SutDescription& description,
                                std::uint64_t seed, Millis timeout);

// Both sides of a validator campaign: the SUT's and the reference validator's sessions, what
// both ends are built with, and the ends of their current connections.
struct ValidatorPair {
  ValidatorSession& sut_session;
  ValidatorSession& reference_session;
  Profile profile;
  const SutDescription& description;
  Millis timeout;
  ChallengeEnd sut;
  ChallengeEnd reference;

  // The next connection of the SUT's or the reference's session (accept_end).
  Result<ChallengeEnd> accept(bool sut_side, std::uint64_t seed) {
    return accept_end(sut_side ? sut_session : reference_session, profile, description, seed, timeout);
  }
  // Both ends' reactions (SUT first), observed at the same time: a silent pair costs one timeout.
  std::pair<std::string, std::string> react_both();
  void abort() {
    sut.abort();
    reference.abort();
  }
};

}  // namespace pnc::conf::campaign
