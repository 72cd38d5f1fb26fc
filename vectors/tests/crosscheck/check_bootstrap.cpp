// Cross-check of bootstrap_test.json with OpenSSL: the §2.3 binding report_data[0:32] =
// SHA256(ASCII nonce) and the §9.6 mock signature of the submitted quotes, and the §2.6 key
// derivation aead_key = HKDF-SHA256(salt, X25519(x25519Sk, srv_x25519_pub), "platform-api-sdk-v1")
// (OpenSSL's X25519 refuses the all-zero result of low-order server keys). Nonce lifecycle, JSON
// shape and status rules have no cryptography and are skipped.
#include "crosscheck.hpp"

namespace xcheck {
namespace {

Bytes slice(const Bytes& b, std::size_t off, std::size_t n) {
  if (off + n > b.size()) return {};
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(off), b.begin() + static_cast<std::ptrdiff_t>(off + n));
}

}  // namespace

Outcome check_bootstrap(const Json& g, const Json& t) {
  const std::string type = g["type"].get<std::string>();
  const Json body = Json::parse(s(t, "body"), nullptr, false);
  if (type == "AttestRequest") {
    if (!has_flag(t, "Valid") && !has_flag(t, "ReportDataBinding")) return skip();
    if (!body.is_object() || !body.contains("attestation")) return bad("body without attestation");
    const Json& att = body["attestation"];
    const auto quote = b64_strict(att.value("quote", ""));
    if (!quote) return bad("quote not strict base64");
    const bool binding = slice(*quote, 568, 32) == sha256(bytes(att.value("nonce", "")));
    const bool mock_sig = sha512(cat(bytes("PNC-MOCK-SIG"), slice(*quote, 0, 632))) == slice(*quote, 636, 64);
    return agree(binding && mock_sig, valid(t), "SHA256(ASCII nonce) binding and mock signature");
  }
  if (type == "AttestResponse") {
    if (!body.is_object() || !body.contains("crypto") || !body["crypto"].is_object()) return skip();
    const Json& c = body["crypto"];
    const auto srv = b64_strict(c.value("srv_x25519_pub", ""));
    const auto salt = b64_strict(c.value("hkdf_salt", ""));
    if (!srv || !salt || srv->size() != 32) return skip();
    const auto shared = x25519(h(g, "x25519Sk"), *srv);
    if (!shared) return agree(false, valid(t), "X25519 with srv_x25519_pub");
    if (!valid(t)) return skip();  // rejected for a non-cryptographic rule (aead label, salt length)
    const auto key = hkdf_sha256(*salt, *shared, bytes("platform-api-sdk-v1"), 32);
    return agree(key && *key == h(t, "aeadKey"), true, "aead_key = HKDF(salt, X25519, info)");
  }
  return skip();  // NonceResponse: format rules only
}

}  // namespace xcheck
