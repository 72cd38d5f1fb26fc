// Target "challenge", signed requests (§6.4, §12.6): requests to /sdk/weights signed by the
// SUT description's trusted signer, one header, value or signature deviating at a time, judged by
// the status the profile expects.
#include <functional>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/challenge_http_support.hpp"
#include "cases/challenge_session.hpp"
#include "cases/http_result.hpp"
#include "cases/text.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::conf {

namespace {

using json::Json;

// Re-signs `req` over an arbitrary canonical string (N-SIG-10/11/12 variants).
void sign_canonical(const TrustedSigner& who, signed_http::HttpRequest& req, const std::string& canonical) {
  req.set_header(signed_http::kHdrSignature, codec::b64_encode(crypto::ed25519_sign(who.seed, as_bytes(canonical))));
}

std::string canonical_of(const signed_http::HttpRequest& r, std::string_view method, std::string_view path) {
  return signed_http::canonical_string(method, path, r.body, *r.header(signed_http::kHdrTimestamp),
                                       *r.header(signed_http::kHdrNonce), *r.header(signed_http::kHdrSessionToken));
}

// A signed /sdk/weights request, mutated, sent once; judged by status.
Case sig_case(std::string id, std::string title, StatusExpect e,
              std::function<signed_http::HttpRequest(Context&, const TrustedSigner&)> build) {
  return http_case(std::move(id), std::move(title), Mechanism::signed_http, e, {Need::signer, Need::weights},
                   [build](Context& ctx, const StatusExpect& ex) {
                     const auto req = build(ctx, *ctx.sut->signer);
                     return judge_status(send_request(ctx, req), ex.of(ctx.profile), ex.also);
                   });
}

// N-SIG-01 / N-SIG-04.empty: headers missing or empty. [COMPAT] with SDK_DEV_MODE=true the SDK
// skips even its presence check (§6.4, D-14), so the request is processed (200).
Case header_presence_case(std::string id, std::string title,
                          std::function<signed_http::HttpRequest(Context&, const TrustedSigner&)> build) {
  Case c = http_case(std::move(id), std::move(title), Mechanism::signed_http, StatusExpect{401, 401, {}}, {Need::signer, Need::weights},
                     [build](Context& ctx, const StatusExpect& e) {
                       const bool dev_skip = !is_strict(ctx.profile) && ctx.sut->sdk_dev_mode;
                       Outcome o = judge_status(send_request(ctx, build(ctx, *ctx.sut->signer)), dev_skip ? 200 : e.of(ctx.profile), {});
                       if (dev_skip) o.expected = "HTTP 200 (SDK_DEV_MODE=true skips the header check, §6.4 / D-14)";
                       return o;
                     });
  c.expected[Profile::sdk_compat] = "HTTP 401; HTTP 200 when the SUT description says sdk_dev_mode: true (§6.4, D-14)";
  return c;
}

const std::string kBody = "{\"jobs\":[]}";

// S + L (N-SIG-16): the same R, a non-canonical S.
std::string s_plus_l(const std::string& sig_b64) {
  static const std::uint8_t kL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                      0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
  Bytes sig = *codec::b64_decode(sig_b64);
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned v = sig[32 + i] + kL[i] + carry;
    sig[32 + i] = static_cast<std::uint8_t>(v & 0xff);
    carry = v >> 8;
  }
  return codec::b64_encode(sig);
}

}  // namespace

// Signed requests to /sdk/weights (§6.4, §12.6): headers, the timestamp window, replayed nonces,
// the canonical string, the signature's form.
std::vector<Case> signed_request_cases() {
  std::vector<Case> out;
  out.push_back(sig_case("SIG-OK", "valid signed request to /sdk/weights (V4 shape, fresh values)", kAll200,
                         [](Context& ctx, const TrustedSigner& s) { return signed_request(ctx, s, kWeights, kBody); }));
  // Runs without a SUT description: a correctly signed request from a key and session the SUT
  // cannot know. [SEED]/[HARD] verify against provisioned trust (401); [COMPAT] checks only that
  // the five headers are present (§6.4, D-14), so the request is processed.
  out.push_back(http_case("N-SIG-UNTRUSTED", "valid signature by a key and session the SUT was never given", Mechanism::signed_http, kStrict401Compat200,
                          {Need::weights}, [](Context& ctx, const StatusExpect& e) {
                            const TrustedSigner stranger{"session-" + fresh_uuid(ctx), challenge_of(ctx).rng().bytes(32)};
                            return judge_status(send_request(ctx, signed_request(ctx, stranger, kWeights, kBody)), e.of(ctx.profile), {});
                          }));
  for (const char* h : {"X-Session-Token", "X-Public-Key", "X-Timestamp", "X-Nonce", "X-Signature"}) {
    const std::string header = h;
    out.push_back(header_presence_case("N-SIG-01." + header.substr(2), header + " missing", [header](Context& ctx, const TrustedSigner& s) {
      auto r = signed_request(ctx, s, kWeights, kBody);
      r.remove_header(header);
      return r;
    }));
  }
  // Outside / inside the ±120 s window, with a margin for the clock ticking between the runner
  // signing and the SUT checking (the exact boundary is a unit test of the verifier).
  out.push_back(sig_case("N-SIG-02.past", "X-Timestamp = now - 125", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) { return signed_request(ctx, s, kWeights, kBody, -125); }));
  out.push_back(sig_case("N-SIG-02.future", "X-Timestamp = now + 125", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) { return signed_request(ctx, s, kWeights, kBody, 125); }));
  out.push_back(sig_case("N-SIG-03.past", "X-Timestamp = now - 118 (inside the window)", kAll200, [](Context& ctx, const TrustedSigner& s) { return signed_request(ctx, s, kWeights, kBody, -118); }));
  out.push_back(sig_case("N-SIG-03.future", "X-Timestamp = now + 118 (inside the window)", kAll200, [](Context& ctx, const TrustedSigner& s) { return signed_request(ctx, s, kWeights, kBody, 118); }));
  for (const auto& [suffix, fmt] : std::vector<std::pair<std::string, std::function<std::string(std::int64_t)>>>{
           {"plus", [](std::int64_t t) { return "+" + std::to_string(t); }},
           {"decimal", [](std::int64_t t) { return std::to_string(t) + ".0"; }},
           {"negative", [](std::int64_t) { return std::string("-1"); }},
           {"space", [](std::int64_t t) { return " " + std::to_string(t); }},
           {"leading-zero", [](std::int64_t t) { return "0" + std::to_string(t); }},
           {"2^64", [](std::int64_t) { return std::string("18446744073709551616"); }}}) {
    out.push_back(sig_case("N-SIG-04." + suffix, "X-Timestamp " + suffix + " form (signed as sent)", kStrict401Compat200, [fmt = fmt](Context& ctx, const TrustedSigner& s) {
      auto r = signed_request(ctx, s, kWeights, kBody);
      r.set_header(signed_http::kHdrTimestamp, fmt(SystemClock().now()));
      sign_canonical(s, r, canonical_of(r, r.method, r.path()));
      return r;
    }));
  }
  out.push_back(header_presence_case("N-SIG-04.empty", "X-Timestamp \"\"", [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, kBody);
    r.set_header(signed_http::kHdrTimestamp, "");
    return r;
  }));
  out.push_back(http_case("N-SIG-05", "the same signed request sent twice (replayed nonce)", Mechanism::signed_http, kStrict401Compat200, {Need::signer, Need::weights},
                          [](Context& ctx, const StatusExpect& e) {
                            const auto r = signed_request(ctx, *ctx.sut->signer, kWeights, kBody);
                            const HttpResult first = send_request(ctx, r);
                            if (auto err = server_error_outcome(first)) return *err;
                            if (first.status != 200) return Outcome::blocked("the original request was refused: " + first.describe());
                            return judge_status(send_request(ctx, r), e.of(ctx.profile), {});
                          }));
  out.push_back(http_case("N-SIG-06", "same nonce, different body, fresh valid signature", Mechanism::signed_http, kStrict401Compat200, {Need::signer, Need::weights},
                          [](Context& ctx, const StatusExpect& e) {
                            const std::string nonce = fresh_uuid(ctx);
                            const HttpResult first = send_request(ctx, signed_request(ctx, *ctx.sut->signer, kWeights, kBody, 0, nonce));
                            if (auto err = server_error_outcome(first)) return *err;
                            if (first.status != 200) return Outcome::blocked("the original request was refused: " + first.describe());
                            return judge_status(send_request(ctx, signed_request(ctx, *ctx.sut->signer, kWeights, "{\"jobs\":[1]}", 0, nonce)), e.of(ctx.profile), {});
                          }));
  out.push_back(sig_case("N-SIG-08", "body modified after signing", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, "{\"score\":0.5}");
    r.body = to_bytes("{\"score\":0.6}");
    return r;
  }));
  out.push_back(sig_case("N-SIG-09", "body re-serialized with different whitespace", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, "{\"score\":0.5}");
    r.body = to_bytes("{\"score\": 0.5}");
    return r;
  }));
  out.push_back(sig_case("N-SIG-10", "signed with method PUT, sent as POST", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, kBody);
    sign_canonical(s, r, canonical_of(r, "PUT", r.path()));
    return r;
  }));
  for (const auto& [suffix, path] : std::vector<std::pair<std::string, std::string>>{
           {"trailing-slash", "/sdk/weights/"}, {"upper-case", "/sdk/Weights"}, {"pct-2F", "/sdk%2Fweights"}, {"api-prefix", "/api/sdk/weights"}}) {
    out.push_back(sig_case("N-SIG-11." + suffix, "signed path " + path + ", wire path /sdk/weights", kStrict401Compat200, [path = path](Context& ctx, const TrustedSigner& s) {
      auto r = signed_request(ctx, s, kWeights, kBody);
      sign_canonical(s, r, canonical_of(r, "POST", path));
      return r;
    }));
  }
  out.push_back(sig_case("N-SIG-11.query", "query ?a=1 added on the wire (not signed: accepted)", kAll200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, kBody);
    r.target = kWeights + "?a=1";
    return r;
  }));
  for (const auto& [suffix, variant] : std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>{
           {"crlf", [](const std::string& c) {
              std::string o;
              for (char ch : c) o += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
              return o;
            }},
           {"trailing-lf", [](const std::string& c) { return c + "\n"; }},
           {"five-fields", [](const std::string& c) { return c.substr(0, c.rfind('\n')); }},
           {"concatenated", [](const std::string& c) {
              std::string o;
              for (char ch : c)
                if (ch != '\n') o += ch;
              return o;
            }},
           {"upper-hex", [](const std::string& c) {
              std::string o = c;
              const std::size_t a = o.find('\n', o.find('\n') + 1);
              for (std::size_t i = a + 1; i < a + 65 && i < o.size(); ++i) o[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(o[i])));
              return o;
            }}}) {
    out.push_back(sig_case("N-SIG-12." + suffix, "canonical string built with " + suffix, kStrict401Compat200, [variant = variant](Context& ctx, const TrustedSigner& s) {
      auto r = signed_request(ctx, s, kWeights, kBody);
      sign_canonical(s, r, variant(canonical_of(r, "POST", r.path())));
      return r;
    }));
  }
  out.push_back(sig_case("N-SIG-14", "X-Public-Key of another key (valid signature by that key)", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    TrustedSigner other{s.session_token, challenge_of(ctx).rng().bytes(32)};
    auto r = signed_request(ctx, other, kWeights, kBody);
    return r;
  }));
  out.push_back(sig_case("N-SIG-16", "non-canonical signature S + L", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, kBody);
    r.set_header(signed_http::kHdrSignature, s_plus_l(std::string(*r.header(signed_http::kHdrSignature))));
    return r;
  }));
  out.push_back(sig_case("N-SIG-17.hex", "X-Signature in hex", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, kBody);
    r.set_header(signed_http::kHdrSignature, codec::hex_encode(*codec::b64_decode(*r.header(signed_http::kHdrSignature))));
    return r;
  }));
  out.push_back(sig_case("N-SIG-17.b64url", "X-Signature in base64url", kStrict401Compat200, [](Context& ctx, const TrustedSigner& s) {
    auto r = signed_request(ctx, s, kWeights, kBody);
    std::string sig(*r.header(signed_http::kHdrSignature));
    for (char& ch : sig) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
    while (!sig.empty() && sig.back() == '=') sig.pop_back();
    if (sig.find('-') == std::string::npos && sig.find('_') == std::string::npos) sig += "_";  // make the alphabet differ
    r.set_header(signed_http::kHdrSignature, sig);
    return r;
  }));
  out.push_back(http_case("N-SIG-18", "bad signature, then a valid request reusing its nonce", Mechanism::signed_http, kAll200, {Need::signer, Need::weights},
                          [](Context& ctx, const StatusExpect& e) {
                            const std::string nonce = fresh_uuid(ctx);
                            auto bad = signed_request(ctx, *ctx.sut->signer, kWeights, kBody, 0, nonce);
                            bad.set_header(signed_http::kHdrSignature, s_plus_l(std::string(*bad.header(signed_http::kHdrSignature))));
                            if (auto err = server_error_outcome(send_request(ctx, bad))) return *err;
                            return judge_status(send_request(ctx, signed_request(ctx, *ctx.sut->signer, kWeights, kBody, 0, nonce)), e.of(ctx.profile), {});
                          }));
  {
    Case c = sig_case("N-SIG-19", "Content-Type application/x-encrypted+json with an envelope that does not open", StatusExpect{400, 200, {}},
                      [](Context& ctx, const TrustedSigner& s) {
                        Rng& rng = challenge_of(ctx).rng();
                        const std::string body = json::dump(Json{{"enc", "chacha20poly1305"}, {"nonce", codec::b64_encode(rng.bytes(12))},
                                                                 {"ciphertext", codec::b64_encode(rng.bytes(40))}});
                        auto r = signed_request(ctx, s, kWeights, body);
                        r.set_header(signed_http::kHdrContentType, signed_http::kContentTypeEncrypted);
                        return r;
                      });
    c.profiles = {Profile::seed_spec, Profile::hardened};
    out.push_back(std::move(c));
  }
  {
    Case c = http_case("N-SIG-20", "signed body larger than 16 MiB", Mechanism::signed_http, StatusExpect{413, 413, {400}}, {Need::signer, Need::weights},
                       [](Context& ctx, const StatusExpect& e) {
                         const auto req = signed_request(ctx, *ctx.sut->signer, kWeights, "{\"p\":\"" + std::string(16u * 1024u * 1024u, 'a') + "\"}");
                         return judge_status(send_large_request(ctx, req), e.of(ctx.profile), e.also);
                       });
    c.exclusive = true;
    c.profiles = {Profile::seed_spec, Profile::hardened};
    out.push_back(std::move(c));
  }
  for (const auto& [suffix, nonce] : std::vector<std::pair<std::string, std::string>>{
           {"15", std::string(15, 'a')}, {"129", std::string(129, 'b')}, {"non-ascii", "nonce-\xc3\xa9-0123456789abcdef"}}) {
    out.push_back(sig_case("N-SIG-21." + suffix, "X-Nonce " + suffix, kStrict401Compat200,
                           [nonce = nonce](Context& ctx, const TrustedSigner& s) { return signed_request(ctx, s, kWeights, kBody, 0, nonce); }));
  }
  return out;
}

}  // namespace pnc::conf
