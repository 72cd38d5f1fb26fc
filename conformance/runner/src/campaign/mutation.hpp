// Typed one-place mutations of protocol messages (docs/campaigns.md): the campaign's unit of
// change, stored verbatim in finding files. Pure: no sockets, no clock (the caller passes `now`).
//
// A mutation names one step of a scenario and, for field operations, one field of that step's
// message. Field operations act on the decoded value (hex / base64 / base64url strings are
// decoded, changed and re-encoded, so a bit flip stays a bit flip of the bytes the peer checks);
// step operations replay, omit, reorder or reflect a whole message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pnc/json.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::conf::campaign {

struct Mutation {
  std::string op;     // see kFieldOps / kStepOps
  int step = 0;       // index into the scenario's steps
  std::string field;  // empty for step operations
  std::int64_t arg = 0;  // selects position / bit / boundary value; any value is valid

  bool operator==(const Mutation&) const = default;
  std::string describe() const;  // "flip(arg 5) step 1 field hkdf_salt"
};

// Field operations: flip one bit / set one byte (first, middle or last byte of the decoded value),
// truncate, extend, drop the member or header, duplicate it, replace with a boundary value of
// its kind, insert a character outside the encoding's alphabet, change the letter case,
// replace with a value of another JSON type.
inline const std::vector<std::string> kFieldOps = {"flip", "set-byte", "truncate", "extend", "drop",
                                                   "dup", "boundary", "badchar", "case", "type"};
// Step operations: send twice, omit, swap with the next step, send back the SUT's last frame
// instead (WebSocket), resend on a second connection after its own handshake (WebSocket), send
// again after every later step but the judging one (a replay a bounded replay cache has forgotten).
inline const std::vector<std::string> kStepOps = {"replay", "omit", "reorder", "reflect", "cross-replay", "late-replay"};
bool is_field_op(const std::string& op);
bool is_step_op(const std::string& op);

// How a string field is encoded: what "the bytes" of the value are.
enum class Encoding { text, hex, b64, b64url };
Encoding guess_encoding(const std::string& value);

// The kind of value a boundary op draws from.
enum class ValueKind { generic, timestamp };

// A field value after `m` (a field op other than drop / dup): nullopt when the op does not apply
// to this value (e.g. truncate of an empty string); the caller then leaves the value as it was.
std::optional<json::Json> mutate_value(const json::Json& value, const Mutation& m, ValueKind kind, std::int64_t now);
std::optional<std::string> mutate_string(const std::string& value, const Mutation& m, ValueKind kind, std::int64_t now);

// A field op (flip, set-byte, boundary) on the `size` bytes of `bytes` at `offset` (a named region
// of a binary structure, e.g. a quote's RTMR3): false when the op does not apply or the region
// does not fit.
bool mutate_region(Bytes& bytes, std::size_t offset, std::size_t size, const Mutation& m);

// Applies a field op to member `member` (dot path "a.b" for nested members) of a JSON object
// text; `dup` writes the member twice. Returns the text unchanged when the member is missing.
std::string mutate_json_text(const std::string& text, const std::string& member, const Mutation& m, ValueKind kind,
                             std::int64_t now);

json::Json to_json(const Mutation& m);
Result<Mutation> mutation_from_json(const json::Json& j);

// The choices that build an input: from a seeded Prng (campaigns) or from the bytes of a
// libFuzzer input (fuzz/fuzz_shim_differential.cc), so both draw inputs the same way.
class Choices {
 public:
  virtual ~Choices() = default;
  virtual std::uint64_t below(std::uint64_t n) = 0;  // in [0, n); 0 when n is 0
  bool chance(unsigned percent) { return below(100) < percent; }
};

// A deterministic 64-bit generator (splitmix64) for the campaign's choices.
class Prng final : public Choices {
 public:
  explicit Prng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n) override { return n == 0 ? 0 : next() % n; }

 private:
  std::uint64_t state_;
};
std::uint64_t mix(std::uint64_t a, std::uint64_t b);

}  // namespace pnc::conf::campaign
