// The signed-request verifier's session table and nonce cache (PROTOCOL.md §6.4 V2, V4-V7, §10)
// against a model under a moving clock: sessions added and expiring (and purged when the table is
// full), requests with timestamps around the ±120 s skew boundary, replayed nonces, nonce reuse
// across sessions (N-SIG-07), bad signatures that must not burn the nonce ([SEED] N-SIG-18),
// foreign keys (V5), expiry of nonce-cache entries after 600 s and the bounded cache (503).
// Requests are signed by OpenSSL over a canonical string built from the spec; the expected
// verdict of every step comes from the model, never from the reference.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <map>

#include "pnc/signed_http.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;
namespace sh = pnc::signed_http;

constexpr std::int64_t kStart = 1700000000;
const std::vector<std::string> kTokens = {"session-a", "session-b", "session-c", "session-d"};
const std::vector<std::string> kNonces = {"nonce-000000000000", "nonce-111111111111", "nonce-222222222222",
                                          "nonce-333333333333", "nonce-444444444444", "nonce-555555555555"};

struct SessionModel {
  Bytes seed;
  std::int64_t expires_at = 0;
  std::vector<std::pair<std::string, std::int64_t>> nonces;  // (nonce, inserted at)
};

struct VerifierModel {
  std::int64_t now = kStart;
  std::size_t max_sessions = 0;
  std::size_t nonce_capacity = 0;
  std::map<std::string, SessionModel> sessions;
};

struct VerifierSut {
  FixedClock clock{kStart};
  std::optional<sh::SessionTable> table;
  std::optional<sh::Verifier> verifier;
};

using Cmd = rc::state::Command<VerifierModel, VerifierSut>;

struct AdvanceClock : Cmd {
  std::int64_t dt = *rc::gen::weightedOneOf<std::int64_t>(
      {{4, rc::gen::element<std::int64_t>(0, 1, 59, 60, 119, 120, 121, 299, 300, 599, 600, 601)},
       {1, rc::gen::element<std::int64_t>(3599, 3600, 3601)},
       {2, rc::gen::inRange<std::int64_t>(0, 800)}});
  void apply(VerifierModel& m) const override { m.now += dt; }
  void run(const VerifierModel&, VerifierSut& s) const override { s.clock.advance(dt); }
  void show(std::ostream& os) const override { os << "AdvanceClock(" << dt << ")"; }
};

struct AddSession : Cmd {
  std::string token = *rc::gen::elementOf(kTokens);
  Bytes seed = *bytes(32);
  std::int64_t lifetime = *rc::gen::element<std::int64_t>(1, 60, 121, 600, 3600);
  // The reference's verdict per the model: duplicate, then purge-if-full, then full.
  const char* expected(const VerifierModel& m, bool* purge) const {
    *purge = false;
    if (m.sessions.count(token) != 0) return sh::errc::kSessionExists;
    if (m.sessions.size() >= m.max_sessions) {
      *purge = true;
      std::size_t live = 0;
      for (const auto& [t, sess] : m.sessions) live += m.now < sess.expires_at ? 1 : 0;
      if (live >= m.max_sessions) return sh::errc::kSessionTableFull;
    }
    return nullptr;
  }
  void apply(VerifierModel& m) const override {
    bool purge = false;
    const char* err = expected(m, &purge);
    if (purge)
      for (auto it = m.sessions.begin(); it != m.sessions.end();)
        it = m.now >= it->second.expires_at ? m.sessions.erase(it) : std::next(it);
    if (err == nullptr) m.sessions[token] = SessionModel{seed, m.now + lifetime, {}};
  }
  void run(const VerifierModel& m, VerifierSut& s) const override {
    bool purge = false;
    const char* err = expected(m, &purge);
    sh::Session session;
    session.ed_public = ossl_ed25519_public(seed);
    session.expires_at = m.now + lifetime;
    const auto st = s.table->add(token, session, m.now);
    if (err == nullptr) {
      RC_ASSERT(st.ok());
    } else {
      RC_ASSERT_FALSE(st.ok());
      RC_ASSERT(st.error().code == std::string(err));
    }
  }
  void show(std::ostream& os) const override { os << "AddSession(" << token << ", lifetime=" << lifetime << ")"; }
};

// One signed request. The signing key is the session's (if any) unless `foreign_key`; the
// signature is corrupted when `bad_signature`. The timestamp is absolute (now + skew at
// generation), so a shrunk or replayed command is judged against the clock of the moment.
struct Request : Cmd {
  std::string token;
  std::string nonce;
  std::int64_t ts = 0;
  bool foreign_key = false;
  bool bad_signature = false;
  Bytes seed;
  Bytes body = *bytes_between(0, 40);

  explicit Request(const VerifierModel& m) {
    token = *rc::gen::elementOf(kTokens);
    nonce = *rc::gen::elementOf(kNonces);
    ts = m.now + *rc::gen::weightedOneOf<std::int64_t>(
                     {{3, rc::gen::element<std::int64_t>(-121, -120, -1, 0, 1, 120, 121)},
                      {3, rc::gen::inRange<std::int64_t>(-200, 201)}});
    foreign_key = *rc::gen::weightedOneOf<bool>({{1, rc::gen::just(true)}, {8, rc::gen::just(false)}});
    bad_signature = *rc::gen::weightedOneOf<bool>({{1, rc::gen::just(true)}, {8, rc::gen::just(false)}});
    auto it = m.sessions.find(token);
    seed = (it != m.sessions.end() && !foreign_key) ? it->second.seed : *bytes(32);
  }

  sh::HttpRequest build() const {
    sh::HttpRequest req;
    req.method = "POST";
    req.target = "/results/submit";
    req.body = body;
    const std::string canonical = "POST\n/results/submit\n" + to_hex(ossl_sha256(body)) + "\n" + std::to_string(ts) +
                                  "\n" + nonce + "\n" + token;
    Bytes sig = ossl_ed25519_sign(seed, as_bytes(canonical));
    if (bad_signature) sig[0] ^= 0x01;
    req.headers = {{"X-Session-Token", token},   {"X-Public-Key", ossl_b64(ossl_ed25519_public(seed))},
                   {"X-Timestamp", std::to_string(ts)}, {"X-Nonce", nonce},
                   {"X-Signature", ossl_b64(sig)}, {"Content-Type", "application/json"}};
    return req;
  }

  // V2, V4, V5, V6, V7 in order ([SEED]): (status, reason code; empty when accepted).
  std::pair<int, std::string> expected(const VerifierModel& m) const {
    const std::int64_t skew = ts > m.now ? ts - m.now : m.now - ts;
    if (skew > 120) return {401, sh::errc::kTimestampSkew};
    auto it = m.sessions.find(token);
    if (it == m.sessions.end()) return {401, sh::errc::kUnknownSession};
    if (m.now >= it->second.expires_at) return {401, sh::errc::kSessionExpired};
    if (seed != it->second.seed) return {401, sh::errc::kKeyMismatch};
    if (bad_signature) return {401, sh::errc::kBadSignature};
    std::size_t live = 0;
    for (const auto& [n, at] : it->second.nonces) {
      const bool expired = m.now > at && m.now - at > 600;
      if (expired) continue;
      if (n == nonce) return {401, sh::errc::kReplayedNonce};
      ++live;
    }
    if (live >= m.nonce_capacity) return {503, sh::errc::kNonceCacheFull};
    return {200, ""};
  }
  void apply(VerifierModel& m) const override {
    const auto [status, reason] = expected(m);
    auto it = m.sessions.find(token);
    if (it == m.sessions.end()) return;
    // The cache purges expired entries whenever V7 runs (authenticated requests only).
    const bool reached_v7 = status == 200 || reason == sh::errc::kReplayedNonce || reason == sh::errc::kNonceCacheFull;
    if (!reached_v7) return;
    auto& list = it->second.nonces;
    const std::int64_t now = m.now;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [now](const auto& e) { return now > e.second && now - e.second > 600; }),
               list.end());
    if (status == 200) list.emplace_back(nonce, m.now);
  }
  void run(const VerifierModel& m, VerifierSut& s) const override {
    const auto [status, reason] = expected(m);
    const auto r = s.verifier->verify(build());
    RC_ASSERT(r.status == status);
    RC_ASSERT(r.reason == reason);
    if (status == 200) RC_ASSERT(r.body == body);
  }
  void show(std::ostream& os) const override {
    os << "Request(" << token << ", " << nonce << ", ts=" << ts << (foreign_key ? ", foreign key" : "")
       << (bad_signature ? ", bad signature" : "") << ")";
  }
};

RC_GTEST_PROP(SignedHttpModel, SessionTableAndNonceCacheMatchModel, ()) {
  VerifierModel m;
  m.max_sessions = *rc::gen::inRange<std::size_t>(1, 4);
  m.nonce_capacity = *rc::gen::inRange<std::size_t>(1, 7);
  VerifierSut s;
  s.table.emplace(m.max_sessions, m.nonce_capacity);
  s.verifier.emplace(*s.table, s.clock);
  rc::state::check(m, s, rc::state::gen::execOneOfWithArgs<AdvanceClock, AddSession, Request, Request, Request>());
}

}  // namespace
