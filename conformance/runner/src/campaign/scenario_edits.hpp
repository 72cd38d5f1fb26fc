// How a scenario's mutations change the messages its executors build (the challenge target's
// WebSocket and HTTP runs, the validator target's run): field edits on JSON texts, structure-
// aware edits of a quote and an event log inside a message, and the order in which steps are
// sent after the step operations. Pure: no sockets, no clock (the caller passes `now`).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "campaign/scenario.hpp"

namespace pnc::conf::campaign {

// Timestamps get boundary values around the clock; everything else generic ones.
ValueKind kind_of(const std::string& field);

// The field mutations of one step whose field starts with `prefix` (prefix stripped).
using FieldEdits = std::vector<std::pair<std::string, Mutation>>;
FieldEdits fields_with(const std::vector<Mutation>& ms, int step, const std::string& prefix);
std::string apply_json(std::string text, const FieldEdits& ms, std::int64_t now);

// Structure-aware fields inside a message that carries evidence: "quote.<region>" (a named
// region of the v4 quote, §9.2) and "log.<event>" (the payload of a named event, §9.5).
std::vector<std::string> evidence_fields();
// `msg` as text after step `step`'s mutations: quote.<region> on its `quote_member` (decoded,
// changed, resealed if it was a valid mock quote and the change is outside the signature, so the
// region's own check judges), log.<event> on its `log_member` (the event's digest left alone: a
// replaying verifier sees a log that still matches RTMR3), then the plain member edits.
std::string apply_evidence_message(json::Json msg, const std::string& quote_member, const std::string& log_member,
                                   const std::vector<Mutation>& ms, int step, std::int64_t now);

// An envelope of step `step`: `inner` after the step's inner.<member> edits, sealed by `seal`
// (nullopt: not sealed), then the envelope's own member edits (enc, nonce, ciphertext, ...).
using Seal = std::function<std::optional<std::string>(const std::string& inner)>;
std::optional<std::string> apply_envelope_edits(const std::string& inner, const Seal& seal, const std::vector<Mutation>& ms,
                                                int step, std::int64_t now);

// The order in which steps are sent after the step operations: (step, variant).
struct PlanEntry {
  int step;
  std::string variant;  // "", "replay", "reflect", "cross-replay", "late-replay"
};
std::vector<PlanEntry> make_plan(const Scenario& sc, const std::vector<Mutation>& ms);
std::string variant_name(const Scenario& sc, const PlanEntry& e);

}  // namespace pnc::conf::campaign
