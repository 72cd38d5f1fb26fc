// Input decoding of pnc-tdx (input.hpp): the codecs are the reference's (pnc/codec.hpp).
#include "input.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "pnc/codec.hpp"

namespace pnc::tdx_cli {
namespace {

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_text(std::uint8_t c) { return is_space(c) || (c >= 0x20 && c < 0x7f); }

}  // namespace

Result<Bytes> read_input(const std::string& path) {
  if (path == "-") {
    std::cin >> std::noskipws;
    Bytes data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return make_error(kUnreadable, "cannot read stdin");
    return data;
  }
  // libstdc++ opens a directory and then throws from the read: refuse it by name first.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return make_error(kUnreadable, path + " is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(kUnreadable, "cannot open " + path);
  try {
    Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return make_error(kUnreadable, "cannot read " + path);
    return data;
  } catch (const std::ios_base::failure& e) {
    return make_error(kUnreadable, "cannot read " + path + ": " + e.what());
  }
}

Result<Bytes> decode_quote(const Bytes& input) {
  if (input.empty() || !std::all_of(input.begin(), input.end(), is_text)) return input;  // raw bytes
  std::string text;
  for (std::uint8_t c : input)
    if (!is_space(c)) text.push_back(static_cast<char>(c));
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) {
    auto hex = codec::hex_decode(text.substr(2));
    if (!hex) return make_error(kEncoding, "0x-prefixed text is not hex: " + hex.error().message);
    return *hex;
  }
  if (auto hex = codec::hex_decode(text)) return *hex;
  if (auto b64 = codec::b64_decode(text)) return *b64;
  return make_error(kEncoding, "text input is neither hex nor base64");
}

}  // namespace pnc::tdx_cli
