// ClientHandshake: the validator / platform-api side, PROTOCOL.md §3.6 C0-C5.
//
// sdk-compat models the validator (VAL @73399fa) where it is a conformance target: the mock-mode
// waiver, no low-order check (D-33), the late chal_x25519_pub decode and its own-log annotation.
// VAL's acceptance of a server attestation_ok (D-32) is a security bug the spec leaves out of
// conformance, so every profile aborts on it.
#include <utility>

#include "handshake/common.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_verify.hpp"

namespace pnc::handshake {

using detail::FailureSpec;

ClientHandshake::ClientHandshake(ClientConfig config, Rng& rng, QuoteProvider* own_quotes)
    : config_(std::move(config)), rng_(rng), own_quotes_(own_quotes) {}

bool ClientHandshake::deadline_applies() const {
  return is_strict(config_.profile) && !testing::active(config_.faults).no_deadline;
}

std::optional<envelope::Channel> ClientHandshake::take_session() {
  std::optional<envelope::Channel> out = std::move(session_);
  session_.reset();
  return out;
}

// send_reject: strict profiles send attestation_reject; reject_in_compat: compat does too.
Step ClientHandshake::fail(const char* code, std::string message, InStrict in_strict,
                           std::uint16_t strict_code, InCompat in_compat) {
  FailureSpec spec{code, std::move(message)};
  spec.strict_close = strict_code;
  spec.strict_reject = in_strict == InStrict::reject_then_close;
  spec.compat_reject = in_compat == InCompat::reject_then_close;
  state_ = ClientState::closed;
  val_sk_.wipe();
  return detail::failure(config_.profile, std::move(spec));
}

Step ClientHandshake::start() {
  if (state_ != ClientState::init) return Step{{}, {}, make_error(kFinished, "already started"), {}, {}, false};
  const Profile profile = config_.profile;
  const bool strict = is_strict(profile);

  // C1: N and the ephemeral key pair.
  nonce_ = rng_.bytes(32);
  auto kp = crypto::x25519_keypair(rng_);
  val_sk_ = std::move(kp.secret);
  val_pub_ = kp.pub;

  json::Json begin = {{"type", "attestation_begin"},
                      {"nonce", codec::hex_encode(nonce_)},
                      {"val_x25519_pub", codec::b64_encode(val_pub_)}};
  if (own_quotes_ != nullptr) {
    // The validator's own quote: report_data[0:32] = SHA256(N) ([HARD] [32:64] binds val_pub).
    std::optional<ByteArray<32>> binding;
    if (profile == Profile::hardened) binding = key_binding_validator(val_pub_);
    auto evidence = own_quotes_->get_quote(
        detail::own_report_data(nonce_, binding, testing::active(config_.faults)));
    Evidence ev;
    if (evidence && !evidence->quote.empty()) {
      ev = std::move(*evidence);
    } else if (!strict && config_.mode == AttestationMode::mock) {
      ev = tdx::val_mock_quote(nonce_, config_.validator_hotkey, rng_);  // VALIDATOR_MOCK_VMM
    } else {
      Step s = fail(kQuoteUnavailable, "own quote unavailable", InStrict::close_silently, kCloseInternal);
      if (!evidence) s.cause = evidence.error();
      return s;
    }
    begin["val_quote"] = codec::b64_encode(ev.quote);
    if (!strict) ev.event_log = detail::annotate_validator_log(ev.event_log, config_.env_mode);
    if (ev.event_log) begin["val_event_log"] = *ev.event_log;
    if (!ev.rtmrs.is_null()) begin["val_rtmrs"] = ev.rtmrs;
  }
  if (config_.platform_api_id) begin["platform_api_id"] = *config_.platform_api_id;

  // C2.
  state_ = ClientState::sent_begin;
  Step step;
  step.send.push_back(json::dump(begin));
  return step;
}

Step ClientHandshake::on_binary() {
  if (state_ != ClientState::sent_begin)
    return Step{{}, {}, make_error(state_ == ClientState::init ? kNotStarted : kFinished, "no handshake in progress"), {}, {}, false};
  if (!is_strict(config_.profile) || testing::active(config_.faults).ignore_binary_frames)
    return Step{};  // VAL/API skip non-text frames
  return fail(kBinaryFrame, "binary frame during handshake", InStrict::close_silently, kCloseUnsupportedData);
}

Step ClientHandshake::on_timeout() {
  if (!deadline_applies() || state_ != ClientState::sent_begin) return Step{};
  return fail(kDeadline, "handshake deadline expired", InStrict::close_silently, kClosePolicy);
}

Step ClientHandshake::on_text(std::string_view frame) {
  if (state_ != ClientState::sent_begin)
    return Step{{}, {}, make_error(state_ == ClientState::init ? kNotStarted : kFinished, "no handshake in progress"), {}, {}, false};
  const Profile profile = config_.profile;
  if (detail::too_large(profile, frame.size())) {
    state_ = ClientState::closed;
    val_sk_.wipe();
    return detail::failure(profile, FailureSpec{kTooLarge, "handshake frame too large", kCloseTooBig,
                                                InStrict::close_silently, InCompat::close_silently, kCloseTooBig});
  }
  auto doc = json::parse(frame, profile);
  if (!doc) return fail(kBadJson, "invalid JSON", InStrict::reject_then_close, kCloseInvalidPayload);
  const std::string type = detail::type_of(*doc);
  if (type == "attestation_reject") {
    state_ = ClientState::closed;
    val_sk_.wipe();
    auto reason = json::get_string(*doc, "reason");
    return detail::failure(profile, FailureSpec{kPeerRejected, reason ? *reason : "attestation_reject",
                                                kCloseNormal, InStrict::close_silently, InCompat::close_silently});
  }
  // C3: anything but attestation_response (server attestation_ok included, D-32) aborts.
  if (type != "attestation_response")
    return fail(kUnexpectedMessage, "unexpected message before attestation_response", InStrict::reject_then_close, kClosePolicy);
  return on_response(*doc);
}

Step ClientHandshake::on_response(const json::Json& msg) {
  const Profile profile = config_.profile;
  const bool strict = is_strict(profile);
  const bool mock = config_.mode == AttestationMode::mock;
  const auto& faults = testing::active(config_.faults);

  // C4.1: quote.
  auto quote = json::get_string(msg, "quote");
  if (!quote) return fail(kMissingQuote, "attestation_response without quote", InStrict::reject_then_close, kClosePolicy);
  // C4.2: chal_x25519_pub ([COMPAT] VAL decodes it only after verification, then aborts silently).
  auto pub_text = json::get_string(msg, "chal_x25519_pub");
  Result<Bytes> chal_pub = pub_text ? codec::b64_decode_exact(*pub_text, crypto::kX25519Bytes, profile)
                                    : Result<Bytes>(make_error(kBadChalPub, "missing chal_x25519_pub"));
  if (strict && !chal_pub) return fail(kBadChalPub, "invalid chal_x25519_pub", InStrict::reject_then_close, kClosePolicy);

  // C4.3-5: VerifyPeerQuote, environment, compose hash.
  auto event_log = detail::event_log_member(msg, "event_log", profile);
  if (!event_log) return fail(kBadEventLog, event_log.error().message, InStrict::reject_then_close, kClosePolicy);
  PeerQuoteCheck check;
  check.profile = profile;
  check.mode = config_.mode;
  check.quote_b64 = *quote;
  check.event_log = detail::peer_event_log(*event_log, faults);
  check.nonce = nonce_;
  check.local_env = config_.env_mode;
  if (profile == Profile::hardened) check.key_binding = key_binding_challenge(val_pub_, *chal_pub);
  check.expected_compose_hash = config_.expected_compose_hash;
  check.dcap = config_.dcap;
  check.faults = &faults.quote;
  Step step;
  Status verdict = detail::run_verifier(config_.verifier, check);
  if (!verdict) {
    tdx::CompatFlags flags;
    flags.validator_mock_vmm = mock;
    if (tdx::compat_waives(profile, tdx::CompatVerifier::validator_client, flags, verdict.error())) {
      step.waived.push_back(verdict.error());  // [COMPAT] VALIDATOR_MOCK_VMM: quote failures only
    } else {
      Step s = fail(kPeerQuoteRejected, verdict.error().message, InStrict::reject_then_close, kClosePolicy, InCompat::reject_then_close);
      s.cause = verdict.error();
      return s;
    }
  }
  if (!chal_pub) return fail(kBadChalPub, "invalid chal_x25519_pub", InStrict::reject_then_close, kClosePolicy);

  // C4.6: shared secret; [SEED] all-zero aborts, [COMPAT] x25519-dalek has no check (D-33).
  auto shared = detail::shared_secret(val_sk_.view(), *chal_pub, !strict || faults.accept_all_zero_shared);
  if (!shared) {
    Step s = fail(kLowOrderKey, "key exchange failed", InStrict::reject_then_close, kClosePolicy);
    s.cause = shared.error();
    return s;
  }

  // C4.7 + C5.
  const bool directional = profile == Profile::hardened;
  Secret<32> salt;
  rng_.fill(salt.span());
  session_ = detail::derive_session(profile, *shared, salt.view(), directional, /*server_side=*/false,
                                    faults, config_.envelope_faults);
  val_sk_.wipe();
  json::Json ok = {{"type", "attestation_ok"},
                   {"aead", std::string(directional ? kAeadDirectional : kAead)},
                   {"hkdf_salt", codec::b64_encode(salt.view())}};
  state_ = ClientState::encrypted;
  step.send.push_back(json::dump(ok));
  step.established = true;
  return step;
}

}  // namespace pnc::handshake
