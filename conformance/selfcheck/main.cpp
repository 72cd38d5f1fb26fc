// pnc-selfcheck: drives a full handshake and one message of every mechanism through the
// reference implementation, in every profile, and checks the golden vectors of PROTOCOL.md §13.
// It is the quick "is this build sane" report; the network conformance runner certifies SUTs.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "checks.hpp"

#ifndef PNC_VECTORS_DIR
#define PNC_VECTORS_DIR "vectors"
#endif

int main(int argc, char** argv) {
  CLI::App app{"pnc-selfcheck: every protocol mechanism through the reference, per profile"};
  std::vector<std::string> profiles{"seed-spec", "sdk-compat", "hardened"};
  std::string vectors = std::string(PNC_VECTORS_DIR) + "/PROTOCOL-vectors.json";
  bool verbose = true;
  app.add_option("--profile", profiles, "profiles to run (default: all three)")
      ->check(CLI::IsMember({"seed-spec", "sdk-compat", "hardened"}));
  app.add_option("--vectors", vectors, "path of PROTOCOL-vectors.json");
  app.add_flag("!--failures-only", verbose, "print only failed checks and the summary");
  CLI11_PARSE(app, argc, argv);

  pnc::selfcheck::Report report;
  std::ifstream in(vectors);
  nlohmann::json golden = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (golden.is_discarded() || !golden.is_object()) {
    std::fprintf(stderr, "pnc-selfcheck: cannot read golden vectors from %s\n", vectors.c_str());
    return 2;
  }
  std::printf("pnc-selfcheck: reference implementation of docs/PROTOCOL.md\n");
  pnc::selfcheck::check_golden_vectors(report, golden);
  for (const auto& name : profiles) pnc::selfcheck::check_profile(report, *pnc::parse_profile(name));
  report.print(verbose);
  return report.failures() == 0 ? 0 : 1;
}
