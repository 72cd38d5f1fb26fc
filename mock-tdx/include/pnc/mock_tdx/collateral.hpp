// Mock DCAP collateral that looks like Intel's: the JSON object dcap-qvl and the dstack ecosystem
// exchange (tdx::dcap::Collateral) for the signed mock quotes, under the mock root CA.
//
//   tcb_info        TDX TCB info v3 for FMSPC 504e43000000 / PCE-ID 0000 (the mock PCK leaf's SGX
//                   extension, pki.hpp), Intel's member order, signed (r || s) by the TCB signing key
//   qe_identity     TD_QE identity v2 matching the signed quotes' QE report (MRSIGNER, ISVPRODID 2,
//                   ISVSVN 1), signed by the TCB signing key
//   *_issuer_chain  TCB signing certificate + root (TCB info, QE identity); PCK platform CA + root
//                   (PCK CRL)
//   root_ca_crl     CRL of the mock root (covers the PCK platform CA and the TCB signing cert)
//   pck_crl         CRL of the PCK platform CA (covers the PCK leaf)
//
// The CRLs are built with OpenSSL's X509_CRL API (issuer, times, revoked entries, CRL number and
// authority key identifier extensions) and signed with X509_CRL_sign; the signature value is then
// replaced by the deterministic RFC 6979 signature over the same TBS (ecdsa.hpp), so every run
// yields the same bytes. Every document and CRL is valid from kPkiNotBefore to kPkiNotAfter, so
// kReferenceTime (2026-01-01) is inside.
//
// Named collateral faults each break one check of an offline DCAP verifier (tdx::dcap::verify_dcap,
// `pnc-tdx verify`); the quote stays the good signed quote.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pnc/result.hpp"
#include "pnc/tdx_dcap.hpp"
#include "pnc/types.hpp"

namespace pnc::mock_tdx {

inline constexpr const char* kUnknownCollateralFault = "mock_tdx.unknown_collateral_fault";

// The faulty windows of collateral faults: "expired" ends 2025-12-01T00:00:00Z, "not yet valid"
// starts 2040-01-01T00:00:00Z (kReferenceTime is between).
inline constexpr std::int64_t kCollateralExpiredAt = 1764547200;

struct CollateralFaultInfo {
  std::string_view name;
  std::string_view description;  // one line
  std::string_view check;        // the verify_dcap check that fails ("" = every check passes)
  std::string_view code;         // the dcap.* code it fails with ("" = verifies)
  std::string_view status;       // the TCB status a verifier still reports ("" = none)
};

const std::vector<CollateralFaultInfo>& collateral_fault_registry();
const CollateralFaultInfo* find_collateral_fault(std::string_view name);

// The collateral for the signed mock quotes; fault "" = the good set. mock_tdx.unknown_collateral_fault.
Result<tdx::dcap::Collateral> make_collateral(std::string_view fault = {});

// The dcap-qvl JSON object (members in dcap-qvl's order, CRLs and signatures as lowercase hex).
std::string collateral_json(const tdx::dcap::Collateral& collateral);

// The CRLs alone (DER), for tests: the root CA CRL and the PCK CRL of the good set.
Bytes mock_root_ca_crl();
Bytes mock_pck_crl();

}  // namespace pnc::mock_tdx
