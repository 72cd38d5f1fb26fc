// Blocking HTTP/1.1 clients with one overall timeout per request (connect + write + read). One
// TCP (or Unix socket) connection per request ("Connection: close"); responses are read up to a size limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pnc/net/types.hpp"

namespace pnc::net {

struct HttpClientOptions {
  std::size_t max_response_body = kDefaultMaxMessage;
};

// `base_url` = http://host:port (any path in it is ignored); `target` = the request-target sent
// verbatim (path + query). Host, Content-Length and Connection: close are added unless present in
// `headers`. Headers are sent in the given order. Errors: kBadUrl, kConnectFailed, kTimeout, kIo,
// kTooLarge. A non-2xx status is NOT an error: it is returned in HttpResponse::status.
Result<HttpResponse> http_request(std::string_view base_url, std::string_view method,
                                  std::string_view target, const Headers& headers,
                                  std::string_view body, Millis timeout,
                                  const HttpClientOptions& options = {});

// The same exchange over a local Unix stream socket at `socket_path` (Host: localhost). Errors as
// above; kBadArgument for an empty or over-long path, kConnectFailed when nothing listens there.
Result<HttpResponse> http_request_unix(std::string_view socket_path, std::string_view method,
                                       std::string_view target, const Headers& headers,
                                       std::string_view body, Millis timeout,
                                       const HttpClientOptions& options = {});

}  // namespace pnc::net
