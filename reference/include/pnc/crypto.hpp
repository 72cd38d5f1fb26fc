// Cryptographic primitives of PROTOCOL.md §0.4 and §8.2-8.3, all on libsodium (SHA-384, absent
// from libsodium, comes from OpenSSL). Secret outputs are Secret<N> (wiped on destruction);
// every check that can fail returns a Result with a named error code.
#pragma once

#include <cstddef>
#include <string_view>

#include "pnc/result.hpp"
#include "pnc/rng.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

namespace pnc::crypto {

inline constexpr std::size_t kX25519Bytes = 32;
inline constexpr std::size_t kEd25519SeedBytes = 32;
inline constexpr std::size_t kEd25519PublicBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;
inline constexpr std::size_t kAeadKeyBytes = 32;
inline constexpr std::size_t kAeadNonceBytes = 12;
inline constexpr std::size_t kXAeadNonceBytes = 24;
inline constexpr std::size_t kAeadTagBytes = 16;
inline constexpr std::size_t kSealBytes = 48;  // crypto_box_SEALBYTES

inline constexpr const char* kBadLength = "crypto.bad_length";
inline constexpr const char* kAllZeroShared = "x25519.all_zero";      // low-order peer key
inline constexpr const char* kAeadAuth = "aead.auth_failed";         // tag mismatch
inline constexpr const char* kEdBadSignature = "ed25519.bad_signature";
inline constexpr const char* kEdBadPublicKey = "ed25519.bad_public_key";  // small order / non-canonical
inline constexpr const char* kSealOpen = "sealbox.open_failed";       // one error for every cause

using PublicKey = ByteArray<32>;
using Signature = ByteArray<64>;

// ---- X25519 (RFC 7748) ----
struct X25519KeyPair {
  Secret<32> secret;
  PublicKey pub{};
};
X25519KeyPair x25519_keypair(Rng& rng);
X25519KeyPair x25519_from_secret(ByteView secret32);  // secret need not be clamped
// Fails with x25519.all_zero when the result is all zero (the 14 low-order inputs of §12.2).
Result<Secret<32>> x25519(ByteView secret32, ByteView peer_public32);

// ---- HKDF-SHA256 (RFC 5869) on libsodium's HMAC-SHA256 ----
// L <= 255*32. An empty salt behaves as 32 zero bytes.
SecretBytes hkdf_sha256(ByteView salt, ByteView ikm, ByteView info, std::size_t length);
Secret<32> hkdf_sha256_32(ByteView salt, ByteView ikm, std::string_view info);

// ---- AEAD (RFC 8439 ChaCha20-Poly1305; XChaCha20-Poly1305 only for the sdk-compat body quirk) ----
// seal returns ciphertext || 16-byte tag.
Result<Bytes> aead_seal(ByteView key32, ByteView nonce12, ByteView plaintext, ByteView aad = {});
Result<Bytes> aead_open(ByteView key32, ByteView nonce12, ByteView ciphertext_and_tag,
                        ByteView aad = {});
Result<Bytes> xaead_seal(ByteView key32, ByteView nonce24, ByteView plaintext, ByteView aad = {});
Result<Bytes> xaead_open(ByteView key32, ByteView nonce24, ByteView ciphertext_and_tag,
                         ByteView aad = {});
Result<Secret<32>> hchacha20(ByteView key32, ByteView input16);

// ---- Ed25519 (RFC 8032), strict verification ----
struct Ed25519KeyPair {
  Secret<32> seed;
  PublicKey pub{};
};
Ed25519KeyPair ed25519_keypair(Rng& rng);
Ed25519KeyPair ed25519_from_seed(ByteView seed32);
Signature ed25519_sign(ByteView seed32, ByteView message);
// The same signature from a key pair derived once (ed25519_from_seed): no public-key derivation
// per message, for long-lived signers.
Signature ed25519_sign(const Ed25519KeyPair& key, ByteView message);
// Strict: rejects S >= L, non-canonical or small-order A and R (libsodium >= 1.0.16 semantics).
Status ed25519_verify(ByteView public32, ByteView message, ByteView signature64);
bool ed25519_public_key_is_valid(ByteView public32);  // canonical, on curve, not small order

// ---- Ed25519 -> X25519 conversion (§8.3) ----
Secret<32> ed25519_seed_to_x25519(ByteView seed32);
Result<PublicKey> ed25519_public_to_x25519(ByteView ed_public32);

// ---- Sealed box (libsodium crypto_box_seal, §8.2) ----
Result<Bytes> seal(ByteView recipient_x25519_public, ByteView message, Rng& rng);
Result<SecretBytes> seal_open(ByteView sealed, ByteView recipient_public32,
                              ByteView recipient_secret32);

// ---- Hashes ----
ByteArray<32> sha256(ByteView data);
ByteArray<48> sha384(ByteView data);
ByteArray<64> sha512(ByteView data);
Bytes blake2b(ByteView data, std::size_t out_length);  // unkeyed, 16..64 bytes
ByteArray<32> hmac_sha256(ByteView key, ByteView data);

}  // namespace pnc::crypto
