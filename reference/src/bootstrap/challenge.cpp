// Challenge side of the HTTP bootstrap: keys (§2.2), /attest body (§2.4), response (§2.6).
#include "pnc/bootstrap.hpp"
#include "pnc/codec.hpp"
#include "pnc/json.hpp"

namespace pnc::bootstrap {
namespace {

bool is_2xx(int status) { return status >= 200 && status < 300; }

bool is_hex64(std::string_view s) {
  if (s.size() != 2 * kNonceBytes) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace

ChallengeKeys generate_challenge_keys(Rng& rng) {
  ChallengeKeys k;
  auto ed = crypto::ed25519_keypair(rng);
  k.ed_seed = std::move(ed.seed);
  k.ed_pk = ed.pub;
  auto x = crypto::x25519_keypair(rng);
  k.x25519_sk = std::move(x.secret);
  k.x25519_pub = x.pub;
  return k;
}

Result<std::string> parse_nonce_response(int http_status, std::string_view body, Profile profile) {
  if (!is_2xx(http_status)) return make_error(errc::kHttpStatus, "nonce request: non-2xx answer");
  auto doc = json::parse_object(body, profile);
  if (!doc) return make_error(errc::kBadNonceResponse, "nonce answer: " + doc.error().message);
  if (!is_strict(profile) && !json::has(*doc, "nonce")) return std::string();  // SDK: .get("nonce", "")
  auto nonce = json::get_string(*doc, "nonce");
  if (!nonce) return make_error(errc::kBadNonceResponse, "nonce answer: " + nonce.error().message);
  if (is_strict(profile) && (http_status != 200 || !is_hex64(*nonce)))
    return make_error(errc::kBadNonceResponse, "nonce must be 64 hex characters");
  return nonce;
}

ByteArray<64> attest_report_data(std::string_view nonce_text) { return http_report_data(nonce_text); }

Result<std::string> build_attest_body(const ChallengeKeys& keys, std::string_view nonce_text,
                                      const std::optional<Evidence>& evidence, Profile profile) {
  const bool strict = is_strict(profile);
  const bool have_quote = evidence && !evidence->quote.empty();
  if (strict && !have_quote) return make_error(errc::kNoQuote, "no quote to submit");
  json::Json quote = nullptr;  // [COMPAT] no dstack: null
  if (have_quote) quote = strict ? codec::b64_encode(evidence->quote) : codec::hex_encode(evidence->quote);
  json::Json log = nullptr;
  json::Json rtmrs = nullptr;
  if (evidence) {
    if (evidence->event_log) log = *evidence->event_log;
    rtmrs = evidence->rtmrs;
  }
  json::Json body = {
      {"ephemeral_public_key", codec::b64_encode(keys.ed_pk)},
      {"sdk_x25519_pub", codec::b64_encode(keys.x25519_pub)},
      {"attestation",
       {{"attestation_type", "Tdx"},
        {"nonce", std::string(nonce_text)},
        {"quote", quote},
        {"report", nullptr},
        {"measurements", json::Json::array()},
        {"capabilities", json::Json::array({"cvm"})},
        {"event_log", log},
        {"rtmrs", rtmrs}}}};
  return json::dump(body);
}

Result<ClientSession> process_attest_response(int http_status, std::string_view body,
                                              const ChallengeKeys& keys, Profile profile) {
  const bool strict = is_strict(profile);
  if (!is_2xx(http_status)) return make_error(errc::kHttpStatus, "/attest: non-2xx answer");
  auto doc = json::parse_object(body, profile);
  if (!doc) return make_error(errc::kBadAttestResponse, "/attest answer: " + doc.error().message);
  const auto& r = *doc;

  ClientSession out;
  if (auto token = json::get_string(r, "session_token"); token) {
    out.session_token = std::move(*token);
  }
  if (strict && (!out.session_token || out.session_token->empty() ||
                 out.session_token->size() > signed_http::kMaxSessionTokenChars))
    return make_error(errc::kBadAttestResponse, "/attest answer: bad session_token");

  // [SEED] `crypto` is required: accepting its absence would let an attacker downgrade the
  // session to plaintext bodies.
  auto crypto_obj = json::get_object(r, "crypto");
  if (!crypto_obj) {
    if (strict) return make_error(errc::kBadAttestResponse, "/attest answer: crypto missing");
    return out;  // §2.6 step 4 [COMPAT]: no key, no SDK_EPHEMERAL_SK_B64
  }
  const auto& c = *crypto_obj;
  auto srv_b64 = json::get_string(c, "srv_x25519_pub");
  auto salt_b64 = json::get_string(c, "hkdf_salt");
  if (!strict && !salt_b64) salt_b64 = json::get_string(c, "hkdf_salt_b64");  // D-09
  if (!srv_b64 || !salt_b64) {
    if (strict) return make_error(errc::kBadAttestResponse, "/attest answer: crypto incomplete");
    return out;
  }
  if (strict) {
    auto aead = json::get_string(c, "aead");
    if (!aead || *aead != kAeadLabel) return make_error(errc::kBadAead, "/attest answer: aead label");
  }
  auto srv = codec::b64_decode_exact(*srv_b64, crypto::kX25519Bytes, profile);
  if (!srv) return make_error(errc::kBadServerKey, "srv_x25519_pub: " + srv.error().message);
  auto salt = strict ? codec::b64_decode_exact(*salt_b64, kSaltBytes, profile)
                     : codec::b64_decode(*salt_b64, profile);
  if (!salt) return make_error(errc::kBadSalt, "hkdf_salt: " + salt.error().message);
  auto shared = crypto::x25519(keys.x25519_sk.view(), *srv);
  if (!shared) return make_error(errc::kLowOrderServerKey, "srv_x25519_pub is low order");

  out.aead_key = derive_aead_key(*salt, shared->view());
  std::string sk_b64 = codec::b64_encode(keys.ed_seed.view());  // the 32-byte seed (§2.6)
  out.sdk_ephemeral_sk_b64 = SecretBytes(as_bytes(sk_b64));
  secure_wipe(sk_b64.data(), sk_b64.size());
  return out;
}

}  // namespace pnc::bootstrap
