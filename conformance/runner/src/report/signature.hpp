// Detached Ed25519 signatures over report.json (docs/report-format.md, "Signed reports"), so a
// certificate can be checked later: `run --sign-key FILE` writes report.json.sig, and
// `verify-report DIR --pubkey FILE|HEX` checks it.
//   key file:        the 32-byte Ed25519 seed as 64 hex characters (surrounding whitespace allowed)
//   public key:      32 bytes as 64 hex characters, given directly or in a file
//   report.json.sig: the 64-byte signature over report.json's exact bytes, 128 lowercase hex + "\n"
#pragma once

#include <string>
#include <string_view>

#include "pnc/result.hpp"
#include "pnc/secret.hpp"
#include "pnc/types.hpp"

namespace pnc::conf {

inline constexpr const char* kSignatureFile = "report.json.sig";

// The signing seed from a key file (errors name the file, never its content).
Result<SecretBytes> load_sign_key(const std::string& path);
// The public key of a signing seed, hex: what the certificate names and verifiers are given.
std::string sign_key_public_hex(const SecretBytes& seed);
// A public key: 64 hex characters, or a file holding them.
Result<Bytes> load_public_key(const std::string& file_or_hex);

// The report.json.sig text for `report_json`.
std::string signature_text(const SecretBytes& seed, std::string_view report_json);

// Checks DIR/report.json against DIR/report.json.sig, and that DIR/certificate.html (when
// present) names report.json's SHA-256. Errors: "verify.usage" (no report.json),
// "verify.bad_signature" (missing, malformed or wrong signature: tampered or another key),
// "verify.certificate_mismatch".
Status verify_report_dir(const std::string& dir, ByteView public_key);

}  // namespace pnc::conf
