// Consumer of encrypted_body_test.json: encrypt_body_with_nonce must reproduce `body`,
// decrypt_body must open `body` to `msg`, with the group's construction.
#include "pnc/signed_http.hpp"
#include "runner.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::vectors {

Verdict run_encrypted_body(const Json& g, const Json& t, Profile) {
  const auto c = g["construction"] == "ietf" ? signed_http::BodyCipher::ietf : signed_http::BodyCipher::sdk_xchacha;
  const Bytes key = hex_field(t, "key");
  if (g["type"] == "BodyEncrypt") {
    const auto body = signed_http::encrypt_body_with_nonce(key, hex_field(t, "nonce"), to_bytes(str_field(t, "msg")), c);
    if (!body.ok()) return {false, {}};
    return {true, body.value() == str_field(t, "body") ? "" : "body differs: " + body.value()};
  }
  const auto plain = signed_http::decrypt_body(key, str_field(t, "body"), c);
  if (!plain.ok()) return {false, {}};
  return {true, to_string(plain.value()) == str_field(t, "msg") ? "" : "plaintext differs"};
}

}  // namespace pnc::vectors
