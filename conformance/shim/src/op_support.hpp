// What every shim operation shares: its answer type, the bad-request exception and the argument
// readers (JSON args in, typed values out; a malformed argument throws BadRequest).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/json.hpp"
#include "pnc/result.hpp"
#include "pnc/testing/faults.hpp"
#include "pnc/types.hpp"

namespace pnc::shim {

using json::Json;

// The deliberate bugs in force (pnc-ref-shim --mutant NAME; operations.hpp set_faults): null
// (the default) is the spec's behaviour.
const testing::Faults* active_faults();

// An operation's outcome: a result object, or the rejection reason.
struct Answer {
  std::optional<Json> result;
  std::string error;
  bool unimplemented = false;
};
inline Answer ok(Json result) { return Answer{std::move(result), {}, false}; }
inline Answer rejected(const Error& e) { return Answer{std::nullopt, e.code, false}; }
inline Answer rejected(std::string code) { return Answer{std::nullopt, std::move(code), false}; }

// A malformed request (the runner's fault, not the SUT's): reported as an error answer too.
struct BadRequest : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline std::string text(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || !it->is_string()) throw BadRequest(std::string("missing text argument ") + name);
  return it->get<std::string>();
}

inline Bytes hex(const Json& args, const char* name) {
  auto decoded = codec::hex_decode(text(args, name));
  if (!decoded) throw BadRequest(std::string("argument ") + name + " is not hex");
  return std::move(*decoded);
}

inline std::optional<Bytes> opt_hex(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::nullopt;
  return hex(args, name);
}

inline std::int64_t integer(const Json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || !it->is_number_integer()) throw BadRequest(std::string("missing integer argument ") + name);
  return it->get<std::int64_t>();
}

inline std::string hexs(ByteView b) { return codec::hex_encode(b); }

// The DCAP step is injected by the vector ("dcap": "accept" | "reject"): vectors test the
// checks around it, not Intel collateral.
class StubDcap final : public DcapVerifier {
 public:
  explicit StubDcap(bool accept) : accept_(accept) {}
  Status verify(ByteView) override {
    if (accept_) return {};
    return make_error("attest.dcap_failed", "DCAP verification refused (stub)");
  }

 private:
  bool accept_;
};

}  // namespace pnc::shim
