#include "pnc/crypto.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <string>

#include "core/sodium_init.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::crypto {
namespace {

Error bad_length(const char* what, std::size_t got, std::size_t want) {
  return make_error(kBadLength, std::string(what) + ": " + std::to_string(got) +
                                    " bytes, expected " + std::to_string(want));
}

bool is_all_zero(const std::uint8_t* p, std::size_t n) { return sodium_is_zero(p, n) == 1; }

}  // namespace

// ---- X25519 ----

X25519KeyPair x25519_keypair(Rng& rng) {
  Secret<32> sk;
  rng.fill(sk.span());
  return x25519_from_secret(sk.view());
}

X25519KeyPair x25519_from_secret(ByteView secret32) {
  detail::ensure_sodium();
  X25519KeyPair kp;
  kp.secret = Secret<32>(secret32);
  crypto_scalarmult_base(kp.pub.data(), kp.secret.data());
  return kp;
}

Result<Secret<32>> x25519(ByteView secret32, ByteView peer_public32) {
  detail::ensure_sodium();
  if (secret32.size() != kX25519Bytes) return bad_length("X25519 secret", secret32.size(), 32);
  if (peer_public32.size() != kX25519Bytes)
    return bad_length("X25519 public key", peer_public32.size(), 32);
  Secret<32> shared;
  // libsodium returns -1 exactly when the output is all zero (low-order input).
  if (crypto_scalarmult(shared.data(), secret32.data(), peer_public32.data()) != 0 ||
      is_all_zero(shared.data(), shared.size()))
    return make_error(kAllZeroShared, "X25519: all-zero shared secret (low-order public key)");
  return shared;
}

// ---- HKDF-SHA256 ----

ByteArray<32> hmac_sha256(ByteView key, ByteView data) {
  detail::ensure_sodium();
  crypto_auth_hmacsha256_state st;
  ByteArray<32> out{};
  crypto_auth_hmacsha256_init(&st, key.data(), key.size());
  crypto_auth_hmacsha256_update(&st, data.data(), data.size());
  crypto_auth_hmacsha256_final(&st, out.data());
  secure_wipe(&st, sizeof st);
  return out;
}

SecretBytes hkdf_sha256(ByteView salt, ByteView ikm, ByteView info, std::size_t length) {
  detail::ensure_sodium();
  length = std::min<std::size_t>(length, 255 * 32);
  // Extract: PRK = HMAC(salt, IKM); an empty salt is HashLen zero bytes (RFC 5869 §2.2).
  static constexpr std::uint8_t kZeroSalt[32] = {};
  ByteView s = salt.empty() ? ByteView(kZeroSalt, 32) : salt;
  Secret<32> prk;
  {
    auto p = hmac_sha256(s, ikm);
    std::copy(p.begin(), p.end(), prk.data());
    secure_wipe(p.data(), p.size());
  }
  // Expand: T(i) = HMAC(PRK, T(i-1) || info || i).
  SecretBytes okm(length);
  ByteArray<32> t{};
  std::size_t t_len = 0, done = 0;
  for (std::uint8_t i = 1; done < length; ++i) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, prk.data(), prk.size());
    crypto_auth_hmacsha256_update(&st, t.data(), t_len);
    crypto_auth_hmacsha256_update(&st, info.data(), info.size());
    crypto_auth_hmacsha256_update(&st, &i, 1);
    crypto_auth_hmacsha256_final(&st, t.data());
    secure_wipe(&st, sizeof st);
    t_len = t.size();
    std::size_t n = std::min(t.size(), length - done);
    std::copy_n(t.begin(), n, okm.data() + done);
    done += n;
  }
  secure_wipe(t.data(), t.size());
  return okm;
}

Secret<32> hkdf_sha256_32(ByteView salt, ByteView ikm, std::string_view info) {
  SecretBytes okm = hkdf_sha256(salt, ikm, as_bytes(info), 32);
  return Secret<32>(okm.view());
}

// ---- AEAD ----

Result<Bytes> aead_seal(ByteView key32, ByteView nonce12, ByteView plaintext, ByteView aad) {
  detail::ensure_sodium();
  if (key32.size() != kAeadKeyBytes) return bad_length("AEAD key", key32.size(), 32);
  if (nonce12.size() != kAeadNonceBytes) return bad_length("AEAD nonce", nonce12.size(), 12);
  Bytes out(plaintext.size() + kAeadTagBytes);
  unsigned long long out_len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                            plaintext.size(), aad.data(), aad.size(), nullptr,
                                            nonce12.data(), key32.data());
  out.resize(out_len);
  return out;
}

Result<Bytes> aead_open(ByteView key32, ByteView nonce12, ByteView ct, ByteView aad) {
  detail::ensure_sodium();
  if (key32.size() != kAeadKeyBytes) return bad_length("AEAD key", key32.size(), 32);
  if (nonce12.size() != kAeadNonceBytes) return bad_length("AEAD nonce", nonce12.size(), 12);
  if (ct.size() < kAeadTagBytes) return bad_length("AEAD ciphertext", ct.size(), kAeadTagBytes);
  Bytes out(ct.size() - kAeadTagBytes);
  unsigned long long out_len = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ct.data(),
                                                ct.size(), aad.data(), aad.size(),
                                                nonce12.data(), key32.data()) != 0)
    return make_error(kAeadAuth, "ChaCha20-Poly1305: authentication failed");
  out.resize(out_len);
  return out;
}

Result<Bytes> xaead_seal(ByteView key32, ByteView nonce24, ByteView plaintext, ByteView aad) {
  detail::ensure_sodium();
  if (key32.size() != kAeadKeyBytes) return bad_length("XAEAD key", key32.size(), 32);
  if (nonce24.size() != kXAeadNonceBytes) return bad_length("XAEAD nonce", nonce24.size(), 24);
  Bytes out(plaintext.size() + kAeadTagBytes);
  unsigned long long out_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(),
                                             plaintext.size(), aad.data(), aad.size(), nullptr,
                                             nonce24.data(), key32.data());
  out.resize(out_len);
  return out;
}

Result<Bytes> xaead_open(ByteView key32, ByteView nonce24, ByteView ct, ByteView aad) {
  detail::ensure_sodium();
  if (key32.size() != kAeadKeyBytes) return bad_length("XAEAD key", key32.size(), 32);
  if (nonce24.size() != kXAeadNonceBytes) return bad_length("XAEAD nonce", nonce24.size(), 24);
  if (ct.size() < kAeadTagBytes) return bad_length("XAEAD ciphertext", ct.size(), kAeadTagBytes);
  Bytes out(ct.size() - kAeadTagBytes);
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ct.data(),
                                                 ct.size(), aad.data(), aad.size(),
                                                 nonce24.data(), key32.data()) != 0)
    return make_error(kAeadAuth, "XChaCha20-Poly1305: authentication failed");
  out.resize(out_len);
  return out;
}

Result<Secret<32>> hchacha20(ByteView key32, ByteView input16) {
  detail::ensure_sodium();
  if (key32.size() != 32) return bad_length("HChaCha20 key", key32.size(), 32);
  if (input16.size() != 16) return bad_length("HChaCha20 input", input16.size(), 16);
  Secret<32> out;
  crypto_core_hchacha20(out.data(), input16.data(), key32.data(), nullptr);
  return out;
}

// ---- Ed25519 ----

Ed25519KeyPair ed25519_keypair(Rng& rng) {
  Secret<32> seed;
  rng.fill(seed.span());
  return ed25519_from_seed(seed.view());
}

Ed25519KeyPair ed25519_from_seed(ByteView seed32) {
  detail::ensure_sodium();
  Ed25519KeyPair kp;
  kp.seed = Secret<32>(seed32);
  Secret<64> sk;
  crypto_sign_seed_keypair(kp.pub.data(), sk.data(), kp.seed.data());
  return kp;
}

Signature ed25519_sign(ByteView seed32, ByteView message) {
  detail::ensure_sodium();
  Secret<32> seed(seed32);
  Secret<64> sk;
  PublicKey pk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk.data());
  return sig;
}

Signature ed25519_sign(const Ed25519KeyPair& key, ByteView message) {
  detail::ensure_sodium();
  // libsodium's secret key is seed || public key; the signature reads both halves.
  Secret<64> sk;
  std::copy(key.seed.data(), key.seed.data() + 32, sk.data());
  std::copy(key.pub.begin(), key.pub.end(), sk.data() + 32);
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk.data());
  return sig;
}

Status ed25519_verify(ByteView public32, ByteView message, ByteView signature64) {
  detail::ensure_sodium();
  if (public32.size() != kEd25519PublicBytes)
    return bad_length("Ed25519 public key", public32.size(), 32);
  if (signature64.size() != kEd25519SignatureBytes)
    return bad_length("Ed25519 signature", signature64.size(), 64);
  if (!ed25519_public_key_is_valid(public32))
    return make_error(kEdBadPublicKey, "Ed25519: public key is small-order or non-canonical");
  // libsodium 1.0.18 (built without ED25519_COMPAT) verifies strictly: S < L, R not of small
  // order, canonical A, cofactorless equation.
  if (crypto_sign_verify_detached(signature64.data(), message.data(), message.size(),
                                  public32.data()) != 0)
    return make_error(kEdBadSignature, "Ed25519: signature verification failed");
  return {};
}

bool ed25519_public_key_is_valid(ByteView public32) {
  detail::ensure_sodium();
  return public32.size() == 32 && crypto_core_ed25519_is_valid_point(public32.data()) == 1;
}

Secret<32> ed25519_seed_to_x25519(ByteView seed32) {
  detail::ensure_sodium();
  // crypto_sign_ed25519_sk_to_curve25519 reads only the seed half: clamp(SHA512(seed)[0:32]).
  // Computed directly, without the Ed25519 public key crypto_sign_seed_keypair would derive.
  Secret<32> seed(seed32);
  Secret<64> h;
  crypto_hash_sha512(h.data(), seed.data(), 32);
  h.data()[0] &= 248;
  h.data()[31] &= 127;
  h.data()[31] |= 64;
  Secret<32> x;
  std::copy(h.data(), h.data() + 32, x.data());
  return x;
}

Result<PublicKey> ed25519_public_to_x25519(ByteView ed_public32) {
  detail::ensure_sodium();
  if (ed_public32.size() != 32) return bad_length("Ed25519 public key", ed_public32.size(), 32);
  PublicKey x{};
  if (!ed25519_public_key_is_valid(ed_public32) ||
      crypto_sign_ed25519_pk_to_curve25519(x.data(), ed_public32.data()) != 0)
    return make_error(kEdBadPublicKey, "Ed25519 -> X25519: small-order or non-canonical key");
  return x;
}

// ---- Sealed box ----

Result<Bytes> seal(ByteView recipient_x25519_public, ByteView message, Rng& rng) {
  Secret<32> e_sk;
  rng.fill(e_sk.span());
  return seal_with_ephemeral(recipient_x25519_public, message, e_sk.view());
}

Result<Bytes> seal_with_ephemeral(ByteView recipient_pk, ByteView message, ByteView e_sk32) {
  detail::ensure_sodium();
  if (recipient_pk.size() != 32) return bad_length("sealed-box recipient", recipient_pk.size(), 32);
  if (e_sk32.size() != 32) return bad_length("sealed-box ephemeral secret", e_sk32.size(), 32);
  // crypto_box_seal with a caller-chosen ephemeral key (§8.2): nonce = BLAKE2b-192(e_pk || pk).
  PublicKey e_pk{};
  crypto_scalarmult_base(e_pk.data(), e_sk32.data());
  ByteArray<crypto_box_NONCEBYTES> nonce{};
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, nonce.size());
  crypto_generichash_update(&st, e_pk.data(), e_pk.size());
  crypto_generichash_update(&st, recipient_pk.data(), recipient_pk.size());
  crypto_generichash_final(&st, nonce.data(), nonce.size());
  Bytes out(kSealBytes + message.size());
  std::copy(e_pk.begin(), e_pk.end(), out.begin());
  if (crypto_box_easy(out.data() + 32, message.data(), message.size(), nonce.data(),
                      recipient_pk.data(), e_sk32.data()) != 0)
    return make_error(kAllZeroShared, "sealed box: all-zero shared secret (low-order recipient)");
  return out;
}

Result<SecretBytes> seal_open(ByteView sealed, ByteView recipient_pk, ByteView recipient_sk) {
  detail::ensure_sodium();
  if (recipient_pk.size() != 32 || recipient_sk.size() != 32 || sealed.size() < kSealBytes)
    return make_error(kSealOpen, "sealed box: cannot open");
  SecretBytes out(sealed.size() - kSealBytes);
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), recipient_pk.data(),
                           recipient_sk.data()) != 0)
    return make_error(kSealOpen, "sealed box: cannot open");
  return out;
}

// ---- Hashes ----

ByteArray<32> sha256(ByteView data) {
  detail::ensure_sodium();
  ByteArray<32> out{};
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

ByteArray<48> sha384(ByteView data) {
  // libsodium has no SHA-384; OpenSSL's one-shot digest is the single source of it.
  ByteArray<48> out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha384(), nullptr);
  return out;
}

ByteArray<64> sha512(ByteView data) {
  detail::ensure_sodium();
  ByteArray<64> out{};
  crypto_hash_sha512(out.data(), data.data(), data.size());
  return out;
}

Bytes blake2b(ByteView data, std::size_t out_length) {
  detail::ensure_sodium();
  out_length = std::clamp<std::size_t>(out_length, crypto_generichash_BYTES_MIN,
                                       crypto_generichash_BYTES_MAX);
  Bytes out(out_length);
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

}  // namespace pnc::crypto
