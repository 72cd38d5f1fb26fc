// §9.5 event logs and RTMRs, §3.8 environment extraction. JSON comes from pnc::json (which never
// throws); every member access below checks the type first, so any JSON value is safe.
#include <algorithm>
#include <string>

#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/secret.hpp"
#include "pnc/tdx_eventlog.hpp"

namespace pnc::tdx {
namespace {

using Json = nlohmann::json;

// Python truthiness, the rule upstream applies to `environment_mode` / `dev_mode`.
bool truthy(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return v.get<bool>();
    case Json::value_t::number_integer: return v.get<std::int64_t>() != 0;
    case Json::value_t::number_unsigned: return v.get<std::uint64_t>() != 0;
    case Json::value_t::number_float: return v.get<double>() != 0.0;
    case Json::value_t::string: return !v.get_ref<const std::string&>().empty();
    case Json::value_t::array:
    case Json::value_t::object: return !v.empty();
    default: return false;
  }
}

// Compact JSON that cannot throw: invalid UTF-8 is replaced instead of raising type_error 316.
std::string safe_dump(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

Result<std::uint32_t> get_u32(const Json& obj, std::string_view name, std::uint32_t max) {
  auto v = json::get_int(obj, name);
  if (!v) return v.error();
  if (*v < 0 || static_cast<std::uint64_t>(*v) > max)
    return make_error(kLogBadEvent, "event log: member \"" + std::string(name) + "\" out of range");
  return static_cast<std::uint32_t>(*v);
}

Error bad_event(std::size_t index, const Error& e) {
  return make_error(kLogBadEvent, "event log: element " + std::to_string(index) + ": " + e.message);
}

std::optional<std::string> env_from_object(const Json& obj, Profile profile) {
  auto it = obj.find("environment_mode");
  if (it != obj.end()) {
    if (it->is_string() && !it->get_ref<const std::string&>().empty())
      return it->get<std::string>();
    // sdk-compat: any truthy value counts; non-strings can never equal a local mode string.
    if (!is_strict(profile) && truthy(*it)) return safe_dump(*it);
  }
  auto dm = obj.find("dev_mode");
  if (dm != obj.end() && truthy(*dm)) return std::string("dev");
  return std::nullopt;
}

}  // namespace

Result<std::vector<Event>> parse_event_log(std::string_view text, Profile profile) {
  if (text.size() > kMaxEventLogBytes)
    return make_error(kLogTooLarge, "event log larger than 1 MiB");
  auto doc = json::parse(text, profile);
  if (!doc) return make_error(kLogSyntax, "event log: " + doc.error().message);
  return events_from_json(*doc);
}

Result<std::vector<Event>> events_from_json(const nlohmann::json& doc) {
  if (!doc.is_array()) return make_error(kLogNotArray, "event log is not a JSON array");
  std::vector<Event> events;
  events.reserve(doc.size());
  std::size_t index = 0;
  for (const auto& el : doc) {
    Event ev;
    auto imr = get_u32(el, "imr", kImrCount - 1);
    if (!imr) return bad_event(index, imr.error());
    ev.imr = *imr;
    auto type = get_u32(el, "event_type", 0xFFFFFFFFu);
    if (!type) return bad_event(index, type.error());
    ev.event_type = *type;
    auto name = json::get_string(el, "event");
    if (!name) return bad_event(index, name.error());
    ev.event = std::move(*name);
    auto payload = json::get_string(el, "event_payload");
    if (!payload) return bad_event(index, payload.error());
    auto p = codec::hex_decode(*payload);
    if (!p) return bad_event(index, p.error());
    ev.payload = std::move(*p);
    auto digest = json::get_string(el, "digest");
    if (!digest) return bad_event(index, digest.error());
    if (digest->empty() && ev.event_type == kRuntimeEventType) {
      // dstack's stripped form (guest agent 0.5+): the digest is a function of what is present.
      ev.digest = runtime_event_digest(ev.event, ev.payload);
    } else {
      if (auto d = codec::hex_decode_into(*digest, ev.digest); !d) return bad_event(index, d.error());
    }
    events.push_back(std::move(ev));
    ++index;
  }
  return events;
}

std::string event_log_json(const std::vector<Event>& events) {
  // Built by hand: nlohmann sorts object keys, the V8 form keeps dstack's member order.
  std::string out = "[";
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (i) out += ',';
    out += "{\"imr\":" + std::to_string(e.imr) + ",\"event_type\":" + std::to_string(e.event_type) +
           ",\"digest\":\"" + codec::hex_encode(e.digest) + "\",\"event\":" + safe_dump(Json(e.event)) +
           ",\"event_payload\":\"" + codec::hex_encode(e.payload) + "\"}";
  }
  return out + "]";
}

Measurement runtime_event_digest(std::string_view event, ByteView payload) {
  Bytes msg;
  msg.reserve(4 + 2 + event.size() + payload.size());
  for (int i = 0; i < 4; ++i) msg.push_back(static_cast<std::uint8_t>(kRuntimeEventType >> (8 * i)));
  msg.push_back(':');
  msg.insert(msg.end(), event.begin(), event.end());
  msg.push_back(':');
  msg.insert(msg.end(), payload.begin(), payload.end());
  return crypto::sha384(msg);
}

Event runtime_event(std::string_view event, ByteView payload) {
  Event e;
  e.event = std::string(event);
  e.payload.assign(payload.begin(), payload.end());
  e.digest = runtime_event_digest(event, payload);
  return e;
}

Measurement rtmr_extend(const Measurement& mr, ByteView digest) {
  Bytes msg(mr.begin(), mr.end());
  msg.insert(msg.end(), digest.begin(), digest.end());
  return crypto::sha384(msg);
}

std::array<Measurement, kImrCount> replay_rtmrs(const std::vector<Event>& events) {
  std::array<Measurement, kImrCount> mr{};
  for (const auto& e : events)
    if (e.imr < kImrCount) mr[e.imr] = rtmr_extend(mr[e.imr], e.digest);
  return mr;
}

bool runtime_digests_consistent(const std::vector<Event>& events) {
  return std::all_of(events.begin(), events.end(), [](const Event& e) {
    return e.event_type != kRuntimeEventType ||
           ct_equal(e.digest, runtime_event_digest(e.event, e.payload));
  });
}

std::optional<std::string> extract_env_mode(std::string_view event_log, Profile profile) {
  auto doc = json::parse(event_log, profile);
  if (!doc) return std::nullopt;
  return extract_env_mode_json(*doc, profile);
}

std::optional<std::string> extract_env_mode_json(const nlohmann::json& doc, Profile profile,
                                            const Result<std::vector<Event>>* events) {
  if (doc.is_object()) return env_from_object(doc, profile);
  if (!doc.is_array() || !is_strict(profile)) return std::nullopt;
  // [SEED] only a well-formed dstack log counts, one malformed element voids it (DEC-116); the
  // last runtime environment-mode event wins.
  std::optional<Result<std::vector<Event>>> own;
  if (events == nullptr) events = &own.emplace(events_from_json(doc));
  if (!*events) return std::nullopt;
  std::optional<std::string> env;
  for (const auto& e : **events)
    if (e.event_type == kRuntimeEventType && e.imr == kRuntimeImr && e.event == "environment-mode")
      env = to_string(e.payload);
  return env;
}

Status check_compose_hash(const std::optional<std::string>& event_log, std::string_view expected,
                          Profile profile) {
  if (!event_log) return check_compose_hash(static_cast<const nlohmann::json*>(nullptr), expected);
  auto doc = json::parse(*event_log, profile);
  if (!doc) return make_error(attest_errc::kComposeHash, "Compose hash mismatch: event log is not JSON");
  return check_compose_hash(&*doc, expected);
}

Status check_compose_hash(const nlohmann::json* doc, std::string_view expected) {
  auto mismatch = [](const std::string& why) {
    return make_error(attest_errc::kComposeHash, "Compose hash mismatch: " + why);
  };
  if (doc == nullptr) return mismatch("no event log");
  if (!doc->is_array()) return mismatch("event log is not an array");
  for (const auto& el : *doc) {
    if (!el.is_object()) continue;
    auto name = el.find("event");
    if (name == el.end() || !name->is_string() || name->get_ref<const std::string&>() != "compose-hash")
      continue;
    auto payload = el.find("event_payload");  // VAL: the first compose-hash event decides
    if (payload == el.end() || !payload->is_string()) return mismatch("payload is not a string");
    if (payload->get_ref<const std::string&>() != expected)
      return mismatch("expected " + std::string(expected));
    return {};
  }
  return mismatch("no compose-hash event");
}

nlohmann::json rtmrs_json(const std::array<Measurement, kImrCount>& rtmrs) {
  Json out = Json::object();
  for (std::size_t i = 0; i < rtmrs.size(); ++i)
    out["rtmr" + std::to_string(i)] = codec::hex_encode(rtmrs[i]);
  return out;
}

Result<std::array<Measurement, kImrCount>> parse_rtmrs_json(const nlohmann::json& rtmrs) {
  auto bad = [](const std::string& why) { return make_error(kRtmrsShape, "rtmrs: " + why); };
  if (!rtmrs.is_object()) return bad("not an object");
  if (rtmrs.size() != kImrCount) return bad("must have exactly the members rtmr0..rtmr3");
  std::array<Measurement, kImrCount> out{};
  for (std::size_t i = 0; i < kImrCount; ++i) {
    const std::string key = "rtmr" + std::to_string(i);
    auto it = rtmrs.find(key);
    if (it == rtmrs.end() || !it->is_string()) return bad(key + " missing or not a string");
    const auto& text = it->get_ref<const std::string&>();
    // Lowercase only: the [SEED] emitter rule, stricter than the hex decoder's input rule.
    if (text.size() != 96 || !std::all_of(text.begin(), text.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }))
      return bad(key + " is not 96 lowercase hex characters");
    auto d = codec::hex_decode_exact(text, 48);
    if (!d) return bad(key + ": " + d.error().message);
    std::copy(d->begin(), d->end(), out[i].begin());
  }
  return out;
}

Status check_rtmrs(const nlohmann::json& rtmrs, const QuoteV4& quote) {
  auto parsed = parse_rtmrs_json(rtmrs);
  if (!parsed) return parsed.error();
  for (std::size_t i = 0; i < kImrCount; ++i)
    if ((*parsed)[i] != quote.rtmr[i])
      return make_error(attest_errc::kRtmrMismatch, "rtmrs.rtmr" + std::to_string(i) + " differs from the quote");
  return {};
}

Status check_rtmr3_replay(const std::vector<Event>& events, const QuoteV4& quote, std::size_t compared_bytes) {
  const Measurement replayed = replay_rtmrs(events)[kRuntimeImr];
  const std::size_t n = std::min(compared_bytes, replayed.size());
  if (!std::equal(replayed.begin(), replayed.begin() + static_cast<std::ptrdiff_t>(n), quote.rtmr[kRuntimeImr].begin()))
    return make_error(attest_errc::kRtmrMismatch, "RTMR3 differs from the replay of the event log");
  return {};
}

}  // namespace pnc::tdx
