// Intel TDX DCAP quote, versions 4 and 5 (PROTOCOL.md §9.2, §9.4): byte layout, bounds-checked
// structural parse with the §9.3 checks, and the inverse serialisation. Only layout and structure live
// here; nonce binding, mock and DCAP rules are in verify_peer_quote (attestation.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx {

// ---- Error codes of parse_quote (one per §9.3 rule) ----
inline constexpr const char* kTruncated = "tdx.truncated";            // shorter than 636 / 636+S
inline constexpr const char* kTooLarge = "tdx.too_large";              // > 65536 bytes (§10)
inline constexpr const char* kBadVersion = "tdx.bad_version";          // not 4 or 5
inline constexpr const char* kBadBodyType = "tdx.bad_body_type";       // v5 body type not 2 or 3
inline constexpr const char* kBadBodySize = "tdx.bad_body_size";       // v5 body size != its type's
inline constexpr const char* kBadKeyType = "tdx.bad_key_type";         // != 2 (ECDSA P-256)
inline constexpr const char* kBadTeeType = "tdx.bad_tee_type";         // != 0x81
inline constexpr const char* kBadQeVendor = "tdx.bad_qe_vendor";       // != Intel's QE id
inline constexpr const char* kBadSigLen = "tdx.bad_sig_len";           // S < 134 or S > 64900
inline constexpr const char* kTrailingBytes = "tdx.trailing_bytes";    // non-zero bytes after the signature data
inline constexpr const char* kBadCertType = "tdx.bad_cert_type";       // outer type != 6
inline constexpr const char* kBadCertSize = "tdx.bad_cert_size";       // 134+M != S or M < 450
inline constexpr const char* kBadQeAuthSize = "tdx.bad_qe_auth_size";  // A does not fit in M
inline constexpr const char* kBadInnerCertType = "tdx.bad_inner_cert_type";  // != 5
inline constexpr const char* kBadInnerCertSize = "tdx.bad_inner_cert_size";  // P != rest of M
inline constexpr const char* kSeamAttributes = "tdx.seam_attributes";  // SEAMATTRIBUTES != 0

// ---- Sizes and required values ----
inline constexpr std::size_t kMinQuoteSize = 636;
inline constexpr std::size_t kMaxQuoteSize = 65536;
inline constexpr std::size_t kHeaderSize = 48;
inline constexpr std::size_t kBodySize = 584;    // TD report 1.0
inline constexpr std::size_t kBodySize15 = 648;  // TD report 1.5: + TEE_TCB_SVN2 (16) + MRSERVICETD (48)
inline constexpr std::size_t kSignedSize = 632;  // v4 header || body: what the ECDSA signature covers
inline constexpr std::uint16_t kVersion4 = 4;
inline constexpr std::uint16_t kVersion5 = 5;
inline constexpr std::uint16_t kBodyTypeTdReport10 = 2;  // v5 body descriptor values (§9.4)
inline constexpr std::uint16_t kBodyTypeTdReport15 = 3;
inline constexpr std::size_t kV5BodyDescriptorSize = 6;  // body_type u16 || body_size u32 at 48
inline constexpr std::uint16_t kAttKeyEcdsaP256 = 2;
inline constexpr std::uint32_t kTeeTypeTdx = 0x81;
inline constexpr std::uint16_t kCertTypeQeReport = 6;
inline constexpr std::uint16_t kCertTypePckChain = 5;
inline constexpr std::size_t kQeReportSize = 384;
inline constexpr std::size_t kQeReportDataOffset = 320;  // inside the QE report
inline constexpr ByteArray<16> kIntelQeVendorId = {0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                                   0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07};
inline constexpr std::uint8_t kTdAttrDebugBit = 0x01;  // TDATTRIBUTES byte 0, bit 0

// ---- Absolute offsets (header, body) of a v4 quote; in v5 the body and everything after it
// move by kV5BodyDescriptorSize (REPORTDATA at 574): use the Quote accessors below. ----
inline constexpr std::size_t kOffVersion = 0;
inline constexpr std::size_t kOffAttKeyType = 2;
inline constexpr std::size_t kOffTeeType = 4;
inline constexpr std::size_t kOffReserved = 8;
inline constexpr std::size_t kOffQeVendorId = 12;
inline constexpr std::size_t kOffUserData = 28;
inline constexpr std::size_t kOffBody = 48;
inline constexpr std::size_t kOffTeeTcbSvn = 48;
inline constexpr std::size_t kOffMrSeam = 64;
inline constexpr std::size_t kOffMrSignerSeam = 112;
inline constexpr std::size_t kOffSeamAttributes = 160;
inline constexpr std::size_t kOffTdAttributes = 168;
inline constexpr std::size_t kOffXfam = 176;
inline constexpr std::size_t kOffMrTd = 184;
inline constexpr std::size_t kOffMrConfigId = 232;
inline constexpr std::size_t kOffMrOwner = 280;
inline constexpr std::size_t kOffMrOwnerConfig = 328;
inline constexpr std::array<std::size_t, 4> kOffRtmr = {376, 424, 472, 520};
inline constexpr std::size_t kOffReportData = 568;
inline constexpr std::size_t kOffSigDataLen = 632;
inline constexpr std::size_t kOffSigData = 636;

// ---- Offsets relative to the signature data (abs = 636 + rel in v4) ----
inline constexpr std::size_t kRelEcdsaSig = 0;
inline constexpr std::size_t kRelAttestKey = 64;
inline constexpr std::size_t kRelCertType = 128;
inline constexpr std::size_t kRelCertSize = 130;
inline constexpr std::size_t kRelQeReport = 134;
inline constexpr std::size_t kRelQeReportSig = 518;
inline constexpr std::size_t kRelQeAuthSize = 582;
inline constexpr std::size_t kRelQeAuthData = 584;
inline constexpr std::size_t kMinSigDataLen = 134;              // up to the QE report (§9.3 step 4)
inline constexpr std::size_t kMinCertSize = kQeReportSize + 64 + 2;  // report + sig + A field

using Measurement = ByteArray<48>;

// A parsed v4 or v5 quote (named after the version the suite started with). Sizes S, M, A, P and
// the v5 body size are implied by the members.
struct QuoteV4 {
  // Header
  std::uint16_t version = kVersion4;
  // v5 body descriptor type (kBodyTypeTdReport10 / 15); always kBodyTypeTdReport10 in v4.
  std::uint16_t body_type = kBodyTypeTdReport10;
  std::uint16_t att_key_type = kAttKeyEcdsaP256;
  std::uint32_t tee_type = kTeeTypeTdx;
  ByteArray<4> reserved{};
  ByteArray<16> qe_vendor_id = kIntelQeVendorId;
  ByteArray<20> user_data{};  // the mock marker lives here (§9.6)
  // TD report 1.0 body
  ByteArray<16> tee_tcb_svn{};
  Measurement mr_seam{};
  Measurement mr_signer_seam{};
  ByteArray<8> seam_attributes{};
  ByteArray<8> td_attributes{};
  ByteArray<8> xfam{};
  Measurement mr_td{};
  Measurement mr_config_id{};
  Measurement mr_owner{};
  Measurement mr_owner_config{};
  std::array<Measurement, 4> rtmr{};
  ByteArray<64> report_data{};
  // TD report 1.5 only (v5 body type 3); zero otherwise.
  ByteArray<16> tee_tcb_svn2{};
  Measurement mr_service_td{};
  // Signature data
  ByteArray<64> ecdsa_signature{};
  ByteArray<64> attestation_key{};
  std::uint16_t cert_type = kCertTypeQeReport;
  ByteArray<384> qe_report{};
  ByteArray<64> qe_report_signature{};
  Bytes qe_auth_data;
  std::uint16_t inner_cert_type = kCertTypePckChain;
  Bytes pck_chain;
  // Bytes after the signature data, covered by no signature: the zero padding of real quote
  // buffers (every profile), or anything at all in sdk-compat (GTG tolerates it).
  Bytes trailing;

  // TD_ATTRIBUTES.DEBUG (bit 0): a debuggable TD, rejected in prod (§3.7).
  bool debug() const { return (td_attributes[0] & kTdAttrDebugBit) != 0; }
  std::size_t body_size() const { return body_type == kBodyTypeTdReport15 ? kBodySize15 : kBodySize; }
  // Absolute offset of the body: 48 (v4), 54 (v5, after the body descriptor).
  std::size_t body_offset() const { return version == kVersion5 ? kOffBody + kV5BodyDescriptorSize : kOffBody; }
  // Q[0, signed_size()) is what the attestation key signs: header (|| v5 descriptor) || body.
  std::size_t signed_size() const { return body_offset() + body_size(); }
  // Absolute offset of REPORTDATA: 568 (v4), 574 (v5 of either body type).
  std::size_t report_data_offset() const { return body_offset() + (kOffReportData - kOffBody); }
  bool operator==(const QuoteV4&) const = default;
};

// §9.3 steps 1-5, bounds-checked: any byte string yields a QuoteV4 or a named error above, never
// a read outside `quote`. v4 and v5 (body types 2 and 3) in every profile. Bytes after the
// signature data are kept in `trailing`: zero bytes in every profile (DEC-30), anything in
// sdk-compat (GTG behaviour); seed-spec/hardened reject a non-zero one (tdx.trailing_bytes). The
// QE vendor id must be Intel's in every profile (mock quotes use it too).
Result<QuoteV4> parse_quote(ByteView quote, Profile profile = Profile::seed_spec);

// Exact inverse of parse_quote: serialize_quote(parse_quote(q)) == q for every accepted q. Sizes
// S, M, A, P are computed from the members.
Bytes serialize_quote(const QuoteV4& quote);

}  // namespace pnc::tdx
