// The envelope replay/reflection cache (PROTOCOL.md §5.3 R6, N-ENV-10/11) and the per-key
// envelope limit (§5.2) as a RapidCheck stateful model test: any interleaving of fresh peer
// envelopes, nonce reuse, byte-identical replays, reflections of our own envelopes, tampered and
// malformed frames and our own sends (with an Rng that proposes already-used nonces), in every
// profile. Oracle: a small model of one connection and OpenSSL's ChaCha20-Poly1305.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <set>

#include "pnc/envelope.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;
using Json = nlohmann::json;


struct Parts {
  Bytes nonce;
  Bytes ct;  // ciphertext || tag
};
Parts parts_of(const std::string& frame) {
  const Json j = Json::parse(frame);
  return {*ossl_b64_decode(j.at("nonce").get<std::string>()), *ossl_b64_decode(j.at("ciphertext").get<std::string>())};
}
std::string frame_of(const Bytes& nonce, const Bytes& ct) {
  return Json{{"enc", "chacha20poly1305"}, {"nonce", ossl_b64(nonce)}, {"ciphertext", ossl_b64(ct)}}.dump();
}

// ------------------------------------------------------------------ channel model (§5.3 R6)

struct ChannelModel {
  Bytes send_key, recv_key;  // test inputs: frames are built from them by the commands
  Profile profile = Profile::seed_spec;
  bool directional = false;
  std::uint64_t max_envelopes = 0;
  bool closed = false;
  std::uint64_t count = 0;
  std::set<Bytes> received;             // strict profiles only (compat keeps no cache)
  std::set<Bytes> sent;
  std::vector<std::string> delivered;   // frames the channel accepted
  std::vector<std::string> ours;        // frames the channel sealed
  bool strict() const { return is_strict(profile); }
};

struct ChannelSut {
  std::optional<envelope::Channel> channel;
  ScriptedRng rng{7};
};

using ChannelCommand = rc::state::Command<ChannelModel, ChannelSut>;

// What the model expects for a frame that authenticates under the receive key with `nonce`.
struct Expect {
  envelope::Outcome::Action action;
  std::string code;  // empty when delivered
};
Expect expect_authentic(const ChannelModel& m, const Bytes& nonce) {
  if (m.closed) return {envelope::Outcome::Action::drop, envelope::kClosed};
  if (m.strict() && m.count >= m.max_envelopes) return {envelope::Outcome::Action::close, envelope::kLimitReached};
  if (m.strict() && m.received.count(nonce) != 0) return {envelope::Outcome::Action::close, envelope::kReplay};
  if (m.strict() && m.sent.count(nonce) != 0) return {envelope::Outcome::Action::close, envelope::kReflection};
  return {envelope::Outcome::Action::deliver, ""};
}
Expect expect_failure(const ChannelModel& m, const char* code) {
  if (m.closed) return {envelope::Outcome::Action::drop, envelope::kClosed};
  if (m.strict() && m.count >= m.max_envelopes) return {envelope::Outcome::Action::close, envelope::kLimitReached};
  return {m.strict() ? envelope::Outcome::Action::close : envelope::Outcome::Action::drop, code};
}
void apply_expect(ChannelModel& m, const Expect& e, const Bytes& nonce, const std::string& frame) {
  if (e.action == envelope::Outcome::Action::close) m.closed = true;
  if (e.action == envelope::Outcome::Action::deliver) {
    if (m.strict()) m.received.insert(nonce);
    ++m.count;
    m.delivered.push_back(frame);
  }
}
void check_outcome(const envelope::Outcome& o, const Expect& e) {
  RC_ASSERT(o.action == e.action);
  if (e.code.empty()) {
    RC_ASSERT_FALSE(o.error.has_value());
  } else {
    RC_ASSERT(o.error.has_value());
    RC_ASSERT(o.error->code == e.code);
  }
}

// The peer sends a fresh envelope under our receive key.
struct PeerSendsFresh : ChannelCommand {
  Bytes nonce = *bytes(12);
  std::string text = (*inner_message()).dump();
  explicit PeerSendsFresh(const ChannelModel&) {}
  void apply(ChannelModel& m) const override {
    apply_expect(m, expect_authentic(m, nonce), nonce, ossl_envelope(m.recv_key, nonce, text));
  }
  void run(const ChannelModel& m, ChannelSut& s) const override {
    const Expect e = expect_authentic(m, nonce);
    const auto o = s.channel->receive_text(ossl_envelope(m.recv_key, nonce, text));
    check_outcome(o, e);
    if (o.delivered()) RC_ASSERT(o.opened.plaintext == text);
  }
  void show(std::ostream& os) const override { os << "PeerSendsFresh(nonce=" << to_hex(nonce) << ")"; }
};

// The peer reuses the nonce of an envelope we already accepted, with a new plaintext.
struct PeerReusesNonce : ChannelCommand {
  Bytes nonce;
  std::string text = (*inner_message()).dump();
  explicit PeerReusesNonce(const ChannelModel& m) {
    RC_PRE(!m.delivered.empty());
    nonce = parts_of(*rc::gen::elementOf(m.delivered)).nonce;
  }
  void checkPreconditions(const ChannelModel& m) const override { RC_PRE(!m.delivered.empty()); }
  void apply(ChannelModel& m) const override {
    apply_expect(m, expect_authentic(m, nonce), nonce, ossl_envelope(m.recv_key, nonce, text));
  }
  void run(const ChannelModel& m, ChannelSut& s) const override {
    check_outcome(s.channel->receive_text(ossl_envelope(m.recv_key, nonce, text)), expect_authentic(m, nonce));
  }
  void show(std::ostream& os) const override { os << "PeerReusesNonce(" << to_hex(nonce) << ")"; }
};

// A byte-identical replay of an accepted frame (N-ENV-10).
struct Replay : ChannelCommand {
  std::string frame;
  explicit Replay(const ChannelModel& m) {
    RC_PRE(!m.delivered.empty());
    frame = *rc::gen::elementOf(m.delivered);
  }
  void checkPreconditions(const ChannelModel& m) const override {
    RC_PRE(std::find(m.delivered.begin(), m.delivered.end(), frame) != m.delivered.end());
  }
  void apply(ChannelModel& m) const override { apply_expect(m, expect_authentic(m, parts_of(frame).nonce), parts_of(frame).nonce, frame); }
  void run(const ChannelModel& m, ChannelSut& s) const override {
    check_outcome(s.channel->receive_text(frame), expect_authentic(m, parts_of(frame).nonce));
  }
  void show(std::ostream& os) const override { os << "Replay(" << frame << ")"; }
};

// One of our own envelopes echoed back (N-ENV-11). With directional keys it does not even
// authenticate under the receive key.
struct Reflect : ChannelCommand {
  std::string frame;
  explicit Reflect(const ChannelModel& m) {
    RC_PRE(!m.ours.empty());
    frame = *rc::gen::elementOf(m.ours);
  }
  void checkPreconditions(const ChannelModel& m) const override {
    RC_PRE(std::find(m.ours.begin(), m.ours.end(), frame) != m.ours.end());
  }
  Expect expect(const ChannelModel& m) const {
    return m.directional ? expect_failure(m, envelope::kAuthFailed) : expect_authentic(m, parts_of(frame).nonce);
  }
  void apply(ChannelModel& m) const override { apply_expect(m, expect(m), parts_of(frame).nonce, frame); }
  void run(const ChannelModel& m, ChannelSut& s) const override { check_outcome(s.channel->receive_text(frame), expect(m)); }
  void show(std::ostream& os) const override { os << "Reflect(" << frame << ")"; }
};

// A fresh envelope with one bit flipped anywhere in nonce or ciphertext.
struct Tampered : ChannelCommand {
  Bytes nonce = *bytes(12);
  std::string text = (*inner_message()).dump();
  std::size_t bit = *rc::gen::inRange<std::size_t>(0, 8 * (12 + 16));
  explicit Tampered(const ChannelModel&) {}
  void apply(ChannelModel& m) const override { apply_expect(m, expect_failure(m, envelope::kAuthFailed), nonce, ""); }
  void run(const ChannelModel& m, ChannelSut& s) const override {
    const Parts p = parts_of(ossl_envelope(m.recv_key, nonce, text));
    // The first 96 bits hit the nonce, the rest the last 16 bytes (tag) of the ciphertext.
    const std::string frame = bit < 96 ? frame_of(flip_bit(p.nonce, bit), p.ct)
                                       : frame_of(p.nonce, flip_bit(p.ct, (p.ct.size() - 16) * 8 + (bit - 96)));
    check_outcome(s.channel->receive_text(frame), expect_failure(m, envelope::kAuthFailed));
  }
  void show(std::ostream& os) const override { os << "Tampered(bit=" << bit << ")"; }
};

struct Garbage : ChannelCommand {
  std::string text = *rc::gen::element<std::string>("", "not json", "[1,2]", "\"x\"", "{\"a\":");
  explicit Garbage(const ChannelModel&) {}
  Expect expect(const ChannelModel& m) const {
    if (m.closed) return {envelope::Outcome::Action::drop, envelope::kClosed};
    if (m.strict() && m.count >= m.max_envelopes) return {envelope::Outcome::Action::close, envelope::kLimitReached};
    return expect_failure(m, envelope::kNotJsonObject);
  }
  void apply(ChannelModel& m) const override { apply_expect(m, expect(m), {}, ""); }
  void run(const ChannelModel& m, ChannelSut& s) const override { check_outcome(s.channel->receive_text(text), expect(m)); }
  void show(std::ostream& os) const override { os << "Garbage(" << text << ")"; }
};

// We send; the Rng first proposes a nonce already used on the connection (or a random one).
struct WeSend : ChannelCommand {
  std::string text = (*inner_message()).dump();
  std::optional<Bytes> proposed;
  Bytes fresh;  // never used before on the connection, so the model can predict the redraw
  explicit WeSend(const ChannelModel& m) {
    std::vector<Bytes> used(m.received.begin(), m.received.end());
    used.insert(used.end(), m.sent.begin(), m.sent.end());
    if (!used.empty() && *rc::gen::arbitrary<bool>()) proposed = *rc::gen::elementOf(used);
    fresh = *rc::gen::suchThat(bytes(12), [used](const Bytes& n) {
      return std::find(used.begin(), used.end(), n) == used.end();
    });
  }
  void checkPreconditions(const ChannelModel& m) const override {
    RC_PRE(m.sent.count(fresh) == 0 && m.received.count(fresh) == 0);
  }
  bool refused(const ChannelModel& m) const { return m.closed || (m.strict() && m.count >= m.max_envelopes); }
  // The nonce the channel must pick: strict profiles skip a used one, compat takes it.
  Bytes expected_nonce(const ChannelModel& m) const {
    if (!proposed) return fresh;
    if (m.strict() && (m.sent.count(*proposed) != 0 || m.received.count(*proposed) != 0)) return fresh;
    return *proposed;
  }
  void apply(ChannelModel& m) const override {
    if (refused(m)) return;
    const Bytes n = expected_nonce(m);
    if (m.strict()) m.sent.insert(n);
    ++m.count;
    m.ours.push_back(ossl_envelope(m.send_key, n, text));  // the same envelope, OpenSSL-built
  }
  void run(const ChannelModel& m, ChannelSut& s) const override {
    if (proposed) s.rng.push(*proposed);
    s.rng.push(fresh);
    const auto out = s.channel->seal(text, s.rng);
    if (refused(m)) {
      RC_ASSERT_FALSE(out.ok());
      RC_ASSERT(out.error().code == std::string(m.closed ? envelope::kClosed : envelope::kLimitReached));
      return;
    }
    RC_ASSERT(out.ok());
    const Parts p = parts_of(*out);
    RC_ASSERT(p.nonce == expected_nonce(m));
    const auto plain = ossl_chacha_open(m.send_key, p.nonce, p.ct);
    RC_ASSERT(plain.has_value());
    RC_ASSERT(to_string(*plain) == text);
  }
  void show(std::ostream& os) const override {
    os << "WeSend(proposed=" << (proposed ? to_hex(*proposed) : "none") << ", fresh=" << to_hex(fresh) << ")";
  }
};

RC_GTEST_PROP(EnvelopeModel, ReplayAndReflectionCacheMatchesModel, ()) {
  ChannelModel m;
  m.profile = *rc::gen::elementOf(std::vector<Profile>(std::begin(kProfiles), std::end(kProfiles)));
  m.directional = m.profile == Profile::hardened && *rc::gen::arbitrary<bool>();
  m.max_envelopes = *rc::gen::inRange<std::uint64_t>(1, 40);
  m.send_key = *bytes(32);
  const Bytes send_key = m.send_key;
  m.recv_key = m.directional ? *rc::gen::suchThat(bytes(32), [send_key](const Bytes& k) { return k != send_key; })
                             : m.send_key;
  ChannelSut s;
  envelope::Channel::Options opt;
  opt.max_envelopes = m.max_envelopes;
  if (m.directional)
    s.channel.emplace(m.profile, Secret<32>(m.send_key), Secret<32>(m.recv_key), opt);
  else
    s.channel.emplace(m.profile, Secret<32>(m.send_key), opt);
  RC_TAG(std::string(to_string(m.profile)) + (m.directional ? "/directional" : ""));
  rc::state::check(m, s,
                   rc::state::gen::execOneOfWithArgs<PeerSendsFresh, PeerReusesNonce, Replay, Reflect,
                                                      Tampered, Garbage, WeSend>());
}

}  // namespace
