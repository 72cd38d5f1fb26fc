// signed_request_test.json: the §6.4 verifier on the §13 V4 request at now = 1700000000 and every
// mutation of §12.6 (N-SIG-01..21): header presence and syntax, every boundary of the ±120 s
// window and of the session lifetime, replay rules (D-15), canonical-string variants, encrypted
// bodies (V8) and the 16 MiB body limit. sdk-compat runs the verifier named by the group's
// `compatVerifier` (VAL middleware, or the SDK's presence-only check, D-14).
#include <optional>

#include <cctype>

#include "common.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::vectors {
namespace {

using signed_http::HttpRequest;
using signed_http::Signer;

constexpr std::int64_t kNow = 1700000000;
const std::string kToken = "session_00000000-0000-4000-8000-000000000000";
const std::string kToken2 = "session_11111111-1111-4111-8111-111111111111";
const std::string kTokenExpiresNow = "session_22222222-2222-4222-8222-222222222222";
const std::string kTokenExpiresNext = "session_33333333-3333-4333-8333-333333333333";
const std::string kTokenLong = "session_" + std::string(249, 'a');  // 257 chars (limit 256)
const std::string kNonce = "123e4567-e89b-12d3-a456-426614174000";

struct Body {
  std::string text;
  std::optional<std::size_t> fill;  // body = `fill` spaces instead of text (size tests)
  Bytes bytes() const { return fill ? Bytes(*fill, 0x20) : to_bytes(text); }
};

OJson request_json(const HttpRequest& r, const Body& body) {
  OJson headers = OJson::array();
  for (const auto& [n, v] : r.headers) headers.push_back({n, v});
  OJson j = {{"method", r.method}, {"target", r.target}, {"headers", headers}};
  if (body.fill) j["bodyFill"] = {{"byte", "20"}, {"length", *body.fill}};
  else j["body"] = body.text;
  return j;
}

void set(HttpRequest& r, const std::string& name, const std::string& value) {
  for (auto& [n, v] : r.headers)
    if (n == name) { v = value; return; }
  r.headers.emplace_back(name, value);
}
void remove(HttpRequest& r, const std::string& name) {
  std::erase_if(r.headers, [&](const auto& h) { return h.first == name; });
}
std::string sign_text(const Bytes& seed, const std::string& canonical) {
  return codec::b64_encode(crypto::ed25519_sign(seed, as_bytes(canonical)));
}

}  // namespace

VectorFile gen_signed_request(const Golden& g) {
  VectorFile f("signed_request_test.json", "PNC-SIGNED-REQUEST", "pnc_signed_request_schema_v1.json",
               {"Signed HTTP requests (PROTOCOL.md §6) checked by the §6.4 verifier at the group's `now`",
                "(a test's `now` overrides it) against the group's registered `sessions`. `previous` requests",
                "are verified first on the same verifier (their outcome is not asserted). valid = 200; `status`",
                "is the HTTP status seed-spec and hardened return. `msg` is the body handed to the application.",
                "sdk-compat runs `compatVerifier`: val_middleware (VAL @73399fa) or sdk_presence_only (D-14)."});
  f.note("Ktv", "BASIC", "The golden request of PROTOCOL.md §13 V4.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A correctly signed request.", "Valid requests are refused.");
  f.note("MissingHeader", "MISSING_STEP", "A signed header is missing or empty (N-SIG-01).", "Unsigned requests are accepted.");
  f.note("TimeWindow", "EDGE_CASE", "Timestamp at / beyond the ±120 s window, or session at / after expiry (N-SIG-02, 03, 15).",
         "Stale requests are accepted or fresh ones refused.");
  f.note("TimestampSyntax", "MALLEABILITY",
         "A non-canonical X-Timestamp (N-SIG-04). VAL re-formats u64 values before verifying (§6.2 quirk).",
         "Several header values verify under one signature.");
  f.note("Replay", "MISSING_STEP", "A nonce used before in the session (N-SIG-05, 06, 18, D-15).", "Requests are replayed.");
  f.note("ModifiedRequest", "AUTH_BYPASS", "Body, method or path differ from what was signed (N-SIG-08..11).",
         "The signature does not cover the request.");
  f.note("WrongCanonical", "AUTH_BYPASS", "The signature covers a different canonical form (N-SIG-12, D-13).",
         "Implementations disagree on the signed bytes.");
  f.note("WrongKey", "AUTH_BYPASS", "Key or session binding broken (N-SIG-13, N-SIG-14).", "A session is hijacked.");
  f.note("SignatureMalleability", "SIGNATURE_MALLEABILITY", "S + L (N-SIG-16, §13 V4).", "Replay caches are bypassed.");
  f.note("BadEncoding", "EDGE_CASE", "Header values in the wrong encoding or syntax (N-SIG-17, N-SIG-21, §6.1).",
         "Malformed headers are accepted.");
  f.note("EncryptedBody", "MISSING_STEP", "Encrypted bodies (§6.5, V8, N-SIG-19, D-12).",
         "Undecryptable or mislabelled bodies reach the handler.");
  f.note("BodyLimit", "EDGE_CASE", "Body of exactly 16 MiB and one byte more (N-SIG-20, §10).", "Memory exhaustion.");
  f.note("PresenceOnly", "AUTH_BYPASS",
         "The SDK's own verifier only checks that the five headers are present (D-14); sdk-compat accepts forgeries.",
         "Anyone can call the challenge's signed endpoints.");

  const Bytes seed = g.h("V4", "seed"), pk = g.h("V4", "pk"), seed2 = g.h("V9", "issuer_seed");
  const Bytes k = g.h("V1", "key");
  FixedClock clock(kNow);
  DeterministicRng unused(std::uint64_t{1});
  const Signer s1(seed, kToken, std::nullopt, clock, unused);
  const Signer s2(seed2, kToken2, std::nullopt, clock, unused);
  const Signer s_now(seed, kTokenExpiresNow, std::nullopt, clock, unused);
  const Signer s_next(seed, kTokenExpiresNext, std::nullopt, clock, unused);
  const Signer s_long(seed, kTokenLong, std::nullopt, clock, unused);
  const Signer s_wrong_key(seed2, kToken, std::nullopt, clock, unused);
  const Body v4_body{g.s("V4", "body"), std::nullopt};
  int nonce_counter = 0;
  auto fresh_nonce = [&] { return "nonce-" + std::to_string(1000000000000 + ++nonce_counter); };
  auto make = [&](const Signer& s, const Body& body, std::string ts = std::to_string(kNow), std::string nonce = "",
                  std::string target = "/results/submit", std::string ct = "application/json",
                  std::string method = "POST") {
    if (nonce.empty()) nonce = fresh_nonce();
    auto r = s.sign_body(method, target, body.bytes(), ct, std::move(ts), std::move(nonce));
    check(r.ok(), "sign_body");
    return r.ok() ? r.value() : HttpRequest{};
  };
  const HttpRequest v4 = make(s1, v4_body, std::to_string(kNow), kNonce);
  check_eq(std::string(*v4.header("X-Signature")), g.s("V4", "sig_b64"), "V4 X-Signature");
  check_eq(std::string(*v4.header("X-Public-Key")), g.s("V4", "pk_b64"), "V4 X-Public-Key");

  OJson sessions = OJson::array();
  auto session = [&](const std::string& token, const Bytes& key, std::int64_t expires, bool aead) {
    sessions.push_back({{"token", token}, {"publicKey", b64(key)}, {"aeadKey", aead ? OJson(hex(k)) : OJson(nullptr)},
                        {"expiresAt", expires}});
  };
  const Bytes pk2 = [&] { auto kp = crypto::ed25519_from_seed(seed2); return Bytes(kp.pub.begin(), kp.pub.end()); }();
  session(kToken, pk, kNow + 3600, true);
  session(kToken2, pk2, kNow + 3600, false);
  session(kTokenExpiresNow, pk, kNow, false);
  session(kTokenExpiresNext, pk, kNow + 1, false);
  session(kTokenLong, pk, kNow + 3600, false);

  struct Item { Case c; HttpRequest r; Body body; int status; std::string msg; OJson extra; };
  auto emit = [&](const std::vector<Item>& items) {
    for (const auto& it : items) {
      OJson fields = OJson::object();
      for (const auto& [kk, v] : it.extra.items()) fields[kk] = v;
      fields["request"] = request_json(it.r, it.body);
      fields["status"] = it.status;
      if (it.status == 200 && !it.body.fill) fields["msg"] = it.msg.empty() ? it.body.text : it.msg;
      f.add(it.c, fields);
    }
  };
  auto prev = [&](const HttpRequest& r, const Body& b) { return OJson{{"previous", OJson::array({request_json(r, b)})}}; };
  const Expect kValReject = strict_reject();  // strict reject, VAL accepts

  // ---------------- VAL middleware as the sdk-compat verifier ----------------
  f.group("SignedRequestVerify", {{"now", kNow}, {"compatVerifier", "val_middleware"}, {"sessions", sessions}});
  std::vector<Item> items;
  items.push_back({{"V4 request", {"Ktv"}, {"V4"}}, v4, v4_body, 200, "", {}});
  {
    HttpRequest lower = v4;
    for (auto& hv : lower.headers)
      for (auto& c : hv.first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    items.push_back({{"V4 request with lower-case header names", {"Valid"}, {"§6.1"}}, lower, v4_body, 200, "", {}});
  }
  for (const char* h : {"X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature"}) {
    HttpRequest r = v4;
    remove(r, h);
    items.push_back({{std::string(h) + " missing", {"MissingHeader"}, {"N-SIG-01"}, invalid()}, r, v4_body, 401, "", {}});
  }
  {
    HttpRequest r = make(s1, v4_body, std::to_string(kNow), "");
    // An empty nonce signed as such: seed-spec V1 refuses it, VAL accepts it (§6.1).
    const std::string canon = signed_http::canonical_string("POST", "/results/submit", v4_body.bytes(),
                                                             std::to_string(kNow), "", kToken);
    set(r, "X-Nonce", "");
    set(r, "X-Signature", sign_text(seed, canon));
    items.push_back({{"empty X-Nonce, signed as empty", {"MissingHeader"}, {"N-SIG-01", "§6.1"}, kValReject}, r, v4_body, 401, "", {}});
  }
  for (std::int64_t d : {-121, -120, -119, 0, 119, 120, 121}) {
    const bool ok = d >= -120 && d <= 120;
    items.push_back({{"X-Timestamp = now " + std::string(d < 0 ? "- " : "+ ") + std::to_string(d < 0 ? -d : d),
                      {ok ? "Valid" : "TimeWindow"}, {ok ? "N-SIG-03" : "N-SIG-02"}, ok ? valid() : invalid()},
                     make(s1, v4_body, std::to_string(kNow + d)), v4_body, ok ? 200 : 401, "", {}});
  }
  // N-SIG-04: signed over the header text, and (VAL style) over the re-formatted u64.
  for (const std::string ts : {"+1700000000", "01700000000"}) {
    items.push_back({{"X-Timestamp \"" + ts + "\", signed as sent", {"TimestampSyntax"}, {"N-SIG-04"}, invalid()},
                     make(s1, v4_body, ts), v4_body, 401, "", {}});
    HttpRequest r = make(s1, v4_body, "1700000000");
    set(r, "X-Timestamp", ts);
    items.push_back({{"X-Timestamp \"" + ts + "\", signed as 1700000000 (VAL re-formats)", {"TimestampSyntax"},
                      {"N-SIG-04", "§6.2"}, kValReject}, r, v4_body, 401, "", {}});
  }
  for (const std::string ts : {"1700000000.0", "-1", " 1700000000", "1700000000 ", "", "18446744073709551616",
                               "9007199254740993", "0x6553f100", "1.7e9"})
    items.push_back({{"X-Timestamp \"" + ts + "\"", {"TimestampSyntax"}, {"N-SIG-04"}, invalid()},
                     make(s1, v4_body, ts), v4_body, 401, "", {}});
  items.push_back({{"same request twice", {"Replay"}, {"N-SIG-05"}, invalid()}, v4, v4_body, 401, "", prev(v4, v4_body)});
  {
    const Body other{R"({"score":0.7})", std::nullopt};
    items.push_back({{"same nonce, different body, fresh signature", {"Replay"}, {"N-SIG-06"}, invalid()},
                     make(s1, other, std::to_string(kNow), kNonce), other, 401, "", prev(v4, v4_body)});
    items.push_back({{"same nonce in a different session", {"Valid"}, {"N-SIG-07"}},
                     make(s2, v4_body, std::to_string(kNow), kNonce), v4_body, 200, "", prev(v4, v4_body)});
    HttpRequest bad = v4;
    set(bad, "X-Signature", g.s("V4", "sig_s_plus_l_b64"));
    items.push_back({{"bad signature, then a valid request with the same nonce", {"Replay"}, {"N-SIG-18", "D-15"},
                      Expect{"valid", "invalid", "valid"}},
                     v4, v4_body, 200, "", prev(bad, v4_body)});
  }
  for (const std::string body : {R"({"score":0.6})", R"({"score": 0.5})", R"({"score":0.5} )", ""}) {
    HttpRequest r = v4;
    items.push_back({{"body changed to \"" + body + "\" after signing", {"ModifiedRequest"}, {"N-SIG-08", "N-SIG-09"},
                      invalid()}, r, Body{body, std::nullopt}, 401, "", {}});
  }
  {
    HttpRequest r = v4;
    r.method = "PUT";
    items.push_back({{"method PUT on the wire, POST signed", {"ModifiedRequest"}, {"N-SIG-10"}, invalid()}, r, v4_body, 401, "", {}});
    HttpRequest r2 = make(s1, v4_body, std::to_string(kNow), "", "/results/submit", "application/json", "PUT");
    r2.method = "POST";
    items.push_back({{"PUT signed, POST on the wire", {"ModifiedRequest"}, {"N-SIG-10"}, invalid()}, r2, v4_body, 401, "", {}});
  }
  for (const std::string target : {"/results/submit/", "/Results/submit", "/results%2Fsubmit", "/api/results/submit",
                                   "/results//submit", "/results/./submit"}) {
    HttpRequest r = make(s1, v4_body);
    r.target = target;
    items.push_back({{"wire path \"" + target + "\", /results/submit signed", {"ModifiedRequest"}, {"N-SIG-11", "D-17"},
                      invalid()}, r, v4_body, 401, "", {}});
  }
  {
    HttpRequest r = make(s1, v4_body);
    r.target = "/results/submit?a=1";
    items.push_back({{"query string added on the wire (not signed)", {"Valid"}, {"N-SIG-11", "§6.2"}}, r, v4_body, 200, "", {}});
    HttpRequest r2 = make(s1, v4_body, std::to_string(kNow), "", "/results/submit?a=1");
    r2.target = "/results/submit?a=2";
    items.push_back({{"query string changed on the wire", {"Valid"}, {"N-SIG-11", "§6.2"}}, r2, v4_body, 200, "", {}});
  }
  {
    const auto h = crypto::sha256(v4_body.bytes());
    const std::string hash = hex(Bytes(h.begin(), h.end()));
    std::string upper = hash;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string ts = std::to_string(kNow);
    const std::vector<std::pair<std::string, std::string>> variants = {
        {"CRLF separators", "POST\r\n/results/submit\r\n" + hash + "\r\n" + ts + "\r\n" + kNonce + "\r\n" + kToken},
        {"trailing LF", g.s("V4", "canonical") + "\n"},
        {"five fields (SEEDDOC literal)", "POST\n/results/submit\n" + hash + "\n" + ts + "\n" + kNonce},
        {"plain concatenation", "POST/results/submit" + hash + ts + kNonce + kToken},
        {"upper-case hex body hash", "POST\n/results/submit\n" + upper + "\n" + ts + "\n" + kNonce + "\n" + kToken},
        {"base64 body hash", "POST\n/results/submit\n" + codec::b64_encode(h) + "\n" + ts + "\n" + kNonce + "\n" + kToken},
        {"fields in another order", "/results/submit\nPOST\n" + hash + "\n" + ts + "\n" + kNonce + "\n" + kToken}};
    for (const auto& [name, canon] : variants) {
      HttpRequest r = v4;
      set(r, "X-Signature", sign_text(seed, canon));
      items.push_back({{"canonical string with " + name, {"WrongCanonical"}, {"N-SIG-12", "D-13"}, invalid()}, r, v4_body, 401, "", {}});
    }
  }
  {
    HttpRequest r = make(s1, v4_body);
    HttpRequest other = make(s2, v4_body);
    set(r, "X-Session-Token", kToken2);  // session 2 exists, its key is not this one
    const std::string canon = signed_http::canonical_string("POST", "/results/submit", v4_body.bytes(),
                                                             std::to_string(kNow), std::string(*r.header("X-Nonce")), kToken2);
    set(r, "X-Signature", sign_text(seed, canon));
    items.push_back({{"token of another session, signed by this session's key", {"WrongKey"}, {"N-SIG-13"}, invalid()},
                     r, v4_body, 401, "", {}});
    items.push_back({{"X-Public-Key of another key with its valid signature", {"WrongKey"}, {"N-SIG-14"}, invalid()},
                     make(s_wrong_key, v4_body), v4_body, 401, "", {}});
    HttpRequest unknown = make(s1, v4_body);
    set(unknown, "X-Session-Token", "session_unknown");
    items.push_back({{"unknown session token", {"WrongKey"}, {"§6.4 V4"}, invalid()}, unknown, v4_body, 401, "", {}});
  }
  items.push_back({{"session expires at now (now >= expires_at)", {"TimeWindow"}, {"N-SIG-15"}, invalid()},
                   make(s_now, v4_body), v4_body, 401, "", {}});
  items.push_back({{"session expires at now + 1", {"Valid"}, {"N-SIG-15"}}, make(s_next, v4_body), v4_body, 200, "", {}});
  items.push_back({{"session queried one second before expiry", {"Valid"}, {"N-SIG-15"}},
                   make(s1, v4_body, std::to_string(kNow + 3599)), v4_body, 200, "", {{"now", kNow + 3599}}});
  items.push_back({{"session queried at expiry", {"TimeWindow"}, {"N-SIG-15"}, invalid()},
                   make(s1, v4_body, std::to_string(kNow + 3600)), v4_body, 401, "", {{"now", kNow + 3600}}});
  {
    HttpRequest r = v4;
    set(r, "X-Signature", g.s("V4", "sig_s_plus_l_b64"));
    items.push_back({{"S + L signature (golden)", {"SignatureMalleability"}, {"N-SIG-16", "N-ED-01"}, invalid()}, r, v4_body, 401, "", {}});
    const Bytes sig = g.b("V4", "sig_b64");
    HttpRequest hx = v4;
    set(hx, "X-Signature", hex(sig));
    items.push_back({{"X-Signature in hex", {"BadEncoding"}, {"N-SIG-17"}, invalid()}, hx, v4_body, 401, "", {}});
    HttpRequest url = v4;
    set(url, "X-Signature", codec::b64url_encode(sig));
    items.push_back({{"X-Signature in base64url", {"BadEncoding"}, {"N-SIG-17"}, invalid()}, url, v4_body, 401, "", {}});
    HttpRequest sp = v4;
    set(sp, "X-Signature", " " + g.s("V4", "sig_b64"));
    items.push_back({{"X-Signature with a leading space", {"BadEncoding"}, {"N-SIG-17"}, invalid()}, sp, v4_body, 401, "", {}});
    HttpRequest pkn = v4;
    set(pkn, "X-Public-Key", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURp=");
    items.push_back({{"X-Public-Key with non-canonical trailing bits", {"BadEncoding"}, {"N-ENC-03"}, invalid()}, pkn, v4_body, 401, "", {}});
    HttpRequest dup = v4;
    dup.headers.emplace_back("X-Nonce", "another-nonce-value-0001");
    items.push_back({{"X-Nonce twice (first value signed)", {"BadEncoding"}, {"§6.4 V1"}, kValReject}, dup, v4_body, 401, "", {}});
  }
  for (const auto& [name, nonce, strict_ok] : std::vector<std::tuple<std::string, std::string, bool>>{
           {"15 chars", std::string(15, 'n'), false}, {"16 chars", std::string(16, 'n'), true},
           {"128 chars", std::string(128, 'n'), true}, {"129 chars", std::string(129, 'n'), false},
           {"containing '.'", "nonce.0123456789abc", false}, {"containing a space", "nonce 0123456789abc", false},
           {"containing '+'", "nonce+0123456789abc", false}})
    items.push_back({{"X-Nonce " + name, {strict_ok ? "Valid" : "BadEncoding"}, {"N-SIG-21", "§6.1"},
                      strict_ok ? valid() : kValReject}, make(s1, v4_body, std::to_string(kNow), nonce), v4_body,
                     strict_ok ? 200 : 401, "", {}});
  items.push_back({{"X-Nonce containing LF", {"BadEncoding"}, {"N-SIG-21"}, invalid()},
                   make(s1, v4_body, std::to_string(kNow), "nonce\n0123456789abc"), v4_body, 401, "", {}});
  items.push_back({{"X-Nonce containing non-ASCII", {"BadEncoding"}, {"N-SIG-21"}, invalid()},
                   make(s1, v4_body, std::to_string(kNow), "nonce-\xc3\xa9-0123456789"), v4_body, 401, "", {}});
  items.push_back({{"session token of 257 chars", {"BadEncoding"}, {"D-21"}, kValReject}, make(s_long, v4_body), v4_body, 401, "", {}});
  // V8: encrypted bodies under the V1/V5 key.
  {
    const std::string pt = g.s("V5", "plaintext");
    const Bytes n12 = g.h("V5", "nonce");
    auto env = [&](signed_http::BodyCipher c) {
      auto r = signed_http::encrypt_body_with_nonce(k, n12, to_bytes(pt), c);
      return r.ok() ? r.value() : std::string{};
    };
    const Body ietf{env(signed_http::BodyCipher::ietf), std::nullopt};
    const Body quirk{env(signed_http::BodyCipher::sdk_xchacha), std::nullopt};
    items.push_back({{"[SEED] IETF-encrypted body (V5)", {"EncryptedBody"}, {"V5", "§6.5"}},
                     make(s1, ietf, std::to_string(kNow), "", "/results/submit", "application/x-encrypted+json"), ietf,
                     200, pt, {}});
    items.push_back({{"SDK XChaCha quirk body (V5 sdk_xchacha_ct)", {"EncryptedBody"}, {"N-SIG-19", "D-12"}, invalid()},
                     make(s1, quirk, std::to_string(kNow), "", "/results/submit", "application/x-encrypted+json"), quirk,
                     400, "", {}});
    std::string xlabel = ietf.text;
    xlabel.replace(xlabel.find("chacha20poly1305"), 16, "xchacha20poly1305");
    const Body xl{xlabel, std::nullopt};
    items.push_back({{"IETF body labelled xchacha20poly1305 (VAL accepts both labels)", {"EncryptedBody"}, {"§6.5", "D-20"},
                      kValReject}, make(s1, xl, std::to_string(kNow), "", "/results/submit", "application/x-encrypted+json"),
                     xl, 400, pt, {}});
    const Body garbage{R"({"enc":"chacha20poly1305","nonce":"AAAAAAAAAAAAAAAA","ciphertext":"AAAAAAAAAAAAAAAAAAAAAA=="})", std::nullopt};
    items.push_back({{"envelope that fails to decrypt", {"EncryptedBody"}, {"N-SIG-19"}, invalid()},
                     make(s1, garbage, std::to_string(kNow), "", "/results/submit", "application/x-encrypted+json"),
                     garbage, 400, "", {}});
    // VAL decrypts any envelope-shaped body when the session holds a key, whatever the Content-Type,
    // and passes bodies through when it holds none (§6.5).
    items.push_back({{"envelope sent as application/json (seed-spec: not decrypted)", {"Valid"}, {"§6.5"}},
                     make(s1, ietf), ietf, 200, ietf.text, {{"msgProfiles", {{"sdk-compat", pt}}}}});
    items.push_back({{"encrypted content type but the session has no key", {"EncryptedBody"}, {"§6.4 V8", "§6.5"},
                      kValReject}, make(s2, ietf, std::to_string(kNow), "", "/results/submit",
                      "application/x-encrypted+json"), ietf, 400, "", {{"msgProfiles", {{"sdk-compat", ietf.text}}}}});
  }
  items.push_back({{"body of exactly 16 MiB", {"BodyLimit"}, {"N-SIG-20", "§10"}},
                   make(s1, Body{"", std::size_t{16777216}}), Body{"", std::size_t{16777216}}, 200, "", {}});
  items.push_back({{"body of 16 MiB + 1", {"BodyLimit"}, {"N-SIG-20", "§10"}, invalid()},
                   make(s1, Body{"", std::size_t{16777217}}), Body{"", std::size_t{16777217}}, 413, "", {}});
  for (int i = 0; i < 12; ++i) {
    const Body b{R"({"score":0.)" + std::to_string(i) + R"(,"metrics":{"n":)" + std::to_string(i * i) + "}}", std::nullopt};
    items.push_back({{"valid request " + std::to_string(i + 1), {"Valid"}, {"§6.3"}}, make(s1, b), b, 200, "", {}});
  }
  emit(items);

  // ---------------- the SDK's own presence-only verifier as the sdk-compat verifier ----------------
  f.group("SignedRequestVerify", {{"now", kNow}, {"compatVerifier", "sdk_presence_only"}, {"sessions", sessions}});
  items.clear();
  items.push_back({{"V4 request", {"Ktv"}, {"V4"}}, v4, v4_body, 200, "", {}});
  for (const char* h : {"X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature"}) {
    HttpRequest r = v4;
    remove(r, h);
    items.push_back({{std::string(h) + " missing", {"MissingHeader"}, {"N-SIG-01", "D-14"}, invalid()}, r, v4_body, 401, "", {}});
    HttpRequest e = v4;
    set(e, h, "");
    items.push_back({{std::string(h) + " empty", {"MissingHeader"}, {"N-SIG-01", "D-14"}, invalid()}, e, v4_body, 401, "", {}});
  }
  {
    HttpRequest forged = v4;
    set(forged, "X-Signature", "forged");
    items.push_back({{"garbage signature", {"PresenceOnly"}, {"D-14"}, kValReject}, forged, v4_body, 401, "", {}});
    HttpRequest stale = make(s1, v4_body, "1");
    items.push_back({{"timestamp 1 (1970)", {"PresenceOnly"}, {"D-14"}, kValReject}, stale, v4_body, 401, "", {}});
    items.push_back({{"replayed request", {"PresenceOnly"}, {"N-SIG-05", "D-14"}, kValReject}, v4, v4_body, 401, "", prev(v4, v4_body)});
    items.push_back({{"body modified after signing", {"PresenceOnly"}, {"D-14"}, kValReject}, v4,
                     Body{R"({"score":1.0})", std::nullopt}, 401, "", {}});
    HttpRequest unknown = v4;
    set(unknown, "X-Session-Token", "anything");
    items.push_back({{"unknown session", {"PresenceOnly"}, {"D-14"}, kValReject}, unknown, v4_body, 401, "", {}});
  }
  emit(items);
  return f;
}

}  // namespace pnc::vectors
