// fuzz_signed_request (PROTOCOL.md §14, §6.4): arbitrary method, path, headers and body.
// Oracle: seed-spec/hardened — the verifier accepts exactly the requests an independent model of
// V1-V8 accepts (OpenSSL Ed25519 over a separately built canonical string, the session key of
// the registered token, ±120 s, nonce syntax, per-session replay, envelope bodies opened with
// OpenSSL), so it never accepts without a valid signature from the session key; sdk-compat (VAL)
// never accepts without a valid signature over its re-formatted timestamp either; the SDK's
// presence-only verifier (a documented quirk, D-14) only needs the five headers.
// Input: flags byte (bits 0-1 verifier: seed-spec, sdk-compat VAL, hardened, sdk-compat SDK;
// bit 2: the target signs each request with the V4 key; bit 3: SDK_DEV_MODE), then up to four
// u16-length-prefixed requests "METHOD TARGET\nName: value\n...\n\nBODY".
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "pnc/clock.hpp"
#include "pnc/signed_http.hpp"

using namespace pnc;
using NJson = nlohmann::json;
namespace sh = pnc::signed_http;

namespace {

constexpr std::int64_t kNow = fuzz::golden::kV4Now;
constexpr std::string_view kOtherToken = "session_11111111-1111-4111-8111-111111111111";

sh::HttpRequest parse_request(std::string_view text) {
  sh::HttpRequest req;
  auto take_line = [&text]() {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    return line;
  };
  const std::string_view first = take_line();
  const auto sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  if (sp != std::string_view::npos) req.target = std::string(first.substr(sp + 1));
  while (!text.empty()) {
    const std::string_view line = take_line();
    if (line.empty()) break;
    const auto colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  req.body = to_bytes(text);
  return req;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// All values of a header (case-insensitive name).
std::vector<std::string> values(const sh::HttpRequest& req, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : req.headers)
    if (iequal(n, name)) out.push_back(v);
  return out;
}
std::string first_value(const sh::HttpRequest& req, std::string_view name) {
  auto v = values(req, name);
  return v.empty() ? std::string() : v.front();
}

std::string path_of(const std::string& target) { return target.substr(0, target.find_first_of("?#")); }

std::string canonical(const sh::HttpRequest& req, const std::string& ts) {
  return req.method + "\n" + path_of(req.target) + "\n" + fuzz::lower_hex(fuzz::ossl_sha256(req.body)) + "\n" + ts +
         "\n" + first_value(req, sh::kHdrNonce) + "\n" + first_value(req, sh::kHdrSessionToken);
}

bool printable(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

struct SessionModel {
  Bytes pk;
  std::optional<Bytes> aead_key;
};

// V1-V8 restated. Returns the handler body when the request must be accepted.
std::optional<Bytes> model_strict(const sh::HttpRequest& req, const std::optional<SessionModel>& session,
                                  const std::set<std::pair<std::string, std::string>>& used) {
  for (const char* name : {sh::kHdrSessionToken, sh::kHdrPublicKey, sh::kHdrTimestamp, sh::kHdrNonce, sh::kHdrSignature}) {
    auto v = values(req, name);
    if (v.size() != 1 || v[0].empty() || !printable(v[0])) return std::nullopt;
  }
  const std::string ts = first_value(req, sh::kHdrTimestamp);
  if (ts.size() > 16 || (ts.size() > 1 && ts[0] == '0') ||
      !std::all_of(ts.begin(), ts.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const std::uint64_t t = std::stoull(ts);
  if (t > (std::uint64_t{1} << 53)) return std::nullopt;
  const auto now = static_cast<std::uint64_t>(kNow);
  if ((t > now ? t - now : now - t) > 120) return std::nullopt;
  const std::string nonce = first_value(req, sh::kHdrNonce);
  if (nonce.size() < 16 || nonce.size() > 128 || !std::all_of(nonce.begin(), nonce.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      }))
    return std::nullopt;
  auto pk = fuzz::sodium_b64(first_value(req, sh::kHdrPublicKey));
  auto sig = fuzz::sodium_b64(first_value(req, sh::kHdrSignature));
  if (!pk || pk->size() != 32 || !sig || sig->size() != 64) return std::nullopt;
  if (!session || *pk != session->pk) return std::nullopt;
  if (!fuzz::ossl_ed25519_verify(*pk, as_bytes(canonical(req, ts)), *sig)) return std::nullopt;
  if (used.count({first_value(req, sh::kHdrSessionToken), nonce}) != 0) return std::nullopt;
  // V8: media type of the (first) Content-Type, parameters and blanks dropped.
  std::string ct = first_value(req, sh::kHdrContentType);
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && (ct.front() == ' ' || ct.front() == '\t')) ct.erase(0, 1);
  while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.pop_back();
  if (!iequal(ct, sh::kContentTypeEncrypted)) return req.body;
  if (!session->aead_key) return std::nullopt;
  const std::string body(req.body.begin(), req.body.end());
  if (!fuzz::strict_json_ok(fuzz::scan_json(body))) return std::nullopt;
  const NJson doc = NJson::parse(body, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  for (const char* m : {"enc", "nonce", "ciphertext"})
    if (!doc.contains(m) || !doc[m].is_string()) return std::nullopt;
  auto n = fuzz::sodium_b64(doc["nonce"].get<std::string>());
  auto c = fuzz::sodium_b64(doc["ciphertext"].get<std::string>());
  if (!n || n->size() != 12 || !c || c->size() < 16 || doc["enc"] != "chacha20poly1305") return std::nullopt;
  return fuzz::ossl_chacha_open(*session->aead_key, *n, *c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes seed = fuzz::unhex(fuzz::golden::kV4Seed);
  static const Bytes pk = fuzz::unhex(fuzz::golden::kV4Pk);
  static const Bytes other_pk = fuzz::unhex(fuzz::golden::kV9IssuerPk);
  static const Bytes aead_key = fuzz::unhex(fuzz::golden::kV1Key);

  fuzz::Input in(data, size);
  const std::uint8_t flags = in.u8();
  const int which = flags & 3;
  const bool sign_it = (flags & 4) != 0;
  const Profile profile = which == 0 ? Profile::seed_spec : which == 2 ? Profile::hardened : Profile::sdk_compat;
  const bool strict = is_strict(profile);

  const FixedClock clock(kNow);
  sh::SessionTable sessions;
  sh::Session main_session;
  main_session.ed_public = pk;
  main_session.aead_key = Secret<32>(aead_key);
  main_session.expires_at = kNow + 3600;
  (void)sessions.add(std::string(fuzz::golden::kV4Token), main_session, kNow);
  sh::Session other;
  other.ed_public = other_pk;
  other.expires_at = kNow + 3600;
  (void)sessions.add(std::string(kOtherToken), other, kNow);

  sh::VerifierOptions options;
  options.profile = profile;
  options.compat = which == 3 ? sh::CompatVerifier::sdk_presence_only : sh::CompatVerifier::val_middleware;
  options.sdk_dev_mode = (flags & 8) != 0;
  const sh::Verifier verifier(sessions, clock, options);

  std::set<std::pair<std::string, std::string>> accepted_nonces;
  for (int i = 0; i < 4 && !in.empty(); ++i) {
    sh::HttpRequest req = parse_request(in.length_prefixed());
    if (sign_it) {
      const std::string ts = first_value(req, sh::kHdrTimestamp);
      const std::string msg = canonical(req, ts);
      std::uint8_t sk[64];
      std::uint8_t unused_pk[32];
      crypto_sign_seed_keypair(unused_pk, sk, seed.data());
      std::uint8_t sig[64];
      crypto_sign_detached(sig, nullptr, reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size(), sk);
      req.set_header(sh::kHdrSignature, fuzz::sodium_b64_encode(ByteView(sig, 64)));
    }

    const std::string token = first_value(req, sh::kHdrSessionToken);
    std::optional<SessionModel> session;
    if (token == fuzz::golden::kV4Token)
      session = SessionModel{pk, aead_key};
    else if (token == kOtherToken)
      session = SessionModel{other_pk, std::nullopt};

    const sh::VerifyResult result = verifier.verify(req);
    if (strict) {
      const auto expected = model_strict(req, session, accepted_nonces);
      FUZZ_ASSERT(result.ok() == expected.has_value(), "strict verifier verdict differs from the V1-V8 model");
      if (result.ok()) FUZZ_ASSERT(result.body == *expected, "handler body differs from the model's");
    } else if (which == 1 && result.ok()) {
      // VAL: presence, u64 timestamp (re-formatted for the canonical string), session key,
      // signature, nonce not used before in the session.
      const std::string ts_text = first_value(req, sh::kHdrTimestamp);
      std::string_view digits = ts_text;
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
      FUZZ_ASSERT(!digits.empty() && digits.size() <= 20, "VAL accepted a bad timestamp");
      const std::string reformatted = std::to_string(std::stoull(std::string(digits)));
      auto key = fuzz::sodium_b64(first_value(req, sh::kHdrPublicKey));
      auto sig = fuzz::sodium_b64(first_value(req, sh::kHdrSignature));
      FUZZ_ASSERT(session && key && *key == session->pk, "VAL accepted a key that is not the session's");
      FUZZ_ASSERT(sig && fuzz::ossl_ed25519_verify(*key, as_bytes(canonical(req, reformatted)), *sig),
                  "VAL accepted without a valid signature from the session key");
      FUZZ_ASSERT(accepted_nonces.count({token, first_value(req, sh::kHdrNonce)}) == 0, "VAL accepted a replay");
    } else if (which == 3 && result.ok() && !options.sdk_dev_mode) {
      for (const char* name : {sh::kHdrSessionToken, sh::kHdrPublicKey, sh::kHdrTimestamp, sh::kHdrNonce, sh::kHdrSignature})
        FUZZ_ASSERT(!first_value(req, name).empty(), "SDK verifier accepted a missing header");
    }
    if (result.ok()) accepted_nonces.insert({token, first_value(req, sh::kHdrNonce)});
  }
  return 0;
}
