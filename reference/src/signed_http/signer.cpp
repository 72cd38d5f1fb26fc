// §6.3 signing: builds the five X-* headers and Content-Type for plain or encrypted bodies.
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::signed_http {

Signer::Signer(ByteView ed_seed32, std::string session_token, std::optional<Secret<32>> aead_key,
               const Clock& clock, Rng& rng, SignerOptions options)
    : key_(crypto::ed25519_from_seed(ed_seed32)),
      pub_b64_(codec::b64_encode(key_.pub)),
      token_(std::move(session_token)),
      aead_key_(std::move(aead_key)),
      clock_(clock),
      rng_(rng),
      options_(options) {}

Result<HttpRequest> Signer::sign_body(std::string_view method, std::string_view target, Bytes body,
                                      std::string_view content_type, std::string timestamp,
                                      std::string nonce) const {
  if (method.empty() || target.empty() || target.front() != '/')
    return make_error(errc::kBadRequestLine, "sign: method empty or target not starting with '/'");
  HttpRequest req;
  req.method = std::string(method);
  req.target = std::string(target);
  const auto canonical =
      canonical_string(req.method, req.path(), body, timestamp, nonce, token_);
  const auto sig = crypto::ed25519_sign(key_, as_bytes(canonical));
  req.headers = {
      {kHdrSessionToken, token_},
      {kHdrPublicKey, pub_b64_},
      {kHdrTimestamp, std::move(timestamp)},
      {kHdrNonce, std::move(nonce)},
      {kHdrSignature, codec::b64_encode(sig)},
      {kHdrContentType, std::string(content_type)},
  };
  req.body = std::move(body);
  return req;
}

Result<HttpRequest> Signer::sign(std::string_view method, std::string_view target,
                                 std::string_view payload_json) {
  if (!json::parse(payload_json, options_.profile))
    return make_error(errc::kBadPayload, "sign: payload is not JSON");
  // D-18: the SDK turns a falsy payload into an empty body / empty plaintext.
  std::string_view plaintext = payload_json;
  if (options_.profile == Profile::sdk_compat && is_falsy_json(payload_json)) plaintext = {};

  Bytes body;
  std::string_view content_type = kContentTypeJson;
  if (aead_key_) {
    const BodyCipher cipher = options_.cipher.value_or(
        options_.profile == Profile::sdk_compat ? BodyCipher::sdk_xchacha : BodyCipher::ietf);
    auto env = encrypt_body(aead_key_->view(), as_bytes(plaintext), cipher, rng_);
    if (!env) return env.error();
    body = to_bytes(*env);
    content_type = kContentTypeEncrypted;
  } else {
    body = to_bytes(plaintext);
  }
  return sign_body(method, target, std::move(body), content_type, std::to_string(clock_.now()),
                   rng_.uuid_v4());
}

}  // namespace pnc::signed_http
