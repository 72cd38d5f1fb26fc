// codec_test.json: the text encodings and JSON rules of PROTOCOL.md §0.3 / §12.1 (N-ENC-01..12)
// and DEC-01..04: strict vs lenient base64, base64url (MinerToken), hex, JSON parsing and typed
// member access. Results are derived from the spec rules; sdk-compat outputs follow CPython
// (base64.b64decode, bytes.fromhex) as DEC-03/DEC-04 require.
#include <cctype>
#include <optional>
#include <string>

#include "common.hpp"
#include "pnc/codec.hpp"
#include "pnc/json.hpp"
#include "pnc/rng.hpp"

namespace pnc::vectors {
namespace {

constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kB64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool is_hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string printable(char c) {
  if (c == ' ') return "space";
  return std::string("'") + c + "'";
}

}  // namespace

VectorFile gen_codec(const Golden&) {
  VectorFile f("codec_test.json", "PNC-CODEC", "pnc_codec_schema_v1.json",
               {"Text encodings and JSON rules of PROTOCOL.md §0.3 and §12.1 (N-ENC-01..12).",
                "Base64Decode/HexDecode: `size` (when not null) is the field's required decoded length;",
                "`output` is the decoded value in every profile whose result is valid.",
                "sdk-compat base64 = CPython base64.b64decode(validate=False) (DEC-03), hex = bytes.fromhex",
                "(DEC-04), JSON = Python json.loads except NaN/Infinity (DEC-01) and a 1000-level bound (DEC-02)."});
  f.note("Canonical", "BASIC", "A canonical encoding; accepted in every profile.", "Valid input is rejected.");
  f.note("ForeignCharacter", "MALLEABILITY",
         "A character outside the alphabet (N-ENC-01, N-ENC-07). seed-spec rejects; sdk-compat skips it (quirk).",
         "Several encodings of one value exist; filters on the encoded text are bypassed.");
  f.note("BadPadding", "EDGE_CASE", "Missing, excess or misplaced '=' (N-ENC-02, N-ENC-04).",
         "Non-canonical encodings are accepted.");
  f.note("NonCanonicalBits", "MALLEABILITY",
         "The unused low bits of the last symbol are not zero (N-ENC-03). seed-spec rejects; sdk-compat accepts.",
         "Several encodings of one value exist (signature / token malleability).");
  f.note("WrongLength", "EDGE_CASE", "The decoded length is one off the field's required length, or empty (N-ENC-05, N-ENC-06).",
         "Truncated or extended keys, nonces or signatures are accepted.");
  f.note("HexLeniency", "MALLEABILITY", "Hex with whitespace between byte pairs (N-ENC-07). sdk-compat accepts (quirk).",
         "Several encodings of one nonce exist.");
  f.note("BadHex", "EDGE_CASE", "Odd length, 0x prefix, a non-hex character or a split byte pair (N-ENC-07).",
         "Malformed hex is accepted.");
  f.note("NotObject", "MISSING_STEP", "A JSON value that is not an object where an object is required (N-ENC-08).",
         "Type confusion in the message parser.");
  f.note("DuplicateMember", "CAN_OF_WORMS", "An object with a duplicate member name (N-ENC-09). sdk-compat: last wins.",
         "Two parsers see different values for one message.");
  f.note("InvalidJson", "EDGE_CASE", "Not RFC 8259 JSON: NaN, Infinity, bad UTF-8, lone surrogates, syntax errors (N-ENC-10).",
         "Parsers disagree on the message.");
  f.note("DeepNesting", "EDGE_CASE", "Nesting deeper than 64 (N-ENC-11); sdk-compat bounds it at 1000 (DEC-02).",
         "Stack exhaustion on hostile input.");
  f.note("WrongMemberType", "MISSING_STEP", "A required member is missing or has the wrong JSON type (N-ENC-12).",
         "Type confusion in the message handler.");

  // ---- Base64Decode ----
  f.group("Base64Decode");
  auto b64case = [&](const Case& c, const std::string& input, std::optional<std::size_t> size) {
    OJson fields = {{"input", input}, {"size", size ? OJson(*size) : OJson(nullptr)}};
    // The decoded value of the profile(s) that accept (they agree whenever both accept).
    const Profile p = c.expect.seed == "valid" ? Profile::seed_spec : Profile::sdk_compat;
    if (c.expect.seed == "valid" || c.expect.compat != "invalid") {
      auto r = size ? codec::b64_decode_exact(input, *size, p) : codec::b64_decode(input, p);
      check(r.ok(), "base64 case expected valid: " + input);
      if (r.ok()) fields["output"] = hex(r.value());
    }
    f.add(c, fields);
  };
  DeterministicRng rng(std::uint64_t{0xb64});
  for (std::size_t n = 0; n <= 40; ++n)
    b64case({std::to_string(n) + " bytes, canonical", {"Canonical"}, {"§0.3"}}, codec::b64_encode(rng.bytes(n)), n);
  for (std::size_t n : {64u, 65u, 84u, 1024u})
    b64case({std::to_string(n) + " bytes, canonical", {"Canonical"}, {"§0.3"}}, codec::b64_encode(rng.bytes(n)), n);
  // Every printable ASCII character as the 4th symbol of "AAA?".
  for (char c = 0x20; c < 0x7f; ++c) {
    const bool in_alphabet = kB64.find(c) != std::string_view::npos || c == '=';
    const std::string in = std::string("AAA") + c;
    if (in_alphabet)
      b64case({"\"AAA\" + " + printable(c), {"Canonical"}, {"§0.3"}}, in, std::nullopt);
    else  // sdk-compat skips the character and then lacks padding: rejected too.
      b64case({"\"AAA\" + " + printable(c), {"ForeignCharacter"}, {"N-ENC-01"}, invalid()}, in, std::nullopt);
  }
  // Foreign characters inside a complete 32-byte key: sdk-compat skips them (N-ENC-01).
  const std::string key_b64 = codec::b64_encode(rng.bytes(32));
  for (std::string_view ch : {"*", " ", "\n", "\r\n", "\t", "-", "_", ".", "!", "~", "\\", "\"", "#"}) {
    for (std::size_t pos : {std::size_t{0}, std::size_t{20}, std::size_t{43}}) {
      std::string in = key_b64;
      in.insert(pos, ch);
      std::string label;
      for (char c : ch) label += c == '\n' ? "LF" : c == '\r' ? "CR" : c == '\t' ? "TAB" : printable(c);
      b64case({"32-byte key with " + label + " inserted at " + std::to_string(pos), {"ForeignCharacter"},
               {"N-ENC-01", "D-36"}, strict_reject()}, in, 32);
    }
  }
  // Non-ASCII text: Python's b64decode(str) raises, binascii.a2b_base64(bytes) skips it (DEC-03
  // follows the latter); the spec does not decide which, so sdk-compat may do either.
  b64case({"32-byte key with U+00E9 inserted", {"ForeignCharacter"}, {"N-ENC-01", "DEC-03"},
           {"invalid", "acceptable", "invalid"}},
          key_b64.substr(0, 20) + "\xc3\xa9" + key_b64.substr(20), 32);
  // Padding (N-ENC-02, N-ENC-04).
  b64case({"\"AAE\": 2 bytes without padding", {"BadPadding"}, {"N-ENC-02"}, invalid()}, "AAE", std::nullopt);
  b64case({"\"AA\": 1 byte without padding", {"BadPadding"}, {"N-ENC-02"}, invalid()}, "AA", std::nullopt);
  b64case({"\"AA=\": one '=' missing", {"BadPadding"}, {"N-ENC-02"}, invalid()}, "AA=", std::nullopt);
  b64case({"\"A===\": one symbol and three '='", {"BadPadding"}, {"N-ENC-02"}, invalid()}, "A===", std::nullopt);
  b64case({"\"A\": a lone symbol", {"BadPadding"}, {"N-ENC-02"}, invalid()}, "A", std::nullopt);
  b64case({"\"AA==AA==\": padding in the middle", {"BadPadding"}, {"N-ENC-04", "DEC-03"}, strict_reject()},
          "AA==AA==", std::nullopt);
  b64case({"\"AAE==\": excess padding", {"BadPadding"}, {"N-ENC-04", "DEC-03"}, strict_reject()}, "AAE==", std::nullopt);
  b64case({"\"=AAE\": padding first", {"BadPadding"}, {"N-ENC-04"}, invalid()}, "=AAE", std::nullopt);
  b64case({"\"AA=E\": padding before data", {"BadPadding"}, {"N-ENC-04"}, invalid()}, "AA=E", std::nullopt);
  b64case({"\"====\": padding only", {"BadPadding"}, {"N-ENC-04", "DEC-03"}, strict_reject()}, "====", std::nullopt);
  // Non-canonical trailing bits (N-ENC-03): every last symbol of a 1-byte and a 32-byte value.
  const std::string key_prefix = key_b64.substr(0, 42);
  for (char c : kB64) {
    const auto idx = kB64.find(c);
    const bool canon1 = (idx & 0x0f) == 0, canon32 = (idx & 0x03) == 0;
    b64case({std::string("1 byte, \"A") + c + "==\"", {canon1 ? "Canonical" : "NonCanonicalBits"}, {"N-ENC-03"},
             canon1 ? valid() : strict_reject()}, std::string("A") + c + "==", 1);
    b64case({std::string("32-byte key ending \"") + c + "=\"", {canon32 ? "Canonical" : "NonCanonicalBits"},
             {"N-ENC-03", "D-36"}, canon32 ? valid() : strict_reject()}, key_prefix + c + "=", 32);
  }
  b64case({"\"AAF=\" (spec example)", {"NonCanonicalBits"}, {"N-ENC-03"}, strict_reject()}, "AAF=", 2);
  b64case({"\"AAE=\" (spec example)", {"Canonical"}, {"N-ENC-03"}}, "AAE=", 2);
  // Decoded length one off the required length (N-ENC-05) and empty (N-ENC-06).
  for (std::size_t need : {32u, 12u, 64u, 24u}) {
    for (std::size_t got : {need - 1, need + 1}) {
      b64case({std::to_string(got) + " bytes where " + std::to_string(need) + " are required", {"WrongLength"},
               {"N-ENC-05"}, invalid()}, codec::b64_encode(rng.bytes(got)), need);
    }
  }
  b64case({"47-byte sealed box where >= 48 are needed: as a 48-byte field", {"WrongLength"}, {"N-ENC-05", "N-CRED-01"},
           invalid()}, codec::b64_encode(rng.bytes(47)), 48);
  b64case({"empty string for a 32-byte field", {"WrongLength"}, {"N-ENC-06"}, invalid()}, "", 32);
  b64case({"empty string, no required length", {"Canonical"}, {"N-ENC-06"}}, "", std::nullopt);

  // ---- Base64UrlDecode (MinerToken segments, strict in every profile) ----
  f.group("Base64UrlDecode");
  auto urlcase = [&](const Case& c, const std::string& input) {
    OJson fields = {{"input", input}};
    if (c.expect.seed == "valid") {
      auto r = codec::b64url_decode(input);
      check(r.ok(), "base64url expected valid: " + input);
      if (r.ok()) fields["output"] = hex(r.value());
    }
    f.add(c, fields);
  };
  for (std::size_t n = 0; n <= 20; ++n)
    urlcase({std::to_string(n) + " bytes, canonical", {"Canonical"}, {"§0.3"}}, codec::b64url_encode(rng.bytes(n)));
  const std::string url = codec::b64url_encode(rng.bytes(32));  // 43 symbols
  urlcase({"32 bytes with '=' padding", {"BadPadding"}, {"N-TOK-09"}, invalid()}, url + "=");
  urlcase({"1 byte with '==' padding", {"BadPadding"}, {"N-TOK-09"}, invalid()}, "AA==");
  urlcase({"'+' (standard alphabet)", {"ForeignCharacter"}, {"N-TOK-09"}, invalid()}, "+" + url.substr(1));
  urlcase({"'/' (standard alphabet)", {"ForeignCharacter"}, {"N-TOK-09"}, invalid()}, url.substr(0, 42) + "/");
  urlcase({"'-' and '_' (URL alphabet)", {"Canonical"}, {"§0.3"}}, "-_-_");
  urlcase({"length mod 4 == 1", {"BadPadding"}, {"N-TOK-09"}, invalid()}, "AAAAA");
  urlcase({"space inside", {"ForeignCharacter"}, {"N-TOK-09"}, invalid()}, "AA AA");
  for (char c : kB64Url) {
    const auto idx = kB64Url.find(c);
    const bool canon = (idx & 0x03) == 0;
    urlcase({std::string("2 bytes, \"AA") + c + "\"", {canon ? "Canonical" : "NonCanonicalBits"}, {"N-TOK-09"},
             canon ? valid() : invalid()}, std::string("AA") + c);
  }

  // ---- HexDecode ----
  f.group("HexDecode");
  auto hexcase = [&](const Case& c, const std::string& input, std::optional<std::size_t> size) {
    OJson fields = {{"input", input}, {"size", size ? OJson(*size) : OJson(nullptr)}};
    const Profile p = c.expect.seed == "valid" ? Profile::seed_spec : Profile::sdk_compat;
    if (c.expect.seed == "valid" || c.expect.compat == "valid") {
      auto r = size ? codec::hex_decode_exact(input, *size, p) : codec::hex_decode(input, p);
      check(r.ok(), "hex case expected valid: " + input);
      if (r.ok()) fields["output"] = hex(r.value());
    }
    f.add(c, fields);
  };
  const std::string nonce_hex = codec::hex_encode(rng.bytes(32));
  std::string upper = nonce_hex;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  hexcase({"64 lowercase hex chars", {"Canonical"}, {"N-ENC-07"}}, nonce_hex, 32);
  hexcase({"64 uppercase hex chars (accepted on input)", {"Canonical"}, {"N-ENC-07"}}, upper, 32);
  hexcase({"empty string, no required length", {"Canonical"}, {"DEC-04"}}, "", std::nullopt);
  hexcase({"63 chars (odd)", {"BadHex"}, {"N-ENC-07"}, invalid()}, nonce_hex.substr(0, 63), std::nullopt);
  hexcase({"65 chars (odd)", {"BadHex"}, {"N-ENC-07"}, invalid()}, nonce_hex + "a", std::nullopt);
  hexcase({"62 chars where 32 bytes are required", {"WrongLength"}, {"N-ENC-07", "N-HS-05"}, invalid()},
          nonce_hex.substr(0, 62), 32);
  hexcase({"66 chars where 32 bytes are required", {"WrongLength"}, {"N-ENC-07", "N-HS-05"}, invalid()},
          nonce_hex + "00", 32);
  hexcase({"\"0x\" prefix", {"BadHex"}, {"N-ENC-07"}, invalid()}, "0x" + nonce_hex.substr(2), std::nullopt);
  hexcase({"non-hex character 'g'", {"BadHex"}, {"N-ENC-07"}, invalid()}, "g" + nonce_hex.substr(1), std::nullopt);
  hexcase({"space inside a byte pair", {"BadHex"}, {"N-ENC-07", "DEC-04"}, invalid()}, "0 01122", std::nullopt);
  for (std::string_view ws : {" ", "\t", "\n", "\r", "\v", "\f", "  "}) {
    std::string label;
    for (char c : ws) label += c == ' ' ? "SP" : c == '\t' ? "TAB" : c == '\n' ? "LF" : c == '\r' ? "CR" : c == '\v' ? "VT" : "FF";
    hexcase({label + " between byte pairs", {"HexLeniency"}, {"N-ENC-07", "DEC-04"}, strict_reject()},
            "00" + std::string(ws) + "0102", std::nullopt);
    hexcase({"leading " + label, {"HexLeniency"}, {"N-ENC-07", "DEC-04"}, strict_reject()},
            std::string(ws) + "000102", std::nullopt);
  }
  hexcase({"32-byte nonce with a space between two pairs", {"HexLeniency"}, {"N-ENC-07", "N-HS-05"}, strict_reject()},
          nonce_hex.substr(0, 32) + " " + nonce_hex.substr(32), 32);
  for (char c = 0x20; c < 0x7f; ++c) {
    const std::string in = std::string("0") + c;
    if (is_hex_digit(c))
      hexcase({"\"0\" + " + printable(c), {"Canonical"}, {"N-ENC-07"}}, in, 1);
    else
      hexcase({"\"0\" + " + printable(c), {"BadHex"}, {"N-ENC-07"}, invalid()}, in, std::nullopt);
  }

  // ---- JsonParse: `object` true = a JSON object is required (parse_object) ----
  f.group("JsonParse");
  auto jcase = [&](const Case& c, const std::string& text, bool object, bool as_hex = false) {
    OJson fields = OJson::object();
    if (as_hex) fields["inputHex"] = hex(text); else fields["input"] = text;
    fields["object"] = object;
    f.add(c, fields);
  };
  jcase({"empty object", {"Canonical"}, {"§0.3"}}, "{}", true);
  jcase({"V2 inner message", {"Canonical"}, {"V2"}}, R"({"type":"orm_ready","schema":"challenge_demo"})", true);
  jcase({"unknown members and whitespace", {"Canonical"}, {"§0.3"}}, " {\n\t\"type\" : \"x\", \"zz\": [1, 2.5, null, true]\r\n} ", true);
  jcase({"escaped and raw non-ASCII text", {"Canonical"}, {"§0.3"}}, "{\"a\":\"\\u00e9\xc3\xa9\\ud83d\\ude00\"}", true);
  jcase({"top-level array where an object is required", {"NotObject"}, {"N-ENC-08"}, invalid()}, "[]", true);
  jcase({"top-level string where an object is required", {"NotObject"}, {"N-ENC-08"}, invalid()}, "\"x\"", true);
  jcase({"top-level number where an object is required", {"NotObject"}, {"N-ENC-08"}, invalid()}, "1", true);
  jcase({"top-level null where an object is required", {"NotObject"}, {"N-ENC-08"}, invalid()}, "null", true);
  jcase({"top-level array, any value allowed", {"Canonical"}, {"§0.3"}}, "[1,{}]", false);
  jcase({"duplicate member (spec example)", {"DuplicateMember"}, {"N-ENC-09"}, strict_reject()},
        R"({"type":"attestation_ok","type":"x"})", true);
  jcase({"duplicate member in a nested object", {"DuplicateMember"}, {"N-ENC-09"}, strict_reject()},
        R"({"a":{"b":1,"b":2}})", true);
  jcase({"same name in sibling objects (not a duplicate)", {"Canonical"}, {"N-ENC-09"}}, R"({"a":{"b":1},"c":{"b":2}})", true);
  for (std::string_view bad : {"NaN", "Infinity", "-Infinity"})
    jcase({std::string(bad) + " as a member value", {"InvalidJson"}, {"N-ENC-10", "DEC-01"}, invalid()},
          "{\"a\":" + std::string(bad) + "}", true);
  jcase({"invalid UTF-8 C3 28 in a string", {"InvalidJson"}, {"N-ENC-10"}, invalid()}, "{\"a\":\"\xc3\x28\"}", true, true);
  jcase({"invalid UTF-8 FF in a string", {"InvalidJson"}, {"N-ENC-10"}, invalid()}, "{\"a\":\"\xff\"}", true, true);
  jcase({"overlong UTF-8 C0 AF", {"InvalidJson"}, {"N-ENC-10"}, invalid()}, "{\"a\":\"\xc0\xaf\"}", true, true);
  jcase({"UTF-8 encoded surrogate ED A0 80", {"InvalidJson"}, {"N-ENC-10"}, invalid()}, "{\"a\":\"\xed\xa0\x80\"}", true, true);
  jcase({"lone high surrogate escape", {"InvalidJson"}, {"N-ENC-10"}, invalid()}, R"({"a":"\ud800"})", true);
  jcase({"lone low surrogate escape", {"InvalidJson"}, {"N-ENC-10"}, invalid()}, R"({"a":"\udc00"})", true);
  // RFC 8259 §8.1 lets a parser ignore a leading byte order mark; the spec does not decide.
  jcase({"UTF-8 byte order mark before the object", {"InvalidJson"}, {"N-ENC-10"}, all("acceptable")},
        "\xef\xbb\xbf{}", true, true);
  for (std::string_view bad : {"{\"a\":1,}", "{'a':1}", "{\"a\":01}", "{\"a\":1} x", "", "   ", "{\"a\":\"\x01\"}",
                               "{\"a\":1 /* c */}", "{\"a\"}", "{\"a\":tru}", "{\"a\":1"})
    jcase({"syntax error: " + hex(std::string(bad)), {"InvalidJson"}, {"N-ENC-10"}, invalid()}, std::string(bad), true,
          true);
  auto nested = [](std::size_t depth) {
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  jcase({"nesting depth 64", {"Canonical"}, {"N-ENC-11"}}, nested(64), true);
  jcase({"nesting depth 65", {"DeepNesting"}, {"N-ENC-11", "DEC-02"}, strict_reject()}, nested(65), true);
  jcase({"nesting depth 1000", {"DeepNesting"}, {"N-ENC-11", "DEC-02"}, strict_reject()}, nested(1000), true);
  jcase({"nesting depth 1001", {"DeepNesting"}, {"N-ENC-11", "DEC-02"}, invalid()}, nested(1001), true);

  // ---- JsonMember: typed access to a required member of a parsed object ----
  f.group("JsonMember");
  auto mcase = [&](const Case& c, const std::string& text, const std::string& member, const std::string& kind) {
    f.add(c, {{"input", text}, {"member", member}, {"kind", kind}});
  };
  mcase({"string member", {"Canonical"}, {"§0.3"}}, R"({"nonce":"00"})", "nonce", "string");
  mcase({"\"nonce\": 123", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"nonce":123})", "nonce", "string");
  mcase({"\"hkdf_salt\": null", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"hkdf_salt":null})", "hkdf_salt", "string");
  mcase({"\"quote\": []", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"quote":[]})", "quote", "string");
  mcase({"\"quote\": {}", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"quote":{}})", "quote", "string");
  mcase({"\"quote\": true", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"quote":true})", "quote", "string");
  mcase({"missing member", {"WrongMemberType"}, {"N-ENC-12", "N-HS-04"}, invalid()}, R"({"other":"x"})", "nonce", "string");
  mcase({"member name differs in case", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"Nonce":"x"})", "nonce", "string");
  mcase({"integer member", {"Canonical"}, {"§0.3"}}, R"({"exp":1700000300})", "exp", "int");
  mcase({"negative integer member", {"Canonical"}, {"§0.3"}}, R"({"exp":-1})", "exp", "int");
  mcase({"integer as a string", {"WrongMemberType"}, {"N-ENC-12", "N-TOK-11"}, invalid()}, R"({"exp":"1700000300"})", "exp", "int");
  mcase({"integer with a fraction", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"exp":1.5})", "exp", "int");
  mcase({"integer as boolean", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"exp":true})", "exp", "int");
  mcase({"object member", {"Canonical"}, {"§0.3"}}, R"({"crypto":{}})", "crypto", "object");
  mcase({"object member as a string", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"crypto":"{}"})", "crypto", "object");
  mcase({"object member as an array", {"WrongMemberType"}, {"N-ENC-12"}, invalid()}, R"({"crypto":[]})", "crypto", "object");
  return f;
}

}  // namespace pnc::vectors
