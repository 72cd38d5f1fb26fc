// JSON documents pnc-tdx prints (lowercase hex for every byte field).
#pragma once

#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "pnc/result.hpp"
#include "pnc/tdx_dcap.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::tdx_cli {

// Every field of a parsed quote; `size` is the input length (signature data and padding derived).
nlohmann::ordered_json quote_json(const tdx::QuoteV4& quote, std::size_t size);

// status, advisory_ids, fmspc, every check with ok / error, verified, accepted statuses, time.
nlohmann::ordered_json dcap_json(const tdx::dcap::DcapResult& result, const tdx::dcap::TcbPolicy& policy, std::int64_t at);

nlohmann::ordered_json rtmrs_document(const std::array<tdx::Measurement, tdx::kImrCount>& rtmrs, std::size_t events,
                              const char* format);

nlohmann::ordered_json error_json(const Error& e);

}  // namespace pnc::tdx_cli
