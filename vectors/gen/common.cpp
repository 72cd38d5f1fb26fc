#include "common.hpp"

#include "pnc/codec.hpp"

namespace pnc::vectors {
namespace {
std::vector<std::string>& failure_list() {
  static std::vector<std::string> f;
  return f;
}
}  // namespace

std::string Golden::s(std::string_view section, std::string_view key) const {
  const auto& sec = j.find(std::string(section));
  if (sec == j.end() || !sec->contains(std::string(key)) || !(*sec)[std::string(key)].is_string()) {
    fail("golden value missing: " + std::string(section) + "." + std::string(key));
    return {};
  }
  return (*sec)[std::string(key)].get<std::string>();
}
Bytes Golden::h(std::string_view section, std::string_view key) const {
  auto r = codec::hex_decode(s(section, key));
  if (!r.ok()) fail("golden value not hex: " + std::string(section) + "." + std::string(key));
  return r.ok() ? r.value() : Bytes{};
}
Bytes Golden::b(std::string_view section, std::string_view key) const {
  auto r = codec::b64_decode(s(section, key));
  if (!r.ok()) fail("golden value not base64: " + std::string(section) + "." + std::string(key));
  return r.ok() ? r.value() : Bytes{};
}

void fail(const std::string& what) { failure_list().push_back(what); }
void check(bool ok, const std::string& what) {
  if (!ok) fail(what);
}
void check_eq(const Bytes& got, const Bytes& want, const std::string& what) {
  if (got != want) fail(what + ": got " + codec::hex_encode(got) + ", want " + codec::hex_encode(want));
}
void check_eq(const std::string& got, const std::string& want, const std::string& what) {
  if (got != want) fail(what + ": got \"" + got + "\", want \"" + want + "\"");
}
const std::vector<std::string>& failures() { return failure_list(); }

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out(a);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
Bytes flip(Bytes b, std::size_t byte, std::uint8_t mask) {
  if (byte < b.size()) b[byte] ^= mask;
  return b;
}

}  // namespace pnc::vectors
