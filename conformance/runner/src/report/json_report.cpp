// report.json: the machine-readable report, schema in docs/report-format.md.
#include "pnc/json.hpp"
#include "report/report.hpp"

namespace pnc::conf {

std::string json_report(const RunReport& report) {
  using Json = nlohmann::ordered_json;  // members in the documented order
  Json summary = Json::object();
  for (const auto& [verdict, count] : report.summary()) summary[std::string(to_string(verdict))] = count;
  Json cases = Json::array();
  for (const auto& c : report.cases) {
    Json entry = {{"id", c.id},
                        {"title", c.title},
                        {"mechanism", c.mechanism},
                        {"requirements", c.requirements},
                        {"verdict", std::string(to_string(c.verdict))},
                        {"expected", c.expected},
                        {"observed", c.observed},
                        {"duration_ms", c.duration_ms}};
    if (!c.expectation_reason.empty()) entry["expectation_reason"] = c.expectation_reason;
    if (c.runner_gap) entry["runner_gap"] = true;
    cases.push_back(std::move(entry));
  }
  Json doc = {{"suite", report.suite},
                    {"suite_version", report.suite_version},
                    {"spec_version", report.spec_version},
                    {"profile", report.profile},
                    {"target", report.target},
                    {"sut", report.sut_name},
                    {"started", report.started},
                    {"duration_ms", report.duration_ms},
                    {"summary", summary},
                    {"passed", report.acceptable()},
                    {"cases", cases}};
  // Invalid UTF-8 from a misbehaving SUT is replaced rather than aborting the dump.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pnc::conf
