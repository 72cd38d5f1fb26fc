// §3.7 VerifyPeerQuote and §3.8 environment isolation, plus the report_data helpers of
// attestation.hpp. The function reports the first failing check with a precise code; waivers
// (sdk-compat D-06) are decided by the caller through compat_waives().
#include <algorithm>
#include <string>

#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/secret.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_verify.hpp"
#include "pnc/testing/faults.hpp"

namespace pnc {

std::string_view to_string(AttestationMode m) {
  return m == AttestationMode::prod ? "prod" : "mock";
}

ByteArray<64> ws_report_data(ByteView nonce, const std::optional<ByteArray<32>>& binding) {
  ByteArray<64> rd{};
  const auto digest = crypto::sha256(nonce);
  std::copy(digest.begin(), digest.end(), rd.begin());
  if (binding) std::copy(binding->begin(), binding->end(), rd.begin() + 32);
  return rd;
}

namespace {
ByteArray<32> kx_binding(ByteView a, ByteView b) {
  Bytes msg = to_bytes("pnc-kx-v1");
  msg.insert(msg.end(), a.begin(), a.end());
  msg.insert(msg.end(), b.begin(), b.end());
  return crypto::sha256(msg);
}
}  // namespace

ByteArray<32> key_binding_challenge(ByteView val_pub, ByteView chal_pub) { return kx_binding(val_pub, chal_pub); }
ByteArray<32> key_binding_validator(ByteView val_pub) { return kx_binding(val_pub, {}); }

ByteArray<64> http_report_data(std::string_view nonce_text) {
  return ws_report_data(as_bytes(nonce_text));  // SHA256 of the ASCII text, upper half zero
}

namespace {

// Base64 text of the largest accepted quote: anything longer cannot decode to <= 65536 bytes.
constexpr std::size_t kMaxQuoteB64 = (tdx::kMaxQuoteSize + 2) / 3 * 4;

// ASCII case-insensitive equality (the env_mode_case_insensitive fault's comparison).
bool iequals(std::string_view a, std::string_view b) {
  auto lower = [](char ch) { return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

Status environment_verdict(const PeerQuoteCheck& c, const std::optional<std::string>& peer) {
  if (peer) {
    const bool same = testing::active(c.faults).env_mode_case_insensitive ? iequals(*peer, c.local_env) : *peer == c.local_env;
    if (!same)
      return make_error(attest_errc::kEnvMismatch,
                        "Environment mismatch: peer " + *peer + ", local " + c.local_env);
    return {};
  }
  // D-08: undefined passes in sdk-compat and in mock mode; strict prod requires it.
  if (is_strict(c.profile) && c.mode == AttestationMode::prod)
    return make_error(attest_errc::kEnvMissing, "peer event log carries no environment mode");
  return {};
}

Status check_environment(const PeerQuoteCheck& c) {
  return environment_verdict(c, c.event_log ? tdx::extract_env_mode(*c.event_log, c.profile) : std::nullopt);
}

Status verify_compat(const PeerQuoteCheck& c, ByteView digest) {
  auto q = codec::b64_decode(c.quote_b64, Profile::sdk_compat);
  if (!q) return make_error(attest_errc::kBadEncoding, "quote: " + q.error().message);
  if (q->size() < tdx::kCompatMinPeerQuote)
    return make_error(attest_errc::kTooShort, "Validator quote too short: " + std::to_string(q->size()) +
                                                  " bytes (minimum 1024)");
  if (!tdx::compat_nonce_match(*q, digest))
    return make_error(attest_errc::kNonceBinding, "nonce binding failed at 568/576/584");
  if (auto s = check_environment(c); !s) return s;
  if (c.expected_compose_hash)
    if (auto s = tdx::check_compose_hash(c.event_log, *c.expected_compose_hash, c.profile); !s) return s;
  return {};
}

// The peer's event log parsed once (seed-spec/hardened): the RTMR replay, the environment and
// the compose-hash checks all read this one document.
struct ParsedLog {
  std::optional<Result<nlohmann::json>> doc;              // nullopt: no event log
  std::optional<Result<std::vector<tdx::Event>>> events;  // when doc is a JSON document
  explicit ParsedLog(const PeerQuoteCheck& c) {
    if (!c.event_log) return;
    doc.emplace(json::parse(*c.event_log, c.profile));
    if (*doc) events.emplace(tdx::events_from_json(**doc));
  }
};

// Event log integrity against the quote's RTMR3 (§9.5, N-Q-14/15). seed-spec checks a log that
// is a JSON array (SHOULD); hardened requires a replayable dstack log and V1-consistent
// runtime-event digests (MUST), so that the payloads read by §3.8 / §9.5 are measured.
Status check_event_log(const PeerQuoteCheck& c, const tdx::QuoteV4& quote, const ParsedLog& log) {
  const bool hardened = c.profile == Profile::hardened;
  if (!log.doc) {
    if (hardened) return make_error(attest_errc::kRtmrMismatch, "no event log to replay");
    return {};
  }
  // The errors of tdx::parse_event_log (the size was checked by the caller).
  if (!*log.doc) {
    if (hardened)
      return make_error(attest_errc::kRtmrMismatch,
                        "event log not replayable: event log: " + log.doc->error().message);
    return {};  // seed-spec: non-JSON logs carry no measurements to compare
  }
  const auto& events = *log.events;
  if (!events) {
    const auto& code = events.error().code;
    if (hardened || code == tdx::kLogBadEvent)
      return make_error(attest_errc::kRtmrMismatch, "event log not replayable: " + events.error().message);
    return {};  // seed-spec: object logs carry no measurements to compare
  }
  const std::size_t compared = testing::active(c.faults).rtmr3_prefix_47 ? 47 : 48;
  if (auto s = tdx::check_rtmr3_replay(*events, quote, compared); !s) return s;
  if (hardened && !tdx::runtime_digests_consistent(*events))
    return make_error(tdx::kEventDigest, "a runtime event digest does not match its payload");
  return {};
}

// check_environment on the parsed log: tdx::extract_env_mode of the same document.
Status check_environment(const PeerQuoteCheck& c, const ParsedLog& log) {
  std::optional<std::string> peer;
  if (log.doc && *log.doc) peer = tdx::extract_env_mode_json(**log.doc, c.profile, &*log.events);
  return environment_verdict(c, peer);
}

Status verify_strict(const PeerQuoteCheck& c, ByteView digest) {
  if (c.quote_b64.size() > kMaxQuoteB64)
    return make_error(attest_errc::kStructure, std::string(tdx::kTooLarge) + ": quote larger than 65536 bytes");
  // An empty quote never reaches the decoder (which hands libsodium a null buffer for it).
  if (c.quote_b64.empty()) return make_error(attest_errc::kTooShort, "empty quote");
  auto q = codec::b64_decode(c.quote_b64, c.profile);
  if (!q) return make_error(attest_errc::kBadEncoding, "quote: " + q.error().message);
  auto parsed = tdx::parse_quote(*q, c.profile);
  if (!parsed) {
    const auto& e = parsed.error();
    const char* code = e.code == tdx::kTruncated ? attest_errc::kTooShort : attest_errc::kStructure;
    return make_error(code, e.code + ": " + e.message);
  }
  const tdx::QuoteV4& quote = *parsed;

  // REPORTDATA from the parsed body only (568 for v4); 576/584 never count.
  if (!ct_equal(ByteView(quote.report_data).first(32), digest))
    return make_error(attest_errc::kNonceBinding, "nonce binding failed: REPORTDATA[0:32] != SHA256(N)");
  if (c.profile == Profile::hardened) {
    if (!c.key_binding) return make_error(tdx::kKeyBindingMissing, "hardened: no expected key binding given");
    if (!ct_equal(ByteView(quote.report_data).subspan(32, 32), *c.key_binding))
      return make_error(attest_errc::kKeyBinding, "key binding failed: REPORTDATA[32:64] mismatch");
  }

  if (c.mode == AttestationMode::prod) {
    if (tdx::has_mock_marker(quote)) return make_error(attest_errc::kMockMarkerInProd, "mock quote in prod mode");
    if (quote.debug() && !testing::active(c.faults).accept_debug_td)
      return make_error(attest_errc::kDebugTd, "TD_ATTRIBUTES.DEBUG is set");
    if (c.dcap == nullptr) return make_error(attest_errc::kDcap, "no DCAP verifier configured in prod mode");
    if (auto s = c.dcap->verify(*q); !s)
      return make_error(attest_errc::kDcap, "DCAP verification failed: " + s.error().code + ": " + s.error().message);
  } else {
    if (!tdx::has_mock_marker(quote)) return make_error(attest_errc::kNotMock, "mock mode: mock marker missing");
    if (!tdx::mock_signature_valid(*q, testing::active(c.faults).mock_signature_prefix_63 ? 63 : 64))
      return make_error(attest_errc::kMockSignature, "mock signature does not match Q[0:632)");
  }

  if (c.event_log && c.event_log->size() > tdx::kMaxEventLogBytes)
    return make_error(tdx::kEventLogTooLarge, "event log larger than 1 MiB");
  const ParsedLog log(c);
  if (auto s = check_event_log(c, quote, log); !s) return s;
  if (auto s = check_environment(c, log); !s) return s;
  if (c.expected_compose_hash) {
    if (log.doc && !*log.doc)
      return make_error(attest_errc::kComposeHash, "Compose hash mismatch: event log is not JSON");
    const nlohmann::json* doc = log.doc ? &**log.doc : nullptr;
    if (auto s = tdx::check_compose_hash(doc, *c.expected_compose_hash); !s) return s;
  }
  return {};
}

}  // namespace

Status verify_peer_quote(const PeerQuoteCheck& check) {
  const auto digest = crypto::sha256(check.nonce);
  return is_strict(check.profile) ? verify_strict(check, digest) : verify_compat(check, digest);
}

namespace tdx {

bool compat_nonce_match(ByteView quote, ByteView digest32) {
  if (digest32.size() != 32) return false;
  return std::any_of(kCompatOffsets.begin(), kCompatOffsets.end(), [&](std::size_t off) {
    return quote.size() >= off + 32 && ct_equal(quote.subspan(off, 32), digest32);
  });
}

bool compat_waives(Profile profile, CompatVerifier who, const CompatFlags& flags, const Error& failure) {
  if (is_strict(profile)) return false;
  const std::string& code = failure.code;
  const bool env_or_compose = code == attest_errc::kEnvMismatch || code == attest_errc::kEnvMissing ||
                              code == attest_errc::kComposeHash;
  switch (who) {
    case CompatVerifier::sdk_server:
      return flags.mock_attestation || (flags.sdk_dev_mode && code == attest_errc::kNonceBinding);
    case CompatVerifier::validator_client:
      return flags.validator_mock_vmm && !env_or_compose;
    case CompatVerifier::api_client:
      // API skips everything in dev mode and never checks the environment.
      return flags.api_dev || code == attest_errc::kEnvMismatch || code == attest_errc::kEnvMissing;
  }
  return false;
}

}  // namespace tdx
}  // namespace pnc
