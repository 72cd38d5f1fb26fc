// verify_signed_quote (tdx_signed.hpp): the signature-data checks of a real DCAP verifier on
// plain OpenSSL 3 — PCK chain to a configured root at the injected time, QE report signature by
// the PCK leaf, QE report-data binding of the attestation key, quote signature by the attestation
// key — plus the prod policy rules (mock marker, DEBUG). Every OpenSSL object is owned by a
// unique_ptr (tdx/x509.hpp); the OpenSSL error queue is cleared before returning.
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "pnc/crypto.hpp"
#include "pnc/secret.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_signed.hpp"
#include "pnc/testing/faults.hpp"
#include "tdx/x509.hpp"

namespace pnc::tdx {
namespace {

using x509::X509Ptr;

// The chain check with this header's codes: expiry and not-yet-valid named, anything else untrusted.
Status verify_pck_chain(const std::vector<X509Ptr>& chain, const std::vector<X509Ptr>& roots, std::int64_t now) {
  const auto r = x509::verify_chain(chain, roots, now);
  if (r.ok) return {};
  const std::string where = "PCK chain, " + r.failure.text;
  switch (r.failure.error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return make_error(kSigCertExpired, where);
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return make_error(kSigCertNotYetValid, where);
    default:
      return make_error(kSigChainUntrusted, where);
  }
}

// The configured trust anchors, parsed once per distinct PEM text and shared afterwards (a
// verifier checks many quotes against the same roots). The certificates are only read after
// parsing (X509_STORE_add_cert takes its own reference), so threads may share them. Bounded:
// a process that cycles through more root sets than this starts over.
using Roots = std::vector<X509Ptr>;
Result<std::shared_ptr<const Roots>> parsed_roots(const std::vector<std::string>& pems) {
  static std::mutex mu;
  static std::map<std::vector<std::string>, std::shared_ptr<const Roots>> cache;
  constexpr std::size_t kMaxEntries = 64;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(pems); it != cache.end()) return it->second;
  }
  auto roots = std::make_shared<Roots>();
  for (const auto& pem : pems) {
    auto parsed = x509::parse_pem_list(pem, SIZE_MAX, kSigConfig, "trusted root");
    if (!parsed) return parsed.error();  // errors are not cached: they are reported each time
    for (auto& c : *parsed) roots->push_back(std::move(c));
  }
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() >= kMaxEntries) cache.clear();
  return cache.emplace(pems, std::move(roots)).first->second;
}

}  // namespace

Status verify_signed_quote(ByteView quote, const SignedQuoteConfig& config) {
  x509::ErrorQueueGuard guard;
  if (config.clock == nullptr) return make_error(kSigConfig, "no clock configured");
  auto parsed_anchors = parsed_roots(config.trusted_roots_pem);
  if (!parsed_anchors) return parsed_anchors.error();
  const Roots& roots = **parsed_anchors;
  if (roots.empty()) return make_error(kSigConfig, "no trusted root configured");

  // 1. Structure (§9.3).
  auto parsed = parse_quote(quote, config.profile);
  if (!parsed) return parsed.error();
  const QuoteV4& q = *parsed;

  // 2. A MockQuoteV4 is never a production quote (§3.7 step 3, §9.6).
  if (has_mock_marker(q)) return make_error(kSigMockMarker, "the quote carries the mock marker");

  // 3. PCK certificate chain to a configured root, at the injected time.
  const std::string_view chain_text(reinterpret_cast<const char*>(q.pck_chain.data()), q.pck_chain.size());
  auto chain = x509::parse_pem_list(chain_text, kMaxPckChainCerts, kSigChainParse, "PCK chain");
  if (!chain) return chain.error();
  if (auto s = verify_pck_chain(*chain, roots, config.clock->now()); !s) return s;

  // 4. The PCK leaf key signs the QE report.
  X509* leaf = (*chain)[0].get();
  EVP_PKEY* pck_key = X509_get0_pubkey(leaf);
  if (!x509::is_p256(pck_key)) return make_error(kSigBadPckKey, "PCK leaf key is not EC P-256");
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0)
    return make_error(kSigBadPckKey, "PCK leaf keyUsage lacks digitalSignature");

  // 5. QE report signature.
  if (!x509::ecdsa_verify(pck_key, q.qe_report, q.qe_report_signature))
    return make_error(kSigQeReport, "QE report signature does not verify with the PCK leaf key");

  // 6. QE report_data binds the attestation key and the QE authentication data.
  Bytes hashed(q.attestation_key.begin(), q.attestation_key.end());
  hashed.insert(hashed.end(), q.qe_auth_data.begin(), q.qe_auth_data.end());
  ByteArray<64> expected{};
  const auto digest = crypto::sha256(hashed);
  std::copy(digest.begin(), digest.end(), expected.begin());
  if (!ct_equal(ByteView(q.qe_report).subspan(kQeReportDataOffset, 64), expected))
    return make_error(kSigQeBinding, "QE report_data != SHA256(attestation_key || qe_auth_data) || 0^32");

  // 7-8. The attestation key signs header || body.
  x509::PkeyPtr ak = x509::p256_public_key(q.attestation_key);
  if (!ak) return make_error(kSigBadAttestKey, "attestation key is not a P-256 point");
  if (!x509::ecdsa_verify(ak.get(), quote.first(q.signed_size()), q.ecdsa_signature))
    return make_error(kSigQuote, "quote signature over Q[0:" + std::to_string(q.signed_size()) +
                                     ") does not verify with the attestation key");

  // 9. Policy: no debuggable TD in prod (§3.7 step 3).
  if (q.debug() && !testing::active(config.faults).accept_debug_td) return make_error(kSigDebug, "TD_ATTRIBUTES.DEBUG is set");

  // 10. TCB-level collateral, when configured.
  if (config.collateral != nullptr) {
    std::vector<Bytes> der;
    der.reserve(chain->size());
    for (const auto& c : *chain) der.push_back(x509::to_der(c.get()));
    if (auto s = config.collateral->check(q, der); !s)
      return make_error(kSigCollateral, s.error().code + ": " + s.error().message);
  }
  return {};
}

}  // namespace pnc::tdx
