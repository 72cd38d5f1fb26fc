// Build single RFC 6455 frames byte by byte, including malformed ones (wrong length, no mask,
// reserved bits, a header that announces more payload than follows). For hostile tests via
// WsClient::send_raw_bytes / TcpClient / WsConnection::send_raw. Not used for normal traffic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pnc::net {

enum class WsOpcode : std::uint8_t {
  continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA
};

struct RawFrameSpec {
  WsOpcode opcode = WsOpcode::text;
  bool fin = true;
  std::uint8_t rsv = 0;       // RSV1..3 bits (0..7) as sent
  bool masked = true;         // clients must mask; servers must not
  std::uint32_t mask_key = 0x12345678;
  // The length written in the header; nullopt = the payload size. A larger value plus a short
  // payload is the "100 MiB frame attempt".
  std::optional<std::uint64_t> declared_length;
};

// Header + (masked) payload.
std::vector<std::uint8_t> encode_ws_frame(const RawFrameSpec& spec, std::string_view payload);

}  // namespace pnc::net
