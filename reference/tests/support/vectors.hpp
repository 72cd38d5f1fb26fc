// Test-only helpers: the golden vectors of PROTOCOL.md §13 (vectors/PROTOCOL-vectors.json) and
// the published RFC vectors (vectors/rfc/*.json), read at test time, never pasted into tests.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pnc/types.hpp"

namespace pnc::test {

// Path of a file under the project's vectors/ directory.
std::string vectors_path(std::string_view relative);
// Parsed vectors/PROTOCOL-vectors.json (cached).
const nlohmann::json& golden();
// Any JSON data file under vectors/.
nlohmann::json load_json(std::string_view relative);
// The bytes of any file under vectors/ (e.g. the real quotes of vectors/real-tdx/).
Bytes read_bytes(std::string_view relative);
// Test-side decoders that fail the current test on bad input (independent of pnc::codec).
Bytes hex(std::string_view text);
Bytes b64(std::string_view text);
std::string to_hex(ByteView data);
// golden()[section][key] as string / decoded hex bytes.
std::string gs(std::string_view section, std::string_view key);
Bytes gh(std::string_view section, std::string_view key);

}  // namespace pnc::test
