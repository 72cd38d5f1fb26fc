// The mock PCK PKI of signed mock quotes: a root CA, a PCK platform CA (intermediate) and a PCK
// leaf, shaped like Intel's (leaf -> intermediate -> root, ECDSA P-256 / SHA-256, the same
// basicConstraints / keyUsage / key identifier extensions), plus the faulty variants the named
// faults use. Everything is rebuilt from fixed labels (ecdsa.hpp keys, DER written by
// src/der.cpp, RFC 6979 signatures), so every run and every machine yields the same bytes; the
// root and the normal chain are committed as mock-tdx/data/mock-root-ca.pem and
// mock-pck-chain.pem, and a test checks the code still reproduces them.
//
// The PCK leaf carries Intel's SGX extension (OID 1.2.840.113741.1.13.1: PPID, TCB components,
// PCESVN, CPUSVN, PCE-ID, FMSPC, SGX type) with the values of kPck* below, so that DCAP collateral
// (collateral.hpp: TCB info, QE identity, CRLs, the TCB signing certificate) can be judged against
// it exactly as against a real PCK certificate. Not modelled: CRL distribution points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pnc/mock_tdx/ecdsa.hpp"
#include "pnc/types.hpp"

namespace pnc::mock_tdx {

// The normal certificates are valid from 2025-01-01T00:00:00Z to 2049-12-31T23:59:59Z.
inline constexpr std::int64_t kPkiNotBefore = 1735689600;
inline constexpr std::int64_t kPkiNotAfter = 2524607999;
// A verification time inside every normal window and outside every faulty one: 2026-01-01.
inline constexpr std::int64_t kReferenceTime = 1767225600;
// The faulty windows: expired certificates end before kPkiNotBefore, not-yet-valid ones start
// at 2040-01-01T00:00:00Z.
inline constexpr std::int64_t kExpiredNotBefore = 1577836800;  // 2020-01-01
inline constexpr std::int64_t kExpiredNotAfter = 1735689599;   // 2024-12-31T23:59:59Z
inline constexpr std::int64_t kFutureNotBefore = 2208988800;   // 2040-01-01

inline constexpr std::string_view kPkiOrganization = "challenge-conformance mock PKI (not Intel)";
inline constexpr std::string_view kRootCn = "PNC Mock TDX Root CA";
inline constexpr std::string_view kIntermediateCn = "PNC Mock PCK Platform CA";
inline constexpr std::string_view kLeafCn = "PNC Mock PCK Certificate";
inline constexpr std::string_view kTcbSigningCn = "PNC Mock TCB Signing";

// The platform the mock PCK leaf certifies (its SGX extension).
inline constexpr std::string_view kPckFmspcHex = "504e43000000";  // "PNC" 00 00 00
inline constexpr std::string_view kPckPceIdHex = "0000";
inline constexpr std::uint16_t kPckPceSvn = 13;
inline constexpr std::uint8_t kPckSgxComponents[16] = {4, 4, 3, 3, 255, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};

// Key labels (ecdsa.hpp).
inline constexpr std::string_view kRootKeyLabel = "root-ca";
inline constexpr std::string_view kIntermediateKeyLabel = "pck-platform-ca";
inline constexpr std::string_view kLeafKeyLabel = "pck-leaf";
inline constexpr std::string_view kImpostorRootKeyLabel = "impostor-root-ca";
inline constexpr std::string_view kImpostorIntermediateKeyLabel = "impostor-pck-platform-ca";
inline constexpr std::string_view kForgerKeyLabel = "forger";
inline constexpr std::string_view kTcbSigningKeyLabel = "tcb-signing";

struct Certificate {
  Bytes der;
  std::string pem;  // one CERTIFICATE block, 64-column base64, '\n' line ends
};

// Everything an X.509 v3 certificate of this PKI varies in. O is always kPkiOrganization.
struct CertificateSpec {
  std::string serial_label;  // serial = 16 bytes derived from this label
  std::string subject_cn;
  std::string issuer_cn;
  std::int64_t not_before = kPkiNotBefore;
  std::int64_t not_after = kPkiNotAfter;
  bool ca = false;
  std::optional<unsigned> path_len;  // CAs only
  ByteArray<64> subject_public{};    // x || y
  ByteArray<64> issuer_public{};     // for the authorityKeyIdentifier
  const P256Key* signer = nullptr;   // the issuer's key
  bool sgx_extensions = false;       // the PCK leaf's SGX extension (kPck* values)
};
Certificate make_certificate(const CertificateSpec& spec);

const P256Key& root_key();
const P256Key& intermediate_key();
const P256Key& leaf_key();  // the PCK leaf key: it signs the QE report

const Certificate& mock_root_ca();
const Certificate& mock_intermediate_ca();
const Certificate& mock_pck_leaf();
// The TCB signing certificate (root -> it) that signs TCB info and QE identity, as Intel's "SGX
// TCB Signing" certificate; key label kTcbSigningKeyLabel.
const P256Key& tcb_signing_key();
const Certificate& mock_tcb_signing_cert();
// The DER of the SGX extension value of the PCK leaf (a SEQUENCE of {OID, value} entries).
Bytes pck_sgx_extension_value();

// The PEM chain a signed quote carries (certification data type 5), leaf first.
enum class ChainVariant {
  normal,                // leaf, intermediate, root
  leaf_expired,          // leaf valid 2020-01-01 .. 2024-12-31
  leaf_not_yet_valid,    // leaf valid from 2040-01-01
  intermediate_expired,  // intermediate valid 2020-01-01 .. 2024-12-31
  wrong_root,            // leaf -> intermediate -> an impostor root that has the mock root's name
  missing_intermediate,  // leaf, root
  forged_leaf,           // leaf with the intermediate as issuer name, signed by another key
  intermediate_not_ca,   // intermediate with basicConstraints CA:FALSE
};
std::string pck_chain_pem(ChainVariant variant = ChainVariant::normal);

}  // namespace pnc::mock_tdx
