#include "cases/http_result.hpp"

#include "cases/text.hpp"

namespace pnc::conf {

std::string HttpResult::describe() const {
  if (!precondition.empty()) return "not sent (" + precondition + ")";
  if (!error.empty()) return "no HTTP answer (" + error + ")";
  return "HTTP " + std::to_string(status) + (body.empty() ? "" : " " + clip(body, 120));
}

HttpResult http_result(std::string route, const Result<net::HttpResponse>& response) {
  HttpResult out;
  out.route = std::move(route);
  if (!response) out.error = response.error().message;
  else {
    out.status = response->status;
    out.body = response->body;
  }
  return out;
}

std::optional<Outcome> server_error_outcome(const HttpResult& r) {
  if (!r.server_error()) return std::nullopt;
  return Outcome::fail("server error: " + (r.route.empty() ? std::string("the request") : r.route) + " answered HTTP " +
                           std::to_string(r.status) + (r.body.empty() ? "" : " \"" + clip(r.body, 80) + "\""),
                       "no HTTP 5xx on any request (DEC-52)");
}

std::optional<Outcome> blocked_or_server_error(const HttpResult& r) {
  if (!r.precondition.empty()) return Outcome::blocked(r.precondition);
  return server_error_outcome(r);
}

}  // namespace pnc::conf
