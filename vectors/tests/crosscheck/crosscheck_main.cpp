// pnc_vectors_crosscheck <dir> [--only FILE]: re-checks every case of every vector file with
// OpenSSL 3 (and the spec tables), prints per-file and per-engine counts, exits 1 on any
// disagreement, on a file without a checker, or when a primitive file is not fully confirmed.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <openssl/crypto.h>

#include "crosscheck.hpp"

namespace xcheck {

bool valid(const Json& t) { return t.value("result", "") == "valid"; }
bool has_flag(const Json& t, const char* flag) {
  for (const auto& f : t.value("flags", Json::array()))
    if (f == flag) return true;
  return false;
}
Bytes h(const Json& j, const char* field) {
  if (!j.contains(field) || !j[field].is_string()) return {};
  return unhex(j[field].get<std::string>()).value_or(Bytes{});
}
std::string s(const Json& j, const char* field) {
  return j.contains(field) && j[field].is_string() ? j[field].get<std::string>() : std::string();
}

}  // namespace xcheck

int main(int argc, char** argv) {
  using namespace xcheck;
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--only")) {
    std::fprintf(stderr, "usage: pnc_vectors_crosscheck <testvectors_v1 dir> [--only FILE]\n");
    return 2;
  }
  const std::string only = argc == 4 ? argv[3] : "";
  struct Checker {
    CheckFn fn;
    bool must_confirm_all;  // Wycheproof-layout primitive files: every case is a primitive call
  };
  const std::map<std::string, Checker> checkers = {
      {"x25519_test.json", {check_x25519, true}},
      {"ed25519_test.json", {check_ed25519, true}},
      {"hkdf_sha256_test.json", {check_hkdf, true}},
      {"chacha20_poly1305_test.json", {check_aead, true}},
      {"xchacha20_poly1305_test.json", {check_aead, true}},
      {"codec_test.json", {check_codec, false}},
      {"envelope_test.json", {check_envelope, false}},
      {"signed_request_test.json", {check_signed_request, false}},
      {"encrypted_body_test.json", {check_encrypted_body, false}},
      {"miner_token_test.json", {check_miner_token, false}},
      {"sealed_box_test.json", {check_sealed_box, false}},
      {"credential_transfer_test.json", {check_credential_transfer, false}},
      {"handshake_test.json", {check_handshake, false}},
      {"quote_structure_test.json", {check_quote, false}},
      {"eventlog_test.json", {check_eventlog, false}},
      {"quote_signed_test.json", {check_quote_signed, false}},
      {"bootstrap_test.json", {check_bootstrap, false}},
      {"quote_real_test.json", {check_quote_real, false}},  // vectors/real-tdx (run with --only)
  };
  std::map<std::string, std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(argv[1]))
    if (e.path().extension() == ".json" && (only.empty() || e.path().filename() == only))
      files[e.path().filename().string()] = e.path();

  int failures = 0;
  std::size_t all = 0, by_openssl = 0, by_spec = 0, skipped = 0;
  std::printf("%-32s %7s %9s %6s %8s\n", "file", "cases", "openssl", "spec", "skipped");
  for (const auto& [name, path] : files) {
    const auto it = checkers.find(name);
    if (it == checkers.end()) {
      std::printf("FAIL %s: no cross-checker for this file\n", name.c_str());
      ++failures;
      continue;
    }
    std::ifstream in(path);
    const Json doc = Json::parse(in, nullptr, false);
    if (!doc.is_object()) {
      std::printf("FAIL %s: not JSON\n", name.c_str());
      ++failures;
      continue;
    }
    std::size_t n = 0, o = 0, sp = 0, sk = 0;
    for (const auto& group : doc["testGroups"]) {
      for (const auto& t : group["tests"]) {
        ++n;
        const Outcome r = t.value("result", "") == "acceptable" ? skip() : it->second.fn(group, t);
        switch (r.kind) {
          case Kind::confirmed_openssl: ++o; break;
          case Kind::confirmed_spec: ++sp; break;
          case Kind::skipped: ++sk; break;
          case Kind::disagree:
            ++failures;
            std::printf("DISAGREE %s tcId %d (%s): %s\n", name.c_str(), t["tcId"].get<int>(),
                        t["comment"].get<std::string>().c_str(), r.why.c_str());
        }
      }
    }
    if (it->second.must_confirm_all && o + sp != n) {
      std::printf("FAIL %s: %zu of %zu primitive cases not confirmed\n", name.c_str(), n - o - sp, n);
      ++failures;
    }
    if (o == 0) {
      std::printf("FAIL %s: OpenSSL confirmed nothing\n", name.c_str());
      ++failures;
    }
    std::printf("%-32s %7zu %9zu %6zu %8zu\n", name.c_str(), n, o, sp, sk);
    all += n;
    by_openssl += o;
    by_spec += sp;
    skipped += sk;
  }
  for (const auto& [name, c] : checkers)
    if (!files.count(name) && (only.empty() ? name != "quote_real_test.json" : name == only)) {
      std::printf("FAIL %s: file missing\n", name.c_str());
      ++failures;
    }
  std::printf("%-32s %7zu %9zu %6zu %8zu\n", "TOTAL", all, by_openssl, by_spec, skipped);
  std::printf("engines: OpenSSL %s confirmed %zu cases; spec tables (§12.2/§12.3) confirmed %zu; "
              "%zu cases have no OpenSSL-checkable primitive; %d disagreements\n",
              OpenSSL_version(OPENSSL_VERSION), by_openssl, by_spec, skipped, failures);
  return failures == 0 ? 0 : 1;
}
