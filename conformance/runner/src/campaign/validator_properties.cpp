#include "campaign/validator_properties.hpp"

#include <rapidcheck.h>

#include <algorithm>
#include <cctype>

#include "campaign/envelope_edits.hpp"
#include "campaign/mutation.hpp"
#include "campaign/property_gen.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/spec_tables.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf::campaign {

using json::Json;

ChallengeEnd ValidatorProbe::link(bool is_sut) {
  auto end = pair_.accept(is_sut, mix(seed_, cases_));
  if (end) return std::move(*end);
  if (is_sut) block("precondition failed: the SUT " + end.error().message);
  fail("generator defect: the reference validator " + end.error().message);
}

void ValidatorProbe::open_links() {
  // A blocked SUT is not tried again in this property: every case would wait out its timeouts.
  if (!blocked().empty()) block(blocked());
  ++cases_;
  pair_.abort();  // the reference's client run ends at once; a managed SUT is restarted
  pair_.reference = link(false);
  pair_.sut = link(true);
}

void ValidatorProbe::judge(const std::string& action, const std::string& frame, const std::string& sut, const std::string& reference) {
  record({action, Json{{"frame", frame}}, sut, reference});
  if (sut != reference) fail("after " + action + ": SUT " + sut + ", reference " + reference);
}

void ValidatorProbe::exchange(const std::string& action, const Build& build, bool binary) {
  if (pair_.reference.done) return;  // the reference closed earlier: nothing left to compare
  // A client whose script is shorter than the reference's: the rest of the case says nothing.
  if (pair_.sut.done) RC_DISCARD("the SUT ended its script before " + action);
  const auto frame_r = build(pair_.reference);
  const auto frame_s = build(pair_.sut);
  if (!frame_r) {
    record({action, Json{{"frame", nullptr}}, "not sent", "not sent"});
    return;
  }
  pair_.reference.send(frame_r, binary);
  pair_.sut.send(frame_s, binary);
  auto [s, r] = frame_s ? pair_.react_both() : std::pair<std::string, std::string>{"not-built", pair_.reference.react(pair_.timeout)};
  if (s == "silent" && r == "silent") {
    // Both dropped the frame and still wait for their answer: it follows, and carries them on.
    pair_.reference.send(pair_.reference.answer());
    pair_.sut.send(pair_.sut.answer());
    auto [s2, r2] = pair_.react_both();
    s += ", then to the proper answer " + s2;
    r += ", then to the proper answer " + r2;
  }
  judge(action, binary ? "(binary) " + codec::hex_encode(to_bytes(*frame_r)) : *frame_r, s, r);
}

void ValidatorProbe::answer(const std::string& action, const Build& build) { exchange(action, build, false); }

void ValidatorProbe::answer_binary(const std::string& action, const std::string& bytes) {
  exchange(action, [bytes](ChallengeEnd&) { return std::optional<std::string>(bytes); }, true);
}

void ValidatorProbe::judged_response(const std::string& what, const EditResponse& edit, const EditText& edit_text) {
  open_links();
  std::string frame;
  for (ChallengeEnd* e : {&pair_.reference, &pair_.sut}) {
    Json response = e->script->response();
    edit(*e, response);
    const std::string text = edit_text ? edit_text(json::dump(response)) : json::dump(response);
    if (e == &pair_.reference) frame = text;
    e->send(text);
  }
  const auto [s, r] = pair_.react_both();
  judge("attestation_response" + what, frame, s, r);
  if (r == "msg:attestation_ok") {
    const auto [s2, r2] = pair_.react_both();
    judge("wait for the validator's first request", "(none: the client speaks first)", s2, r2);
  }
}

void ValidatorProbe::open_session() {
  open_links();
  for (ChallengeEnd* e : {&pair_.reference, &pair_.sut}) e->send(json::dump(e->script->response()));
  const auto [s, r] = pair_.react_both();
  if (r != "msg:attestation_ok") fail("generator defect: the reference validator refused a valid attestation_response: " + r);
  if (s != "msg:attestation_ok")
    block("precondition failed: the SUT did not accept a valid attestation_response (" + s + ")");
  const auto [s2, r2] = pair_.react_both();
  if (r2 != "carried-on") fail("generator defect: the reference validator sent no request after the handshake: " + r2);
  if (s2 == "silent" || (s2 == "carried-on" && pair_.sut.done))
    block("precondition failed: the SUT sent no request after the handshake (" + s2 + ")");
  judge("wait for the validator's first request", "(none: the client speaks first)", s2, r2);
}

namespace {

// ---------------------------------------------------------------- attestation_response edits

using Edit = ValidatorProbe::EditResponse;

// The response's quote with `change` applied to its bytes; `reseal` rewrites the mock signature
// afterwards (the change is then one the signature covers).
Edit quote_bytes(std::function<void(Bytes&)> change, bool reseal) {
  return [change, reseal](ChallengeEnd&, Json& r) {
    auto q = codec::b64_decode(r["quote"].get<std::string>());
    if (!q) return;
    change(*q);
    if (reseal) tdx::reseal_mock_signature(*q);
    r["quote"] = codec::b64_encode(*q);
  };
}

// Quote and event log measured with other mock parameters (both stay consistent).
Edit measured(std::function<void(tdx::MockParams&)> change) {
  return [change](ChallengeEnd& e, Json& r) {
    tdx::MockParams params = e.script->mock_params();
    change(params);
    r = e.script->response(params);
  };
}

Edit pub_edit(int kind) {
  return [kind](ChallengeEnd&, Json& r) {
    auto pub = codec::b64_decode(r["chal_x25519_pub"].get<std::string>());
    if (!pub || pub->size() != 32) return;
    if (kind == 0) (*pub)[31] |= 0x80;
    if (kind == 1) std::fill(pub->begin(), pub->end(), 0);
    if (kind == 2) *pub = *codec::hex_decode(pnc::spec::kLowOrderX25519Hex[1]);
    if (kind == 3) pub->pop_back();
    r["chal_x25519_pub"] = codec::b64_encode(*pub);
    if (kind == 4) r["chal_x25519_pub"] = "not base64!";
    if (kind == 5) r.erase("chal_x25519_pub");
  };
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// One of the fuzz campaign's field mutations (docs/campaigns.md) of one of `members`.
Mutation draw_mutation(const std::vector<std::string>& members, std::string& member) {
  member = gen::uniform_element(members);
  Mutation m;
  m.op = gen::uniform_element(kFieldOps);
  m.field = member;
  m.arg = gen::uniform<std::int64_t>(0, 1 << 20);
  return m;
}

// §3.5-§3.8, §9: one change to attestation_response (or none).
void response(ValidatorProbe& p) {
  std::string what;
  Edit edit = [](ChallengeEnd&, Json&) {};
  if (gen::uniform(0, 10) == 0) {
    // Beyond the named changes: one of the fuzz campaign's mutations of any member.
    std::string member;
    const Mutation m = draw_mutation({"type", "quote", "event_log", "rtmrs", "chal_x25519_pub"}, member);
    const std::int64_t now = SystemClock().now();
    p.judged_response(" (" + m.describe() + ")", edit,
                      [m, member, now](const std::string& text) { return mutate_json_text(text, member, m, ValueKind::generic, now); });
    return;
  }
  switch (gen::uniform(0, 9)) {
    case 1: {
      const int kind = gen::uniform(0, 6);
      const char* names[] = {"bit 255 set", "all zero", "a low-order point", "31 bytes", "not base64", "missing"};
      what = std::string(" (chal_x25519_pub ") + names[kind] + ")";
      edit = pub_edit(kind);
      break;
    }
    case 2: {
      // The mock signature Q[636:700): its first, last or any byte (§9.6).
      const std::size_t at = gen::uniform(0, 2) == 0 ? gen::uniform_element<std::size_t>({0, 63}) : gen::uniform<std::size_t>(0, 64);
      what = " (quote: signature byte " + std::to_string(at) + " changed)";
      edit = quote_bytes([at](Bytes& q) {
        if (q.size() >= 700) q[636 + at] ^= 0x01;
      }, false);
      break;
    }
    case 3: {
      const auto bit = gen::uniform<std::size_t>(0, 256);
      what = " (quote: REPORTDATA bit " + std::to_string(bit) + " flipped, resealed)";
      edit = quote_bytes([bit](Bytes& q) {
        if (q.size() >= 632) q[tdx::kOffReportData + bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      }, true);
      break;
    }
    case 4: {
      // RTMR3, which the event log's replay must equal over all 48 bytes (§9.5).
      const std::size_t at = gen::uniform(0, 2) == 0 ? gen::uniform_element<std::size_t>({0, 47}) : gen::uniform<std::size_t>(0, 48);
      what = " (quote: RTMR3 byte " + std::to_string(at) + " changed, resealed)";
      edit = quote_bytes([at](Bytes& q) {
        if (q.size() >= 632) q[tdx::kOffRtmr[3] + at] ^= 0x01;
      }, true);
      break;
    }
    case 5: {
      const auto size = gen::uniform_element<std::size_t>({0, 48, 631, 699, 701, 1024});
      what = " (quote cut or padded to " + std::to_string(size) + " bytes)";
      edit = quote_bytes([size](Bytes& q) { q.resize(size, 0); }, false);
      break;
    }
    case 6: {
      // The environment-mode event (§3.8): in capitals, or the other mode.
      const bool capitals = gen::uniform(0, 2) == 1;
      what = capitals ? " (event log: environment mode in capitals)" : " (event log: the other environment mode)";
      edit = measured([capitals](tdx::MockParams& m) { m.env_mode = capitals ? upper(m.env_mode) : (m.env_mode == "dev" ? "prod" : "dev"); });
      break;
    }
    case 7: {
      // §3.6 C4.5: a compose hash the validator does not expect.
      what = " (event log: another compose hash)";
      edit = measured([](tdx::MockParams& m) {
        ByteArray<32> other{};
        other.fill(0x5a);
        m.compose_hash = other;
      });
      break;
    }
    case 8: {
      const int kind = gen::uniform(0, 5);
      const char* names[] = {"event_log null", "event_log missing", "rtmrs missing", "quote missing", "an extra member"};
      what = std::string(" (") + names[kind] + ")";
      edit = [kind](ChallengeEnd&, Json& r) {
        if (kind == 0) r["event_log"] = nullptr;
        if (kind == 1) r.erase("event_log");
        if (kind == 2) r.erase("rtmrs");
        if (kind == 3) r.erase("quote");
        if (kind == 4) r["extra"] = "x";
      };
      break;
    }
    default: break;
  }
  p.judged_response(what, edit);
}

// ---------------------------------------------------------------- envelope answers

ValidatorProbe::Build proper() {
  return [](ChallengeEnd& e) { return e.answer(); };
}

ValidatorProbe::Build flipped_answer(const std::string& member, std::size_t bit) {
  return [member, bit](ChallengeEnd& e) -> std::optional<std::string> {
    const auto frame = e.answer();
    return frame ? flipped(*frame, member, bit) : std::nullopt;
  };
}

ValidatorProbe::Build malformed_answer(const std::string& kind) {
  return [kind](ChallengeEnd& e) {
    return malformed([&e](const std::string& inner) { return e.seal(inner); }, kind, json::dump(ServerScript::answer_to(e.pending)));
  };
}

std::string draw_member() { return gen::uniform_element<std::string>({"nonce", "ciphertext"}); }

void bit_flip(ValidatorProbe& p) {
  p.open_session();
  const std::string member = draw_member();
  const auto bit = gen::uniform<std::size_t>(0, 1u << 12);
  p.answer("the answer with " + member + " bit " + std::to_string(bit) + " flipped", flipped_answer(member, bit));
}

void malformed_frame(ValidatorProbe& p) {
  p.open_session();
  // A binary frame one case in four (§3.1: close 1003 in the strict profiles, ignored in sdk-compat).
  if (gen::uniform(0, 4) == 0) {
    p.answer_binary("a binary frame", std::string("\x01\x02\x03", 3));
    return;
  }
  const std::string kind = gen::uniform_element(malformed_kinds());
  p.answer("the answer, malformed " + kind, malformed_answer(kind));
}

// The answer with one of the fuzz campaign's mutations of one envelope member.
void mutated(ValidatorProbe& p) {
  p.open_session();
  std::string member;
  const Mutation m = draw_mutation({"enc", "nonce", "ciphertext"}, member);
  const std::int64_t now = SystemClock().now();
  p.answer("the answer after " + m.describe(), [m, member, now](ChallengeEnd& e) -> std::optional<std::string> {
    const auto frame = e.answer();
    if (!frame) return std::nullopt;
    return mutate_json_text(*frame, member, m, ValueKind::generic, now);
  });
}

void replay(ValidatorProbe& p) {
  p.open_session();
  if (gen::uniform(0, 2) == 1) {
    p.answer("the validator's own request reflected", [](ChallengeEnd& e) { return std::optional<std::string>(e.pending_frame); });
    return;
  }
  p.answer("the proper answer", proper());
  p.answer("that answer again (replayed)",
           [](ChallengeEnd& e) { return e.sent.empty() ? std::nullopt : std::optional<std::string>(e.sent.front()); });
}

// Stateful: proper, flipped, malformed, reflected and replayed answers in any order, each judged.
void sequence(ValidatorProbe& p) {
  p.open_session();
  const int n = gen::uniform(1, 7);
  for (int i = 0; i < n; ++i) {
    switch (gen::uniform(0, 5)) {
      case 0: p.answer("the proper answer", proper()); break;
      case 1: {
        const std::string member = draw_member();
        const auto bit = gen::uniform<std::size_t>(0, 1u << 12);
        p.answer("flip " + member + " bit " + std::to_string(bit), flipped_answer(member, bit));
        break;
      }
      case 2: {
        const std::string kind = gen::uniform_element(malformed_kinds());
        p.answer("malformed " + kind, malformed_answer(kind));
        break;
      }
      case 3:
        p.answer("the validator's last request reflected", [](ChallengeEnd& e) { return std::optional<std::string>(e.pending_frame); });
        break;
      default: {
        const auto which = gen::uniform<std::size_t>(0, 6);
        p.answer("replay of answer #" + std::to_string(which), [which](ChallengeEnd& e) {
          return e.sent.empty() ? std::nullopt : std::optional<std::string>(e.sent[which % e.sent.size()]);
        });
        break;
      }
    }
  }
}

}  // namespace

const std::vector<ValidatorProperty>& validator_properties() {
  static const std::vector<ValidatorProperty> all = {
      {"P-KX.validator-response", "§3.5-§3.8, §4, §9.5-§9.6",
       "attestation_response with one change (chal_x25519_pub, a quote byte, REPORTDATA, RTMR3, quote length, environment "
       "mode, compose hash, a member) or none: accepted or refused as the reference validator does; then its first request",
       response},
      {"P-ENV.validator-bit-flip", "§5.3 R4-R5",
       "the answer to the validator's request with one bit of its nonce or ciphertext flipped: the reference's reaction",
       bit_flip},
      {"P-ENV.validator-malformed", "§3.1, §5.3 R1-R4, R7",
       "the answer broken at one check (not JSON, member missing or mistyped, enc, lengths, inner message) or a binary frame: "
       "the reference's reaction",
       malformed_frame},
      {"P-ENV.validator-mutated", "§5.3 R1-R5",
       "the answer after one of the fuzz campaign's field mutations (flip, set-byte, truncate, extend, drop, dup, boundary, "
       "badchar, case, type) of enc, nonce or ciphertext: the reference's reaction",
       mutated},
      {"P-ENV.validator-replay", "§5.3 R6",
       "the validator's own request reflected, or an answer sent twice: the reference's reaction", replay},
      {"P-SESSION.validator-sequence", "§5.3, §5.5",
       "stateful: up to 6 proper, flipped, malformed, reflected and replayed answers on one session, each judged", sequence},
  };
  return all;
}

}  // namespace pnc::conf::campaign
