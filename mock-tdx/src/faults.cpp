// The fault registry (faults.hpp): each fault's description, spec case, expectations and the
// hooks that produce it (build.hpp), plus judge().
#include "pnc/mock_tdx/faults.hpp"

#include <algorithm>

#include "build.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "pnc/tdx_verify.hpp"

namespace pnc::mock_tdx {
namespace {

using detail::Draft;
using detail::Hooks;
using detail::SignPlan;
using tdx::QuoteV4;

struct FaultDef {
  FaultInfo info;
  Hooks hooks;
};

// ---- Expectations ----
Expectation too_short() { return {attest_errc::kTooShort, tdx::kTruncated}; }
Expectation structure(std::string_view parser_code) { return {attest_errc::kStructure, parser_code}; }
Expectation plain(std::string_view code) { return {code, ""}; }
Expectation dcap(std::string_view sig_code) { return {attest_errc::kDcap, sig_code}; }

// ---- Byte helpers for the final-bytes stage (offsets of §9.2) ----
constexpr std::size_t kSd = tdx::kOffSigData;  // 636

std::uint32_t rd16(const Bytes& b, std::size_t off) { return static_cast<std::uint32_t>(b[off] | (b[off + 1] << 8)); }
std::uint32_t rd32(const Bytes& b, std::size_t off) {
  return static_cast<std::uint32_t>(b[off]) | static_cast<std::uint32_t>(b[off + 1]) << 8 |
         static_cast<std::uint32_t>(b[off + 2]) << 16 | static_cast<std::uint32_t>(b[off + 3]) << 24;
}
void wr16(Bytes& b, std::size_t off, std::uint32_t v) {
  b[off] = static_cast<std::uint8_t>(v);
  b[off + 1] = static_cast<std::uint8_t>(v >> 8);
}
void wr32(Bytes& b, std::size_t off, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t sig_len(const Bytes& b) { return rd32(b, tdx::kOffSigDataLen); }
std::size_t inner_type_at(const Bytes& b) { return kSd + tdx::kRelQeAuthData + rd16(b, kSd + tdx::kRelQeAuthSize); }

// ---- Hook builders ----
Hooks on_bytes(std::function<void(Bytes&)> f) {
  Hooks h;
  h.bytes = std::move(f);
  return h;
}
Hooks on_quote(std::function<void(QuoteV4&, const Draft&)> f) {
  Hooks h;
  h.quote = std::move(f);
  return h;
}
Hooks on_sign(std::function<void(SignPlan&)> f) {
  Hooks h;
  h.sign = std::move(f);
  return h;
}
Hooks on_events(std::function<void(std::vector<tdx::Event>&, const Draft&)> f) {
  Hooks h;
  h.events = std::move(f);
  return h;
}
Hooks on_evidence(std::function<void(Evidence&, const std::vector<tdx::Event>&, const Draft&)> f) {
  Hooks h;
  h.evidence = std::move(f);
  return h;
}
Hooks truncate_to(std::size_t n) {
  return on_bytes([n](Bytes& b) { b.resize(std::min(n, b.size())); });
}
Hooks chain(ChainVariant v) {
  return on_sign([v](SignPlan& p) { p.chain = v; });
}
// REPORTDATA = the request's 32 bound bytes at body offset `shift` (568 + shift absolute), rest zero.
Hooks nonce_at(std::size_t shift) {
  return on_quote([shift](QuoteV4& q, const Draft& d) {
    q.report_data = {};
    std::copy_n(d.report_data.begin(), 32, q.report_data.begin() + static_cast<std::ptrdiff_t>(shift));
  });
}
std::string other_env(const Draft& d) { return d.request.params.env_mode == "dev" ? "prod" : "dev"; }

std::vector<FaultDef> build_registry() {
  std::vector<FaultDef> v;
  auto add = [&v](std::string_view name, std::string_view spec, std::string_view description,
                  std::optional<Expectation> mock, std::optional<Expectation> sig, Hooks hooks,
                  Profile profile = Profile::seed_spec) -> FaultInfo& {
    FaultDef d;
    d.info.name = name;
    d.info.spec = spec;
    d.info.description = description;
    d.info.mock = mock;
    d.info.signed_quote = sig;
    d.info.profile = profile;
    d.hooks = std::move(hooks);
    v.push_back(std::move(d));
    return v.back().info;
  };
  auto both = [&add](std::string_view name, std::string_view spec, std::string_view description, Expectation e,
                     Hooks hooks, Profile profile = Profile::seed_spec) -> FaultInfo& {
    return add(name, spec, description, e, e, std::move(hooks), profile);
  };
  const std::nullopt_t none = std::nullopt;

  // ---- Structure (§9.3, §12.9 N-Q-01..08, N-HS-08) ----
  both("truncate-47", "N-Q-01", "quote cut to 47 bytes (inside the header)", too_short(), truncate_to(47));
  both("truncate-48", "N-Q-01", "quote cut to 48 bytes (the header alone)", too_short(), truncate_to(48));
  both("truncate-631", "N-Q-01", "quote cut to 631 bytes (REPORTDATA one byte short)", too_short(), truncate_to(631));
  both("truncate-632", "N-Q-01", "quote cut to 632 bytes (header and body, no length)", too_short(), truncate_to(632));
  both("truncate-635", "N-Q-01", "quote cut to 635 bytes (signature data length cut)", too_short(), truncate_to(635));
  both("truncate-636", "N-Q-01", "quote cut to 636 bytes (length present, no signature data)", too_short(),
       truncate_to(636));
  both("truncate-end-1", "N-Q-01", "last byte removed (636 + S - 1 bytes)", too_short(),
       on_bytes([](Bytes& b) { b.pop_back(); }));
  both("truncate-1023", "N-HS-08", "quote cut to 1023 bytes", too_short(), truncate_to(1023));
  both("append-byte", "N-Q-02", "one non-zero byte appended after the signature data (zero padding is valid, DEC-30)",
       structure(tdx::kTrailingBytes), on_bytes([](Bytes& b) { b.push_back(0x01); }));
  both("version-3", "N-Q-03", "header version 3", structure(tdx::kBadVersion),
       on_quote([](QuoteV4& q, const Draft&) { q.version = 3; }));
  both("version-5", "N-Q-03", "header version 5 over the v4 layout (TEE_TCB_SVN read as body type 0)",
       structure(tdx::kBadBodyType), on_bytes([](Bytes& b) { wr16(b, tdx::kOffVersion, 5); }));
  both("version-ffff", "N-Q-03", "header version 0xFFFF", structure(tdx::kBadVersion),
       on_quote([](QuoteV4& q, const Draft&) { q.version = 0xffff; }));
  both("tee-type-sgx", "N-Q-04", "TEE type 0 (SGX)", structure(tdx::kBadTeeType),
       on_quote([](QuoteV4& q, const Draft&) { q.tee_type = 0; }));
  both("tee-type-80", "N-Q-04", "TEE type 0x80", structure(tdx::kBadTeeType),
       on_quote([](QuoteV4& q, const Draft&) { q.tee_type = 0x80; }));
  both("att-key-type-3", "N-Q-05", "attestation key type 3 (ECDSA P-384)", structure(tdx::kBadKeyType),
       on_quote([](QuoteV4& q, const Draft&) { q.att_key_type = 3; }));
  both("qe-vendor", "§9.3-2", "QE vendor id all zero instead of Intel's", structure(tdx::kBadQeVendor),
       on_quote([](QuoteV4& q, const Draft&) { q.qe_vendor_id = {}; }));
  both("sig-len-plus-1", "N-Q-06", "signature data length S one larger than the bytes present", too_short(),
       on_bytes([](Bytes& b) { wr32(b, tdx::kOffSigDataLen, static_cast<std::uint32_t>(b.size() - 635)); }));
  both("sig-len-0", "N-Q-06", "signature data length S = 0", structure(tdx::kBadSigLen),
       on_bytes([](Bytes& b) { wr32(b, tdx::kOffSigDataLen, 0); }));
  both("sig-len-max", "N-Q-06", "signature data length S = 2^32 - 1", structure(tdx::kBadSigLen),
       on_bytes([](Bytes& b) { wr32(b, tdx::kOffSigDataLen, 0xffffffffu); }));
  both("cert-type-5", "N-Q-07", "outer certification data type 5 instead of 6", structure(tdx::kBadCertType),
       on_bytes([](Bytes& b) { wr16(b, kSd + tdx::kRelCertType, tdx::kCertTypePckChain); }));
  both("inner-cert-type-6", "N-Q-07", "inner certification data type 6 instead of 5",
       structure(tdx::kBadInnerCertType),
       on_bytes([](Bytes& b) { wr16(b, inner_type_at(b), tdx::kCertTypeQeReport); }));
  both("cert-size-plus-1", "N-Q-07", "certification data size M one too large", structure(tdx::kBadCertSize),
       on_bytes([](Bytes& b) { wr32(b, kSd + tdx::kRelCertSize, rd32(b, kSd + tdx::kRelCertSize) + 1); }));
  both("cert-size-minus-1", "N-Q-07", "certification data size M one too small", structure(tdx::kBadCertSize),
       on_bytes([](Bytes& b) { wr32(b, kSd + tdx::kRelCertSize, rd32(b, kSd + tdx::kRelCertSize) - 1); }));
  both("qe-auth-size-overflow", "N-Q-07", "QE auth data size A one byte larger than what fits",
       structure(tdx::kBadQeAuthSize), on_bytes([](Bytes& b) {
         wr16(b, kSd + tdx::kRelQeAuthSize, sig_len(b) - static_cast<std::uint32_t>(tdx::kRelQeAuthData) - 6 + 1);
       }));
  both("seam-attributes", "N-Q-08", "SEAMATTRIBUTES non-zero", structure(tdx::kSeamAttributes),
       on_quote([](QuoteV4& q, const Draft&) { q.seam_attributes[0] = 0x01; }));

  // ---- Binding (§3.4, §3.7 step 2; N-HS-09..12, N-Q-09, N-Q-10) ----
  both("nonce-other", "N-HS-09",
       "REPORTDATA binds another nonce (SHA256 of N with its last byte ^ 1; report-data: last bit flipped)",
       plain(attest_errc::kNonceBinding), on_quote([](QuoteV4& q, const Draft& d) {
         if (d.request.nonce && !d.request.nonce->empty()) {
           Bytes other = *d.request.nonce;
           other.back() ^= 0x01;
           const auto h = crypto::sha256(other);
           std::copy(h.begin(), h.end(), q.report_data.begin());
         } else {
           q.report_data[31] ^= 0x01;
         }
       }));
  both("nonce-at-584", "N-HS-10 N-Q-09", "the bound digest at 584 only (upstream mock layout), 568 zero",
       plain(attest_errc::kNonceBinding), nonce_at(16));
  both("nonce-at-576", "N-HS-11 N-Q-09", "the bound digest at 576 only, 568 zero", plain(attest_errc::kNonceBinding),
       nonce_at(8));
  both("nonce-http-style", "N-HS-12", "REPORTDATA[0:32] = SHA256(ASCII hex of N): HTTP binding on the WebSocket",
       plain(attest_errc::kNonceBinding), on_quote([](QuoteV4& q, const Draft& d) {
         const auto h = crypto::sha256(as_bytes(codec::hex_encode(*d.request.nonce)));
         std::copy(h.begin(), h.end(), q.report_data.begin());
       }))
      .needs_nonce = true;
  both("key-binding-garbage", "N-Q-10", "REPORTDATA[32:64] garbage (complement of the expected key binding)",
       plain(attest_errc::kKeyBinding), on_quote([](QuoteV4& q, const Draft& d) {
         for (std::size_t i = 32; i < 64; ++i) q.report_data[i] = static_cast<std::uint8_t>(~d.report_data[i]);
       }),
       Profile::hardened);

  // ---- Mock signature, mock marker, DEBUG (§9.6, §3.7 steps 3-4; N-HS-16/17, N-Q-11..13) ----
  add("mock-sig-zero", "N-Q-13", "mock signature field zeroed", plain(attest_errc::kMockSignature), none,
      on_bytes([](Bytes& b) { std::fill_n(b.begin() + kSd, 64, std::uint8_t{0}); }));
  add("body-flip", "N-HS-17", "one MRTD byte flipped after the quote was sealed / signed",
      plain(attest_errc::kMockSignature), dcap(tdx::kSigQuote), on_bytes([](Bytes& b) { b[tdx::kOffMrTd] ^= 0x01; }));
  add("quote-sig-corrupt", "§3.7-3 §3.7-4", "one bit of the quote signature field (r) flipped",
      plain(attest_errc::kMockSignature), dcap(tdx::kSigQuote), on_bytes([](Bytes& b) { b[kSd] ^= 0x01; }));
  add("no-mock-marker", "§9.6", "user_data zeroed: a mock quote without the mock marker",
      plain(attest_errc::kNotMock), none, on_quote([](QuoteV4& q, const Draft&) { q.user_data = {}; }));
  add("mock-marker", "N-HS-16 N-Q-12", "validly signed quote carrying the mock marker", none,
      Expectation{attest_errc::kMockMarkerInProd, tdx::kSigMockMarker}, on_quote([](QuoteV4& q, const Draft&) {
        std::copy(tdx::kMockMarker.begin(), tdx::kMockMarker.end(), q.user_data.begin());
      }));
  add("debug-bit", "N-Q-11", "TDATTRIBUTES.DEBUG set (validly signed)", none,
      Expectation{attest_errc::kDebugTd, tdx::kSigDebug},
      on_quote([](QuoteV4& q, const Draft&) { q.td_attributes[0] |= tdx::kTdAttrDebugBit; }));

  // ---- Event log, RTMRs, environment (§9.5, §3.8; N-Q-14/15, N-HS-13..15) ----
  both("rtmr3-quote", "N-Q-14", "quote RTMR3 differs from the event-log replay (rtmrs follows the quote)",
       plain(attest_errc::kRtmrMismatch),
       on_quote([](QuoteV4& q, const Draft&) { q.rtmr[tdx::kRuntimeImr][0] ^= 0x01; }), Profile::hardened);
  both("rtmrs-json", "N-Q-14", "rtmrs.rtmr3 differs from the quote's RTMR3", plain(attest_errc::kRtmrMismatch),
       on_evidence([](Evidence& ev, const std::vector<tdx::Event>&, const Draft&) {
         std::string h = ev.rtmrs["rtmr3"].get<std::string>();
         h[0] = h[0] == '0' ? '1' : '0';
         ev.rtmrs["rtmr3"] = h;
       }),
       Profile::hardened);
  both("event-digest", "N-Q-15", "digest of the first event altered in the log (replay mismatch)",
       plain(attest_errc::kRtmrMismatch), on_evidence([](Evidence& ev, const std::vector<tdx::Event>& events, const Draft&) {
         auto altered = events;
         altered.front().digest[0] ^= 0x01;
         ev.event_log = tdx::event_log_json(altered);
       }),
       Profile::hardened);
  both("event-payload", "§9.5 [HARD]", "compose-hash payload altered, digest kept (replay still matches)",
       plain(tdx::kEventDigest), on_evidence([](Evidence& ev, const std::vector<tdx::Event>& events, const Draft&) {
         auto altered = events;
         for (auto& e : altered)
           if (e.event == "compose-hash" && !e.payload.empty()) e.payload[0] ^= 0x01;
         ev.event_log = tdx::event_log_json(altered);
       }),
       Profile::hardened);
  both("env-mismatch", "N-HS-13", "environment-mode event names the other environment (measured)",
       plain(attest_errc::kEnvMismatch), on_events([](std::vector<tdx::Event>& events, const Draft& d) {
         for (auto& e : events)
           if (e.event == "environment-mode") e = tdx::runtime_event("environment-mode", as_bytes(other_env(d)));
       }));
  both("env-object", "N-HS-13", "event log {\"environment_mode\": <the other environment>}",
       plain(attest_errc::kEnvMismatch), on_evidence([](Evidence& ev, const std::vector<tdx::Event>&, const Draft& d) {
         ev.event_log = "{\"environment_mode\":\"" + other_env(d) + "\"}";
       }));
  both("env-dev-mode-flag", "N-HS-14", "event log {\"dev_mode\": true} while the verifier is prod",
       plain(attest_errc::kEnvMismatch), on_evidence([](Evidence& ev, const std::vector<tdx::Event>&, const Draft&) {
         ev.event_log = "{\"dev_mode\":true}";
       }))
      .requires_env = "prod";
  add("env-missing", "N-HS-15", "no environment-mode event in the (measured) log", none,
      plain(attest_errc::kEnvMissing), on_events([](std::vector<tdx::Event>& events, const Draft&) {
        std::erase_if(events, [](const tdx::Event& e) { return e.event == "environment-mode"; });
      }));

  // ---- Signed mode: signatures and QE report (§9.2, §3.7 step 3) ----
  add("quote-sig-wrong-key", "§3.7-3", "header and body signed by a key other than the attestation key", none,
      dcap(tdx::kSigQuote), on_sign([](SignPlan& p) { p.quote_signer_label = "not-the-attestation-key"; }));
  add("att-key-off-curve", "§3.7-3", "attestation key field not a P-256 point (bound and signed anyway)", none,
      dcap(tdx::kSigBadAttestKey), on_sign([](SignPlan& p) {
        auto xy = P256Key::from_label(p.ak_label).public_xy();
        xy[63] ^= 0x01;  // y + 1 (or - 1): off the curve
        p.ak_field = xy;
      }));
  add("qe-report-binding", "§3.7-3", "QE auth data changed after the QE report bound it", none,
      dcap(tdx::kSigQeBinding), on_sign([](SignPlan& p) {
        p.after_qe_binding = [](QuoteV4& q) { q.qe_auth_data[0] ^= 0x01; };
      }));
  add("qe-report-data-upper", "§3.7-3", "QE report_data[32:64] not zero (signed)", none, dcap(tdx::kSigQeBinding),
      on_sign([](SignPlan& p) { p.after_qe_binding = [](QuoteV4& q) { q.qe_report[383] = 0x01; }; }));
  add("qe-report-sig-corrupt", "§3.7-3", "one bit of the QE report signature flipped", none,
      dcap(tdx::kSigQeReport), on_bytes([](Bytes& b) { b[kSd + tdx::kRelQeReportSig] ^= 0x01; }));
  add("qe-report-wrong-signer", "§3.7-3", "QE report signed by the attestation key, not the PCK leaf", none,
      dcap(tdx::kSigQeReport), on_sign([](SignPlan& p) { p.qe_signer_label = kAttestationKeyLabel; }));
  add("qe-report-flip", "§3.7-3", "QE report ISVSVN byte flipped after signing", none, dcap(tdx::kSigQeReport),
      on_bytes([](Bytes& b) { b[kSd + tdx::kRelQeReport + 258] ^= 0x01; }));

  // ---- Signed mode: PCK certificate chain ----
  add("pck-expired", "§3.7-3", "PCK leaf expired (valid 2020-01-01 .. 2024-12-31)", none, dcap(tdx::kSigCertExpired),
      chain(ChainVariant::leaf_expired));
  add("pck-not-yet-valid", "§3.7-3", "PCK leaf not yet valid (from 2040-01-01)", none,
      dcap(tdx::kSigCertNotYetValid), chain(ChainVariant::leaf_not_yet_valid));
  add("intermediate-expired", "§3.7-3", "PCK platform CA expired (valid 2020-01-01 .. 2024-12-31)", none,
      dcap(tdx::kSigCertExpired), chain(ChainVariant::intermediate_expired));
  add("chain-wrong-root", "§3.7-3", "chain anchored in an impostor root that has the mock root's name", none,
      dcap(tdx::kSigChainUntrusted), chain(ChainVariant::wrong_root));
  add("chain-missing-intermediate", "§3.7-3", "chain of PCK leaf and root only", none,
      dcap(tdx::kSigChainUntrusted), chain(ChainVariant::missing_intermediate));
  add("pck-forged", "§3.7-3", "PCK leaf naming the platform CA as issuer, signed by another key", none,
      dcap(tdx::kSigChainUntrusted), chain(ChainVariant::forged_leaf));
  add("intermediate-not-ca", "§3.7-3", "platform CA with basicConstraints CA:FALSE", none,
      dcap(tdx::kSigChainUntrusted), chain(ChainVariant::intermediate_not_ca));
  add("chain-garbage", "§3.7-3", "certification data that is not PEM", none, dcap(tdx::kSigChainParse),
      on_sign([](SignPlan& p) { p.chain_bytes = to_bytes("PNC-MOCK-PCK-CHAIN"); }));
  add("chain-empty", "§3.7-3", "empty certification data (P = 0)", none, dcap(tdx::kSigChainParse),
      on_sign([](SignPlan& p) { p.chain_bytes = Bytes{}; }));
  add("chain-truncated", "§3.7-3", "PEM chain cut in the middle of the leaf certificate", none,
      dcap(tdx::kSigChainParse), on_sign([](SignPlan& p) {
        const std::string pem = pck_chain_pem();
        p.chain_bytes = to_bytes(pem.substr(0, mock_pck_leaf().pem.size() / 2));
      }));
  return v;
}

const std::vector<FaultDef>& defs() {
  static const std::vector<FaultDef> d = build_registry();
  return d;
}

}  // namespace

namespace detail {
const Hooks& fault_hooks(std::size_t index) { return defs().at(index).hooks; }
}  // namespace detail

const std::vector<FaultInfo>& fault_registry() {
  static const std::vector<FaultInfo> infos = [] {
    std::vector<FaultInfo> out;
    for (const auto& d : defs()) out.push_back(d.info);
    return out;
  }();
  return infos;
}

const FaultInfo* find_fault(std::string_view name) {
  const auto& r = fault_registry();
  const auto it = std::find_if(r.begin(), r.end(), [name](const FaultInfo& f) { return f.name == name; });
  return it == r.end() ? nullptr : &*it;
}

std::string fault_registry_json() {
  using OJson = nlohmann::ordered_json;
  OJson out = OJson::array();
  for (const auto& f : fault_registry()) {
    OJson modes = OJson::object();
    for (Mode m : {Mode::mock, Mode::signed_quote})
      if (auto e = f.expectation(m))
        modes[std::string(to_string(m))] = OJson{{"code", std::string(e->code)}, {"detail", std::string(e->detail)}};
    out.push_back(OJson{{"name", std::string(f.name)},
                        {"description", std::string(f.description)},
                        {"spec", std::string(f.spec)},
                        {"profile", std::string(to_string(f.profile))},
                        {"modes", modes},
                        {"needs_nonce", f.needs_nonce},
                        {"requires_env", f.requires_env ? OJson(std::string(*f.requires_env)) : OJson(nullptr)}});
  }
  return out.dump(2, ' ', false, OJson::error_handler_t::replace);
}

Status judge(const QuoteRequest& request, const Evidence& evidence, const JudgeOptions& options) {
  if (!request.nonce) return make_error(kBadBinding, "judge needs the request's nonce");
  FixedClock clock(options.now);
  tdx::SignedQuoteConfig config;
  config.trusted_roots_pem = options.roots_pem ? *options.roots_pem : std::vector<std::string>{mock_root_ca().pem};
  config.clock = &clock;
  config.profile = options.profile;
  tdx::SignedQuoteVerifier dcap_verifier(std::move(config));

  const std::string quote_b64 = codec::b64_encode(evidence.quote);
  PeerQuoteCheck check;
  check.profile = options.profile;
  check.mode = request.mode == Mode::mock ? AttestationMode::mock : AttestationMode::prod;
  check.quote_b64 = quote_b64;
  check.event_log = evidence.event_log;
  check.nonce = *request.nonce;
  check.local_env = request.params.env_mode;
  check.key_binding = request.params.key_binding ? *request.params.key_binding : ByteArray<32>{};
  check.dcap = &dcap_verifier;
  if (auto s = verify_peer_quote(check); !s) return s;

  // §9.5: rtmrs SHOULD (seed-spec) / MUST (hardened) match the quote.
  if (is_strict(options.profile) && evidence.rtmrs.is_object()) {
    auto q = tdx::parse_quote(evidence.quote, options.profile);
    if (q)
      if (auto s = tdx::check_rtmrs(evidence.rtmrs, *q); !s) return s;
  }
  return {};
}

}  // namespace pnc::mock_tdx
