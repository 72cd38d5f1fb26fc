// What a WebSocket peer did after the runner's last frame (an Observation), what the spec
// expects it to do (a WsExpect, data per profile) and the judgement between the two. Shared by
// the challenge-target and validator-target catalogues.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "pnc/net/ws_client.hpp"
#include "pnc/net/ws_accept_queue.hpp"

namespace pnc::conf {

struct Observation {
  std::vector<std::string> texts;  // text messages received, in order
  int binaries = 0;
  bool closed = false;             // the peer closed (close frame) or dropped the connection
  std::uint16_t close_code = 0;    // 0: dropped without a close frame
  std::string close_reason;
  bool silent = false;             // nothing more arrived within the wait, still open
  std::string transport_error;     // set when the connection failed rather than closed

  bool saw_type(const std::string& type) const;  // a plaintext JSON message of this type
  std::string describe() const;
};

// Reads until the peer closes or errs, or `quiet` passes without a frame; at most `max_frames`.
Observation observe(net::WsClient& ws, Millis quiet, int max_frames = 8);
Observation observe(net::ServerWsPeer& ws, Millis quiet, int max_frames = 8);
// The first text message (or why there is none) within `wait`.
Observation first_message(net::WsClient& ws, Millis wait);
Observation first_message(net::ServerWsPeer& ws, Millis wait);

// Sends one oversized text frame `prefix` + `fill` bytes of 'a' + `suffix` as raw bytes in
// chunks (never built in memory: a zero mask key leaves the bytes as they are), looking for the
// peer's close between chunks: a peer may refuse the frame at its header, once the limit is
// crossed, or at its end, and may reset the connection while the rest is in flight — the close
// must be seen before the reset.
Observation send_oversized(net::WsClient& ws, std::string_view prefix, std::uint64_t fill, std::string_view suffix,
                           Millis timeout);

struct WsExpect {
  enum class Kind {
    reject_close,   // attestation_reject, then close with `code`
    silent_close,   // close with `code` (0 = any), no attestation_reject
    close,          // close with `code` (0 = any), a message before it does not matter
    responds,       // the handshake goes on: attestation_response (server) / attestation_ok (client)
    alive,          // the frame is dropped, the connection stays open (liveness probe answered)
    accepted,       // the frame is processed as valid (e.g. a replay answered again)
  };
  Kind kind = Kind::reject_close;
  std::uint16_t code = 0;

  static WsExpect reject(std::uint16_t c = 1008) { return {Kind::reject_close, c}; }
  static WsExpect silent(std::uint16_t c = 1000) { return {Kind::silent_close, c}; }
  static WsExpect closes(std::uint16_t c) { return {Kind::close, c}; }
  static WsExpect responds() { return {Kind::responds, 0}; }
  static WsExpect alive() { return {Kind::alive, 0}; }
  static WsExpect accepted() { return {Kind::accepted, 0}; }
  std::string describe(bool server_side = true) const;
};

// Per-profile expectation table of one case.
struct ProfileExpect {
  WsExpect seed;
  WsExpect compat;
  WsExpect hard;
  const WsExpect& of(Profile p) const;
  static ProfileExpect all(WsExpect e) { return {e, e, e}; }
  static ProfileExpect strict_compat(WsExpect strict, WsExpect compat) { return {strict, compat, strict}; }
};

// N-HS-23: the expected close 1008 once the SUT's handshake deadline passes, and how long to
// watch for it; a SUT whose description declares no deadline (null) FAILs at once, since
// §3.5 S0 requires one of 30 s and waiting cannot change the verdict (DEC-55).
struct DeadlineWatch {
  std::optional<Outcome> verdict;  // set: no deadline declared, or one longer than the spec's
  Millis deadline{0};              // the SUT's declared deadline
  Millis wait{0};
  std::string expected;
};
DeadlineWatch deadline_watch(const SutDescription& sut, Millis timeout);
// The deadline close (§3.9): close 1008, and not before the deadline. `elapsed` runs from before
// the runner connected, so it is never shorter than the SUT's own timer; a validator SUT's
// connection may have waited in the runner's queue, so the client side (`server_side` false)
// judges only the upper bound.
Outcome judge_deadline_close(const DeadlineWatch& watch, const Observation& obs, Millis elapsed, bool server_side = true);

// Compares a close-type expectation with an observation (responds/alive/accepted need a probe
// and are judged by the drivers).
Outcome judge_close(const WsExpect& expect, const Observation& obs, bool server_side = true);

}  // namespace pnc::conf
