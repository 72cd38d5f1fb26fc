// §13 golden vectors V1-V9 as shim cases: each case sends the vector's inputs and expects the
// vector's outputs byte for byte (or the rejection the spec names for its negative variants).
#include <fstream>
#include <sstream>

#include "cases/catalogue.hpp"
#include "cases/shim_checks.hpp"
#include "pnc/codec.hpp"

namespace pnc::conf {

namespace {

using json::Json;
using E = ShimCheck::Expect;

std::string b64_to_hex(const std::string& b64) {
  auto bytes = codec::b64_decode(b64);
  return bytes ? codec::hex_encode(*bytes) : std::string();
}

std::string text_hex(std::string_view s) { return codec::hex_encode(as_bytes(s)); }

ShimCheck ok(std::string op, Json args, Json result) {
  return ShimCheck{std::move(op), std::move(args), E::ok, std::move(result)};
}
ShimCheck rejects(std::string op, Json args) { return ShimCheck{std::move(op), std::move(args), E::error, Json::object()}; }

std::vector<Case> build(const Json& g) {
  const Json& v1 = g.at("V1");
  const Json& v2 = g.at("V2");
  const Json& v3 = g.at("V3");
  const Json& v4 = g.at("V4");
  const Json& v5 = g.at("V5");
  const Json& v6 = g.at("V6");
  const Json& v7 = g.at("V7");
  const Json& v8 = g.at("V8");
  const Json& v9 = g.at("V9");
  auto s = [](const Json& o, const char* k) { return o.at(k).get<std::string>(); };
  std::vector<Case> out;
  auto add = [&](std::string id, std::string title, std::string vector_file, std::vector<ShimCheck> checks,
                 std::string expected) {
    out.push_back(make_shim_case(std::move(id), std::move(title), std::move(vector_file),
                                 [checks](Profile) { return checks; }, std::move(expected)));
  };

  // V1 — key derivation.
  add("V1.x25519", "V1 X25519 shared secret from both sides", "golden",
      {ok("x25519", {{"private", s(v1, "val_sk")}, {"public", s(v1, "chal_pub")}}, {{"shared", s(v1, "shared")}}),
       ok("x25519", {{"private", s(v1, "chal_sk")}, {"public", s(v1, "val_pub")}}, {{"shared", s(v1, "shared")}})},
      "shared = V1.shared from both key pairs");
  add("V1.public", "V1 X25519 public keys", "golden",
      {ok("x25519_public", {{"private", s(v1, "val_sk")}}, {{"public", s(v1, "val_pub")}}),
       ok("x25519_public", {{"private", s(v1, "chal_sk")}}, {{"public", s(v1, "chal_pub")}})},
      "public = V1.val_pub / V1.chal_pub");
  add("V1.key", "V1 WebSocket session key K (HKDF-SHA256, info platform-api-sdk-v1)", "golden",
      {ok("hkdf_sha256", {{"ikm", s(v1, "shared")}, {"salt", s(v1, "salt")}, {"info", text_hex("platform-api-sdk-v1")}, {"size", 32}},
          {{"okm", s(v1, "key")}}),
       ok("ws_session_key", {{"private", s(v1, "val_sk")}, {"public", s(v1, "chal_pub")}, {"salt", s(v1, "salt")}},
          {{"key", s(v1, "key")}})},
      "K = V1.key");

  // V2 — envelope.
  const std::string env_ok = s(v2, "envelope");
  auto with_ct = [&](const std::string& ct_b64) {
    Json e = Json::parse(env_ok);
    e["ciphertext"] = ct_b64;
    return e.dump();
  };
  add("V2.seal", "V2 envelope seal with a fixed nonce", "golden",
      {ok("envelope_seal", {{"key", s(v1, "key")}, {"nonce", s(v2, "nonce")}, {"plaintext", s(v2, "plaintext")}},
          {{"envelope", env_ok}})},
      "envelope = V2.envelope");
  add("V2.open", "V2 envelope open", "golden",
      {ok("envelope_open", {{"key", s(v1, "key")}, {"envelope", env_ok}}, {{"plaintext", s(v2, "plaintext")}})},
      "plaintext = V2.plaintext");
  add("V2.tampered-tag", "V2 with the last tag byte flipped (N-ENV-04)", "golden",
      {rejects("envelope_open", {{"key", s(v1, "key")}, {"envelope", with_ct(s(v2, "tampered_tag_ciphertext_b64"))}})},
      "envelope_open rejects it");
  add("V2.aad", "V2 sealed with AAD \"x\" (N-ENV-08)", "golden",
      {rejects("envelope_open", {{"key", s(v1, "key")}, {"envelope", with_ct(s(v2, "aad_x_ciphertext_b64"))}})},
      "envelope_open rejects it");

  // V3 — report_data bindings.
  add("V3", "V3 nonce to report_data, WebSocket and HTTP bindings", "golden",
      {ok("report_data_ws", {{"nonce", s(v3, "nonce_hex")}}, {{"report_data", s(v3, "rd_ws") + std::string(64, '0')}}),
       ok("report_data_http", {{"nonce_text", s(v3, "nonce_hex")}}, {{"report_data", s(v3, "rd_http") + std::string(64, '0')}})},
      "report_data = V3.rd_ws / V3.rd_http || 32 zero bytes");

  // V4 — signed HTTP.
  const std::string body_hex = text_hex(s(v4, "body"));
  const std::string token = "session_00000000-0000-4000-8000-000000000000";
  const std::string nonce = "123e4567-e89b-12d3-a456-426614174000";
  const std::string sig_hex = b64_to_hex(s(v4, "sig_b64"));
  add("V4.canonical", "V4 canonical string (six LF-separated fields)", "golden",
      {ok("canonical_string", {{"method", "POST"}, {"path", "/results/submit"}, {"body", body_hex}, {"timestamp", "1700000000"},
                               {"nonce", nonce}, {"session_token", token}}, {{"canonical", s(v4, "canonical")}}),
       ok("canonical_string", {{"method", "POST"}, {"path", "/cvm/heartbeat"}, {"body", ""}, {"timestamp", "1700000000"},
                               {"nonce", nonce}, {"session_token", ""}}, {{"canonical", s(v4, "canonical_empty")}})},
      "canonical = V4.canonical / V4.canonical_empty");
  add("V4.signature", "V4 Ed25519 signature over the canonical string", "golden",
      {ok("ed25519_public", {{"seed", s(v4, "seed")}}, {{"public", s(v4, "pk")}}),
       ok("ed25519_sign", {{"seed", s(v4, "seed")}, {"msg", text_hex(s(v4, "canonical"))}}, {{"sig", sig_hex}}),
       ok("ed25519_sign", {{"seed", s(v4, "seed")}, {"msg", text_hex(s(v4, "canonical_empty"))}},
          {{"sig", b64_to_hex(s(v4, "sig_empty_b64"))}}),
       ok("ed25519_verify", {{"pk", s(v4, "pk")}, {"msg", text_hex(s(v4, "canonical"))}, {"sig", sig_hex}}, Json::object())},
      "signature = V4.sig_b64 and verifies");
  add("V4.s-plus-l", "V4 signature with S + L (N-ED-01)", "golden",
      {rejects("ed25519_verify", {{"pk", s(v4, "pk")}, {"msg", text_hex(s(v4, "canonical"))}, {"sig", b64_to_hex(s(v4, "sig_s_plus_l_b64"))}})},
      "strict verification rejects it");
  auto request = [&](const std::string& sig_b64) {
    return Json{{"method", "POST"},
                {"target", "/results/submit"},
                {"headers", Json::array({Json::array({"Content-Type", "application/json"}),
                                         Json::array({"X-Session-Token", token}),
                                         Json::array({"X-Public-Key", s(v4, "pk_b64")}),
                                         Json::array({"X-Timestamp", "1700000000"}),
                                         Json::array({"X-Nonce", nonce}),
                                         Json::array({"X-Signature", sig_b64})})},
                {"body", body_hex},
                {"sessions", Json::array({{{"token", token}, {"public_key", s(v4, "pk")}, {"expires_at", 1700003600}}})},
                {"now", 1700000000}};
  };
  add("V4.request", "V4 signed request accepted at now = 1700000000", "golden",
      {ok("signed_request_verify", request(s(v4, "sig_b64")), {{"status", 200}})}, "status 200");
  add("V4.request-s-plus-l", "V4 signed request with S + L (N-SIG-16)", "golden",
      {ok("signed_request_verify", request(s(v4, "sig_s_plus_l_b64")), {{"status", 401}})}, "status 401");

  // V5 — encrypted bodies.
  const std::string v5_pt = text_hex(s(v5, "plaintext"));
  const std::string ietf = s(v5, "ietf_ct"), xch = s(v5, "sdk_xchacha_ct");
  auto split = [](const std::string& hexct) {
    return std::pair<std::string, std::string>{hexct.substr(0, hexct.size() - 32), hexct.substr(hexct.size() - 32)};
  };
  add("V5.ietf", "V5 [SEED] body: IETF ChaCha20-Poly1305", "golden",
      {ok("aead_encrypt", {{"alg", "chacha20poly1305"}, {"key", s(v5, "key")}, {"iv", s(v5, "nonce")}, {"aad", ""}, {"msg", v5_pt}},
          {{"ct", split(ietf).first}, {"tag", split(ietf).second}}),
       ok("body_decrypt", {{"key", s(v5, "key")}, {"cipher", "ietf"},
                           {"body", Json{{"enc", "chacha20poly1305"}, {"nonce", codec::b64_encode(*codec::hex_decode(s(v5, "nonce")))},
                                         {"ciphertext", codec::b64_encode(*codec::hex_decode(ietf))}}.dump()}},
          {{"plaintext", v5_pt}})},
      "ciphertext = V5.ietf_ct");
  add("V5.sdk-xchacha", "V5 [COMPAT] body quirk: XChaCha20-Poly1305 with n12 || 0^12 (D-12)", "golden",
      {ok("hchacha20", {{"key", s(v5, "key")}, {"input", s(v5, "nonce") + "00000000"}}, {{"subkey", s(v5, "hchacha_subkey")}}),
       ok("aead_encrypt", {{"alg", "xchacha20poly1305"}, {"key", s(v5, "key")}, {"iv", s(v5, "nonce") + std::string(24, '0')},
                           {"aad", ""}, {"msg", v5_pt}},
          {{"ct", split(xch).first}, {"tag", split(xch).second}})},
      "subkey = V5.hchacha_subkey, ciphertext = V5.sdk_xchacha_ct");

  // V6 — sealed DSN.
  add("V6.keys", "V6 Ed25519 to X25519 conversion", "golden",
      {ok("ed25519_to_x25519", {{"seed", s(v6, "ed_seed")}}, {{"private", s(v6, "x25519_sk")}}),
       ok("ed25519_to_x25519", {{"pk", s(v6, "ed_pk")}}, {{"public", s(v6, "x25519_pk")}})},
      "x_sk, x_pk = V6 values");
  add("V6.open", "V6 sealed box opens to the DSN JSON", "golden",
      {ok("sealed_box_open", {{"sealed", b64_to_hex(s(v6, "sealed_b64"))}, {"recipient_public", s(v6, "x25519_pk")},
                              {"recipient_private", s(v6, "x25519_sk")}},
          {{"plaintext", text_hex(s(v6, "plaintext"))}})},
      "plaintext = V6.plaintext");
  {
    const Json body = {{"sealed", s(v6, "sealed_b64")}, {"challenge_name", "demo"}, {"version", 1}};
    const std::string seed_key = s(v6, "sdk_ephemeral_sk_b64");
    const std::string x_key = codec::b64_encode(*codec::hex_decode(s(v6, "x25519_sk")));
    out.push_back(make_shim_case(
        "V6.credentials", "V6 sealed credentials request: SDK_DB_DSN set, 200 {\"migrated\": true}", "golden",
        [=](Profile p) {
          // [HARD] the receiver key is the X25519 secret itself (D-24), not the Ed25519 seed.
          const std::string key = p == Profile::hardened ? x_key : seed_key;
          return std::vector<ShimCheck>{ok("sealed_credentials", {{"body", body.dump()}, {"receiver_key_b64", key}},
                                           {{"status", 200}, {"dsn", "postgresql://u:p@db:5432/x"}})};
        },
        "200, DSN postgresql://u:p@db:5432/x"));
  }

  // V7 — credential transfer.
  const std::string eph_pk_hex = b64_to_hex(s(v7, "eph_pk_b64"));
  const std::string rcpt_pk_hex = b64_to_hex(s(v7, "recipient_pk_b64"));
  const Json encrypt_args = {{"recipient_public", rcpt_pk_hex}, {"plaintext", s(v7, "plaintext")}, {"ephemeral_private", s(v7, "eph_sk")},
                             {"nonce", b64_to_hex(s(v7, "nonce_b64"))}};
  auto with_mode = [](Json args, const char* mode) {
    args["aad_mode"] = mode;
    return args;
  };
  auto response = [&](const std::string& ct_b64) {
    return Json{{"encrypted_credentials", {{"encrypted_data", ct_b64}, {"ephemeral_public_key", s(v7, "eph_pk_b64")}, {"nonce", s(v7, "nonce_b64")}}},
                {"schema_name", "challenge_x"}}.dump();
  };
  add("V7.key", "V7 credential-transfer key (HKDF salt platform-credential-transfer-v1)", "golden",
      {ok("hkdf_sha256", {{"ikm", s(v7, "shared")}, {"salt", text_hex("platform-credential-transfer-v1")},
                          {"info", text_hex("credential-encryption")}, {"size", 32}}, {{"okm", s(v7, "key")}})},
      "key = V7.key");
  add("V7.encrypt", "V7 encryption with AAD = e_pk [SEED] and without AAD (platform-api)", "golden",
      {ok("credential_transfer_encrypt", with_mode(encrypt_args, "seed"),
          {{"encrypted_data", b64_to_hex(s(v7, "ct_with_aad_b64"))}, {"ephemeral_public_key", eph_pk_hex}}),
       ok("credential_transfer_encrypt", with_mode(encrypt_args, "platform_api"),
          {{"encrypted_data", b64_to_hex(s(v7, "ct_no_aad_b64"))}})},
      "encrypted_data = V7.ct_with_aad_b64 / V7.ct_no_aad_b64");
  add("V7.decrypt", "V7 decryption with the SEED rule", "golden",
      {ok("credential_transfer_decrypt", {{"response", response(s(v7, "ct_with_aad_b64"))}, {"recipient_private", s(v7, "recipient_sk")}, {"aad_mode", "seed"}},
          {{"credentials", {{"database_url", "postgresql://u:p@db:5432/x"}}}})},
      "credentials = {database_url: postgresql://u:p@db:5432/x}");
  add("V7.no-aad", "V7 platform-api ciphertext under the SEED rule (N-CRED-10, D-25)", "golden",
      {rejects("credential_transfer_decrypt", {{"response", response(s(v7, "ct_no_aad_b64"))}, {"recipient_private", s(v7, "recipient_sk")}, {"aad_mode", "seed"}})},
      "decryption fails (InvalidTag)");

  // V8 — MockQuoteV4.
  const std::string quote_hex = b64_to_hex(s(v8, "quote_b64"));
  Json parse_expect = {{"version", 4}, {"report_data", s(v8, "report_data")}};
  for (const auto& [name, value] : v8.at("rtmrs").items()) parse_expect[name] = value;
  add("V8.mock-quote", "V8 MockQuoteV4 for the V3 nonce, byte for byte", "golden",
      {ok("mock_quote", {{"nonce", s(v8, "nonce_hex")}, {"env_mode", "dev"}}, {{"quote", quote_hex}, {"event_log", s(v8, "event_log")}})},
      "quote = V8.quote_b64, event log = V8.event_log");
  add("V8.parse", "V8 quote parses; REPORTDATA at 568", "golden",
      {ok("quote_parse", {{"quote", quote_hex}}, parse_expect)}, "version 4, report_data and RTMRs = V8 values");
  add("V8.replay", "V8 event log replays to RTMR3", "golden",
      {ok("event_log_replay", {{"event_log", s(v8, "event_log")}},
          {{"rtmr3", v8.at("rtmrs").at("rtmr3")}})},
      "rtmr3 = V8 RTMR3");
  {
    const Json mock = {{"quote_b64", s(v8, "quote_b64")}, {"event_log", s(v8, "event_log")}, {"nonce", s(v8, "nonce_hex")},
                       {"local_env", "dev"}, {"mode", "mock"}};
    Json prod = mock;
    prod["mode"] = "prod";
    prod["dcap"] = "accept";
    // [SEED] a prod verifier refuses the mock marker; [COMPAT] upstream never checks signatures
    // (D-06) so the quote passes on its nonce binding. [HARD] is left out: V8 carries no key binding.
    out.push_back(make_shim_case(
        "V8.verify", "V8 accepted in mock mode; in prod refused for its mock marker (N-HS-16, N-Q-12)", "golden",
        [mock, prod](Profile p) {
          return std::vector<ShimCheck>{ok("quote_verify_peer", mock, Json::object()),
                                        is_strict(p) ? rejects("quote_verify_peer", prod) : ok("quote_verify_peer", prod, Json::object())};
        },
        "mock mode accepts; prod rejects the mock marker (seed-spec) / accepts it (sdk-compat, D-06)",
        {Profile::seed_spec, Profile::sdk_compat}));
  }

  // V9 — MinerToken.
  const Json token_args = {{"token", s(v9, "token")}, {"issuer_public", s(v9, "issuer_pk")}, {"issuer", "platform-api"},
                           {"audience", "challenge_demo"}};
  auto at = [](Json args, std::int64_t now) {
    args["now"] = now;
    return args;
  };
  add("V9", "V9 MinerToken verifies at 1700000100", "golden",
      {ok("miner_token_verify", at(token_args, 1700000100),
          {{"token_info", {{"uid", "7"}, {"miner_hotkey", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}, {"job_id", "job-1"},
                           {"challenge_id", "challenge_demo"}, {"job_type", ""}}}})},
      "token_info = V9 claims");
  add("V9.expired", "V9 at exp + leeway + 1 (N-TOK-01)", "golden",
      {rejects("miner_token_verify", at(token_args, 1700000331))}, "rejected (expired)");
  return out;
}

}  // namespace

Result<std::vector<Case>> golden_vector_cases(const std::string& vectors_dir) {
  const std::string path = vectors_dir + "/PROTOCOL-vectors.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("vectors.unreadable", "cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto doc = json::parse_object(buffer.str(), Profile::sdk_compat);
  if (!doc) return make_error("vectors.bad_json", path + ": " + doc.error().message);
  try {
    return build(*doc);
  } catch (const std::exception& e) {
    return make_error("vectors.bad_shape", path + ": " + e.what());
  }
}

}  // namespace pnc::conf
