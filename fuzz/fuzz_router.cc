// fuzz_router (PROTOCOL.md §14, §5.5): arbitrary decrypted inner messages against a Router with
// pending requests. Oracle: a model of §5.5 — a completion runs at most once, only for a message
// whose correlation id (message_id if a non-empty string, else query_id, else payload.query_id,
// computed independently here) equals the request's id, as a failure carrying the `error` text
// (default "Unknown error") exactly for `error`-type messages; handlers run for every message of
// their type; timeouts fire at the 30 s deadline; close() cancels everything still pending and
// every registered request has completed exactly once at the end.
// Input: profile byte, then operations: 0 request, 1 raw JSON message, 2 structured reply,
// 3 advance clock + expire, 4 close, 5 register a handler.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "pnc/clock.hpp"
#include "pnc/json.hpp"
#include "pnc/router.hpp"

using namespace pnc;
using json::Json;

namespace {

struct Record {
  std::string id;
  int calls = 0;
};

std::string string_member(const Json& obj, const char* name) {
  if (!obj.is_object()) return {};
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string model_correlation_id(const Json& msg) {
  std::string id = string_member(msg, "message_id");
  if (id.empty()) id = string_member(msg, "query_id");
  if (id.empty() && msg.is_object() && msg.contains("payload")) id = string_member(msg["payload"], "query_id");
  return id;
}

const char* const kTypes[] = {"orm_result", "error", "job_result", "migrations_response", "orm_ready", ""};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  const Profile profile = (in.u8() & 1) != 0 ? Profile::sdk_compat : Profile::seed_spec;
  DeterministicRng rng(std::uint64_t{7});
  FixedClock clock(1700000000);
  router::Router r(profile, rng, clock);

  std::vector<std::shared_ptr<Record>> records;
  std::map<std::string, std::pair<std::shared_ptr<Record>, std::int64_t>> pending;  // id -> (record, deadline)
  std::map<std::string, int> handler_count;   // registered handlers per type
  std::map<std::string, int> handler_runs;    // observed runs per type
  const Json* current = nullptr;              // the message being received, if any
  bool closed = false;

  auto make_completion = [&](std::shared_ptr<Record> rec) {
    return [&, rec](Result<Json> result) {
      ++rec->calls;
      FUZZ_ASSERT(rec->calls == 1, "a request completed more than once");
      if (current != nullptr) {
        FUZZ_ASSERT(model_correlation_id(*current) == rec->id, "request resolved by a message with another id");
        const bool is_error = string_member(*current, "type") == "error";
        FUZZ_ASSERT(result.ok() == !is_error, "error message did not fail the request (or vice versa)");
        if (is_error) {
          std::string text = string_member(*current, "error");
          if (text.empty()) text = router::kDefaultErrorText;
          FUZZ_ASSERT(result.error().message == text, "peer error text not propagated");
        } else {
          FUZZ_ASSERT(*result == *current, "request completed with a different message");
        }
      } else {
        FUZZ_ASSERT(!result.ok(), "request completed successfully outside receive()");
      }
    };
  };

  for (int ops = 0; ops < 64 && !in.empty(); ++ops) {
    switch (in.u8() % 6) {
      case 0: {  // request
        Json msg = {{"type", "orm_query"}};
        const std::uint8_t k = in.u8();
        switch (k % 4) {
          case 0: break;  // stamped by the router
          case 1: msg["message_id"] = "q" + std::to_string(k / 4 % 8); break;
          case 2: msg["message_id"] = std::string(120 + k / 4 % 16, 'x'); break;
          default: msg["message_id"] = k; break;
        }
        auto rec = std::make_shared<Record>();
        auto stamped = r.request(msg, make_completion(rec));
        std::optional<std::string> id;
        if (msg.contains("message_id") && msg["message_id"].is_string()) id = msg["message_id"].get<std::string>();
        bool expect_ok = !closed && (k % 4 == 0 || (id && !id->empty()));
        if (expect_ok && id && is_strict(profile) && id->size() > router::kMaxMessageIdLength) expect_ok = false;
        if (expect_ok && id && pending.count(*id) != 0) expect_ok = false;
        FUZZ_ASSERT(stamped.ok() == expect_ok, "request() verdict differs from the model");
        if (stamped) {
          rec->id = (*stamped)["message_id"].get<std::string>();
          if (k % 4 == 0) FUZZ_ASSERT(rec->id.rfind("msg_", 0) == 0, "assigned id not in the SDK format");
          FUZZ_ASSERT(pending.count(rec->id) == 0, "assigned id collides with a pending one");
          pending[rec->id] = {rec, clock.now() + router::kRequestTimeoutSeconds};
          records.push_back(rec);
        }
        break;
      }
      case 1:
      case 2: {  // inbound message
        Json msg;
        if (in.u8() % 2 == 0) {
          auto parsed = json::parse(in.length_prefixed(), profile);
          if (!parsed) break;
          msg = std::move(*parsed);
        } else {
          const std::uint8_t k = in.u8();
          msg = Json::object();
          if (const char* type = kTypes[k % 6]; *type != '\0') msg["type"] = type;
          const std::string id = "q" + std::to_string(in.u8() % 8);
          switch (k / 6 % 4) {
            case 0: msg["message_id"] = id; break;
            case 1: msg["query_id"] = id; break;
            case 2: msg["payload"] = {{"query_id", id}}; break;
            default: msg["message_id"] = ""; msg["query_id"] = id; break;
          }
          if (in.flag()) msg["error"] = in.str(in.u8() % 8);
        }
        const std::string id = model_correlation_id(msg);
        const bool should_correlate = !id.empty() && pending.count(id) != 0;
        std::shared_ptr<Record> target = should_correlate ? pending[id].first : nullptr;
        const std::string type = string_member(msg, "type");
        current = &msg;
        const auto before_runs = handler_runs[type];
        const router::Dispatch d = r.receive(msg);
        current = nullptr;
        FUZZ_ASSERT(d.correlated == should_correlate, "correlation differs from the model");
        if (target) {
          FUZZ_ASSERT(target->calls == 1, "correlated request not completed");
          pending.erase(id);
        }
        const int expected_runs = msg.is_object() && !type.empty() ? handler_count[type] : 0;
        FUZZ_ASSERT(static_cast<int>(d.handlers_run) == expected_runs, "handlers run differs from the model");
        FUZZ_ASSERT(handler_runs[type] - before_runs == expected_runs, "handler invocations differ");
        break;
      }
      case 3: {  // time passes
        clock.advance(in.u8());
        std::size_t expected = 0;
        for (auto it = pending.begin(); it != pending.end();) {
          if (clock.now() >= it->second.second) {
            ++expected;
            it = pending.erase(it);
          } else {
            ++it;
          }
        }
        FUZZ_ASSERT(r.expire() == expected, "expire() differs from the 30 s model");
        break;
      }
      case 4: {  // connection closed
        FUZZ_ASSERT(r.close() == pending.size(), "close() did not cancel every pending request");
        pending.clear();
        closed = true;
        break;
      }
      default: {  // handler
        const std::string type = kTypes[in.u8() % 6];
        ++handler_count[type];
        r.on(type, [&handler_runs, type](const Json& m) {
          ++handler_runs[type];
          FUZZ_ASSERT(string_member(m, "type") == type, "handler ran for another type");
        });
        break;
      }
    }
    FUZZ_ASSERT(r.pending() == pending.size(), "pending count differs from the model");
  }
  r.close();
  for (const auto& rec : records) FUZZ_ASSERT(rec->calls == 1, "a request never completed");
  return 0;
}
