// What pnc-tdx reads: files (or stdin) as bytes, and quotes given as raw bytes, hex or base64.
#pragma once

#include <string>

#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx_cli {

inline constexpr const char* kUnreadable = "input.unreadable";  // missing / unreadable file
inline constexpr const char* kEncoding = "input.encoding";      // text that is neither hex nor base64

// The whole file, or stdin for "-".
Result<Bytes> read_input(const std::string& path);

// A quote as given: raw bytes (anything that is not printable ASCII text), else hex (an optional
// 0x prefix, whitespace anywhere) or base64 (standard alphabet, padded, whitespace anywhere).
Result<Bytes> decode_quote(const Bytes& input);

}  // namespace pnc::tdx_cli
