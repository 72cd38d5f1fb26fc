// The per-connection inner-message router of PROTOCOL.md §5.5: message_id assignment, pending
// requests correlated by message_id -> query_id -> payload.query_id, error responses, 30-second
// timeouts driven by an injected Clock, cancel-all on close and dispatch to handlers by type.
// Pure logic on decoded JSON objects: the caller seals/opens envelopes and owns the socket.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pnc/clock.hpp"
#include "pnc/json.hpp"
#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/types.hpp"

namespace pnc::router {

inline constexpr std::int64_t kRequestTimeoutSeconds = 30;  // §10
inline constexpr std::size_t kMaxMessageIdLength = 128;     // §5.5 [SEED]
inline constexpr const char* kDefaultErrorText = "Unknown error";

inline constexpr const char* kTimeout = "router.timeout";
inline constexpr const char* kCancelled = "router.cancelled";       // connection closed
inline constexpr const char* kPeerError = "router.peer_error";      // an `error`-type response
inline constexpr const char* kClosed = "router.closed";             // request after close()
inline constexpr const char* kBadMessage = "router.bad_message";    // not an object
inline constexpr const char* kBadMessageId = "router.bad_message_id";
inline constexpr const char* kDuplicateId = "router.duplicate_id";  // id already pending

// Completion of a request: the response object, or an error (peer error text, timeout, cancel).
using Completion = std::function<void(Result<json::Json>)>;
using Handler = std::function<void(const json::Json&)>;

// What receive() did with one inbound message.
struct Dispatch {
  bool correlated = false;        // completed a pending request
  std::size_t handlers_run = 0;   // handlers registered for its `type`
};

class Router {
 public:
  // rng supplies the random part of message ids; clock stamps requests for expire().
  Router(Profile profile, Rng& rng, const Clock& clock,
         std::int64_t timeout_seconds = kRequestTimeoutSeconds);

  // Outbound message without a `message_id` member gets "msg_<n>_<8 hex>" (n counts from 1 per
  // router, §5.5). Existing members (also `null`) are kept. Non-objects: router.bad_message.
  Result<json::Json> stamp(json::Json message);
  // stamp() and register the id as pending; `done` runs exactly once (response, peer error,
  // timeout or cancel). The returned object is what the caller seals and sends.
  Result<json::Json> request(json::Json message, Completion done);
  // A response to `request_message`: copies its `message_id`, or JSON null when it had none
  // (the SDK's echo rule, §5.4).
  static json::Json reply_to(const json::Json& request_message, json::Json response);

  // Registers a handler for inbound messages of this `type` (several per type allowed).
  void on(const std::string& type, Handler handler);
  // One inbound (decrypted) message: completes the pending request whose id matches (an
  // `error`-type message fails it with its `error` text, default "Unknown error"), then runs
  // every handler registered for its `type`, correlated or not.
  Dispatch receive(const json::Json& message);

  // Fails every request older than the timeout at clock.now(); returns how many expired.
  std::size_t expire();
  // Connection closed: cancels every pending request; later request() calls fail.
  std::size_t close();

  std::size_t pending() const { return pending_.size(); }
  bool closed() const { return closed_; }

  // The correlation id of an inbound message (§5.5), empty when it has none.
  static std::string correlation_id(const json::Json& message);

 private:
  struct Pending {
    std::int64_t deadline;
    Completion done;
  };

  Profile profile_;
  Rng& rng_;
  const Clock& clock_;
  std::int64_t timeout_;
  std::uint64_t counter_ = 0;
  bool closed_ = false;
  std::map<std::string, Pending> pending_;
  std::map<std::string, std::vector<Handler>> handlers_;
};

}  // namespace pnc::router
