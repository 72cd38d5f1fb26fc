// ConfigfsTsmProvider: one configfs-tsm report entry per quote. Attributes are read with
// O_NONBLOCK + poll so that any wait the kernel (or a fake) exposes as "not readable yet" is
// bounded by the deadline.
#include "pnc/providers/configfs_tsm.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

#include "pnc/providers/host_evidence.hpp"
#include "pnc/providers/tsm_attributes.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::providers {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kSmallAttributeCap = 256;  // provider, generation: a few bytes each

Error io_error(const std::string& what) { return make_error(kTsmIo, what + ": " + std::strerror(errno)); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads the whole attribute (up to EOF), at most `cap` bytes, waiting at most until `deadline`.
Result<std::string> read_attribute(const std::string& path, std::size_t cap, SteadyClock::time_point deadline) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open " + path);
  std::string out;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());  // up: never time out early
    if (left.count() <= 0) return make_error(kTsmTimeout, path + " not delivered in time");
    pollfd p{fd.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return io_error("poll " + path);
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) return out;
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return io_error("read " + path);
    }
    if (out.size() + static_cast<std::size_t>(n) > cap) {
      return make_error(kTsmTooLarge, path + " larger than " + std::to_string(cap) + " bytes");
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

Status write_attribute(const std::string& path, ByteView data) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open " + path);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("write " + path);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// A name no other process or thread uses at the same time: pid and counter, plus a random part
// for processes of other pid namespaces (containers) that share the guest's configfs.
std::string fresh_entry_name() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint32_t instance = std::random_device{}();
  return "pnc-" + std::to_string(::getpid()) + "-" + std::to_string(instance) + "-" +
         std::to_string(counter.fetch_add(1));
}

// Removes the entry on every path out of get_quote.
class EntryGuard {
 public:
  EntryGuard(std::string dir, const std::function<void(const std::string&)>& remove)
      : dir_(std::move(dir)), remove_(remove) {}
  EntryGuard(const EntryGuard&) = delete;
  EntryGuard& operator=(const EntryGuard&) = delete;
  ~EntryGuard() {
    if (remove_) remove_(dir_);
    else ::rmdir(dir_.c_str());  // best effort: a leftover entry holds no secret
  }

 private:
  std::string dir_;
  const std::function<void(const std::string&)>& remove_;
};

}  // namespace

Result<Evidence> ConfigfsTsmProvider::get_quote(const ByteArray<64>& report_data) {
  const auto deadline = SteadyClock::now() + options_.timeout;
  struct stat root{};
  if (::stat(options_.report_root.c_str(), &root) != 0 || !S_ISDIR(root.st_mode)) {
    return make_error(kTsmNoTsm, options_.report_root + " is not a configfs-tsm report directory "
                                 "(no TDX guest driver, or configfs not mounted)");
  }
  const std::string entry = options_.report_root + "/" + fresh_entry_name();
  if (options_.create_entry) {
    if (auto created = options_.create_entry(entry); !created) return created.error();
  } else if (::mkdir(entry.c_str(), 0700) != 0) {
    return io_error("mkdir " + entry);
  }
  EntryGuard guard(entry, options_.remove_entry);

  auto provider = read_attribute(entry + "/provider", kSmallAttributeCap, deadline);
  if (!provider) return provider.error();
  if (auto ok = check_tsm_provider(*provider); !ok) return ok.error();
  auto before_text = read_attribute(entry + "/generation", kSmallAttributeCap, deadline);
  if (!before_text) return before_text.error();
  auto before = parse_tsm_generation(*before_text);
  if (!before) return before.error();

  if (auto written = write_attribute(entry + "/inblob", report_data); !written) return written.error();
  auto outblob = read_attribute(entry + "/outblob", tdx::kMaxQuoteSize, deadline);
  if (!outblob) return outblob.error();

  auto after_text = read_attribute(entry + "/generation", kSmallAttributeCap, deadline);
  if (!after_text) return after_text.error();
  auto after = parse_tsm_generation(*after_text);
  if (!after) return after.error();
  if (auto same = check_tsm_generation(*before, *after); !same) return same.error();
  if (outblob->empty()) return make_error(kTsmEmpty, "outblob is empty");
  return evidence_from_quote(to_bytes(*outblob), std::nullopt, report_data);
}

}  // namespace pnc::providers
