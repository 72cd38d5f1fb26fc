// `pnc-conformance probe --url URL [-o FILE]`: what can be learned about an unknown challenge SUT
// without a SUT description (issue 12, "blind without a SUT file"). It asks /sdk/health, the
// HTTP routes of §1.2 (unsigned, then signed by a key the SUT cannot know), the test route of
// §6.8, and runs the §3 handshake with the runner's mock quote in each environment mode. The
// result is a draft SUT description (docs/report-format.md) whose `$notes` (a comment member) say how each member
// was found, plus the members no probe can learn (keys) with the number of cases each enables.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/sut.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::conf {

struct ProbeResult {
  std::string base;                   // http://host:port
  int health_status = 0;              // 0: no answer
  std::string health;                 // the body's "status" ("ready", "starting") or what came back
  // Unsigned POST /sdk/weights, then one correctly signed by a stranger's key (§6.4).
  int weights_unsigned = 0;
  int weights_stranger = 0;
  int credentials_unsigned = 0;       // POST /sdk/admin/db/credentials without headers
  int public_whoami = 0;              // GET /sdk/public/whoami without identity
  std::string public_whoami_body;
  int public_readonly = 0;            // GET /sdk/public/get_agent_status
  int dsn_digests = 0;                // GET /sdk/admin/dsn_digests (§6.8 test route)
  // §3 handshake with the runner's mock quote: the profile and environment that gave a working
  // session (nullopt: none did), and what each attempt met.
  std::optional<Profile> ws_profile;
  std::optional<std::string> ws_env;
  bool ws_answered = false;           // attestation_begin got an attestation_response
  std::string sut_quote;              // the SUT's own quote, judged as mock for the found env
  std::vector<std::string> ws_attempts;
  std::vector<std::string> server_errors;  // every 5xx met ("route: HTTP 500 ...")

  // Conclusions.
  SutDescription draft;
  std::optional<Profile> suggested_profile;
  std::vector<std::string> notes;     // how each member was found; what stays unknown
};

// Probes the SUT at `url` (ws://host:port or http://host:port). Fails only when the address is
// malformed or nothing answers at all.
Result<ProbeResult> probe_sut(const std::string& url, std::chrono::milliseconds timeout);

// The draft as SUT-description JSON: every member the probe decided, `$notes` (a comment) with the findings.
std::string draft_json(const ProbeResult& r);

// Members a probe cannot learn (keys, the issuer): "member: N challenge cases need it" lines.
std::vector<std::string> missing_members(const SutDescription& draft, const std::string& vectors_dir);

struct ProbeSettings {
  std::string url;
  std::string out_file;  // -o: write the draft here (else stdout)
  int timeout_ms = 2000;
  std::string vectors_dir;
};
// The subcommand: 0 probed (draft written), 1 nothing answered at the address, 2 usage / I/O.
int probe_command(const ProbeSettings& settings, std::ostream& out, std::ostream& err);

}  // namespace pnc::conf
