// Plain data shared by every part of pnc_net: URLs, HTTP messages, WebSocket frames, limits.
// pnc_net only moves bytes and enforces timeouts and size limits; it knows no protocol rules.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pnc/result.hpp"

namespace pnc::net {

using Millis = std::chrono::milliseconds;

// Error codes (Error::code) returned by pnc_net.
inline constexpr const char* kBadUrl = "net.bad_url";
inline constexpr const char* kTimeout = "net.timeout";
inline constexpr const char* kConnectFailed = "net.connect_failed";
inline constexpr const char* kUpgradeRejected = "net.upgrade_rejected";  // WS upgrade got non-101
inline constexpr const char* kIo = "net.io";                            // read/write failed
inline constexpr const char* kClosed = "net.closed";                    // connection already closed
inline constexpr const char* kTooLarge = "net.too_large";               // a size limit was hit
inline constexpr const char* kListenFailed = "net.listen_failed";
inline constexpr const char* kBadArgument = "net.bad_argument";

inline constexpr std::size_t kMiB = 1024u * 1024u;
inline constexpr std::size_t kDefaultMaxMessage = 16 * kMiB;   // PROTOCOL.md §10
inline constexpr std::size_t kHandshakeMaxMessage = 1 * kMiB;  // §10, the 4 handshake messages

// ws://host:port/path or http://host:port/path. Only plain (non-TLS) schemes; the host is a name
// or an IPv4 literal (IPv6 literals in brackets are accepted). Port defaults to 80.
struct Url {
  std::string scheme;  // "ws" or "http"
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";  // path + optional query, exactly as it goes on the wire
};
Result<Url> parse_url(std::string_view url);

// Header fields in wire order; duplicates are preserved. Lookup is case-insensitive.
using Headers = std::vector<std::pair<std::string, std::string>>;
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";  // exactly as sent / received (e.g. "POST")
  std::string target = "/";    // request-target exactly as on the wire (path + query)
  Headers headers;
  std::string body;
  std::string remote;  // server side: "ip:port" of the peer; ignored by the client

  std::string_view path() const;  // target without "?query"
};

struct HttpResponse {
  int status = 0;
  std::string reason;  // may be empty; the server fills the standard reason phrase
  Headers headers;
  std::string body;
};

// Convenience: a response with Content-Type application/json.
HttpResponse json_response(int status, std::string body);

// One receive() result of a WebSocket endpoint.
enum class FrameKind {
  text,     // data = the message payload (valid UTF-8, checked by Beast)
  binary,   // data = the message payload
  close,    // the peer closed (or the local side failed the connection with close_code)
  timeout,  // nothing arrived in time; the connection is still usable
  error,    // transport failure (reset, EOF without close, limit exceeded, ...); see error
};

struct Frame {
  FrameKind kind = FrameKind::error;
  std::string data;
  std::uint16_t close_code = 0;  // close: code received (1005 when the close frame had none)
  std::string close_reason;
  std::string error;  // error: human-readable cause (e.g. "message too big")
};

}  // namespace pnc::net
