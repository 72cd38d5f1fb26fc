#include "campaign/scenario_edits.hpp"

#include <algorithm>

#include "pnc/codec.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf::campaign {

using json::Json;

namespace {

struct QuoteRegion {
  const char* name;
  std::size_t offset;
  std::size_t size;
};
constexpr QuoteRegion kQuoteRegions[] = {
    {"td_attributes", tdx::kOffTdAttributes, 8}, {"mrtd", tdx::kOffMrTd, 48},
    {"rtmr0", tdx::kOffRtmr[0], 48},             {"rtmr3", tdx::kOffRtmr[3], 48},
    {"report_data", tdx::kOffReportData, 64},    {"signature", tdx::kOffSigData, 64}};
const std::vector<std::string> kLogEvents = {"environment-mode", "compose-hash"};

void apply_quote_regions(Json& msg, const std::string& member, const FieldEdits& ms) {
  if (ms.empty() || !msg.contains(member) || !msg[member].is_string()) return;
  auto quote = codec::b64_decode(msg[member].get<std::string>());
  if (!quote) return;
  const bool mock = tdx::mock_signature_valid(*quote);
  for (const auto& [region_binding, m] : ms) {
    const std::string& region = region_binding;  // clang 14 lambdas cannot capture structured bindings
    const auto* r = std::find_if(std::begin(kQuoteRegions), std::end(kQuoteRegions), [&](const QuoteRegion& q) { return region == q.name; });
    if (r == std::end(kQuoteRegions) || !mutate_region(*quote, r->offset, r->size, m)) continue;
    if (mock && r->offset < tdx::kSignedSize) tdx::reseal_mock_signature(*quote);
  }
  msg[member] = codec::b64_encode(*quote);
}

// The last event of each name in the log (a JSON array text).
void apply_log_events(Json& msg, const std::string& member, const FieldEdits& ms, std::int64_t now) {
  if (ms.empty() || !msg.contains(member) || !msg[member].is_string()) return;
  auto log = json::parse(msg[member].get<std::string>(), Profile::sdk_compat);
  if (!log || !log->is_array()) return;
  for (const auto& [event, m] : ms) {
    for (auto it = log->rbegin(); it != log->rend(); ++it) {
      if (!it->is_object() || !it->contains("event") || (*it)["event"] != event || !it->contains("event_payload")) continue;
      // The payload is hex of short ASCII text ("dev"): change the text, not its hex digits.
      if (!(*it)["event_payload"].is_string()) break;
      const auto payload = codec::hex_decode((*it)["event_payload"].get<std::string>(), Profile::sdk_compat);
      if (!payload) break;
      if (m.op == "drop") it->erase("event_payload");
      else if (auto v = mutate_string(std::string(payload->begin(), payload->end()), m, ValueKind::generic, now))
        (*it)["event_payload"] = codec::hex_encode(as_bytes(*v));
      break;
    }
  }
  msg[member] = json::dump(*log);
}

}  // namespace

ValueKind kind_of(const std::string& field) {
  for (const char* t : {"X-Timestamp", "iat", "exp", "nbf"})
    if (field.size() >= std::string(t).size() && field.compare(field.size() - std::string(t).size(), std::string::npos, t) == 0)
      return ValueKind::timestamp;
  return ValueKind::generic;
}

FieldEdits fields_with(const std::vector<Mutation>& ms, int step, const std::string& prefix) {
  FieldEdits out;
  for (const auto& m : ms)
    if (m.step == step && is_field_op(m.op) && m.field.rfind(prefix, 0) == 0) out.emplace_back(m.field.substr(prefix.size()), m);
  return out;
}

std::string apply_json(std::string text, const FieldEdits& ms, std::int64_t now) {
  for (const auto& [member, m] : ms) text = mutate_json_text(text, member, m, kind_of(member), now);
  return text;
}

std::vector<std::string> evidence_fields() {
  std::vector<std::string> f;
  for (const auto& r : kQuoteRegions) f.push_back(std::string("quote.") + r.name);
  for (const auto& e : kLogEvents) f.push_back("log." + e);
  return f;
}

std::string apply_evidence_message(Json msg, const std::string& quote_member, const std::string& log_member,
                                   const std::vector<Mutation>& ms, int step, std::int64_t now) {
  apply_quote_regions(msg, quote_member, fields_with(ms, step, "quote."));
  apply_log_events(msg, log_member, fields_with(ms, step, "log."), now);
  FieldEdits plain;
  for (auto& f : fields_with(ms, step, ""))
    if (f.first.rfind("quote.", 0) != 0 && f.first.rfind("log.", 0) != 0) plain.push_back(f);
  return apply_json(json::dump(msg), plain, now);
}

std::optional<std::string> apply_envelope_edits(const std::string& inner, const Seal& seal, const std::vector<Mutation>& ms,
                                                int step, std::int64_t now) {
  auto sealed = seal(apply_json(inner, fields_with(ms, step, "inner."), now));
  if (!sealed) return std::nullopt;
  FieldEdits outer;
  for (auto& f : fields_with(ms, step, ""))
    if (f.first.rfind("inner.", 0) != 0) outer.push_back(f);
  return apply_json(*sealed, outer, now);
}

std::vector<PlanEntry> make_plan(const Scenario& sc, const std::vector<Mutation>& ms) {
  std::vector<PlanEntry> p;
  for (int i = 0; i < static_cast<int>(sc.steps.size()); ++i) p.push_back({i, ""});
  for (const auto& m : ms) {
    if (!is_step_op(m.op) || m.step < 0 || m.step >= static_cast<int>(sc.steps.size())) continue;
    if (sc.steps[static_cast<std::size_t>(m.step)].fields.empty()) continue;  // judging steps stay
    auto it = std::find_if(p.begin(), p.end(), [&](const PlanEntry& e) { return e.step == m.step && e.variant.empty(); });
    if (it == p.end()) continue;
    const bool ws = sc.steps[static_cast<std::size_t>(m.step)].websocket;
    if (m.op == "omit") p.erase(it);
    else if (m.op == "replay") p.insert(it + 1, PlanEntry{m.step, "replay"});
    else if (m.op == "late-replay") {
      // After every later step, before the last one if that one only judges.
      const bool judging_last = sc.steps[static_cast<std::size_t>(p.back().step)].fields.empty();
      p.insert(judging_last ? p.end() - 1 : p.end(), PlanEntry{m.step, "late-replay"});
    }
    else if (m.op == "reorder") {
      if (it + 1 != p.end() && it + 2 != p.end()) std::iter_swap(it, it + 1);  // the last (judging) step stays last
    } else if (m.op == "reflect" && ws) p.insert(it + 1, PlanEntry{m.step, "reflect"});
    else if (m.op == "cross-replay" && ws) p.insert(it + 1, PlanEntry{m.step, "cross-replay"});
  }
  return p;
}

std::string variant_name(const Scenario& sc, const PlanEntry& e) {
  return sc.steps[static_cast<std::size_t>(e.step)].name + (e.variant.empty() ? "" : " (" + e.variant + ")");
}

}  // namespace pnc::conf::campaign
