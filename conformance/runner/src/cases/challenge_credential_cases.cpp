// Target "challenge", sealed credentials (§8.1, §8.5, §12.8, N-X-05): signed requests to
// /sdk/admin/db/credentials carrying a DSN sealed to the SUT's key, one field or byte deviating
// at a time, judged by status and §8.1's `detail` text; a refused request must store nothing.
#include <functional>
#include <optional>
#include <set>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/challenge_http_support.hpp"
#include "cases/challenge_session.hpp"
#include "cases/http_result.hpp"
#include "cases/text.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"

namespace pnc::conf {

namespace {

using json::Json;

Case cred_case(std::string id, std::string title, int status, std::string detail,
               std::function<std::string(Context&)> body, std::vector<Profile> profiles = {}) {
  StatusExpect e{status, status, {}};
  Case c = http_case(std::move(id), std::move(title), Mechanism::credentials, e, {Need::admin, Need::signer, Need::sealed_key},
                     [body, detail](Context& ctx, const StatusExpect& ex) {
                       const auto req = signed_request(ctx, *ctx.sut->signer, kCredentials, body(ctx));
                       const HttpResult r = send_request(ctx, req);
                       Outcome o = judge_status(r, ex.of(ctx.profile), {}, detail);
                       if (o.verdict == Verdict::pass && r.status == 200) {
                         // §8.1 step 7 and §8.5: {"migrated": true}, never the DSN itself.
                         auto doc = json::parse(r.body, Profile::sdk_compat);
                         if (!doc || !doc->is_object() || !doc->contains("migrated") || (*doc)["migrated"] != true ||
                             r.body.find("postgresql") != std::string::npos)
                           return Outcome::fail(r.describe(), "HTTP 200 {\"migrated\": true} without the DSN");
                       }
                       return o;
                     });
  for (auto& [p, words] : c.expected) words += detail.empty() ? "" : " {\"detail\": \"" + detail + "\"}";
  c.profiles = std::move(profiles);
  return c;
}

std::string sha256_hex(std::string_view text) { return codec::hex_encode(crypto::sha256(as_bytes(text))); }

const std::string kDsnDigests = "/sdk/admin/dsn_digests";

// The SHA-256 of every DSN the SUT has stored, from the test route GET /sdk/admin/dsn_digests
// (§6.8: a challenge-defined admin route the bundled peer has); nullopt with `why` when the SUT
// does not offer it, so storage is not observable there.
std::optional<std::set<std::string>> stored_digests(Context& ctx, std::string& why) {
  auto r = net::http_request(challenge_of(ctx).http_base(), "GET", kDsnDigests, {}, "", Millis(ctx.timeout.count() * 2));
  if (!r) {
    why = "GET " + kDsnDigests + ": no answer (" + r.error().message + ")";
    return std::nullopt;
  }
  auto doc = json::parse(r->body, Profile::sdk_compat);
  if (r->status != 200 || !doc || !doc->is_object() || !doc->contains("dsn_digests") || !(*doc)["dsn_digests"].is_array()) {
    why = "GET " + kDsnDigests + " answered HTTP " + std::to_string(r->status) + ", not {\"dsn_digests\": [...]}";
    return std::nullopt;
  }
  std::set<std::string> out;
  for (const auto& d : (*doc)["dsn_digests"])
    if (d.is_string()) out.insert(d.get<std::string>());
  return out;
}

// N-CRED-13: a request carrying a valid sealed DSN (unique to the case) and one bad field must be
// refused (§8.1 step 2) and must not have stored the DSN (checked where the SUT lets it be seen).
Case cred_state_case(std::string kind, std::string title, Json edit, std::string detail, bool strict_only) {
  Case c;
  c.id = "N-CRED-13." + kind;
  c.title = "refused credential request (" + title + ") leaves no DSN stored";
  c.mechanism = Mechanism::credentials;
  c.target = Target::challenge;
  c.needs = {Need::admin, Need::signer, Need::sealed_key};
  if (strict_only) c.profiles = {Profile::seed_spec, Profile::hardened};
  const int refused = 400;  // §8.1 step 2
  c.expected_default = "HTTP " + std::to_string(refused) + " {\"detail\": \"" + detail + "\"}, and the DSN not stored (GET " + kDsnDigests +
                       " does not list its SHA-256)";
  c.run = [edit, detail, refused](Context& ctx) {
    const std::string dsn = unique_dsn(ctx);
    const auto req = signed_request(ctx, *ctx.sut->signer, kCredentials, cred_body(seal_to_sut(ctx, "{\"dsn\":\"" + dsn + "\"}"), edit));
    const HttpResult r = send_request(ctx, req);
    Outcome status = judge_status(r, refused, {}, detail);
    if (status.verdict != Verdict::pass) return status;
    std::string why;
    const auto digests = stored_digests(ctx, why);
    if (!digests) return Outcome::skipped(r.describe() + " as expected; whether the DSN was stored is not observable: " + why);
    if (digests->count(sha256_hex(dsn)))
      return Outcome::fail(r.describe() + ", but the DSN was stored (its SHA-256 is listed by GET " + kDsnDigests + ")");
    return Outcome::pass(r.describe() + "; DSN not stored (" + std::to_string(digests->size()) + " digests listed, not this one)");
  };
  return c;
}

}  // namespace

// Sealed credentials (§8.1, §12.8): the sealed box, the request's fields, the plaintext,
// low-order ephemeral keys (N-X-05).
std::vector<Case> credential_cases() {
  std::vector<Case> out;
  out.push_back(cred_case("CRED-OK", "sealed DSN {\"dsn\": ...} to the SUT's key: SDK_DB_DSN set", 200, "",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\":\"postgresql://u:p@db:5432/x\"}")); }));
  out.push_back(cred_case("N-CRED-01", "sealed of 47 bytes", 400, "credentials decrypt failed",
                          [](Context& ctx) { return cred_body(challenge_of(ctx).rng().bytes(47)); }));
  for (const auto& [suffix, at] : std::vector<std::pair<std::string, std::size_t>>{{"ephemeral-key", 3}, {"tag", 40}, {"ciphertext", 70}}) {
    out.push_back(cred_case("N-CRED-02." + suffix, "one bit flipped in the sealed box's " + suffix, 400, "credentials decrypt failed",
                            [at = at](Context& ctx) {
                              Bytes s = seal_to_sut(ctx, "{\"dsn\":\"postgresql://u:p@db:5432/x\"}");
                              s[at] ^= 0x01;
                              return cred_body(s);
                            }));
  }
  out.push_back(cred_case("N-CRED-03", "sealed to a different recipient key", 400, "credentials decrypt failed", [](Context& ctx) {
    const auto other = crypto::x25519_keypair(challenge_of(ctx).rng());
    return cred_body(*crypto::seal(other.pub, as_bytes(std::string("{\"dsn\":\"x\"}")), challenge_of(ctx).rng()));
  }));
  for (const auto& [suffix, edit] : std::vector<std::pair<std::string, Json>>{
           {"no-sealed", {{"sealed", "__erase__"}}}, {"no-challenge-name", {{"challenge_name", "__erase__"}}},
           {"no-version", {{"version", "__erase__"}}}, {"version-null", {{"version", nullptr}}}, {"challenge-name-empty", {{"challenge_name", ""}}}}) {
    out.push_back(cred_case("N-CRED-06." + suffix, "request body: " + suffix, 400, "missing fields", [edit = edit](Context& ctx) {
      return cred_body(seal_to_sut(ctx, "{\"dsn\":\"postgresql://u:p@db:5432/x\"}"), edit);
    }));
  }
  for (const auto& [suffix, plaintext] : std::vector<std::pair<std::string, std::string>>{
           {"dsn-empty", "{\"dsn\": \"\"}"}, {"no-dsn", "{\"other\": 1}"}, {"broken-json", "{broken json"}}) {
    out.push_back(cred_case("N-CRED-07." + suffix, "plaintext " + plaintext, 400, "invalid credentials payload",
                            [plaintext = plaintext](Context& ctx) { return cred_body(seal_to_sut(ctx, plaintext)); }));
  }
  out.push_back(cred_case("N-CRED-07.dsn-number", "plaintext {\"dsn\": 5}", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\": 5}")); }, {Profile::seed_spec, Profile::hardened}));
  out.push_back(cred_case("N-CRED-08", "plaintext not UTF-8 (0xff 0xfe)", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "\xff\xfe")); }));
  out.push_back(cred_case("N-CRED-09", "plaintext is a raw DSN string (accepted)", 200, "",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "postgresql://u:p@db:5432/raw")); }));
  for (int i = 0; i < 14; ++i) {
    const std::string lo(kLowOrderPoints[i]);
    out.push_back(cred_case("N-X-05." + two_digits(i + 1),
                            "sealed box whose ephemeral key is low-order point #" + std::to_string(i + 1), 400, "credentials decrypt failed",
                            [lo](Context& ctx) {
                              Bytes s = seal_to_sut(ctx, "{\"dsn\":\"x\"}");
                              const Bytes point = *codec::hex_decode(lo);
                              std::copy(point.begin(), point.end(), s.begin());
                              return cred_body(s);
                            }));
  }
  return out;
}

// §8.1 step 5 DSN limits, and N-CRED-13: a refused request stores nothing.
std::vector<Case> credential_refusal_cases() {
  std::vector<Case> out;
  // §8.1 step 5 [SEED]: DSN limits.
  out.push_back(cred_case("N-CRED-07.dsn-4097", "plaintext DSN of 4097 bytes (limit 4096)", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, "{\"dsn\":\"postgresql://" + std::string(4084, 'a') + "\"}")); },
                          {Profile::seed_spec, Profile::hardened}));
  out.push_back(cred_case("N-CRED-07.dsn-nul", "raw DSN with a NUL byte", 400, "invalid credentials payload",
                          [](Context& ctx) { return cred_body(seal_to_sut(ctx, std::string("postgresql://a\0b@db/x", 21))); },
                          {Profile::seed_spec, Profile::hardened}));
  // N-CRED-13: refused with a valid sealed DSN inside, and nothing stored.
  out.push_back(cred_state_case("no-challenge-name", "challenge_name missing", {{"challenge_name", "__erase__"}}, "missing fields", false));
  out.push_back(cred_state_case("challenge-name-empty", "challenge_name \"\"", {{"challenge_name", ""}}, "missing fields", false));
  out.push_back(cred_state_case("version-null", "version null", {{"version", nullptr}}, "missing fields", false));
  out.push_back(cred_state_case("no-version", "version missing", {{"version", "__erase__"}}, "missing fields", false));
  out.push_back(cred_state_case("challenge-name-number", "challenge_name 5", {{"challenge_name", 5}}, "missing fields", true));
  out.push_back(cred_state_case("version-17", "version 17", {{"version", 17}}, "missing fields", true));
  return out;
}

}  // namespace pnc::conf
