#include "report/signature.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/provenance.hpp"
#include "core/read_file.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"

namespace pnc::conf {

namespace {

namespace fs = std::filesystem;

bool read_all(const fs::path& path, std::string& out) {
  auto text = read_file(path);
  if (text) out = std::move(*text);
  return text.has_value();
}

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<SecretBytes> load_sign_key(const std::string& path) {
  std::string text;
  if (!read_all(path, text)) return make_error("sign.unreadable", "cannot read the signing key file " + path);
  auto seed = codec::hex_decode_exact(trimmed(text), 32);
  secure_wipe(text.data(), text.size());
  if (!seed) return make_error("sign.bad_key", "signing key file " + path + ": expected a 32-byte Ed25519 seed as 64 hex characters");
  SecretBytes out(*seed);
  secure_wipe(seed->data(), seed->size());
  return out;
}

std::string sign_key_public_hex(const SecretBytes& seed) {
  return codec::hex_encode(crypto::ed25519_from_seed(seed.view()).pub);
}

Result<Bytes> load_public_key(const std::string& file_or_hex) {
  std::string text = file_or_hex;
  const bool is_hex = text.size() == 64 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
  if (!is_hex && !read_all(file_or_hex, text))
    return make_error("verify.usage", "--pubkey: neither 64 hex characters nor a readable file: " + file_or_hex);
  auto key = codec::hex_decode_exact(trimmed(text), 32);
  if (!key) return make_error("verify.usage", "--pubkey: expected an Ed25519 public key as 64 hex characters");
  return key;
}

std::string signature_text(const SecretBytes& seed, std::string_view report_json) {
  return codec::hex_encode(crypto::ed25519_sign(seed.view(), as_bytes(report_json))) + "\n";
}

Status verify_report_dir(const std::string& dir, ByteView public_key) {
  std::string report, sig_text, certificate;
  if (!read_all(fs::path(dir) / "report.json", report))
    return make_error("verify.usage", "cannot read " + (fs::path(dir) / "report.json").string());
  if (!read_all(fs::path(dir) / kSignatureFile, sig_text))
    return make_error("verify.bad_signature", "no signature: cannot read " + (fs::path(dir) / kSignatureFile).string());
  auto sig = codec::hex_decode_exact(trimmed(sig_text), 64);
  if (!sig) return make_error("verify.bad_signature", std::string(kSignatureFile) + " is not 128 hex characters");
  if (auto s = crypto::ed25519_verify(public_key, as_bytes(report), *sig); !s)
    return make_error("verify.bad_signature",
                      "report.json does not match its signature under this key (modified after signing, or signed by another key)");
  if (read_all(fs::path(dir) / "certificate.html", certificate) &&
      certificate.find(sha256_hex(report)) == std::string::npos)
    return make_error("verify.certificate_mismatch", "certificate.html does not name report.json's SHA-256 " + sha256_hex(report));
  return {};
}

}  // namespace pnc::conf
