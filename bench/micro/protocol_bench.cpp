// Micro-benchmarks: every protocol operation of the reference library (pnc) side by side with the
// raw libsodium / OpenSSL (+ nlohmann::json) calls it is made of (raw.hpp), in one run. Each pair
// is registered as "<operation>/pnc" and "<operation>/raw"; bench/report.py divides the two.
// Seed-spec profile, mock attestation mode, unless the name says otherwise.
#include <benchmark/benchmark.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "raw.hpp"
#include "signed_quote_fixture.hpp"
#include "pnc/chosen_randomness.hpp"

namespace {

using namespace pnc;
using benchmark::DoNotOptimize;
using benchmark::State;
namespace rawc = pnc::bench::raw;
using Json = nlohmann::json;

constexpr std::int64_t kNow = 1'700'000'000;

void reg(const std::string& name, std::function<void(State&)> fn) {
  benchmark::RegisterBenchmark(name.c_str(), [fn](State& s) { fn(s); });
}

// Registers "<op>/pnc" and "<op>/raw" next to each other.
void pair(const std::string& op, std::function<void(State&)> pnc_fn, std::function<void(State&)> raw_fn) {
  reg(op + "/pnc", std::move(pnc_fn));
  reg(op + "/raw", std::move(raw_fn));
}

Bytes random_bytes(std::size_t n) {
  Bytes b(n);
  randombytes_buf(b.data(), b.size());
  return b;
}

// An inner message of exactly `size` bytes: {"type":"bench","data":"xxxx..."}.
std::string inner_message(std::size_t size) {
  const std::string head = R"({"type":"bench","data":")";
  const std::string tail = R"("})";
  std::string s = head;
  s.append(size > head.size() + tail.size() ? size - head.size() - tail.size() : 0, 'x');
  s += tail;
  return s;
}

std::string size_label(std::size_t n) {
  if (n >= 1024 * 1024) return std::to_string(n / (1024 * 1024)) + "MiB";
  if (n >= 1024) return std::to_string(n / 1024) + "KiB";
  return std::to_string(n) + "B";
}

// ------------------------------------------------------------------ mock quote, raw side
// The constant parts of MockQuoteV4 computed once; per quote only REPORTDATA and the SHA-512 mock
// signature change (§9.6), which is all a direct implementation recomputes.
struct RawMock {
  Bytes quote_template;
  std::string event_log;  // V8 form, constant for fixed MockParams
  Json rtmrs;
  static const RawMock& get() {
    static const RawMock m = [] {
      RawMock r;
      Evidence ev = tdx::mock_quote_v4_for(ByteArray<64>{});
      r.quote_template = ev.quote;
      r.event_log = *ev.event_log;
      r.rtmrs = ev.rtmrs;
      return r;
    }();
    return m;
  }
};

void raw_mock_signature(std::uint8_t* quote) {
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  crypto_hash_sha512_update(&st, reinterpret_cast<const std::uint8_t*>("PNC-MOCK-SIG"), 12);
  crypto_hash_sha512_update(&st, quote, tdx::kSignedSize);
  crypto_hash_sha512_final(&st, quote + tdx::kOffSigData);
}

Bytes raw_mock_quote(const std::uint8_t nonce[32]) {
  Bytes q = RawMock::get().quote_template;
  crypto_hash_sha256(q.data() + tdx::kOffReportData, nonce, 32);  // SHA256(N) || 0^32
  raw_mock_signature(q.data());
  return q;
}

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// §9.3 structural parse, raw: header checks, the size chain S -> M -> A -> P, no copies.
bool raw_quote_structure(const std::uint8_t* q, std::size_t n) {
  if (n < tdx::kMinQuoteSize || n > tdx::kMaxQuoteSize) return false;
  if (le16(q) != 4 || le16(q + 2) != 2 || le32(q + 4) != 0x81) return false;
  if (std::memcmp(q + tdx::kOffQeVendorId, tdx::kIntelQeVendorId.data(), 16) != 0) return false;
  const std::size_t s = le32(q + tdx::kOffSigDataLen);
  if (s < tdx::kMinSigDataLen || 636 + s != n) return false;
  const std::uint8_t* sd = q + tdx::kOffSigData;
  if (le16(sd + 128) != 6) return false;
  const std::size_t m = le32(sd + 130);
  if (134 + m != s || m < tdx::kMinCertSize) return false;
  const std::size_t a = le16(sd + tdx::kRelQeAuthSize);
  if (450 + a + 6 > m) return false;
  const std::uint8_t* inner = sd + tdx::kRelQeAuthData + a;
  if (le16(inner) != 5) return false;
  const std::size_t p = le32(inner + 2);
  if (450 + a + 6 + p != m) return false;
  static const std::uint8_t zero8[8] = {};
  return std::memcmp(q + tdx::kOffSeamAttributes, zero8, 8) == 0;
}

// verify_peer_quote in mock mode, raw: decode, structure, nonce binding, marker, mock signature,
// event-log replay of RTMR3 and the environment mode.
bool raw_verify_mock_quote(std::string_view quote_b64, std::string_view event_log, const std::uint8_t nonce[32],
                           std::string_view local_env) {
  rawc::Buf q;
  if (!rawc::unb64(quote_b64, q) || !raw_quote_structure(q.data(), q.size())) return false;
  std::uint8_t digest[32];
  crypto_hash_sha256(digest, nonce, 32);
  if (sodium_memcmp(q.data() + tdx::kOffReportData, digest, 32) != 0) return false;
  if (std::memcmp(q.data() + tdx::kOffUserData, tdx::kMockMarker.data(), tdx::kMockMarker.size()) != 0) return false;
  std::uint8_t sig[64];
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  crypto_hash_sha512_update(&st, reinterpret_cast<const std::uint8_t*>("PNC-MOCK-SIG"), 12);
  crypto_hash_sha512_update(&st, q.data(), tdx::kSignedSize);
  crypto_hash_sha512_final(&st, sig);
  if (sodium_memcmp(q.data() + tdx::kOffSigData, sig, 64) != 0) return false;
  Json log = Json::parse(event_log, nullptr, false);
  if (!log.is_array()) return false;
  std::uint8_t mr[48] = {};
  std::string env;
  for (const auto& e : log) {
    std::uint8_t d[48];
    const auto& dh = e["digest"].get_ref<const std::string&>();
    if (!rawc::unhex_exact(dh, d, 48)) return false;
    if (e["imr"].get<int>() == 3) rawc::rtmr_extend(mr, d);
    if (e["event"].get_ref<const std::string&>() == "environment-mode") {
      const auto& ph = e["event_payload"].get_ref<const std::string&>();
      env.resize(ph.size() / 2);
      if (!rawc::unhex_exact(ph, reinterpret_cast<std::uint8_t*>(env.data()), env.size())) return false;
    }
  }
  if (std::memcmp(mr, q.data() + tdx::kOffRtmr[3], 48) != 0) return false;
  return env == local_env;
}

// ------------------------------------------------------------------ handshake, raw side
struct RawClient {
  std::uint8_t nonce[32], sk[32], pub[32];
  std::uint8_t key[32];
};
struct RawServer {
  std::uint8_t nonce[32], val_pub[32], sk[32];
  std::uint8_t key[32];
};

std::string raw_client_begin(RawClient& c) {
  randombytes_buf(c.nonce, 32);
  randombytes_buf(c.sk, 32);
  crypto_scalarmult_base(c.pub, c.sk);
  const Bytes quote = raw_mock_quote(c.nonce);
  Json begin = {{"type", "attestation_begin"},
                {"nonce", rawc::hex(c.nonce, 32)},
                {"val_x25519_pub", rawc::b64(c.pub, 32)},
                {"val_quote", rawc::b64(quote.data(), quote.size())},
                {"val_event_log", RawMock::get().event_log},
                {"val_rtmrs", RawMock::get().rtmrs}};
  return begin.dump();
}

std::string raw_server_begin(RawServer& s, std::string_view frame) {
  Json msg = Json::parse(frame, nullptr, false);
  if (!msg.is_object() || msg["type"] != "attestation_begin") return {};
  if (!rawc::unhex_exact(msg["nonce"].get_ref<const std::string&>(), s.nonce, 32)) return {};
  if (!rawc::unb64_exact(msg["val_x25519_pub"].get_ref<const std::string&>(), s.val_pub, 32)) return {};
  if (!raw_verify_mock_quote(msg["val_quote"].get_ref<const std::string&>(),
                             msg["val_event_log"].get_ref<const std::string&>(), s.nonce, "dev"))
    return {};
  std::uint8_t pub[32];
  randombytes_buf(s.sk, 32);
  crypto_scalarmult_base(pub, s.sk);
  const Bytes quote = raw_mock_quote(s.nonce);
  Json resp = {{"type", "attestation_response"},
               {"quote", rawc::b64(quote.data(), quote.size())},
               {"event_log", RawMock::get().event_log},
               {"rtmrs", RawMock::get().rtmrs},
               {"chal_x25519_pub", rawc::b64(pub, 32)}};
  return resp.dump();
}

std::string raw_client_response(RawClient& c, std::string_view frame) {
  Json msg = Json::parse(frame, nullptr, false);
  if (!msg.is_object() || msg["type"] != "attestation_response") return {};
  std::uint8_t chal_pub[32];
  if (!rawc::unb64_exact(msg["chal_x25519_pub"].get_ref<const std::string&>(), chal_pub, 32)) return {};
  if (!raw_verify_mock_quote(msg["quote"].get_ref<const std::string&>(), msg["event_log"].get_ref<const std::string&>(),
                             c.nonce, "dev"))
    return {};
  std::uint8_t salt[32], shared[32];
  randombytes_buf(salt, 32);
  if (crypto_scalarmult(shared, c.sk, chal_pub) != 0) return {};
  rawc::hkdf32(salt, 32, shared, 32, handshake::kInfo, c.key);
  sodium_memzero(c.sk, 32);
  Json ok = {{"type", "attestation_ok"}, {"aead", "chacha20poly1305"}, {"hkdf_salt", rawc::b64(salt, 32)}};
  return ok.dump();
}

bool raw_server_ok(RawServer& s, std::string_view frame) {
  Json msg = Json::parse(frame, nullptr, false);
  if (!msg.is_object() || msg["type"] != "attestation_ok" || msg["aead"] != "chacha20poly1305") return false;
  std::uint8_t salt[32], shared[32];
  if (!rawc::unb64_exact(msg["hkdf_salt"].get_ref<const std::string&>(), salt, 32)) return false;
  if (crypto_scalarmult(shared, s.sk, s.val_pub) != 0) return false;
  rawc::hkdf32(salt, 32, shared, 32, handshake::kInfo, s.key);
  sodium_memzero(s.sk, 32);
  return true;
}

// ------------------------------------------------------------------ handshake, pnc side
struct PncHandshakeSetup {
  SystemRng rng;
  tdx::MockQuoteProvider client_quotes{tdx::MockParams{}};
  tdx::MockQuoteProvider server_quotes{tdx::MockParams{}};
  handshake::ClientConfig cc;
  handshake::ServerConfig sc;
  PncHandshakeSetup() {
    cc.mode = sc.mode = AttestationMode::mock;
    cc.env_mode = sc.env_mode = "dev";
  }
};

void register_decode() {
  // One value of each field type, encoded as on the wire.
  static const Bytes k32 = random_bytes(32), n12 = random_bytes(12), s64 = random_bytes(64);
  static const std::string hex32 = codec::hex_encode(k32);
  static const std::string b64_32 = codec::b64_encode(k32);
  static const std::string b64_12 = codec::b64_encode(n12);
  static const std::string b64_64 = codec::b64_encode(s64);
  static const std::string b64url_64 = codec::b64url_encode(s64);
  static const Evidence mock = tdx::mock_quote_v4(k32);
  static const std::string quote_b64 = codec::b64_encode(mock.quote);

  // Fixed-size fields: the allocation-free decoders the protocol code uses for them.
  pair("decode.hex_nonce32",
       [](State& st) { for (auto _ : st) DoNotOptimize(codec::hex_decode_array<32>(hex32)); },
       [](State& st) {
         std::uint8_t out[32];
         for (auto _ : st) { DoNotOptimize(rawc::unhex_exact(hex32, out, 32)); DoNotOptimize(out); }
       });
  pair("decode.b64_key32",
       [](State& st) { for (auto _ : st) DoNotOptimize(codec::b64_decode_array<32>(b64_32)); },
       [](State& st) {
         std::uint8_t out[32];
         for (auto _ : st) { DoNotOptimize(rawc::unb64_exact(b64_32, out, 32)); DoNotOptimize(out); }
       });
  pair("decode.b64_nonce12",
       [](State& st) { for (auto _ : st) DoNotOptimize(codec::b64_decode_array<12>(b64_12)); },
       [](State& st) {
         std::uint8_t out[12];
         for (auto _ : st) { DoNotOptimize(rawc::unb64_exact(b64_12, out, 12)); DoNotOptimize(out); }
       });
  pair("decode.b64_sig64",
       [](State& st) { for (auto _ : st) DoNotOptimize(codec::b64_decode_array<64>(b64_64)); },
       [](State& st) {
         std::uint8_t out[64];
         for (auto _ : st) { DoNotOptimize(rawc::unb64_exact(b64_64, out, 64)); DoNotOptimize(out); }
       });
  pair("decode.b64url_sig64",
       [](State& st) { for (auto _ : st) DoNotOptimize(codec::b64url_decode(b64url_64)); },
       [](State& st) {
         std::uint8_t out[64];
         for (auto _ : st) {
           DoNotOptimize(rawc::unb64_exact(b64url_64, out, 64, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
           DoNotOptimize(out);
         }
       });
  pair("decode.b64_quote",
       [](State& st) { for (auto _ : st) DoNotOptimize(codec::b64_decode(quote_b64)); },
       [](State& st) {
         for (auto _ : st) {
           rawc::Buf out;
           DoNotOptimize(rawc::unb64(quote_b64, out));
           DoNotOptimize(out);
         }
       });

  // JSON texts: an envelope frame and an attestation_begin (the largest handshake message).
  static const std::string envelope_frame = *envelope::seal_with_nonce(k32, n12, inner_message(256));
  static const std::string begin_frame = [] {
    RawClient c;
    return raw_client_begin(c);
  }();
  pair("decode.json_envelope_frame",
       [](State& st) { for (auto _ : st) DoNotOptimize(json::parse_object(envelope_frame)); },
       [](State& st) { for (auto _ : st) DoNotOptimize(Json::parse(envelope_frame, nullptr, false)); });
  pair("decode.json_attestation_begin",
       [](State& st) { for (auto _ : st) DoNotOptimize(json::parse_object(begin_frame)); },
       [](State& st) { for (auto _ : st) DoNotOptimize(Json::parse(begin_frame, nullptr, false)); });
}

void register_handshake() {
  pair("handshake.full_exchange",
       [](State& st) {
         PncHandshakeSetup s;
         for (auto _ : st) {
           handshake::ClientHandshake client(s.cc, s.rng, &s.client_quotes);
           handshake::ServerHandshake server(s.sc, s.rng, s.server_quotes);
           auto begin = client.start();
           auto resp = server.on_text(begin.send.at(0));
           if (resp.send.empty()) { st.SkipWithError("server rejected begin"); break; }
           auto ok = client.on_text(resp.send[0]);
           if (ok.send.empty()) { st.SkipWithError("client rejected response"); break; }
           auto fin = server.on_text(ok.send[0]);
           if (!fin.established) { st.SkipWithError("server rejected ok"); break; }
           DoNotOptimize(client.take_session());
           DoNotOptimize(server.take_session());
         }
       },
       [](State& st) {
         for (auto _ : st) {
           RawClient c;
           RawServer s;
           const std::string begin = raw_client_begin(c);
           const std::string resp = raw_server_begin(s, begin);
           if (resp.empty()) { st.SkipWithError("raw server rejected begin"); break; }
           const std::string ok = raw_client_response(c, resp);
           if (ok.empty()) { st.SkipWithError("raw client rejected response"); break; }
           if (!raw_server_ok(s, ok)) { st.SkipWithError("raw server rejected ok"); break; }
           DoNotOptimize(c.key);
           DoNotOptimize(s.key);
         }
       });

  // The challenge's share of one connection (what bounds a challenge's handshakes per second):
  // attestation_begin in, attestation_response out, attestation_ok in, session key out. The
  // client frames are recorded once; the server accepts them again (it keeps no state across
  // connections), so only server work is timed.
  struct Recorded { std::string begin, ok; };
  static const Recorded pnc_frames = [] {
    PncHandshakeSetup s;
    handshake::ClientHandshake client(s.cc, s.rng, &s.client_quotes);
    handshake::ServerHandshake server(s.sc, s.rng, s.server_quotes);
    Recorded r;
    r.begin = client.start().send.at(0);
    r.ok = client.on_text(server.on_text(r.begin).send.at(0)).send.at(0);
    return r;
  }();
  pair("handshake.server_side",
       [](State& st) {
         PncHandshakeSetup s;
         for (auto _ : st) {
           handshake::ServerHandshake server(s.sc, s.rng, s.server_quotes);
           auto resp = server.on_text(pnc_frames.begin);
           auto fin = server.on_text(pnc_frames.ok);
           if (!fin.established) { st.SkipWithError("server rejected the recorded exchange"); break; }
           DoNotOptimize(resp);
           DoNotOptimize(server.take_session());
         }
       },
       [](State& st) {
         for (auto _ : st) {
           RawServer s;
           const std::string resp = raw_server_begin(s, pnc_frames.begin);
           if (resp.empty() || !raw_server_ok(s, pnc_frames.ok)) { st.SkipWithError("raw server rejected"); break; }
           DoNotOptimize(s.key);
         }
       });
  pair("handshake.client_side",
       [](State& st) {
         // Client work only: the server's response is recorded per nonce, so the server runs
         // outside the timed region.
         PncHandshakeSetup s;
         for (auto _ : st) {
           handshake::ClientHandshake client(s.cc, s.rng, &s.client_quotes);
           auto begin = client.start();
           st.PauseTiming();
           handshake::ServerHandshake server(s.sc, s.rng, s.server_quotes);
           auto resp = server.on_text(begin.send.at(0));
           st.ResumeTiming();
           auto ok = client.on_text(resp.send.at(0));
           if (ok.send.empty()) { st.SkipWithError("client rejected response"); break; }
           DoNotOptimize(client.take_session());
         }
       },
       [](State& st) {
         for (auto _ : st) {
           RawClient c;
           const std::string begin = raw_client_begin(c);
           st.PauseTiming();
           RawServer s;
           const std::string resp = raw_server_begin(s, begin);
           st.ResumeTiming();
           const std::string ok = raw_client_response(c, resp);
           if (ok.empty()) { st.SkipWithError("raw client rejected"); break; }
           DoNotOptimize(c.key);
         }
       });
}

void register_kdf() {
  static const Bytes sk = random_bytes(32), salt = random_bytes(32);
  static const Bytes peer_pub = [] {
    Bytes p(32);
    const Bytes other = random_bytes(32);
    crypto_scalarmult_base(p.data(), other.data());
    return p;
  }();
  pair("kdf.session_key_x25519_hkdf",
       [](State& st) {
         for (auto _ : st) {
           auto shared = crypto::x25519(sk, peer_pub);
           DoNotOptimize(crypto::hkdf_sha256_32(salt, shared->view(), handshake::kInfo));
         }
       },
       [](State& st) {
         std::uint8_t shared[32], key[32];
         for (auto _ : st) {
           if (crypto_scalarmult(shared, sk.data(), peer_pub.data()) != 0) st.SkipWithError("x25519");
           rawc::hkdf32(salt.data(), 32, shared, 32, handshake::kInfo, key);
           DoNotOptimize(key);
         }
       });
  pair("kdf.hkdf_sha256_32",
       [](State& st) {
         for (auto _ : st) DoNotOptimize(crypto::hkdf_sha256_32(salt, sk, handshake::kInfo));
       },
       [](State& st) {
         std::uint8_t key[32];
         for (auto _ : st) {
           rawc::hkdf32(salt.data(), 32, sk.data(), 32, handshake::kInfo, key);
           DoNotOptimize(key);
         }
       });
  pair("kdf.x25519_keypair",
       [](State& st) {
         SystemRng rng;
         for (auto _ : st) DoNotOptimize(crypto::x25519_keypair(rng));
       },
       [](State& st) {
         std::uint8_t s[32], p[32];
         for (auto _ : st) {
           randombytes_buf(s, 32);
           crypto_scalarmult_base(p, s);
           DoNotOptimize(p);
         }
       });
}

void register_envelope() {
  static const Bytes key = random_bytes(32);
  for (std::size_t size : {std::size_t{64}, std::size_t{1024}, std::size_t{64 * 1024}, std::size_t{1024 * 1024}}) {
    const std::string label = size_label(size);
    const std::string msg = inner_message(size);
    const std::string frame = *envelope::seal(key, msg, *std::make_unique<SystemRng>());
    pair("envelope.seal." + label,
         [msg](State& st) {
           SystemRng rng;
           for (auto _ : st) DoNotOptimize(envelope::seal(key, msg, rng));
           st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * msg.size()));
         },
         [msg](State& st) {
           for (auto _ : st) {
             std::uint8_t nonce[12];
             randombytes_buf(nonce, sizeof nonce);
             rawc::Buf ct(msg.size() + 16);
             unsigned long long len = 0;
             crypto_aead_chacha20poly1305_ietf_encrypt(ct.data(), &len, reinterpret_cast<const std::uint8_t*>(msg.data()),
                                                       msg.size(), nullptr, 0, nullptr, nonce, key.data());
             std::string out;
             out.reserve(64 + ct.size() * 4 / 3);
             out += R"({"enc":"chacha20poly1305","nonce":")";
             out += rawc::b64(nonce, 12);
             out += R"(","ciphertext":")";
             out += rawc::b64(ct.data(), ct.size());
             out += R"("})";
             DoNotOptimize(out);
           }
           st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * msg.size()));
         });
    pair("envelope.open." + label,
         [frame, size](State& st) {
           for (auto _ : st) {
             auto opened = envelope::open(key, frame);
             if (!opened) { st.SkipWithError("open failed"); break; }
             DoNotOptimize(opened);
           }
           st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * size));
         },
         [frame, size](State& st) {
           for (auto _ : st) {
             Json env = Json::parse(frame, nullptr, false);
             if (!env.is_object() || env["enc"] != "chacha20poly1305") { st.SkipWithError("frame"); break; }
             std::uint8_t nonce[12];
             rawc::Buf ct;
             if (!rawc::unb64_exact(env["nonce"].get_ref<const std::string&>(), nonce, 12) ||
                 !rawc::unb64(env["ciphertext"].get_ref<const std::string&>(), ct) || ct.size() < 16) {
               st.SkipWithError("decode");
               break;
             }
             std::string pt(ct.size() - 16, '\0');
             unsigned long long len = 0;
             if (crypto_aead_chacha20poly1305_ietf_decrypt(reinterpret_cast<std::uint8_t*>(pt.data()), &len, nullptr,
                                                           ct.data(), ct.size(), nullptr, 0, nonce, key.data()) != 0) {
               st.SkipWithError("auth");
               break;
             }
             Json inner = Json::parse(pt, nullptr, false);
             if (!inner.is_object() || !inner["type"].is_string()) { st.SkipWithError("inner"); break; }
             DoNotOptimize(inner);
           }
           st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * size));
         });
  }
}

// ------------------------------------------------------------------ signed HTTP requests (§6)
constexpr std::size_t kPool = 1024;  // requests / tokens with distinct nonces, verified in turn
const std::string kToken = "session_bench_0123456789abcdef";
const std::string kPayload = R"({"weights":[{"uid":1,"weight":0.5},{"uid":2,"weight":0.5}],"epoch":42})";

struct RawSigner {
  std::uint8_t pk[32], sk[64];
  std::string pk_b64;
  RawSigner() {
    crypto_sign_keypair(pk, sk);
    pk_b64 = rawc::b64(pk, 32);
  }
};

std::string raw_canonical(std::string_view method, std::string_view path, std::string_view body,
                          std::string_view ts, std::string_view nonce, std::string_view token) {
  std::uint8_t h[32];
  crypto_hash_sha256(h, reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  std::string c;
  c.reserve(method.size() + path.size() + 64 + ts.size() + nonce.size() + token.size() + 5);
  c.append(method).append("\n").append(path).append("\n").append(rawc::hex(h, 32)).append("\n");
  c.append(ts).append("\n").append(nonce).append("\n").append(token);
  return c;
}

std::string raw_uuid4() {
  std::uint8_t b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  std::string h = rawc::hex(b, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

struct RawSignedRequest {
  std::string token, pk_b64, ts, nonce, sig_b64, body;
};

void register_signed_http() {
  static const Bytes seed = random_bytes(32);
  pair("signed_http.sign",
       [](State& st) {
         SystemClock clock;
         SystemRng rng;
         signed_http::Signer signer(seed, kToken, std::nullopt, clock, rng);
         for (auto _ : st) DoNotOptimize(signer.sign("POST", "/sdk/weights", kPayload));
       },
       [](State& st) {
         RawSigner s;
         for (auto _ : st) {
           RawSignedRequest r;
           r.token = kToken;
           r.pk_b64 = s.pk_b64;
           r.ts = std::to_string(std::time(nullptr));
           r.nonce = raw_uuid4();
           r.body = kPayload;
           const std::string c = raw_canonical("POST", "/sdk/weights", r.body, r.ts, r.nonce, r.token);
           std::uint8_t sig[64];
           crypto_sign_detached(sig, nullptr, reinterpret_cast<const std::uint8_t*>(c.data()), c.size(), s.sk);
           r.sig_b64 = rawc::b64(sig, 64);
           DoNotOptimize(r);
         }
       });

  // Verification including the per-session nonce cache (V7): every iteration verifies a request
  // with a fresh nonce; after kPool requests the cache is reset outside the timed region.
  pair("signed_http.verify_with_nonce_cache",
       [](State& st) {
         FixedClock clock(kNow);
         DeterministicRng rng(std::uint64_t{7});
         signed_http::Signer signer(seed, kToken, std::nullopt, clock, rng);
         std::vector<signed_http::HttpRequest> pool;
         for (std::size_t i = 0; i < kPool; ++i) pool.push_back(*signer.sign("POST", "/sdk/weights", kPayload));
         const Bytes pub(signer.public_key().begin(), signer.public_key().end());
         auto fresh_table = [&] {
           auto t = std::make_unique<signed_http::SessionTable>(16, kPool + 1);
           (void)t->add(kToken, signed_http::Session{pub, std::nullopt, kNow + 3600}, kNow);
           return t;
         };
         auto table = fresh_table();
         auto verifier = std::make_unique<signed_http::Verifier>(*table, clock);
         std::size_t i = 0;
         for (auto _ : st) {
           if (i == kPool) {
             st.PauseTiming();
             table = fresh_table();
             verifier = std::make_unique<signed_http::Verifier>(*table, clock);
             i = 0;
             st.ResumeTiming();
           }
           auto r = verifier->verify(pool[i++]);
           if (!r.ok()) { st.SkipWithError(r.reason.c_str()); break; }
           DoNotOptimize(r);
         }
       },
       [](State& st) {
         RawSigner s;
         std::vector<RawSignedRequest> pool;
         for (std::size_t i = 0; i < kPool; ++i) {
           RawSignedRequest r{kToken, s.pk_b64, std::to_string(kNow), raw_uuid4(), {}, kPayload};
           const std::string c = raw_canonical("POST", "/sdk/weights", r.body, r.ts, r.nonce, r.token);
           std::uint8_t sig[64];
           crypto_sign_detached(sig, nullptr, reinterpret_cast<const std::uint8_t*>(c.data()), c.size(), s.sk);
           r.sig_b64 = rawc::b64(sig, 64);
           pool.push_back(std::move(r));
         }
         std::unordered_set<std::string> seen;
         std::deque<std::pair<std::int64_t, std::string>> order;
         std::size_t i = 0;
         for (auto _ : st) {
           if (i == kPool) {
             st.PauseTiming();
             seen.clear();
             order.clear();
             i = 0;
             st.ResumeTiming();
           }
           const RawSignedRequest& r = pool[i++];
           std::uint8_t pk[32], sig[64];
           if (!rawc::unb64_exact(r.pk_b64, pk, 32) || !rawc::unb64_exact(r.sig_b64, sig, 64) ||
               sodium_memcmp(pk, s.pk, 32) != 0) {
             st.SkipWithError("decode");
             break;
           }
           const std::int64_t ts = std::stoll(r.ts);
           if (ts < kNow - 120 || ts > kNow + 120) { st.SkipWithError("skew"); break; }
           const std::string c = raw_canonical("POST", "/sdk/weights", r.body, r.ts, r.nonce, r.token);
           if (crypto_sign_verify_detached(sig, reinterpret_cast<const std::uint8_t*>(c.data()), c.size(), pk) != 0) {
             st.SkipWithError("signature");
             break;
           }
           if (!seen.insert(r.nonce).second) { st.SkipWithError("replay"); break; }
           order.emplace_back(kNow, r.nonce);
         }
       });
}

// ------------------------------------------------------------------ MinerToken (§7)
miner_token::MinerClaims bench_claims(std::size_t n) {
  miner_token::MinerClaims c;
  c.iss = "platform-api";
  c.aud = "challenge_demo";
  c.challenge_id = "challenge_demo";
  c.miner_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  c.uid = "17";
  c.job_id = "job-0001";
  c.job_type = "evaluation";
  c.iat = kNow - 10;
  c.exp = kNow + 600;
  c.jti = "jti-bench-" + std::to_string(1000000 + n);
  return c;
}

std::string raw_claims_json(const miner_token::MinerClaims& c) {
  // nlohmann's object is a sorted map: the dump is the sorted compact form.
  Json p = {{"iss", c.iss}, {"aud", c.aud}, {"miner_hotkey", c.miner_hotkey}, {"uid", c.uid},
            {"job_id", c.job_id}, {"challenge_id", c.challenge_id}, {"job_type", c.job_type},
            {"iat", c.iat}, {"exp", c.exp}, {"jti", c.jti}};
  return p.dump();
}

void register_miner_token() {
  static const Bytes seed = random_bytes(32);
  static const crypto::PublicKey pub = crypto::ed25519_from_seed(seed).pub;
  static const std::string header = miner_token::header_json();
  pair("miner_token.issue",
       [](State& st) {
         const auto claims = bench_claims(0);
         const auto key = crypto::ed25519_from_seed(seed);  // a long-lived issuer's key pair
         for (auto _ : st) DoNotOptimize(miner_token::issue(claims, key));
       },
       [](State& st) {
         std::uint8_t pk[32], sk[64];
         crypto_sign_seed_keypair(pk, sk, seed.data());
         const std::string h64 =
             rawc::b64(reinterpret_cast<const std::uint8_t*>(header.data()), header.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
         const auto claims = bench_claims(0);
         for (auto _ : st) {
           const std::string payload = raw_claims_json(claims);
           std::string input = h64 + "." +
                               rawc::b64(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size(),
                                         sodium_base64_VARIANT_URLSAFE_NO_PADDING);
           std::uint8_t sig[64];
           crypto_sign_detached(sig, nullptr, reinterpret_cast<const std::uint8_t*>(input.data()), input.size(), sk);
           input += "." + rawc::b64(sig, 64, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
           DoNotOptimize(input);
         }
       });
  pair("miner_token.verify_with_jti_cache",
       [](State& st) {
         FixedClock clock(kNow);
         std::vector<std::string> pool;
         for (std::size_t i = 0; i < kPool; ++i) pool.push_back(*miner_token::issue(bench_claims(i), seed));
         auto cache = std::make_unique<miner_token::JtiReplayCache>();
         miner_token::VerifierConfig cfg;
         cfg.issuer_public_key = pub;
         cfg.issuer = "platform-api";
         cfg.audience = "challenge_demo";
         cfg.replay_cache = cache.get();
         std::size_t i = 0;
         for (auto _ : st) {
           if (i == kPool) {
             st.PauseTiming();
             cache = std::make_unique<miner_token::JtiReplayCache>();
             cfg.replay_cache = cache.get();
             i = 0;
             st.ResumeTiming();
           }
           auto r = miner_token::verify(pool[i++], cfg, clock);
           if (!r) { st.SkipWithError(r.error().code.c_str()); break; }
           DoNotOptimize(r);
         }
       },
       [](State& st) {
         std::vector<std::string> pool;
         for (std::size_t i = 0; i < kPool; ++i) pool.push_back(*miner_token::issue(bench_claims(i), seed));
         std::map<std::string, std::int64_t, std::less<>> jtis;
         std::size_t i = 0;
         for (auto _ : st) {
           if (i == kPool) {
             st.PauseTiming();
             jtis.clear();
             i = 0;
             st.ResumeTiming();
           }
           const std::string& tok = pool[i++];
           const auto d1 = tok.find('.'), d2 = tok.find('.', d1 + 1);
           rawc::Buf h, p;
           std::uint8_t sig[64];
           const std::string_view t(tok);
           constexpr int url = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
           if (!rawc::unb64(t.substr(0, d1), h, url) || !rawc::unb64(t.substr(d1 + 1, d2 - d1 - 1), p, url) ||
               !rawc::unb64_exact(t.substr(d2 + 1), sig, 64, url)) {
             st.SkipWithError("decode");
             break;
           }
           Json hj = Json::parse(h, nullptr, false), pj = Json::parse(p, nullptr, false);
           if (hj["alg"] != "EdDSA" || hj["typ"] != "MinerToken") { st.SkipWithError("header"); break; }
           if (crypto_sign_verify_detached(sig, reinterpret_cast<const std::uint8_t*>(tok.data()), d2, pub.data()) != 0) {
             st.SkipWithError("signature");
             break;
           }
           const std::int64_t exp = pj["exp"].get<std::int64_t>(), iat = pj["iat"].get<std::int64_t>();
           if (exp <= kNow - 30 || iat > kNow + 30 || pj["iss"] != "platform-api" || pj["aud"] != "challenge_demo" ||
               pj["challenge_id"] != "challenge_demo") {
             st.SkipWithError("claims");
             break;
           }
           if (!jtis.emplace(pj["jti"].get<std::string>(), exp + 30).second) { st.SkipWithError("replay"); break; }
         }
       });
}

// ------------------------------------------------------------------ credentials (§8)
void register_credentials() {
  // Mechanism A: the challenge's Ed25519 seed (SDK_EPHEMERAL_SK_B64) and a sealed DSN for it.
  static const Bytes ed_seed = random_bytes(32);
  static const std::string key_b64 = codec::b64_encode(ed_seed);
  static const std::string dsn = "postgresql://challenge:secret-password@db.internal:5432/challenge_demo";
  static const std::string body = [] {
    SystemRng rng;
    const auto ed_pub = crypto::ed25519_from_seed(ed_seed).pub;
    auto sealed = credentials::seal_credentials(Profile::seed_spec, ed_pub, dsn, rng);
    return credentials::sealed_request_body(*sealed, "challenge_demo", 1);
  }();
  pair("credentials.sealed_open",
       [](State& st) {
         for (auto _ : st) {
           credentials::MemoryDsnSink sink;
           auto reply = credentials::handle_sealed_credentials(body, key_b64, Profile::seed_spec, sink);
           if (reply.status != 200) { st.SkipWithError(reply.code.c_str()); break; }
           DoNotOptimize(reply);
         }
       },
       [](State& st) {
         for (auto _ : st) {
           Json b = Json::parse(body, nullptr, false);
           if (!b.is_object() || !b["challenge_name"].is_string() || !b["version"].is_number_integer()) {
             st.SkipWithError("body");
             break;
           }
           // §8.3: X25519 secret = clamp(SHA512(seed)[0:32]), its public key, then the box.
           std::uint8_t seed[32], h[64], x_pk[32];
           if (!rawc::unb64_exact(key_b64, seed, 32)) { st.SkipWithError("key"); break; }
           crypto_hash_sha512(h, seed, 32);
           h[0] &= 248;
           h[31] &= 127;
           h[31] |= 64;
           crypto_scalarmult_base(x_pk, h);
           rawc::Buf box;
           if (!rawc::unb64(b["sealed"].get_ref<const std::string&>(), box) || box.size() < crypto_box_SEALBYTES) {
             st.SkipWithError("sealed");
             break;
           }
           std::string out(box.size() - crypto_box_SEALBYTES, '\0');
           if (crypto_box_seal_open(reinterpret_cast<std::uint8_t*>(out.data()), box.data(), box.size(), x_pk, h) != 0) {
             st.SkipWithError("open");
             break;
           }
           sodium_memzero(h, sizeof h);
           SecretBytes stored(as_bytes(out));  // the DSN's destination
           DoNotOptimize(stored);
         }
       });

  // Mechanism B: credential transfer, sender (encrypt) and receiver (decrypt).
  static const Bytes x_sk = random_bytes(32);
  static const crypto::PublicKey x_pk = crypto::x25519_from_secret(x_sk).pub;
  static const std::map<std::string, std::string> creds = {{"dsn", dsn}};
  static const std::string response = [] {
    SystemRng rng;
    auto enc = credentials::encrypt_credentials(x_pk, creds, rng, credentials::AadMode::seed);
    return credentials::build_credential_response(*enc, "123e4567-e89b-42d3-a456-426614174000");
  }();
  constexpr std::string_view kSalt = credentials::kTransferSalt;
  constexpr std::string_view kInfo = credentials::kTransferInfo;
  pair("credentials.transfer_encrypt",
       [](State& st) {
         SystemRng rng;
         for (auto _ : st) {
           auto enc = credentials::encrypt_credentials(x_pk, creds, rng, credentials::AadMode::seed);
           DoNotOptimize(credentials::build_credential_response(*enc, "123e4567-e89b-42d3-a456-426614174000"));
         }
       },
       [kSalt, kInfo](State& st) {
         for (auto _ : st) {
           std::uint8_t e_sk[32], e_pk[32], shared[32], key[32], nonce[12];
           randombytes_buf(e_sk, 32);
           randombytes_buf(nonce, 12);
           crypto_scalarmult_base(e_pk, e_sk);
           if (crypto_scalarmult(shared, e_sk, x_pk.data()) != 0) { st.SkipWithError("x25519"); break; }
           rawc::hkdf32(reinterpret_cast<const std::uint8_t*>(kSalt.data()), kSalt.size(), shared, 32, kInfo, key);
           const std::string pt = Json(creds).dump();
           rawc::Buf ct(pt.size() + 16);
           unsigned long long len = 0;
           crypto_aead_chacha20poly1305_ietf_encrypt(ct.data(), &len, reinterpret_cast<const std::uint8_t*>(pt.data()),
                                                     pt.size(), e_pk, 32, nullptr, nonce, key);
           Json resp = {{"encrypted_credentials",
                         {{"encrypted_data", rawc::b64(ct.data(), ct.size())},
                          {"ephemeral_public_key", rawc::b64(e_pk, 32)},
                          {"nonce", rawc::b64(nonce, 12)}}},
                        {"schema_name", "challenge_123e4567_e89b_42d3_a456_426614174000"}};
           DoNotOptimize(resp.dump());
         }
       });
  pair("credentials.transfer_decrypt",
       [](State& st) {
         for (auto _ : st) {
           auto r = credentials::decrypt_credentials(response, x_sk, credentials::AadMode::seed);
           if (!r) { st.SkipWithError(r.error().code.c_str()); break; }
           DoNotOptimize(r);
         }
       },
       [kSalt, kInfo](State& st) {
         for (auto _ : st) {
           Json doc = Json::parse(response, nullptr, false);
           const Json& enc = doc["encrypted_credentials"];
           std::uint8_t e_pk[32], nonce[12], shared[32], key[32];
           rawc::Buf ct;
           if (!rawc::unb64_exact(enc["ephemeral_public_key"].get_ref<const std::string&>(), e_pk, 32) ||
               !rawc::unb64_exact(enc["nonce"].get_ref<const std::string&>(), nonce, 12) ||
               !rawc::unb64(enc["encrypted_data"].get_ref<const std::string&>(), ct) || ct.size() < 16) {
             st.SkipWithError("decode");
             break;
           }
           if (crypto_scalarmult(shared, x_sk.data(), e_pk) != 0) { st.SkipWithError("x25519"); break; }
           rawc::hkdf32(reinterpret_cast<const std::uint8_t*>(kSalt.data()), kSalt.size(), shared, 32, kInfo, key);
           std::string pt(ct.size() - 16, '\0');
           unsigned long long len = 0;
           if (crypto_aead_chacha20poly1305_ietf_decrypt(reinterpret_cast<std::uint8_t*>(pt.data()), &len, nullptr,
                                                         ct.data(), ct.size(), e_pk, 32, nonce, key) != 0) {
             st.SkipWithError("auth");
             break;
           }
           Json m = Json::parse(pt, nullptr, false);
           std::map<std::string, SecretBytes> out;
           for (auto it = m.begin(); it != m.end(); ++it)
             out.emplace(it.key(), SecretBytes(as_bytes(it.value().get_ref<const std::string&>())));
           DoNotOptimize(out);
         }
       });
}

// ------------------------------------------------------------------ TDX quotes (§9)
void register_tdx() {
  static const Bytes nonce = random_bytes(32);
  static const Evidence mock = tdx::mock_quote_v4(nonce);
  static const std::string quote_b64 = codec::b64_encode(mock.quote);

  pair("tdx.quote_parse",
       [](State& st) {
         for (auto _ : st) {
           auto q = tdx::parse_quote(mock.quote);
           if (!q) { st.SkipWithError("parse"); break; }
           DoNotOptimize(q);
         }
       },
       [](State& st) {
         for (auto _ : st) {
           // The raw parse validates in place and keeps the bytes (no field copies).
           const bool ok = raw_quote_structure(mock.quote.data(), mock.quote.size());
           if (!ok) { st.SkipWithError("parse"); break; }
           Bytes kept(mock.quote);
           DoNotOptimize(kept);
         }
       });

  pair("tdx.verify_mock_quote",
       [](State& st) {
         PeerQuoteCheck c;
         c.mode = AttestationMode::mock;
         c.quote_b64 = quote_b64;
         c.event_log = mock.event_log;
         c.nonce = nonce;
         c.local_env = "dev";
         for (auto _ : st) {
           auto s = verify_peer_quote(c);
           if (!s) { st.SkipWithError(s.error().code.c_str()); break; }
         }
       },
       [](State& st) {
         for (auto _ : st) {
           if (!raw_verify_mock_quote(quote_b64, *mock.event_log, nonce.data(), "dev")) {
             st.SkipWithError("raw verify");
             break;
           }
         }
       });

  // RTMR replay over the four mock events, and over a 64-event log (a busier CVM).
  static const std::vector<tdx::Event> events4 = tdx::mock_events();
  static const std::vector<tdx::Event> events64 = [] {
    std::vector<tdx::Event> ev;
    for (int i = 0; i < 64; ++i) ev.push_back(tdx::runtime_event("event-" + std::to_string(i), random_bytes(32)));
    return ev;
  }();
  for (const auto* events : {&events4, &events64}) {
    const std::string n = std::to_string(events->size());
    pair("tdx.rtmr_replay." + n + "_events",
         [events](State& st) { for (auto _ : st) DoNotOptimize(tdx::replay_rtmrs(*events)); },
         [events](State& st) {
           for (auto _ : st) {
             std::uint8_t mr[4][48] = {};
             for (const auto& e : *events) rawc::rtmr_extend(mr[e.imr & 3], e.digest.data());
             DoNotOptimize(mr);
           }
         });
  }
  static const std::string log64 = tdx::event_log_json(events64);
  pair("tdx.event_log_parse_replay.64_events",
       [](State& st) {
         for (auto _ : st) {
           auto ev = tdx::parse_event_log(log64);
           if (!ev) { st.SkipWithError("parse"); break; }
           DoNotOptimize(tdx::replay_rtmrs(*ev));
         }
       },
       [](State& st) {
         for (auto _ : st) {
           Json log = Json::parse(log64, nullptr, false);
           std::uint8_t mr[4][48] = {};
           for (const auto& e : log) {
             std::uint8_t d[48];
             if (!rawc::unhex_exact(e["digest"].get_ref<const std::string&>(), d, 48)) { st.SkipWithError("hex"); break; }
             rawc::rtmr_extend(mr[e["imr"].get<unsigned>() & 3], d);
           }
           DoNotOptimize(mr);
         }
       });
}

// ------------------------------------------------------------------ signed-mock quotes (§3.7 step 3)
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };

bool raw_ecdsa_verify(EVP_PKEY* key, const std::uint8_t* msg, std::size_t n, const std::uint8_t rs[64]) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, nullptr), BN_bin2bn(rs + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(md, der, static_cast<std::size_t>(der_len), msg, n) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  return ok;
}

void register_signed_quote() {
  static const bench::SignedQuoteFixture fx = bench::make_signed_quote_fixture();
  pair("tdx.verify_signed_quote",
       [](State& st) {
         if (fx.quote.empty()) { st.SkipWithError("fixture"); return; }
         FixedClock clock(bench::kSignedQuoteNow);
         tdx::SignedQuoteConfig cfg;
         cfg.trusted_roots_pem = {fx.root_pem};
         cfg.clock = &clock;
         for (auto _ : st) {
           auto s = tdx::verify_signed_quote(fx.quote, cfg);
           if (!s) { st.SkipWithError(s.error().code.c_str()); break; }
         }
       },
       [](State& st) {
         if (fx.quote.empty()) { st.SkipWithError("fixture"); return; }
         // The trust anchor is configuration: parsed once, as a long-lived verifier would.
         std::unique_ptr<BIO, BioFree> rbio(BIO_new_mem_buf(fx.root_pem.data(), static_cast<int>(fx.root_pem.size())));
         std::unique_ptr<X509, X509Free> root(PEM_read_bio_X509(rbio.get(), nullptr, nullptr, nullptr));
         const std::uint8_t* q = fx.quote.data();
         for (auto _ : st) {
           if (!raw_quote_structure(q, fx.quote.size())) { st.SkipWithError("structure"); break; }
           const std::uint8_t* sd = q + tdx::kOffSigData;
           const std::size_t a = le16(sd + tdx::kRelQeAuthSize);
           const std::uint8_t* inner = sd + tdx::kRelQeAuthData + a;
           const std::size_t p = le32(inner + 2);
           std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(inner + 6, static_cast<int>(p)));
           std::vector<std::unique_ptr<X509, X509Free>> chain;
           while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) chain.emplace_back(c);
           ERR_clear_error();
           X509_STORE* store = X509_STORE_new();
           X509_STORE_add_cert(store, root.get());
           STACK_OF(X509)* untrusted = sk_X509_new_null();
           for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted, chain[i].get());
           X509_STORE_CTX* ctx = X509_STORE_CTX_new();
           X509_STORE_CTX_init(ctx, store, chain.at(0).get(), untrusted);
           X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), static_cast<time_t>(bench::kSignedQuoteNow));
           const bool chain_ok = X509_verify_cert(ctx) == 1;
           X509_STORE_CTX_free(ctx);
           sk_X509_free(untrusted);
           X509_STORE_free(store);
           if (!chain_ok) { st.SkipWithError("chain"); break; }
           EVP_PKEY* pck = X509_get0_pubkey(chain[0].get());
           if (!raw_ecdsa_verify(pck, sd + tdx::kRelQeReport, tdx::kQeReportSize, sd + tdx::kRelQeReportSig)) {
             st.SkipWithError("qe report");
             break;
           }
           std::uint8_t h[32];
           crypto_hash_sha256_state hs;
           crypto_hash_sha256_init(&hs);
           crypto_hash_sha256_update(&hs, sd + tdx::kRelAttestKey, 64);
           crypto_hash_sha256_update(&hs, sd + tdx::kRelQeAuthData, a);
           crypto_hash_sha256_final(&hs, h);
           if (std::memcmp(h, sd + tdx::kRelQeReport + tdx::kQeReportDataOffset, 32) != 0) {
             st.SkipWithError("binding");
             break;
           }
           unsigned char point[65];
           point[0] = 0x04;
           std::memcpy(point + 1, sd + tdx::kRelAttestKey, 64);
           char group[] = "prime256v1";
           OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                                  OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
                                  OSSL_PARAM_construct_end()};
           EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
           EVP_PKEY* ak = nullptr;
           EVP_PKEY_fromdata_init(kctx);
           EVP_PKEY_fromdata(kctx, &ak, EVP_PKEY_PUBLIC_KEY, params);
           EVP_PKEY_CTX_free(kctx);
           const bool ok = ak != nullptr && raw_ecdsa_verify(ak, q, tdx::kSignedSize, sd + tdx::kRelEcdsaSig);
           EVP_PKEY_free(ak);
           if (!ok) { st.SkipWithError("quote signature"); break; }
         }
       });
}

// ------------------------------------------------------------------ the primitives themselves
void register_primitives() {
  static const Bytes seed = random_bytes(32), msg = random_bytes(128);
  static const crypto::PublicKey pub = crypto::ed25519_from_seed(seed).pub;
  static const crypto::Signature sig = crypto::ed25519_sign(seed, msg);
  pair("crypto.ed25519_sign",
       [](State& st) {
         const auto key = crypto::ed25519_from_seed(seed);  // derived once, as the raw side does
         for (auto _ : st) DoNotOptimize(crypto::ed25519_sign(key, msg));
       },
       [](State& st) {
         std::uint8_t pk[32], sk[64], s[64];
         crypto_sign_seed_keypair(pk, sk, seed.data());
         for (auto _ : st) {
           crypto_sign_detached(s, nullptr, msg.data(), msg.size(), sk);
           DoNotOptimize(s);
         }
       });
  pair("crypto.ed25519_verify",
       [](State& st) { for (auto _ : st) DoNotOptimize(crypto::ed25519_verify(pub, msg, sig)); },
       [](State& st) {
         for (auto _ : st) DoNotOptimize(crypto_sign_verify_detached(sig.data(), msg.data(), msg.size(), pub.data()));
       });
  pair("crypto.sha384_96B",
       [](State& st) { for (auto _ : st) DoNotOptimize(crypto::sha384(ByteView(msg).first(96))); },
       [](State& st) {
         std::uint8_t out[48];
         for (auto _ : st) {
           rawc::sha384(msg.data(), 96, out);
           DoNotOptimize(out);
         }
       });
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  register_decode();
  register_handshake();
  register_kdf();
  register_envelope();
  register_signed_http();
  register_miner_token();
  register_credentials();
  register_tdx();
  register_signed_quote();
  register_primitives();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
