// OpenSSL 3 building blocks shared by the signed-quote check (signed.cpp) and DCAP collateral
// verification (dcap_verify.cpp): owned OpenSSL objects, PEM certificate lists, chain
// verification with optional CRLs at a pinned time, raw r||s ECDSA P-256 verification.
// Private to the tdx module.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx::x509 {

struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct CrlFree { void operator()(X509_CRL* p) const { X509_CRL_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };

using X509Ptr = std::unique_ptr<X509, X509Free>;
using CrlPtr = std::unique_ptr<X509_CRL, CrlFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Clears OpenSSL's thread-local error queue on every exit path.
struct ErrorQueueGuard {
  ~ErrorQueueGuard();
};

// A text made only of PEM CERTIFICATE blocks separated by whitespace; trailing NULs (real quotes
// end their chain with one) and whitespace are ignored. Errors carry `code`, messages name `what`.
Result<std::vector<X509Ptr>> parse_pem_list(std::string_view text, std::size_t max_certs, const char* code,
                                            std::string_view what);

// A DER CRL consumed exactly; nullptr otherwise.
CrlPtr parse_der_crl(ByteView der);

Bytes to_der(X509* cert);

// Why X509_verify_cert refused a chain (X509_V_ERR_* and the depth it names).
struct ChainFailure {
  int error = 0;
  int depth = 0;
  std::string text;  // "certificate at depth N: <OpenSSL's reason>"
};

// X509_verify_cert with `roots` as the only trust anchors, `chain[1..]` and `extra_untrusted` as
// untrusted intermediates, the time pinned to `now`. With CRLs given, every certificate below the
// anchor must be covered by a CRL of its issuer valid at `now` (X509_V_FLAG_CRL_CHECK_ALL).
struct ChainResult {
  bool ok = false;
  ChainFailure failure;  // meaningful when !ok
};
ChainResult verify_chain(const std::vector<X509Ptr>& chain, const std::vector<X509Ptr>& roots, std::int64_t now,
                         const std::vector<X509_CRL*>& crls = {}, const std::vector<X509*>& extra_untrusted = {});

// EC P-256 public key from the 64-byte x || y of a quote; nullptr when not a valid point.
PkeyPtr p256_public_key(ByteView xy);
bool is_p256(EVP_PKEY* key);
// ECDSA P-256 / SHA-256 verification of a raw r || s signature (32 + 32 bytes, big-endian).
bool ecdsa_verify(EVP_PKEY* key, ByteView message, ByteView rs);

}  // namespace pnc::tdx::x509
