// Consumer of signed_request_test.json: a SessionTable with the group's sessions, a FixedClock at
// `now`, and the §6.4 Verifier for the run's profile (sdk-compat: the group's compatVerifier).
#include "pnc/clock.hpp"
#include "pnc/signed_http.hpp"
#include "runner.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {
namespace {

signed_http::HttpRequest request_of(const Json& j) {
  signed_http::HttpRequest r;
  r.method = str_field(j, "method");
  r.target = str_field(j, "target");
  for (const auto& h : j["headers"]) r.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  if (j.contains("bodyFill")) r.body.assign(j["bodyFill"]["length"].get<std::size_t>(), test::hex(j["bodyFill"]["byte"].get<std::string>())[0]);
  else r.body = to_bytes(str_field(j, "body"));
  return r;
}

}  // namespace

Verdict run_signed_request(const Json& g, const Json& t, Profile p) {
  const std::int64_t now = t.contains("now") ? t["now"].get<std::int64_t>() : g["now"].get<std::int64_t>();
  FixedClock clock(now);
  signed_http::SessionTable table;
  for (const auto& s : g["sessions"]) {
    signed_http::Session session;
    session.ed_public = test::b64(str_field(s, "publicKey"));
    if (!s["aeadKey"].is_null()) session.aead_key = Secret<32>(hex_field(s, "aeadKey"));
    session.expires_at = s["expiresAt"].get<std::int64_t>();
    if (!table.add(str_field(s, "token"), std::move(session), 0).ok()) return {false, "session setup failed"};
  }
  signed_http::VerifierOptions opts;
  opts.profile = p;
  opts.compat = g["compatVerifier"] == "sdk_presence_only" ? signed_http::CompatVerifier::sdk_presence_only
                                                           : signed_http::CompatVerifier::val_middleware;
  const signed_http::Verifier verifier(table, clock, opts);
  for (const auto& prev : t.value("previous", Json::array())) (void)verifier.verify(request_of(prev));
  const auto r = verifier.verify(request_of(t["request"]));
  std::string mismatch;
  if (is_strict(p) && r.status != t["status"].get<int>())
    mismatch = "status " + std::to_string(r.status) + " (" + r.reason + "), want " + std::to_string(t["status"].get<int>());
  if (!r.ok()) return {false, mismatch};
  const std::string pname(to_string(p));
  const Json* want = t.contains("msg") ? &t["msg"] : nullptr;
  if (t.contains("msgProfiles") && t["msgProfiles"].contains(pname)) want = &t["msgProfiles"][pname];
  if (mismatch.empty() && want && to_string(r.body) != want->get<std::string>()) mismatch = "body differs";
  return {true, mismatch};
}

}  // namespace pnc::vectors
