// pnc-tdx: parse, verify (offline DCAP, collateral from a file) and replay TDX quotes and event logs
// for people who hold a real quote. JSON on stdout; exit 0 = done / verified, 1 = refused or bad
// input (a named error), 2 = usage.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "input.hpp"
#include "pnc/cli.hpp"
#include "pnc/clock.hpp"
#include "pnc/json.hpp"
#include "pnc/tdx_ccel.hpp"
#include "pnc/tdx_dcap.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_signed.hpp"
#include "report.hpp"

namespace {

using namespace pnc;
namespace dcap = pnc::tdx::dcap;

constexpr int kOk = 0;
constexpr int kRefused = 1;
constexpr int kUsage = 2;

constexpr const char* kFooter = R"(Examples:
  pnc-tdx parse quote.dat
  pnc-tdx parse - < quote.hex                      (raw bytes, hex with or without 0x, or base64)
  pnc-tdx verify quote.dat --collateral tdx_quote_collateral.json --at 2025-07-01T00:00:00Z
  pnc-tdx verify quote.dat --collateral c.json --accept UpToDate,SWHardeningNeeded,OutOfDate
  pnc-tdx replay-log ccel_data.dat                 (binary CCEL / TCG log, or a dstack JSON log)

Exit status: 0 parsed / verified and accepted; 1 refused (a named error in the JSON on stdout and on
stderr; verify still reports the TCB status); 2 usage error (bad option, unreadable file).
Collateral: the JSON object of dcap-qvl (pck_crl_issuer_chain, root_ca_crl, pck_crl,
tcb_info_issuer_chain, tcb_info, tcb_info_signature, qe_identity_issuer_chain, qe_identity,
qe_identity_signature).)";

void print(const nlohmann::ordered_json& j) { std::cout << j.dump(2) << "\n"; }

int refuse(const Error& e) {
  print(tdx_cli::error_json(e));
  std::cerr << "pnc-tdx: " << e.code << ": " << e.message << "\n";
  return kRefused;
}
int usage(const std::string& message) {
  std::cerr << "pnc-tdx: error: " << message << "\n";
  return kUsage;
}

std::optional<Profile> profile_of(const std::string& name) { return parse_profile(name); }

// --at: Unix seconds or an RFC 3339 UTC time.
std::optional<std::int64_t> parse_at(const std::string& text) {
  if (!text.empty() && text.size() <= 18 && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::stoll(text);
  auto t = dcap::parse_utc_time(text);
  if (!t) return std::nullopt;
  return *t;
}

struct Args {
  std::string quote, collateral, root, at, accept = "UpToDate,SWHardeningNeeded", profile = "seed-spec", log;
};

int run_parse(const Args& a) {
  const auto profile = profile_of(a.profile);
  if (!profile) return usage("--profile must be seed-spec, hardened or sdk-compat");
  auto input = tdx_cli::read_input(a.quote);
  if (!input) return usage(input.error().code + ": " + input.error().message);
  auto bytes = tdx_cli::decode_quote(*input);
  if (!bytes) return refuse(bytes.error());
  auto q = tdx::parse_quote(*bytes, *profile);
  if (!q) return refuse(q.error());
  print(tdx_cli::quote_json(*q, bytes->size()));
  return kOk;
}

int run_verify(const Args& a) {
  const auto profile = profile_of(a.profile);
  if (!profile) return usage("--profile must be seed-spec, hardened or sdk-compat");
  auto policy = dcap::parse_policy(a.accept);
  if (!policy) return usage("--accept: " + policy.error().message);
  std::int64_t now = SystemClock().now();
  if (!a.at.empty()) {
    auto t = parse_at(a.at);
    if (!t) return usage("--at must be Unix seconds or an RFC 3339 UTC time (2025-07-01T00:00:00Z)");
    now = *t;
  }
  std::string root(tdx::intel_sgx_root_ca_pem());
  if (!a.root.empty()) {
    auto pem = tdx_cli::read_input(a.root);
    if (!pem) return usage(pem.error().code + ": " + pem.error().message);
    root.assign(pem->begin(), pem->end());
  }
  auto input = tdx_cli::read_input(a.quote);
  if (!input) return usage(input.error().code + ": " + input.error().message);
  auto collateral_file = tdx_cli::read_input(a.collateral);
  if (!collateral_file) return usage(collateral_file.error().code + ": " + collateral_file.error().message);
  auto bytes = tdx_cli::decode_quote(*input);
  if (!bytes) return refuse(bytes.error());
  auto collateral = dcap::parse_collateral(std::string(collateral_file->begin(), collateral_file->end()));
  if (!collateral) return refuse(collateral.error());

  const auto result = dcap::verify_dcap(*bytes, *collateral, dcap::DcapOptions{{root}, now, *policy, *profile});
  print(tdx_cli::dcap_json(result, *policy, now));
  if (const auto v = result.verdict(); !v) {
    std::cerr << "pnc-tdx: " << v.error().code << ": " << v.error().message << "\n";
    return kRefused;
  }
  return kOk;
}

int run_replay(const Args& a) {
  const auto profile = profile_of(a.profile);
  if (!profile) return usage("--profile must be seed-spec, hardened or sdk-compat");
  auto input = tdx_cli::read_input(a.log);
  if (!input) return usage(input.error().code + ": " + input.error().message);
  const std::string text(input->begin(), input->end());
  const auto first = text.find_first_not_of(" \t\r\n");
  const bool json = first != std::string::npos && (text[first] == '[' || text[first] == '{');
  if (!json) {
    auto events = tdx::parse_ccel_log(*input);
    if (!events) return refuse(events.error());
    print(tdx_cli::rtmrs_document(tdx::replay_rtmrs(*events), events->size(), "ccel"));
    return kOk;
  }
  // A dstack log array, or an object carrying one in "event_log" (a GetQuote answer).
  std::string log = text;
  if (text[first] == '{') {
    auto doc = json::parse_object(text, *profile);
    if (!doc) return refuse(make_error(tdx::kLogSyntax, doc.error().message));
    if (!doc->contains("event_log"))
      return refuse(make_error(tdx::kLogNotArray, "a JSON object without an \"event_log\" member"));
    const auto& member = (*doc)["event_log"];
    log = member.is_string() ? member.get<std::string>() : json::dump(member);
  }
  auto events = tdx::parse_event_log(log, *profile);
  if (!events) return refuse(events.error());
  print(tdx_cli::rtmrs_document(tdx::replay_rtmrs(*events), events->size(), "dstack"));
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pnc-tdx: parse, verify (offline DCAP) and replay Intel TDX quotes and event logs"};
  pnc::cli::setup(app, "pnc-tdx", kFooter);
  app.require_subcommand(1);
  Args a;

  auto* parse = app.add_subcommand("parse", "Print every field of a quote as JSON (lowercase hex)");
  parse->add_option("QUOTE", a.quote, "quote file (raw, hex or base64), - for stdin")->required();
  parse->add_option("--profile", a.profile, "structure rules: seed-spec (default), hardened, sdk-compat");

  auto* verify = app.add_subcommand("verify", "Verify a quote offline against DCAP collateral");
  verify->add_option("QUOTE", a.quote, "quote file (raw, hex or base64), - for stdin")->required();
  verify->add_option("--collateral", a.collateral, "collateral JSON file (dcap-qvl format)")->required();
  verify->add_option("--root", a.root, "trusted root CA, PEM file (default: Intel SGX Root CA)");
  verify->add_option("--at", a.at, "verification time: Unix seconds or RFC 3339 UTC (default: now)");
  verify->add_option("--accept", a.accept, "accepted TCB statuses, comma-separated Intel names, or any "
                                           "(default: UpToDate,SWHardeningNeeded)");
  verify->add_option("--profile", a.profile, "quote structure rules: seed-spec (default), hardened, sdk-compat");

  auto* replay = app.add_subcommand("replay-log", "Replay an event log into RTMR0..3");
  replay->add_option("LOG", a.log, "dstack JSON log (or GetQuote answer) or binary CCEL log, - for stdin")->required();
  replay->add_option("--profile", a.profile, "JSON rules for dstack logs: seed-spec (default), hardened, sdk-compat");

  if (auto status = pnc::cli::parse(app, argc, argv)) return *status;  // 0 --help / --version, 2 usage
  if (parse->parsed()) return run_parse(a);
  if (verify->parsed()) return run_verify(a);
  return run_replay(a);
}
