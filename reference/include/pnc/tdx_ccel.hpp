// The binary event log of a TDX guest: the ACPI CCEL table and the TCG crypto-agile event log it
// points at (TCG PC Client Platform Firmware Profile §10, "Spec ID Event03"; UEFI CC measurement
// protocol). Events land in the same Event type as dstack logs, so replay_rtmrs applies to both.
// Pure parsing over bytes: reading /sys/firmware/acpi/tables/{CCEL,data/CCEL} is the caller's job.
#pragma once

#include <cstdint>
#include <vector>

#include "pnc/result.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx {

inline constexpr const char* kCcelTruncated = "tdx.ccel.truncated";          // an event runs past the data
inline constexpr const char* kCcelBadHeader = "tdx.ccel.bad_header";         // no Spec ID Event03 first
inline constexpr const char* kCcelNoSha384 = "tdx.ccel.no_sha384";           // SHA-384 not among the banks
inline constexpr const char* kCcelBadMrIndex = "tdx.ccel.bad_mr_index";      // MR index not 1..4 (RTMR0..3)
inline constexpr const char* kCcelBadAlgorithm = "tdx.ccel.bad_algorithm";   // a digest of an undeclared bank
inline constexpr const char* kCcelTooLarge = "tdx.ccel.too_large";           // > kMaxCcelBytes
inline constexpr const char* kCcelBadTable = "tdx.ccel.bad_table";           // not an ACPI CCEL table

inline constexpr std::size_t kMaxCcelBytes = 16u << 20;
inline constexpr std::uint32_t kEvNoAction = 3;         // informational, never extended
inline constexpr std::uint16_t kTpmAlgSha384 = 0x000C;  // TPM_ALG_SHA384

// Parses a crypto-agile log: the SHA-1-format Spec ID event, then TCG_PCR_EVENT2 records up to
// the end of the data or the first record whose MR index is 0xFFFFFFFF (the unused, 0xFF-filled
// rest of the CCEL area). CC MR index i (1..4) is RTMR i-1 (MRTD, index 0, is never logged).
// EV_NO_ACTION records are skipped. Each Event keeps its type, the SHA-384 digest and the event
// data as payload; `event` (the name) is empty.
Result<std::vector<Event>> parse_ccel_log(ByteView log);

// The ACPI CCEL table (56 bytes): CC type (2 = TDX), log area minimum length and start address.
struct CcelTable {
  std::uint8_t cc_type = 0;
  std::uint8_t cc_subtype = 0;
  std::uint64_t log_area_length = 0;
  std::uint64_t log_area_address = 0;
};
Result<CcelTable> parse_ccel_table(ByteView table);

}  // namespace pnc::tdx
