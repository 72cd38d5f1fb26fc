#include "cases/shim_checks.hpp"

#include "cases/shim_session.hpp"
#include "cases/text.hpp"

namespace pnc::conf {

namespace {

bool same_value(const json::Json& want, const json::Json& got) {
  if (want == got) return true;
  if (want.is_string() && got.is_string()) {
    // JSON text members (envelopes, bodies, logs): equal as parsed JSON.
    const auto& w = want.get_ref<const std::string&>();
    const auto& g = got.get_ref<const std::string&>();
    if (!w.empty() && (w.front() == '{' || w.front() == '[')) {
      auto pw = json::parse(w, Profile::sdk_compat);
      auto pg = json::parse(g, Profile::sdk_compat);
      return pw && pg && *pw == *pg;
    }
  }
  return false;
}

std::string show(const json::Json& v) { return clip(v.dump(-1, ' ', false, json::Json::error_handler_t::replace), 160); }

}  // namespace

Outcome run_shim_checks(Context& ctx, const std::vector<ShimCheck>& checks) {
  auto* shim = dynamic_cast<ShimSession*>(ctx.session);
  if (shim == nullptr) return Outcome::fail("no shim session (runner misconfiguration)");
  std::string passed;
  for (const auto& check : checks) {
    auto answer = shim->call(check.op, check.args, ctx.profile);
    if (!answer) return Outcome::fail(check.op + ": " + answer.error().message);
    const ShimAnswer& a = *answer;
    if (a.kind == ShimAnswer::Kind::unimplemented)
      return Outcome{Verdict::unimplemented, "the shim does not implement " + check.op, {}};
    if (a.kind == ShimAnswer::Kind::error) {
      if (check.expect == ShimCheck::Expect::ok)
        return Outcome::fail(check.op + " rejected the input (" + clip(a.error, 120) + ")",
                             check.op + " succeeds" + (check.result.empty() ? "" : " with " + show(check.result)));
      passed += (passed.empty() ? "" : "; ") + check.op + " rejected (" + clip(a.error, 60) + ")";
      continue;
    }
    if (check.expect == ShimCheck::Expect::error)
      return Outcome::fail(check.op + " accepted the input (result " + show(a.result) + ")",
                           check.op + " rejects the input");
    for (const auto& [name, want] : check.result.items()) {
      const auto it = a.result.find(name);
      if (it == a.result.end())
        return Outcome::fail(check.op + " answered without \"" + name + "\"", check.op + " returns " + name + " = " + show(want));
      if (!same_value(want, *it))
        return Outcome::fail(check.op + " returned " + name + " = " + show(*it),
                             check.op + " returns " + name + " = " + show(want));
    }
    passed += (passed.empty() ? "" : "; ") + check.op + " ok";
  }
  return Outcome::pass(clip(passed, 300));
}

Case make_shim_case(std::string id, std::string title, std::string vector_file, ShimChecks checks,
                    std::string expected, std::vector<Profile> profiles) {
  Case c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.mechanism = Mechanism::vectors;
  c.vector_file = std::move(vector_file);
  c.target = Target::shim;
  c.profiles = std::move(profiles);
  c.expected_default = std::move(expected);
  c.run = [checks = std::move(checks)](Context& ctx) { return run_shim_checks(ctx, checks(ctx.profile)); };
  return c;
}

}  // namespace pnc::conf
