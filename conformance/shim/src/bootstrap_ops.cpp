#include "bootstrap_ops.hpp"

#include <algorithm>

#include "pnc/bootstrap.hpp"
#include "pnc/clock.hpp"
#include "pnc/rng.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::shim {

namespace {

// Serves the given bytes first (the nonce the validator issues, the challenge's keys), then a
// fixed keystream for anything else it draws.
class ScriptedRng final : public Rng {
 public:
  explicit ScriptedRng(Bytes script) : script_(std::move(script)) {}
  void fill(std::span<std::uint8_t> out) override {
    const std::size_t n = std::min(out.size(), script_.size() - pos_);
    std::copy_n(script_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
    pos_ += n;
    if (n < out.size()) rest_.fill(out.subspan(n));
  }

 private:
  Bytes script_;
  std::size_t pos_ = 0;
  DeterministicRng rest_{std::uint64_t{1}};
};

int http_status(const Json& a) {
  const auto s = integer(a, "status");
  if (s < 100 || s > 599) throw BadRequest("status must be an HTTP status code");
  return static_cast<int>(s);
}

}  // namespace

// §2.4-§2.5, validator in mock mode: issue HEX(nonce_bytes) at issued_at, accept `replays`
// earlier submissions of the same request, then answer this one at `now`: status + reason.
Answer op_attest_request(const Json& a, Profile p) {
  bootstrap::NonceStore nonces;
  signed_http::SessionTable sessions;
  const Bytes nonce = hex(a, "nonce_bytes");
  if (nonce.size() != 32) throw BadRequest("nonce_bytes must be 32 bytes");
  ScriptedRng rng(nonce);
  FixedClock clock(integer(a, "issued_at"));
  bootstrap::AttestVerifierOptions options;
  options.profile = p;
  if (const auto* f = active_faults()) options.faults = &f->bootstrap;
  bootstrap::AttestVerifier verifier(nonces, sessions, bootstrap::mock_quote_check(), clock, rng, options);
  const auto issued = verifier.challenge();
  if (!issued.ok()) return rejected("bootstrap.challenge_failed");
  clock.set(integer(a, "now"));
  std::optional<std::string> content_type;
  if (auto it = a.find("content_type"); it != a.end() && it->is_string()) content_type = it->get<std::string>();
  const std::string body = text(a, "body");
  const auto replays = integer(a, "replays");
  if (replays < 0 || replays > 16) throw BadRequest("replays must be 0..16");
  for (std::int64_t i = 0; i < replays; ++i) (void)verifier.attest(content_type, body);
  const auto reply = verifier.attest(content_type, body);
  return ok({{"status", reply.status}, {"reason", reply.reason}});
}

// §2.6: the challenge (keys from ed_seed, x25519_sk) processes the /attest answer.
Answer op_attest_response(const Json& a, Profile p) {
  Bytes script = hex(a, "ed_seed");
  const Bytes x = hex(a, "x25519_sk");
  if (script.size() != 32 || x.size() != 32) throw BadRequest("ed_seed and x25519_sk must be 32 bytes");
  script.insert(script.end(), x.begin(), x.end());
  ScriptedRng rng(std::move(script));
  const auto keys = bootstrap::generate_challenge_keys(rng);
  auto session = bootstrap::process_attest_response(http_status(a), text(a, "body"), keys, p);
  if (!session) return rejected(session.error());
  return ok({{"aead_key", session->aead_key ? Json(hexs(session->aead_key->view())) : Json(nullptr)}});
}

// §2.1: the nonce text a client takes from the /attestation/challenge answer.
Answer op_nonce_response(const Json& a, Profile p) {
  auto nonce = bootstrap::parse_nonce_response(http_status(a), text(a, "body"), p);
  if (!nonce) return rejected(nonce.error());
  return ok({{"nonce", *nonce}});
}

}  // namespace pnc::shim
