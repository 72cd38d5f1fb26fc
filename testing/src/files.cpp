#include "pnc/testkit/files.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace pnc::testkit {

std::optional<std::string> try_read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string read_text(const std::filesystem::path& path) {
  auto text = try_read_text(path);
  if (!text) throw std::runtime_error("cannot read " + path.string());
  return std::move(*text);
}

Bytes read_bytes(const std::filesystem::path& path) {
  const std::string text = read_text(path);
  return Bytes(text.begin(), text.end());
}

}  // namespace pnc::testkit
