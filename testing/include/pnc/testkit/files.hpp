// File helpers of the test toolkit.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "pnc/testkit/bytes.hpp"

namespace pnc::testkit {

// The whole file as text / bytes; throws std::runtime_error naming the path when it cannot be read.
std::string read_text(const std::filesystem::path& path);
Bytes read_bytes(const std::filesystem::path& path);
// The same, nullopt when the file cannot be read.
std::optional<std::string> try_read_text(const std::filesystem::path& path);

}  // namespace pnc::testkit
