// pnc-conformance: the conformance runner CLI (docs/report-format.md, conformance/shim/README.md).
//   run       run the suite against a challenge, validator or shim SUT in one profile
//   list      the cases of a target with ids, titles and profiles
//   coverage  the requirement traceability matrix (MUST / MUST NOT of docs/PROTOCOL.md)
//   requirements  re-extract the requirements from the spec: check for drift or update the file
//   probe     probe an unknown challenge SUT, write a draft SUT description
//   fuzz      a structure-aware fuzz campaign against a challenge, a validator or a shim, the reference as oracle
//   replay    run one finding file of a campaign again
//   properties  the §14 property families against a shim or live sessions, failures shrunk by RapidCheck
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "app/data_paths.hpp"
#include "app/probe.hpp"
#include "app/run_command.hpp"
#include "campaign/fuzz_command.hpp"
#include "campaign/properties_command.hpp"
#include "cases/catalogue.hpp"
#include "core/engine.hpp"
#include "core/expectations.hpp"
#include "pnc/cli.hpp"
#include "pnc/codec.hpp"
#include "core/read_file.hpp"
#include "report/signature.hpp"
#include "trace/requirements.hpp"

namespace {

using namespace pnc::conf;

std::string profiles_of(const Case& c) {
  if (c.profiles.empty()) return "all";
  std::string out;
  for (auto p : c.profiles) out += (out.empty() ? "" : ",") + std::string(pnc::to_string(p));
  return out;
}

// Every case of every target: what the coverage matrix counts.
std::vector<Case> all_cases(const std::string& vectors_dir, std::string& error) {
  std::vector<Case> all;
  for (Target t : {Target::challenge, Target::validator, Target::shim}) {
    auto cases = cases_for(t, vectors_dir);
    if (!cases) {
      error = cases.error().message;
      continue;
    }
    for (auto& c : *cases) all.push_back(std::move(c));
  }
  return all;
}

// --listen HOST:PORT of the runner's own challenge (validator target): loopback only.
std::optional<int> parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int port = std::stoi(text);
  return port <= 65535 ? std::optional<int>(port) : std::nullopt;
}

// The port of HOST:PORT when HOST is 127.0.0.1 or localhost (the runner listens on loopback).
pnc::Result<int> loopback_listen_port(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return pnc::make_error("cli.listen", "expected HOST:PORT, e.g. 127.0.0.1:0");
  const std::string host = listen.substr(0, colon);
  if (host != "127.0.0.1" && host != "localhost") {
    return pnc::make_error("cli.listen", "the runner listens on loopback only: HOST must be 127.0.0.1 or localhost");
  }
  auto port = parse_port(listen.substr(colon + 1));
  if (!port) return pnc::make_error("cli.listen", "PORT must be a number 0..65535");
  return *port;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a SUT or shim closing its end must not kill the runner
  CLI::App app{"pnc-conformance " + std::string(kSuiteVersion) +
               ": conformance runner for the Platform Network Challenge SDK security protocol (" +
               std::string(kSpecVersion) + ")"};
  pnc::cli::setup(app, kSuiteName, {},
                  std::string(kSpecVersion) + ", report format " + std::string(kReportFormatVersion));
  app.require_subcommand(1);
  app.footer(R"(Examples:
  pnc-conformance run --target challenge --url ws://127.0.0.1:10000 --sut my-sut.json --report-dir out/
  pnc-conformance run --target challenge --cmd 'my-sdk --port {port} --session {signer_token}:{signer_public_b64}'
  pnc-conformance run --target shim --cmd 'python3 my_shim.py' --profile sdk-compat --report-dir out/ --sign-key key.hex
  pnc-conformance run --target challenge --url ws://10.0.0.5:10000 --sut prod-sut.json --tdx configfs   # on a TDX guest
  pnc-conformance verify-report out/ --pubkey d75a9801...511a
  pnc-conformance list --target challenge --profile hardened
  pnc-conformance probe --url ws://127.0.0.1:10000 -o my-sut.json
  pnc-conformance fuzz --target challenge --cmd 'my-sdk --port {port} ...' --duration 60 --findings-dir findings/
  pnc-conformance replay findings/finding-signed-weights-1a2b3c4d.json --cmd 'my-sdk --port {port} ...'
  pnc-conformance properties --cmd 'python3 my_shim.py' --profile hardened --runs 200 --findings-dir findings/
Exit status (run): 0 every case PASS/SKIPPED/EXPECTED-FAIL, 1 a case FAILed or is UNIMPLEMENTED,
  2 usage or setup error, 3 nothing failed but cases are BLOCKED, 130/143 interrupted by SIGINT/SIGTERM
  (partial report written). verify-report: 0 valid, 1 invalid or tampered, 2 usage.
Environment: NO_COLOR (non-empty) turns colour off. Formats and rules: docs/report-format.md.)");

  RunSettings run;
  std::string target_name = "challenge", profile_name = "seed-spec";
  run.vectors_dir = data_path("../share/challenge-conformance/vectors", PNC_VECTORS_DIR);
  run.requirements_file = data_path("../share/challenge-conformance/requirements.json", PNC_REQUIREMENTS_FILE);
  bool no_color = false;
  auto* run_cmd = app.add_subcommand("run", "Run the suite against a system under test");
  run_cmd->add_option("--target", target_name, "challenge (SUT is a server), validator (SUT is a client) or shim")
      ->check(CLI::IsMember({"challenge", "validator", "shim"}))->capture_default_str();
  auto* url_opt = run_cmd->add_option("--url", run.url, "challenge SUT base address, e.g. ws://127.0.0.1:10000 (the runner uses /sdk/ws and /sdk/... under it)");
  run_cmd->add_option("--cmd", run.cmd,
                      "command template that starts the SUT or the shim; placeholders: {url} (the runner's "
                      "challenge URL, validator target), {port}/{host} (challenge target), {http_port}, {deadline_ms}")
      ->excludes(url_opt);
  run_cmd->add_option("--sut", run.sut_file, "SUT description file (JSON, docs/report-format.md)");
  run_cmd->add_option("--profile", profile_name, "seed-spec, sdk-compat or hardened")
      ->check(CLI::IsMember({"seed-spec", "sdk-compat", "hardened"}))->capture_default_str();
  run_cmd->add_option("--filter", run.filter, "case-id glob(s), comma-separated; -GLOB excludes")->capture_default_str();
  run_cmd->add_option("--report-dir", run.report_dir, "write report.json, junit.xml, certificate.html here");
  run_cmd->add_option("--timeout-ms", run.timeout_ms, "limit of every single network or shim wait")
      ->check(CLI::Range(10, 600000))->capture_default_str();
  run_cmd->add_option("--startup-timeout-ms", run.startup_timeout_ms, "how long a started SUT may take to become ready / connect")
      ->check(CLI::Range(10, 600000))->capture_default_str();
  run_cmd->add_option("--expectations", run.expectations_file,
                      "known deviations: JSON {\"expected_failures\": {\"GLOB\": \"reason\"}} -> EXPECTED-FAIL");
  run_cmd->add_option("--bootstrap-url", run.bootstrap_url, "validator SUT: its HTTP base for bootstrap and signed requests");
  run_cmd->add_option("--tdx", run.tdx,
                      "the runner's own quotes: mock (MockQuoteV4, or signed-mock quotes for a signed-mock SUT) | "
                      "configfs (this TDX guest's configfs-tsm) | dstack (the dstack guest agent); configfs and dstack "
                      "need a SUT described as attestation_mode \"prod\" and check its quotes against --root")
      ->check(CLI::IsMember({"mock", "configfs", "dstack"}))->capture_default_str();
  run_cmd->add_option("--configfs-root", run.configfs_root, "--tdx configfs: the configfs-tsm report directory")->capture_default_str();
  run_cmd->add_option("--dstack-socket", run.dstack_socket, "--tdx dstack: the guest agent's Unix socket")->capture_default_str();
  run_cmd->add_option("--root", run.root_file,
                      "--tdx configfs|dstack: PEM root CA the SUT's quotes must chain to (default: Intel's SGX root CA)");
  std::string listen;
  auto* listen_opt = run_cmd->add_option("--listen", listen,
                                         "validator target: HOST:PORT of the runner's challenge, HOST a loopback "
                                         "address (port 0 = any; a fixed port is needed for an external SUT)");
  pnc::cli::deprecated_alias(*run_cmd, "--listen-port", listen_opt, run.listen_port)->check(CLI::Range(0, 65535));
  auto* deadline_opt = run_cmd->add_option("--handshake-deadline-ms", run.deadline_ms,
                                           "handshake deadline given to a started SUT as {deadline_ms} (N-HS-23 waits this long)")
      ->check(CLI::Range(50, 600000))->capture_default_str();
  pnc::cli::deprecated_alias(*run_cmd, "--deadline-ms", deadline_opt, run.deadline_ms)->check(CLI::Range(50, 600000));
  run_cmd->add_option("--vectors-dir", run.vectors_dir, "vector directory (shim target)")->capture_default_str();
  run_cmd->add_option("--requirements", run.requirements_file, "traceability file")->capture_default_str();
  run_cmd->add_option("-j,--jobs", run.jobs, "challenge target: run this many cases concurrently (0 = 4 per core, at least 8: cases mostly wait for the SUT)")
      ->check(CLI::Range(0, 256))->capture_default_str();
  run_cmd->add_option("--sign-key", run.sign_key_file,
                      "sign report.json: FILE holds an Ed25519 seed as 64 hex characters; writes report.json.sig");
  run_cmd->add_flag("-q,--quiet", run.quiet, "no progress bar; one summary line plus the non-PASS cases");
  run_cmd->add_flag("--no-color", no_color, "plain console output");

  std::string list_target, list_profile, list_filter = "*";
  auto* list_cmd = app.add_subcommand("list", "List the cases (id, mechanism, profiles, title)");
  list_cmd->add_option("--target", list_target, "only this target (default: all)")
      ->check(CLI::IsMember({"challenge", "validator", "shim"}));
  list_cmd->add_option("--profile", list_profile, "only cases applying to this profile")
      ->check(CLI::IsMember({"seed-spec", "sdk-compat", "hardened"}));
  list_cmd->add_option("--filter", list_filter, "case-id glob(s)");
  list_cmd->add_option("--vectors-dir", run.vectors_dir, "vector directory")->capture_default_str();

  bool coverage_check = false, coverage_verbose = false;
  auto* cov_cmd = app.add_subcommand("coverage", "Print the requirement coverage matrix");
  cov_cmd->add_option("--requirements", run.requirements_file, "traceability file")->capture_default_str();
  cov_cmd->add_option("--vectors-dir", run.vectors_dir, "vector directory")->capture_default_str();
  std::string network_exceptions_file =
      data_path("../share/challenge-conformance/network_exceptions.json", PNC_NETWORK_EXCEPTIONS_FILE);
  cov_cmd->add_option("--network-exceptions", network_exceptions_file,
                      "requirements not observable over the network, each with a reason")->capture_default_str();
  cov_cmd->add_flag("--check", coverage_check,
                    "exit 1 when a requirement is neither covered nor excepted, or has neither a network case nor a "
                    "network exception, or a case neither covers a requirement nor is listed in cases_without_requirement");
  cov_cmd->add_flag("--verbose", coverage_verbose, "print every requirement's text");

  std::string spec_path = data_path("../share/doc/challenge-conformance/PROTOCOL.md", PNC_PROTOCOL_MD);
  bool req_check = false, req_update = false;
  auto* req_cmd = app.add_subcommand("requirements", "Extract the MUST / MUST NOT requirements of docs/PROTOCOL.md");
  req_cmd->add_option("--spec", spec_path, "the spec")->capture_default_str();
  req_cmd->add_option("--requirements", run.requirements_file, "the committed traceability file")->capture_default_str();
  req_cmd->add_flag("--check", req_check, "exit 1 when the committed file has drifted from the spec");
  req_cmd->add_flag("--update", req_update, "rewrite the file from the spec, keeping the annotations of unchanged ids");

  ProbeSettings probe_settings;
  auto* probe_cmd = app.add_subcommand("probe", "Probe an unknown challenge SUT and write a draft SUT description");
  probe_cmd->add_option("--url", probe_settings.url, "challenge SUT base address, e.g. ws://127.0.0.1:10000")->required();
  probe_cmd->add_option("-o,--output", probe_settings.out_file, "write the draft SUT description (JSON) here instead of stdout");
  probe_cmd->add_option("--timeout-ms", probe_settings.timeout_ms, "limit of every single network wait")
      ->check(CLI::Range(10, 600000))->capture_default_str();

  std::string verify_dir, verify_pubkey;
  auto* verify_cmd = app.add_subcommand("verify-report", "Check report.json against report.json.sig (exit 0 valid, 1 invalid, 2 usage)");
  verify_cmd->add_option("DIR", verify_dir, "a report directory (report.json, report.json.sig, certificate.html)")->required();
  verify_cmd->add_option("--pubkey", verify_pubkey, "the signer's Ed25519 public key: 64 hex characters or a file holding them")->required();

  namespace camp = pnc::conf::campaign;
  camp::FuzzSettings fuzz;
  std::string fuzz_target = "challenge", fuzz_profile = "seed-spec";
  auto* fuzz_cmd = app.add_subcommand("fuzz", "Structure-aware fuzz campaign against a challenge, a validator or a shim; the reference predicts every outcome");
  fuzz_cmd->add_option("--target", fuzz_target,
                       "challenge (network scenarios), validator (the runner plays the challenge; --cmd with {ws_url}) or shim "
                       "(single operations seeded by the vector files)")
      ->check(CLI::IsMember({"challenge", "validator", "shim"}))->capture_default_str();
  auto* fuzz_url = fuzz_cmd->add_option("--url", fuzz.url, "challenge SUT base address, e.g. ws://127.0.0.1:10000");
  fuzz_cmd->add_option("--cmd", fuzz.cmd, "command template that starts the SUT (placeholders as for run), or the shim command")->excludes(fuzz_url);
  fuzz.vectors_dir = run.vectors_dir;
  fuzz_cmd->add_option("--vectors-dir", fuzz.vectors_dir, "vector directory (shim target: the seeds)")->capture_default_str();
  fuzz_cmd->add_option("--sut", fuzz.sut_file, "SUT description file (keys the SUT trusts; docs/report-format.md)");
  fuzz_cmd->add_option("--profile", fuzz_profile, "seed-spec, sdk-compat or hardened")
      ->check(CLI::IsMember({"seed-spec", "sdk-compat", "hardened"}))->capture_default_str();
  fuzz_cmd->add_option("--seed", fuzz.seed, "the campaign's inputs are a function of the seed")->capture_default_str();
  fuzz_cmd->add_option("--runs", fuzz.runs, "executions in this shard (default 500 when --duration is not given)");
  fuzz_cmd->add_option("--duration", fuzz.duration_s, "seconds to run")->check(CLI::Range(0.0, 604800.0));
  fuzz_cmd->add_option("--max-findings", fuzz.max_findings, "stop after this many findings (default: run the whole budget)");
  fuzz_cmd->add_option("--shard", fuzz.shard, "I/N: run the executions i with i % N == I (no coordinator)")->capture_default_str();
  fuzz_cmd->add_option("-j,--jobs", fuzz.jobs, "workers in this process, each with its own SUT process or connections (0 = number of cores)")
      ->check(CLI::Range(0u, 256u))->capture_default_str();
  fuzz_cmd->add_option("--findings-dir", fuzz.findings_dir, "write each finding as a JSON reproducer here");
  fuzz_cmd->add_option("--junit", fuzz.junit, "also write a JUnit XML file (one testcase per finding) for CI");
  fuzz_cmd->add_option("--report-dir", fuzz.report_dir, "write report.json (kind fuzz), junit.xml and report.html here");
  fuzz_cmd->add_option("--corpus-dir", fuzz.corpus_dir, "read and grow the corpus of inputs with new behaviour here");
  fuzz_cmd->add_option("--scenarios", fuzz.scenarios, "comma-separated scenario names, or shim operation names (default: every one the SUT supports)");
  fuzz_cmd->add_option("--timeout-ms", fuzz.timeout_ms, "limit of every single network wait")
      ->check(CLI::Range(10, 600000))->capture_default_str();
  fuzz_cmd->add_option("--startup-timeout-ms", fuzz.startup_timeout_ms, "how long a started SUT may take to answer")
      ->check(CLI::Range(10, 600000))->capture_default_str();
  fuzz_cmd->add_flag("-q,--quiet", fuzz.quiet, "no progress lines");
  fuzz_cmd->footer(camp::scenario_help() + R"(Examples:
  pnc-conformance fuzz --target challenge --cmd 'pnc-ref-challenge --listen 127.0.0.1:0 --profile {profile} --admin --session {signer_token}:{signer_public_b64} --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64} --proxy-session {proxy_token} --miner-token-issuer {issuer_public_b64} --challenge-id {audience}' --duration 60 --findings-dir findings/
  pnc-conformance fuzz --url ws://127.0.0.1:10000 --sut my-sut.json --profile hardened --seed 7 --runs 2000 --shard 1/4 --jobs 2 --report-dir out/
  pnc-conformance fuzz --target validator --cmd 'my-validator --connect {ws_url}' --profile hardened --duration 60 --findings-dir findings/
  pnc-conformance fuzz --target shim --cmd 'python3 my_shim.py' --profile sdk-compat --duration 60 --findings-dir findings/
  pnc-conformance fuzz --target shim --cmd pnc-ref-shim --scenarios signed_request_verify,channel_receive --runs 5000
Exit status: 0 no finding, 1 findings (reproducers in --findings-dir), 2 usage or setup error, 130/143 interrupted.
Format of findings and CI use: docs/campaigns.md.)");

  std::string replay_file;
  camp::FuzzSettings replay;
  auto* replay_cmd = app.add_subcommand("replay", "Run one finding file of a campaign again (exit 1 still fails, 0 passes, 2 bad file)");
  replay_cmd->add_option("FILE", replay_file, "a finding file written by fuzz --findings-dir")->required();
  auto* replay_url = replay_cmd->add_option("--url", replay.url, "challenge SUT base address");
  replay_cmd->add_option("--cmd", replay.cmd, "command template that starts the SUT, or the shim command")->excludes(replay_url);
  replay.vectors_dir = run.vectors_dir;
  replay_cmd->add_option("--vectors-dir", replay.vectors_dir, "vector directory (a shim finding's seed)")->capture_default_str();
  replay_cmd->add_option("--sut", replay.sut_file, "SUT description file");
  replay_cmd->add_option("--timeout-ms", replay.timeout_ms, "limit of every single network wait")
      ->check(CLI::Range(10, 600000))->capture_default_str();
  replay_cmd->footer(R"(Example:
  pnc-conformance replay findings/finding-ws-session-0badc0de.json --url ws://127.0.0.1:10000 --sut my-sut.json
  pnc-conformance replay findings/finding-shim-envelope_test-12-0badc0de.json --cmd 'python3 my_shim.py'
  pnc-conformance replay findings/finding-validator-session-0badc0de.json --cmd 'my-validator --connect {ws_url}')");

  camp::PropertySettings props;
  std::string props_target = "shim", props_profile = "seed-spec";
  auto* props_cmd = app.add_subcommand("properties", "The §14 property families against a SUT's shim or live sessions with a challenge; RapidCheck generates and shrinks, the reference judges");
  props_cmd->add_option("--target", props_target,
                        "shim (the shim's operations), challenge or validator (live WebSocket sessions with the SUT)")
      ->check(CLI::IsMember({"shim", "challenge", "validator"}))->capture_default_str();
  auto* props_url = props_cmd->add_option("--url", props.url, "challenge target: the SUT's base address (ws://HOST:PORT)");
  props_cmd->add_option("--cmd", props.cmd, "the shim command (conformance/shim/README.md), or the challenge's or validator's command template")
      ->excludes(props_url);
  props_cmd->add_option("--sut", props.sut_file, "challenge or validator target: SUT description file");
  props_cmd->add_option("--profile", props_profile, "seed-spec, sdk-compat or hardened")
      ->check(CLI::IsMember({"seed-spec", "sdk-compat", "hardened"}))->capture_default_str();
  props_cmd->add_option("--seed", props.seed, "RapidCheck's seed: the same seed runs the same cases")->capture_default_str();
  props_cmd->add_option("--runs", props.runs, "passing cases per property")->check(CLI::Range(1, 10000000))->capture_default_str();
  props_cmd->add_option("--properties", props.properties, "comma-separated property names or families (default: all)");
  props_cmd->add_option("--junit", props.junit, "also write a JUnit XML file (one testcase per property) for CI");
  props_cmd->add_option("--report-dir", props.report_dir, "write report.json (kind properties), junit.xml and report.html here");
  props_cmd->add_option("--findings-dir", props.findings_dir, "write each failure as a JSON finding here (and the shim's stderr to shim.log)");
  props_cmd->add_option("--timeout-ms", props.timeout_ms, "limit of every shim answer or network wait")->check(CLI::Range(10, 600000))->capture_default_str();
  props_cmd->add_option("--startup-timeout-ms", props.startup_timeout_ms, "how long the shim (or a --cmd SUT) may take to start")
      ->check(CLI::Range(10, 600000))->capture_default_str();
  props_cmd->footer(camp::property_help() + R"(Examples:
  pnc-conformance properties --cmd 'python3 my_shim.py' --profile sdk-compat --runs 200 --findings-dir findings/
  pnc-conformance properties --cmd pnc-ref-shim --properties P-ENV,P-SIG.tamper --seed 7 --runs 1000
  pnc-conformance properties --target challenge --url ws://127.0.0.1:10000 --sut my-sut.json --properties P-SESSION --runs 300
  pnc-conformance properties --target challenge --cmd 'my-sdk --port {port} ...' --report-dir out/ --findings-dir findings/
  pnc-conformance properties --target validator --cmd 'my-validator --connect {ws_url}' --profile hardened --runs 50
Exit status: 0 every property held or was skipped (operation unimplemented), 1 a property failed (shrunk case printed,
finding written), 2 usage or setup error, a property RapidCheck gave up on or one that was blocked (the SUT's handshake
could not be completed), 130/143 interrupted. See docs/campaigns.md.)");

  // --help / --version exit 0; every usage error exits 2 (CLI11's own codes are 100+).
  if (auto status = pnc::cli::parse(app, argc, argv)) return *status;

  if (run_cmd->parsed()) {
    if (!listen.empty()) {
      auto port = loopback_listen_port(listen);
      if (!port) return pnc::cli::usage_error(kSuiteName, "--listen " + listen + ": " + port.error().message);
      run.listen_port = *port;
    }
    run.target = *parse_target(target_name);
    run.profile = *pnc::parse_profile(profile_name);
    const char* no_color_env = std::getenv("NO_COLOR");  // https://no-color.org: set and non-empty
    run.color = !no_color && (no_color_env == nullptr || *no_color_env == '\0') && isatty(1) != 0;
    return run_command(run, std::cout, std::cerr);
  }

  if (fuzz_cmd->parsed()) {
    fuzz.profile = *pnc::parse_profile(fuzz_profile);
    fuzz.target = *parse_target(fuzz_target);
    if (fuzz.target == pnc::conf::Target::validator && (fuzz.cmd.empty() || !fuzz.url.empty()))
      return pnc::cli::usage_error(kSuiteName, "fuzz --target validator needs --cmd 'TEMPLATE' with {ws_url} (the validator "
                                               "connects to the runner's challenge; it has no --url)");
    if (fuzz.target == pnc::conf::Target::challenge && fuzz.url.empty() && fuzz.cmd.empty()) return pnc::cli::usage_error(kSuiteName, "fuzz needs --url ws://HOST:PORT or --cmd 'TEMPLATE'");
    return camp::fuzz_command(fuzz, std::cout, std::cerr);
  }
  if (props_cmd->parsed()) {
    props.profile = *pnc::parse_profile(props_profile);
    props.target = *parse_target(props_target);
    if (props.target == pnc::conf::Target::validator && (props.cmd.empty() || !props.url.empty()))
      return pnc::cli::usage_error(kSuiteName, "properties --target validator needs --cmd 'TEMPLATE' with {ws_url} (the validator "
                                               "connects to the runner's challenge; it has no --url)");
    if (props.target == pnc::conf::Target::shim && props.cmd.empty())
      return pnc::cli::usage_error(kSuiteName, "properties --target shim needs --cmd 'COMMAND' (the shim to start)");
    if (props.target == pnc::conf::Target::shim && (!props.url.empty() || !props.sut_file.empty()))
      return pnc::cli::usage_error(kSuiteName, "--url and --sut are for --target challenge; a shim is started with --cmd");
    if (props.target == pnc::conf::Target::challenge && props.url.empty() && props.cmd.empty())
      return pnc::cli::usage_error(kSuiteName, "properties --target challenge needs --url ws://HOST:PORT or --cmd 'TEMPLATE'");
    return camp::properties_command(props, std::cout, std::cerr);
  }
  if (replay_cmd->parsed()) {
    return camp::replay_command(replay_file, replay, std::cout, std::cerr);
  }

  if (probe_cmd->parsed()) {
    probe_settings.vectors_dir = run.vectors_dir;
    return probe_command(probe_settings, std::cout, std::cerr);
  }

  if (verify_cmd->parsed()) {
    auto key = load_public_key(verify_pubkey);
    if (!key) {
      std::cerr << "pnc-conformance: " << key.error().message << '\n';
      return 2;
    }
    if (auto s = verify_report_dir(verify_dir, *key); !s) {
      std::cerr << "pnc-conformance: " << verify_dir << ": " << s.error().message << '\n';
      return s.error().code == "verify.usage" ? 2 : 1;
    }
    std::cout << verify_dir << ": report.json signature valid (Ed25519 key " << pnc::codec::hex_encode(*key)
              << ")\n";
    return 0;
  }

  if (list_cmd->parsed()) {
    int n = 0;
    for (Target t : {Target::challenge, Target::validator, Target::shim}) {
      if (!list_target.empty() && to_string(t) != list_target) continue;
      auto cases = cases_for(t, run.vectors_dir);
      if (!cases) {
        std::cerr << "pnc-conformance: " << cases.error().message << '\n';
        return 2;
      }
      for (const auto& c : *cases) {
        if (!glob_match(list_filter, c.id)) continue;
        if (!list_profile.empty() && !c.applies_to(*pnc::parse_profile(list_profile))) continue;
        std::cout << to_string(t) << '\t' << c.id << '\t' << c.mechanism_name() << '\t' << profiles_of(c) << '\t' << c.title << '\n';
        ++n;
      }
    }
    std::cerr << n << " cases\n";
    return 0;
  }

  if (cov_cmd->parsed()) {
    auto trace = load_traceability(run.requirements_file);
    if (!trace) {
      std::cerr << "pnc-conformance: " << trace.error().message << '\n';
      return 2;
    }
    std::string error;
    const auto cases = all_cases(run.vectors_dir, error);
    if (!error.empty()) std::cerr << "pnc-conformance: warning: " << error << '\n';
    std::vector<const Case*> ptrs;
    for (const auto& c : cases) ptrs.push_back(&c);
    auto network = load_network_exceptions(network_exceptions_file);
    if (!network) {
      std::cerr << "pnc-conformance: " << network.error().message << '\n';
      return 2;
    }
    const int problems = print_coverage(std::cout, coverage(*trace, ptrs), coverage_verbose, *network);
    // The other direction: every case covers a requirement or says why not.
    const auto untraced = untraced_case_problems(*trace, ptrs);
    for (const auto& p : untraced) std::cout << "untraced: " << p << '\n';
    std::size_t listed = 0;
    for (const Case* c : ptrs)
      if (requirements_of(*trace, c->id).empty()) ++listed;
    if (untraced.empty())
      std::cout << "every case traced: " << ptrs.size() << " cases, " << ptrs.size() - listed << " covering requirements, "
                << listed << " in cases_without_requirement with a reason\n";
    else
      std::cout << untraced.size() << " case tracing problems (requirements.json cases_without_requirement)\n";
    return coverage_check && problems + untraced.size() > 0 ? 1 : 0;
  }

  if (req_cmd->parsed()) {
    const auto spec_text = read_file(spec_path);
    if (!spec_text) {
      std::cerr << "pnc-conformance: cannot read " << spec_path << '\n';
      return 2;
    }
    const std::string& spec = *spec_text;
    const auto extracted = extract_requirements(spec);
    const std::string version = spec_version_of(spec);
    Traceability committed;
    if (auto t = load_traceability(run.requirements_file)) committed = std::move(*t);
    else if (!req_update) {
      std::cerr << "pnc-conformance: " << t.error().message << '\n';
      return 2;
    }
    if (req_update) {
      std::ofstream out(run.requirements_file, std::ios::binary | std::ios::trunc);
      out << traceability_json(merge(extracted, committed, version));
      std::cout << extracted.size() << " requirements written to " << run.requirements_file << '\n';
      return out ? 0 : 2;
    }
    const auto problems = drift(extracted, committed, version);
    for (const auto& p : problems) std::cout << "drift: " << p << '\n';
    std::cout << extracted.size() << " requirements in " << spec_path << " (version " << version << "), "
              << committed.requirements.size() << " in " << run.requirements_file << ": "
              << (problems.empty() ? "in sync" : "DRIFT (run `pnc-conformance requirements --update`, then annotate)") << '\n';
    return req_check && !problems.empty() ? 1 : 0;
  }
  return 0;
}
