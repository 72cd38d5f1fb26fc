#include "pnc/envelope.hpp"

#include <algorithm>
#include <utility>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/testing/faults.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::envelope {
namespace {

// JSON string escaping is never needed: the three values are fixed ASCII / base64 text.
std::string render(ByteView nonce, ByteView ciphertext) {
  std::string out;
  out.reserve(64 + ciphertext.size() * 4 / 3);
  out += R"({"enc":")";
  out += kEnc;
  out += R"(","nonce":")";
  out += codec::b64_encode(nonce);
  out += R"(","ciphertext":")";
  out += codec::b64_encode(ciphertext);
  out += R"("})";
  return out;
}

}  // namespace

Result<std::string> seal_with_nonce(ByteView key32, ByteView nonce12, std::string_view plaintext) {
  if (key32.size() != crypto::kAeadKeyBytes) return make_error(kBadKey, "envelope: key must be 32 bytes");
  if (nonce12.size() != kNonceBytes)
    return make_error(kInvalidEnvelope, "envelope: nonce must be 12 bytes");
  auto ct = crypto::aead_seal(key32, nonce12, as_bytes(plaintext));
  if (!ct) return ct.error();
  return render(nonce12, *ct);
}

Result<std::string> seal(ByteView key32, std::string_view plaintext, Rng& rng) {
  auto nonce = rng.bytes<kNonceBytes>();
  return seal_with_nonce(key32, nonce, plaintext);
}

namespace {

// R1-R5 of §5.3 in order; the plaintext is not parsed yet.
Result<Opened> open_authenticated(ByteView key32, std::string_view frame, Profile profile,
                                  const testing::EnvelopeFaults& faults) {
  if (key32.size() != crypto::kAeadKeyBytes) return make_error(kBadKey, "envelope: key must be 32 bytes");
  // R1: a JSON object (the lenient_envelope_json fault reads it with the last-wins reader).
  auto doc = json::parse_object(frame, faults.lenient_envelope_json ? Profile::sdk_compat : profile);
  if (!doc) return make_error(kNotJsonObject, "envelope: " + doc.error().message);
  // R2: the three members, as strings.
  auto enc = json::get_string(*doc, "enc");
  auto nonce_b64 = json::get_string(*doc, "nonce");
  auto ct_b64 = json::get_string(*doc, "ciphertext");
  for (const auto* r : {&enc, &nonce_b64, &ct_b64})
    if (!*r) return make_error(kMissingMember, "envelope: " + r->error().message);
  // R3: exact, case-sensitive label (the enc_prefix_compare fault: strncmp over the label's length).
  const bool enc_ok = faults.enc_prefix_compare ? enc->compare(0, kEnc.size(), kEnc) == 0 : *enc == kEnc;
  if (!enc_ok) return make_error(kUnsupportedEnc, "unsupported enc");
  // R4: both decoded, then both lengths checked together (as the SDK does).
  // (Every failure is the same invalid_envelope, so the fixed-size nonce decode may go first.)
  ByteArray<kNonceBytes> nonce{};
  const bool nonce_ok = static_cast<bool>(codec::b64_decode_into(*nonce_b64, nonce, profile));
  auto ct = codec::b64_decode(*ct_b64, profile);
  if (!nonce_ok || !ct || ct->size() < crypto::kAeadTagBytes)
    return make_error(kInvalidEnvelope, "invalid envelope");
  // R5: authenticate and decrypt (AAD empty).
  auto pt = crypto::aead_open(key32, nonce, *ct);
  if (!pt) return make_error(kAuthFailed, "envelope: authentication failed");
  Opened out;
  out.nonce = nonce;
  out.plaintext = to_string(*pt);
  return out;
}

// R7: a JSON object with a string `type` (sdk-compat: any object; correlation still happens).
Status parse_plaintext(Opened& opened, Profile profile) {
  auto msg = json::parse_object(opened.plaintext, profile);
  if (!msg) return make_error(kBadPlaintext, "envelope plaintext: " + msg.error().message);
  if (is_strict(profile)) {
    auto type = json::get_string(*msg, "type");
    if (!type) return make_error(kBadPlaintext, "envelope plaintext: " + type.error().message);
  }
  opened.message = std::move(*msg);
  return {};
}

}  // namespace

Result<Opened> open(ByteView key32, std::string_view frame, Profile profile) {
  auto opened = open_authenticated(key32, frame, profile, testing::active<testing::EnvelopeFaults>(nullptr));
  if (!opened) return opened;
  if (auto st = parse_plaintext(*opened, profile); !st) return st.error();
  return opened;
}

// ---- Channel ----

Channel::Channel(Profile profile, const Secret<32>& key, Options options)
    : profile_(profile), directional_(false), send_key_(key), recv_key_(key), options_(options) {}

Channel::Channel(Profile profile, const Secret<32>& send_key, const Secret<32>& recv_key,
                 Options options)
    : profile_(profile), directional_(true), send_key_(send_key), recv_key_(recv_key),
      options_(options) {}

Result<std::string> Channel::seal(std::string_view plaintext, Rng& rng) {
  if (closed_) return make_error(kClosed, "envelope: channel closed");
  const bool strict = is_strict(profile_);
  if (strict && count_ >= options_.max_envelopes)
    return make_error(kLimitReached, "envelope limit per key reached; close (1000) and reconnect");
  const auto& faults = testing::active(options_.faults);
  auto nonce = rng.bytes<kNonceBytes>();
  if (faults.reuse_send_nonce && !sent_.empty()) {
    nonce = *sent_.begin();  // fault: the one nonce sent so far, again
  } else {
    // Never send a nonce already used on this connection in either direction: the peer's
    // reflection check would (rightly) reject it. Random 96-bit nonces make this loop ~never run.
    while (strict && (sent_.count(nonce) != 0 || received_.count(nonce) != 0)) nonce = rng.bytes<kNonceBytes>();
  }
  auto out = seal_with_nonce(send_key_.view(), nonce, plaintext);
  if (!out) return out;
  ++count_;
  if (strict || faults.reuse_send_nonce) sent_.insert(nonce);
  return out;
}

Result<std::string> Channel::seal_json(const json::Json& message, Rng& rng) {
  return seal(json::dump(message), rng);
}

Outcome Channel::fail(Error error, std::uint16_t strict_code) {
  Outcome o;
  if (!is_strict(profile_)) {
    o.action = Outcome::Action::drop;  // [COMPAT] log and drop; the connection stays open
  } else {
    o.action = Outcome::Action::close;
    o.close = CloseFrame{strict_code, error.code};
    closed_ = true;
  }
  o.error = std::move(error);
  return o;
}

Outcome Channel::receive_text(std::string_view frame) {
  if (closed_) return Outcome{Outcome::Action::drop, {}, make_error(kClosed, "envelope: channel closed"), {}};
  if (frame.size() > kMaxFrameBytes) {
    // Every profile: uvicorn (compat) and §10 (seed) both close with 1009.
    closed_ = true;
    return Outcome{Outcome::Action::close, {}, make_error(kTooLarge, "frame larger than 16 MiB"),
                   CloseFrame{kCloseTooBig, kTooLarge}};
  }
  const bool strict = is_strict(profile_);
  if (strict && count_ >= options_.max_envelopes)
    return fail(make_error(kLimitReached, "envelope limit per key reached"), kCloseNormal);
  const auto& faults = testing::active(options_.faults);
  const std::uint16_t malformed_code = faults.malformed_closes_policy ? kClosePolicy : kCloseInvalidPayload;
  auto opened = open_authenticated(recv_key_.view(), frame, profile_, faults);
  if (!opened) {
    const bool malformed = opened.error().code == kNotJsonObject;
    return fail(opened.error(), malformed ? malformed_code : kClosePolicy);
  }
  if (strict) {
    // R6: exact sets, checked after authentication so forged frames cannot poison the cache.
    if (!faults.skip_replay_check && received_.count(opened->nonce) != 0)
      return fail(make_error(kReplay, "replayed envelope nonce"), kClosePolicy);
    if (!faults.skip_reflection_check && sent_.count(opened->nonce) != 0)
      return fail(make_error(kReflection, "reflected envelope (nonce sent by this endpoint)"),
                  kClosePolicy);
  }
  if (auto st = parse_plaintext(*opened, profile_); !st)
    return fail(st.error(), malformed_code);
  if (strict) {
    received_.insert(opened->nonce);
    if (faults.replay_cache_last_4) {  // fault: a bounded cache that forgets all but the 4 newest
      received_order_.push_back(opened->nonce);
      if (received_order_.size() > 4) {
        received_.erase(received_order_.front());
        received_order_.pop_front();
      }
    }
  }
  ++count_;
  Outcome o;
  o.action = Outcome::Action::deliver;
  o.opened = std::move(*opened);
  return o;
}

Outcome Channel::receive_binary() {
  if (closed_) return Outcome{Outcome::Action::drop, {}, make_error(kClosed, "envelope: channel closed"), {}};
  if (testing::active(options_.faults).ignore_binary_frames)
    return Outcome{Outcome::Action::drop, {}, make_error(kBinaryFrame, "binary frame ignored"), {}};
  return fail(make_error(kBinaryFrame, "binary frame"), kCloseUnsupportedData);
}

}  // namespace pnc::envelope
