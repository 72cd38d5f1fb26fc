// Target "challenge", malformed bodies (§6.8): validly signed requests whose body a route cannot
// use (not JSON, the wrong JSON types, duplicate members, NaN, deep nesting, bad UTF-8, too
// large), per route; the spec allows a 400 (or any 4xx, or processing it in [COMPAT]) but never
// a 5xx.
#include <functional>
#include <optional>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/challenge_http_support.hpp"
#include "cases/challenge_session.hpp"
#include "cases/http_result.hpp"
#include "cases/text.hpp"

namespace pnc::conf {

namespace {

using json::Json;

// What §6.8 allows for a body a route cannot use, per profile.
enum class BodyRule {
  reject400,  // HTTP 400 (413 also allowed for an oversize body)
  reject4xx,  // any 4xx ([COMPAT]: the upstream status is not fixed)
  no5xx,      // [COMPAT] may process it (200) or refuse it (4xx); never a server error
};

std::string rule_words(BodyRule rule, const std::string& detail, bool oversize) {
  switch (rule) {
    case BodyRule::reject400:
      return std::string("HTTP 400") + (oversize ? " (or 413)" : "") + (detail.empty() ? "" : " {\"detail\": \"" + detail + "\"}");
    case BodyRule::reject4xx: return "HTTP 4xx";
    case BodyRule::no5xx: return "HTTP 200 or 4xx, never 5xx";
  }
  return {};
}

Outcome judge_body(const HttpResult& r, BodyRule rule, const std::string& detail, bool oversize) {
  const std::string expected = rule_words(rule, detail, oversize);
  if (auto unjudged = blocked_or_server_error(r)) return *unjudged;
  if (!r.error.empty()) return Outcome::fail(r.describe(), expected);
  switch (rule) {
    case BodyRule::reject400:
      if (r.status == 400 || (oversize && r.status == 413)) break;
      return Outcome::fail(r.describe(), expected);
    case BodyRule::reject4xx:
      if (r.status >= 400 && r.status <= 499) return Outcome::pass(r.describe());
      return Outcome::fail(r.describe(), expected);
    case BodyRule::no5xx:
      if (r.status == 200 || (r.status >= 400 && r.status <= 499)) return Outcome::pass(r.describe());
      return Outcome::fail(r.describe(), expected);
  }
  if (!detail.empty() && r.status == 400) {
    auto doc = json::parse(r.body, Profile::sdk_compat);
    if (!doc || string_member(*doc, "detail") != detail) return Outcome::fail("wrong detail: " + r.describe(), expected);
  }
  return Outcome::pass(r.describe());
}

struct BodyCase {
  BodyCase(std::string k, std::string t, std::function<std::string(Context&)> b, BodyRule s, std::optional<BodyRule> c,
           std::string detail = {}, bool big = false)
      : kind(std::move(k)), title(std::move(t)), body(std::move(b)), strict(s), compat(c), strict_detail(std::move(detail)), oversize(big) {}
  std::string kind;
  std::string title;
  std::function<std::string(Context&)> body;
  BodyRule strict = BodyRule::reject400;
  std::optional<BodyRule> compat;  // nullopt: the case applies to [SEED]/[HARD] only
  std::string strict_detail;       // §8.1's detail text where it fixes one
  bool oversize = false;
};

Case body_case(const std::string& route, const std::string& target, std::vector<Need> needs, BodyCase b) {
  Case c;
  c.id = "N-BODY-01." + route + "." + b.kind;
  c.title = "POST " + target + ": " + b.title;
  c.mechanism = Mechanism::http_body;
  c.target = Target::challenge;
  c.needs = std::move(needs);
  for (Profile p : {Profile::seed_spec, Profile::hardened}) c.expected[p] = rule_words(b.strict, b.strict_detail, b.oversize);
  if (b.compat) c.expected[Profile::sdk_compat] = rule_words(*b.compat, {}, b.oversize);
  else c.profiles = {Profile::seed_spec, Profile::hardened};
  c.exclusive = b.oversize;
  c.run = [b, target](Context& ctx) {
    const auto req = signed_request(ctx, *ctx.sut->signer, target, b.body(ctx));
    const HttpResult r = b.oversize ? send_large_request(ctx, req) : send_request(ctx, req);
    const bool strict = is_strict(ctx.profile);
    return judge_body(r, strict ? b.strict : *b.compat, strict ? b.strict_detail : std::string(), b.oversize);
  };
  return c;
}

std::string nested(int depth, const std::string& inner) {
  return std::string(static_cast<std::size_t>(depth), '[') + inner + std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

// §6.8 malformed bodies, per route (/sdk/weights, /sdk/admin/db/credentials).
std::vector<Case> malformed_body_cases() {
  std::vector<Case> out;
  {
    const std::vector<Need> weights_needs = {Need::signer, Need::weights};
    const auto literal_body = [](std::string text) { return [text](Context&) { return text; }; };
    const std::vector<BodyCase> weights = {
        {"not-json", "body is not JSON ({\"jobs\": [ cut short)", literal_body("{\"jobs\": ["), BodyRule::reject400, BodyRule::reject4xx},
        {"empty", "empty body", literal_body(""), BodyRule::reject400, std::nullopt},
        {"array", "top-level JSON array", literal_body("[{\"jobs\": []}]"), BodyRule::reject400, BodyRule::reject4xx},
        {"string", "top-level JSON string", literal_body("\"jobs\""), BodyRule::reject400, BodyRule::reject4xx},
        {"null", "top-level JSON null", literal_body("null"), BodyRule::reject400, BodyRule::reject4xx},
        {"no-jobs", "object without jobs", literal_body("{}"), BodyRule::reject400, BodyRule::no5xx},
        {"jobs-object", "jobs is an object", literal_body("{\"jobs\": {}}"), BodyRule::reject400, BodyRule::no5xx},
        {"jobs-string", "jobs is a string", literal_body("{\"jobs\": \"[]\"}"), BodyRule::reject400, BodyRule::no5xx},
        {"jobs-null", "jobs is null", literal_body("{\"jobs\": null}"), BodyRule::reject400, BodyRule::no5xx},
        {"duplicate-member", "jobs given twice", literal_body("{\"jobs\": [], \"jobs\": []}"), BodyRule::reject400, BodyRule::no5xx},
        {"nan", "NaN inside jobs", literal_body("{\"jobs\": [NaN]}"), BodyRule::reject400, BodyRule::no5xx},
        {"depth-65", "nesting 65 deep inside jobs", literal_body("{\"jobs\": " + nested(64, "1") + "}"), BodyRule::reject400, BodyRule::no5xx},
        {"bad-utf8", "invalid UTF-8 in a string", literal_body("{\"jobs\": [\"\xff\xfe\"]}"), BodyRule::reject400, BodyRule::no5xx},
    };
    for (const auto& b : weights) out.push_back(body_case("weights", kWeights, weights_needs, b));

    const std::vector<Need> cred_needs = {Need::admin, Need::signer, Need::sealed_key};
    const std::string missing = "missing fields";
    const auto sealed_with = [](Json edit) {
      return [edit](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + unique_dsn(ctx) + "\"}"), edit); };
    };
    const std::vector<BodyCase> creds = {
        {"not-json", "body is not JSON", literal_body("{\"sealed\": "), BodyRule::reject400, BodyRule::reject400, missing},
        {"array", "top-level JSON array", literal_body("[]"), BodyRule::reject400, BodyRule::reject400, missing},
        {"sealed-number", "sealed is a number", sealed_with({{"sealed", 12345}}), BodyRule::reject400, BodyRule::reject400, missing},
        {"sealed-array", "sealed is an array", sealed_with({{"sealed", Json::array({"AAAA"})}}), BodyRule::reject400, BodyRule::reject400, missing},
        {"challenge-name-number", "challenge_name is a number", sealed_with({{"challenge_name", 5}}), BodyRule::reject400, std::nullopt, missing},
        {"version-0", "version 0 (range 1-16)", sealed_with({{"version", 0}}), BodyRule::reject400, std::nullopt, missing},
        {"version-17", "version 17 (range 1-16)", sealed_with({{"version", 17}}), BodyRule::reject400, std::nullopt, missing},
        {"version-2^64", "version 18446744073709551616", [](Context& ctx) {
           std::string b = cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + unique_dsn(ctx) + "\"}"), {{"version", "__v__"}});
           const std::string from = "\"__v__\"";
           b.replace(b.find(from), from.size(), "18446744073709551616");
           return b;
         }, BodyRule::reject400, std::nullopt, missing},
        {"version-leading-zero", "version \"01\"", sealed_with({{"version", "01"}}), BodyRule::reject400, std::nullopt, missing},
        {"version-float", "version 1.5", sealed_with({{"version", 1.5}}), BodyRule::reject400, std::nullopt, missing},
        {"version-bool", "version true", sealed_with({{"version", true}}), BodyRule::reject400, std::nullopt, missing},
        {"duplicate-member", "challenge_name given twice", [](Context& ctx) {
           std::string b = cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + unique_dsn(ctx) + "\"}"));
           b.insert(1, "\"challenge_name\":\"other\",");
           return b;
         }, BodyRule::reject400, std::nullopt, missing},
        {"oversize", "body larger than 16 MiB", [](Context&) {
           return "{\"sealed\":\"" + std::string(16u * 1024u * 1024u, 'A') + "\",\"challenge_name\":\"demo\",\"version\":1}";
         }, BodyRule::reject400, std::nullopt, std::string(), true},
    };
    for (const auto& b : creds) out.push_back(body_case("credentials", kCredentials, cred_needs, b));
  }
  return out;
}

}  // namespace pnc::conf
