// pnc-selfcheck: drives a full handshake and one message of every mechanism through the
// reference implementation, in every profile, and checks the golden vectors of PROTOCOL.md §13.
// It is the quick "is this build sane" report; the network conformance runner certifies SUTs.
#include "pnc/cli.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "checks.hpp"

#ifndef PNC_VECTORS_DIR
#define PNC_VECTORS_DIR "vectors"
#endif

int main(int argc, char** argv) {
  CLI::App app{"pnc-selfcheck: every protocol mechanism through the reference, per profile"};
  pnc::cli::setup(app, "pnc-selfcheck", R"(Examples:
  pnc-selfcheck
  pnc-selfcheck --profile hardened -q
Exit status: 0 every check passed, 1 a check failed, 2 usage error or unreadable vectors.)");
  std::vector<std::string> profiles{"seed-spec", "sdk-compat", "hardened"};
  std::string vectors_dir = PNC_VECTORS_DIR, vectors_file;
  bool quiet = false;
  app.add_option("--profile", profiles, "profiles to run (default: all three)")
      ->check(CLI::IsMember({"seed-spec", "sdk-compat", "hardened"}));
  auto* dir_opt = app.add_option("--vectors-dir", vectors_dir, "vector directory (reads PROTOCOL-vectors.json)")
                      ->capture_default_str();
  pnc::cli::deprecated_alias(app, "--vectors", dir_opt, vectors_file)
      ->description("deprecated: the path of PROTOCOL-vectors.json (use --vectors-dir)");
  auto* quiet_opt = app.add_flag("-q,--quiet", quiet, "print only failed checks and the summary");
  pnc::cli::deprecated_flag_alias(app, "--failures-only", quiet_opt, quiet);
  if (auto status = pnc::cli::parse(app, argc, argv)) return *status;  // 0 --help / --version, 2 usage
  const bool verbose = !quiet;
  const std::string vectors = vectors_file.empty() ? vectors_dir + "/PROTOCOL-vectors.json" : vectors_file;

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
