// dstack event logs, RTMR replay, environment-mode extraction and the compose-hash check
// (PROTOCOL.md §3.8, §9.5). Every function taking JSON text is total: any input gives a value or
// an error, never an exception or a crash.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pnc/result.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/types.hpp"

namespace pnc::tdx {

inline constexpr const char* kLogTooLarge = "tdx.log.too_large";   // > 1 MiB (§10)
inline constexpr const char* kLogSyntax = "tdx.log.syntax";        // not (strict) JSON
inline constexpr const char* kLogNotArray = "tdx.log.not_array";   // not a dstack array log
inline constexpr const char* kLogBadEvent = "tdx.log.bad_event";   // member missing / wrong type
inline constexpr const char* kRtmrsShape = "tdx.rtmrs.bad_shape";  // not {"rtmr0".."rtmr3"}: hex96

inline constexpr std::uint32_t kRuntimeEventType = 0x08000001;  // dstack runtime event
inline constexpr std::uint32_t kRuntimeImr = 3;
inline constexpr std::size_t kMaxEventLogBytes = 1u << 20;
inline constexpr std::size_t kImrCount = 4;

// One element of a dstack log: {imr, event_type, digest (hex48), event, event_payload (hex)}.
struct Event {
  std::uint32_t imr = kRuntimeImr;
  std::uint32_t event_type = kRuntimeEventType;
  Measurement digest{};
  std::string event;
  Bytes payload;
};

// Parses a dstack array log. Every element must carry the five members with the §9.5 types
// (imr 0..3, digest exactly 96 hex chars, payload hex); unknown members are ignored. The stripped
// form dstack's guest agent sends (DEC-31) is accepted: a runtime event (0x08000001) with
// `"digest": ""` gets its V1 digest recomputed from name and payload; boot events keep their
// digest and may have an empty name and payload. An empty digest of any other event is refused.
Result<std::vector<Event>> parse_event_log(std::string_view json_text,
                                           Profile profile = Profile::seed_spec);
// The same element checks on an already parsed document (verify_peer_quote parses a log once
// and shares the document between the RTMR replay, the environment and the compose-hash checks).
Result<std::vector<Event>> events_from_json(const nlohmann::json& doc);
// Compact JSON text in the member order of the golden vector V8.
std::string event_log_json(const std::vector<Event>& events);

// dstack V1 runtime-event digest: SHA384(LE32(0x08000001) || ":" || event || ":" || payload).
Measurement runtime_event_digest(std::string_view event, ByteView payload);
// A runtime event with its V1 digest filled in.
Event runtime_event(std::string_view event, ByteView payload);
// mr' = SHA384(mr || digest).
Measurement rtmr_extend(const Measurement& mr, ByteView digest);
// Replays every IMR from 48 zero bytes in log order.
std::array<Measurement, kImrCount> replay_rtmrs(const std::vector<Event>& events);
// True iff every runtime event's digest equals its recomputed V1 digest ([HARD] payload binding).
bool runtime_digests_consistent(const std::vector<Event>& events);

// §3.8 ExtractEnvMode. Object: non-empty string `environment_mode`, else truthy `dev_mode` ⇒ "dev"
// (sdk-compat: any truthy `environment_mode`, non-strings rendered as compact JSON so they never
// equal "dev"/"prod"). Array [SEED]: payload text of the last runtime event (imr 3) named
// `environment-mode`, only if every element passes events_from_json (DEC-116; sdk-compat: arrays
// are undefined). Anything else ⇒ nullopt.
std::optional<std::string> extract_env_mode(std::string_view event_log, Profile profile);
// The same on a parsed document; `events`, when given, is events_from_json(doc) already computed.
std::optional<std::string> extract_env_mode_json(const nlohmann::json& doc, Profile profile,
                                            const Result<std::vector<Event>>* events = nullptr);

// §9.5 VAL compose-hash check: the first array element with event == "compose-hash" must have an
// `event_payload` string equal to `expected` (exact, case-sensitive). Missing / non-array log or
// no such event ⇒ attest.compose_hash_mismatch.
Status check_compose_hash(const std::optional<std::string>& event_log, std::string_view expected,
                          Profile profile = Profile::seed_spec);
// The same on a parsed document (nullptr = no event log).
Status check_compose_hash(const nlohmann::json* doc, std::string_view expected);

// [SEED] rtmrs JSON: {"rtmr0": hex, ..., "rtmr3": hex}, lowercase, 96 chars each.
nlohmann::json rtmrs_json(const std::array<Measurement, kImrCount>& rtmrs);
// Validates the [SEED] shape exactly (four keys, nothing else) ⇒ tdx.rtmrs.bad_shape otherwise.
Result<std::array<Measurement, kImrCount>> parse_rtmrs_json(const nlohmann::json& rtmrs);
// Shape check plus each value == the quote's RTMR (attest.rtmr_mismatch otherwise). N-Q-14.
Status check_rtmrs(const nlohmann::json& rtmrs, const QuoteV4& quote);
// RTMR3 of the quote == replay of the imr-3 events (attest.rtmr_mismatch otherwise). N-Q-14/15.
// `compared_bytes` < 48 only for the rtmr3_prefix_47 fault (pnc/testing/faults.hpp).
Status check_rtmr3_replay(const std::vector<Event>& events, const QuoteV4& quote,
                          std::size_t compared_bytes = 48);

}  // namespace pnc::tdx
