// bootstrap_test.json: the HTTP bootstrap of PROTOCOL.md §2 as data. AttestRequest: the
// validator's /attest processing (§2.5 steps 0-7, N-BOOT-01..06) in mock mode, each request a
// complete HTTP body with its Content-Type, against a nonce issued at a known time; the expected
// HTTP status per profile and the reason. AttestResponse: the challenge's processing of the
// /attest answer (§2.6, N-BOOT-07) and the derived aead_key. NonceResponse: the client's check of
// the /attestation/challenge answer (§2.1). Expected statuses come from §2.1-§2.6 and §12.
#include <algorithm>
#include <cctype>
#include <functional>
#include <string>

#include "common.hpp"
#include "pnc/attestation.hpp"
#include "pnc/bootstrap.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::vectors {
namespace {

constexpr std::int64_t kIssuedAt = 1700000000;

// Expected HTTP status of /attest per profile (hardened = seed-spec here: §2.5 has no [HARD] rule).
struct Statuses {
  int seed;
  int compat;
};
Expect expect_of(Statuses s) {
  return {s.seed == 200 ? "valid" : "invalid", s.compat == 200 ? "valid" : "invalid", s.seed == 200 ? "valid" : "invalid"};
}

}  // namespace

VectorFile gen_bootstrap(const Golden& g) {
  VectorFile f("bootstrap_test.json", "PNC-HTTP-BOOTSTRAP", "pnc_bootstrap_schema_v1.json",
               {"The HTTP bootstrap of PROTOCOL.md §2. AttestRequest: a validator in mock mode (§2.5 [SEED]: step 4",
                "= §9.3 structure + §9.6 mock marker and signature) has issued the nonce HEX(`nonceBytes`) at",
                "`issuedAt` (lifetime 300 s, single use); after `replays` earlier acceptances of the same request,",
                "POST /attest with `contentType` (null = no header) and `body` at `now` answers `status`",
                "(seed-spec and hardened) / `compatStatus` (sdk-compat, VAL); valid = 200; `reason` is the",
                "seed-spec rejection code. AttestResponse: the challenge with Ed25519 seed `edSeed` and X25519",
                "secret `x25519Sk` processes the answer (`status`, `body`, §2.6); `aeadKey` is the derived key",
                "(null = none, sdk-compat without crypto). NonceResponse: the nonce the client takes from the",
                "/attestation/challenge answer (§2.1)."});
  f.note("Valid", "BASIC", "A well-formed exchange.", "Bootstrap fails between conforming peers.");
  f.note("NonceLifecycle", "AUTH_BYPASS", "[SEED] step 0: the nonce must be issued, unexpired and unused (N-BOOT-01, D-41).",
         "Quotes and requests can be replayed.");
  f.note("ReportDataBinding", "AUTH_BYPASS", "report_data[0:32] must be SHA256(ASCII nonce), not of its decoded bytes (§2.3, N-BOOT-02, D-02).",
         "A quote made for another binding is accepted.");
  f.note("AttestationType", "MODIFIED_PARAMETER", "attestation_type must be exactly \"Tdx\" (N-BOOT-03).",
         "Other evidence types are taken for TDX.");
  f.note("QuoteEncoding", "EDGE_CASE", "Quote not strict base64 of a parseable quote (N-BOOT-04, D-19); VAL answers 500.",
         "Unparseable evidence reaches the verifier.");
  f.note("EvidenceMembers", "MISSING_STEP", "event_log / rtmrs missing or null (N-BOOT-05); VAL accepts explicit null.",
         "Unmeasured sessions are created.");
  f.note("ClientKeys", "MODIFIED_PARAMETER", "ephemeral_public_key / sdk_x25519_pub not 32 bytes or small order (N-BOOT-06, D-33).",
         "Sessions bound to weak or attacker-chosen keys.");
  f.note("RequestShape", "EDGE_CASE", "Content type, JSON syntax and member types checked before step 1 (§2.5: 415 / 400 / 422).",
         "Parser confusion on hostile requests.");
  f.note("MockQuote", "AUTH_BYPASS", "Mock-mode step 4: the quote must carry the mock marker and a matching mock signature (§9.6).",
         "Arbitrary bytes pass as a quote.");
  f.note("ResponseCrypto", "MISSING_STEP", "The /attest answer's crypto member: 32-byte salt, non-low-order server key, "
         "aead chacha20poly1305 (N-BOOT-07, D-20, D-33).", "A weak or downgraded session key.");
  f.note("ResponseShape", "EDGE_CASE", "Non-2xx, non-JSON or incomplete /attest and nonce answers (§2.1, §2.6).",
         "Bootstrap proceeds on a failed exchange.");
  f.note("NonceFormat", "MODIFIED_PARAMETER", "[SEED] the nonce must be 64 hex characters (§2.1); the SDK takes any string.",
         "A malformed nonce is bound into the quote.");

  // ---------------- AttestRequest ----------------
  const Bytes nonce_bytes = g.h("V3", "nonce_hex");
  const std::string nonce = hex(nonce_bytes);  // HEX(32 random bytes), lowercase (§2.1)
  const auto ev = tdx::mock_quote_v4_for(bootstrap::attest_report_data(nonce));
  DeterministicRng rng(std::uint64_t{0xb007});
  const auto ed = crypto::ed25519_keypair(rng);
  const auto xk = crypto::x25519_keypair(rng);
  const std::string ed_b64 = b64(Bytes(ed.pub.begin(), ed.pub.end()));
  const std::string x_b64 = b64(Bytes(xk.pub.begin(), xk.pub.end()));

  // The §2.4 body, member by member, so that a case can drop or replace one.
  auto body = [&](const std::function<void(OJson&)>& edit = nullptr) {
    OJson att = {{"attestation_type", "Tdx"}, {"nonce", nonce}, {"quote", b64(ev.quote)}, {"report", nullptr},
                 {"measurements", OJson::array()}, {"capabilities", OJson::array({"cvm"})},
                 {"event_log", ev.event_log ? OJson(*ev.event_log) : OJson(nullptr)}, {"rtmrs", OJson::parse(ev.rtmrs.dump())}};
    OJson b = {{"ephemeral_public_key", ed_b64}, {"sdk_x25519_pub", x_b64}, {"attestation", att}};
    if (edit) edit(b);
    return b.dump();
  };
  f.group("AttestRequest", {{"issuedAt", kIssuedAt}, {"nonceBytes", hex(nonce_bytes)}});
  auto req = [&](const Case& c0, Statuses st, const char* reason, const std::string& b,
                 const std::optional<std::string>& ct = std::string("application/json"), std::int64_t now = kIssuedAt + 10,
                 int replays = 0) {
    Case c = c0;
    c.expect = expect_of(st);
    f.add(c, {{"contentType", ct ? OJson(*ct) : OJson(nullptr)}, {"body", b}, {"now", now}, {"replays", replays},
              {"status", st.seed}, {"compatStatus", st.compat}, {"reason", reason}});
  };
  namespace e = bootstrap::errc;
  auto att = [](const char* member, OJson value) {
    return [member, value](OJson& b) { b["attestation"][member] = value; };
  };
  auto drop = [](const char* member) { return [member](OJson& b) { b["attestation"].erase(member); }; };
  req({"valid mock-mode request", {"Valid"}, {"§2.4", "§2.5"}}, {200, 200}, "", body());
  req({"valid, Content-Type with charset parameter", {"Valid"}, {"§2.5"}}, {200, 200}, "", body(),
      std::string("application/json; charset=utf-8"));
  req({"valid at issuedAt + 300 s (last second of the nonce)", {"Valid", "NonceLifecycle"}, {"§2.1", "§10"}}, {200, 200}, "",
      body(), std::string("application/json"), kIssuedAt + 300);
  req({"nonce expired: issuedAt + 301 s", {"NonceLifecycle"}, {"N-BOOT-01", "D-41"}}, {401, 200}, e::kNonceExpired, body(),
      std::string("application/json"), kIssuedAt + 301);
  req({"nonce already used (second identical request)", {"NonceLifecycle"}, {"N-BOOT-01", "D-41"}}, {401, 200},
      e::kNonceUsed, body(), std::string("application/json"), kIssuedAt + 20, 1);
  {
    Bytes other = nonce_bytes;
    other[0] ^= 0x01;
    const std::string other_nonce = hex(other);
    const auto other_ev = tdx::mock_quote_v4_for(bootstrap::attest_report_data(other_nonce));
    req({"nonce never issued (quote bound to it)", {"NonceLifecycle"}, {"N-BOOT-01", "D-41"}}, {401, 200}, e::kNonceUnknown,
        body([&](OJson& b) {
          b["attestation"]["nonce"] = other_nonce;
          b["attestation"]["quote"] = b64(other_ev.quote);
        }));
  }
  {
    const auto decoded = tdx::mock_quote_v4_for(ws_report_data(nonce_bytes));
    req({"report_data = SHA256(decoded nonce bytes)", {"ReportDataBinding"}, {"N-BOOT-02", "D-02"}}, {401, 401},
        e::kReportData, body(att("quote", b64(decoded.quote))));
    std::string upper_nonce = nonce;
    std::transform(upper_nonce.begin(), upper_nonce.end(), upper_nonce.begin(),
                   [](char ch) { return static_cast<char>(std::toupper(static_cast<unsigned char>(ch))); });
    const auto upper = tdx::mock_quote_v4_for(bootstrap::attest_report_data(upper_nonce));
    req({"report_data = SHA256(uppercase hex of the nonce)", {"ReportDataBinding"}, {"§2.3"}}, {401, 401}, e::kReportData,
        body(att("quote", b64(upper.quote))));
  }
  for (const char* type : {"tdx", "Sgx", "TDX", "Tdx "})
    req({std::string("attestation_type \"") + type + "\"", {"AttestationType"}, {"N-BOOT-03"}}, {400, 400},
        e::kBadAttestationType, body(att("attestation_type", type)));
  req({"attestation_type missing", {"AttestationType"}, {"§2.5"}}, {400, 400}, e::kBadAttestationType,
      body(drop("attestation_type")));
  req({"quote as hex text (SDK quirk)", {"QuoteEncoding"}, {"N-BOOT-04", "D-19"}}, {400, 500}, e::kQuoteUnparseable,
      body(att("quote", hex(ev.quote))));
  req({"quote not base64", {"QuoteEncoding"}, {"§2.5"}}, {400, 400}, e::kQuoteEncoding, body(att("quote", "!not base64!")));
  req({"quote truncated to 600 bytes", {"QuoteEncoding"}, {"§2.5", "§9.3"}}, {400, 500}, e::kQuoteUnparseable,
      body(att("quote", b64(Bytes(ev.quote.begin(), ev.quote.begin() + 600)))));
  req({"quote null (SDK without dstack)", {"QuoteEncoding"}, {"§2.4", "§2.5"}}, {400, 400}, e::kBadQuoteOrNonce,
      body(att("quote", nullptr)));
  req({"quote a number", {"QuoteEncoding"}, {"§2.5"}}, {400, 400}, e::kBadQuoteOrNonce, body(att("quote", 1)));
  req({"nonce missing", {"RequestShape"}, {"§2.5"}}, {400, 400}, e::kBadQuoteOrNonce, body(drop("nonce")));
  {
    tdx::QuoteV4 q = tdx::parse_quote(ev.quote).value();
    q.user_data.fill(0);
    Bytes unmarked = tdx::serialize_quote(q);
    tdx::reseal_mock_signature(unmarked);
    req({"mock mode: quote without the mock marker", {"MockQuote"}, {"§9.6", "§2.5"}}, {400, 400}, e::kQuoteRejected,
        body(att("quote", b64(unmarked))));
    Bytes flipped = ev.quote;
    flipped[200] ^= 0x01;
    req({"mock mode: body byte flipped, mock signature not resealed", {"MockQuote"}, {"N-Q-13", "§2.5"}}, {400, 400},
        e::kQuoteRejected, body(att("quote", b64(flipped))));
  }
  req({"event_log missing", {"EvidenceMembers"}, {"N-BOOT-05"}}, {400, 400}, e::kEvidenceMissing, body(drop("event_log")));
  req({"rtmrs missing", {"EvidenceMembers"}, {"N-BOOT-05"}}, {400, 400}, e::kEvidenceMissing, body(drop("rtmrs")));
  req({"event_log null", {"EvidenceMembers"}, {"N-BOOT-05"}}, {400, 200}, e::kEvidenceMissing, body(att("event_log", nullptr)));
  req({"rtmrs null", {"EvidenceMembers"}, {"N-BOOT-05"}}, {400, 200}, e::kEvidenceMissing, body(att("rtmrs", nullptr)));
  req({"event_log a string that is not JSON", {"EvidenceMembers"}, {"§2.5"}}, {400, 400}, e::kBadEventLog,
      body(att("event_log", "not json")));
  {
    const Bytes ed31(ed.pub.begin(), ed.pub.begin() + 31);
    req({"ephemeral_public_key of 31 bytes", {"ClientKeys"}, {"N-BOOT-06"}}, {400, 200}, e::kBadEd25519Key,
        body([&](OJson& b) { b["ephemeral_public_key"] = b64(ed31); }));
    Bytes ed33(ed.pub.begin(), ed.pub.end());
    ed33.push_back(0);
    req({"ephemeral_public_key of 33 bytes", {"ClientKeys"}, {"N-BOOT-06"}}, {400, 200}, e::kBadEd25519Key,
        body([&](OJson& b) { b["ephemeral_public_key"] = b64(ed33); }));
    Bytes identity(32, 0);
    identity[0] = 0x01;  // the neutral point, order 1 (§12.3)
    req({"ephemeral_public_key = identity point (small order)", {"ClientKeys"}, {"N-BOOT-06"}}, {400, 200}, e::kBadEd25519Key,
        body([&](OJson& b) { b["ephemeral_public_key"] = b64(identity); }));
    req({"ephemeral_public_key not base64", {"ClientKeys"}, {"§2.5"}}, {400, 400}, e::kBadEd25519Key,
        body([&](OJson& b) { b["ephemeral_public_key"] = "***"; }));
    const Bytes x31(xk.pub.begin(), xk.pub.begin() + 31);
    req({"sdk_x25519_pub of 31 bytes", {"ClientKeys"}, {"§2.5"}}, {400, 400}, e::kBadX25519Key,
        body([&](OJson& b) { b["sdk_x25519_pub"] = b64(x31); }));
    req({"sdk_x25519_pub = 0 (low order: all-zero shared secret)", {"ClientKeys"}, {"D-33", "N-X-02"}}, {400, 200},
        e::kLowOrderX25519, body([&](OJson& b) { b["sdk_x25519_pub"] = b64(Bytes(32, 0)); }));
  }
  req({"no Content-Type", {"RequestShape"}, {"§2.5"}}, {415, 415}, e::kUnsupportedMediaType, body(), std::nullopt);
  req({"Content-Type text/plain", {"RequestShape"}, {"§2.5"}}, {415, 415}, e::kUnsupportedMediaType, body(),
      std::string("text/plain"));
  req({"body not JSON", {"RequestShape"}, {"§2.5"}}, {400, 400}, e::kBadJson, "{\"ephemeral_public_key\":");
  req({"body a JSON array", {"RequestShape"}, {"§2.5"}}, {422, 422}, e::kUnprocessable, "[]");
  req({"sdk_x25519_pub missing", {"RequestShape"}, {"§2.5"}}, {422, 422}, e::kUnprocessable,
      body([](OJson& b) { b.erase("sdk_x25519_pub"); }));
  req({"attestation a string", {"RequestShape"}, {"§2.5"}}, {422, 422}, e::kUnprocessable,
      body([](OJson& b) { b["attestation"] = "Tdx"; }));

  // ---------------- AttestResponse ----------------
  DeterministicRng crng(std::uint64_t{0xc11e});
  const Bytes ed_seed = crng.bytes(32), x_sk = crng.bytes(32);
  const auto srv = crypto::x25519_keypair(crng);
  const Bytes salt = crng.bytes(32);
  const std::string srv_b64 = b64(Bytes(srv.pub.begin(), srv.pub.end()));
  f.group("AttestResponse", {{"edSeed", hex(ed_seed)}, {"x25519Sk", hex(x_sk)}});
  auto resp_body = [&](const std::function<void(OJson&)>& edit = nullptr) {
    OJson b = {{"session_token", "session_0f5c2a9e-3b7d-4c1e-8a6f-2d9b4e7c1a30"},
               {"attested", true},
               {"crypto", {{"srv_x25519_pub", srv_b64}, {"aead", "chacha20poly1305"}, {"hkdf_salt", b64(salt)}}}};
    if (edit) edit(b);
    return b.dump();
  };
  auto key_for = [&](const Bytes& s, const Bytes& pub) -> OJson {
    auto shared = crypto::x25519(x_sk, pub);
    if (!shared) return nullptr;
    const auto k = bootstrap::derive_aead_key(s, shared->view());
    const ByteView kv = k.view();
    return hex(Bytes(kv.begin(), kv.end()));
  };
  const Bytes srv_pub(srv.pub.begin(), srv.pub.end());
  auto resp = [&](const Case& c, int status, const std::string& b, const OJson& key) {
    f.add(c, {{"status", status}, {"body", b}, {"aeadKey", key}});
  };
  resp({"valid §2.5 answer", {"Valid"}, {"§2.6", "§4"}}, 200, resp_body(), key_for(salt, srv_pub));
  resp({"aead \"xchacha20poly1305\" (what VAL sends)", {"ResponseCrypto"}, {"D-20"}, strict_reject()}, 200,
       resp_body([](OJson& b) { b["crypto"]["aead"] = "xchacha20poly1305"; }), key_for(salt, srv_pub));
  {
    const Bytes salt31(salt.begin(), salt.begin() + 31);
    resp({"hkdf_salt of 31 bytes", {"ResponseCrypto"}, {"N-BOOT-07"}, strict_reject()}, 200,
         resp_body([&](OJson& b) { b["crypto"]["hkdf_salt"] = b64(salt31); }), key_for(salt31, srv_pub));
  }
  for (const auto& [name, pub] : {std::pair<const char*, Bytes>{"0 (order 1)", Bytes(32, 0)},
                                  std::pair<const char*, Bytes>{"1 (order 4)", unhex("0100000000000000000000000000000000000000000000000000000000000000")},
                                  std::pair<const char*, Bytes>{"order 8", unhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")}})
    resp({std::string("srv_x25519_pub low order: ") + name, {"ResponseCrypto"}, {"N-BOOT-07", "D-33"}, invalid()}, 200,
         resp_body([&](OJson& b) { b["crypto"]["srv_x25519_pub"] = b64(pub); }), nullptr);
  resp({"srv_x25519_pub of 31 bytes", {"ResponseCrypto"}, {"§2.6"}, invalid()}, 200,
       resp_body([&](OJson& b) { b["crypto"]["srv_x25519_pub"] = b64(Bytes(srv_pub.begin(), srv_pub.begin() + 31)); }),
       nullptr);
  resp({"crypto missing (plaintext downgrade)", {"ResponseCrypto"}, {"§2.6"}, strict_reject()}, 200,
       resp_body([](OJson& b) { b.erase("crypto"); }), nullptr);
  resp({"hkdf_salt_b64 instead of hkdf_salt", {"ResponseCrypto"}, {"D-09"}, strict_reject()}, 200,
       resp_body([&](OJson& b) {
         b["crypto"].erase("hkdf_salt");
         b["crypto"]["hkdf_salt_b64"] = b64(salt);
       }),
       key_for(salt, srv_pub));
  resp({"session_token missing", {"ResponseShape"}, {"§2.6"}, strict_reject()}, 200,
       resp_body([](OJson& b) { b.erase("session_token"); }), key_for(salt, srv_pub));
  resp({"HTTP 500", {"ResponseShape"}, {"§2.6"}, invalid()}, 500, resp_body(), nullptr);
  resp({"HTTP 401", {"ResponseShape"}, {"§2.6"}, invalid()}, 401, "", nullptr);
  resp({"body not JSON", {"ResponseShape"}, {"§2.6"}, invalid()}, 200, "session_x", nullptr);

  // ---------------- NonceResponse ----------------
  f.group("NonceResponse");
  auto nr = [&](const Case& c, int status, const std::string& b, const OJson& want) {
    f.add(c, {{"status", status}, {"body", b}, {"nonce", want}});
  };
  nr({"64 lowercase hex characters", {"Valid"}, {"§2.1"}}, 200, OJson({{"nonce", nonce}, {"expires_at", kIssuedAt + 300}}).dump(),
     nonce);
  nr({"63 hex characters", {"NonceFormat"}, {"§2.1"}, strict_reject()}, 200,
     OJson({{"nonce", nonce.substr(1)}, {"expires_at", kIssuedAt + 300}}).dump(), nonce.substr(1));
  nr({"64 characters, one not hex", {"NonceFormat"}, {"§2.1"}, strict_reject()}, 200,
     OJson({{"nonce", "g" + nonce.substr(1)}, {"expires_at", kIssuedAt + 300}}).dump(), "g" + nonce.substr(1));
  nr({"nonce missing (SDK: \"\")", {"NonceFormat"}, {"§2.1"}, strict_reject()}, 200, OJson({{"expires_at", kIssuedAt + 300}}).dump(),
     "");
  nr({"HTTP 503", {"ResponseShape"}, {"§2.1"}, invalid()}, 503, "", nullptr);
  nr({"body not JSON", {"ResponseShape"}, {"§2.1"}, invalid()}, 200, "nonce=" + nonce, nullptr);
  return f;
}

}  // namespace pnc::vectors
