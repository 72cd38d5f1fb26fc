// libFuzzer in the loop for library SUTs (docs/campaigns.md, "libFuzzer against a shim"): each
// input is decoded into a shim campaign input — an operation seeded from the vector files and up
// to three typed mutations, drawn from the input's bytes the way `fuzz --target shim` draws them
// from its seed — and run against a shim process (PNC_SHIM_CMD, conformance/shim/README.md) and
// the in-process reference. A difference that shows twice aborts (a libFuzzer crash) after
// printing it and writing it as a finding file `pnc-conformance replay` runs again.
//
// Coverage: libFuzzer sees this process, i.e. the reference and the mutators; a shim in another
// process is judged, not instrumented. Environment:
//   PNC_SHIM_CMD      the shim command (default: the bundled pnc-ref-shim)
//   PNC_SHIM_PROFILE  seed-spec (default), sdk-compat or hardened
//   PNC_FINDINGS_DIR  where finding files go (default: the current directory)
//   PNC_VECTORS_DIR   the vector files that seed the operations (default: this checkout's)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "campaign/campaign.hpp"
#include "campaign/fuzz_command.hpp"
#include "campaign/sut_access.hpp"

namespace {

using namespace pnc::conf::campaign;
using pnc::Profile;

// The input's bytes as the generator's choices: as few bytes per choice as its range needs, so
// that libFuzzer's byte edits change one choice; zeros once the input is used up.
class ByteChoices final : public Choices {
 public:
  ByteChoices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t below(std::uint64_t n) override {
    if (n <= 1) return 0;
    std::uint64_t v = 0;
    for (std::uint64_t range = 1; range < n && range <= (UINT64_MAX >> 8); range <<= 8) v = (v << 8) | next_byte();
    return v % n;
  }

 private:
  std::uint8_t next_byte() { return used_ < size_ ? data_[used_++] : 0; }
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t used_ = 0;
};

struct Harness {
  Profile profile = Profile::seed_spec;
  Opened opened;
  Executor execute;
  std::vector<std::vector<const Scenario*>> by_op;  // the shim's implemented operations, each with its seeds
  std::string findings_dir = ".";
};
Harness* g_harness = nullptr;

const char* env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

[[noreturn]] void setup_failed(const std::string& why) {
  std::fprintf(stderr, "fuzz_shim_differential: %s\n", why.c_str());
  std::exit(2);
}

std::uint64_t fnv1a(const std::uint8_t* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ULL;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto h = std::make_unique<Harness>();
  FuzzSettings s;
  s.target = pnc::conf::Target::shim;
  s.cmd = env_or("PNC_SHIM_CMD", PNC_REF_SHIM);
  s.vectors_dir = env_or("PNC_VECTORS_DIR", PNC_VECTORS);
  const std::string profile = env_or("PNC_SHIM_PROFILE", "seed-spec");
  if (profile == "sdk-compat") h->profile = Profile::sdk_compat;
  else if (profile == "hardened") h->profile = Profile::hardened;
  else if (profile != "seed-spec") setup_failed("PNC_SHIM_PROFILE " + profile + ": expected seed-spec, sdk-compat or hardened");
  s.profile = h->profile;
  h->findings_dir = env_or("PNC_FINDINGS_DIR", ".");
  auto opened = open_shim(s);
  if (!opened) setup_failed(opened.error().message + " [" + opened.error().code + "] (PNC_SHIM_CMD " + s.cmd + ")");
  h->opened = std::move(*opened);
  std::map<std::string, std::vector<const Scenario*>> groups;
  for (const auto& op : h->opened.ops) groups[op];
  for (const auto& sc : scenarios())
    if (sc.shim && groups.count(sc.shim->op) != 0) groups[sc.shim->op].push_back(&sc);
  for (auto& [op, group] : groups)
    if (!group.empty()) h->by_op.push_back(std::move(group));
  if (h->by_op.empty()) setup_failed("the shim implements none of the operations the vector files seed");
  h->execute = h->opened.executor(h->profile);
  std::fprintf(stderr, "fuzz_shim_differential: %s, %zu operations, profile %s\n", s.cmd.c_str(), h->by_op.size(),
               profile.c_str());
  g_harness = h.release();  // lives until exit: the shim process with it
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness& h = *g_harness;
  ByteChoices c(data, size);
  const auto& group = h.by_op[c.below(h.by_op.size())];
  const Scenario& sc = *group[c.below(group.size())];
  Input input{sc.name, {}};
  const std::uint64_t mutations = has_fields(sc) ? c.below(4) : 0;
  for (std::uint64_t i = 0; i < mutations; ++i) input.mutations.push_back(random_mutation(c, sc));
  // Keys and nonces from the input too: a crash file reproduces alone.
  const std::uint64_t value_seed = fnv1a(data, size);
  auto found = check_input(input, h.profile, h.execute, value_seed);
  if (!found) return 0;
  if (found->kind == "sut-exited") h.opened.restart();
  // A difference must show again before it counts (a shim restarted under it is not a finding).
  if (found->kind != "sut-exited" && !check_input(input, h.profile, h.execute, value_seed)) return 0;
  const std::string file = (std::filesystem::path(h.findings_dir) / finding_file_name(*found)).string();
  std::ofstream(file, std::ios::binary | std::ios::trunc) << to_json(*found).dump(2) << '\n';
  std::fprintf(stderr, "FINDING %s: %s\n  %s\n", found->kind.c_str(), found->klass.c_str(), found->outcome.c_str());
  for (const auto& m : found->input.mutations) std::fprintf(stderr, "  mutation: %s\n", m.describe().c_str());
  std::fprintf(stderr, "  reproducer: %s (pnc-conformance replay %s --cmd '<the shim>')\n", file.c_str(), file.c_str());
  std::abort();
}
