// Properties over live sessions with a challenge SUT (docs/campaigns.md, "Properties over live
// sessions"): RapidCheck generates sequences of frames (fresh requests, replays, reflections,
// reordered pairs, single-bit flips, malformed envelopes) and sends each to a fresh attested
// WebSocket session with the SUT and with the reference challenge in process (configured like
// the SUT); after every frame both answers, in the campaign's normal form, must agree. The SUT's
// own quote is not judged here (the attestation cases judge it): a session is used whatever its
// quote, and a SUT whose handshake cannot be completed blocks the property instead of failing it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "campaign/endpoint.hpp"
#include "campaign/property_probe.hpp"
#include "campaign/ws_conn.hpp"
#include "pnc/net/types.hpp"
#include "pnc/rng.hpp"

namespace pnc::conf::campaign {

// One side of a live case: its connection, its random source (both sides draw the same values)
// and the frames sent on it so far.
struct LiveSide {
  WsConn conn;
  std::unique_ptr<DeterministicRng> rng;
  std::vector<std::string> sent;
  std::string held;  // a frame built now and sent later (reordering)
  std::optional<Bytes> salt;  // the hkdf_salt this side's attestation_ok carried (when edited)
  std::optional<std::string> seal(const std::string& inner);
};

class LiveProbe : public PropertyProbe {
 public:
  // `seed` and a case counter draw each case's keys and nonces: fresh ones every case (an SUT
  // remembers nonces across connections), the same sequence for the same seed.
  LiveProbe(Endpoint& sut, Endpoint& reference, Profile profile, const SutDescription& description, std::uint64_t seed)
      : sut_(sut), reference_(reference), profile_(profile), description_(description), seed_(seed) {}

  // New connections on both sides and a clean handshake on each.
  void open_session();
  // New connections on both sides and a handshake whose messages are judged steps: `edit_begin`
  // and `edit_ok` change attestation_begin / attestation_ok before they are sent (the same
  // change on both sides); the session then uses the salt the edited attestation_ok carries.
  void judged_handshake(const std::string& what, const std::function<void(json::Json&)>& edit_begin,
                        const std::function<void(json::Json&)>& edit_ok);
  // Builds the frame on each side with `build` (nullopt: nothing to send), sends it and fails
  // the case unless both sides answered the same. Returns what the reference saw.
  using Build = std::function<std::optional<std::string>(LiveSide&)>;
  std::vector<std::string> step(const std::string& action, const Build& build);
  // HTTP cases: the same request goes to both sides. begin_http_case draws the case's random
  // source (fresh nonces every case); a SUT description without `needs` skips the property.
  void begin_http_case(const std::vector<Need>& needs);
  Rng& rng() { return *http_rng_; }
  const SutDescription& description() const { return description_; }
  // Sends `request` to the reference, then to the SUT, and fails the case unless both answered
  // the same status. `clock_sensitive` (a timestamp near the skew window's edge): when a second
  // boundary fell between the two answers the case is discarded, not judged.
  std::string http_step(const std::string& action, const net::HttpRequest& request, bool clock_sensitive = false);

  // The reference side's connection is gone (closed by the reference): later steps are moot.
  bool reference_gone() const { return reference_side_.conn.gone; }
  Profile profile() const { return profile_; }

 private:
  // Both sides' new connections (the SUT's blocks the property when it cannot be opened).
  void open_connections();
  LiveSide side(Endpoint& ep);
  // Fails the case: the two sides answered `action` differently.
  [[noreturn]] void fail_difference(const std::string& action, const std::string& sut, const std::string& reference);

  Endpoint& sut_;
  Endpoint& reference_;
  Profile profile_;
  const SutDescription& description_;
  std::uint64_t seed_;
  std::uint64_t cases_ = 0;
  std::unique_ptr<DeterministicRng> http_rng_;
  LiveSide sut_side_;
  LiveSide reference_side_;
};

struct LiveProperty {
  std::string name;                      // "P-ENV.live-replay"
  std::string section;                   // PROTOCOL.md sections it checks
  std::string what;                      // one line for --help and reports
  std::function<void(LiveProbe&)> body;  // one case: generates (rc::gen) and checks
};

const std::vector<LiveProperty>& live_properties();

}  // namespace pnc::conf::campaign
