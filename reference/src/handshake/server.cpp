// ServerHandshake: the challenge side, PROTOCOL.md §3.5 S0-S7.
#include <utility>

#include "handshake/common.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_verify.hpp"

namespace pnc::handshake {

using detail::FailureSpec;

ServerHandshake::ServerHandshake(ServerConfig config, Rng& rng, QuoteProvider& quotes)
    : config_(std::move(config)), rng_(rng), quotes_(quotes) {}

bool ServerHandshake::deadline_applies() const {
  return is_strict(config_.profile) && !testing::active(config_.faults).no_deadline;
}

std::optional<envelope::Channel> ServerHandshake::take_session() {
  std::optional<envelope::Channel> out = std::move(session_);
  session_.reset();
  return out;
}

Step ServerHandshake::fail(const char* code, std::string message, InCompat in_compat,
                           std::uint16_t strict_code, std::optional<std::string> reject_reason) {
  FailureSpec spec{code, reject_reason ? *reject_reason : std::move(message)};
  spec.strict_close = strict_code;
  spec.compat_reject = in_compat == InCompat::reject_then_close;
  state_ = ServerState::closed;
  chal_sk_.wipe();
  return detail::failure(config_.profile, std::move(spec));
}

Step ServerHandshake::on_binary() {
  if (state_ == ServerState::encrypted || state_ == ServerState::closed)
    return Step{{}, {}, make_error(kFinished, "handshake finished"), {}, {}, false};
  if (testing::active(config_.faults).ignore_binary_frames) return Step{};
  // [SEED] 1003 without a message; [COMPAT] the SDK's receive_text fails: the connection ends.
  state_ = ServerState::closed;
  chal_sk_.wipe();
  return detail::failure(config_.profile, FailureSpec{kBinaryFrame, "binary frame during handshake",
                                                      kCloseUnsupportedData, InStrict::close_silently, InCompat::close_silently});
}

Step ServerHandshake::on_timeout() {
  if (!deadline_applies() || state_ == ServerState::encrypted || state_ == ServerState::closed)
    return Step{};
  state_ = ServerState::closed;
  chal_sk_.wipe();
  return detail::failure(config_.profile,
                         FailureSpec{kDeadline, "handshake deadline expired", kClosePolicy, InStrict::close_silently});
}

Step ServerHandshake::on_text(std::string_view frame) {
  if (state_ == ServerState::encrypted || state_ == ServerState::closed)
    return Step{{}, {}, make_error(kFinished, "handshake finished"), {}, {}, false};
  if (detail::too_large(config_.profile, frame.size())) {
    state_ = ServerState::closed;
    chal_sk_.wipe();
    return detail::failure(config_.profile, FailureSpec{kTooLarge, "handshake frame too large",
                                                        kCloseTooBig, InStrict::close_silently, InCompat::close_silently, kCloseTooBig});
  }
  return state_ == ServerState::await_begin ? on_begin(frame) : on_ok(frame);
}

Step ServerHandshake::on_begin(std::string_view frame) {
  const Profile profile = config_.profile;
  const bool strict = is_strict(profile);
  const bool hardened = profile == Profile::hardened;
  const bool mock = config_.mode == AttestationMode::mock;
  const auto& faults = testing::active(config_.faults);

  // S1: text JSON object with type attestation_begin.
  auto doc = json::parse(frame, profile);
  if (!doc) return fail(kBadJson, "invalid JSON", InCompat::close_silently, kCloseInvalidPayload);
  const json::Json& msg = *doc;
  if (detail::type_of(msg) != "attestation_begin")
    return fail(kExpectedBegin, std::string(kReasonExpectedBegin), InCompat::close_silently, kClosePolicy);

  // S2: nonce and val_x25519_pub.
  if (!json::has(msg, "nonce")) return fail(kMissingField, "missing nonce", InCompat::close_silently, kClosePolicy);
  if (!json::has(msg, "val_x25519_pub"))
    return fail(kMissingField, "missing val_x25519_pub", InCompat::close_silently, kClosePolicy);
  auto nonce_text = json::get_string(msg, "nonce");
  if (!nonce_text) return fail(kBadNonce, "nonce must be a string", InCompat::close_silently, kClosePolicy);
  // [SEED] exactly 64 hex chars; [COMPAT] bytes.fromhex: any even length, spaces, even empty.
  auto nonce = strict ? codec::hex_decode_exact(*nonce_text, 32, profile)
                      : codec::hex_decode(*nonce_text, profile);
  if (!nonce) return fail(kBadNonce, "invalid nonce", InCompat::close_silently, kClosePolicy);
  nonce_ = std::move(*nonce);

  auto pub_text = json::get_string(msg, "val_x25519_pub");
  if (strict) {
    if (!pub_text) return fail(kBadValPub, "val_x25519_pub must be a string", InCompat::close_silently, kClosePolicy);
    auto pub = codec::b64_decode_exact(*pub_text, crypto::kX25519Bytes, profile);
    if (!pub) return fail(kBadValPub, "invalid val_x25519_pub", InCompat::close_silently, kClosePolicy);
    // The reject_high_bit_pub fault refuses what RFC 7748 masks (bit 255 of the u-coordinate).
    if (faults.reject_high_bit_pub && (pub->back() & 0x80) != 0)
      return fail(kBadValPub, "invalid val_x25519_pub", InCompat::close_silently, kClosePolicy);
    val_pub_ = std::move(*pub);
  } else if (pub_text) {
    val_pub_b64_ = *pub_text;  // [COMPAT] decoded only in S6, after the response went out
  }

  // S3: mutual attestation of the client's quote.
  std::optional<std::string> quote_b64;
  bool quote_malformed = false;
  if (auto it = msg.find("val_quote"); it != msg.end() && !it->is_null()) {
    if (it->is_string()) {
      if (!it->get_ref<const std::string&>().empty()) quote_b64 = it->get<std::string>();
    } else if (strict) {
      return fail(kBadValQuote, "val_quote must be a string", InCompat::reject_then_close, kClosePolicy);
    } else {
      quote_malformed = true;  // the SDK's decode raises: a verification failure
    }
  }
  auto event_log = detail::event_log_member(msg, "val_event_log", profile);
  if (!event_log) return fail(kBadEventLog, event_log.error().message, InCompat::reject_then_close, kClosePolicy);

  Step step;
  if (quote_b64 || quote_malformed) {
    Status verdict = make_error(kBadValQuote, "val_quote must be a string");
    if (quote_b64) {
      PeerQuoteCheck check;
      check.profile = profile;
      check.mode = config_.mode;
      check.quote_b64 = *quote_b64;
      check.event_log = detail::peer_event_log(*event_log, faults);
      check.nonce = nonce_;
      check.local_env = config_.env_mode;
      if (hardened) check.key_binding = key_binding_validator(val_pub_);
      check.expected_compose_hash = config_.expected_compose_hash;
      check.dcap = config_.dcap;
      check.faults = &faults.quote;
      verdict = detail::run_verifier(config_.verifier, check);
    }
    if (!verdict) {
      tdx::CompatFlags flags;
      flags.mock_attestation = mock;
      if (tdx::compat_waives(profile, tdx::CompatVerifier::sdk_server, flags, verdict.error())) {
        step.waived.push_back(verdict.error());  // [COMPAT] quirk: mock_attestation waives all
      } else {
        Step s = fail(kPeerQuoteRejected, verdict.error().message, InCompat::reject_then_close, kClosePolicy);
        s.cause = verdict.error();
        return s;
      }
    }
  } else if (!mock) {
    return fail(kValQuoteRequired, std::string(kReasonQuoteRequired), InCompat::reject_then_close, kClosePolicy);
  }

  // S4: own key pair and quote bound to N ([HARD] and to both public keys).
  auto kp = crypto::x25519_keypair(rng_);
  std::optional<ByteArray<32>> binding;
  if (hardened) binding = key_binding_challenge(val_pub_, kp.pub);
  auto evidence = quotes_.get_quote(detail::own_report_data(nonce_, binding, faults));
  Evidence ev;
  if (evidence && evidence->quote.size() >= kMinOwnQuoteBytes) {
    ev = std::move(*evidence);
  } else if (!strict && mock) {
    // [COMPAT] SDK fallback: random mock quote, annotated log, rtmrs {} (§9.6).
    tdx::SdkMockOptions options;
    options.compose_hash = config_.compose_hash;
    options.fallback = true;
    ev = tdx::sdk_mock_quote(nonce_, rng_, options);
  } else {
    // [SEED] reject + 1011; [COMPAT] silent close.
    Step s = fail(kQuoteUnavailable, "quote unavailable", InCompat::close_silently, kCloseInternal);
    if (!evidence) s.cause = evidence.error();
    return s;
  }
  // [COMPAT] annotate the log; [SEED] never edit it (RTMR3 must still replay).
  if (!strict || faults.annotate_own_event_log)
    ev.event_log = detail::annotate_server_log(ev.event_log, config_.env_mode);

  // S5: attestation_response.
  json::Json response = {
      {"type", "attestation_response"},
      {"quote", codec::b64_encode(ev.quote)},
      {"event_log", ev.event_log ? json::Json(*ev.event_log) : json::Json(nullptr)},
      {"rtmrs", ev.rtmrs.is_discarded() ? json::Json(nullptr) : ev.rtmrs},
      {"chal_x25519_pub", codec::b64_encode(kp.pub)},
  };
  chal_sk_ = std::move(kp.secret);
  state_ = ServerState::sent_response;
  step.send.push_back(json::dump(response));
  return step;
}

Step ServerHandshake::on_ok(std::string_view frame) {
  const Profile profile = config_.profile;
  const bool strict = is_strict(profile);
  const auto& faults = testing::active(config_.faults);

  // S6: text JSON attestation_ok with a salt.
  auto doc = json::parse(frame, profile);
  if (!doc) return fail(kBadJson, "invalid JSON", InCompat::close_silently, kCloseInvalidPayload);
  const json::Json& msg = *doc;
  const std::string type = detail::type_of(msg);
  if (type == "attestation_reject") {
    // The client rejected us (§3.10): closed, nothing sent back.
    state_ = ServerState::closed;
    chal_sk_.wipe();
    auto reason = json::get_string(msg, "reason");
    return detail::failure(profile, FailureSpec{kPeerRejected, reason ? *reason : "attestation_reject",
                                                kCloseNormal, InStrict::close_silently, InCompat::close_silently});
  }
  if (type != "attestation_ok") return fail(kExpectedOk, "expected attestation_ok", InCompat::close_silently, kClosePolicy);

  bool directional = false;
  if (strict) {
    auto aead = json::get_string(msg, "aead");
    // seed-spec: exactly "chacha20poly1305"; hardened: exactly the directional label.
    const std::string_view want = profile == Profile::hardened ? kAeadDirectional : kAead;
    const bool aead_ok = aead && (faults.aead_case_insensitive ? detail::iequals(*aead, want) : *aead == want);
    if (!faults.skip_aead_check && !aead_ok)
      return fail(kBadAead, "unsupported aead", InCompat::close_silently, kClosePolicy);
    directional = profile == Profile::hardened;
  }

  Bytes salt;
  if (strict) {
    if (!json::has(msg, "hkdf_salt")) return fail(kMissingSalt, "missing hkdf_salt", InCompat::close_silently, kClosePolicy);
    auto text = json::get_string(msg, "hkdf_salt");
    if (!text) return fail(kBadSalt, "hkdf_salt must be a string", InCompat::close_silently, kClosePolicy);
    if (text->empty()) return fail(kMissingSalt, "empty hkdf_salt", InCompat::close_silently, kClosePolicy);
    auto decoded = faults.skip_salt_length_check ? codec::b64_decode(*text, profile)
                                                 : codec::b64_decode_exact(*text, 32, profile);
    if (!decoded) return fail(kBadSalt, "hkdf_salt must be 32 bytes of base64", InCompat::close_silently, kClosePolicy);
    salt = std::move(*decoded);
  } else {
    // [COMPAT] hkdf_salt, else hkdf_salt_b64 (first truthy), any decoded length.
    const json::Json* chosen = nullptr;
    for (const char* name : {"hkdf_salt", "hkdf_salt_b64"}) {
      auto it = msg.find(name);
      if (it == msg.end() || it->is_null()) continue;
      if (it->is_string() && it->get_ref<const std::string&>().empty()) continue;
      chosen = &*it;
      break;
    }
    if (chosen == nullptr) return fail(kMissingSalt, "missing hkdf_salt", InCompat::close_silently, kClosePolicy);
    if (!chosen->is_string()) return fail(kBadSalt, "hkdf_salt must be a string", InCompat::close_silently, kClosePolicy);
    auto decoded = codec::b64_decode(chosen->get_ref<const std::string&>(), profile);
    if (!decoded) return fail(kBadSalt, "invalid hkdf_salt", InCompat::close_silently, kClosePolicy);
    salt = std::move(*decoded);
    // [COMPAT] the client key is only decoded now.
    if (!val_pub_b64_) return fail(kBadValPub, "invalid val_x25519_pub", InCompat::close_silently, kClosePolicy);
    auto pub = codec::b64_decode_exact(*val_pub_b64_, crypto::kX25519Bytes, profile);
    if (!pub) return fail(kBadValPub, "invalid val_x25519_pub", InCompat::close_silently, kClosePolicy);
    val_pub_ = std::move(*pub);
  }

  auto shared = detail::shared_secret(chal_sk_.view(), val_pub_, faults.accept_all_zero_shared);
  if (!shared) {
    Step s = fail(kLowOrderKey, "key exchange failed", InCompat::close_silently, kClosePolicy);
    s.cause = shared.error();
    return s;
  }
  session_ = detail::derive_session(profile, *shared, salt, directional, /*server_side=*/true,
                                    faults, config_.envelope_faults);
  chal_sk_.wipe();  // forward secrecy (§4): SEED MUST; harmless in COMPAT
  state_ = ServerState::encrypted;
  Step step;
  step.established = true;
  return step;
}

}  // namespace pnc::handshake
