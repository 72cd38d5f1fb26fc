// fuzz_json_strict (PROTOCOL.md §14, §0.3): arbitrary bytes as JSON text.
// Oracle: differential against a deliberately simple independent RFC 8259 scanner
// (fuzz_support.cc) — seed-spec accepts exactly the documents that are valid UTF-8 JSON with
// nesting <= 64 and no duplicate member names; sdk-compat accepts exactly the valid documents
// with nesting <= 1000 (DEC-02), duplicates allowed. Error codes name the failed rule.
// Accepted documents survive dump -> parse unchanged, and parse_object agrees on the top type.
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "pnc/json.hpp"

using namespace pnc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fuzz::JsonScan scan = fuzz::scan_json(text);

  auto strict = json::parse(text, Profile::seed_spec);
  FUZZ_ASSERT(strict.ok() == fuzz::strict_json_ok(scan), "seed-spec JSON verdict differs from the scanner");
  if (!strict && scan.valid) {
    if (scan.depth > json::kMaxDepth)
      FUZZ_ASSERT(strict.error().code == json::kTooDeep || strict.error().code == json::kDuplicate,
                  "too-deep document rejected for another reason");
    else if (scan.duplicate)
      FUZZ_ASSERT(strict.error().code == json::kDuplicate, "duplicate member rejected for another reason");
  }

  auto compat = json::parse(text, Profile::sdk_compat);
  FUZZ_ASSERT(compat.ok() == (scan.valid && scan.depth <= 1000), "sdk-compat JSON verdict differs from the scanner");
  if (strict) FUZZ_ASSERT(compat && *compat == *strict, "sdk-compat value differs from seed-spec value");

  if (compat) {
    // The emitter's compact form re-parses to the same value (and is itself strict-valid when
    // the source was, since dump() never duplicates members).
    const std::string again = json::dump(*compat);
    auto reparsed = json::parse(again, Profile::sdk_compat);
    FUZZ_ASSERT(reparsed.ok(), "dump() output does not parse");
    if (strict) FUZZ_ASSERT(json::parse(again, Profile::seed_spec).ok(), "dump() of a strict document is not strict");
    auto obj = json::parse_object(text, Profile::sdk_compat);
    FUZZ_ASSERT(obj.ok() == compat->is_object(), "parse_object disagrees with the top-level type");
    FUZZ_ASSERT(compat->is_object() == (scan.top == '{'), "top-level type differs from the scanner");
    if (compat->is_object()) {
      // Typed accessors never throw and agree with the value's type.
      for (const char* name : {"type", "nonce", "enc", "exp", "payload"}) {
        auto s = json::get_string(*compat, name);
        auto it = compat->find(name);
        FUZZ_ASSERT(s.ok() == (it != compat->end() && it->is_string()), "get_string disagrees with the value");
        (void)json::get_int(*compat, name);
        (void)json::get_object(*compat, name);
      }
    }
  }
  return 0;
}
