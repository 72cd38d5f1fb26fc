// fuzz_event_log (PROTOCOL.md §14, §3.8, §9.5): arbitrary JSON text as an event log.
// Oracles: parsing, replay, environment extraction and the compose-hash check are total (no
// crash, no exception, no UB) for every profile; an accepted log round-trips through
// event_log_json; replay_rtmrs equals an independent OpenSSL SHA-384 extension chain; the
// extracted environment mode equals an independent implementation of §3.8 [SEED] (object:
// non-empty string environment_mode, else truthy dev_mode => "dev"; array: payload of the last
// imr-3 runtime "environment-mode" event of a well-formed log); parse_rtmrs_json accepts only
// the exact [SEED] shape.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "pnc/json.hpp"
#include "pnc/tdx_eventlog.hpp"

using namespace pnc;
using NJson = nlohmann::json;

namespace {

bool truthy(const NJson& v) {
  switch (v.type()) {
    case NJson::value_t::null: return false;
    case NJson::value_t::boolean: return v.get<bool>();
    case NJson::value_t::number_integer: return v.get<std::int64_t>() != 0;
    case NJson::value_t::number_unsigned: return v.get<std::uint64_t>() != 0;
    case NJson::value_t::number_float: return v.get<double>() != 0.0;
    case NJson::value_t::string: return !v.get_ref<const std::string&>().empty();
    case NJson::value_t::array:
    case NJson::value_t::object: return !v.empty();
    default: return false;
  }
}

// §3.8 [SEED] on an object document (the array case needs a well-formed log, checked below).
std::optional<std::string> env_of_object(const NJson& doc) {
  auto it = doc.find("environment_mode");
  if (it != doc.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
    return it->get<std::string>();
  auto dm = doc.find("dev_mode");
  if (dm != doc.end() && truthy(*dm)) return std::string("dev");
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fuzz::JsonScan scan = fuzz::scan_json(text);

  for (Profile profile : pnc::kProfiles) {
    auto events = tdx::parse_event_log(text, profile);
    if (events) {
      FUZZ_ASSERT(scan.valid && scan.top == '[', "event log accepted that is not a JSON array");
      // Round trip through the emitter.
      auto again = tdx::parse_event_log(tdx::event_log_json(*events), profile);
      FUZZ_ASSERT(again.ok() && again->size() == events->size(), "event_log_json output does not re-parse");
      for (std::size_t i = 0; i < events->size(); ++i)
        FUZZ_ASSERT((*again)[i].digest == (*events)[i].digest && (*again)[i].event == (*events)[i].event &&
                        (*again)[i].payload == (*events)[i].payload && (*again)[i].imr == (*events)[i].imr &&
                        (*again)[i].event_type == (*events)[i].event_type,
                    "event changed by the round trip");
      // Replay against an independent extension chain.
      std::array<Bytes, 4> mr;
      for (auto& m : mr) m.assign(48, 0);
      for (const auto& e : *events) {
        FUZZ_ASSERT(e.imr < 4, "event with imr out of range accepted");
        Bytes msg = mr[e.imr];
        msg.insert(msg.end(), e.digest.begin(), e.digest.end());
        mr[e.imr] = fuzz::ossl_sha384(msg);
      }
      const auto replayed = tdx::replay_rtmrs(*events);
      for (std::size_t i = 0; i < 4; ++i)
        FUZZ_ASSERT(Bytes(replayed[i].begin(), replayed[i].end()) == mr[i], "RTMR replay differs from OpenSSL");
      (void)tdx::runtime_digests_consistent(*events);
    }

    const auto env = tdx::extract_env_mode(text, profile);
    const auto compose = tdx::check_compose_hash(std::string(text), "3b5f55eda6eaeb815ba66ab6995bedc1575fb3b690337d5ec9623cfa1adbc9f6", profile);
    if (compose) FUZZ_ASSERT(scan.valid && scan.top == '[', "compose hash accepted from a non-array log");

    if (profile == Profile::seed_spec) {
      std::optional<std::string> expected;
      if (fuzz::strict_json_ok(scan)) {
        const NJson doc = NJson::parse(text, nullptr, false);
        if (doc.is_object()) {
          expected = env_of_object(doc);
        } else if (doc.is_array() && events) {
          for (const auto& el : doc)
            if (el["event_type"].get<std::uint64_t>() == 0x08000001u && el["imr"].get<std::uint64_t>() == 3 &&
                el["event"].get<std::string>() == "environment-mode") {
              const std::string hex = el["event_payload"].get<std::string>();
              const Bytes payload = hex.empty() ? Bytes{} : fuzz::unhex(hex);
              expected = std::string(payload.begin(), payload.end());
            }
        }
      }
      FUZZ_ASSERT(env == expected, "extract_env_mode differs from the independent §3.8 rule");
    }

    // rtmrs shape check on whatever the document is.
    if (auto doc = json::parse(text, Profile::sdk_compat)) {
      auto rt = tdx::parse_rtmrs_json(*doc);
      if (rt) {
        FUZZ_ASSERT(doc->is_object() && doc->size() == 4, "rtmrs accepted with the wrong shape");
        FUZZ_ASSERT(tdx::rtmrs_json(*rt) == *doc, "rtmrs did not round-trip");
      }
    }
  }
  return 0;
}
