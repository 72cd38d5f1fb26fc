// Verification of a v4 or v5 quote whose signature data is real ECDSA P-256 (PROTOCOL.md §3.7 step 3,
// §9.2): the path a production verifier runs, minus Intel's TCB collateral, which stays behind
// CollateralVerifier. It accepts quotes from Intel hardware (with Intel's root configured) and the
// signed mock quotes of mock-tdx (with the mock root configured), and rejects each with a named
// reason. Plain OpenSSL 3: EVP_DigestVerify for the signatures, X509_verify_cert for the chain,
// the injected Clock for certificate validity.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/result.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx {

// ---- Error codes of verify_signed_quote, in the order the checks run ----
// (before them: every parse_quote code of tdx_quote.hpp, unchanged)
inline constexpr const char* kSigConfig = "tdx.sig.config";                  // no clock / no usable root
inline constexpr const char* kSigMockMarker = "tdx.sig.mock_marker";         // user_data == §9.6 marker
inline constexpr const char* kSigChainParse = "tdx.sig.pck_chain_parse";     // not a PEM certificate list
inline constexpr const char* kSigCertExpired = "tdx.sig.cert_expired";       // a chain cert past notAfter
inline constexpr const char* kSigCertNotYetValid = "tdx.sig.cert_not_yet_valid";  // before notBefore
inline constexpr const char* kSigChainUntrusted = "tdx.sig.pck_chain_untrusted";  // any other chain failure
inline constexpr const char* kSigBadPckKey = "tdx.sig.bad_pck_key";          // leaf key not P-256 / no digitalSignature
inline constexpr const char* kSigQeReport = "tdx.sig.qe_report_signature";   // QE report not signed by the PCK leaf
inline constexpr const char* kSigQeBinding = "tdx.sig.qe_report_binding";    // QE report_data != SHA256(AK||auth)||0^32
inline constexpr const char* kSigBadAttestKey = "tdx.sig.bad_attestation_key";  // AK not a P-256 point
inline constexpr const char* kSigQuote = "tdx.sig.quote_signature";          // header||body not signed by the AK
inline constexpr const char* kSigDebug = "tdx.sig.debug_td";                 // TD_ATTRIBUTES.DEBUG set
inline constexpr const char* kSigCollateral = "tdx.sig.collateral";          // CollateralVerifier said no

inline constexpr std::size_t kMaxPckChainCerts = 8;

// TCB-level checks a production verifier adds after the signatures and the chain passed: TCB info
// and QE identity collateral (signed by Intel's TCB signing key), CRLs, the SGX extensions of the
// PCK leaf (FMSPC, TCB components). The full offline verification with Intel collateral is
// tdx::dcap::CollateralDcapVerifier (tdx_dcap.hpp); this hook lets integrators add their own
// checks to this path. A failure surfaces as tdx.sig.collateral with the given message.
class CollateralVerifier {
 public:
  virtual ~CollateralVerifier() = default;
  // pck_chain_der: the quote's certificates as DER, PCK leaf first, in quote order.
  virtual Status check(const QuoteV4& quote, const std::vector<Bytes>& pck_chain_der) = 0;
};

struct SignedQuoteConfig {
  // Trust anchors, PEM text (one or more certificates each). A chain must end in one of them.
  std::vector<std::string> trusted_roots_pem;
  // Certificate validity is checked at clock->now() (required; never the system time implicitly).
  const Clock* clock = nullptr;
  // Optional TCB-level checks; nullptr = none.
  CollateralVerifier* collateral = nullptr;
  // Structural parse (§9.3); sdk-compat tolerates trailing bytes like GTG.
  Profile profile = Profile::seed_spec;
  const testing::QuoteFaults* faults = nullptr;  // tests only; null = the spec's behaviour
};

// The checks, in order (the first failure is returned):
//  1. structure: parse_quote (§9.3), its tdx.* code unchanged;
//  2. mock marker: user_data equal to the §9.6 marker ⇒ tdx.sig.mock_marker (a prod verifier
//     never accepts a MockQuoteV4, whatever its signature data says);
//  3. PCK chain: the PEM list (trailing NULs and whitespace tolerated, as in real quotes) parses
//     into 1..8 certificates, leaf first; X509_verify_cert with the configured roots as the only
//     trust anchors and the quote's other certificates as untrusted intermediates, every
//     certificate valid at clock->now() (OpenSSL's window: notBefore <= now < notAfter)
//     ⇒ tdx.sig.cert_expired / cert_not_yet_valid / pck_chain_untrusted;
//  4. the leaf key is EC P-256 and, when the leaf has keyUsage, allows digitalSignature;
//  5. QE report signature (r||s over the 384-byte QE report) by the PCK leaf key;
//  6. QE report_data == SHA256(attestation_key || qe_auth_data) || 32 zero bytes;
//  7. the attestation key (x||y) is a P-256 point;
//  8. quote signature (r||s over Q[0:signed_size()): 632 in v4, 638 or 702 in v5) by the AK;
//  9. TD_ATTRIBUTES.DEBUG clear;
// 10. config.collateral, when given.
// Nonce binding, environment and event log are verify_peer_quote's job (attestation.hpp).
Status verify_signed_quote(ByteView quote, const SignedQuoteConfig& config);

// The same as the DcapVerifier verify_peer_quote calls in prod mode.
class SignedQuoteVerifier final : public DcapVerifier {
 public:
  explicit SignedQuoteVerifier(SignedQuoteConfig config) : config_(std::move(config)) {}
  Status verify(ByteView quote) override { return verify_signed_quote(quote, config_); }
  const SignedQuoteConfig& config() const { return config_; }

 private:
  SignedQuoteConfig config_;
};

// Intel's SGX Root CA ("CN=Intel SGX Root CA", valid 2018-05-21 .. 2049-12-31, SHA-256
// fingerprint of the DER 44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3), the
// trust anchor of every genuine PCK chain. Public data, as published by Intel.
std::string_view intel_sgx_root_ca_pem();

}  // namespace pnc::tdx
