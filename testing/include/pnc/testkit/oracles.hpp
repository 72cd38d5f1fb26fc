// OpenSSL 3 oracles: an implementation independent of the reference's libsodium, for tests,
// properties, fuzz targets and vector tools to check the reference against (issue 13: one copy).
// Operations that cannot fail on valid input throw std::runtime_error when OpenSSL refuses;
// operations whose refusal is an answer return std::nullopt.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pnc/testkit/bytes.hpp"

namespace pnc::testkit {

// X25519 (RFC 7748); nullopt when OpenSSL refuses or the result is all zero (low-order peer).
std::optional<Bytes> ossl_x25519(ByteView sk32, ByteView pk32);
Bytes ossl_x25519_public(ByteView sk32);

// HKDF-SHA256 (RFC 5869).
Bytes ossl_hkdf_sha256(ByteView salt, ByteView ikm, ByteView info, std::size_t length);
inline Bytes ossl_hkdf_sha256(ByteView salt, ByteView ikm, std::string_view info, std::size_t length) {
  return ossl_hkdf_sha256(salt, ikm, view_of(info), length);
}

// ChaCha20-Poly1305 (RFC 8439): ciphertext || 16-byte tag.
Bytes ossl_chacha_seal(ByteView key32, ByteView nonce12, ByteView pt, ByteView aad = {});
std::optional<Bytes> ossl_chacha_open(ByteView key32, ByteView nonce12, ByteView ct_and_tag,
                                      ByteView aad = {});

// Ed25519 (RFC 8032).
Bytes ossl_ed25519_public(ByteView seed32);
Bytes ossl_ed25519_sign(ByteView seed32, ByteView msg);
bool ossl_ed25519_verify(ByteView pk32, ByteView msg, ByteView sig64);

Bytes ossl_sha256(ByteView data);
Bytes ossl_sha384(ByteView data);
Bytes ossl_sha512(ByteView data);

// RFC 4648 §4 base64 with padding (OpenSSL EVP_EncodeBlock).
std::string ossl_b64(ByteView data);
// Decodes canonical padded base64 with OpenSSL (EVP_DecodeBlock, padding bytes removed);
// nullopt when OpenSSL refuses. Only meant for strings the test already knows are canonical.
std::optional<Bytes> ossl_b64_decode(std::string_view text);

// An envelope frame (§5.1) built with OpenSSL: {"enc","nonce","ciphertext"}.
std::string ossl_envelope(ByteView key32, ByteView nonce12, std::string_view plaintext);

// Lowercase hex, and its inverse for trusted constants (throws on odd length or a non-hex digit).
std::string to_hex(ByteView data);
Bytes from_hex(std::string_view hex);

}  // namespace pnc::testkit
