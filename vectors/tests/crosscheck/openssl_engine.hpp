// The second, independent implementation for the cross-check: every primitive straight from
// OpenSSL 3 (EVP), plus byte/encoding helpers written here. Nothing from pnc::reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xcheck {

using Bytes = std::vector<std::uint8_t>;

// Encodings (hex is hand-written; base64 goes through EVP_EncodeBlock / EVP_DecodeBlock).
std::optional<Bytes> unhex(std::string_view h);  // lowercase or uppercase, even length
std::string hex(const Bytes& b);
std::string b64(const Bytes& b);
// Strict RFC 4648 §4 decode: the input must be exactly what EVP_EncodeBlock produces for the
// decoded bytes (canonical, padded, no whitespace).
std::optional<Bytes> b64_strict(std::string_view s);
// RFC 4648 §5 without padding, canonical.
std::optional<Bytes> b64url_strict(std::string_view s);
std::optional<Bytes> hex_openssl(std::string_view s);  // OPENSSL_hexstr2buf_ex, no separators
Bytes bytes(std::string_view s);
Bytes cat(const Bytes& a, const Bytes& b);

// Primitives.
std::optional<Bytes> x25519(const Bytes& priv, const Bytes& pub);  // nullopt: OpenSSL refused
std::optional<Bytes> x25519_public(const Bytes& priv);
bool ed25519_verify(const Bytes& pub, const Bytes& msg, const Bytes& sig);
std::optional<Bytes> hkdf_sha256(const Bytes& salt, const Bytes& ikm, const Bytes& info, std::size_t n);
std::optional<Bytes> chacha_seal(const Bytes& key, const Bytes& iv12, const Bytes& aad, const Bytes& msg);  // ct || tag
std::optional<Bytes> chacha_open(const Bytes& key, const Bytes& iv12, const Bytes& aad, const Bytes& ct_tag);
// HChaCha20 from the ChaCha20 block function of EVP_chacha20 (keystream minus the input words).
std::optional<Bytes> hchacha20(const Bytes& key, const Bytes& in16);
std::optional<Bytes> xchacha_seal(const Bytes& key, const Bytes& iv24, const Bytes& aad, const Bytes& msg);
std::optional<Bytes> xchacha_open(const Bytes& key, const Bytes& iv24, const Bytes& aad, const Bytes& ct_tag);
Bytes sha256(const Bytes& b);
Bytes sha384(const Bytes& b);
Bytes sha512(const Bytes& b);

}  // namespace xcheck
