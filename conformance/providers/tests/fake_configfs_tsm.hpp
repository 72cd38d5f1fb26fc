// A stand-in for the kernel's configfs-tsm report directory in tests, on a plain temporary
// directory. configfs fills a new entry with its attributes at mkdir and produces the quote when
// outblob is read; a plain directory does neither, so:
//  - create_entry (ConfigfsTsmOptions) makes the entry with `provider`, `generation`, an empty
//    `inblob`, and `outblob` as a FIFO;
//  - a "kernel" thread per entry opens the FIFO for writing once the provider opens it for
//    reading (i.e. after inblob was written), reads inblob, bumps generation (atomic rename) and
//    writes the answer: the provider's outblob read blocks until then, as the real read does;
//  - remove_entry stops the thread and deletes the entry.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pnc/providers/configfs_tsm.hpp"

namespace pnc::providers::testing {

class FakeConfigfsTsm {
 public:
  struct Behaviour {
    std::string provider = "tdx_guest\n";
    std::uint64_t generation = 7;  // at mkdir (a kernel counter need not start at 0 in a reused name)
    std::uint64_t bump = 1;        // per inblob write; 2 = another writer raced ours
    // inblob -> outblob; nullopt = the kernel never answers.
    std::function<std::optional<std::string>(const std::string& inblob)> answer;
  };

  explicit FakeConfigfsTsm(Behaviour behaviour) : behaviour_(std::move(behaviour)) {
    ::signal(SIGPIPE, SIG_IGN);  // a reader that gives up must not kill the test
    static std::atomic<int> counter{0};
    root_ = std::filesystem::temp_directory_path() /
            ("pnc-tsm-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(root_);
  }
  FakeConfigfsTsm(const FakeConfigfsTsm&) = delete;
  FakeConfigfsTsm& operator=(const FakeConfigfsTsm&) = delete;
  ~FakeConfigfsTsm() {
    for (auto& [dir, kernel] : kernels_) stop(*kernel);
    std::filesystem::remove_all(root_);
  }

  ConfigfsTsmOptions options(std::chrono::milliseconds timeout = std::chrono::milliseconds{5000}) {
    ConfigfsTsmOptions o;
    o.report_root = root_.string();
    o.timeout = timeout;
    o.create_entry = [this](const std::string& dir) { return create(dir); };
    o.remove_entry = [this](const std::string& dir) { remove(dir); };
    return o;
  }

  std::filesystem::path root() const { return root_; }
  std::vector<std::string> inblobs_seen() {
    std::lock_guard lock(mutex_);
    return inblobs_;
  }
  int entries_created() const { return created_; }
  int entries_removed() const { return removed_; }

 private:
  struct Kernel {
    std::atomic<bool> stop{false};
    std::thread thread;
  };

  static void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  Status create(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0) return make_error("fake.mkdir", dir);
    ++created_;
    const std::filesystem::path entry(dir);
    write_file(entry / "provider", behaviour_.provider);
    write_file(entry / "generation", std::to_string(behaviour_.generation) + "\n");
    write_file(entry / "inblob", "");
    if (::mkfifo((entry / "outblob").c_str(), 0600) != 0) return make_error("fake.mkfifo", dir);
    auto kernel = std::make_unique<Kernel>();
    kernel->thread = std::thread([this, entry, k = kernel.get()] { serve(entry, *k); });
    std::lock_guard lock(mutex_);
    kernels_[dir] = std::move(kernel);
    return {};
  }

  void serve(const std::filesystem::path& entry, Kernel& kernel) {
    int fd = -1;
    // Wait for the reader of outblob (ENXIO until it opens the FIFO).
    while (!kernel.stop && (fd = ::open((entry / "outblob").c_str(), O_WRONLY | O_NONBLOCK)) < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (fd < 0) return;
    std::ifstream in(entry / "inblob", std::ios::binary);
    const std::string inblob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    {
      std::lock_guard lock(mutex_);
      inblobs_.push_back(inblob);
    }
    const auto answer = behaviour_.answer ? behaviour_.answer(inblob) : std::nullopt;
    if (!answer) {  // hold the FIFO open without writing until told to stop
      while (!kernel.stop) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      ::close(fd);
      return;
    }
    write_file(entry / "generation.tmp", std::to_string(behaviour_.generation + behaviour_.bump) + "\n");
    std::filesystem::rename(entry / "generation.tmp", entry / "generation");
    ::fcntl(fd, F_SETFL, 0);  // blocking writes: the reader drains the FIFO
    std::size_t done = 0;
    while (done < answer->size() && !kernel.stop) {
      const ssize_t n = ::write(fd, answer->data() + done, answer->size() - done);
      if (n <= 0) break;  // the reader gave up (EPIPE)
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }

  static void stop(Kernel& kernel) {
    kernel.stop = true;
    if (kernel.thread.joinable()) kernel.thread.join();
  }

  void remove(const std::string& dir) {
    std::unique_ptr<Kernel> kernel;
    {
      std::lock_guard lock(mutex_);
      auto it = kernels_.find(dir);
      if (it != kernels_.end()) {
        kernel = std::move(it->second);
        kernels_.erase(it);
      }
    }
    if (kernel) stop(*kernel);
    std::filesystem::remove_all(dir);
    ++removed_;
  }

  Behaviour behaviour_;
  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Kernel>> kernels_;
  std::vector<std::string> inblobs_;
  std::atomic<int> created_{0}, removed_{0};
};

}  // namespace pnc::providers::testing
