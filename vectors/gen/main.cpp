// pnc_vectors_gen: regenerates every vectors/testvectors_v1/*.json file from fixed seeds through
// the reference library. Usage: pnc_vectors_gen <golden.json> <rfc_vectors.json> <output dir>.
// Deterministic: the same inputs give byte-identical files (CI diffs them against the commit).
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "common.hpp"

namespace {

bool load(const std::string& path, nlohmann::json& out) {
  std::ifstream in(path);
  if (!in) return false;
  out = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return !out.is_discarded();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pnc::vectors;
  if (argc != 4) {
    std::cerr << "usage: pnc_vectors_gen <PROTOCOL-vectors.json> <rfc_vectors.json> <output dir>\n";
    return 2;
  }
  Golden golden;
  if (!load(argv[1], golden.j) || !load(argv[2], golden.rfc_)) {
    std::cerr << "cannot read " << argv[1] << " or " << argv[2] << "\n";
    return 2;
  }
  const std::string out_dir = argv[3];
  const std::vector<std::function<VectorFile(const Golden&)>> generators = {
      gen_x25519, gen_ed25519, gen_hkdf, gen_chacha, gen_xchacha, gen_codec, gen_envelope,
      gen_handshake, gen_signed_request, gen_encrypted_body, gen_miner_token, gen_sealed_box,
      gen_credential_transfer, gen_quote, gen_eventlog, gen_quote_signed, gen_bootstrap};
  std::size_t total = 0;
  std::vector<std::string> problems;
  for (const auto& gen : generators) {
    VectorFile f = gen(golden);
    for (auto& p : f.problems()) problems.push_back(p);
    const std::string path = out_dir + "/" + f.file_name();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    // ASCII-only output; generators never put invalid UTF-8 into strings (raw bytes go in hex).
    out << f.document().dump(2, ' ', true, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    if (!out) problems.push_back("cannot write " + path);
    std::cout << f.file_name() << ": " << f.size() << " tests\n";
    total += f.size();
  }
  std::cout << "total: " << total << " tests\n";
  for (const auto& p : problems) std::cerr << "problem: " << p << "\n";
  for (const auto& f : failures()) std::cerr << "failure: " << f << "\n";
  return problems.empty() && failures().empty() ? 0 : 1;
}
