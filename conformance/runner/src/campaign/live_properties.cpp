#include "campaign/live_properties.hpp"

#include <rapidcheck.h>

#include <boost/algorithm/string/predicate.hpp>

#include <algorithm>
#include <cctype>

#include "campaign/envelope_edits.hpp"
#include "campaign/mutation.hpp"
#include "campaign/property_gen.hpp"
#include "campaign/scenario.hpp"
#include "pnc/clock.hpp"

namespace pnc::conf::campaign {

using json::Json;

namespace {

std::string seen_text(const std::vector<std::string>& seen) {
  if (seen.empty()) return "nothing";
  std::string out;
  for (const auto& s : seen) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Finding files are pasted into bug reports: the session token (a credential, §6) never appears
// in one; a tampered token is shown by where it differs.
std::string redacted_header(const std::string& name, const std::string& value, const std::string& token) {
  if (!boost::algorithm::iequals(name, signed_http::kHdrSessionToken)) return value;
  if (value == token) return "<the SUT description's session token>";
  if (value.size() == token.size()) {
    std::size_t differ = 0, at = 0;
    for (std::size_t i = 0; i < value.size(); ++i)
      if (value[i] != token[i]) ++differ, at = i;
    if (differ == 1) return "<the session token with character " + std::to_string(at) + " changed>";
  }
  return "<a session token of " + std::to_string(value.size()) + " characters>";
}

}  // namespace

std::optional<std::string> LiveSide::seal(const std::string& inner) {
  if (!conn.channel) return std::nullopt;
  auto sealed = conn.channel->seal(inner, *rng);
  if (!sealed) return std::nullopt;
  return std::move(*sealed);
}

LiveSide LiveProbe::side(Endpoint& ep) {
  LiveSide s;
  s.rng = std::make_unique<DeterministicRng>(mix(seed_, cases_));
  s.conn = open_conn(ep, profile_, description_, *s.rng);
  s.conn.judge_quote = false;  // the SUT's quote is the attestation cases' subject, not a live property's
  return s;
}

void LiveProbe::open_connections() {
  // A blocked SUT is not tried again in this property: every case would wait out its timeouts.
  if (!blocked().empty()) block(blocked());
  ++cases_;
  sut_.ws_close_all();
  reference_.ws_close_all();
  reference_side_ = side(reference_);
  if (reference_side_.conn.handle < 0) fail("generator defect: the reference refused a connection: " + reference_side_.conn.error);
  sut_side_ = side(sut_);
  if (sut_side_.conn.handle < 0) block("precondition failed: no WebSocket connection to the SUT (" + sut_side_.conn.error + ")");
}

void LiveProbe::open_session() {
  open_connections();
  if (auto r = clean_handshake(reference_, reference_side_.conn); !r.empty())
    fail("generator defect: the reference's own handshake failed: " + r);
  if (auto r = clean_handshake(sut_, sut_side_.conn); !r.empty())
    block("precondition failed: the SUT's handshake did not complete (" + r + ")");
  // Whatever each side sends right after attestation_ok is the handshake's, not this property's.
  const auto after_ok = reference_.ws_collect(reference_side_.conn.handle, -1);
  for (const auto& e : after_ok) normal(reference_side_.conn, e);
  for (const auto& e : sut_.ws_collect(sut_side_.conn.handle, static_cast<int>(after_ok.size()))) normal(sut_side_.conn, e);
}

void LiveProbe::judged_handshake(const std::string& what, const std::function<void(Json&)>& edit_begin,
                                 const std::function<void(Json&)>& edit_ok) {
  open_connections();
  step("attestation_begin" + what, [&](LiveSide& s) {
    Json begin = s.conn.script->begin();
    edit_begin(begin);
    return std::optional<std::string>(json::dump(begin));
  });
  step("attestation_ok" + what, [&](LiveSide& s) -> std::optional<std::string> {
    if (!s.conn.accepted || s.conn.gone) return std::nullopt;
    Json ok = s.conn.script->ok_message();
    edit_ok(ok);
    if (ok.contains("hkdf_salt") && ok["hkdf_salt"].is_string())
      if (auto salt = codec::b64_decode(ok["hkdf_salt"].get<std::string>())) s.salt = std::move(*salt);
    return json::dump(ok);
  });
  for (LiveSide* s : {&reference_side_, &sut_side_})
    if (s->conn.accepted && !s->conn.gone)
      if (auto ch = s->conn.script->session(s->salt)) s->conn.channel.emplace(std::move(*ch));
}

void LiveProbe::begin_http_case(const std::vector<Need>& needs) {
  for (Need n : needs)
    if (!has(description_, n)) skip(need_reason(n));
  ++cases_;
  http_rng_ = std::make_unique<DeterministicRng>(mix(seed_, cases_));
}

std::string LiveProbe::http_step(const std::string& action, const net::HttpRequest& request, bool clock_sensitive) {
  const auto status_of = [](const HttpAnswer& a) { return a.status == 0 ? "no-answer" : "HTTP " + std::to_string(a.status); };
  const std::int64_t before = SystemClock().now();
  const std::string r = status_of(reference_.http(request));
  const std::string s = status_of(sut_.http(request));
  Json args = {{"method", request.method}, {"target", request.target}, {"headers", Json::array()}, {"body", request.body}};
  for (const auto& [name, value] : request.headers)
    args["headers"].push_back(Json::array({name, redacted_header(name, value, description_.signer->session_token)}));
  record({action, args, s, r});
  if (s != r) {
    if (clock_sensitive && SystemClock().now() != before) RC_DISCARD("a second boundary fell between the two answers");
    fail_difference(action, s, r);
  }
  return r;
}

void LiveProbe::fail_difference(const std::string& action, const std::string& sut, const std::string& reference) {
  const std::string exited = sut_.exited();
  fail("after " + action + ": SUT " + sut + ", reference " + reference + (exited.empty() ? "" : " (the SUT exited: " + exited + ")"));
}

std::vector<std::string> LiveProbe::step(const std::string& action, const Build& build) {
  if (reference_gone()) return {};
  const auto frame_r = build(reference_side_);
  const auto frame_s = build(sut_side_);
  if (!frame_r) {
    record({action, Json{{"frame", nullptr}}, "not sent", "not sent"});
    return {};
  }
  const auto seen_r = send_and_collect(reference_, reference_side_.conn, *frame_r, -1);
  reference_side_.sent.push_back(*frame_r);
  std::vector<std::string> seen_s = {"not-built"};
  if (frame_s) {
    seen_s = send_and_collect(sut_, sut_side_.conn, *frame_s, static_cast<int>(seen_r.size()));
    sut_side_.sent.push_back(*frame_s);
  }
  record({action, Json{{"frame", *frame_r}}, seen_text(seen_s), seen_text(seen_r)});
  if (seen_s != seen_r) fail_difference(action, seen_text(seen_s), seen_text(seen_r));
  return seen_r;
}

namespace {

using gen::draw_text;
using gen::kAlnum;

// ---------------------------------------------------------------- frames

// A §5.4 request the challenge answers, or one of a type it has no handler for.
std::string draw_request() {
  const std::string id = draw_text(std::string(kAlnum) + "-_", 1, 40);
  switch (*rc::gen::inRange(0, 3)) {
    case 0: return json::dump(Json{{"type", "db_version_request"}, {"message_id", id}});
    case 1:
      return json::dump(Json{{"type", "job_execute"}, {"message_id", id}, {"job_id", "j-" + id}, {"job_name", "echo"},
                             {"payload", {{"n", *rc::gen::inRange(-1000, 1000)}}}});
    default: return json::dump(Json{{"type", "x-" + draw_text(kAlnum, 1, 12)}, {"message_id", id}});
  }
}

LiveProbe::Build fresh(const std::string& inner) {
  return [inner](LiveSide& s) { return s.seal(inner); };
}

// An envelope broken at one check, around a probe request.
std::optional<std::string> malformed_on(LiveSide& s, const std::string& kind) {
  return malformed([&s](const std::string& inner) { return s.seal(inner); }, kind, probe_request("malformed"));
}

// A fresh request with one bit of the envelope's `member` (nonce or ciphertext) flipped.
LiveProbe::Build flipped_request(const std::string& member, std::size_t bit) {
  return [member, bit](LiveSide& s) -> std::optional<std::string> {
    const auto frame = s.seal(probe_request("flipped"));
    return frame ? flipped(*frame, member, bit) : std::nullopt;
  };
}

void probe_alive(LiveProbe& p) { p.step("probe", fresh(probe_request("probe"))); }

// ---------------------------------------------------------------- signed HTTP (§6)

const std::vector<Need> kSignedWeights = {Need::signer, Need::weights};
constexpr std::string_view kNonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

// A POST /sdk/weights signed by the SUT's trusted signer, field by field (any timestamp or nonce
// spelling still carries a valid signature).
net::HttpRequest signed_weights(LiveProbe& p, const std::string& timestamp, const std::string& nonce,
                                const std::string& body = R"({"jobs":[]})") {
  const TrustedSigner& who = *p.description().signer;
  SystemClock clock;
  signed_http::SignerOptions options;
  options.profile = p.profile();
  signed_http::Signer signer(who.seed, who.session_token, std::nullopt, clock, p.rng(), options);
  auto req = signer.sign_body("POST", "/sdk/weights", to_bytes(body), signed_http::kContentTypeJson, timestamp, nonce);
  if (!req) p.fail("generator defect: the reference signer refused the request: " + req.error().message);
  return to_net(*req);
}

std::string now_text() { return std::to_string(SystemClock().now()); }
std::string fresh_nonce(LiveProbe& p) { return p.rng().uuid_v4(); }

void fresh_request(LiveProbe& p) { p.http_step("a fresh valid request", signed_weights(p, now_text(), fresh_nonce(p))); }

std::string& header(net::HttpRequest& r, const std::string& name) {
  for (auto& [n, v] : r.headers)
    if (n == name) return v;
  r.headers.emplace_back(name, "");
  return r.headers.back().second;
}

// V1-V2: X-Timestamp around the ±120 s window and in other spellings, then a fresh request.
void sig_window(LiveProbe& p) {
  p.begin_http_case(kSignedWeights);
  const auto offset = *rc::gen::oneOf(rc::gen::elementOf(std::vector<std::int64_t>{0, -121, -120, -119, 119, 120, 121, -3600, 3600}),
                                      rc::gen::inRange<std::int64_t>(-400, 401));
  const int spelling = *rc::gen::inRange(0, 5);
  const std::int64_t ts = SystemClock().now() + offset;
  std::string text = std::to_string(ts);
  const char* names[] = {"", " with a + sign", " with a leading zero", " with a fraction", " in exponent form"};
  if (spelling == 1) text = "+" + text;
  if (spelling == 2) text = "0" + text;
  if (spelling == 3) text += ".0";
  if (spelling == 4) text = text.substr(0, 1) + "." + text.substr(1) + "e" + std::to_string(text.size() - 1);
  p.http_step("X-Timestamp now" + std::string(offset < 0 ? "" : "+") + std::to_string(offset) + " s" + names[spelling],
              signed_weights(p, text, fresh_nonce(p)), std::llabs(offset) >= 118 && std::llabs(offset) <= 122);
  fresh_request(p);
}

// V1 / §6.1: nonces of any length over the nonce alphabet, base64's extra characters or any
// printable ASCII (contents fresh every case; the generator picks the shape), then a fresh request.
void sig_nonce(LiveProbe& p) {
  p.begin_http_case(kSignedWeights);
  const auto length = *rc::gen::inRange<std::size_t>(0, 141);
  const int alphabet = *rc::gen::inRange(0, 3);
  const std::string chars = alphabet == 0 ? std::string(kNonceAlphabet)
                            : alphabet == 1 ? std::string(kNonceAlphabet) + "+/="
                                            : std::string(gen::kPrintable.substr(1));  // no leading space
  const Bytes random = p.rng().bytes(length);
  std::string nonce;
  for (auto b : random) nonce += chars[b % chars.size()];
  if (alphabet == 1 && !nonce.empty()) nonce[nonce.size() / 2] = "+/="[random[0] % 3];
  const char* names[] = {"the nonce alphabet", "base64 characters", "printable ASCII"};
  p.http_step("X-Nonce of " + std::to_string(length) + " characters from " + names[alphabet], signed_weights(p, now_text(), nonce));
  fresh_request(p);
}

// V7: one of up to 5 accepted requests sent again, byte for byte.
void sig_replay(LiveProbe& p) {
  p.begin_http_case(kSignedWeights);
  const int n = *rc::gen::inRange(1, 6);
  std::vector<net::HttpRequest> sent;
  for (int i = 0; i < n; ++i) {
    sent.push_back(signed_weights(p, now_text(), fresh_nonce(p)));
    p.http_step("request #" + std::to_string(i), sent.back());
  }
  const auto which = *rc::gen::inRange<std::size_t>(0, sent.size());
  p.http_step("request #" + std::to_string(which) + " again", sent[which]);
  fresh_request(p);
}

// V5-V7: one byte of one field changed after signing (refused), then the same nonce signed
// properly: a refused request must not burn its nonce.
void sig_tamper(LiveProbe& p) {
  p.begin_http_case(kSignedWeights);
  const std::string field = *rc::gen::elementOf(std::vector<std::string>{"body", "X-Signature", "X-Nonce", "X-Session-Token", "path"});
  const auto at = *rc::gen::inRange<std::size_t>(0, 64);
  const std::string nonce = fresh_nonce(p);
  net::HttpRequest forged = signed_weights(p, now_text(), nonce);
  std::string& value = field == "body" ? forged.body : field == "path" ? forged.target : header(forged, field);
  if (field == "X-Signature") {
    auto sig = codec::b64_decode(value);
    if (!sig || sig->empty()) p.fail("generator defect: the signer's X-Signature is not base64");
    (*sig)[at % sig->size()] ^= 0x01;
    value = codec::b64_encode(*sig);
  } else {
    // A character that keeps the value in its alphabet and HTTP-safe.
    char& c = value[(field == "path" ? 1 : 0) + at % (value.size() - (field == "path" ? 1 : 0))];
    c = c == 'a' ? 'b' : (std::isalnum(static_cast<unsigned char>(c)) ? 'a' : c == '-' ? '_' : '-');
  }
  p.http_step("the request with one character of " + field + " changed after signing", forged);
  p.http_step("the same nonce, signed properly", signed_weights(p, now_text(), nonce));
}

// V1 / V5: the signer's own X-Public-Key in another base64 spelling (the signature still valid).
void sig_key(LiveProbe& p) {
  p.begin_http_case(kSignedWeights);
  const int kind = *rc::gen::inRange(0, 5);
  net::HttpRequest r = signed_weights(p, now_text(), fresh_nonce(p));
  std::string& key = header(r, "X-Public-Key");
  const char* names[] = {"without padding", "with extra padding", "in base64url", "with non-zero unused bits", "with a space inside"};
  if (kind == 0) key.erase(key.find('='));
  if (kind == 1) key += "==";
  if (kind == 2) {
    std::replace(key.begin(), key.end(), '+', '-');
    std::replace(key.begin(), key.end(), '/', '_');
  }
  if (kind == 3) {
    // 32 bytes: the 43rd character carries 4 data bits and 2 unused ones.
    static constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    key[42] = kB64[kB64.find(key[42]) | 1];
  }
  if (kind == 4) key.insert(22, " ");
  p.http_step(std::string("X-Public-Key ") + names[kind], r);
  fresh_request(p);
}

// ---------------------------------------------------------------- properties

void round_trip(LiveProbe& p) {
  p.open_session();
  const int n = *rc::gen::inRange(1, 9);
  for (int i = 0; i < n; ++i) {
    const std::string inner = draw_request();
    p.step("request " + inner, fresh(inner));
  }
}

void bit_flip(LiveProbe& p) {
  p.open_session();
  const int before = *rc::gen::inRange(0, 4);
  for (int i = 0; i < before; ++i) p.step("request", fresh(probe_request("r" + std::to_string(i))));
  const std::string member = *rc::gen::elementOf(std::vector<std::string>{"nonce", "ciphertext"});
  const auto bit = *rc::gen::inRange<std::size_t>(0, 1u << 12);
  const std::string action = "flip " + member + " bit " + std::to_string(bit);
  const auto seen = p.step(action, flipped_request(member, bit));
  for (const auto& e : seen)
    if (e.rfind("enc:", 0) == 0) p.fail("generator defect: the reference answered a frame with a flipped bit (" + action + ")");
  probe_alive(p);
}

void replay(LiveProbe& p) {
  p.open_session();
  const int n = *rc::gen::inRange(1, 11);
  for (int i = 0; i < n; ++i) p.step("request #" + std::to_string(i), fresh(probe_request("r" + std::to_string(i))));
  const auto which = *rc::gen::inRange<std::size_t>(0, static_cast<std::size_t>(n));
  p.step("replay of request #" + std::to_string(which),
         [which](LiveSide& s) { return which < s.sent.size() ? std::optional<std::string>(s.sent[which]) : std::nullopt; });
  probe_alive(p);
}

void malformed_frame(LiveProbe& p) {
  p.open_session();
  const int before = *rc::gen::inRange(0, 3);
  for (int i = 0; i < before; ++i) p.step("request", fresh(probe_request("r" + std::to_string(i))));
  const std::string kind = *rc::gen::elementOf(malformed_kinds());
  p.step("malformed " + kind, [&](LiveSide& s) { return malformed_on(s, kind); });
  probe_alive(p);
}

// §3.5 / §4: one member of attestation_begin or attestation_ok changed (or none), then a probe.
void handshake(LiveProbe& p) {
  std::string what;
  std::function<void(Json&)> edit_begin = [](Json&) {}, edit_ok = [](Json&) {};
  switch (*rc::gen::inRange(0, 4)) {
    case 1: {
      // val_x25519_pub: bit 255 set (masked by RFC 7748), or a low-order point (all-zero shared secret).
      const int kind = *rc::gen::inRange(0, 3);
      const char* names[] = {" (val_x25519_pub bit 255 set)", " (val_x25519_pub all zero)", " (val_x25519_pub u = 1)"};
      what = names[kind];
      edit_begin = [kind](Json& b) {
        auto pub = codec::b64_decode(b["val_x25519_pub"].get<std::string>());
        if (!pub || pub->size() != 32) return;
        if (kind == 0) (*pub)[31] |= 0x80;
        else std::fill(pub->begin(), pub->end(), 0);
        if (kind == 2) (*pub)[0] = 1;
        b["val_x25519_pub"] = codec::b64_encode(*pub);
      };
      break;
    }
    case 2: {
      // aead: another spelling of the profile's label, or missing.
      const int kind = *rc::gen::inRange(0, 4);
      const char* names[] = {" (aead in capitals)", " (aead capitalised)", " (aead with a suffix)", " (aead missing)"};
      what = names[kind];
      edit_ok = [kind](Json& ok) {
        std::string a = ok["aead"].get<std::string>();
        if (kind == 0) std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (kind == 1) a[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(a[0])));
        if (kind == 2) a += "x";
        if (kind == 3) ok.erase("aead");
        else ok["aead"] = a;
      };
      break;
    }
    case 3: {
      // hkdf_salt of another length (§3.5: exactly 32 bytes).
      const auto size = *rc::gen::elementOf(std::vector<std::size_t>{0, 1, 16, 31, 33, 64});
      // Only the length is under test: fixed contents keep shrinking to the length alone.
      const Bytes salt(size, 0xa5);
      what = " (hkdf_salt of " + std::to_string(size) + " bytes)";
      edit_ok = [salt](Json& ok) { ok["hkdf_salt"] = codec::b64_encode(salt); };
      break;
    }
    default: break;
  }
  p.judged_handshake(what, edit_begin, edit_ok);
  probe_alive(p);
}

// Stateful: any interleaving of fresh, replayed, reflected, reordered, flipped and malformed
// frames, judged after each one.
void sequence(LiveProbe& p) {
  p.open_session();
  const int n = *rc::gen::inRange(1, 13);
  for (int i = 0; i < n && !p.reference_gone(); ++i) {
    switch (*rc::gen::inRange(0, 6)) {
      case 0: {
        const std::string inner = draw_request();
        p.step("request " + inner, fresh(inner));
        break;
      }
      case 1: {
        const auto which = *rc::gen::inRange<std::size_t>(0, 12);
        p.step("replay of frame #" + std::to_string(which), [which](LiveSide& s) {
          return s.sent.empty() ? std::nullopt : std::optional<std::string>(s.sent[which % s.sent.size()]);
        });
        break;
      }
      case 2: {
        const std::string member = *rc::gen::elementOf(std::vector<std::string>{"nonce", "ciphertext"});
        const auto bit = *rc::gen::inRange<std::size_t>(0, 1u << 12);
        p.step("flip " + member + " bit " + std::to_string(bit), flipped_request(member, bit));
        break;
      }
      case 3:
        p.step("reflect the peer's last frame", [](LiveSide& s) {
          return s.conn.last_received.empty() ? std::nullopt : std::optional<std::string>(s.conn.last_received);
        });
        break;
      case 4: {
        const std::string kind = *rc::gen::elementOf(malformed_kinds());
        p.step("malformed " + kind, [&](LiveSide& s) { return malformed_on(s, kind); });
        break;
      }
      default:
        // Two requests sealed in order, sent in the other order.
        p.step("reorder: the later request first", [](LiveSide& s) {
          s.held = s.seal(probe_request("earlier")).value_or("");
          return s.seal(probe_request("later"));
        });
        p.step("reorder: then the earlier one",
               [](LiveSide& s) { return s.held.empty() ? std::nullopt : std::optional<std::string>(s.held); });
        break;
    }
  }
  probe_alive(p);
}

}  // namespace

const std::vector<LiveProperty>& live_properties() {
  static const std::vector<LiveProperty> all = {
      {"P-ENV.live-round-trip", "§5.1-§5.4",
       "requests of every kind (and of unknown types) the reference seals, answered as the reference answers them", round_trip},
      {"P-ENV.live-bit-flip", "§5.3 R4-R5",
       "one bit of an envelope's nonce or ciphertext flipped: refused (drop or close) as the reference does, then a probe",
       bit_flip},
      {"P-ENV.live-replay", "§5.3 R6", "an earlier frame of up to 10 sent again: judged as the reference judges it, then a probe",
       replay},
      {"P-ENV.live-malformed", "§5.3 R1-R4, R7",
       "an envelope broken at one check (not JSON, member missing or mistyped, enc, lengths, inner message): as the reference, "
       "then a probe",
       malformed_frame},
      {"P-KX.live-handshake", "§3.5, §4",
       "attestation_begin / attestation_ok with one member changed (val_x25519_pub high bit or low order, aead spelling, "
       "salt length) or none: each message answered as the reference answers it, then a probe",
       handshake},
      {"P-SIG.live-window", "§6.4 V1-V2, §0.3",
       "POST /sdk/weights with X-Timestamp around the ±120 s window and in other spellings: the reference's status, then a "
       "fresh request",
       sig_window},
      {"P-SIG.live-nonce", "§6.1, §6.4 V1",
       "X-Nonce of 0-140 characters from the nonce alphabet, base64's or printable ASCII: the reference's status", sig_nonce},
      {"P-SIG.live-replay", "§6.4 V7", "one of up to 5 accepted requests sent again byte for byte: the reference's status",
       sig_replay},
      {"P-SIG.live-tamper", "§6.4 V5-V7",
       "one character of the body, path, nonce, token or signature changed after signing, then the same nonce signed "
       "properly (a refused request burns no nonce)",
       sig_tamper},
      {"P-SIG.live-key", "§6.1, §6.4 V1/V5", "the signer's X-Public-Key in another base64 spelling: the reference's status",
       sig_key},
      {"P-SESSION.sequence", "§5.3, §5.5",
       "stateful: up to 12 fresh, replayed, reflected, reordered, flipped and malformed frames on one session, each judged",
       sequence},
  };
  return all;
}

}  // namespace pnc::conf::campaign
