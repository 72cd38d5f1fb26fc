#include "campaign/sut_access.hpp"

#include <filesystem>
#include <set>

#include "campaign/reference_validator.hpp"
#include "campaign/scenario.hpp"
#include "campaign/validator_fuzz.hpp"
#include "cases/challenge_session.hpp"

namespace pnc::conf::campaign {

Result<std::unique_ptr<OpenTarget>> open_network_target(Target target, const FuzzSettings& s) {
  SutDescription sut;
  if (!s.sut_file.empty()) {
    auto loaded = load_sut_description(s.sut_file);
    if (!loaded) return loaded.error();
    sut = std::move(*loaded);
  }
  RunSettings rs;
  rs.target = target;
  rs.profile = s.profile;
  rs.url = s.url;
  rs.cmd = s.cmd;
  rs.timeout_ms = s.timeout_ms;
  rs.startup_timeout_ms = s.startup_timeout_ms;
  return open_target(rs, sut);
}

Executor Opened::executor(Profile profile) {
  if (reference_validator) {
    auto* session = dynamic_cast<ValidatorSession*>(target->session());
    return validator_executor(profile, description(), *session, *reference_validator, timeout);
  }
  return endpoint_executor(profile, description(), *sut, *oracle);
}

Result<Opened> open_challenge(const FuzzSettings& s) {
  auto target = open_network_target(Target::challenge, s);
  if (!target) return target.error();
  Opened o;
  o.target = std::move(*target);
  auto* cs = dynamic_cast<ChallengeSession*>(o.target->session());
  OpenTarget* t = o.target.get();
  o.sut = make_net_endpoint([cs] { return cs->host(); }, [cs] { return cs->port(); }, Millis(s.timeout_ms),
                            [t] { return t->sut_exit(); });
  auto oracle = make_oracle_endpoint(s.profile, o.target->sut());
  if (!oracle) {
    o.target->close();
    return make_error("setup.oracle", "cannot configure the reference oracle like the SUT: " + oracle.error().message);
  }
  o.oracle = std::move(*oracle);
  return o;
}

// The shim's stderr goes to FINDINGS_DIR/shim.log when there is one. An operation whose first
// seed the shim answers "unimplemented" is left out of the campaign.
Result<Opened> open_shim(const FuzzSettings& s) {
  if (!s.url.empty()) return make_error("cli.shim_url", "the shim target is started with --cmd; it has no --url");
  if (s.cmd.empty()) return make_error("cli.shim_cmd", "the shim target needs --cmd 'COMMAND' (the shim to start)");
  if (!s.sut_file.empty()) return make_error("cli.shim_sut", "--sut describes a challenge SUT; the shim target takes none");
  if (auto st = add_shim_scenarios(s.vectors_dir); !st)
    return make_error(st.error().code, "cannot seed the shim scenarios from " + s.vectors_dir + ": " + st.error().message);
  std::string log;
  if (!s.findings_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(s.findings_dir, ec);
    log = (std::filesystem::path(s.findings_dir) / "shim.log").string();
  }
  Opened o;
  o.shim = std::make_unique<ShimSession>(s.cmd, log, Millis(s.timeout_ms), Millis(s.startup_timeout_ms));
  if (auto st = o.shim->start(); !st) return make_error("setup.shim", "the shim did not start: " + st.error().message);
  o.sut = make_shim_endpoint(*o.shim);
  o.oracle = make_shim_oracle();
  std::set<std::string> tried;
  for (const auto& sc : scenarios()) {
    if (!sc.shim || !tried.insert(sc.shim->op).second) continue;
    auto a = o.shim->call(sc.shim->op, sc.shim->args, s.profile);
    (a && a->kind == ShimAnswer::Kind::unimplemented ? o.skipped_ops : o.ops).push_back(sc.shim->op);
  }
  return o;
}

Result<Opened> open_validator(const FuzzSettings& s) {
  auto target = open_network_target(Target::validator, s);
  if (!target) return target.error();
  Opened o;
  o.target = std::move(*target);
  o.timeout = Millis(s.timeout_ms);
  auto reference = open_reference_validator(s.profile, o.target->sut(), o.timeout);
  if (!reference || dynamic_cast<ValidatorSession*>(o.target->session()) == nullptr) {
    o.target->close();
    return make_error("setup.oracle", "cannot configure the reference validator like the SUT: " +
                                          (reference ? std::string("no validator session") : reference.error().message));
  }
  o.reference_validator = std::move(*reference);
  return o;
}

Result<Opened> open_all(const FuzzSettings& s) {
  switch (s.target) {
    case Target::shim: return open_shim(s);
    case Target::validator: return open_validator(s);
    case Target::challenge: break;
  }
  return open_challenge(s);
}

}  // namespace pnc::conf::campaign
