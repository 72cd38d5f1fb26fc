// pnc-bench-memory: heap bytes per entry of every replay / nonce cache of the reference, and of
// one established session (the reference's share of a WebSocket connection). Measured with
// glibc's allocator statistics (mallinfo2: bytes in use, chunk overhead included), as the heap
// growth while N entries are inserted divided by N.
#include <malloc.h>
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pnc/bootstrap.hpp"
#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_mock.hpp"

namespace {

using namespace pnc;

std::size_t heap_in_use() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;  // small chunks in use + mmapped chunks
}

struct Measurement {
  std::string name;
  std::string entry;  // what one entry is
  std::size_t entries = 0;
  double bytes_per_entry = 0;
};

// Heap growth of `fill(n)` per entry; `fill` keeps what it inserts alive until it returns the
// holder, which is destroyed after the measurement.
Measurement measure(const std::string& name, const std::string& entry, std::size_t n,
                    const std::function<std::shared_ptr<void>(std::size_t)>& fill) {
  malloc_trim(0);
  const std::size_t before = heap_in_use();
  auto holder = fill(n);
  const std::size_t after = heap_in_use();
  Measurement m{name, entry, n, 0};
  m.bytes_per_entry = after > before ? static_cast<double>(after - before) / static_cast<double>(n) : 0.0;
  holder.reset();
  return m;
}

std::string uuid(Rng& rng) { return rng.uuid_v4(); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pnc-bench-memory: heap bytes per entry of the reference's nonce / replay caches"};
  std::size_t entries = 4096;
  std::size_t sessions = 256;
  bool json_out = false;
  app.add_option("--entries", entries, "entries inserted into each cache")->check(CLI::Range(1, 10000000));
  app.add_option("--sessions", sessions, "established sessions held for the per-session figure")
      ->check(CLI::Range(1, 100000));
  app.add_flag("--json", json_out, "print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);
  if (sodium_init() < 0) return 1;

  DeterministicRng rng(std::uint64_t{11});
  std::vector<Measurement> out;

  // §6.4 V7: one session's NonceCache, X-Nonce = UUIDv4 text (36 chars, what the SDK sends).
  out.push_back(measure("signed_http::NonceCache", "UUIDv4 nonce (36 chars)", entries, [&](std::size_t n) {
    auto cache = std::make_shared<signed_http::NonceCache>(n + 1);
    for (std::size_t i = 0; i < n; ++i) (void)cache->check_and_insert(uuid(rng), 1'700'000'000);
    return std::shared_ptr<void>(cache);
  }));

  // §5.3 R6: a Channel's received-nonce set (12-byte nonces), filled by real envelopes. The
  // frames are built first so that only the receiver's growth is measured.
  {
    const Secret<32> key(rng.bytes(32));
    envelope::Channel sender(Profile::seed_spec, key);
    std::vector<std::string> frames;
    frames.reserve(entries);
    for (std::size_t i = 0; i < entries; ++i) frames.push_back(*sender.seal(R"({"type":"ping"})", rng));
    envelope::Channel receiver(Profile::seed_spec, key);
    malloc_trim(0);
    const std::size_t before = heap_in_use();
    for (const auto& f : frames) (void)receiver.receive_text(f);
    const std::size_t after = heap_in_use();
    out.push_back({"envelope::Channel (R6 nonce set)", "received envelope nonce (12 bytes)", entries,
                   after > before ? static_cast<double>(after - before) / static_cast<double>(entries) : 0.0});
  }

  // §7.2 step 8: the MinerToken jti cache (jti = UUIDv4 text).
  out.push_back(measure("miner_token::JtiReplayCache", "jti (UUIDv4, 36 chars)", entries, [&](std::size_t n) {
    auto cache = std::make_shared<miner_token::JtiReplayCache>(n + 1);
    for (std::size_t i = 0; i < n; ++i) (void)cache->check_and_insert(uuid(rng), 1'700'000'600, 1'700'000'000);
    return std::shared_ptr<void>(cache);
  }));

  // §2.1: the validator's bootstrap NonceStore (64 hex chars).
  out.push_back(measure("bootstrap::NonceStore", "bootstrap nonce (64 hex chars)", entries, [&](std::size_t n) {
    auto store = std::make_shared<bootstrap::NonceStore>(n + 1);
    for (std::size_t i = 0; i < n; ++i) (void)store->issue(1'700'000'000, rng);
    return std::shared_ptr<void>(store);
  }));

  // One established server-side session (Channel, after the §3 handshake): the reference's share
  // of a held WebSocket connection, without the network layer's buffers.
  out.push_back(measure("handshake session (server Channel)", "established session", sessions, [&](std::size_t n) {
    auto held = std::make_shared<std::vector<envelope::Channel>>();
    held->reserve(n);
    tdx::MockQuoteProvider cq, sq;
    handshake::ClientConfig cc;
    handshake::ServerConfig sc;
    cc.mode = sc.mode = AttestationMode::mock;
    cc.env_mode = sc.env_mode = "dev";
    for (std::size_t i = 0; i < n; ++i) {
      handshake::ClientHandshake client(cc, rng, &cq);
      handshake::ServerHandshake server(sc, rng, sq);
      auto b = client.start();
      auto r = server.on_text(b.send.at(0));
      auto ok = client.on_text(r.send.at(0));
      (void)server.on_text(ok.send.at(0));
      if (auto s = server.take_session()) held->push_back(std::move(*s));
    }
    return std::shared_ptr<void>(held);
  }));

  if (json_out) {
    std::cout << "[";
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto& m = out[i];
      std::cout << (i ? "," : "") << "\n  {\"cache\": \"" << m.name << "\", \"entry\": \"" << m.entry
                << "\", \"entries\": " << m.entries << ", \"bytes_per_entry\": " << m.bytes_per_entry << "}";
    }
    std::cout << "\n]\n";
  } else {
    std::printf("%-38s %-36s %8s %14s\n", "cache", "entry", "entries", "bytes/entry");
    for (const auto& m : out)
      std::printf("%-38s %-36s %8zu %14.1f\n", m.name.c_str(), m.entry.c_str(), m.entries, m.bytes_per_entry);
  }
  return 0;
}
