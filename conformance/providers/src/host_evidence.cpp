// evidence_from_quote: parse, REPORTDATA check, RTMRs from the quote body.
#include "pnc/providers/host_evidence.hpp"

#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::providers {

Result<Evidence> evidence_from_quote(Bytes quote, std::optional<std::string> event_log,
                                     const ByteArray<64>& requested_report_data) {
  auto parsed = tdx::parse_quote(quote);
  if (!parsed) return make_error(kBadQuote, parsed.error().code + ": " + parsed.error().message);
  if (parsed->report_data != requested_report_data) {  // public data: no constant time needed
    return make_error(kReportDataMismatch, "the quote's REPORTDATA is not the one requested");
  }
  Evidence out;
  out.rtmrs = tdx::rtmrs_json(parsed->rtmr);
  out.quote = std::move(quote);
  out.event_log = std::move(event_log);
  return out;
}

}  // namespace pnc::providers
