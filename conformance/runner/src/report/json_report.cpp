// report.json: the machine-readable report, documented in docs/report-format.md and described
// by docs/report.schema.json.
#include "pnc/json.hpp"
#include "report/report.hpp"

namespace pnc::conf {

namespace {

using Json = nlohmann::ordered_json;  // members in the documented order

Json file_json(const std::optional<InputFile>& f) {
  if (!f) return nullptr;
  return Json{{"name", f->name}, {"sha256", f->sha256}};
}

Json inputs_json(const RunProvenance& p) {
  Json waivers = Json::array();
  for (const auto& w : p.waivers) waivers.push_back(Json{{"glob", w.glob}, {"reason", w.reason}, {"cases", w.cases}});
  Json vectors = Json::array();
  for (const auto& f : p.vector_files) vectors.push_back(Json{{"name", f.name}, {"sha256", f.sha256}});
  return Json{{"filter", p.filter},
              {"catalogue_cases", p.catalogue_cases},
              {"catalogue_sha256", p.catalogue_sha256},
              {"sut_file", file_json(p.sut_file)},
              {"expectations_file", file_json(p.expectations_file)},
              {"waivers", waivers},
              {"requirements_file", file_json(p.requirements_file)},
              {"vector_files", vectors}};
}

Json signature_json(const RunProvenance& p) {
  if (p.signing_public_key.empty()) return nullptr;
  return Json{{"algorithm", "Ed25519"}, {"file", "report.json.sig"}, {"public_key", p.signing_public_key}};
}

Json campaign_json(const RunReport& report) {
  if (report.kind == ReportKind::conformance) return nullptr;
  const CampaignRecord& c = report.campaign;
  return Json{{"seed", c.seed},         {"shard", c.shard},         {"executions", c.executions},
              {"jobs", c.jobs},         {"selection", c.selection}, {"findings", c.findings}};
}

}  // namespace

std::string json_report(const RunReport& report) {
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
    if (c.not_applicable) entry["not_applicable"] = true;
    cases.push_back(std::move(entry));
  }
  Json requirements = Json::array();
  for (const auto& r : report.requirements) {
    Json row = {{"id", r.id},     {"section", r.section}, {"level", r.level},
                {"title", r.title}, {"cases", r.cases},   {"verdict", r.verdict}};
    if (!r.note.empty()) row["note"] = r.note;
    requirements.push_back(std::move(row));
  }
  const Headline h = headline(report);
  Json doc = {{"format_version", std::string(kReportFormatVersion)},
              {"kind", std::string(to_string(report.kind))},
              {"suite", report.suite},
              {"suite_version", report.suite_version},
              {"runner_commit", report.provenance.runner_commit},
              {"spec_version", report.spec_version},
              {"profile", report.profile},
              {"attestation_mode", report.provenance.attestation_mode},
              {"target", report.target},
              {"sut", report.sut_name},
              {"started", report.started},
              {"duration_ms", report.duration_ms},
              {"interrupted", report.interrupted},
              {"headline", Json{{"verdict", h.word}, {"reasons", h.reasons}}},
              {"inputs", inputs_json(report.provenance)},
              {"campaign", campaign_json(report)},
              {"signature", signature_json(report.provenance)},
              {"summary", summary},
              {"passed", report.acceptable() && !report.interrupted},
              {"requirements", requirements},
              {"cases", cases}};
  // Invalid UTF-8 from a misbehaving SUT is replaced rather than aborting the dump.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pnc::conf
