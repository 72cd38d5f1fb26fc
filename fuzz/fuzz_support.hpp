// Shared pieces of the libFuzzer targets (PROTOCOL.md §14): input decoding, deterministic
// randomness, oracle failure reporting and *independent* reference points (OpenSSL and direct
// libsodium calls, a hand-written JSON scanner) that the targets compare pnc:: results with.
// Nothing here calls the code under test, so a bug in pnc cannot hide in its own oracle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "pnc/rng.hpp"
#include "pnc/testkit/oracles.hpp"
#include "pnc/testkit/rng.hpp"
#include "pnc/types.hpp"

namespace pnc::fuzz {

// An oracle violation: prints the reason and aborts, which libFuzzer records as a crash and the
// replay main / ctest as a failure.
[[noreturn]] void oracle_failure(const char* condition, const char* what, const char* file, int line);

#define FUZZ_ASSERT(cond, what)                                                       \
  do {                                                                                \
    if (!(cond)) ::pnc::fuzz::oracle_failure(#cond, (what), __FILE__, __LINE__);      \
  } while (0)

// Consumes the fuzz input front to back; reads past the end yield zeros / empty strings, so
// every input (even the empty one) decodes to something.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t u8();
  std::uint16_t u16();  // little endian
  std::uint32_t u32();
  bool flag() { return (u8() & 1) != 0; }
  Bytes bytes(std::size_t n);
  std::string str(std::size_t n);
  // u16 little-endian length, then that many bytes (truncated at the end of the input).
  std::string length_prefixed();
  std::string rest();
  std::size_t remaining() const { return size_ - pos_; }
  bool empty() const { return pos_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// ---- Determinism ----
// libsodium's randombytes is replaced once (LLVMFuzzerInitialize, as OSS-Fuzz's libsodium
// project does) by a generator whose state is reset from each input: a crash reproduces from its
// input alone even where a code path draws from the system RNG.
void install_deterministic_randombytes();
void reseed_randombytes(const std::uint8_t* data, std::size_t size);

// Serves scripted chunks (fixed keys, e.g. the V1 secrets) to the draws of their size, then a
// DeterministicRng stream: the toolkit's ScriptedRng (testing/, pnc::testkit).
using testkit::ScriptedRng;

// ---- Independent reference points ----
// OpenSSL 3 oracles: the toolkit's (testing/, pnc::testkit), one copy for tests, properties and
// fuzz targets.
using testkit::ossl_chacha_open;
using testkit::ossl_chacha_seal;
using testkit::ossl_ed25519_verify;
using testkit::ossl_hkdf_sha256;
using testkit::ossl_sha256;
using testkit::ossl_sha384;
using testkit::ossl_sha512;
using testkit::ossl_x25519;

Bytes unhex(std::string_view hex);      // trusted constant hex only (aborts on bad input)
inline std::string lower_hex(ByteView data) { return testkit::to_hex(data); }
// libsodium's strict decoders (sodium_base642bin): no whitespace, canonical trailing bits.
std::optional<Bytes> sodium_b64(std::string_view text);     // standard alphabet, padded
std::optional<Bytes> sodium_b64url(std::string_view text);  // URL-safe, unpadded
std::string sodium_b64_encode(ByteView data);
std::string sodium_b64url_encode(ByteView data);

// A deliberately simple RFC 8259 scanner: syntax, UTF-8, surrogate pairing, nesting depth and
// duplicate member names (compared after unescaping). A leading UTF-8 BOM is skipped (RFC 8259
// §8.1 lets parsers ignore it; nlohmann does).
struct JsonScan {
  bool valid = false;       // RFC 8259 syntax + UTF-8
  std::size_t depth = 0;    // deepest container nesting (a scalar document has depth 0)
  bool duplicate = false;   // some object repeats a member name
  char top = 0;             // '{', '[', or 's' for a scalar document
};
JsonScan scan_json(std::string_view text);
// The strict (seed-spec) verdict of §0.3 derived from the scan.
inline bool strict_json_ok(const JsonScan& s) { return s.valid && s.depth <= 64 && !s.duplicate; }

// ---- Golden constants of PROTOCOL.md §13 (fixed keys of the targets) ----
namespace golden {
inline constexpr std::string_view kV1ValSk = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
inline constexpr std::string_view kV1ChalSk = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
inline constexpr std::string_view kV1ChalPub = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
inline constexpr std::string_view kV1Salt = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
inline constexpr std::string_view kV1Key = "4f63daae7e1c47a2f2ed828858d2a1a4d7e97b0a492fd4c01738191e95609c04";
inline constexpr std::string_view kV3Nonce = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
inline constexpr std::string_view kV4Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
inline constexpr std::string_view kV4Pk = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
inline constexpr std::string_view kV4Token = "session_00000000-0000-4000-8000-000000000000";
inline constexpr std::int64_t kV4Now = 1700000000;
inline constexpr std::string_view kV6EdSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
inline constexpr std::string_view kV6XSk = "307c83864f2833cb427a2ef1c00a013cfdff2768d980c0a3a520f006904de94f";
inline constexpr std::string_view kV6XPk = "d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e";
inline constexpr std::string_view kV9IssuerSeed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
inline constexpr std::string_view kV9IssuerPk = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
inline constexpr std::int64_t kV9Now = 1700000100;
}  // namespace golden

}  // namespace pnc::fuzz
