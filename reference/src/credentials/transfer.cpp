// Mechanism B: X25519 + HKDF-SHA256 + ChaCha20-Poly1305 credential transfer (PROTOCOL.md §8.4)
// and the §8.5 DSN choice for it.
#include <algorithm>
#include <string>
#include <string_view>

#include "credentials/detail.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"

namespace pnc::credentials {
namespace {

using json::Json;

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Canonical hyphenated 8-4-4-4-12 UUID, either case.
bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

// A low-order key gives an all-zero X25519 output for every (clamped, hence multiple-of-8)
// scalar, so a fixed scalar detects all 14 encodings of §12.2.
bool is_low_order(ByteView x_pk) {
  static constexpr ByteArray<32> kProbe{9};
  auto r = crypto::x25519(kProbe, x_pk);
  return !r && r.error().code == crypto::kAllZeroShared;
}

Secret<32> transfer_key(const Secret<32>& shared) {
  return crypto::hkdf_sha256_32(as_bytes(kTransferSalt), shared.view(), kTransferInfo);
}

ByteView aad_for(AadMode mode, const crypto::PublicKey& e_pk) {
  return mode == AadMode::seed ? ByteView(e_pk) : ByteView();
}

}  // namespace

std::string build_credential_request(const CredentialRequest& request) {
  Json j{{"challenge_id", request.challenge_id},
         {"public_key", codec::b64_encode(request.public_key)}};
  if (request.migrations) j["migrations"] = *request.migrations;
  return json::dump(j);
}

Result<CredentialRequest> parse_credential_request(std::string_view body_json, Profile profile) {
  auto body = json::parse_object(body_json, profile);
  if (!body) return make_error(kBadRequest, "credential request: " + body.error().message);
  auto id = json::get_string(*body, "challenge_id");
  if (!id || !is_uuid(*id)) return make_error(kBadRequest, "credential request: challenge_id must be a UUID");
  auto pk_b64 = json::get_string(*body, "public_key");
  if (!pk_b64) return make_error(kBadRequest, "credential request: " + pk_b64.error().message);
  auto pk = codec::b64_decode_exact(*pk_b64, crypto::kX25519Bytes, profile);
  if (!pk) return make_error(kBadRequest, "credential request: public_key must be B64 of 32 bytes");
  if (is_low_order(*pk)) return make_error(kLowOrderKey, "credential request: low-order public_key");
  CredentialRequest req;
  req.challenge_id = *id;
  std::copy(pk->begin(), pk->end(), req.public_key.begin());
  auto m = body->find("migrations");
  if (m != body->end() && !m->is_null()) {
    if (!m->is_array()) return make_error(kBadRequest, "credential request: migrations must be an array");
    req.migrations = *m;
  }
  return req;
}

Result<EncryptedCredentials> encrypt_credentials_with(ByteView recipient_pk, ByteView plaintext,
                                                      ByteView e_sk32, ByteView nonce12,
                                                      AadMode aad_mode) {
  if (recipient_pk.size() != crypto::kX25519Bytes || e_sk32.size() != crypto::kX25519Bytes ||
      nonce12.size() != crypto::kAeadNonceBytes)
    return make_error(kBadRequest, "credential transfer: key 32, e_sk 32, nonce 12 bytes required");
  EncryptedCredentials out;
  const auto eph = crypto::x25519_from_secret(e_sk32);
  out.ephemeral_public_key = eph.pub;
  auto shared = crypto::x25519(eph.secret.view(), recipient_pk);  // [SEED] all-zero => refuse
  if (!shared) return make_error(kLowOrderKey, "credential transfer: low-order recipient key");
  const Secret<32> key = transfer_key(*shared);
  std::copy(nonce12.begin(), nonce12.end(), out.nonce.begin());
  auto ct = crypto::aead_seal(key.view(), out.nonce, plaintext, aad_for(aad_mode, out.ephemeral_public_key));
  if (!ct) return ct.error();
  out.encrypted_data = std::move(*ct);
  return out;
}

Result<EncryptedCredentials> encrypt_credentials(ByteView recipient_pk,
                                                 const std::map<std::string, std::string>& plaintext,
                                                 Rng& rng, AadMode aad_mode) {
  Secret<32> e_sk;
  rng.fill(e_sk.span());  // step 1 draws e_sk, step 4 the nonce
  const auto nonce = rng.bytes<12>();
  Json doc(plaintext);
  std::string text = json::dump(doc);
  SecretBytes pt(as_bytes(text));
  detail::wipe(text);
  detail::wipe_strings(doc);
  return encrypt_credentials_with(recipient_pk, pt.view(), e_sk.view(), nonce, aad_mode);
}

std::string schema_name(std::string_view challenge_id) {
  std::string s = "challenge_" + std::string(challenge_id);
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
}

std::string build_credential_response(const EncryptedCredentials& enc, std::string_view challenge_id) {
  Json inner{{"encrypted_data", codec::b64_encode(enc.encrypted_data)},
             {"ephemeral_public_key", codec::b64_encode(enc.ephemeral_public_key)},
             {"nonce", codec::b64_encode(enc.nonce)}};
  return json::dump(Json{{"encrypted_credentials", inner}, {"schema_name", schema_name(challenge_id)}});
}

Result<CredentialMap> decrypt_credentials(std::string_view response_json, ByteView x_sk32,
                                          AadMode aad_mode, Profile profile) {
  if (x_sk32.size() != crypto::kX25519Bytes)
    return make_error(kBadRequest, "credential transfer: receiver secret must be 32 bytes");
  auto doc = json::parse_object(response_json, profile);
  if (!doc) return make_error(kBadResponse, "credential response: " + doc.error().message);
  auto enc = json::get_object(*doc, "encrypted_credentials");
  if (!enc) return make_error(kBadResponse, "credential response: " + enc.error().message);
  auto data_b64 = json::get_string(*enc, "encrypted_data");
  auto epk_b64 = json::get_string(*enc, "ephemeral_public_key");
  auto nonce_b64 = json::get_string(*enc, "nonce");
  if (!data_b64 || !epk_b64 || !nonce_b64)
    return make_error(kBadResponse, "credential response: missing or non-string field");
  auto e_pk = codec::b64_decode_exact(*epk_b64, crypto::kX25519Bytes, profile);
  if (!e_pk) return make_error(kBadResponse, "credential response: ephemeral_public_key must be 32 bytes");
  auto nonce = codec::b64_decode_exact(*nonce_b64, crypto::kAeadNonceBytes, profile);
  if (!nonce) return make_error(kBadResponse, "credential response: nonce must be 12 bytes");
  auto ct = codec::b64_decode(*data_b64, profile);
  if (!ct || ct->size() < crypto::kAeadTagBytes)
    return make_error(kBadResponse, "credential response: encrypted_data must be >= 16 bytes");

  auto shared = crypto::x25519(x_sk32, *e_pk);
  if (!shared) return make_error(kLowOrderKey, "credential transfer: low-order ephemeral key");
  const Secret<32> key = transfer_key(*shared);
  crypto::PublicKey epk{};
  std::copy(e_pk->begin(), e_pk->end(), epk.begin());
  auto opened = crypto::aead_open(key.view(), *nonce, *ct, aad_for(aad_mode, epk));
  if (!opened) return make_error(kTransferAuth, "credential transfer: authentication failed");
  SecretBytes plaintext(*opened);
  secure_wipe(opened->data(), opened->size());

  std::string_view text(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
  auto obj = json::parse_object(text, profile);  // its error text may quote secrets: dropped
  if (!obj) return make_error(kInvalidPayload, "credential transfer: plaintext is not a JSON object");
  CredentialMap out;
  bool all_strings = true;
  for (auto it = obj->begin(); it != obj->end(); ++it) {
    if (!it.value().is_string()) { all_strings = false; break; }
    out.emplace(it.key(), SecretBytes(as_bytes(it.value().get_ref<const std::string&>())));
  }
  detail::wipe_strings(*obj);
  if (!all_strings) return make_error(kInvalidPayload, "credential transfer: values must be strings");
  return out;
}

Status receive_credentials(std::string_view response_json, ByteView x_sk32, AadMode aad_mode,
                           DsnSink& sink, Profile profile) {
  auto creds = decrypt_credentials(response_json, x_sk32, aad_mode, profile);
  if (!creds) return creds.error();
  auto it = creds->find("dsn");
  if (it == creds->end()) it = creds->find("database_url");
  if (it == creds->end()) return make_error(kNoDsn, "credential transfer: neither dsn nor database_url");
  auto v = it->second.view();
  if (v.empty()) return make_error(kInvalidPayload, "credential transfer: empty DSN");
  if (is_strict(profile) &&
      (v.size() > kMaxDsnBytes || std::find(v.begin(), v.end(), std::uint8_t{0}) != v.end()))
    return make_error(kInvalidPayload, "credential transfer: DSN too long or contains NUL");
  if (auto st = sink.store(v); !st) return make_error(kStoreFailed, "credential transfer: DSN store failed");
  return {};
}

}  // namespace pnc::credentials
