// Consumer of eventlog_test.json: runtime_event_digest, parse_event_log + replay_rtmrs,
// check_rtmr3_replay / check_rtmrs against the group's quote, extract_env_mode, check_compose_hash.
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_quote.hpp"
#include "runner.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {

Verdict run_eventlog(const Json& g, const Json& t, Profile p) {
  const std::string type = g["type"].get<std::string>();
  if (type == "RuntimeEventDigest")
    return {true, compare("digest", tdx::runtime_event_digest(str_field(t, "event"), hex_field(t, "payload")),
                          hex_field(t, "digest"))};
  std::string log = t.contains("eventLog") ? str_field(t, "eventLog") : std::string();
  if (t.contains("padTo")) log.resize(t["padTo"].get<std::size_t>(), ' ');
  if (type == "RtmrReplay") {
    const auto ev = tdx::parse_event_log(log, p);
    if (!ev.ok()) return {false, {}};
    const auto r = tdx::replay_rtmrs(ev.value());
    if (!t.contains("rtmrs")) return {true, "accepted a log without expected rtmrs"};
    for (std::size_t i = 0; i < 4; ++i)
      if (auto m = compare("rtmr" + std::to_string(i), r[i], test::hex(t["rtmrs"][i].get<std::string>())); !m.empty()) return {true, m};
    return {true, {}};
  }
  if (type == "Rtmr3Check" || type == "RtmrsCheck") {
    const auto q = tdx::parse_quote(hex_field(g, "quote"));
    if (!q.ok()) return {false, "group quote does not parse"};
    if (type == "RtmrsCheck") return {tdx::check_rtmrs(t["rtmrs"], q.value()).ok(), {}};
    const auto ev = tdx::parse_event_log(log, p);
    return {ev.ok() && tdx::check_rtmr3_replay(ev.value(), q.value()).ok(), {}};
  }
  if (type == "EnvMode") {
    const auto e = tdx::extract_env_mode(log, p);
    const std::string pname(to_string(p));
    const Json& want = t.contains("envProfiles") && t["envProfiles"].contains(pname) ? t["envProfiles"][pname] : t["env"];
    if (!e) return {false, {}};
    return {true, want.is_string() && *e == want.get<std::string>() ? "" : "environment " + *e};
  }
  return {tdx::check_compose_hash(log, str_field(t, "expected"), p).ok(), {}};
}

}  // namespace pnc::vectors
