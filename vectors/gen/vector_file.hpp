// One Wycheproof-v1-style vector file under construction: top-level members, the notes table
// (one entry per flag), test groups and tests with automatically numbered tcIds. Member order is
// fixed (ordered_json) so that the generator's output is byte-for-byte reproducible.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pnc::vectors {

using OJson = nlohmann::ordered_json;

// Generator identity written into every group's `source` (bump when the output changes).
inline constexpr const char* kSourceName = "pnc-vectors-gen";
inline constexpr const char* kSourceVersion = "1.0";

// The expected result per profile. `seed` is the normative result (written as `result`); the
// other two are written under `profiles` only where they differ from it.
struct Expect {
  std::string seed;
  std::string compat;
  std::string hard;
};
inline Expect all(const char* r) { return {r, r, r}; }
inline Expect valid() { return all("valid"); }
inline Expect invalid() { return all("invalid"); }
// Strict profiles reject, sdk-compat accepts (an upstream quirk).
inline Expect strict_reject() { return {"invalid", "valid", "invalid"}; }
// Only hardened rejects.
inline Expect hard_reject() { return {"valid", "valid", "invalid"}; }

struct Case {
  std::string comment;
  std::vector<std::string> flags;
  std::vector<std::string> requirements;  // spec ids: V1..V10, N-..., D-..., or section refs
  Expect expect = valid();
};

class VectorFile {
 public:
  VectorFile(std::string file_name, std::string algorithm, std::string schema,
             std::vector<std::string> header);

  const std::string& file_name() const { return file_name_; }

  void note(const std::string& flag, const std::string& bug_type, const std::string& description,
            const std::string& effect);
  // Starts a new group: `type` first, then `source`, then the given members; tests follow.
  void group(const std::string& type, const OJson& members = OJson::object());
  // Appends one test to the current group: tcId, comment, flags, requirements, `fields` in order,
  // result, profiles.
  void add(const Case& c, const OJson& fields);

  std::size_t size() const { return count_; }
  // The complete document.
  OJson document() const;
  // Consistency problems: a flag without a note, a note no test uses, an empty group.
  std::vector<std::string> problems() const;

 private:
  std::string file_name_, algorithm_, schema_;
  std::vector<std::string> header_;
  OJson notes_ = OJson::object();
  OJson groups_ = OJson::array();
  std::set<std::string> used_flags_;
  std::size_t count_ = 0;
};

// Generator helpers.
std::string hex(const std::vector<std::uint8_t>& b);
std::string hex(std::string_view ascii_text);  // hex of the bytes of a text
std::vector<std::uint8_t> unhex(std::string_view h);  // generator-side constants only
std::string b64(const std::vector<std::uint8_t>& b);

}  // namespace pnc::vectors
