// DstackQuoteProvider: one POST /GetQuote per quote over the agent's Unix socket.
#include "pnc/providers/dstack_agent.hpp"

#include <algorithm>

#include "pnc/net/http_client.hpp"
#include "pnc/providers/dstack_answer.hpp"
#include "pnc/providers/host_evidence.hpp"

namespace pnc::providers {

namespace {

// net.* → the provider's names; the net message (path, cause) is kept for the operator.
Error from_net(const Error& e) {
  if (e.code == net::kTimeout) return make_error(kDstackTimeout, "dstack agent: " + e.message);
  if (e.code == net::kTooLarge) return make_error(kDstackTooLarge, "dstack agent: " + e.message);
  return make_error(kDstackUnreachable, "dstack agent: " + e.message);
}

// The start of a refusal's body, printable ASCII only: enough to tell "TDX not available" from
// a proxy's error page without copying arbitrary bytes into a log.
std::string printable_prefix(std::string_view body) {
  std::string out(body.substr(0, 120));
  std::replace_if(out.begin(), out.end(), [](unsigned char c) { return c < 0x20 || c > 0x7e; }, '?');
  return out;
}

}  // namespace

Result<Evidence> DstackQuoteProvider::get_quote(const ByteArray<64>& report_data) {
  net::HttpClientOptions http;
  http.max_response_body = options_.max_answer;
  auto answer = net::http_request_unix(options_.socket_path, "POST", kDstackGetQuoteTarget,
                                       {{"Content-Type", "application/json"}},
                                       dstack_get_quote_request(report_data), options_.timeout, http);
  if (!answer) return from_net(answer.error());
  if (answer->status != 200) {
    return make_error(kDstackHttpStatus, "dstack agent answered HTTP " + std::to_string(answer->status) +
                                             ": " + printable_prefix(answer->body));
  }
  auto parsed = parse_dstack_get_quote_answer(answer->body);
  if (!parsed) return parsed.error();
  return evidence_from_quote(std::move(parsed->quote), std::move(parsed->event_log), report_data);
}

}  // namespace pnc::providers
