// The operations of the shim protocol (conformance/shim/README.md) on pnc::reference: one
// function per op, JSON args in, a ShimAnswer out. Every failure of the reference is an
// "error" answer; nothing here throws past answer().
#pragma once

#include <string>

#include "pnc/json.hpp"
#include "pnc/types.hpp"

namespace pnc::testing {
struct Faults;
}

namespace pnc::shim {

inline constexpr int kProtocolVersion = 1;
inline constexpr const char* kShimName = "pnc-ref-shim";
inline constexpr const char* kShimVersion = "0.1.0";

// One request line in, one answer line out (both JSON text, no trailing newline).
std::string answer(std::string_view request_line);

// Deliberate bugs (pnc/testing/faults.hpp) for every later operation, set once by
// `pnc-ref-shim --mutant NAME` so that campaigns can show they find them; null (the default)
// is the spec. Each operation passes the switches of the reference modules it calls.
void set_faults(const testing::Faults* faults);

}  // namespace pnc::shim
