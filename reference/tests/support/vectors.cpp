#include "support/vectors.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "pnc/testkit/files.hpp"

namespace pnc::test {

std::string vectors_path(std::string_view relative) {
  return std::string(PNC_VECTORS_DIR) + "/" + std::string(relative);
}

nlohmann::json load_json(std::string_view relative) {
  const auto text = testkit::try_read_text(vectors_path(relative));
  if (!text) {
    ADD_FAILURE() << "cannot open " << vectors_path(relative);
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(*text);
}

Bytes read_bytes(std::string_view relative) {
  const auto text = testkit::try_read_text(vectors_path(relative));
  if (!text) {
    ADD_FAILURE() << "cannot open " << vectors_path(relative);
    return {};
  }
  return Bytes(text->begin(), text->end());
}

const nlohmann::json& golden() {
  static const nlohmann::json doc = load_json("PROTOCOL-vectors.json");
  return doc;
}

Bytes hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  if (text.size() % 2 != 0) {
    ADD_FAILURE() << "odd-length hex in test data: " << text;
    return out;
  }
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) {
      ADD_FAILURE() << "bad hex in test data: " << text;
      return {};
    }
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

Bytes b64(std::string_view text) {
  // OpenSSL's decoder, so the reference's own base64 is never its own oracle.
  Bytes out(text.size() / 4 * 3 + 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    ADD_FAILURE() << "bad base64 in test data: " << text;
    return {};
  }
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string to_hex(ByteView data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (auto b : data) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

std::string gs(std::string_view section, std::string_view key) {
  const auto& sec = golden().at(std::string(section));
  return sec.at(std::string(key)).get<std::string>();
}

Bytes gh(std::string_view section, std::string_view key) { return hex(gs(section, key)); }

}  // namespace pnc::test
