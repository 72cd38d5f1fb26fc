// QuoteProvider of a dstack CVM: the guest agent's GetQuote RPC over its Unix socket (HTTP/1.1 via
// pnc_net). This file only moves bytes; the answer is judged by parse_dstack_get_quote_answer and
// evidence_from_quote.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "pnc/attestation.hpp"

namespace pnc::providers {

// ---- Error codes (besides kDstackBadAnswer and the host_evidence.hpp ones) ----
inline constexpr const char* kDstackUnreachable = "tdx.provider.dstack.unreachable";  // no agent at the socket / I/O failed
inline constexpr const char* kDstackTimeout = "tdx.provider.dstack.timeout";          // no whole answer in time
inline constexpr const char* kDstackTooLarge = "tdx.provider.dstack.too_large";       // answer over max_answer bytes
inline constexpr const char* kDstackHttpStatus = "tdx.provider.dstack.http_status";   // answer status not 200

struct DstackAgentOptions {
  std::string socket_path = "/var/run/dstack.sock";  // the agent's default (dstack SDKs)
  // Connect + request + whole answer. The SDKs wait 3 s; quote generation can take longer on a
  // loaded host, and a peer's handshake deadline is 30 s.
  std::chrono::milliseconds timeout{10000};
  // A quote (<= 64 KiB as hex: 128 KiB) plus an event log; real answers are 10-60 KiB.
  std::size_t max_answer = 1024 * 1024;
};

class DstackQuoteProvider final : public QuoteProvider {
 public:
  explicit DstackQuoteProvider(DstackAgentOptions options = {}) : options_(std::move(options)) {}
  Result<Evidence> get_quote(const ByteArray<64>& report_data) override;

 private:
  DstackAgentOptions options_;
};

}  // namespace pnc::providers
