// GetQuote request and answer of the dstack guest agent (pure).
#include "pnc/providers/dstack_answer.hpp"

#include "pnc/codec.hpp"
#include "pnc/json.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::providers {

namespace {
Error bad_answer(const std::string& what) { return make_error(kDstackBadAnswer, what); }
}  // namespace

std::string dstack_get_quote_request(const ByteArray<64>& report_data) {
  return json::dump(json::Json{{"report_data", codec::hex_encode(report_data)}});
}

Result<DstackQuote> parse_dstack_get_quote_answer(std::string_view body) {
  auto doc = json::parse_object(body);
  if (!doc) return bad_answer("answer: " + doc.error().message);
  auto quote_hex = json::get_string(*doc, "quote");
  if (!quote_hex) return bad_answer("quote: " + quote_hex.error().message);
  if (quote_hex->empty()) return bad_answer("quote: empty");
  if (quote_hex->size() > 2 * tdx::kMaxQuoteSize) return bad_answer("quote: larger than 65536 bytes (§10)");
  auto quote = codec::hex_decode(*quote_hex);
  if (!quote) return bad_answer("quote: " + quote.error().message);
  auto log = json::get_string(*doc, "event_log");
  if (!log) return bad_answer("event_log: " + log.error().message);
  auto events = json::parse(*log);
  if (!events) return bad_answer("event_log: " + events.error().message);
  if (!events->is_array()) return bad_answer("event_log: not a JSON array");
  return DstackQuote{std::move(*quote), std::move(*log)};
}

}  // namespace pnc::providers
