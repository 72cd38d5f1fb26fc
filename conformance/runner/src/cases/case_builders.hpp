// Builders shared by the network catalogues (challenge and validator targets): the expectation
// of a WebSocket case per profile (and SUT mode), the Case every WebSocket case starts from, and
// small helpers for numbered case ids and for assembling a catalogue from its sections.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cases/ws_expect.hpp"
#include "core/case.hpp"
#include "pnc/spec_tables.hpp"

namespace pnc::conf {

// The spec's expectation of a WebSocket case in a profile; for some cases it also depends on the
// SUT's attestation or environment mode (from the SUT description).
using ExpectFn = std::function<WsExpect(Profile, const SutDescription&)>;

// An expectation that depends on the profile only.
ExpectFn per_profile(ProfileExpect e);
// The same, for seed-spec and hardened (`strict`) versus sdk-compat (`compat`).
ExpectFn per_profile(WsExpect strict, WsExpect compat);

// A WebSocket case of `target` without its driver: id, title, mechanism and the expectation in
// words per profile, worded for a SUT in the default (mock) mode; drivers judge against the
// expectation for the SUT described (expect(ctx.profile, *ctx.sut)).
Case ws_case(Target target, std::string id, std::string title, Mechanism mechanism, const ExpectFn& expect);

// The 14 low-order X25519 points of §12.2, as hex.
inline constexpr const auto& kLowOrderPoints = pnc::spec::kLowOrderX25519Hex;

// `n` with at least two digits ("01" ... "14"): the numbered variants of a case (N-X-01.07).
std::string two_digits(int n);

// Appends the cases of one section to a catalogue, in their order.
void append(std::vector<Case>& out, std::vector<Case> section);

}  // namespace pnc::conf
