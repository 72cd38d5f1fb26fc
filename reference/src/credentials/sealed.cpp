// Mechanism A: sealed DSN receiver for POST /sdk/admin/db/credentials (PROTOCOL.md §8.1-8.3).
#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

#include "credentials/detail.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/testing/faults.hpp"

namespace pnc::credentials {
namespace {

using json::Json;

CredentialsReply fail(int status, const char* code, const char* detail) {
  CredentialsReply r;
  r.status = status;
  r.code = code;
  r.body = json::dump(Json{{"detail", detail}});
  return r;
}

CredentialsReply missing_fields(const char* code = kMissingFields) {
  return fail(400, code, "missing fields");
}
CredentialsReply decrypt_failed() { return fail(400, kDecryptFailed, "credentials decrypt failed"); }
CredentialsReply invalid_payload() { return fail(400, kInvalidPayload, "invalid credentials payload"); }

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF — what
// Python's bytes.decode("utf-8") accepts.
bool valid_utf8(ByteView s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::uint8_t c = s[i];
    if (c < 0x80) { ++i; continue; }
    std::size_t n = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) { n = 2; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) n = 2;
    else if (c == 0xED) { n = 2; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) n = 2;
    else if (c == 0xF0) { n = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else if (c == 0xF4) { n = 3; hi = 0x8F; }
    else return false;
    if (s.size() - i <= n) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (std::size_t k = 2; k <= n; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return false;
    i += n + 1;
  }
  return true;
}

// ---- Python str() / repr() of a JSON value (sdk-compat `version`, `challenge_name`) ----

// repr(float) with Python's 'r' format: shortest round-trip digits, exponent form when the
// decimal point position is <= -4 or > 16.
std::string python_float(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  std::string sign;
  if (!sci.empty() && sci[0] == '-') { sign = "-"; sci.erase(0, 1); }
  std::size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exp10 = std::stoi(sci.substr(e + 1));
  int decpt = exp10 + 1;
  const int nd = static_cast<int>(digits.size());
  if (decpt <= -4 || decpt > 16) {
    std::string out = sign + digits.substr(0, 1);
    if (nd > 1) out += "." + digits.substr(1);
    std::string ex = std::to_string(exp10 < 0 ? -exp10 : exp10);
    if (ex.size() < 2) ex = "0" + ex;
    return out + "e" + (exp10 < 0 ? "-" : "+") + ex;
  }
  if (decpt <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
  if (decpt >= nd) return sign + digits + std::string(static_cast<std::size_t>(decpt - nd), '0') + ".0";
  return sign + digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
         digits.substr(static_cast<std::size_t>(decpt));
}

std::string python_repr_str(const std::string& s) {
  const bool has_single = s.find('\'') != std::string::npos;
  const bool has_double = s.find('"') != std::string::npos;
  const char q = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == static_cast<unsigned char>(q)) { out += '\\'; out += static_cast<char>(c); }
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7F) {
      static const char* hexd = "0123456789abcdef";
      out += "\\x";
      out += hexd[c >> 4];
      out += hexd[c & 0xF];
    } else out += static_cast<char>(c);
  }
  return out + q;
}

std::string python_repr(const Json& v);

std::string python_str(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return python_repr(v);
}

std::string python_repr(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "None";
    case Json::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return v.dump();
    case Json::value_t::number_float: return python_float(v.get<double>());
    case Json::value_t::string: return python_repr_str(v.get<std::string>());
    case Json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + python_repr(v[i]);
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        out += (first ? "" : ", ") + python_repr_str(it.key()) + ": " + python_repr(it.value());
        first = false;
      }
      return out + "}";
    }
    default: return v.dump();
  }
}

// nlohmann's empty() is false for every string; this is the string's own emptiness.
bool empty_string(const Json& v) { return v.is_string() && v.get_ref<const std::string&>().empty(); }

// Python truthiness of a JSON value.
bool truthy(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return v.get<bool>();
    case Json::value_t::number_integer: return v.get<std::int64_t>() != 0;
    case Json::value_t::number_unsigned: return v.get<std::uint64_t>() != 0;
    case Json::value_t::number_float: return v.get<double>() != 0.0;
    case Json::value_t::string: return !empty_string(v);
    case Json::value_t::array:
    case Json::value_t::object: return !v.empty();
    default: return true;
  }
}

// [SEED] version: JSON integer 1-16, or a §0.3 decimal string of 1-2 digits in 1-16.
// `max_version` is 15 only under the version_16_refused fault.
std::optional<std::string> seed_version(const Json& v, std::int64_t max_version) {
  std::int64_t n = 0;
  if (v.is_number_integer()) {
    n = v.get<std::int64_t>();  // also covers number_unsigned (is_number_integer is true)
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > 16) return std::nullopt;
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 2 || (s.size() == 2 && s[0] == '0')) return std::nullopt;
    for (char c : s)
      if (c < '0' || c > '9') return std::nullopt;
    n = std::stoi(s);
  } else {
    return std::nullopt;
  }
  if (n < 1 || n > max_version) return std::nullopt;
  return std::to_string(n);
}

struct Fields {
  std::string sealed;  // empty in sdk-compat when the value is not a string (fails at step 4)
  std::string challenge_name;
  std::string version;
};

// Step 2.
Result<Fields> read_fields(const Json& body, Profile profile, const testing::CredentialsFaults& faults) {
  auto member = [&](const char* name) -> const Json* {
    auto it = body.find(name);
    return it == body.end() ? nullptr : &*it;
  };
  const Json* sealed = member("sealed");
  const Json* name = member("challenge_name");
  const Json* version = member("version");
  Fields f;
  if (is_strict(profile)) {
    for (const Json* v : {sealed, name, version})
      if (v == nullptr || v->is_null() || empty_string(*v))
        return make_error(kMissingFields, "missing fields");
    if (!sealed->is_string() || !name->is_string())
      return make_error(kBadField, "sealed and challenge_name must be strings");
    auto ver = seed_version(*version, faults.version_16_refused ? 15 : 16);
    if (!ver) return make_error(kBadField, "version must be 1-16");
    f.sealed = sealed->get<std::string>();
    f.challenge_name = name->get<std::string>();
    f.version = *ver;
    return f;
  }
  // sdk-compat: falsy sealed/challenge_name, or a null/empty version, count as missing.
  if (sealed == nullptr || !truthy(*sealed) || name == nullptr || !truthy(*name) ||
      version == nullptr || version->is_null() || empty_string(*version))
    return make_error(kMissingFields, "missing fields");
  if (sealed->is_string()) f.sealed = sealed->get<std::string>();
  f.challenge_name = python_str(*name);
  f.version = python_str(*version);
  return f;
}

// Step 4: the receiver's X25519 secret (§8.3), or the sdk_x25519 secret itself in hardened.
// `seed_is_x25519`: hardened (D-24), or the seed_as_x25519_secret fault (§8.3 skipped).
Result<Secret<32>> receiver_secret(std::string_view key_b64, Profile profile, bool seed_is_x25519) {
  Secret<32> key;  // decoded in place: no heap copy of the key to wipe
  if (!codec::b64_decode_into(key_b64, key.span(), profile))
    return make_error(kDecryptFailed, "receiver key is not B64 of 32 bytes");
  if (profile == Profile::hardened || seed_is_x25519) return key;
  return crypto::ed25519_seed_to_x25519(key.view());
}

// Step 5: the DSN out of the plaintext, or nullopt.
std::optional<SecretBytes> extract_dsn(const SecretBytes& plaintext, Profile profile, bool lenient_json) {
  if (!valid_utf8(plaintext.view())) return std::nullopt;
  std::optional<SecretBytes> dsn;
  if (!plaintext.empty() && plaintext.data()[0] == '{') {
    std::string_view text(reinterpret_cast<const char*>(plaintext.data()), plaintext.size());
    // its error text is never propagated; the lenient_dsn_json fault reads it last-wins
    auto doc = json::parse_object(text, lenient_json ? Profile::sdk_compat : profile);
    if (!doc) return std::nullopt;
    auto it = doc->find("dsn");
    // A non-string dsn is rejected in every profile (N-CRED-07 `{"dsn": 5}`).
    if (it != doc->end() && it->is_string() && !empty_string(*it))
      dsn = SecretBytes(as_bytes(it->get_ref<const std::string&>()));
    detail::wipe_strings(*doc);
  } else if (!plaintext.empty()) {
    dsn = SecretBytes(plaintext.view());
  }
  if (!dsn) return std::nullopt;
  if (is_strict(profile)) {
    auto v = dsn->view();
    if (v.size() > kMaxDsnBytes || std::find(v.begin(), v.end(), std::uint8_t{0}) != v.end())
      return std::nullopt;
  }
  return dsn;
}

// The store_before_field_checks fault: steps 4-6 run on whatever `sealed` holds before step 2
// has judged the other members, so a request that is then refused has already stored its DSN.
void store_early(const Json& body, const std::optional<std::string>& receiver_key_b64, Profile profile, DsnSink& sink) {
  auto it = body.find("sealed");
  if (it == body.end() || !it->is_string() || !receiver_key_b64 || receiver_key_b64->empty()) return;
  auto x_sk = receiver_secret(*receiver_key_b64, profile, false);
  if (!x_sk) return;
  const auto x_pk = crypto::x25519_from_secret(x_sk->view()).pub;
  auto box = codec::b64_decode(it->get_ref<const std::string&>(), profile);
  if (!box) return;
  auto plaintext = crypto::seal_open(*box, x_pk, x_sk->view());
  x_sk->wipe();
  if (!plaintext) return;
  if (auto dsn = extract_dsn(*plaintext, profile, false)) {
    (void)sink.store(dsn->view());
    dsn->wipe();
  }
}

}  // namespace

CredentialsReply handle_sealed_credentials(std::string_view body_json,
                                           const std::optional<std::string>& receiver_key_b64,
                                           Profile profile, DsnSink& sink,
                                           const MigrationRunner& migrate,
                                           const testing::CredentialsFaults* configured_faults) {
  const auto& faults = testing::active(configured_faults);
  // Step 1 (signed headers, §6.4) has been done by the caller.
  // 2. Body and fields.
  auto body = json::parse_object(body_json, profile);
  if (!body) return missing_fields();
  if (faults.store_before_field_checks) store_early(*body, receiver_key_b64, profile, sink);
  auto fields = read_fields(*body, profile, faults);
  if (!fields) return missing_fields(fields.error().code == kBadField ? kBadField : kMissingFields);

  // 3. Receiver key configured.
  if (!receiver_key_b64 || receiver_key_b64->empty())
    return fail(500, kMissingKey, "missing SDK ephemeral key");

  // 4. Open the sealed box; every cause is the same answer.
  auto x_sk = receiver_secret(*receiver_key_b64, profile, faults.seed_as_x25519_secret);
  if (!x_sk) return decrypt_failed();
  const auto x_pk = crypto::x25519_from_secret(x_sk->view()).pub;
  auto box = codec::b64_decode(fields->sealed, profile);
  if (!box || fields->sealed.empty()) return decrypt_failed();
  auto plaintext = crypto::seal_open(*box, x_pk, x_sk->view());
  x_sk->wipe();
  if (!plaintext) return decrypt_failed();

  // 5. The DSN.
  auto dsn = extract_dsn(*plaintext, profile, faults.lenient_dsn_json);
  if (!dsn) return invalid_payload();

  // 6. Store, then migrations.
  if (!sink.store(dsn->view())) return fail(500, kStoreFailed, "credentials store failed");
  std::optional<std::string> leaked;  // the echo_dsn_in_reply fault: the secret goes back out
  if (faults.echo_dsn_in_reply) leaked.emplace(reinterpret_cast<const char*>(dsn->data()), dsn->size());
  dsn->wipe();
  if (migrate && !migrate(fields->challenge_name, fields->version))
    return fail(500, kMigrationFailed, "migration failed");

  // 7.
  CredentialsReply ok;
  ok.status = 200;
  ok.body = leaked ? json::dump(Json{{"migrated", true}, {"dsn", *leaked}}) : json::dump(Json{{"migrated", true}});
  ok.challenge_name = fields->challenge_name;
  ok.version = fields->version;
  return ok;
}

Result<Bytes> seal_credentials(Profile profile, ByteView recipient_key, std::string_view plaintext,
                               Rng& rng) {
  if (recipient_key.size() != crypto::kX25519Bytes)
    return make_error(crypto::kBadLength, "recipient key must be 32 bytes");
  crypto::PublicKey x_pk{};
  if (profile == Profile::hardened) {
    std::copy(recipient_key.begin(), recipient_key.end(), x_pk.begin());
  } else {
    auto converted = crypto::ed25519_public_to_x25519(recipient_key);
    if (!converted) return converted.error();
    x_pk = *converted;
  }
  return crypto::seal(x_pk, as_bytes(plaintext), rng);
}

std::string sealed_request_body(ByteView sealed, std::string_view challenge_name, int version) {
  return json::dump(Json{{"sealed", codec::b64_encode(sealed)},
                         {"challenge_name", std::string(challenge_name)},
                         {"version", version}});
}

}  // namespace pnc::credentials
