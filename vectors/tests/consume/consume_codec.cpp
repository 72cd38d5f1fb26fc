// Consumer of codec_test.json: base64 (strict / CPython-lenient), base64url, hex, JSON parsing
// and typed member access, each under the run's profile.
#include "pnc/codec.hpp"
#include "pnc/json.hpp"
#include "runner.hpp"

namespace pnc::vectors {
namespace {

Verdict decoded(const Result<Bytes>& r, const Json& t) {
  if (!r.ok()) return {false, {}};
  if (!t.contains("output")) return {true, "accepted a case without an expected output"};
  return {true, compare("output", r.value(), hex_field(t, "output"))};
}

}  // namespace

Verdict run_codec(const Json& g, const Json& t, Profile p) {
  const std::string type = g["type"].get<std::string>();
  if (type == "Base64Decode" || type == "HexDecode") {
    const bool b64 = type == "Base64Decode";
    const std::string in = str_field(t, "input");
    if (t["size"].is_null()) return decoded(b64 ? codec::b64_decode(in, p) : codec::hex_decode(in, p), t);
    const auto n = t["size"].get<std::size_t>();
    return decoded(b64 ? codec::b64_decode_exact(in, n, p) : codec::hex_decode_exact(in, n, p), t);
  }
  if (type == "Base64UrlDecode") return decoded(codec::b64url_decode(str_field(t, "input")), t);
  if (type == "JsonParse") {
    const std::string text = t.contains("inputHex") ? to_string(hex_field(t, "inputHex")) : str_field(t, "input");
    return {(t["object"].get<bool>() ? json::parse_object(text, p) : json::parse(text, p)).ok(), {}};
  }
  if (type == "JsonMember") {
    const auto obj = json::parse_object(str_field(t, "input"), p);
    if (!obj.ok()) return {false, "input is not an object"};
    const std::string kind = str_field(t, "kind"), member = str_field(t, "member");
    if (kind == "string") return {json::get_string(obj.value(), member).ok(), {}};
    if (kind == "int") return {json::get_int(obj.value(), member).ok(), {}};
    return {json::get_object(obj.value(), member).ok(), {}};
  }
  return {false, "unknown group type " + type};
}

}  // namespace pnc::vectors
