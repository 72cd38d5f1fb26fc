// pnc-ref-shim: the reference shim. Reads one JSON request per line on stdin and writes one
// answer per line on stdout (protocol: conformance/shim/README.md) until EOF or "shutdown".
#include <iostream>
#include <string>

#include "operations.hpp"
#include "pnc/json.hpp"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "pnc-ref-shim: the reference shim of the pnc-conformance shim protocol.\n"
                   "Reads JSON requests (one per line) on stdin, answers on stdout; see\n"
                   "conformance/shim/README.md. No options.\n";
      return 0;
    }
    std::cerr << "pnc-ref-shim: unknown argument " << arg << " (try --help)\n";
    return 2;
  }
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
