// Wycheproof-v1-style vector files (vectors/testvectors_v1/*.json) as shim cases: one case per
// test (id "<file stem>#<tcId>"). A table maps each testGroups[].type to a shim operation; the
// expected result per profile is the test's `result`, or `profiles.<name>` where it differs.
// `valid` needs an ok answer with the listed outputs, `invalid` an error answer, `acceptable`
// either.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "cases/catalogue.hpp"
#include "cases/handshake_transcripts.hpp"
#include "cases/shim_checks.hpp"
#include "cases/shim_session.hpp"
#include "pnc/codec.hpp"

namespace pnc::conf {

namespace {

using json::Json;
using E = ShimCheck::Expect;

// Builds the operation for one test; `outputs` is what a valid answer must contain. A mapping
// with `judge` instead compares an ok answer itself (vectors whose invalid cases are still
// answered, e.g. with an HTTP status): it returns a mismatch text, empty when the answer fits.
struct Mapping {
  std::string op;
  std::function<Json(const Json& group, const Json& test)> args;
  std::function<Json(const Json& group, const Json& test)> outputs;
  std::function<std::string(const Json& result, bool valid, const Json& test, Profile profile)> judge;
  std::vector<std::string> judged = {};  // with `judge`: the result members it reads (campaign seeds)
};

std::string str(const Json& o, const char* k) { return o.contains(k) && o.at(k).is_string() ? o.at(k).get<std::string>() : ""; }
std::string hex_text(const std::string& t) { return codec::hex_encode(as_bytes(t)); }

Json pick(const Json& test, std::initializer_list<const char*> names) {
  Json out = Json::object();
  for (const char* n : names)
    if (test.contains(n)) out[n] = test.at(n);
  return out;
}

std::string aead_alg(const Json& group) {
  const auto it = group.find("ivSize");
  return it != group.end() && *it == 192 ? "xchacha20poly1305" : "chacha20poly1305";
}

Json none(const Json&, const Json&) { return Json::object(); }

// b64 -> hex of a member of a JSON text member (credential-transfer responses).
std::string response_member_hex(const std::string& response, const char* name) {
  auto doc = json::parse(response, Profile::sdk_compat);
  if (!doc || !doc->contains("encrypted_credentials")) return {};
  const std::string b64 = str((*doc)["encrypted_credentials"], name);
  auto bytes = codec::b64_decode(b64);
  return bytes ? codec::hex_encode(*bytes) : std::string();
}

const std::map<std::string, Mapping>& mappings() {
  static const std::map<std::string, Mapping> table = {
      {"XdhComp", {"x25519", [](const Json&, const Json& t) { return pick(t, {"private", "public"}); },
                   [](const Json&, const Json& t) { return Json{{"shared", str(t, "shared")}}; }, {}}},
      {"EddsaVerify", {"ed25519_verify",
                       [](const Json& g, const Json& t) {
                         return Json{{"pk", str(g.at("publicKey"), "pk")}, {"msg", str(t, "msg")}, {"sig", str(t, "sig")}};
                       },
                       none, {}}},
      {"HkdfTest", {"hkdf_sha256", [](const Json&, const Json& t) { return pick(t, {"ikm", "salt", "info", "size"}); },
                    [](const Json&, const Json& t) { return Json{{"okm", str(t, "okm")}}; }, {}}},
      {"AeadTest", {"aead_decrypt",
                    [](const Json& g, const Json& t) {
                      Json a = pick(t, {"key", "iv", "aad", "ct", "tag"});
                      a["alg"] = aead_alg(g);
                      return a;
                    },
                    [](const Json&, const Json& t) { return Json{{"msg", str(t, "msg")}}; }, {}}},
      {"Base64Decode", {"b64_decode",
                        [](const Json&, const Json& t) {
                          Json a = {{"text", str(t, "input")}};
                          if (t.contains("size") && t.at("size").is_number_integer()) a["length"] = t.at("size");
                          return a;
                        },
                        [](const Json&, const Json& t) { return Json{{"bytes", str(t, "output")}}; }, {}}},
      {"Base64UrlDecode", {"b64url_decode", [](const Json&, const Json& t) { return Json{{"text", str(t, "input")}}; },
                           [](const Json&, const Json& t) { return Json{{"bytes", str(t, "output")}}; }, {}}},
      {"HexDecode", {"hex_decode",
                     [](const Json&, const Json& t) {
                       Json a = {{"text", str(t, "input")}};
                       if (t.contains("size") && t.at("size").is_number_integer()) a["length"] = t.at("size");
                       return a;
                     },
                     [](const Json&, const Json& t) { return Json{{"bytes", str(t, "output")}}; }, {}}},
      {"JsonParse", {"json_parse",
                     [](const Json&, const Json& t) {
                       return Json{{"text", str(t, "input")}, {"object", t.contains("object") && t.at("object") == true}};
                     },
                     none, {}}},
      {"BodyEncrypt", {"body_encrypt",
                       [](const Json& g, const Json& t) {
                         return Json{{"key", str(t, "key")}, {"nonce", str(t, "nonce")}, {"plaintext", hex_text(str(t, "msg"))},
                                     {"cipher", str(g, "construction")}};
                       },
                       [](const Json&, const Json& t) { return Json{{"body", str(t, "body")}}; }, {}}},
      {"BodyDecrypt", {"body_decrypt",
                       [](const Json& g, const Json& t) {
                         return Json{{"key", str(t, "key")}, {"body", str(t, "body")}, {"cipher", str(g, "construction")}};
                       },
                       [](const Json&, const Json& t) { return Json{{"plaintext", hex_text(str(t, "msg"))}}; }, {}}},
      {"RuntimeEventDigest", {"runtime_event_digest", [](const Json&, const Json& t) { return pick(t, {"event", "payload"}); },
                              [](const Json&, const Json& t) { return Json{{"digest", str(t, "digest")}}; }, {}}},
      {"RtmrReplay", {"event_log_replay",
                      [](const Json&, const Json& t) {
                        // padTo: the log padded with trailing whitespace to that many bytes (§10 limit).
                        std::string log = str(t, "eventLog");
                        if (t.contains("padTo") && t.at("padTo").is_number_unsigned() && t.at("padTo").get<std::size_t>() > log.size())
                          log.append(t.at("padTo").get<std::size_t>() - log.size(), ' ');
                        return Json{{"event_log", log}};
                      },
                      [](const Json&, const Json& t) {
                        Json o = Json::object();
                        if (t.contains("rtmrs") && t.at("rtmrs").is_array())
                          for (std::size_t i = 0; i < t.at("rtmrs").size(); ++i) o["rtmr" + std::to_string(i)] = t.at("rtmrs")[i];
                        return o;
                      },
                      {}}},
      {"Rtmr3Check", {"rtmr3_check", [](const Json& g, const Json& t) { return Json{{"quote", str(g, "quote")}, {"event_log", str(t, "eventLog")}}; },
                      none, {}}},
      {"RtmrsCheck", {"rtmrs_check",
                      [](const Json& g, const Json& t) { return Json{{"quote", str(g, "quote")}, {"rtmrs", t.contains("rtmrs") ? t.at("rtmrs") : Json()}}; },
                      none, {}}},
      {"ComposeHash", {"compose_hash_check",
                       [](const Json&, const Json& t) {
                         return Json{{"event_log", t.contains("eventLog") ? t.at("eventLog") : Json()}, {"expected", str(t, "expected")}};
                       },
                       none, {}}},
      {"EnvMode", {"env_mode_extract",
                   [](const Json&, const Json& t) { return Json{{"event_log", str(t, "eventLog")}}; }, none,
                   [](const Json& r, bool valid, const Json& t, Profile p) -> std::string {
                     // valid: the extracted mode (envProfiles.<profile>, else env); invalid: none.
                     Json want = t.contains("env") ? t.at("env") : Json();
                     const std::string name(to_string(p));
                     if (t.contains("envProfiles") && t.at("envProfiles").is_object() && t.at("envProfiles").contains(name))
                       want = t.at("envProfiles").at(name);
                     const Json got = r.contains("env_mode") ? r.at("env_mode") : Json();
                     if (valid ? got == want : got.is_null()) return {};
                     return "environment mode " + got.dump() + (valid ? ", expected " + want.dump() : ", expected none");
                   }, {"env_mode"}}},
      {"ReportData", {"report_data_ws",
                      [](const Json&, const Json& t) {
                        return str(t, "kind") == "http" ? Json{{"nonce_text", str(t, "nonce")}, {"op", "report_data_http"}}
                                                        : Json{{"nonce", str(t, "nonce")}};
                      },
                      [](const Json&, const Json& t) { return Json{{"report_data", str(t, "reportData")}}; }, {}}},
      {"SealOpen", {"sealed_box_open",
                    [](const Json& g, const Json& t) {
                      return Json{{"sealed", str(t, "sealed")}, {"recipient_public", str(g, "recipientPublic")},
                                  {"recipient_private", str(g, "recipientPrivate")}};
                    },
                    [](const Json&, const Json& t) { return Json{{"plaintext", str(t, "msg")}}; }, {}}},
      {"Ed25519ToX25519", {"ed25519_to_x25519", [](const Json&, const Json& t) { return Json{{"pk", str(t, "edPublic")}}; },
                           [](const Json&, const Json& t) { return Json{{"public", str(t, "x25519Public")}}; }, {}}},
      {"SealedCredentials", {"sealed_credentials",
                             [](const Json&, const Json& t) {
                               return Json{{"body", str(t, "body")}, {"receiver_key_b64", t.contains("receiverKeyB64") ? t.at("receiverKeyB64") : Json()}};
                             },
                             none,
                             [](const Json& r, bool valid, const Json& t, Profile) -> std::string {
                               const int status = r.value("status", 0);
                               if (valid) {
                                 if (status != 200) return "status " + std::to_string(status) + ", expected 200";
                                 if (t.contains("dsn") && r.value("dsn", std::string()) != str(t, "dsn")) return "a different DSN was stored";
                                 return {};
                               }
                               return status == 200 ? std::string("status 200, expected a refusal") : std::string();
                             }, {"status", "dsn"}}},
      {"QuoteParse", {"quote_parse", [](const Json&, const Json& t) { return Json{{"quote", str(t, "quote")}}; }, none, {}}},
      {"PeerQuoteVerify", {"quote_verify_peer",
                           [](const Json&, const Json& t) {
                             auto q = codec::hex_decode(str(t, "quote"));
                             Json a = {{"quote_b64", q ? codec::b64_encode(*q) : std::string()}, {"nonce", str(t, "nonce")},
                                       {"mode", str(t, "mode")}, {"local_env", str(t, "localEnv")}, {"dcap", str(t, "dcap")},
                                       {"event_log", t.contains("eventLog") ? t.at("eventLog") : Json()}};
                             if (t.contains("keyBinding") && t.at("keyBinding").is_string()) a["key_binding"] = t.at("keyBinding");
                             if (t.contains("expectedComposeHash") && t.at("expectedComposeHash").is_string())
                               a["expected_compose_hash"] = t.at("expectedComposeHash");
                             return a;
                           },
                           none, {}}},
      {"SignedQuoteVerify", {"signed_quote_verify",
                             [](const Json& g, const Json& t) {
                               auto q = codec::hex_decode(str(t, "quote"));
                               Json a = {{"quote_b64", q ? codec::b64_encode(*q) : std::string()}, {"nonce", str(t, "nonce")},
                                         {"local_env", str(t, "localEnv")}, {"root_ca_pem", str(g, "rootCaPem")},
                                         {"now", t.value("now", Json(0))},
                                         {"event_log", t.contains("eventLog") ? t.at("eventLog") : Json()}};
                               if (t.contains("keyBinding") && t.at("keyBinding").is_string()) a["key_binding"] = t.at("keyBinding");
                               if (t.contains("rtmrs") && t.at("rtmrs").is_object()) a["rtmrs"] = t.at("rtmrs");
                               return a;
                             },
                             none, {}}},
      {"AttestRequest", {"attest_request",
                         [](const Json& g, const Json& t) {
                           return Json{{"nonce_bytes", str(g, "nonceBytes")}, {"issued_at", g.value("issuedAt", Json(0))},
                                       {"now", t.value("now", Json(0))}, {"replays", t.value("replays", Json(0))},
                                       {"content_type", t.contains("contentType") ? t.at("contentType") : Json()},
                                       {"body", str(t, "body")}};
                         },
                         none,
                         [](const Json& r, bool valid, const Json&, Profile) -> std::string {
                           // valid = 200 (§2.5); the refusal's status is the implementation's to choose.
                           const Json st = r.contains("status") ? r.at("status") : Json();
                           if (valid == (st == 200)) return {};
                           return "status " + st.dump() + " (" + str(r, "reason") + ")" + (valid ? ", expected 200" : ", expected a refusal");
                         }, {"status"}}},
      {"AttestResponse", {"attest_response",
                          [](const Json& g, const Json& t) {
                            return Json{{"ed_seed", str(g, "edSeed")}, {"x25519_sk", str(g, "x25519Sk")},
                                        {"status", t.value("status", Json(0))}, {"body", str(t, "body")}};
                          },
                          [](const Json&, const Json& t) { return Json{{"aead_key", t.contains("aeadKey") ? t.at("aeadKey") : Json()}}; },
                          {}}},
      {"NonceResponse", {"nonce_response",
                         [](const Json&, const Json& t) { return Json{{"status", t.value("status", Json(0))}, {"body", str(t, "body")}}; },
                         [](const Json&, const Json& t) { return Json{{"nonce", t.contains("nonce") ? t.at("nonce") : Json()}}; }, {}}},
      {"MinerTokenVerify", {"miner_token_verify",
                            [](const Json& g, const Json& t) {
                              Json a = {{"token", str(t, "token")}, {"issuer_public", str(g, "issuerPublicKey")}, {"issuer", str(g, "issuer")},
                                        {"audience", str(g, "audience")}, {"now", t.value("now", Json(0))},
                                        {"replay_cache", g.contains("replayCache") && g.at("replayCache") == true}};
                              if (g.contains("leeway")) a["leeway"] = g.at("leeway");
                              if (t.contains("previous")) a["earlier"] = t.at("previous");
                              return a;
                            },
                            [](const Json&, const Json& t) { return t.contains("tokenInfo") ? Json{{"token_info", t.at("tokenInfo")}} : Json::object(); },
                            {}}},
      {"CredentialEncrypt", {"credential_transfer_encrypt",
                             [](const Json& g, const Json& t) {
                               return Json{{"recipient_public", str(t, "recipientPublic")}, {"plaintext", str(t, "msg")},
                                           {"ephemeral_private", str(t, "ephemeralPrivate")}, {"nonce", str(t, "nonce")},
                                           {"aad_mode", str(g, "aadMode") == "platform_api" ? "platform_api" : "seed"}};
                             },
                             [](const Json&, const Json& t) {
                               return Json{{"encrypted_data", response_member_hex(str(t, "response"), "encrypted_data")}};
                             },
                             {}}},
      {"CredentialDecrypt", {"credential_transfer_decrypt",
                             [](const Json& g, const Json& t) {
                               return Json{{"response", str(t, "response")}, {"recipient_private", str(g, "recipientPrivate")},
                                           {"aad_mode", str(g, "aadMode") == "platform_api" ? "platform_api" : "seed"}};
                             },
                             [](const Json&, const Json& t) { return t.contains("credentials") ? Json{{"credentials", t.at("credentials")}} : Json::object(); },
                             {}}},
      {"CredentialReceive", {"credential_receive",
                             [](const Json& g, const Json& t) {
                               return Json{{"response", str(t, "response")}, {"recipient_private", str(g, "recipientPrivate")},
                                           {"aad_mode", str(g, "aadMode") == "platform_api" ? "platform_api" : "seed"}};
                             },
                             [](const Json&, const Json& t) { return Json{{"dsn", str(t, "dsn")}}; }, {}}},
      {"JsonMember", {"json_member",
                      [](const Json&, const Json& t) { return Json{{"text", str(t, "input")}, {"member", str(t, "member")}, {"kind", str(t, "kind")}}; },
                      none, {}}},
      {"EnvelopeReceive", {"channel_receive",
                           [](const Json&, const Json& t) {
                             Json a = {{"key", str(t, "key")}, {"frame", str(t, "frame")}};
                             if (t.contains("setup")) a["setup"] = t.at("setup");
                             if (t.contains("padTo")) a["pad_to"] = t.at("padTo");
                             if (t.contains("binary")) a["binary"] = t.at("binary");
                             return a;
                           },
                           [](const Json&, const Json& t) { return t.contains("msg") ? Json{{"plaintext", str(t, "msg")}} : Json::object(); },
                           {}}},
      {"SignedRequestVerify", {"signed_request_verify",
                               [](const Json& g, const Json& t) {
                                 auto request = [](const Json& r) {
                                   Json out = {{"method", str(r, "method")}, {"target", str(r, "target")},
                                               {"headers", r.contains("headers") ? r.at("headers") : Json::array()}};
                                   if (r.contains("bodyFill")) out["body_fill"] = r.at("bodyFill");
                                   else out["body"] = hex_text(str(r, "body"));
                                   return out;
                                 };
                                 Json a = request(t.at("request"));
                                 Json sessions = Json::array();
                                 for (const auto& sess : g.value("sessions", Json::array())) {
                                   auto pk = codec::b64_decode(str(sess, "publicKey"), Profile::sdk_compat);
                                   Json e = {{"token", str(sess, "token")}, {"public_key", pk ? codec::hex_encode(*pk) : std::string()},
                                             {"expires_at", sess.value("expiresAt", Json(0))}};
                                   if (sess.contains("aeadKey") && sess.at("aeadKey").is_string()) e["aead_key"] = sess.at("aeadKey");
                                   sessions.push_back(e);
                                 }
                                 a["sessions"] = sessions;
                                 a["now"] = t.contains("now") ? t.at("now") : g.value("now", Json(0));
                                 a["compat_verifier"] = str(g, "compatVerifier");
                                 if (t.contains("previous")) {
                                   a["replay"] = Json::array();
                                   for (const auto& r : t.at("previous")) a["replay"].push_back(request(r));
                                 }
                                 return a;
                               },
                               none,
                               [](const Json& r, bool valid, const Json&, Profile) -> std::string {
                                 const Json st = r.contains("status") ? r.at("status") : Json();
                                 const bool accepted = st == 200;
                                 if (valid == accepted) return {};
                                 return "status " + st.dump() + " (" + str(r, "reason") + ")" + (valid ? ", expected 200" : ", expected a refusal");
                               }, {"status"}}},
      {"CredentialRequestParse", {"credential_request_parse", [](const Json&, const Json& t) { return Json{{"body", str(t, "body")}}; }, none, {}}},
      {"IdentityResolve", {"identity_resolve",
                           [](const Json& g, const Json& t) {
                             return Json{{"route", str(t, "route")},
                                         {"headers", t.contains("headers") ? t.at("headers") : Json::array()},
                                         {"dev_mode", t.contains("devMode") && t.at("devMode") == true},
                                         {"authenticated_by_signed_request",
                                          t.contains("authenticatedBySignedRequest") && t.at("authenticatedBySignedRequest") == true},
                                         {"challenge_id", g.contains("challengeId") ? g.at("challengeId") : Json()},
                                         {"routes", g.contains("routes") ? g.at("routes") : Json::array()}};
                           },
                           none,
                           [](const Json& r, bool valid, const Json& t, Profile p) -> std::string {
                             const Json got = r.contains("token_info") ? r.at("token_info") : Json();
                             if (!valid) return "token_info " + got.dump() + ", expected a refusal (401 or 404)";
                             // tokenInfo holds a table per profile; hardened builds on seed-spec (§0.2).
                             const Json tables = t.contains("tokenInfo") ? t.at("tokenInfo") : Json::object();
                             std::string key(to_string(p));
                             if (!tables.contains(key) && p == Profile::hardened) key = "seed-spec";
                             if (!tables.contains(key)) return "the vector gives no token_info for profile " + key;
                             if (got == tables.at(key)) return {};
                             return "token_info " + got.dump() + ", expected " + tables.at(key).dump();
                           }, {"token_info"}}},
  };
  return table;
}

// Group types whose tests are multi-step exchanges rather than one operation.
using Driver = std::function<Outcome(Context&, const Json& group, const Json& test, const std::string& expected,
                                     const std::string& case_id)>;
struct Drive {
  std::string ops;  // for the expected-behaviour text
  Driver run;
};

const std::map<std::string, Drive>& drivers() {
  static const std::map<std::string, Drive> table = {
      {"ServerHandshake", {"the server machine (handshake_start/input)", run_handshake_transcript}},
      {"ClientHandshake", {"the client machine (handshake_start/input)", run_handshake_transcript}},
  };
  return table;
}

// The expected result of a test in a profile ("valid", "invalid", "acceptable").
std::string expected_result(const Json& test, Profile p) {
  const std::string name(to_string(p));
  if (test.contains("profiles") && test.at("profiles").is_object() && test.at("profiles").contains(name))
    return test.at("profiles").at(name).get<std::string>();
  return str(test, "result");
}

// A group type this runner does not know yet (e.g. a vector file newer than the runner): one
// visible UNIMPLEMENTED case per group that is the runner's gap, not the SUT's failure.
Case unmapped_case(const std::string& id, const std::string& type, const std::string& vector_file, std::size_t tests = 0) {
  Case c;
  c.id = id;
  c.title = std::to_string(tests) + " tests of group type " + type;
  c.mechanism = Mechanism::vectors;
  c.vector_file = vector_file;
  c.target = Target::shim;
  c.expected_default = "the runner maps group type " + type + " to a shim operation";
  c.run = [type](Context&) { return Outcome::gap("the runner has no shim operation for group type " + type); };
  return c;
}

void add_file(const std::filesystem::path& path, std::vector<Case>& out) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  // The project's own vector files: nlohmann's parser directly (fast), shared by the cases.
  auto parsed = std::make_shared<const Json>(Json::parse(buffer.str(), nullptr, false));
  Result<std::shared_ptr<const Json>> doc = parsed->is_object()
                                                ? Result<std::shared_ptr<const Json>>(parsed)
                                                : Result<std::shared_ptr<const Json>>(make_error("vectors.bad_json", "not a JSON object"));
  const std::string stem = path.stem().string();
  std::string short_name = stem;
  if (short_name.size() > 5 && short_name.compare(short_name.size() - 5, 5, "_test") == 0)
    short_name.resize(short_name.size() - 5);
  if (!doc || !(*doc)->contains("testGroups") || !(*doc)->at("testGroups").is_array()) {
    Case c = unmapped_case(stem, "(unreadable file)", short_name);
    c.run = [msg = doc ? std::string("no testGroups array") : doc.error().message](Context&) {
      return Outcome::fail("the vector file is unreadable: " + msg);
    };
    out.push_back(std::move(c));
    return;
  }
  const std::shared_ptr<const Json> keep = *doc;
  for (const auto& group : keep->at("testGroups")) {
    const std::string type = str(group, "type");
    auto mapping = mappings().find(type);
    auto driver = drivers().find(type);
    if (!group.contains("tests") || !group.at("tests").is_array()) continue;
    if (driver != drivers().end()) {
      for (const auto& test : group.at("tests")) {
        Case c;
        c.id = stem + "#" + (test.contains("tcId") ? test.at("tcId").dump() : "?");
        c.title = str(test, "comment");
        c.mechanism = Mechanism::vectors;
        c.vector_file = short_name;
        c.target = Target::shim;
        for (Profile p : kProfiles) {
          const std::string r = expected_result(test, p);
          c.expected[p] = r == "valid" ? driver->second.ops + " establishes the session"
                          : r == "invalid" ? driver->second.ops + " refuses the transcript"
                                           : driver->second.ops + " may establish or refuse (acceptable)";
        }
        c.run = [run = driver->second.run, keep, &group, &test, id = c.id](Context& ctx) {
          (void)keep;
          return run(ctx, group, test, expected_result(test, ctx.profile), id);
        };
        out.push_back(std::move(c));
      }
      continue;
    }
    if (mapping == mappings().end()) {
      out.push_back(unmapped_case(stem + "#" + type, type, short_name, group.at("tests").size()));
      continue;
    }
    for (const auto& test : group.at("tests")) {
      const std::string tc = test.contains("tcId") ? test.at("tcId").dump() : "?";
      Case c;
      c.id = stem + "#" + tc;
      c.title = str(test, "comment");
      c.mechanism = Mechanism::vectors;
      c.vector_file = short_name;
      c.target = Target::shim;
      const Mapping m = mapping->second;
      for (Profile p : kProfiles) {
        const std::string r = expected_result(test, p);
        c.expected[p] = r == "valid" ? m.op + " succeeds with the vector's output"
                        : r == "invalid" ? m.op + " rejects the input"
                                         : m.op + " may accept or reject (acceptable)";
      }
      // The lambdas refer into the shared document instead of copying each group and test.
      c.run = [m, keep, &group, &test](Context& ctx) {
        (void)keep;
        const std::string r = expected_result(test, ctx.profile);
        ShimCheck check;
        check.args = m.args(group, test);
        check.op = m.op;
        if (check.args.contains("op")) {  // a mapping that picks the operation per test
          check.op = check.args["op"].get<std::string>();
          check.args.erase("op");
        }
        if (m.judge) {
          // The operation answers in both cases; the judge compares.
          auto* shim = dynamic_cast<ShimSession*>(ctx.session);
          if (shim == nullptr) return Outcome::fail("no shim session");
          auto answer = shim->call(check.op, check.args, ctx.profile);
          if (!answer) return Outcome::fail(check.op + ": " + answer.error().message);
          if (answer->kind == ShimAnswer::Kind::unimplemented) return Outcome{Verdict::unimplemented, "the shim does not implement " + check.op, {}};
          if (answer->kind == ShimAnswer::Kind::error) {
            if (r == "invalid") return Outcome::pass(check.op + " rejected (" + answer->error + ")");
            return Outcome::fail(check.op + " rejected the input (" + answer->error + ")");
          }
          if (r == "acceptable") return Outcome::pass(check.op + " ok (acceptable)");
          const std::string mismatch = m.judge(answer->result, r == "valid", test, ctx.profile);
          return mismatch.empty() ? Outcome::pass(check.op + " ok") : Outcome::fail(check.op + ": " + mismatch);
        }
        if (r == "valid") {
          check.expect = E::ok;
          check.result = m.outputs(group, test);
        } else if (r == "invalid") {
          check.expect = E::error;
        } else {
          check.expect = E::either;
        }
        return run_shim_checks(ctx, {check});
      };
      out.push_back(std::move(c));
    }
  }
}

}  // namespace

Result<std::vector<Case>> vector_file_cases(const std::string& vectors_dir) {
  namespace fs = std::filesystem;
  std::vector<Case> out;
  const fs::path dir = fs::path(vectors_dir) / "testvectors_v1";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) add_file(f, out);
  return out;
}

Result<std::vector<ShimSeed>> shim_seeds(const std::string& vectors_dir) {
  namespace fs = std::filesystem;
  std::vector<ShimSeed> out;
  const fs::path dir = fs::path(vectors_dir) / "testvectors_v1";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error("vectors.missing", dir.string() + " is not a directory");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = json::parse(text.str(), Profile::sdk_compat);
    if (!doc || !doc->is_object() || !doc->contains("testGroups") || !doc->at("testGroups").is_array())
      return make_error("vectors.bad_file", path.string() + ": no testGroups array");
    for (const auto& group : doc->at("testGroups")) {
      auto mapping = mappings().find(str(group, "type"));
      if (mapping == mappings().end() || !group.contains("tests") || !group.at("tests").is_array()) continue;
      const Mapping& m = mapping->second;
      std::set<std::string> judged(m.judged.begin(), m.judged.end());
      if (!m.judge)
        for (const auto& test : group.at("tests")) {
          const Json outputs = m.outputs(group, test);
          for (const auto& [k, v] : outputs.items()) judged.insert(k);
        }
      for (const auto& test : group.at("tests")) {
        ShimSeed seed;
        seed.id = path.stem().string() + "#" + (test.contains("tcId") ? test.at("tcId").dump() : "?");
        seed.op = m.op;
        seed.args = m.args(group, test);
        if (seed.args.contains("op")) {
          seed.op = seed.args["op"].get<std::string>();
          seed.args.erase("op");
        }
        seed.judged.assign(judged.begin(), judged.end());
        for (Profile pr : kProfiles)
          seed.valid = seed.valid || expected_result(test, pr) == "valid";
        out.push_back(std::move(seed));
      }
    }
  }
  return out;
}

Result<std::vector<Case>> shim_cases(const std::string& vectors_dir) {
  auto golden = golden_vector_cases(vectors_dir);
  if (!golden) return golden.error();
  auto files = vector_file_cases(vectors_dir);
  if (!files) return files.error();
  std::vector<Case> out = std::move(*golden);
  for (auto& c : *files) out.push_back(std::move(c));
  return out;
}

}  // namespace pnc::conf
