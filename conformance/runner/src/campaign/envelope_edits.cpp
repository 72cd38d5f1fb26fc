#include "campaign/envelope_edits.hpp"

#include <algorithm>

#include "campaign/property_gen.hpp"
#include "pnc/codec.hpp"
#include "pnc/json.hpp"

namespace pnc::conf::campaign {

std::optional<std::string> flipped(const std::string& frame, const std::string& member, std::size_t bit) {
  auto j = json::parse_object(frame, Profile::seed_spec);
  if (!j || !j->contains(member) || !(*j)[member].is_string()) return std::nullopt;
  auto bytes = codec::b64_decode((*j)[member].get<std::string>());
  if (!bytes || bytes->empty()) return std::nullopt;
  (*j)[member] = codec::b64_encode(gen::flip(std::move(*bytes), bit % (bytes->size() * 8)));
  return json::dump(*j);
}

const std::vector<std::string>& malformed_kinds() {
  static const std::vector<std::string> kinds = {
      "not-json", "array",    "drop-enc", "drop-nonce", "drop-ciphertext", "enc-upper",    "enc-prefix",  "enc-extended",
      "enc-other", "nonce-11", "nonce-13", "nonce-number", "dup-nonce",    "ct-15",        "extra-member", "inner-array",
      "inner-no-type", "inner-not-json"};
  return kinds;
}

std::optional<std::string> malformed(const Seal& seal, const std::string& kind, const std::string& inner) {
  if (kind == "not-json") return std::string("{\"enc\": ");
  if (kind == "array") return std::string("[]");
  if (kind == "inner-array") return seal("[]");
  if (kind == "inner-no-type") return seal(R"({"message_id":"m"})");
  if (kind == "inner-not-json") return seal("not json");
  const auto frame = seal(inner);
  if (!frame) return std::nullopt;
  auto j = json::parse_object(*frame, Profile::seed_spec);
  if (!j) return std::nullopt;
  auto shorten = [&](const char* member, std::size_t n) {
    auto b = codec::b64_decode((*j)[member].get<std::string>());
    if (b) (*j)[member] = codec::b64_encode(ByteView(b->data(), std::min(n, b->size())));
  };
  if (kind.rfind("drop-", 0) == 0) j->erase(kind.substr(5));
  else if (kind == "enc-upper") (*j)["enc"] = "CHACHA20POLY1305";
  else if (kind == "enc-prefix") (*j)["enc"] = "chacha20";
  else if (kind == "enc-extended") (*j)["enc"] = "chacha20poly1305-ietf";
  else if (kind == "enc-other") (*j)["enc"] = "aes-256-gcm";
  else if (kind == "dup-nonce") {
    // The member twice in the text (a JSON library cannot write that): the valid one first.
    std::string text = json::dump(*j);
    text.insert(text.size() - 1, R"(,"nonce":"AAAAAAAAAAAAAAAA")");
    return text;
  }
  else if (kind == "nonce-11") shorten("nonce", 11);
  else if (kind == "nonce-13") {
    if (auto b = codec::b64_decode((*j)["nonce"].get<std::string>())) {
      b->push_back(0);
      (*j)["nonce"] = codec::b64_encode(*b);
    }
  } else if (kind == "nonce-number") (*j)["nonce"] = 12;
  else if (kind == "ct-15") shorten("ciphertext", 15);
  else if (kind == "extra-member") (*j)["extra"] = "x";
  return json::dump(*j);
}

}  // namespace pnc::conf::campaign
