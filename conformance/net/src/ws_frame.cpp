// Raw RFC 6455 frame encoding for hostile tests (§5.2 of RFC 6455: header, length, mask).
#include "pnc/net/ws_frame.hpp"

namespace pnc::net {

std::vector<std::uint8_t> encode_ws_frame(const RawFrameSpec& spec, std::string_view payload) {
  std::vector<std::uint8_t> out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<std::uint8_t>((spec.fin ? 0x80u : 0u) | ((spec.rsv & 0x7u) << 4) |
                                          (static_cast<unsigned>(spec.opcode) & 0xFu)));
  const std::uint64_t len = spec.declared_length.value_or(payload.size());
  const std::uint8_t mask_bit = spec.masked ? 0x80 : 0x00;
  if (len < 126) {
    out.push_back(static_cast<std::uint8_t>(mask_bit | len));
  } else if (len <= 0xFFFF) {
    out.push_back(static_cast<std::uint8_t>(mask_bit | 126u));
    out.push_back(static_cast<std::uint8_t>(len >> 8));
    out.push_back(static_cast<std::uint8_t>(len));
  } else {
    out.push_back(static_cast<std::uint8_t>(mask_bit | 127u));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<std::uint8_t>(len >> shift));
    }
  }
  std::uint8_t key[4] = {static_cast<std::uint8_t>(spec.mask_key >> 24),
                         static_cast<std::uint8_t>(spec.mask_key >> 16),
                         static_cast<std::uint8_t>(spec.mask_key >> 8),
                         static_cast<std::uint8_t>(spec.mask_key)};
  if (spec.masked) out.insert(out.end(), key, key + 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    auto byte = static_cast<std::uint8_t>(payload[i]);
    out.push_back(spec.masked ? static_cast<std::uint8_t>(byte ^ key[i % 4]) : byte);
  }
  return out;
}

}  // namespace pnc::net
