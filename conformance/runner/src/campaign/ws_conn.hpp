// One campaign WebSocket connection as the validator side sees it (the reference's ClientScript
// and, after attestation_ok, its envelope Channel), and the normal form of what comes back
// ("msg:attestation_response", "enc:db_version_response", "enc-bad:<check>", "close:1008",
// "dropped", "silent"), which the SUT's and the oracle's answers are compared in. Pure protocol
// logic: the Endpoint moves the bytes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "campaign/endpoint.hpp"
#include "cases/client_script.hpp"
#include "pnc/envelope.hpp"

namespace pnc::conf::campaign {

struct WsConn {
  int handle = -1;
  std::string error;  // why the connection could not be opened
  std::unique_ptr<ClientScript> script;
  std::optional<envelope::Channel> channel;
  std::string last_received;
  bool gone = false;
  bool accepted = false;
  // The SUT's quote verdict is part of the normal form (fuzz), or left to the attestation cases
  // (live properties: their subject is not the quote).
  bool judge_quote = true;
};

// A new connection to `ep` (handle -1 when it failed) with a ClientScript drawing from `rng`.
WsConn open_conn(Endpoint& ep, Profile profile, const SutDescription& sut, Rng& rng);

// The normal form of one event; an attestation_response is accepted into the script (with
// judge_quote its quote verdict is appended: "msg:attestation_response(quote: tdx.bad_version)"),
// an envelope opened with the channel.
std::string normal(WsConn& c, const WsEvent& e);

// Sends `text` and collects up to `want` answers (-1: all there are) in normal form;
// {"not-sent"} when the connection is already gone.
std::vector<std::string> send_and_collect(Endpoint& ep, WsConn& c, const std::string& text, int want);

// A clean handshake on `c` (attestation_begin, the response, attestation_ok) and its channel:
// empty when it worked, else what went wrong ("hs:not-sent", "hs:failed", "hs:no-response").
// The SUT's quote is not judged here (its verdict stays in c.script->quote_check()).
std::string clean_handshake(Endpoint& ep, WsConn& c);

}  // namespace pnc::conf::campaign
