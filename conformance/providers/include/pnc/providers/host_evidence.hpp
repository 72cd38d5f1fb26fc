// What every quote provider of a TDX host (configfs-tsm, dstack guest agent) does with the quote
// it obtained, and the error codes they share. Pure: bytes in, Evidence or a named error out.
#pragma once

#include <optional>
#include <string>

#include "pnc/attestation.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::providers {

// ---- Error codes shared by the host providers ----
inline constexpr const char* kBadQuote = "tdx.provider.bad_quote";  // not a TDX v4/v5 quote (parse_quote's code in the message)
inline constexpr const char* kReportDataMismatch = "tdx.provider.report_data_mismatch";  // quote for other REPORTDATA

// The quote as Evidence (§9.1): the quote must parse (§9.3, zero padding kept as delivered) and
// carry exactly the REPORTDATA that was asked for (a provider that answers with someone else's
// quote is refused here, not by the peer). rtmrs are the quote's own RTMR0..3 (DEC-37); the event
// log is passed on as received (null when the source has none, as configfs-tsm).
Result<Evidence> evidence_from_quote(Bytes quote, std::optional<std::string> event_log,
                                     const ByteArray<64>& requested_report_data);

}  // namespace pnc::providers
