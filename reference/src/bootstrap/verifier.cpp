// Validator side of the HTTP bootstrap: nonce issue (§2.1) and /attest processing (§2.5).
#include <algorithm>

#include "pnc/bootstrap.hpp"
#include "pnc/codec.hpp"
#include "pnc/json.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/testing/faults.hpp"

namespace pnc::bootstrap {
namespace {

Reply fail(int status, const char* reason) { return Reply{status, reason, {}}; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// axum's Json extractor: application/json or application/<anything>+json, parameters ignored.
bool is_json_content_type(std::optional<std::string_view> ct) {
  if (!ct) return false;
  std::string_view v = ct->substr(0, ct->find(';'));
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (iequals(v, "application/json")) return true;
  constexpr std::string_view kApp = "application/", kSuffix = "+json";
  return v.size() > kApp.size() + kSuffix.size() && iequals(v.substr(0, kApp.size()), kApp) &&
         iequals(v.substr(v.size() - kSuffix.size()), kSuffix);
}

const char* nonce_reason(NonceStore::Check c) {
  switch (c) {
    case NonceStore::Check::unknown: return errc::kNonceUnknown;
    case NonceStore::Check::expired: return errc::kNonceExpired;
    case NonceStore::Check::used: return errc::kNonceUsed;
    case NonceStore::Check::ok: break;
  }
  return "";
}

}  // namespace

// ---------------------------------------------------------------- NonceStore

NonceStore::NonceStore(std::size_t capacity, std::int64_t lifetime)
    : capacity_(capacity), lifetime_(lifetime) {}

Result<NonceStore::Issued> NonceStore::issue(std::int64_t now, Rng& rng) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= capacity_) {
    for (auto it = entries_.begin(); it != entries_.end();)
      it = now > it->second.expires_at ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() >= capacity_)
    return make_error(errc::kNonceStoreFull, "bootstrap nonce store full");
  std::string nonce;
  do {  // a 256-bit collision is practically impossible; the loop keeps the store exact anyway
    nonce = codec::hex_encode(rng.bytes<kNonceBytes>());
  } while (entries_.count(nonce) != 0);
  const std::int64_t expires = sat_add(now, lifetime_);  // `now` may be any value a caller passes
  entries_.emplace(nonce, Entry{expires, false});
  return Issued{std::move(nonce), expires};
}

NonceStore::Check NonceStore::check_locked(std::string_view nonce, std::int64_t now) const {
  auto it = entries_.find(nonce);
  if (it == entries_.end()) return Check::unknown;
  if (now > it->second.expires_at) return Check::expired;
  if (it->second.used) return Check::used;
  return Check::ok;
}

NonceStore::Check NonceStore::check(std::string_view nonce, std::int64_t now) const {
  std::lock_guard lock(mu_);
  return check_locked(nonce, now);
}

NonceStore::Check NonceStore::consume(std::string_view nonce, std::int64_t now) {
  std::lock_guard lock(mu_);
  const auto c = check_locked(nonce, now);
  if (c == Check::ok) entries_.find(nonce)->second.used = true;
  return c;
}

std::size_t NonceStore::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

// ---------------------------------------------------------------- quote checks

QuoteCheck dcap_quote_check(DcapVerifier& dcap) {
  return [&dcap](ByteView quote, std::string_view) -> Status {
    auto parsed = tdx::parse_quote(quote, Profile::seed_spec);
    if (!parsed) return parsed.error();
    if (tdx::has_mock_marker(*parsed))
      return make_error(attest_errc::kMockMarkerInProd, "mock quote in prod mode");
    return dcap.verify(quote);
  };
}

QuoteCheck mock_quote_check() {
  return [](ByteView quote, std::string_view) -> Status {
    auto parsed = tdx::parse_quote(quote, Profile::seed_spec);
    if (!parsed) return parsed.error();
    if (!tdx::has_mock_marker(*parsed)) return make_error(attest_errc::kNotMock, "mock marker missing");
    if (!tdx::mock_signature_valid(quote))
      return make_error(attest_errc::kMockSignature, "mock signature mismatch");
    return {};
  };
}

// ---------------------------------------------------------------- AttestVerifier

AttestVerifier::AttestVerifier(NonceStore& nonces, signed_http::SessionRegistry& sessions,
                               QuoteCheck quote_check, const Clock& clock, Rng& rng,
                               AttestVerifierOptions options)
    : nonces_(nonces),
      sessions_(sessions),
      quote_check_(std::move(quote_check)),
      clock_(clock),
      rng_(rng),
      options_(options) {}

Reply AttestVerifier::challenge() {
  auto issued = nonces_.issue(clock_.now(), rng_);
  if (!issued) return fail(503, errc::kNonceStoreFull);
  json::Json body = {{"nonce", issued->nonce}, {"expires_at", issued->expires_at}};
  return Reply{200, {}, json::dump(body)};
}

Reply AttestVerifier::attest(std::optional<std::string_view> content_type, std::string_view body) {
  const Profile profile = options_.profile;
  const bool strict = is_strict(profile);
  const std::int64_t now = clock_.now();

  // Typed extractor (before step 1): 415 / 400 syntax / 422 shape.
  if (!is_json_content_type(content_type)) return fail(415, errc::kUnsupportedMediaType);
  auto doc = json::parse(body, profile);
  if (!doc) return fail(400, errc::kBadJson);
  const auto& req = *doc;
  if (!req.is_object()) return fail(422, errc::kUnprocessable);
  auto ed_b64 = json::get_string(req, "ephemeral_public_key");
  auto x_b64 = json::get_string(req, "sdk_x25519_pub");
  auto att_r = json::get_object(req, "attestation");
  if (!ed_b64 || !x_b64 || !att_r) return fail(422, errc::kUnprocessable);
  const auto& att = *att_r;

  // Step 0 [SEED]: the nonce must be issued here, unexpired and unused (checked now, consumed
  // only once every check passed, so a rejected request changes no state).
  const auto& faults = testing::active(options_.faults);
  const auto nonce_acceptable = [&faults](NonceStore::Check c) {
    return c == NonceStore::Check::ok || (faults.skip_nonce_expiry && c == NonceStore::Check::expired);
  };
  auto nonce = json::get_string(att, "nonce");
  if (strict && nonce) {
    const auto c = faults.consume_nonce_at_check ? nonces_.consume(*nonce, now) : nonces_.check(*nonce, now);
    if (!nonce_acceptable(c)) return fail(401, nonce_reason(c));
  }
  // Step 1.
  auto type = json::get_string(att, "attestation_type");
  if (!type || *type != "Tdx") return fail(400, errc::kBadAttestationType);
  // Step 2.
  auto quote_text = json::get_string(att, "quote");
  if (!quote_text || !nonce) return fail(400, errc::kBadQuoteOrNonce);
  // Step 3: VAL's base64 is strict in every profile.
  auto quote = codec::b64_decode(*quote_text, Profile::seed_spec);
  if (!quote) return fail(400, errc::kQuoteEncoding);
  // Step 4: structure first (VAL's collateral fetch parses first: 500), then verification.
  auto parsed = tdx::parse_quote(*quote, profile);
  if (!parsed) return fail(strict ? 400 : 500, errc::kQuoteUnparseable);
  if (!quote_check_) return fail(500, errc::kNoQuoteVerifier);
  if (auto st = quote_check_(*quote, *nonce); !st)
    return st.error().code == errc::kCollateral ? fail(500, errc::kCollateral)
                                                : fail(400, errc::kQuoteRejected);
  // Step 5: REPORTDATA[0:32] == SHA256(ASCII nonce) (D-02).
  const auto expected = http_report_data(*nonce);
  const std::size_t compared = faults.report_data_prefix_31 ? 31 : 32;
  if (!ct_equal(ByteView(parsed->report_data.data(), compared), ByteView(expected.data(), compared)))
    return fail(401, errc::kReportData);
  // Step 6: evidence members. VAL: only a missing member fails; null passes (quirk).
  if (!json::has(att, "event_log") || !json::has(att, "rtmrs")) return fail(400, errc::kEvidenceMissing);
  const auto& log = att.at("event_log");
  const auto& rtmrs = att.at("rtmrs");
  if (strict && (log.is_null() || rtmrs.is_null())) return fail(400, errc::kEvidenceMissing);
  if (log.is_string()) {
    const auto& text = log.get_ref<const std::string&>();
    if (strict && text.size() > kMaxEventLogBytes) return fail(400, errc::kBadEventLog);
    if (!json::parse(text, profile)) return fail(400, errc::kBadEventLog);
  } else if (strict) {
    return fail(400, errc::kBadEventLog);  // §2.4: JSON text
  }
  if (strict && !rtmrs.is_object()) return fail(400, errc::kBadRtmrs);
  // Step 7.
  auto x_pub = codec::b64_decode_exact(*x_b64, crypto::kX25519Bytes, Profile::seed_spec);
  if (!x_pub && faults.x25519_pub_first_32) {  // fault: `key[:32]` instead of a length check
    x_pub = codec::b64_decode(*x_b64, Profile::seed_spec);
    if (x_pub && x_pub->size() > crypto::kX25519Bytes) x_pub->resize(crypto::kX25519Bytes);
    else x_pub = make_error(errc::kBadX25519Key, "sdk_x25519_pub");
  }
  if (!x_pub) return fail(400, errc::kBadX25519Key);
  auto ed_pk = strict ? codec::b64_decode_exact(*ed_b64, crypto::kEd25519PublicBytes, Profile::seed_spec)
                      : codec::b64_decode(*ed_b64, Profile::seed_spec);
  if (!ed_pk) return fail(400, errc::kBadEd25519Key);
  if (strict && !crypto::ed25519_public_key_is_valid(*ed_pk)) return fail(400, errc::kBadEd25519Key);

  // Key agreement: fresh server key and salt per request.
  const auto srv = crypto::x25519_keypair(rng_);
  const auto salt = rng_.bytes<kSaltBytes>();
  Secret<32> shared;  // VAL (x25519-dalek) keeps the all-zero result in sdk-compat (D-33)
  if (auto s = crypto::x25519(srv.secret.view(), *x_pub); s.ok()) {
    shared = std::move(*s);
  } else if (strict) {
    return fail(400, errc::kLowOrderX25519);
  }
  Secret<32> aead_key = derive_aead_key(salt, shared.view());

  if (strict && !faults.nonce_reusable && !faults.consume_nonce_at_check) {
    const auto c = nonces_.consume(*nonce, now);  // atomic: a concurrent twin loses here
    if (!nonce_acceptable(c)) return fail(401, nonce_reason(c));
  }
  const std::string token = std::string(kSessionTokenPrefix) + rng_.uuid_v4();
  signed_http::Session session;
  session.ed_public = std::move(*ed_pk);
  session.aead_key = aead_key;
  session.expires_at = sat_add(now, options_.session_lifetime);
  if (!sessions_.add(token, std::move(session), now)) return fail(500, errc::kSessionRegistration);

  json::Json out = {
      {"session_token", token},
      {"attested", true},
      {"crypto",
       {{"srv_x25519_pub", codec::b64_encode(srv.pub)},
        {"aead", strict ? kAeadLabel : kAeadLabelVal},
        {"hkdf_salt", codec::b64_encode(salt)}}}};
  return Reply{200, {}, json::dump(out)};
}

Secret<32> derive_aead_key(ByteView salt, ByteView shared) {
  return crypto::hkdf_sha256_32(salt, shared, kHkdfInfo);
}

}  // namespace pnc::bootstrap
