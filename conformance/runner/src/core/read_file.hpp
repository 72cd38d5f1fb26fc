// Every file the runner reads whole (SUT descriptions, expectations, requirements, reports, PEM
// roots, finding files) goes through one function.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace pnc::conf {

// The file's bytes, or nullopt when it cannot be opened or read to its end.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace pnc::conf
