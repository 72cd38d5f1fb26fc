// P-SIG (PROTOCOL.md §14, §6.2-6.4): sign/verify round trip for random method, path, body,
// timestamp, nonce and session token; any single-byte change of any canonical component, any
// signed header or the body makes verification fail; the canonical string never contains '\r'.
// Oracles: an independent canonical-string model written from §6.2 and OpenSSL's Ed25519 (the
// test signs requests itself, so the reference signer and verifier are each checked against
// OpenSSL, never against each other).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/signed_http.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;
namespace sh = pnc::signed_http;

constexpr std::int64_t kNow = 1700000000;

// §6.2 from the spec text: six fields joined by single LFs, HEX(SHA256(body)) in lowercase.
std::string model_canonical(const std::string& method, const std::string& path, const Bytes& body,
                            const std::string& ts, const std::string& nonce, const std::string& token) {
  return method + "\n" + path + "\n" + to_hex(ossl_sha256(body)) + "\n" + ts + "\n" + nonce + "\n" + token;
}

struct Fields {
  std::string method, path, ts, nonce, token;
  Bytes body;
  Bytes seed;
};

rc::Gen<Fields> fields() {
  return rc::gen::apply(
      [](std::string method, std::string path, std::int64_t skew, std::string nonce, std::string token, Bytes body, Bytes seed) {
        return Fields{std::move(method), "/" + path, std::to_string(kNow + skew), std::move(nonce), std::move(token),
                      std::move(body), std::move(seed)};
      },
      rc::gen::element<std::string>("POST", "GET", "PUT", "DELETE", "PATCH"),
      string_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~", 0, 40),
      rc::gen::inRange<std::int64_t>(-120, 121), string_of(kNonceAlphabet, 16, 128),
      string_of("abcdefghijklmnopqrstuvwxyz0123456789_-.:", 1, 80), bytes_between(0, 300), bytes(32));
}

// A request signed by OpenSSL over the model canonical string.
sh::HttpRequest ossl_signed(const Fields& f) {
  sh::HttpRequest req;
  req.method = f.method;
  req.target = f.path;
  req.body = f.body;
  const std::string canonical = model_canonical(f.method, f.path, f.body, f.ts, f.nonce, f.token);
  req.headers = {{"X-Session-Token", f.token},
                 {"X-Public-Key", ossl_b64(ossl_ed25519_public(f.seed))},
                 {"X-Timestamp", f.ts},
                 {"X-Nonce", f.nonce},
                 {"X-Signature", ossl_b64(ossl_ed25519_sign(f.seed, as_bytes(canonical)))},
                 {"Content-Type", "application/json"}};
  return req;
}

sh::VerifyResult verify_fresh(const Fields& f, const sh::HttpRequest& req, Profile p) {
  sh::SessionTable table;
  FixedClock clock(kNow);
  sh::Session session;
  session.ed_public = ossl_ed25519_public(f.seed);
  session.expires_at = kNow + 3600;
  if (!table.add(f.token, session, kNow).ok()) throw std::runtime_error("session add");
  sh::VerifierOptions opt;
  opt.profile = p;
  return sh::Verifier(table, clock, opt).verify(req);
}

RC_GTEST_PROP(PSig, CanonicalStringMatchesModelAndHasNoCR, ()) {
  const Fields f = *fields();
  const std::string c = sh::canonical_string(f.method, f.path, f.body, f.ts, f.nonce, f.token);
  RC_ASSERT(c == model_canonical(f.method, f.path, f.body, f.ts, f.nonce, f.token));
  RC_ASSERT(c.find('\r') == std::string::npos);
  RC_ASSERT(std::count(c.begin(), c.end(), '\n') == 5);
  RC_ASSERT(c.back() != '\n');
}

RC_GTEST_PROP(PSig, SignerOutputVerifiesWithOpenSsl, ()) {
  const Fields f = *fields();
  FixedClock clock(kNow);
  DeterministicRng rng(1);
  sh::Signer signer(f.seed, f.token, std::nullopt, clock, rng);
  const auto req = signer.sign_body(f.method, f.path, f.body, "application/json", f.ts, f.nonce);
  RC_ASSERT(req.ok());
  const auto sig = ossl_b64_decode(std::string(*req->header("X-Signature")));
  RC_ASSERT(sig.has_value());
  const std::string canonical = model_canonical(f.method, f.path, f.body, f.ts, f.nonce, f.token);
  RC_ASSERT(ossl_ed25519_verify(ossl_ed25519_public(f.seed), as_bytes(canonical), *sig));
  RC_ASSERT(std::string(*req->header("X-Public-Key")) == ossl_b64(ossl_ed25519_public(f.seed)));
}

RC_GTEST_PROP(PSig, VerifierAcceptsOpenSslSignedRequests, ()) {
  const Fields f = *fields();
  const sh::HttpRequest req = ossl_signed(f);
  for (Profile p : {Profile::seed_spec, Profile::hardened, Profile::sdk_compat}) {
    const auto r = verify_fresh(f, req, p);
    RC_ASSERT(r.status == 200);
    RC_ASSERT(r.body == f.body);
  }
}

// Every single-byte change of a canonical component, a signed header or the body must fail.
RC_GTEST_PROP(PSig, AnySingleByteChangeFails, ()) {
  const Fields f = *fields();
  sh::HttpRequest req = ossl_signed(f);
  const int what = *rc::gen::inRange(0, 8);
  auto mutate = [](std::string s) {
    const std::size_t i = *rc::gen::inRange<std::size_t>(0, s.size());
    const char c = *rc::gen::suchThat(rc::gen::arbitrary<char>(), [old = s[i]](char v) { return v != old; });
    s[i] = c;
    return s;
  };
  auto mutate_header = [&](const char* name) { req.set_header(name, mutate(std::string(*req.header(name)))); };
  switch (what) {
    case 0: req.method = mutate(req.method); break;
    case 1: req.target = mutate(req.target); break;
    case 2:
      if (req.body.empty()) req.body.push_back(*rc::gen::arbitrary<std::uint8_t>());
      else req.body = flip_bit(req.body, *rc::gen::inRange<std::size_t>(0, 8 * req.body.size()));
      break;
    case 3: mutate_header("X-Timestamp"); break;
    case 4: mutate_header("X-Nonce"); break;
    case 5: mutate_header("X-Session-Token"); break;
    case 6: mutate_header("X-Public-Key"); break;
    default: mutate_header("X-Signature"); break;
  }
  RC_TAG(what);
  for (Profile p : {Profile::seed_spec, Profile::hardened}) {
    const auto r = verify_fresh(f, req, p);
    RC_ASSERT(r.status != 200);
  }
}

RC_GTEST_PROP(PSig, EncryptedBodyRoundTrip, ()) {
  const Fields f = *fields();
  const Bytes key = *bytes(32);
  const std::string payload = (*json_object()).dump();
  FixedClock clock(kNow);
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  sh::Signer signer(f.seed, f.token, Secret<32>(key), clock, rng);
  const auto req = signer.sign(f.method, f.path, payload);
  RC_ASSERT(req.ok());
  sh::SessionTable table;
  sh::Session session;
  session.ed_public = ossl_ed25519_public(f.seed);
  session.aead_key = Secret<32>(key);
  session.expires_at = kNow + 3600;
  RC_ASSERT(table.add(f.token, session, kNow).ok());
  const auto r = sh::Verifier(table, clock).verify(*req);
  RC_ASSERT(r.status == 200);
  RC_ASSERT(r.decrypted);
  RC_ASSERT(to_string(r.body) == payload);
  // The wire body is an envelope OpenSSL opens with the session key (§6.5 [SEED]).
  const auto env = nlohmann::json::parse(to_string(req->body));
  const auto opened = ossl_chacha_open(key, *ossl_b64_decode(env.at("nonce").get<std::string>()),
                                       *ossl_b64_decode(env.at("ciphertext").get<std::string>()));
  RC_ASSERT(opened.has_value());
  RC_ASSERT(to_string(*opened) == payload);
}

}  // namespace
