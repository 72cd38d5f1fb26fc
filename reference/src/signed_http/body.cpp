// §6.5 encrypted bodies: the [SEED] IETF construction and the [COMPAT] D-12 XChaCha quirk.

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::signed_http {
namespace {

// D-12: XChaCha20-Poly1305 under the 24-byte nonce n12 || 0^12.
ByteArray<24> x_nonce(ByteView nonce12) {
  ByteArray<24> n{};
  std::copy(nonce12.begin(), nonce12.end(), n.begin());
  return n;
}

}  // namespace

Result<std::string> encrypt_body_with_nonce(ByteView key32, ByteView nonce12, ByteView plaintext,
                                            BodyCipher cipher) {
  if (key32.size() != crypto::kAeadKeyBytes || nonce12.size() != crypto::kAeadNonceBytes)
    return make_error(crypto::kBadLength, "encrypt_body: key must be 32 bytes, nonce 12");
  auto sealed = cipher == BodyCipher::ietf ? crypto::aead_seal(key32, nonce12, plaintext)
                                           : crypto::xaead_seal(key32, x_nonce(nonce12), plaintext);
  if (!sealed) return sealed.error();
  // Built by hand to keep the §5.1 member order; base64 needs no JSON escaping.
  std::string out = "{\"enc\":\"";
  out += kEncLabel;
  out += "\",\"nonce\":\"" + codec::b64_encode(nonce12) + "\",\"ciphertext\":\"" +
         codec::b64_encode(*sealed) + "\"}";
  return out;
}

Result<std::string> encrypt_body(ByteView key32, ByteView plaintext, BodyCipher cipher, Rng& rng) {
  const auto nonce = rng.bytes<crypto::kAeadNonceBytes>();
  return encrypt_body_with_nonce(key32, nonce, plaintext, cipher);
}

Result<Envelope> parse_envelope(std::string_view body, Profile profile) {
  auto obj = json::parse_object(body, profile);
  if (!obj) return make_error(errc::kBadEnvelope, "envelope: " + obj.error().message);
  auto enc = json::get_string(*obj, "enc");
  auto nonce = json::get_string(*obj, "nonce");
  auto ct = json::get_string(*obj, "ciphertext");
  if (!enc || !nonce || !ct)
    return make_error(errc::kBadEnvelope, "envelope: enc, nonce, ciphertext must be strings");
  auto n = codec::b64_decode_exact(*nonce, crypto::kAeadNonceBytes, profile);
  if (!n) return make_error(errc::kBadEnvelope, "envelope nonce: " + n.error().message);
  auto c = codec::b64_decode(*ct, profile);
  if (!c) return make_error(errc::kBadEnvelope, "envelope ciphertext: " + c.error().message);
  if (c->size() < crypto::kAeadTagBytes)
    return make_error(errc::kBadEnvelope, "envelope ciphertext shorter than the tag");
  return Envelope{std::move(*enc), std::move(*n), std::move(*c)};
}

Result<Bytes> open_envelope(ByteView key32, const Envelope& env, BodyCipher cipher) {
  if (env.nonce.size() != crypto::kAeadNonceBytes)
    return make_error(errc::kBadEnvelope, "envelope nonce must be 12 bytes");
  auto opened = cipher == BodyCipher::ietf
                    ? crypto::aead_open(key32, env.nonce, env.ciphertext)
                    : crypto::xaead_open(key32, x_nonce(env.nonce), env.ciphertext);
  if (!opened) return make_error(errc::kDecryptFailed, "envelope: " + opened.error().message);
  return opened;
}

Result<Bytes> decrypt_body(ByteView key32, std::string_view body, BodyCipher cipher) {
  auto env = parse_envelope(body, Profile::seed_spec);
  if (!env) return env.error();
  if (env->enc != kEncLabel) return make_error(errc::kUnsupportedEnc, "envelope: unsupported enc");
  return open_envelope(key32, *env, cipher);
}

bool is_falsy_json(std::string_view json_text) {
  auto v = json::parse(json_text, Profile::sdk_compat);
  if (!v) return false;
  const auto& j = *v;
  if (j.is_null()) return true;
  if (j.is_boolean()) return !j.get<bool>();
  if (j.is_number_integer()) return j.get<std::int64_t>() == 0;
  if (j.is_number_unsigned()) return j.get<std::uint64_t>() == 0;
  if (j.is_number_float()) return j.get<double>() == 0.0;
  if (j.is_string()) return j.get_ref<const std::string&>().empty();
  if (j.is_array() || j.is_object()) return j.empty();
  return false;
}

}  // namespace pnc::signed_http
