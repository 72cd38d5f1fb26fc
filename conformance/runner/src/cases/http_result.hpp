// One HTTP exchange as a case sees it, shared by the challenge and validator catalogues: the
// status and body, a transport failure, or a failed precondition (e.g. no bootstrap nonce), and
// the rule that any 5xx, on any request of any case, is the SUT's failure (DEC-52).
#pragma once

#include <optional>
#include <string>

#include "core/case.hpp"
#include "pnc/net/types.hpp"
#include "pnc/result.hpp"

namespace pnc::conf {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string error;         // transport failure: no HTTP answer
  std::string route;         // "POST /sdk/weights": named in server-error observations
  std::string precondition;  // set: the request the case is about was never sent (BLOCKED)

  static HttpResult blocked(std::string why) {
    HttpResult r;
    r.precondition = std::move(why);
    return r;
  }
  bool server_error() const { return error.empty() && precondition.empty() && status >= 500 && status <= 599; }
  std::string describe() const;
};

// The outcome of one net::http_request: its status and body, or its transport error; `route`
// ("POST /attest") names the request in the report.
HttpResult http_result(std::string route, const Result<net::HttpResponse>& response);

// FAIL "server error: ..." when `r` is a 5xx (whatever the case expected), else nothing.
std::optional<Outcome> server_error_outcome(const HttpResult& r);
// What every HTTP case settles before judging its subject: BLOCKED when the request was never
// sent (a failed precondition), else server_error_outcome(r).
std::optional<Outcome> blocked_or_server_error(const HttpResult& r);

}  // namespace pnc::conf
