// fuzz_canonical (PROTOCOL.md §14, §6.2): a structured generator of the six canonical fields
// (method, request-target, body, timestamp, nonce, session token; each u16-length-prefixed).
// Oracle: differential — pnc::signed_http::canonical_string and HttpRequest::path() against the
// deliberately simple canonicalizer below (string concatenation + OpenSSL SHA-256); they must
// agree byte for byte. Also: exactly five separators are added, and a request signed by the
// reference Signer over these fields verifies with OpenSSL over the simple canonical string.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pnc/clock.hpp"
#include "pnc/signed_http.hpp"

using namespace pnc;

namespace {

// The second canonicalizer: §6.2 read literally.
std::string simple_path(std::string_view target) {
  const std::size_t cut = target.find_first_of("?#");
  return std::string(target.substr(0, cut));
}

std::string simple_canonical(const std::string& method, const std::string& target, const std::string& body,
                             const std::string& ts, const std::string& nonce, const std::string& token) {
  const std::string body_hash = fuzz::lower_hex(fuzz::ossl_sha256(as_bytes(body)));
  return method + "\n" + simple_path(target) + "\n" + body_hash + "\n" + ts + "\n" + nonce + "\n" + token;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const std::string method = in.length_prefixed();
  const std::string target = in.length_prefixed();
  const std::string body = in.length_prefixed();
  const std::string ts = in.length_prefixed();
  const std::string nonce = in.length_prefixed();
  const std::string token = in.length_prefixed();

  signed_http::HttpRequest req;
  req.method = method;
  req.target = target;
  req.body = to_bytes(body);
  FUZZ_ASSERT(req.path() == simple_path(target), "HttpRequest::path differs from the simple path rule");

  const std::string reference =
      signed_http::canonical_string(method, req.path(), req.body, ts, nonce, token);
  const std::string simple = simple_canonical(method, target, body, ts, nonce, token);
  FUZZ_ASSERT(reference == simple, "the two canonicalizers disagree");

  const auto newlines = [](std::string_view s) { return std::count(s.begin(), s.end(), '\n'); };
  const auto field_newlines = newlines(method) + newlines(req.path()) + newlines(ts) + newlines(nonce) +
                              newlines(token);
  FUZZ_ASSERT(newlines(reference) == field_newlines + 5, "canonical string does not add exactly five LFs");
  FUZZ_ASSERT(reference.find('\r') == std::string::npos || (method + target + ts + nonce + token).find('\r') !=
                                                                   std::string::npos,
              "canonical string introduces a CR");

  // The reference signer over the same fields must sign exactly the simple canonical string.
  static const Bytes seed = fuzz::unhex(fuzz::golden::kV4Seed);
  static const Bytes pk = fuzz::unhex(fuzz::golden::kV4Pk);
  static FixedClock clock(fuzz::golden::kV4Now);
  static DeterministicRng rng(std::uint64_t{1});
  signed_http::Signer signer(seed, token, std::nullopt, clock, rng);
  auto signed_req = signer.sign_body(method, target, req.body, "application/json", ts, nonce);
  if (signed_req) {
    const auto sig_b64 = signed_req->header(signed_http::kHdrSignature);
    FUZZ_ASSERT(sig_b64.has_value(), "signed request without X-Signature");
    auto sig = fuzz::sodium_b64(*sig_b64);
    FUZZ_ASSERT(sig && fuzz::ossl_ed25519_verify(pk, as_bytes(simple), *sig),
                "reference signature does not cover the simple canonical string");
  }
  return 0;
}
