#include "app/data_paths.hpp"

#include <filesystem>
#include <system_error>

namespace pnc::conf {

std::string data_path(const std::string& installed, const std::string& compiled_in) {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return compiled_in;
  const std::filesystem::path candidate = (exe.parent_path() / installed).lexically_normal();
  return std::filesystem::exists(candidate, ec) ? candidate.string() : compiled_in;
}

}  // namespace pnc::conf
