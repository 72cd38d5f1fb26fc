// Consumer of miner_token_test.json: miner_token::verify with the group's configuration at the
// case's `now` (replay cache when the group enables it), and resolve_identity for §7.4.
#include "pnc/clock.hpp"
#include "pnc/miner_token.hpp"
#include "runner.hpp"

namespace pnc::vectors {
namespace {

std::string info_mismatch(const miner_token::TokenInfo& i, const Json& want) {
  const Json got = {{"uid", i.uid}, {"miner_hotkey", i.miner_hotkey}, {"job_id", i.job_id},
                    {"challenge_id", i.challenge_id}, {"job_type", i.job_type}};
  return got == want ? "" : "token_info " + got.dump() + ", want " + want.dump();
}

}  // namespace

Verdict run_miner_token(const Json& g, const Json& t, Profile p) {
  if (g["type"] == "IdentityResolve") {
    miner_token::Headers h;
    for (const auto& kv : t["headers"]) h.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
    miner_token::IdentityOptions o;
    o.challenge_id = g["challengeId"].get<std::string>();
    o.routes = g["routes"].get<std::vector<std::string>>();
    o.authenticated_by_signed_request = t["authenticatedBySignedRequest"].get<bool>();
    const auto r = miner_token::resolve_identity(p, str_field(t, "route"), h, t["devMode"].get<bool>(), o);
    if (!r.ok()) return {false, {}};
    const std::string key(is_strict(p) ? "seed-spec" : "sdk-compat");
    if (!t["tokenInfo"].contains(key)) return {true, "no expected token_info"};
    return {true, info_mismatch(r.value(), t["tokenInfo"][key])};
  }
  miner_token::VerifierConfig cfg;
  const Bytes pk = hex_field(g, "issuerPublicKey");
  std::copy(pk.begin(), pk.end(), cfg.issuer_public_key.begin());
  cfg.issuer = g["issuer"].get<std::string>();
  cfg.audience = g["audience"].get<std::string>();
  cfg.leeway = g["leeway"].get<std::int64_t>();
  miner_token::JtiReplayCache cache;
  if (g["replayCache"].get<bool>()) cfg.replay_cache = &cache;
  const FixedClock clock(t["now"].get<std::int64_t>());
  for (const auto& prev : t.value("previous", Json::array()))
    (void)miner_token::verify(prev.get<std::string>(), cfg, FixedClock(1700000100));
  const auto r = miner_token::verify(str_field(t, "token"), cfg, clock);
  if (!r.ok()) return {false, {}};
  return {true, info_mismatch(miner_token::token_info(r.value()), t["tokenInfo"])};
}

}  // namespace pnc::vectors
