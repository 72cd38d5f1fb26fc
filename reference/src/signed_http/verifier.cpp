// §6.4 verification: [SEED]/[HARD] V1-V8 in order, and the two [COMPAT] upstream verifiers.
#include <limits>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/testing/faults.hpp"
#include "signed_http/internal.hpp"

namespace pnc::signed_http {
namespace {

constexpr std::uint64_t kMaxTimestamp = std::uint64_t{1} << 53;  // V1

VerifyResult reject(int status, const char* reason) {
  VerifyResult r;
  r.status = status;
  r.reason = reason;
  return r;
}

VerifyResult accept(Bytes body, bool decrypted) {
  VerifyResult r;
  r.status = 200;
  r.body = std::move(body);
  r.decrypted = decrypted;
  return r;
}

// Visible ASCII plus space: what an HTTP field value may carry; anything else fails V1.
bool is_ascii_value(std::string_view v) {
  for (char c : v)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  return true;
}

// §0.3 decimal: digits only, no sign, no leading zero (except "0"), value <= 2^53.
std::optional<std::uint64_t> parse_strict_timestamp(std::string_view s) {
  if (s.empty() || s.size() > 16 || (s.size() > 1 && s.front() == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > kMaxTimestamp) return std::nullopt;
  return v;
}

// Rust u64::from_str as used by VAL: optional '+', then one or more digits, no overflow.
std::optional<std::uint64_t> parse_rust_u64(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// |now - ts| <= max, computed without overflow for any inputs.
bool within_skew(std::int64_t now, std::uint64_t ts, std::int64_t max_skew) {
  if (ts > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  const auto t = static_cast<std::int64_t>(ts);
  const std::uint64_t diff = t > now ? static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(now)
                                     : static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(t);
  return diff <= static_cast<std::uint64_t>(max_skew);
}

// §6.1 [SEED] nonce: 16-128 chars of [A-Za-z0-9_-] (the nonce_base64_charset fault: also + / =).
bool is_valid_nonce(std::string_view n, bool base64_charset) {
  if (n.size() < kMinNonceChars || n.size() > kMaxNonceChars) return false;
  for (char c : n) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || (base64_charset && (c == '+' || c == '/' || c == '='));
    if (!ok) return false;
  }
  return true;
}

// Media type of a Content-Type value, parameters and surrounding whitespace dropped.
bool is_encrypted_content_type(std::optional<std::string_view> ct) {
  if (!ct) return false;
  std::string_view v = ct->substr(0, ct->find(';'));
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return detail::iequals(v, kContentTypeEncrypted);
}

constexpr const char* kSignedHeaders[] = {kHdrSessionToken, kHdrPublicKey, kHdrTimestamp, kHdrNonce,
                                          kHdrSignature};

VerifyResult nonce_verdict(NonceCache::Insert r) {
  if (r == NonceCache::Insert::replayed) return reject(401, errc::kReplayedNonce);
  return reject(503, errc::kNonceCacheFull);
}

}  // namespace

Verifier::Verifier(SessionTable& sessions, const Clock& clock, VerifierOptions options)
    : sessions_(sessions), clock_(clock), options_(options) {}

VerifyResult Verifier::verify(const HttpRequest& request) const {
  if (options_.profile != Profile::sdk_compat) return verify_strict(request);
  if (options_.compat == CompatVerifier::sdk_presence_only) return verify_presence(request);
  return verify_val(request);
}

VerifyResult Verifier::verify_strict(const HttpRequest& req) const {
  const auto& faults = testing::active(options_.faults);
  // V1: presence (exactly once, non-empty), ASCII, syntax.
  for (const char* name : kSignedHeaders) {
    const auto n = req.header_count(name);
    if (n == 0 || req.header(name)->empty()) return reject(401, errc::kMissingHeader);
    if (n > 1) return reject(401, errc::kDuplicateHeader);
  }
  const std::string_view token = *req.header(kHdrSessionToken);
  const std::string_view pk_b64 = *req.header(kHdrPublicKey);
  const std::string_view ts_text = *req.header(kHdrTimestamp);
  const std::string_view nonce = *req.header(kHdrNonce);
  const std::string_view sig_b64 = *req.header(kHdrSignature);
  for (auto v : {token, pk_b64, ts_text, nonce, sig_b64})
    if (!is_ascii_value(v)) return reject(401, errc::kNonAsciiHeader);
  if (token.size() > kMaxSessionTokenChars) return reject(401, errc::kBadSessionToken);
  const auto ts = faults.lenient_timestamp_format ? parse_rust_u64(ts_text) : parse_strict_timestamp(ts_text);
  if (!ts) return reject(401, errc::kBadTimestamp);
  // (the lenient_public_key_b64 fault decodes X-Public-Key as Python's b64decode does)
  auto pk = codec::b64_decode_array<crypto::kEd25519PublicBytes>(
      pk_b64, faults.lenient_public_key_b64 ? Profile::sdk_compat : Profile::seed_spec);
  if (!pk) return reject(401, errc::kBadPublicKey);
  auto sig = codec::b64_decode_array<crypto::kEd25519SignatureBytes>(sig_b64, Profile::seed_spec);
  if (!sig) return reject(401, errc::kBadSignatureEncoding);
  if (!faults.skip_nonce_format_check && !is_valid_nonce(nonce, faults.nonce_base64_charset))
    return reject(401, errc::kBadNonce);

  // V2: freshness.
  const std::int64_t now = clock_.now();
  const std::int64_t max_skew = faults.timestamp_window_off_by_one ? kMaxSkewSeconds + 1 : kMaxSkewSeconds;
  if (!faults.skip_timestamp_window && !within_skew(now, *ts, max_skew))
    return reject(401, errc::kTimestampSkew);

  // V3: body limit, before any crypto.
  if (req.body.size() > options_.max_body_bytes) return reject(413, errc::kBodyTooLarge);

  // V4: session.
  const auto session = sessions_.find(token);
  if (!session) return reject(401, errc::kUnknownSession);
  if (now >= session->expires_at) return reject(401, errc::kSessionExpired);

  // V5: key binding, constant time.
  if (!faults.skip_key_binding && !ct_equal(*pk, session->ed_public))
    return reject(401, errc::kKeyMismatch);

  // V7 before V6 is VAL's order (D-15), a fault in [SEED]: a forged request burns the nonce.
  const bool check_replay = !faults.skip_nonce_replay_check;
  if (check_replay && faults.burn_nonce_before_signature) {
    const auto ins = sessions_.check_and_insert_nonce(token, nonce, now);
    if (ins != NonceCache::Insert::inserted) return nonce_verdict(ins);
  }

  // V6: strict Ed25519 over the canonical string of what was received.
  const auto canonical = canonical_string(req.method, req.path(), req.body, ts_text, nonce, token);
  if (!crypto::ed25519_verify(*pk, as_bytes(canonical), *sig)) return reject(401, errc::kBadSignature);

  // V7: replay, only after the request authenticated (D-15 [SEED]).
  if (check_replay && !faults.burn_nonce_before_signature) {
    const auto ins = sessions_.check_and_insert_nonce(token, nonce, now);
    if (ins != NonceCache::Insert::inserted) return nonce_verdict(ins);
  }

  // V8: encrypted body.
  if (!is_encrypted_content_type(req.header(kHdrContentType))) return accept(req.body, false);
  if (!session->aead_key) return reject(400, errc::kNoSessionKey);
  auto env = parse_envelope(to_string(req.body), Profile::seed_spec);
  if (!env) return reject(400, errc::kBadEnvelope);
  if (env->enc != kEncLabel) return reject(400, errc::kUnsupportedEnc);
  auto plain = open_envelope(session->aead_key->view(), *env, BodyCipher::ietf);
  if (!plain) return reject(400, errc::kDecryptFailed);
  return accept(std::move(*plain), true);
}

VerifyResult Verifier::verify_val(const HttpRequest& req) const {
  // VAL: headers present (first value wins) and representable; an empty X-Nonce is fine.
  for (const char* name : kSignedHeaders)
    if (req.header_count(name) == 0) return reject(401, errc::kMissingHeader);
  const std::string_view token = *req.header(kHdrSessionToken);
  const std::string_view pk_b64 = *req.header(kHdrPublicKey);
  const std::string_view ts_text = *req.header(kHdrTimestamp);
  const std::string_view nonce = *req.header(kHdrNonce);
  const std::string_view sig_b64 = *req.header(kHdrSignature);
  for (auto v : {token, pk_b64, ts_text, nonce, sig_b64})
    if (!is_ascii_value(v)) return reject(401, errc::kNonAsciiHeader);
  const auto ts = parse_rust_u64(ts_text);
  if (!ts) return reject(401, errc::kBadTimestamp);

  const std::int64_t now = clock_.now();
  if (!within_skew(now, *ts, kMaxSkewSeconds)) return reject(401, errc::kTimestampSkew);
  if (req.body.size() > options_.max_body_bytes) return reject(413, errc::kBodyTooLarge);

  const auto session = sessions_.find(token);
  if (!session) return reject(401, errc::kUnknownSession);
  if (now >= session->expires_at) return reject(401, errc::kSessionExpired);

  // D-15: the nonce is burned before the key and signature are looked at.
  const auto ins = sessions_.check_and_insert_nonce(token, nonce, now);
  if (ins != NonceCache::Insert::inserted) return nonce_verdict(ins);

  auto pk = codec::b64_decode(pk_b64, Profile::seed_spec);  // Rust STANDARD engine: strict
  if (!pk) return reject(401, errc::kBadPublicKey);
  if (!ct_equal(*pk, session->ed_public)) return reject(401, errc::kKeyMismatch);
  auto sig = codec::b64_decode_exact(sig_b64, crypto::kEd25519SignatureBytes, Profile::seed_spec);
  if (!sig) return reject(401, errc::kBadSignatureEncoding);
  // The re-formatted u64, not the header text, is signed (§6.2 VAL quirk).
  const auto canonical =
      canonical_string(req.method, req.path(), req.body, std::to_string(*ts), nonce, token);
  if (!crypto::ed25519_verify(*pk, as_bytes(canonical), *sig)) return reject(401, errc::kBadSignature);

  // VAL decrypts any envelope-shaped body whose enc is one of its two labels, both as IETF;
  // everything else passes through unencrypted.
  if (!session->aead_key) return accept(req.body, false);
  auto obj = json::parse_object(to_string(req.body), Profile::sdk_compat);
  if (!obj) return accept(req.body, false);
  auto enc = json::get_string(*obj, "enc");
  auto n_b64 = json::get_string(*obj, "nonce");
  auto c_b64 = json::get_string(*obj, "ciphertext");
  if (!enc || !n_b64 || !c_b64 || (*enc != kEncLabel && *enc != kEncLabelX))
    return accept(req.body, false);
  auto n = codec::b64_decode_exact(*n_b64, crypto::kAeadNonceBytes, Profile::seed_spec);
  auto c = codec::b64_decode(*c_b64, Profile::seed_spec);
  if (!n || !c) return reject(400, errc::kBadEnvelope);
  auto plain = crypto::aead_open(session->aead_key->view(), *n, *c);
  if (!plain) return reject(400, errc::kDecryptFailed);
  return accept(std::move(*plain), true);
}

VerifyResult Verifier::verify_presence(const HttpRequest& req) const {
  // D-14: the SDK checks only that the five headers are non-empty (nothing in dev mode).
  if (!options_.sdk_dev_mode) {
    for (const char* name : kSignedHeaders) {
      const auto v = req.header(name);
      if (!v || v->empty()) return reject(401, errc::kMissingHeader);
    }
  }
  if (req.body.size() > options_.max_body_bytes) return reject(413, errc::kBodyTooLarge);
  return accept(req.body, false);
}

}  // namespace pnc::signed_http
