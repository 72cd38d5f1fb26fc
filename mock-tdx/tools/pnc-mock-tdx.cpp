// pnc-mock-tdx: quotes, event logs and RTMR JSON from the mock TDX quote provider (mock-tdx/README.md).
//
//   pnc-mock-tdx quote (--nonce HEX64 | --report-data HEX64) --env dev|prod [--mode MODE]
//                      [--fault NAME] [--format raw|b64|hex|json] [measurement overrides...]
//   pnc-mock-tdx faults [--json]
//   pnc-mock-tdx root-ca
//   pnc-mock-tdx pck-chain
//   pnc-mock-tdx collateral [--fault NAME | --list [--json]]
//
// Exit status: 0 on success, 2 with a message on stderr for any bad argument.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "pnc/cli.hpp"
#include "pnc/codec.hpp"
#include "pnc/mock_tdx/collateral.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/faults.hpp"
#include "pnc/mock_tdx/pki.hpp"

namespace {

using namespace pnc;
using namespace pnc::mock_tdx;

constexpr int kUsageError = 2;

// CLI11 validator: exactly `bytes` bytes of hex (either case), as the spec's strict hex rule.
CLI::Validator hex_bytes(std::size_t bytes) {
  return CLI::Validator(
      [bytes](std::string& value) -> std::string {
        if (codec::hex_decode_exact(value, bytes)) return {};
        return "must be exactly " + std::to_string(2 * bytes) + " hex characters";
      },
      "HEX" + std::to_string(2 * bytes));
}

template <std::size_t N>
ByteArray<N> to_array(const std::string& hex) {
  const Bytes b = std::move(codec::hex_decode_exact(hex, N)).value();  // validated by hex_bytes
  ByteArray<N> a{};
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

int fail(const std::string& message) {
  std::cerr << "pnc-mock-tdx: error: " << message << "\n";
  return kUsageError;
}

struct QuoteArgs {
  std::string nonce, report_data, env, mode = "mock", fault, format = "b64";
  std::string key_binding, mr_td, rtmr0, rtmr1, rtmr2, compose_hash;
  std::string hotkey = "5MockHotkey", challenge_id;
  std::uint64_t seed = 0;
};

int write_evidence(const Evidence& ev, const std::string& format) {
  if (format == "raw") {
    if (!ev.quote.empty() && std::fwrite(ev.quote.data(), 1, ev.quote.size(), stdout) != ev.quote.size())
      return fail("cannot write to stdout");
    return std::fflush(stdout) == 0 ? 0 : fail("cannot write to stdout");
  }
  if (format == "b64") std::cout << codec::b64_encode(ev.quote) << "\n";
  if (format == "hex") std::cout << codec::hex_encode(ev.quote) << "\n";
  if (format == "json") std::cout << evidence_json(ev) << "\n";
  std::cout.flush();
  return std::cout ? 0 : fail("cannot write to stdout");
}

int run_quote(const QuoteArgs& a) {
  if (a.nonce.empty() == a.report_data.empty()) return fail("give exactly one of --nonce and --report-data");
  std::optional<Bytes> nonce;
  if (!a.nonce.empty()) nonce = std::move(codec::hex_decode_exact(a.nonce, 32)).value();

  if (auto upstream = parse_upstream(a.mode)) {
    if (!a.fault.empty()) return fail("--fault applies to --mode mock and --mode signed only");
    if (!nonce && *upstream != Upstream::python_test)
      return fail("--mode " + a.mode + " binds SHA256(N) itself: give --nonce");
    UpstreamRequest r;
    if (nonce) r.nonce = *nonce;
    r.env_mode = a.env;
    r.hotkey = a.hotkey;
    if (!a.compose_hash.empty()) r.compose_hash = a.compose_hash;
    if (!a.challenge_id.empty()) r.challenge_id = a.challenge_id;
    r.seed = a.seed;
    return write_evidence(upstream_evidence(*upstream, r), a.format);
  }

  QuoteRequest r;
  r.mode = *parse_mode(a.mode);  // the IsMember check admits only known modes
  r.nonce = nonce;
  if (!a.report_data.empty()) r.report_data = to_array<32>(a.report_data);
  r.params.env_mode = a.env;
  if (!a.key_binding.empty()) r.params.key_binding = to_array<32>(a.key_binding);
  if (!a.mr_td.empty()) r.params.mr_td = to_array<48>(a.mr_td);
  if (!a.rtmr0.empty()) r.params.rtmr0 = to_array<48>(a.rtmr0);
  if (!a.rtmr1.empty()) r.params.rtmr1 = to_array<48>(a.rtmr1);
  if (!a.rtmr2.empty()) r.params.rtmr2 = to_array<48>(a.rtmr2);
  if (!a.compose_hash.empty()) {
    auto ch = codec::hex_decode_exact(a.compose_hash, 32);
    if (!ch) return fail("--compose-hash must be 64 hex characters in --mode " + a.mode);
    r.params.compose_hash = to_array<32>(a.compose_hash);
  }
  r.fault = a.fault;
  auto ev = make_evidence(r);
  if (!ev) return fail(ev.error().message);
  return write_evidence(*ev, a.format);
}

int run_faults(bool json) {
  if (json) {
    std::cout << fault_registry_json() << "\n";
    return 0;
  }
  std::size_t name_width = 0, spec_width = 0;
  for (const auto& f : fault_registry()) {
    name_width = std::max(name_width, f.name.size());
    spec_width = std::max(spec_width, f.spec.size());
  }
  auto pad = [](std::string_view s, std::size_t width) { return std::string(s) + std::string(width + 2 - s.size(), ' '); };
  for (const auto& f : fault_registry()) {
    const std::string modes = f.mock && f.signed_quote ? "mock,signed" : (f.mock ? "mock" : "signed");
    std::string line = pad(f.name, name_width) + pad(modes, 11) + pad(f.spec, spec_width) + std::string(f.description);
    if (f.profile != Profile::seed_spec) line += " [" + std::string(to_string(f.profile)) + "]";
    if (f.needs_nonce) line += " [needs --nonce]";
    if (f.requires_env) line += " [needs --env " + std::string(*f.requires_env) + "]";
    std::cout << line << "\n";
  }
  return 0;
}

int run_collateral(const std::string& fault, bool list, bool json) {
  if (list) {
    if (json) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& f : collateral_fault_registry())
        arr.push_back({{"name", f.name}, {"description", f.description}, {"check", f.check}, {"code", f.code},
                       {"status", f.status}});
      std::cout << arr.dump(2) << "\n";
      return 0;
    }
    std::size_t width = 0;
    for (const auto& f : collateral_fault_registry()) width = std::max(width, f.name.size());
    for (const auto& f : collateral_fault_registry()) {
      const std::string code = f.code.empty() ? std::string("(verifies)") : std::string(f.code);
      std::cout << f.name << std::string(width + 2 - f.name.size(), ' ') << code << "  " << f.description << "\n";
    }
    return 0;
  }
  if (json) return fail("--json goes with --list");
  auto c = make_collateral(fault);
  if (!c) return fail(c.error().message);
  std::cout << collateral_json(*c) << "\n";
  std::cout.flush();
  return std::cout ? 0 : fail("cannot write to stdout");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Mock TDX quote provider of challenge-conformance: MockQuoteV4 (PROTOCOL.md §9.6), signed "
               "mock quotes with a mock PCK chain, upstream-shaped mocks and named faults."};
  pnc::cli::setup(app, "pnc-mock-tdx", R"(Examples:
  pnc-mock-tdx quote --nonce 000102...1f --env dev                  MockQuoteV4, base64
  pnc-mock-tdx quote --report-data 00...00 --env prod --mode signed --format json
  pnc-mock-tdx quote --nonce 000102...1f --env dev --fault env-mismatch
  pnc-mock-tdx faults --json
Exit status: 0 success, 2 usage error (a message on stderr).)");

  QuoteArgs q;
  CLI::App* quote = app.add_subcommand("quote", "Print a quote (or the quote + event log + rtmrs bundle).");
  auto* nonce_opt = quote->add_option("--nonce", q.nonce,
                                      "WebSocket nonce N (64 hex chars); REPORTDATA[0:32] = SHA256(N) (§3.4)")
                        ->check(hex_bytes(32));
  auto* rd_opt = quote->add_option("--report-data", q.report_data,
                                   "32 bytes bound as REPORTDATA[0:32] as given (e.g. the HTTP binding, §2.3)")
                     ->check(hex_bytes(32));
  nonce_opt->excludes(rd_opt);
  quote->add_option("--env", q.env, "environment mode of the quoting side (environment-mode event)")
      ->required()
      ->check(CLI::IsMember({"dev", "prod"}));
  quote->add_option("--mode", q.mode,
                    "mock = MockQuoteV4; signed = real ECDSA signature data and mock PCK chain; "
                    "sdk, sdk-fallback, val, api, python-test = upstream-shaped mocks (§9.6 table)")
      ->capture_default_str()
      ->check(CLI::IsMember({"mock", "signed", "sdk", "sdk-fallback", "val", "api", "python-test"}));
  quote->add_option("--fault", q.fault, "a named fault (see `pnc-mock-tdx faults`)");
  quote->add_option("--format", q.format, "raw bytes, base64, hex, or json = {\"quote\", \"event_log\", \"rtmrs\"}")
      ->capture_default_str()
      ->check(CLI::IsMember({"raw", "b64", "hex", "json"}));
  quote->add_option("--key-binding", q.key_binding, "[HARD] REPORTDATA[32:64] (64 hex chars)")->check(hex_bytes(32));
  quote->add_option("--mr-td", q.mr_td, "MRTD override (96 hex chars)")->check(hex_bytes(48));
  quote->add_option("--rtmr0", q.rtmr0, "RTMR0 override (96 hex chars)")->check(hex_bytes(48));
  quote->add_option("--rtmr1", q.rtmr1, "RTMR1 override (96 hex chars)")->check(hex_bytes(48));
  quote->add_option("--rtmr2", q.rtmr2, "RTMR2 override (96 hex chars)")->check(hex_bytes(48));
  quote->add_option("--compose-hash", q.compose_hash,
                    "mock/signed: compose-hash event payload (64 hex chars); upstream modes: COMPOSE_HASH text");
  quote->add_option("--hotkey", q.hotkey, "val/api: the validator hotkey")->capture_default_str();
  quote->add_option("--challenge-id", q.challenge_id, "sdk: CHALLENGE_ID");
  quote->add_option("--seed", q.seed, "upstream modes: seed replacing upstream's CSPRNG")->capture_default_str();

  bool faults_json = false;
  CLI::App* faults = app.add_subcommand("faults", "List every fault name: name, modes, spec case, description.");
  faults->add_flag("--json", faults_json, "the registry as JSON, with the expected verifier codes");

  app.add_subcommand("root-ca", "Print the mock root CA certificate (PEM) that signed-mode chains end in.");
  app.add_subcommand("pck-chain", "Print the PCK certificate chain (PEM, leaf first) signed quotes carry.");

  std::string collateral_fault;
  bool collateral_list = false, collateral_list_json = false;
  CLI::App* collateral = app.add_subcommand(
      "collateral", "Print DCAP collateral (dcap-qvl JSON: TCB info, QE identity, CRLs, issuer chains) for "
                    "signed quotes, signed under the mock root; verify with `pnc-tdx verify QUOTE --collateral "
                    "FILE --root mock-root-ca.pem --at 2026-01-01T00:00:00Z`.");
  auto* cfault = collateral->add_option("--fault", collateral_fault, "a named collateral fault (see --list)");
  auto* clist = collateral->add_flag("--list", collateral_list,
                                     "list the collateral faults: name, the dcap.* code a verifier answers, description");
  clist->excludes(cfault);
  collateral->add_flag("--json", collateral_list_json, "with --list: the list as JSON (name, description, check, code, status)");

  // Words no command takes end up in app.remaining(), so that they get a message naming them
  // (CLI11 alone reports an unknown command as "A subcommand is required").
  app.allow_extras();
  if (auto status = pnc::cli::parse(app, argc, argv)) return *status;  // 0 --help / --version, 2 usage
  const auto extras = app.remaining();
  const char* commands = "quote, faults, root-ca, pck-chain or collateral (see --help)";
  if (app.get_subcommands().empty()) {
    if (!extras.empty()) return fail("unknown command '" + extras.front() + "': expected " + commands);
    return fail(std::string("a command is required: ") + commands);
  }
  if (!extras.empty()) return fail("unexpected argument '" + extras.front() + "'");

  if (*quote) return run_quote(q);
  if (*faults) return run_faults(faults_json);
  if (app.got_subcommand("root-ca")) {
    std::cout << mock_root_ca().pem;
    return 0;
  }
  if (*collateral) return run_collateral(collateral_fault, collateral_list, collateral_list_json);
  if (app.got_subcommand("pck-chain")) {
    std::cout << pck_chain_pem();
    return 0;
  }
  return fail("no command");
}
