// Operations whose randomness the caller chooses: a nonce or an ephemeral key is given instead of
// drawn. For golden vectors, the shim's deterministic operations, the self-check and benchmarks
// only, so the public headers leave them out (as BoringSSL keeps such hooks in internal.h): a
// sender that chooses its own nonces can repeat one, and a ChaCha20-Poly1305 nonce repeated under
// one key gives away both plaintexts' XOR and the authentication key.
#pragma once

#include <string>
#include <string_view>

#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/result.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/types.hpp"

namespace pnc::envelope {
// seal() with the 12-byte nonce given.
Result<std::string> seal_with_nonce(ByteView key32, ByteView nonce12, std::string_view plaintext);
}  // namespace pnc::envelope

namespace pnc::signed_http {
// encrypt_body() with the 12-byte nonce given (the D-12 XChaCha quirk pads it with zeros).
Result<std::string> encrypt_body_with_nonce(ByteView key32, ByteView nonce12, ByteView plaintext,
                                            BodyCipher cipher);
}  // namespace pnc::signed_http

namespace pnc::crypto {
// The sealed box (§8.2) with the ephemeral X25519 secret given.
Result<Bytes> seal_with_ephemeral(ByteView recipient_x25519_public, ByteView message,
                                  ByteView ephemeral_secret32);
}  // namespace pnc::crypto
