// pnc-ref-shim: the reference shim. Reads one JSON request per line on stdin and writes one
// answer per line on stdout (protocol: conformance/shim/README.md) until EOF or "shutdown".
#include <iostream>
#include <string>

#include "mutants.hpp"
#include "operations.hpp"
#include "pnc/cli.hpp"
#include "pnc/json.hpp"

int main(int argc, char** argv) {
  CLI::App app{"pnc-ref-shim: the reference shim of the pnc-conformance shim protocol. Reads JSON requests "
               "(one per line) on stdin and answers on stdout until EOF or \"shutdown\" "
               "(conformance/shim/README.md)."};
  std::string mutant = "none";
  app.add_option("--mutant", mutant,
                 "deliberately faulty behaviour: a mutant of the bundled peers' catalogue (conformance/peers/README.md) "
                 "whose switches the shim's operations read; for the campaign's detection tests")
      ->capture_default_str();
  pnc::cli::setup(app, "pnc-ref-shim", R"(Examples:
  pnc-ref-shim < requests.jsonl > answers.jsonl
  pnc-conformance run --target shim --cmd pnc-ref-shim --profile hardened
  pnc-conformance fuzz --target shim --cmd 'pnc-ref-shim --mutant enc-prefix-compare' --runs 5000
  echo '{"id": 1, "op": "hello", "profile": "seed-spec", "args": {"protocol": 1}}' | pnc-ref-shim
Exit status: 0 at EOF or "shutdown", 2 usage error.)");
  if (auto status = pnc::cli::parse(app, argc, argv)) return *status;
  const auto faults = pnc::peers::mutant_faults(mutant);
  if (!faults) return pnc::cli::usage_error("pnc-ref-shim", "--mutant " + mutant + ": unknown mutant (pnc-ref-challenge --list-mutants)");
  if (faults->weights_server_error || faults->weights_accept_any_body)
    return pnc::cli::usage_error("pnc-ref-shim", "--mutant " + mutant + ": a fault of a peer's HTTP route; the shim has no routes");
  if (mutant != "none") pnc::shim::set_faults(&faults->reference);
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    // "shutdown" is answered by exiting: the runner expects no answer line for it.
    auto req = pnc::json::parse_object(line, pnc::Profile::sdk_compat);
    if (req && req->contains("op") && req->at("op") == "shutdown") break;
    std::cout << pnc::shim::answer(line) << '\n' << std::flush;
  }
  return 0;
}
