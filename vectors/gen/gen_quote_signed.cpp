// quote_signed_test.json: signed-mode TDX quotes (PROTOCOL.md §3.7 step 3, §9.2) made by
// pnc::mock_tdx: valid quotes in dev and prod, one case per named fault of the mock-tdx registry
// that applies to signed mode (§12.9 N-Q-01..15, §12.4 N-HS-08..17, the signature / QE report /
// chain faults of §3.7-3), certificate-validity boundaries at injected times, and valid quotes
// checked against Intel's SGX root, which must fail. Expected results come from the spec rules
// written below (expect_for); the generator then asks mock_tdx::judge (the reference's verdict)
// and fails when it disagrees, so the file can never hold a result the rules do not give.
#include <algorithm>
#include <string>

#include "common.hpp"
#include "pnc/attestation.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/faults.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_signed.hpp"

namespace pnc::vectors {
namespace {

namespace mt = pnc::mock_tdx;

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

std::vector<std::string> split(std::string_view spec) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < spec.size()) {
    const std::size_t j = std::min(spec.find(' ', i), spec.size());
    if (j > i && spec[i] != '[') out.emplace_back(spec.substr(i, j - i));  // "[HARD]" is a tag, not an id
    i = j + 1;
  }
  return out;
}

// The file's flag for a fault (one per failure class).
std::string flag_for(const mt::FaultInfo& f) {
  const std::string_view n = f.name;
  const std::string_view d = f.signed_quote->detail;
  if (d == std::string_view(tdx::kSigChainParse)) return "ChainEncoding";  // before "truncate"
  if (n == "append-byte") return "TrailingBytes";
  if (has(n, "truncate") || n == "sig-len-plus-1") return "Truncated";
  if (has(n, "version") || has(n, "tee-type") || has(n, "att-key-type") || n == "qe-vendor") return "BadHeader";
  if (has(n, "sig-len") || has(n, "cert-") || has(n, "size")) return "BadSizes";
  if (n == "seam-attributes") return "SeamAttributes";
  if (has(n, "nonce")) return "NonceBinding";
  if (n == "key-binding-garbage") return "KeyBinding";
  if (n == "mock-marker" || n == "debug-bit") return "ProdPolicy";
  if (has(n, "rtmr") || has(n, "event")) return "EventLog";
  if (has(n, "env")) return "Environment";
  if (d == std::string_view(tdx::kSigQuote)) return "QuoteSignature";
  if (d == std::string_view(tdx::kSigBadAttestKey)) return "AttestationKey";
  if (d == std::string_view(tdx::kSigQeReport)) return "QeReportSignature";
  if (d == std::string_view(tdx::kSigQeBinding)) return "QeReportBinding";
  if (d == std::string_view(tdx::kSigCertExpired) || d == std::string_view(tdx::kSigCertNotYetValid))
    return "CertificateValidity";
  return "UntrustedChain";
}

// Expected verdicts from the spec. Strict profiles (§3.7 steps 1-6 + §9.5): every fault rejects,
// except where §12.9 gives seed-spec a choice: N-Q-10 is [SEED] accept; N-Q-14 is a SHOULD and
// N-Q-15 / the [HARD] payload rule bind only hardened, so seed-spec is "acceptable" there.
// sdk-compat (§3.7 [COMPAT], D-06): quote >= 1024 bytes, SHA256(N) at 568/576/584, environment
// read from an object log only (§3.8: a dstack array gives "undefined", which passes, D-08); no
// structure, signature or chain check.
Expect expect_for(const mt::FaultInfo& f, std::size_t quote_size) {
  const std::string_view n = f.name;
  Expect e;
  if (f.profile == Profile::hardened)
    e = has(f.spec, "N-Q-10") ? Expect{"valid", "valid", "invalid"} : Expect{"acceptable", "valid", "invalid"};
  else
    e = invalid();
  const bool compat_rejects = quote_size < 1024 || n == "nonce-other" || n == "nonce-http-style" ||
                              n == "env-object" || n == "env-dev-mode-flag";
  if (f.profile != Profile::hardened) e.compat = compat_rejects ? "invalid" : "valid";
  return e;
}

Bytes zeros32() { return Bytes(32, 0); }

}  // namespace

VectorFile gen_quote_signed(const Golden& g) {
  VectorFile f("quote_signed_test.json", "PNC-TDX-SIGNED-QUOTE", "pnc_quote_signed_schema_v1.json",
               {"Signed-mode TDX DCAP v4 quotes (PROTOCOL.md §3.7 step 3, §9.2) with real ECDSA P-256 signature",
                "data, made by pnc::mock_tdx (mock PCK PKI, deterministic): the attestation key signs header||body,",
                "the QE report binds SHA256(attestation key || QE auth data) and is signed by the PCK leaf, whose",
                "PEM chain leaf -> platform CA -> root is in the certification data. Verify: VerifyPeerQuote in prod",
                "mode (base64 of `quote`, `eventLog`, `nonce`, `localEnv`, [HARD] `keyBinding`), its DCAP step",
                "trusting only the group's `rootCaPem` with certificate validity checked at `now` (Unix seconds,",
                "the injected clock), then in strict profiles `rtmrs` against the quote (§9.5). `reason` is the",
                "expected rejection code under profile `reasonProfile`; `detail` is what the signed-quote check",
                "alone (structure, signatures, chain, DEBUG) returns for the quote (\"\" = it accepts); neither",
                "is binding where the result under `reasonProfile` is acceptable. `fault`",
                "is the mock-tdx fault name (null for unmodified quotes). These are mock keys: never trust them."});
  f.note("Valid", "BASIC", "An unmodified signed quote with a good chain, at a time inside every certificate's window.",
         "Genuine quotes are refused.");
  f.note("Truncated", "EDGE_CASE", "Shorter than the header, body or signature data says (N-Q-01, N-Q-06, N-HS-08).",
         "Out-of-bounds reads.");
  f.note("TrailingBytes", "MALLEABILITY", "Non-zero bytes after the signature data (N-Q-02; zero padding is valid, DEC-30).", "Several encodings of one quote exist.");
  f.note("BadHeader", "MODIFIED_PARAMETER", "Version, TEE type, key type or QE vendor not TDX v4 / ECDSA P-256 / Intel (N-Q-03..05).",
         "Non-TDX evidence is accepted as TDX.");
  f.note("BadSizes", "EDGE_CASE", "S, M or A inconsistent, or a wrong certification data type (N-Q-06, N-Q-07).",
         "Out-of-bounds reads while parsing.");
  f.note("SeamAttributes", "MODIFIED_PARAMETER", "SEAMATTRIBUTES non-zero (N-Q-08).", "A non-TDX-1.0 module is accepted.");
  f.note("NonceBinding", "AUTH_BYPASS", "REPORTDATA[0:32] is not SHA256(N) (N-HS-09..12, N-Q-09).", "Replayed quotes are accepted.");
  f.note("KeyBinding", "AUTH_BYPASS", "[HARD] REPORTDATA[32:64] is not the expected key binding (N-Q-10).",
         "A man in the middle can swap the key exchange.");
  f.note("ProdPolicy", "AUTH_BYPASS", "A validly signed quote carrying the mock marker or the DEBUG bit (N-HS-16, N-Q-11, N-Q-12).",
         "Debuggable or mock TDs pass as production.");
  f.note("EventLog", "MISSING_STEP", "Event log or rtmrs not consistent with the quote's RTMR3 (N-Q-14, N-Q-15, §9.5 [HARD]).",
         "Unmeasured event-log payloads (environment, compose hash) are trusted.");
  f.note("Environment", "MISSING_STEP", "Environment-mode isolation of §3.8 (N-HS-13..15).", "A dev peer joins a prod network.");
  f.note("QuoteSignature", "AUTH_BYPASS", "Header and body not signed by the attestation key (N-HS-17, §3.7-3).",
         "Any quote body can be forged.");
  f.note("AttestationKey", "MODIFIED_PARAMETER", "The attestation key is not a P-256 point (§3.7-3).",
         "Invalid-curve keys are used for verification.");
  f.note("QeReportSignature", "AUTH_BYPASS", "The QE report is not signed by the PCK leaf (§3.7-3).",
         "An attestation key not certified by the platform is trusted.");
  f.note("QeReportBinding", "MISSING_STEP", "QE report_data is not SHA256(attestation key || QE auth data) || 0^32 (§3.7-3).",
         "Any attestation key can be paired with a genuine QE report.");
  f.note("CertificateValidity", "MISSING_STEP", "A PCK chain certificate outside its validity window at `now` (§3.7-3).",
         "Expired or not-yet-valid platform certificates are trusted.");
  f.note("UntrustedChain", "AUTH_BYPASS", "The PCK chain does not verify to the configured root (§3.7-3).",
         "Quotes from untrusted or forged platforms are accepted.");
  f.note("ChainEncoding", "EDGE_CASE", "Certification data that is not a PEM certificate list (§3.7-3).",
         "Parser confusion or a crash on hostile chains.");
  f.note("ValidityBoundary", "EDGE_CASE",
         "`now` on a certificate validity boundary. RFC 5280 §4.1.2.5 makes notAfter inclusive, OpenSSL's "
         "X509_verify_cert treats it as expired: that instant is acceptable.",
         "Off-by-one in certificate validity.");
  f.note("IntelRoot", "AUTH_BYPASS",
         "A mock-signed quote verified against Intel's SGX Root CA only: the chain ends in the mock root, so a "
         "production verifier must refuse it (§3.7-3).",
         "Mock platforms pass as Intel hardware.");

  const Bytes v3_nonce = g.h("V3", "nonce_hex");
  const std::string mock_root = mt::mock_root_ca().pem;
  const std::string intel_root(tdx::intel_sgx_root_ca_pem());
  check(!mock_root.empty() && has(intel_root, "BEGIN CERTIFICATE"), "root CA PEMs");

  // One case: evidence for `req`, verdicts checked against the reference (mock_tdx::judge).
  auto add = [&](const Case& c, const mt::QuoteRequest& req, const std::string& root, std::int64_t now,
                 const std::string& reason, const std::string& detail, const std::string& reason_profile) {
    auto ev = mt::make_evidence(req);
    if (!ev) {
      fail("make_evidence " + req.fault + ": " + ev.error().message);
      return;
    }
    const std::pair<Profile, const std::string*> verdicts[] = {
        {Profile::seed_spec, &c.expect.seed}, {Profile::sdk_compat, &c.expect.compat}, {Profile::hardened, &c.expect.hard}};
    for (const auto& [p, want] : verdicts) {
      if (*want == "acceptable") continue;
      mt::JudgeOptions o;
      o.profile = p;
      o.now = now;
      o.roots_pem = std::vector<std::string>{root};
      const Status s = mt::judge(req, *ev, o);
      check(s.ok() == (*want == "valid"), "signed quote '" + c.comment + "' under " + std::string(to_string(p)) +
                                               ": reference " + (s.ok() ? "accepts" : "rejects: " + s.error().code));
      if (!s.ok() && std::string(to_string(p)) == reason_profile)
        check(s.error().code == reason, "signed quote '" + c.comment + "': code " + s.error().code + " != " + reason);
    }
    const Bytes kb = req.params.key_binding ? Bytes(req.params.key_binding->begin(), req.params.key_binding->end()) : zeros32();
    f.add(c, {{"fault", req.fault.empty() ? OJson(nullptr) : OJson(req.fault)},
              {"quote", hex(ev->quote)},
              {"eventLog", ev->event_log ? OJson(*ev->event_log) : OJson(nullptr)},
              {"rtmrs", ev->rtmrs.is_object() ? OJson::parse(ev->rtmrs.dump()) : OJson(nullptr)},
              {"nonce", hex(*req.nonce)},
              {"localEnv", req.params.env_mode},
              {"keyBinding", hex(kb)},
              {"now", now},
              {"reason", reason},
              {"reasonProfile", reason_profile},
              {"detail", detail}});
  };
  auto request = [&](const std::string& env, const Bytes& nonce, const std::string& fault = {}) {
    mt::QuoteRequest r;
    r.mode = mt::Mode::signed_quote;
    r.nonce = nonce;
    r.params.env_mode = env;
    r.fault = fault;
    return r;
  };
  DeterministicRng rng(std::uint64_t{0x5197ed});
  const Bytes other_nonce = rng.bytes(32);
  const std::string seed = "seed-spec";

  // ---------------- Mock root: valid quotes, every signed-mode fault, validity boundaries ----------------
  f.group("SignedQuoteVerify", {{"rootCa", "mock"}, {"rootCaPem", mock_root}});
  add({"valid signed quote, dev, V3 nonce", {"Valid"}, {"§3.7", "§9.2"}}, request("dev", v3_nonce), mock_root,
      mt::kReferenceTime, "", "", seed);
  add({"valid signed quote, prod, V3 nonce", {"Valid"}, {"§3.7", "§3.8", "§9.2"}}, request("prod", v3_nonce), mock_root,
      mt::kReferenceTime, "", "", seed);
  add({"valid signed quote, dev, another nonce", {"Valid"}, {"§3.7", "§9.2"}}, request("dev", other_nonce), mock_root,
      mt::kReferenceTime, "", "", seed);
  add({"valid signed quote, prod, another nonce", {"Valid"}, {"§3.7", "§3.8", "§9.2"}}, request("prod", other_nonce),
      mock_root, mt::kReferenceTime, "", "", seed);
  {
    auto r = request("prod", v3_nonce);
    ByteArray<32> kb{};
    for (std::size_t i = 0; i < 32; ++i) kb[i] = static_cast<std::uint8_t>(0xb0 + i);
    r.params.key_binding = kb;
    add({"[HARD] valid signed quote with the expected key binding", {"Valid"}, {"§3.4", "N-Q-10"}}, r, mock_root,
        mt::kReferenceTime, "", "", seed);
  }
  std::size_t faults = 0;
  for (const auto& fi : mt::fault_registry()) {
    if (!fi.signed_quote) continue;
    const std::string env = fi.requires_env ? std::string(*fi.requires_env) : "dev";
    const auto probe = mt::make_evidence(request(env, v3_nonce, std::string(fi.name)));
    if (!probe) {
      fail("fault " + std::string(fi.name) + ": " + probe.error().message);
      continue;
    }
    Case c{std::string(fi.name) + ": " + std::string(fi.description), {flag_for(fi)}, split(fi.spec),
           expect_for(fi, probe->quote.size())};
    add(c, request(env, v3_nonce, std::string(fi.name)), mock_root, mt::kReferenceTime, std::string(fi.signed_quote->code),
        std::string(fi.signed_quote->detail), std::string(to_string(fi.profile)));
    ++faults;
  }
  check(faults >= 50, "signed-mode faults in the registry: " + std::to_string(faults));

  // Certificate validity at the injected time (every normal certificate: kPkiNotBefore..kPkiNotAfter).
  const Expect dcap_reject{"invalid", "valid", "invalid"};  // sdk-compat runs no DCAP check (D-06)
  const std::string dcap = attest_errc::kDcap;
  add({"now = notBefore of every certificate (2025-01-01T00:00:00Z)", {"ValidityBoundary"}, {"§3.7-3"}},
      request("dev", v3_nonce), mock_root, mt::kPkiNotBefore, "", "", seed);
  add({"now = notBefore - 1 s: chain not yet valid", {"CertificateValidity"}, {"§3.7-3"}, dcap_reject},
      request("dev", v3_nonce), mock_root, mt::kPkiNotBefore - 1, dcap, tdx::kSigCertNotYetValid, seed);
  add({"now = notAfter - 1 s (2049-12-31T23:59:58Z)", {"ValidityBoundary"}, {"§3.7-3"}}, request("dev", v3_nonce),
      mock_root, mt::kPkiNotAfter - 1, "", "", seed);
  add({"now = notAfter (RFC 5280 inclusive, OpenSSL expired)", {"ValidityBoundary"}, {"§3.7-3"},
       {"acceptable", "valid", "acceptable"}},
      request("dev", v3_nonce), mock_root, mt::kPkiNotAfter, dcap, tdx::kSigCertExpired, seed);
  add({"now = notAfter + 1 s: chain expired", {"CertificateValidity"}, {"§3.7-3"}, dcap_reject}, request("dev", v3_nonce),
      mock_root, mt::kPkiNotAfter + 1, dcap, tdx::kSigCertExpired, seed);
  add({"PCK leaf valid only from 2040-01-01, checked at that instant", {"ValidityBoundary"}, {"§3.7-3"}},
      request("dev", v3_nonce, "pck-not-yet-valid"), mock_root, mt::kFutureNotBefore, "", "", seed);

  // ---------------- Intel's SGX root: the mock chain must not verify ----------------
  f.group("SignedQuoteVerify", {{"rootCa", "intel-sgx"}, {"rootCaPem", intel_root}});
  for (const char* env : {"dev", "prod"})
    add({std::string("valid mock-signed quote, ") + env + ", verified against Intel's SGX root", {"IntelRoot"},
         {"§3.7-3", "§9.2"}, dcap_reject},
        request(env, v3_nonce), intel_root, mt::kReferenceTime, dcap, tdx::kSigChainUntrusted, seed);
  add({"valid mock-signed quote at notBefore, verified against Intel's SGX root", {"IntelRoot"}, {"§3.7-3"}, dcap_reject},
      request("dev", other_nonce), intel_root, mt::kPkiNotBefore, dcap, tdx::kSigChainUntrusted, seed);
  return f;
}

}  // namespace pnc::vectors
