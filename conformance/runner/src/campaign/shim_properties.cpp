#include "campaign/shim_properties.hpp"

#include <rapidcheck.h>

#include "campaign/property_gen.hpp"
#include "campaign/scenario.hpp"
#include "cases/text.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::conf::campaign {

using json::Json;

namespace {

std::string call_text(const PropertyCall& c) { return c.op + ": SUT " + c.sut + ", reference " + c.reference; }

}  // namespace

Result<ShimAnswer> ShimProbe::call_sut(const std::string& op, const Json& args) {
  // A shim that failed kShimFailuresBeforeGivingUp times in this property is not called again:
  // every shrinking step would otherwise wait out its timeout.
  if (shim_failures_ >= kShimFailuresBeforeGivingUp)
    return make_error("shim.gave_up", "not called again after " + std::to_string(shim_failures_) + " failures: " + last_shim_error_);
  auto a = sut_.shim_call(op, args, profile_);
  if (!a) {
    ++shim_failures_;
    last_shim_error_ = a.error().message;
  }
  return a;
}

ShimAnswer ShimProbe::usable(const std::string& op, Result<ShimAnswer> a) {
  if (!a) fail("shim-failed: " + op + ": " + a.error().message);
  if (a->kind == ShimAnswer::Kind::unimplemented) skip("the shim does not implement " + op);
  return std::move(*a);
}

ShimAnswer ShimProbe::sut(const std::string& op, const Json& args) {
  auto a = call_sut(op, args);
  record({op, args, shim_answer_normal(a, {}), ""});
  return usable(op, std::move(a));
}

ShimAnswer ShimProbe::reference(const std::string& op, const Json& args) {
  auto a = reference_.shim_call(op, args, profile_);
  if (!a || (a->kind == ShimAnswer::Kind::error && a->error.rfind("shim.bad_request", 0) == 0))
    fail("generator defect: the reference refused the arguments of " + op + ": " + (a ? a->error : a.error().message));
  return *a;
}

ShimAnswer ShimProbe::same(const std::string& op, const Json& args, const std::vector<std::string>& judged) {
  const ShimAnswer r = reference(op, args);
  auto a = call_sut(op, args);
  PropertyCall call{op, args, shim_answer_normal(a, judged), shim_answer_normal(Result<ShimAnswer>(r), judged)};
  record(call);
  ShimAnswer answer = usable(op, std::move(a));
  if (call.sut != call.reference) fail("the SUT and the reference differ: " + call_text(call));
  return answer;
}

namespace {

// ---------------------------------------------------------------- generators

using gen::draw_bytes;
using gen::draw_hex;
using gen::draw_text;
using gen::kAlnum;
using gen::kPrintable;
using gen::flip;

// A §5.4 inner message: a JSON object with a string `type` and a few string / integer members.
std::string draw_inner_message() {
  Json m = Json::object();
  m["type"] = draw_text(kAlnum, 1, 12);
  const auto members = *rc::gen::inRange(0, 4);
  for (int i = 0; i < members; ++i) {
    const std::string key = draw_text(kAlnum, 1, 8);
    if (key == "type") continue;
    if (*rc::gen::arbitrary<bool>())
      m[key] = draw_text(kPrintable, 0, 40);
    else
      m[key] = *rc::gen::inRange(-1000000, 1000000);
  }
  return json::dump(m);
}

// The bytes of a hex value the reference answered (empty if it is not hex).
Bytes bytes_of(const std::string& hex) {
  auto b = codec::hex_decode(hex);
  return b ? std::move(*b) : Bytes{};
}
std::string text_member(const ShimAnswer& a, const char* m) { return string_member(a.result, m); }

void must_refuse(ShimProbe& p, const std::string& op, const Json& args, const std::string& change) {
  const ShimAnswer r = p.reference(op, args);
  if (r.kind != ShimAnswer::Kind::error) p.fail("generator defect: the reference accepts " + change);
  const ShimAnswer s = p.sut(op, args);
  if (s.kind != ShimAnswer::Kind::error) p.fail(op + " accepted " + change + " (it must refuse it)");
}

// ---------------------------------------------------------------- properties

void x25519_agrees(ShimProbe& p) {
  p.same("x25519", {{"private", draw_hex(32, 32)}, {"public", draw_hex(32, 32)}}, {"shared"});
}

void session_key_agrees(ShimProbe& p) {
  const std::string peer = text_member(p.reference("x25519_public", {{"private", draw_hex(32, 32)}}), "public");
  Json args = {{"private", draw_hex(32, 32)}, {"public", peer}, {"salt", draw_hex(32, 32)}};
  if (p.profile() == Profile::hardened)  // [HARD] directional keys
    args["direction"] = *rc::gen::elementOf(std::vector<std::string>{"c2s", "s2c"});
  p.same("ws_session_key", args, {"key"});
}

void hkdf_agrees(ShimProbe& p) {
  p.same("hkdf_sha256",
         {{"ikm", draw_hex(0, 80)}, {"salt", draw_hex(0, 80)}, {"info", draw_hex(0, 80)}, {"size", *rc::gen::inRange(1, 600)}},
         {"okm"});
}

// AEAD: the SUT seals what the reference seals, opens what the reference sealed, and refuses
// any single-bit change of the ciphertext or tag.
void aead_round_trip(ShimProbe& p) {
  const Json in = {{"alg", "chacha20poly1305"}, {"key", draw_hex(32, 32)}, {"iv", draw_hex(12, 12)},
                   {"aad", draw_hex(0, 40)},     {"msg", draw_hex(0, 200)}};
  const ShimAnswer sealed = p.same("aead_encrypt", in, {"ct", "tag"});
  Json open = in;
  open.erase("msg");
  open["ct"] = sealed.result.value("ct", "");
  open["tag"] = sealed.result.value("tag", "");
  const ShimAnswer opened = p.sut("aead_decrypt", open);
  if (opened.kind != ShimAnswer::Kind::ok || opened.result.value("msg", "") != in["msg"].get<std::string>())
    p.fail("aead_decrypt did not give back the sealed message");
  auto ct_tag = bytes_of(open["ct"].get<std::string>() + open["tag"].get<std::string>());
  const auto bit = *rc::gen::inRange<std::size_t>(0, ct_tag.size() * 8);
  ct_tag = flip(ct_tag, bit);
  const std::string h = codec::hex_encode(ct_tag);
  open["ct"] = h.substr(0, h.size() - 32);
  open["tag"] = h.substr(h.size() - 32);
  must_refuse(p, "aead_decrypt", open, "a sealed message with bit " + std::to_string(bit) + " of ciphertext || tag flipped");
}

// §5.1 / §5.3: the SUT's envelope is the reference's (same key and nonce: same members), and the
// SUT opens the reference's envelope to the same plaintext.
void envelope_seal_open(ShimProbe& p) {
  const Json in = {{"key", draw_hex(32, 32)}, {"nonce", draw_hex(12, 12)}, {"plaintext", draw_inner_message()}};
  p.same("envelope_seal", in, {"envelope"});
  const std::string envelope = text_member(p.reference("envelope_seal", in), "envelope");
  p.same("envelope_open", {{"key", in["key"]}, {"envelope", envelope}}, {"plaintext"});
}

// §5.3 R5: an envelope with one bit of its nonce or ciphertext (incl. the tag) flipped is refused.
void envelope_bit_flip(ShimProbe& p) {
  const Json in = {{"key", draw_hex(32, 32)}, {"nonce", draw_hex(12, 12)}, {"plaintext", draw_inner_message()}};
  auto doc = json::parse(text_member(p.reference("envelope_seal", in), "envelope"), Profile::seed_spec);
  if (!doc || !doc->is_object()) p.fail("generator defect: the reference's envelope is not a JSON object");
  const std::string member = *rc::gen::elementOf(std::vector<std::string>{"nonce", "ciphertext"});
  auto raw = codec::b64_decode(doc->value(member, ""));
  if (!raw || raw->empty()) p.fail("generator defect: the reference's envelope member " + member + " is not base64");
  const auto bit = *rc::gen::inRange<std::size_t>(0, raw->size() * 8);
  (*doc)[member] = codec::b64_encode(flip(*raw, bit));
  must_refuse(p, "envelope_open", {{"key", in["key"]}, {"envelope", json::dump(*doc)}},
              "an envelope with bit " + std::to_string(bit) + " of its " + member + " flipped");
}

// §5.3 R6: a connection receives frames under random nonces, then one more that is new or a
// repeat of any earlier one: delivered or refused as the reference does.
void channel_replay(ShimProbe& p) {
  const std::string key = draw_hex(32, 32);
  const auto n = *rc::gen::inRange(1, 10);
  Json setup = Json::array();
  std::vector<std::string> frames;
  for (int i = 0; i < n; ++i) {
    frames.push_back(text_member(
        p.reference("envelope_seal", {{"key", key}, {"nonce", draw_hex(12, 12)}, {"plaintext", draw_inner_message()}}), "envelope"));
    setup.push_back({{"op", "receive"}, {"frame", frames.back()}});
  }
  const auto pick = *rc::gen::inRange(0, n + 1);  // n: a new frame
  const std::string frame = pick < n ? frames[static_cast<std::size_t>(pick)]
                                     : text_member(p.reference("envelope_seal", {{"key", key}, {"nonce", draw_hex(12, 12)},
                                                                                 {"plaintext", draw_inner_message()}}),
                                                   "envelope");
  p.same("channel_receive", {{"key", key}, {"setup", setup}, {"frame", frame}}, {"plaintext"});
}

// §5.3 R3: an envelope whose `enc` is another spelling, a prefix or an extension of
// "chacha20poly1305" is delivered or refused as the reference does.
void channel_enc_member(ShimProbe& p) {
  const Json in = {{"key", draw_hex(32, 32)}, {"nonce", draw_hex(12, 12)}, {"plaintext", draw_inner_message()}};
  auto doc = json::parse(text_member(p.reference("envelope_seal", in), "envelope"), Profile::seed_spec);
  if (!doc || !doc->is_object()) p.fail("generator defect: the reference's envelope is not a JSON object");
  (*doc)["enc"] = *rc::gen::elementOf(std::vector<std::string>{"chacha20poly1305", "ChaCha20Poly1305", "chacha20poly1305 ",
                                                               "chacha20poly1305x", "chacha20", "xchacha20poly1305", "",
                                                               "chacha20-poly1305", "chacha20poly130"});
  p.same("channel_receive", {{"key", in["key"]}, {"frame", json::dump(*doc)}}, {"plaintext"});
}

// The signed-request fields of §6.2 / §6.3, valid in every profile.
Json draw_signed_request() {
  const std::string method = *rc::gen::elementOf(std::vector<std::string>{"GET", "POST", "PUT", "DELETE"});
  return {{"seed", draw_hex(32, 32)},
          {"method", method},
          {"target", "/" + draw_text(kAlnum, 1, 12) + "/" + draw_text(kAlnum, 0, 12)},
          {"body", draw_hex(0, 120)},
          {"content_type", "application/json"},
          {"timestamp", std::to_string(1700000000 + *rc::gen::inRange(0, 1000))},
          {"nonce", draw_text(kAlnum, 16, 40)},
          {"session_token", "session_" + draw_text(kAlnum, 8, 36)}};
}

// §6.3: Ed25519 is deterministic, so the SUT's signed headers are exactly the reference's.
void signed_request_headers(ShimProbe& p) {
  const Json req = draw_signed_request();
  if (p.reference("signed_request_sign", req).kind != ShimAnswer::Kind::ok) RC_DISCARD("fields the signer refuses");
  p.same("signed_request_sign", req, {"headers"});
}

// §6.4: a request the reference signed verifies; the same request with one byte of the body, the
// path or one signed header changed is refused, exactly as the reference refuses it.
void signed_request_tamper(ShimProbe& p) {
  const Json req = draw_signed_request();
  const std::int64_t now = std::stoll(req["timestamp"].get<std::string>()) + *rc::gen::inRange(0, 30);
  const ShimAnswer signed_ = p.reference("signed_request_sign", req);
  if (signed_.kind != ShimAnswer::Kind::ok) RC_DISCARD("fields the signer refuses");
  const std::string pub = text_member(p.reference("ed25519_public", {{"seed", req["seed"]}}), "public");
  Json headers = Json::array();
  for (const auto& [name, value] : signed_.result.at("headers").items()) headers.push_back({name, value});
  Json verify = {{"method", req["method"]},
                 {"target", req["target"]},
                 {"headers", headers},
                 {"body", req["body"]},
                 {"sessions", Json::array({{{"token", req["session_token"]}, {"public_key", pub}, {"expires_at", 1700100000}}})},
                 {"now", now}};
  if (p.profile() == Profile::sdk_compat) verify["compat_verifier"] = "val_middleware";
  if (p.same("signed_request_verify", verify, {"status"}).result.value("status", 0) != 200)
    p.fail("signed_request_verify refused a correctly signed request");
  // One change, drawn among the body, the target and every header value.
  const auto where = *rc::gen::inRange<std::size_t>(0, headers.size() + 2);
  std::string what;
  auto change = [&](std::string s, bool hex) {
    if (s.empty()) return hex ? std::string("00") : std::string("x");
    const auto i = *rc::gen::inRange<std::size_t>(0, hex ? s.size() / 2 : s.size());
    if (hex) {
      auto b = bytes_of(s);
      b[i] = static_cast<std::uint8_t>(b[i] ^ *rc::gen::inRange(1, 256));
      return codec::hex_encode(b);
    }
    s[i] = s[i] == 'A' ? 'B' : 'A';
    return s;
  };
  if (where == 0) {
    verify["body"] = change(req["body"], true);
    what = "the body";
  } else if (where == 1) {
    verify["target"] = "/" + change(req["target"].get<std::string>().substr(1), false);
    what = "the target";
  } else {
    auto& h = verify["headers"][where - 2];
    h[1] = change(h[1].get<std::string>(), false);
    what = "header " + h[0].get<std::string>();
  }
  if (p.reference("signed_request_verify", verify).result.value("status", 0) == 200)
    RC_DISCARD("a change the protocol does not sign");
  if (p.same("signed_request_verify", verify, {"status"}).result.value("status", 0) == 200)
    p.fail("signed_request_verify accepted a request with one byte of " + what + " changed");
}

// A request signed field by field with the reference's §6.2 canonical string and Ed25519, so
// that fields a signer would refuse (odd nonces, any timestamp) still carry a valid signature.
// `public_key_text` is the X-Public-Key value (default: canonical base64 of the seed's key).
Json hand_signed_verify(ShimProbe& p, const Json& f, std::int64_t now, const std::string& public_key_text = "") {
  const std::string canonical =
      text_member(p.reference("canonical_string", {{"method", f["method"]}, {"path", f["target"]}, {"body", f["body"]},
                                                   {"timestamp", f["timestamp"]}, {"nonce", f["nonce"]},
                                                   {"session_token", f["session_token"]}}),
                  "canonical");
  const std::string sig = text_member(
      p.reference("ed25519_sign", {{"seed", f["seed"]}, {"msg", codec::hex_encode(as_bytes(canonical))}}), "sig");
  const std::string pub = text_member(p.reference("ed25519_public", {{"seed", f["seed"]}}), "public");
  Json headers = Json::array({Json::array({"Content-Type", "application/json"}),
                              Json::array({"X-Nonce", f["nonce"]}),
                              Json::array({"X-Public-Key", public_key_text.empty() ? codec::b64_encode(bytes_of(pub)) : public_key_text}),
                              Json::array({"X-Session-Token", f["session_token"]}),
                              Json::array({"X-Signature", codec::b64_encode(bytes_of(sig))}),
                              Json::array({"X-Timestamp", f["timestamp"]})});
  Json verify = {{"method", f["method"]},
                 {"target", f["target"]},
                 {"headers", headers},
                 {"body", f["body"]},
                 {"sessions", Json::array({{{"token", f["session_token"]}, {"public_key", pub}, {"expires_at", now + 100000}}})},
                 {"now", now}};
  if (p.profile() == Profile::sdk_compat) verify["compat_verifier"] = "val_middleware";
  return verify;
}

// §6.4 V2: a correctly signed request whose timestamp lies anywhere around the skew window
// (its edges drawn often) is accepted or refused exactly as the reference does.
void signed_request_window(ShimProbe& p) {
  Json f = draw_signed_request();
  const std::int64_t ts = std::stoll(f["timestamp"].get<std::string>());
  const auto edge = *rc::gen::elementOf(std::vector<std::int64_t>{119, 120, 121, 299, 300, 301, 60, 61});
  const std::int64_t skew = *rc::gen::arbitrary<bool>() ? (*rc::gen::arbitrary<bool>() ? edge : -edge)
                                                         : *rc::gen::inRange<std::int64_t>(-400, 401);
  // The timestamp's text in other spellings of the same number (V1: decimal digits only).
  switch (*rc::gen::inRange(0, 6)) {
    case 0: f["timestamp"] = "+" + f["timestamp"].get<std::string>(); break;
    case 1: f["timestamp"] = "0" + f["timestamp"].get<std::string>(); break;
    case 2: f["timestamp"] = f["timestamp"].get<std::string>() + ".0"; break;
    default: break;
  }
  p.same("signed_request_verify", hand_signed_verify(p, f, ts + skew), {"status"});
}

// §6.4 V7: a sequence of correctly signed requests of one session, the last one new or a repeat
// of an earlier one: accepted or refused as the reference does (the nonce replay cache).
void signed_request_replay(ShimProbe& p) {
  Json f = draw_signed_request();
  const std::int64_t ts = std::stoll(f["timestamp"].get<std::string>());
  const auto n = *rc::gen::inRange(1, 6);
  Json earlier = Json::array();
  for (int i = 0; i < n; ++i) {
    f["nonce"] = draw_text(kAlnum, 16, 24) + std::to_string(i);
    earlier.push_back(hand_signed_verify(p, f, ts));
  }
  const auto pick = *rc::gen::inRange(0, n + 1);  // n: a fresh nonce
  f["nonce"] = draw_text(kAlnum, 16, 24) + "new";
  Json last = pick < n ? earlier[static_cast<std::size_t>(pick)] : hand_signed_verify(p, f, ts);
  last["replay"] = earlier;
  p.same("signed_request_verify", last, {"status"});
}

// §6.4 V3: nonces of any length over a wide alphabet, correctly signed: accepted or refused as the
// reference does (the nonce format is checked, not only signed).
void signed_request_nonce(ShimProbe& p) {
  Json f = draw_signed_request();
  switch (*rc::gen::inRange(0, 3)) {
    case 0: f["nonce"] = draw_text(kAlnum, 0, 80); break;
    case 1: f["nonce"] = draw_text("ABCabc0189_-+/=", 8, 70); break;  // base64's extra characters
    default: f["nonce"] = draw_text("ABCabc0189_-.~ %:", 1, 70); break;
  }
  const std::int64_t ts = std::stoll(f["timestamp"].get<std::string>());
  p.same("signed_request_verify", hand_signed_verify(p, f, ts), {"status"});
}

// §6.4 V5: the X-Public-Key header in other base64 spellings (no padding, URL alphabet, spaces)
// is accepted or refused as the reference does.
void signed_request_key_encoding(ShimProbe& p) {
  Json f = draw_signed_request();
  const std::string pub = text_member(p.reference("ed25519_public", {{"seed", f["seed"]}}), "public");
  std::string text = codec::b64_encode(bytes_of(pub));
  switch (*rc::gen::inRange(0, 4)) {
    case 0: text.erase(text.find('=')); break;
    case 1: text = codec::b64url_encode(bytes_of(pub)); break;
    case 2: text = " " + text; break;
    default: text += "=="; break;
  }
  const std::int64_t ts = std::stoll(f["timestamp"].get<std::string>());
  p.same("signed_request_verify", hand_signed_verify(p, f, ts, text), {"status"});
}

// §8.2: the SUT opens what libsodium's crypto_box_seal (the reference) sealed, and refuses any
// single-bit change of it.
void sealed_box_open(ShimProbe& p) {
  const auto secret = draw_bytes(32, 32);
  const auto pub = crypto::x25519_from_secret(secret).pub;
  const auto msg = draw_bytes(0, 200);
  const auto eph = draw_bytes(32, 32);
  auto sealed = crypto::seal_with_ephemeral(pub, msg, eph);
  if (!sealed) p.fail("generator defect: the reference cannot seal: " + sealed.error().message);
  Json in = {{"sealed", codec::hex_encode(*sealed)}, {"recipient_public", codec::hex_encode(pub)}, {"recipient_private", codec::hex_encode(secret)}};
  const ShimAnswer opened = p.sut("sealed_box_open", in);
  if (opened.kind != ShimAnswer::Kind::ok || opened.result.value("plaintext", "") != codec::hex_encode(msg))
    p.fail("sealed_box_open did not give back the sealed message");
  const auto bit = *rc::gen::inRange<std::size_t>(0, sealed->size() * 8);
  in["sealed"] = codec::hex_encode(flip(*sealed, bit));
  must_refuse(p, "sealed_box_open", in, "a sealed box with bit " + std::to_string(bit) + " flipped");
}

// §7.2: a token the issuer signed verifies to the same token_info; one changed character of the
// token is refused as the reference refuses it.
void miner_token_verify(ShimProbe& p) {
  const auto seed = draw_bytes(32, 32);
  miner_token::MinerClaims c;
  c.iss = "platform-api";
  c.aud = c.challenge_id = "challenge_" + draw_text(kAlnum, 1, 12);
  c.miner_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  c.uid = std::to_string(*rc::gen::inRange(0, 100000));
  c.job_id = "job-" + draw_text(kAlnum, 1, 16);
  c.job_type = *rc::gen::elementOf(std::vector<std::string>{"", "evaluation", "training"});
  c.iat = 1700000000 + *rc::gen::inRange(0, 100000);
  c.exp = c.iat + *rc::gen::inRange(60, 3601);
  c.jti = draw_hex(16, 16);
  auto token = miner_token::issue(c, seed);
  if (!token) RC_DISCARD("claims the issuer refuses");
  const std::string pub = text_member(p.reference("ed25519_public", {{"seed", codec::hex_encode(seed)}}), "public");
  Json in = {{"token", *token}, {"issuer_public", pub}, {"issuer", c.iss}, {"audience", c.aud},
             {"now", c.iat + *rc::gen::inRange<std::int64_t>(0, c.exp - c.iat)}};
  if (p.same("miner_token_verify", in, {"token_info"}).kind != ShimAnswer::Kind::ok)
    p.fail("miner_token_verify refused a token its issuer signed");
  std::string t = *token;
  const auto i = *rc::gen::inRange<std::size_t>(0, t.size());
  if (t[i] == '.') RC_DISCARD("a separator");
  t[i] = t[i] == 'A' ? 'B' : 'A';
  in["token"] = t;
  p.same("miner_token_verify", in, {"token_info"});
}

// §7.1 / §7.2: tokens signed by the issuer whose claims vary around every rule (lifetime, the
// validity window with leeway, audience, a duplicated claim) and whose header varies (alg, typ):
// the SUT's verdict and token_info are the reference's.
void miner_token_rules(ShimProbe& p) {
  const auto seed = draw_bytes(32, 32);
  miner_token::MinerClaims c;
  c.iss = "platform-api";
  const std::string audience = "challenge_demo";
  c.aud = c.challenge_id = *rc::gen::inRange(0, 5) == 0 ? "challenge_" + draw_text(kAlnum, 1, 6) : audience;
  c.miner_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  c.uid = std::to_string(*rc::gen::inRange(0, 1000));
  c.job_id = "job-1";
  c.iat = 1700000000;
  const auto lifetime = *rc::gen::elementOf(std::vector<std::int64_t>{-10, 0, 1, 300, 3599, 3600, 3601, 7200});
  c.exp = c.iat + lifetime;
  c.jti = draw_hex(16, 16);
  std::string payload = miner_token::claims_json(c);
  if (*rc::gen::inRange(0, 6) == 0) {  // a claim given twice (the later value differs)
    const std::string member = *rc::gen::elementOf(std::vector<std::string>{"aud", "exp", "iss", "uid", "jti"});
    const auto doc = json::parse(payload, Profile::seed_spec);
    const std::string value = *rc::gen::arbitrary<bool>() && doc ? json::dump(doc->at(member)) : "\"x\"";
    payload.insert(payload.size() - 1, ",\"" + member + "\":" + value);
  }
  std::string header = miner_token::header_json();
  if (*rc::gen::inRange(0, 4) == 0) {
    const std::string alg = *rc::gen::elementOf(std::vector<std::string>{"none", "HS256", "eddsa", "ES256", "EdDSA"});
    const std::string typ = *rc::gen::elementOf(std::vector<std::string>{"MinerToken", "JWT", "minertoken"});
    header = json::dump(Json{{"alg", alg}, {"typ", typ}});
  }
  auto token = miner_token::sign_compact(header, payload, seed);
  if (!token) p.fail("generator defect: the reference cannot sign: " + token.error().message);
  const std::string pub = text_member(p.reference("ed25519_public", {{"seed", codec::hex_encode(seed)}}), "public");
  const auto offset = *rc::gen::elementOf(std::vector<std::int64_t>{-100, -31, -30, -29, 0, 1});
  const std::int64_t now = *rc::gen::arbitrary<bool>() ? c.iat + offset : c.exp + offset + 30;
  p.same("miner_token_verify",
         {{"token", *token}, {"issuer_public", pub}, {"issuer", c.iss}, {"audience", audience}, {"now", now}, {"leeway", 30}},
         {"token_info"});
}

// §0.3: canonical base64 of any bytes decodes to those bytes; any text over the alphabet is
// decoded or refused as the reference does in the profile.
void b64_decode_agrees(ShimProbe& p) {
  const auto b = draw_bytes(0, 80);
  const ShimAnswer a = p.sut("b64_decode", {{"text", codec::b64_encode(b)}});
  if (a.kind != ShimAnswer::Kind::ok || a.result.value("bytes", "") != codec::hex_encode(b))
    p.fail("b64_decode did not decode canonical base64 to its bytes");
  p.same("b64_decode", {{"text", draw_text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ ", 0, 24)}}, {"bytes"});
}

// §8.4: credential transfer is deterministic given the ephemeral key and nonce, so the SUT's
// encryption is the reference's; the SUT decrypts the reference's response.
void credential_transfer(ShimProbe& p) {
  const auto recipient = draw_bytes(32, 32);
  const auto pub = crypto::x25519_from_secret(recipient).pub;
  Json creds = Json::object();
  creds["dsn"] = "postgresql://u" + draw_text(kAlnum, 1, 8) + ":p@db.example/" + draw_text(kAlnum, 1, 8);
  const Json in = {{"recipient_public", codec::hex_encode(pub)}, {"plaintext", json::dump(creds)},
                   {"ephemeral_private", draw_hex(32, 32)},     {"nonce", draw_hex(12, 12)},
                   {"aad_mode", *rc::gen::elementOf(std::vector<std::string>{"seed", "platform_api"})}};
  p.same("credential_transfer_encrypt", in, {"encrypted_data", "ephemeral_public_key"});
}

// §8.4 receiver: a response the reference encrypted decrypts to the same credentials; with one
// bit of the ciphertext flipped it is refused as the reference refuses it.
void credential_round_trip(ShimProbe& p) {
  const auto recipient = draw_bytes(32, 32);
  const auto pub = crypto::x25519_from_secret(recipient).pub;
  const std::string plain = json::dump(Json{{"dsn", "postgresql://u:p@db.example/" + draw_text(kAlnum, 1, 12)}});
  const auto e_sk = draw_bytes(32, 32);
  const auto nonce = draw_bytes(12, 12);
  const std::string mode = *rc::gen::elementOf(std::vector<std::string>{"seed", "platform_api"});
  auto enc = credentials::encrypt_credentials_with(pub, as_bytes(plain), e_sk,
                                                   nonce,
                                                   mode == "seed" ? credentials::AadMode::seed : credentials::AadMode::platform_api);
  if (!enc) RC_DISCARD("a low-order ephemeral key");
  const std::string challenge_id = "6f1c2e3a-1b2c-4d5e-8f90-" + draw_text("0123456789abcdef", 12, 12);
  Json in = {{"response", credentials::build_credential_response(*enc, challenge_id)}, {"recipient_private", codec::hex_encode(recipient)},
             {"aad_mode", mode}};
  if (p.same("credential_transfer_decrypt", in, {"credentials"}).kind != ShimAnswer::Kind::ok)
    p.fail("credential_transfer_decrypt refused a response the reference encrypted");
  const auto bit = *rc::gen::inRange<std::size_t>(0, enc->encrypted_data.size() * 8);
  enc->encrypted_data = flip(enc->encrypted_data, bit);
  in["response"] = credentials::build_credential_response(*enc, challenge_id);
  must_refuse(p, "credential_transfer_decrypt", in, "a credential response with bit " + std::to_string(bit) + " of its ciphertext flipped");
}

// §6.5: encrypted request bodies (both ciphers) are the reference's, open to their plaintext, and
// one changed character of the body text is judged as the reference judges it.
void body_round_trip(ShimProbe& p) {
  const Json in = {{"key", draw_hex(32, 32)}, {"nonce", draw_hex(12, 12)}, {"plaintext", draw_hex(0, 200)},
                   {"cipher", *rc::gen::elementOf(std::vector<std::string>{"ietf", "sdk_xchacha"})}};
  p.same("body_encrypt", in, {"body"});
  std::string body = text_member(p.reference("body_encrypt", in), "body");
  Json open = {{"key", in["key"]}, {"body", body}, {"cipher", in["cipher"]}};
  p.same("body_decrypt", open, {"plaintext"});
  if (body.empty()) return;
  const auto i = *rc::gen::inRange<std::size_t>(0, body.size());
  body[i] = body[i] == 'A' ? 'B' : 'A';
  open["body"] = body;
  p.same("body_decrypt", open, {"plaintext"});
}

// §9.3-§9.6 with mock quotes: the SUT parses a reference mock quote to the same fields, replays its
// event log to the same RTMRs and accepts it for its nonce; with one byte changed (at a field edge
// or anywhere; the mock signature resealed or not) it is accepted or refused as the reference does.
void mock_quote_checks(ShimProbe& p) {
  const std::string nonce = draw_hex(32, 32);
  const ShimAnswer mock = p.reference("mock_quote", {{"nonce", nonce}});
  const std::string quote = text_member(mock, "quote");
  const Json log = mock.result.value("event_log", Json(nullptr));
  p.same("quote_parse", {{"quote", quote}},
         {"version", "tee_type", "user_data", "mr_td", "rtmr0", "rtmr1", "rtmr2", "rtmr3", "report_data", "debug"});
  if (log.is_string()) p.same("event_log_replay", {{"event_log", log}}, {"rtmr0", "rtmr1", "rtmr2", "rtmr3"});
  auto bytes = bytes_of(quote);
  Json check = {{"quote_b64", codec::b64_encode(bytes)}, {"event_log", log}, {"nonce", nonce}, {"local_env", "dev"}, {"mode", "mock"}};
  // hardened also binds the session key into report_data[32:64] (§3.4), which mock_quote leaves zero.
  if (p.same("quote_verify_peer", check, {}).kind != ShimAnswer::Kind::ok && p.profile() != Profile::hardened)
    p.fail("quote_verify_peer refused the reference's mock quote for its own nonce");
  using namespace tdx;
  const std::vector<std::size_t> edges = {kOffVersion, kOffTeeType, kOffUserData, kOffUserData + 19, kOffMrTd, kOffRtmr[3],
                                          kOffRtmr[3] + 47, kOffReportData, kOffReportData + 31, kOffReportData + 32,
                                          kOffReportData + 63, kOffSigData, kOffSigData + 63};
  const std::size_t at = *rc::gen::arbitrary<bool>() ? *rc::gen::elementOf(edges) : *rc::gen::inRange<std::size_t>(0, bytes.size());
  bytes[at] = static_cast<std::uint8_t>(bytes[at] ^ *rc::gen::inRange(1, 256));
  if (at < kOffSigDataLen && *rc::gen::arbitrary<bool>()) reseal_mock_signature(bytes);
  check["quote_b64"] = codec::b64_encode(bytes);
  p.same("quote_verify_peer", check, {});
}

}  // namespace

const std::vector<ShimProperty>& shim_properties() {
  static const std::vector<ShimProperty> all = {
      {"P-KX.x25519", "§0.4", "x25519 of random keys equals the reference's", {"x25519"}, x25519_agrees},
      {"P-KX.session-key", "§4", "the §4 session key (hardened: per direction) of random keys and salt equals the reference's", {"ws_session_key"},
       session_key_agrees},
      {"P-KX.hkdf", "§0.4", "HKDF-SHA256 of random ikm, salt, info and size equals the reference's", {"hkdf_sha256"}, hkdf_agrees},
      {"P-AEAD.round-trip", "§0.4", "ChaCha20-Poly1305 seals as the reference, opens, refuses any flipped bit",
       {"aead_encrypt", "aead_decrypt"}, aead_round_trip},
      {"P-ENV.seal-open", "§5.1, §5.3", "envelopes equal the reference's and open to the sealed plaintext",
       {"envelope_seal", "envelope_open"}, envelope_seal_open},
      {"P-ENV.bit-flip", "§5.3 R5", "an envelope with one bit of nonce or ciphertext flipped is refused", {"envelope_open"},
       envelope_bit_flip},
      {"P-ENV.replay", "§5.3 R6", "a frame repeated after up to 9 others is delivered or refused as the reference",
       {"channel_receive"}, channel_replay},
      {"P-ENV.enc", "§5.3 R3", "envelopes with other enc spellings are delivered or refused as the reference",
       {"channel_receive"}, channel_enc_member},
      {"P-SIG.headers", "§6.2, §6.3", "signed-request headers equal the reference's (Ed25519 is deterministic)",
       {"signed_request_sign"}, signed_request_headers},
      {"P-SIG.tamper", "§6.4", "a signed request verifies; one changed byte of body, target or a header is refused",
       {"signed_request_verify"}, signed_request_tamper},
      {"P-SIG.window", "§6.4 V2", "correctly signed requests around the timestamp window are judged as the reference",
       {"signed_request_verify"}, signed_request_window},
      {"P-SIG.replay", "§6.4 V7", "a repeated signed request after up to 5 others is judged as the reference",
       {"signed_request_verify"}, signed_request_replay},
      {"P-SIG.nonce", "§6.4 V3", "correctly signed requests with any nonce are judged as the reference",
       {"signed_request_verify"}, signed_request_nonce},
      {"P-SIG.key-encoding", "§6.4 V5", "X-Public-Key in other base64 spellings is judged as the reference",
       {"signed_request_verify"}, signed_request_key_encoding},
      {"P-SEAL.open", "§8.2", "sealed boxes open to their message; one flipped bit is refused", {"sealed_box_open"},
       sealed_box_open},
      {"P-TOK.verify", "§7.2", "issued MinerTokens verify to their token_info; one changed character as the reference",
       {"miner_token_verify"}, miner_token_verify},
      {"P-TOK.rules", "§7.1, §7.2", "signed tokens around every claim and header rule are judged as the reference",
       {"miner_token_verify"}, miner_token_rules},
      {"P-CRED.round-trip", "§8.4", "credential responses decrypt as the reference; one flipped bit is refused",
       {"credential_transfer_decrypt"}, credential_round_trip},
      {"P-BODY.round-trip", "§6.5", "encrypted bodies equal the reference's, open, and a changed character is judged as the reference",
       {"body_encrypt", "body_decrypt"}, body_round_trip},
      {"P-QUOTE.mock", "§9.3-§9.6", "mock quotes parse, replay and verify as the reference; one changed byte is judged as the reference",
       {"quote_parse", "event_log_replay", "quote_verify_peer"}, mock_quote_checks},
      {"P-B64.decode", "§0.3", "canonical base64 decodes to its bytes; other text as the reference in the profile",
       {"b64_decode"}, b64_decode_agrees},
      {"P-CRED.transfer", "§8.4", "credential transfer encrypts exactly as the reference", {"credential_transfer_encrypt"},
       credential_transfer},
  };
  return all;
}

}  // namespace pnc::conf::campaign
