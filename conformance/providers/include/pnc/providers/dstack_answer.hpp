// The dstack guest agent's GetQuote RPC as data (pure, no socket): the request body the agent
// expects and the parse of its answer. Shape as sent by Dstack-TEE/dstack's SDKs: POST /GetQuote,
// {"report_data": "<hex, up to 64 bytes>"} -> {"quote": "<hex>", "event_log": "<JSON text>",
// "report_data": ..., "vm_config": ...}; members beyond quote and event_log are ignored.
#pragma once

#include <string>
#include <string_view>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::providers {

inline constexpr const char* kDstackBadAnswer = "tdx.provider.dstack.bad_answer";

inline constexpr std::string_view kDstackGetQuoteTarget = "/GetQuote";

// {"report_data":"<128 lowercase hex digits>"}: all 64 bytes, so the agent pads nothing.
std::string dstack_get_quote_request(const ByteArray<64>& report_data);

struct DstackQuote {
  Bytes quote;            // hex-decoded, at most tdx::kMaxQuoteSize bytes
  std::string event_log;  // the JSON text as received; checked to be a JSON array
};

// A 200 answer's body -> DstackQuote, or kDstackBadAnswer naming what is wrong: not a JSON object
// (strict §0.3 parse), quote missing / not a string / not even-length hex / empty / larger than a
// quote may be (§10), event_log missing / not a string / not JSON text of an array.
Result<DstackQuote> parse_dstack_get_quote_answer(std::string_view body);

}  // namespace pnc::providers
