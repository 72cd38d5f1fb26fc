// handshake_test.json: scripted transcripts of the WebSocket attestation handshake (PROTOCOL.md
// §3-§4, golden V10). ServerHandshake: frames a client sends to the challenge; ClientHandshake:
// frames the challenge sends to a validator. Covers N-X-01/02, N-HS-01..28 where expressible as
// data, every field-length boundary and the [HARD] key binding / directional-key variant.
#include <cctype>

#include "common.hpp"
#include "fixed_rng.hpp"
#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/handshake.hpp"
#include "pnc/tdx_mock.hpp"
#include "spec_tables.hpp"

namespace pnc::vectors {
namespace {

using Frames = std::vector<OJson>;
OJson text(const std::string& t) { return {{"text", t}}; }
OJson padded(const std::string& t, std::size_t n) { return {{"text", t}, {"padTo", n}}; }
const OJson kBinary = {{"binary", true}};
const OJson kTimeout = {{"timeout", true}};

class AcceptDcap final : public DcapVerifier {
 public:
  Status verify(ByteView) override { return {}; }
};

std::string dump(const nlohmann::ordered_json& j) { return j.dump(); }

}  // namespace

VectorFile gen_handshake(const Golden& g) {
  VectorFile f("handshake_test.json", "PNC-WS-HANDSHAKE", "pnc_handshake_schema_v1.json",
               {"WebSocket attestation handshake transcripts (PROTOCOL.md §3-§4, golden V10). Each test drives one",
                "state machine (the group's `role`) configured by `config` (mode, env_mode; prod mode uses a stub",
                "DCAP verifier that accepts; expectedComposeHash when set). Its randomness is `rng` (server: chal_sk;",
                "client: N, val_sk, salt) and its own quote comes from MockQuoteV4 (env `config.envMode`). `inputs`",
                "are fed in order: {text[, padTo]}, {binary}, {timeout}. valid = the session key is established.",
                "`sent` (seed-spec only) are the frames the machine must send; `probe` is an envelope under the",
                "derived key that the session must deliver (seed-spec and sdk-compat)."});
  f.note("Ktv", "BASIC", "The golden transcript of PROTOCOL.md §13 V10.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A valid handshake in another legal form.", "Valid peers are refused.");
  f.note("LowOrderKey", "MISSING_STEP", "A low-order X25519 key of §12.2 (N-X-01, N-X-02, D-33).",
         "The session key is known to the attacker.");
  f.note("WrongOrder", "MISSING_STEP", "A message out of order or of the wrong type (N-HS-01, 02, 21, 24, D-01, D-32).",
         "The key exchange is skipped or hijacked.");
  f.note("BadField", "EDGE_CASE", "A missing, mistyped or wrong-length field (N-HS-04..06, 18..20, 25, 26).",
         "Malformed handshakes derive keys.");
  f.note("PeerQuote", "AUTH_BYPASS", "The peer's quote is missing or fails §3.7 (N-HS-07..12, 16, 17, D-03, D-06).",
         "Unattested peers are accepted.");
  f.note("Environment", "MISSING_STEP", "dev/prod isolation of §3.8 (N-HS-13..15, 27).", "A dev peer joins prod.");
  f.note("Transport", "EDGE_CASE", "Binary frames, the 30-second deadline and the 1 MiB frame limit (N-HS-03, 23, 28).",
         "Resource exhaustion or confused framing.");
  f.note("KeyBinding", "AUTH_BYPASS", "[HARD] key binding in REPORTDATA[32:64] and directional keys (§3.4, §4, D-04).",
         "A man in the middle swaps the key exchange.");

  // ---- V10 ingredients ----
  const Bytes n = g.h("V3", "nonce_hex"), val_sk = g.h("V1", "val_sk"), chal_sk = g.h("V1", "chal_sk");
  const Bytes val_pub = g.h("V1", "val_pub"), chal_pub = g.h("V1", "chal_pub"), salt = g.h("V1", "salt");
  const std::string nonce_hex = g.s("V3", "nonce_hex"), val_pub_b64 = g.s("V1", "val_pub_b64");
  const std::string log = g.s("V8", "event_log"), probe = g.s("V2", "envelope");
  const auto v8 = tdx::mock_quote_v4(n);
  auto begin = [&](const std::string& nonce_text, const std::string& pub_b64, const std::optional<Bytes>& quote,
                   const std::optional<std::string>& elog) {
    nlohmann::ordered_json j = {{"type", "attestation_begin"}, {"nonce", nonce_text}, {"val_x25519_pub", pub_b64}};
    if (quote) j["val_quote"] = b64(*quote);
    if (elog) j["val_event_log"] = *elog;
    return dump(j);
  };
  const std::string v10_begin = begin(nonce_hex, val_pub_b64, v8.quote, log);
  const std::string v10_ok = dump({{"type", "attestation_ok"}, {"aead", "chacha20poly1305"}, {"hkdf_salt", b64(salt)}});
  const std::string hard_ok = dump({{"type", "attestation_ok"}, {"aead", "chacha20poly1305-dir"}, {"hkdf_salt", b64(salt)}});
  const auto bound_val = tdx::mock_quote_v4_for(ws_report_data(n, key_binding_validator(val_pub)));
  const std::string bound_begin = begin(nonce_hex, val_pub_b64, bound_val.quote, log);
  auto response = [&](const std::string& pub_b64, const std::optional<Bytes>& quote, const std::optional<std::string>& elog) {
    nlohmann::ordered_json j = {{"type", "attestation_response"}};
    if (quote) j["quote"] = b64(*quote);
    j["event_log"] = elog ? nlohmann::ordered_json(*elog) : nlohmann::ordered_json(nullptr);
    j["rtmrs"] = nullptr;
    j["chal_x25519_pub"] = pub_b64;
    return dump(j);
  };
  const std::string v10_response = response(g.s("V1", "chal_pub_b64"), v8.quote, log);
  const auto bound_chal = tdx::mock_quote_v4_for(ws_report_data(n, key_binding_challenge(val_pub, chal_pub)));
  const std::string bound_response = response(g.s("V1", "chal_pub_b64"), bound_chal.quote, log);
  // A prod-looking validator quote: V8 without the mock marker (DCAP is stubbed to accept).
  auto unmarked = [](Bytes q) {
    auto p = tdx::parse_quote(q).value();
    p.user_data.fill(0);
    Bytes out = tdx::serialize_quote(p);
    tdx::reseal_mock_signature(out);
    return out;
  };
  tdx::MockParams prod_params;
  prod_params.env_mode = "prod";
  const auto v8_prod = tdx::mock_quote_v4(n, prod_params);
  const Bytes prod_quote = unmarked(v8_prod.quote);
  const std::string prod_log = v8_prod.event_log.value_or("");

  // Runs the reference under seed-spec to record the frames it sends (checked against V10 below).
  auto record_server = [&](const OJson& config, const Frames& inputs) {
    FixedRng rng(chal_sk);
    tdx::MockParams own;
    own.env_mode = config["envMode"].get<std::string>();
    tdx::MockQuoteProvider provider(own);
    AcceptDcap dcap;
    handshake::ServerConfig sc;
    sc.mode = config["mode"] == "prod" ? AttestationMode::prod : AttestationMode::mock;
    sc.env_mode = own.env_mode;
    sc.dcap = &dcap;
    handshake::ServerHandshake s(sc, rng, provider);
    std::vector<std::string> sent;
    for (const auto& in : inputs) {
      if (!in.contains("text")) continue;
      for (auto& fr : s.on_text(in["text"].get<std::string>()).send) sent.push_back(fr);
    }
    return sent;
  };
  auto record_client = [&](const OJson& config, const Frames& inputs) {
    FixedRng rng(concat(concat(n, val_sk), salt));
    tdx::MockParams own;
    own.env_mode = config["envMode"].get<std::string>();
    tdx::MockQuoteProvider provider(own);
    AcceptDcap dcap;
    handshake::ClientConfig cc;
    cc.mode = config["mode"] == "prod" ? AttestationMode::prod : AttestationMode::mock;
    cc.env_mode = own.env_mode;
    cc.dcap = &dcap;
    handshake::ClientHandshake c(cc, rng, &provider);
    std::vector<std::string> sent = c.start().send;
    for (const auto& in : inputs) {
      if (!in.contains("text")) continue;
      for (auto& fr : c.on_text(in["text"].get<std::string>()).send) sent.push_back(fr);
    }
    return sent;
  };

  const OJson mock_dev = {{"mode", "mock"}, {"envMode", "dev"}};
  const OJson prod = {{"mode", "prod"}, {"envMode", "prod"}};
  const Expect v10_expect{"valid", "valid", "invalid"};  // hardened needs key binding + directional keys

  // ---------------- server ----------------
  f.group("ServerHandshake", {{"role", "server"}});
  auto srv = [&](const Case& c, const OJson& config, const Frames& inputs, bool with_probe = false) {
    OJson fields = {{"config", config}, {"rng", hex(chal_sk)}, {"inputs", inputs}};
    if (c.expect.seed == "valid") {
      fields["sent"] = record_server(config, inputs);
      if (with_probe) fields["probe"] = probe;
    }
    f.add(c, fields);
  };
  {
    const auto sent = record_server(mock_dev, {text(v10_begin), text(v10_ok)});
    check(sent.size() == 1, "V10 server sends one frame");
    if (!sent.empty()) {
      const auto resp = nlohmann::json::parse(sent[0]);
      check_eq(resp.value("chal_x25519_pub", ""), g.s("V1", "chal_pub_b64"), "V10 chal_x25519_pub");
      check_eq(resp.value("quote", ""), g.s("V8", "quote_b64"), "V10 response quote");
      check_eq(resp.value("event_log", ""), log, "V10 response event_log");
    }
  }
  srv({"V10 transcript", {"Ktv"}, {"V10", "V1", "V8", "§3.5"}, v10_expect}, mock_dev, {text(v10_begin), text(v10_ok)}, true);
  srv({"[HARD] validator quote key-bound, aead chacha20poly1305-dir", {"KeyBinding"}, {"§3.4", "§4", "D-04"},
       {"invalid", "valid", "valid"}}, mock_dev, {text(bound_begin), text(hard_ok)});
  srv({"validator quote key-bound, aead chacha20poly1305", {"Valid"}, {"N-Q-10"}, {"valid", "valid", "invalid"}}, mock_dev,
      {text(bound_begin), text(v10_ok)}, true);
  srv({"mock mode, val_quote absent", {"Valid"}, {"§3.5 S3"}, v10_expect}, mock_dev,
      {text(begin(nonce_hex, val_pub_b64, std::nullopt, std::nullopt)), text(v10_ok)}, true);
  srv({"extra members and platform_api_id", {"Valid"}, {"§3.3"}, v10_expect}, mock_dev,
      {text(v10_begin.substr(0, v10_begin.size() - 1) + R"(,"platform_api_id":"platform-api","x":[1]})"), text(v10_ok)}, true);
  {
    std::string upper = nonce_hex;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    srv({"nonce in upper-case hex", {"Valid"}, {"§0.3"}, v10_expect}, mock_dev, {text(begin(upper, val_pub_b64, v8.quote, log)), text(v10_ok)}, true);
  }
  for (std::size_t i = 0; i < kLowOrderX25519.size(); ++i)
    srv({"val_x25519_pub = low-order point #" + std::to_string(i + 1), {"LowOrderKey"}, {"N-X-01", "D-33"}, invalid()}, mock_dev,
        {text(begin(nonce_hex, b64(unhex(kLowOrderX25519[i])), v8.quote, log)), text(v10_ok)});
  srv({"first frame attestation_ok", {"WrongOrder"}, {"N-HS-01"}, invalid()}, mock_dev, {text(v10_ok)});
  srv({"first frame attestation_request (API HEAD)", {"WrongOrder"}, {"N-HS-02", "D-01"}, invalid()}, mock_dev,
      {text(dump({{"type", "attestation_request"}, {"nonce", nonce_hex}, {"api_x25519_pub", val_pub_b64}})), text(v10_ok)});
  srv({"first frame not JSON", {"Transport"}, {"N-HS-03"}, invalid()}, mock_dev, {text("hello"), text(v10_begin), text(v10_ok)});
  srv({"first frame binary", {"Transport"}, {"N-HS-03", "§3.1"}, invalid()}, mock_dev, {kBinary, text(v10_begin), text(v10_ok)});
  srv({"first frame a JSON array", {"WrongOrder"}, {"N-ENC-08"}, invalid()}, mock_dev, {text("[" + v10_begin + "]"), text(v10_ok)});
  srv({"begin without nonce", {"BadField"}, {"N-HS-04"}, invalid()}, mock_dev,
      {text(dump({{"type", "attestation_begin"}, {"val_x25519_pub", val_pub_b64}})), text(v10_ok)});
  srv({"begin without val_x25519_pub", {"BadField"}, {"N-HS-04"}, invalid()}, mock_dev,
      {text(dump({{"type", "attestation_begin"}, {"nonce", nonce_hex}})), text(v10_ok)});
  for (std::size_t len : {31u, 33u}) {
    const Bytes nn = len == 31 ? Bytes(n.begin(), n.end() - 1) : concat(n, {0x20});
    srv({"nonce of " + std::to_string(len) + " bytes", {"BadField"}, {"N-HS-05"}, strict_reject()}, mock_dev,
        {text(begin(hex(nn), val_pub_b64, tdx::mock_quote_v4(nn).quote, log)), text(v10_ok)});
  }
  srv({"empty nonce", {"BadField"}, {"N-HS-06"}, strict_reject()}, mock_dev,
      {text(begin("", val_pub_b64, tdx::mock_quote_v4({}).quote, log)), text(v10_ok)});
  srv({"nonce 63 hex chars", {"BadField"}, {"N-ENC-07"}, invalid()}, mock_dev,
      {text(begin(nonce_hex.substr(1), val_pub_b64, v8.quote, log)), text(v10_ok)});
  srv({"nonce = 123 (not a string)", {"BadField"}, {"N-ENC-12"}, invalid()}, mock_dev,
      {text(R"({"type":"attestation_begin","nonce":123,"val_x25519_pub":")" + val_pub_b64 + "\"}"), text(v10_ok)});
  for (std::size_t len : {31u, 33u})
    srv({"val_x25519_pub of " + std::to_string(len) + " bytes", {"BadField"}, {"N-ENC-05"}, invalid()}, mock_dev,
        {text(begin(nonce_hex, b64(Bytes(len, 9)), v8.quote, log)), text(v10_ok)});
  srv({"val_x25519_pub with a LF inside", {"BadField"}, {"N-ENC-01"}, strict_reject()}, mock_dev,
      {text(begin(nonce_hex, val_pub_b64.substr(0, 10) + "\n" + val_pub_b64.substr(10), v8.quote, log)), text(v10_ok)});
  srv({"duplicate type member (last attestation_begin)", {"BadField"}, {"N-ENC-09"}, strict_reject()}, mock_dev,
      {text(R"({"type":"x",)" + v10_begin.substr(1)), text(v10_ok)});
  srv({"val_event_log sent as a JSON object", {"BadField"}, {"§3.8"}, strict_reject()}, mock_dev,
      {text(v10_begin.substr(0, v10_begin.find(",\"val_event_log\"")) + R"(,"val_event_log":{"environment_mode":"dev"}})"), text(v10_ok)});
  srv({"prod: val_quote absent", {"PeerQuote"}, {"N-HS-07"}, invalid()}, prod,
      {text(begin(nonce_hex, val_pub_b64, std::nullopt, prod_log)), text(v10_ok)});
  srv({"prod: val_quote empty", {"PeerQuote"}, {"N-HS-07"}, invalid()}, prod,
      {text(R"({"type":"attestation_begin","nonce":")" + nonce_hex + R"(","val_x25519_pub":")" + val_pub_b64 +
            R"(","val_quote":"","val_event_log":)" + nlohmann::json(prod_log).dump() + "}"), text(v10_ok)});
  srv({"prod: unmarked validator quote, environment prod", {"Valid"}, {"§3.5", "§3.7"}, v10_expect}, prod,
      {text(begin(nonce_hex, val_pub_b64, prod_quote, prod_log)), text(v10_ok)}, true);
  srv({"prod: val_quote of 1023 bytes", {"PeerQuote"}, {"N-HS-08"}, invalid()}, prod,
      {text(begin(nonce_hex, val_pub_b64, Bytes(prod_quote.begin(), prod_quote.begin() + 1023), prod_log)), text(v10_ok)});
  srv({"prod: val_quote for another nonce", {"PeerQuote"}, {"N-HS-09"}, invalid()}, prod,
      {text(begin(nonce_hex, val_pub_b64, unmarked(tdx::mock_quote_v4(flip(n, 0), prod_params).quote), prod_log)), text(v10_ok)});
  for (std::size_t off : {576u, 584u}) {
    auto p = tdx::parse_quote(prod_quote).value();
    p.report_data.fill(0);
    Bytes q = tdx::serialize_quote(p);
    const auto d = crypto::sha256(n);
    std::copy(d.begin(), d.end(), q.begin() + static_cast<std::ptrdiff_t>(off));
    tdx::reseal_mock_signature(q);
    srv({"prod: SHA256(N) at " + std::to_string(off) + " only", {"PeerQuote"}, {off == 584 ? "N-HS-10" : "N-HS-11", "D-03"},
         strict_reject()}, prod, {text(begin(nonce_hex, val_pub_b64, q, prod_log)), text(v10_ok)});
  }
  srv({"prod: HTTP-style binding on WebSocket", {"PeerQuote"}, {"N-HS-12", "D-02"}, invalid()}, prod,
      {text(begin(nonce_hex, val_pub_b64, unmarked(tdx::mock_quote_v4_for(http_report_data(nonce_hex), prod_params).quote), prod_log)),
       text(v10_ok)});
  srv({"prod: val_event_log {\"environment_mode\":\"dev\"}", {"Environment"}, {"N-HS-13"}, invalid()}, prod,
      {text(begin(nonce_hex, val_pub_b64, prod_quote, std::string(R"({"environment_mode":"dev"})"))), text(v10_ok)});
  srv({"mock server env prod, validator log dev (compat waives in mock)", {"Environment"}, {"N-HS-13", "D-06"}, strict_reject()},
      {{"mode", "mock"}, {"envMode", "prod"}}, {text(v10_begin), text(v10_ok)});
  srv({"prod: val_event_log {\"dev_mode\":true}", {"Environment"}, {"N-HS-14"}, invalid()}, prod,
      {text(begin(nonce_hex, val_pub_b64, prod_quote, std::string(R"({"dev_mode":true})"))), text(v10_ok)});
  srv({"prod: no event log", {"Environment"}, {"N-HS-15", "D-08"}, strict_reject()}, prod,
      {text(begin(nonce_hex, val_pub_b64, prod_quote, std::nullopt)), text(v10_ok)});
  srv({"prod: validator quote carries the mock marker", {"PeerQuote"}, {"N-HS-16"}, strict_reject()}, prod,
      {text(begin(nonce_hex, val_pub_b64, v8_prod.quote, prod_log)), text(v10_ok)});
  srv({"mock: one body byte flipped (mock signature mismatch)", {"PeerQuote"}, {"N-HS-17", "D-06"}, strict_reject()}, mock_dev,
      {text(begin(nonce_hex, val_pub_b64, flip(v8.quote, 300), log)), text(v10_ok)});
  srv({"attestation_ok without hkdf_salt", {"BadField"}, {"N-HS-18"}, invalid()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_ok","aead":"chacha20poly1305"})")});
  srv({"hkdf_salt empty", {"BadField"}, {"N-HS-18"}, invalid()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_ok","aead":"chacha20poly1305","hkdf_salt":""})")});
  srv({"salt under hkdf_salt_b64 only", {"BadField"}, {"N-HS-18", "D-09"}, strict_reject()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_ok","aead":"chacha20poly1305","hkdf_salt_b64":")" + b64(salt) + "\"}")});
  for (std::size_t len : {16u, 31u, 33u, 64u})
    srv({"hkdf_salt of " + std::to_string(len) + " bytes", {"BadField"}, {"N-HS-19", "D-09"}, strict_reject()}, mock_dev,
        {text(v10_begin), text(R"({"type":"attestation_ok","aead":"chacha20poly1305","hkdf_salt":")" + b64(Bytes(len, 7)) + "\"}")});
  srv({"hkdf_salt = null", {"BadField"}, {"N-HS-18", "N-ENC-12"}, invalid()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_ok","aead":"chacha20poly1305","hkdf_salt":null})")});
  srv({"aead = xchacha20poly1305", {"BadField"}, {"N-HS-20"}, strict_reject()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_ok","aead":"xchacha20poly1305","hkdf_salt":")" + b64(salt) + "\"}")});
  srv({"aead missing", {"BadField"}, {"N-HS-20"}, strict_reject()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_ok","hkdf_salt":")" + b64(salt) + "\"}")});
  srv({"second attestation_begin instead of attestation_ok", {"WrongOrder"}, {"N-HS-21"}, invalid()}, mock_dev,
      {text(v10_begin), text(v10_begin), text(v10_ok)});
  srv({"client attestation_reject after the response", {"WrongOrder"}, {"§3.10"}, invalid()}, mock_dev,
      {text(v10_begin), text(R"({"type":"attestation_reject","reason":"no"})"), text(v10_ok)});
  srv({"deadline fires after attestation_response", {"Transport"}, {"N-HS-23", "D-34"}, strict_reject()}, mock_dev,
      {text(v10_begin), kTimeout, text(v10_ok)});
  srv({"deadline fires before attestation_begin", {"Transport"}, {"N-HS-23", "D-34"}, strict_reject()}, mock_dev,
      {kTimeout, text(v10_begin), text(v10_ok)});
  srv({"attestation_begin of exactly 1 MiB", {"Transport"}, {"N-HS-28", "§10"}, v10_expect}, mock_dev,
      {padded(v10_begin, 1048576), text(v10_ok)}, true);
  srv({"attestation_begin of 1 MiB + 1", {"Transport"}, {"N-HS-28", "§10"}, strict_reject()}, mock_dev,
      {padded(v10_begin, 1048577), text(v10_ok)});

  // ---------------- client ----------------
  f.group("ClientHandshake", {{"role", "client"}});
  const Bytes client_rng = concat(concat(n, val_sk), salt);
  auto cli = [&](const Case& c, const OJson& config, const Frames& inputs, bool with_probe = false) {
    OJson fields = {{"config", config}, {"rng", hex(client_rng)}, {"inputs", inputs}};
    if (c.expect.seed == "valid") {
      fields["sent"] = record_client(config, inputs);
      if (with_probe) fields["probe"] = probe;
    }
    f.add(c, fields);
  };
  {
    const auto sent = record_client(mock_dev, {text(v10_response)});
    check(sent.size() == 2, "V10 client sends begin and ok");
    if (sent.size() == 2) {
      const auto b = nlohmann::json::parse(sent[0]);
      check_eq(b.value("nonce", ""), nonce_hex, "V10 begin nonce");
      check_eq(b.value("val_x25519_pub", ""), val_pub_b64, "V10 begin val_x25519_pub");
      check_eq(b.value("val_quote", ""), g.s("V8", "quote_b64"), "V10 begin val_quote");
      check(nlohmann::json::parse(sent[1]) == nlohmann::json::parse(v10_ok), "V10 attestation_ok: " + sent[1]);
    }
  }
  cli({"V10 transcript", {"Ktv"}, {"V10", "§3.6"}, v10_expect}, mock_dev, {text(v10_response)}, true);
  cli({"[HARD] challenge quote key-bound", {"KeyBinding"}, {"§3.4", "D-04"}}, mock_dev, {text(bound_response)}, true);
  for (std::size_t i = 0; i < kLowOrderX25519.size(); ++i)
    cli({"chal_x25519_pub = low-order point #" + std::to_string(i + 1), {"LowOrderKey"}, {"N-X-02", "D-33"}, strict_reject()},
        mock_dev, {text(response(b64(unhex(kLowOrderX25519[i])), v8.quote, log))});
  // VAL accepts it (D-32); the reference rejects it in every profile (a security bug it declines to
  // reproduce), so sdk-compat may do either.
  cli({"server attestation_ok instead of attestation_response", {"WrongOrder"}, {"N-HS-24", "D-32"},
       {"invalid", "acceptable", "invalid"}}, mock_dev,
      {text(R"({"type":"attestation_ok","chal_x25519_pub":")" + g.s("V1", "chal_pub_b64") + R"(","hkdf_salt":")" + b64(salt) + "\"}")});
  cli({"response without quote", {"BadField"}, {"N-HS-25"}, invalid()}, mock_dev, {text(response(g.s("V1", "chal_pub_b64"), std::nullopt, log))});
  for (std::size_t len : {31u, 33u})
    cli({"chal_x25519_pub of " + std::to_string(len) + " bytes", {"BadField"}, {"N-HS-26"}, invalid()}, mock_dev,
        {text(response(b64(Bytes(len, 9)), v8.quote, log))});
  cli({"compose hash differs from the expected one", {"Environment"}, {"N-HS-27"}, invalid()},
      {{"mode", "mock"}, {"envMode", "dev"}, {"expectedComposeHash", std::string(64, '0')}}, {text(v10_response)});
  cli({"compose hash as expected", {"Valid"}, {"N-HS-27", "§3.6 C4.5"}, v10_expect},
      {{"mode", "mock"}, {"envMode", "dev"}, {"expectedComposeHash", "3b5f55eda6eaeb815ba66ab6995bedc1575fb3b690337d5ec9623cfa1adbc9f6"}},
      {text(v10_response)}, true);
  cli({"object-shaped challenge log with a compose hash expected", {"Environment"}, {"N-HS-27"}, invalid()},
      {{"mode", "mock"}, {"envMode", "dev"}, {"expectedComposeHash", "3b5f55eda6eaeb815ba66ab6995bedc1575fb3b690337d5ec9623cfa1adbc9f6"}},
      {text(response(g.s("V1", "chal_pub_b64"), v8.quote, std::string(R"({"environment_mode":"dev"})")))});
  cli({"server attestation_reject", {"PeerQuote"}, {"§3.6 C3"}, invalid()}, mock_dev,
      {text(R"({"type":"attestation_reject","reason":"Validator quote required for mutual attestation"})")});
  cli({"challenge quote for another nonce (compat mock VMM waives)", {"PeerQuote"}, {"N-HS-09", "D-06"}, strict_reject()}, mock_dev,
      {text(response(g.s("V1", "chal_pub_b64"), tdx::mock_quote_v4(flip(n, 0)).quote, log))});
  // sdk-compat (VAL) reads the environment from object logs only: a dstack array is undefined (§3.8).
  cli({"challenge environment prod (array log), client dev", {"Environment"}, {"§3.6 C4.4", "§3.8"}, strict_reject()}, mock_dev,
      {text(response(g.s("V1", "chal_pub_b64"), v8_prod.quote, prod_log))});
  cli({"challenge object log environment_mode prod, client dev", {"Environment"}, {"§3.6 C4.4", "§3.8"}, invalid()}, mock_dev,
      {text(response(g.s("V1", "chal_pub_b64"), v8.quote, std::string(R"({"environment_mode":"prod"})")))});
  cli({"binary frame before the response", {"Transport"}, {"§3.1", "§3.6 C3"}, strict_reject()}, mock_dev,
      {kBinary, text(v10_response)});
  cli({"deadline fires before the response", {"Transport"}, {"N-HS-23", "D-34"}, strict_reject()}, mock_dev,
      {kTimeout, text(v10_response)});
  cli({"response not JSON", {"WrongOrder"}, {"N-ENC-10"}, invalid()}, mock_dev, {text("{" + v10_response)});
  return f;
}

}  // namespace pnc::vectors
