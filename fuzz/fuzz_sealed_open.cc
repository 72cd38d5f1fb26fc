// fuzz_sealed_open (PROTOCOL.md §14, §8.1-8.3): arbitrary bytes as a sealed box for the V6
// receiver key. Oracle: differential — crypto::seal_open against the §8.2 construction composed
// independently from lower-level libsodium calls (X25519 via OpenSSL, HSalsa20 key, BLAKE2b-192
// nonce, crypto_secretbox_open_easy): same verdict, same plaintext; a forged box is therefore
// never accepted. The §8.1 receiver (handle_sealed_credentials) stores a DSN only for a box that
// opens, and stores exactly the DSN of the §8.1 step-5 rule.
// Input: raw box bytes; or, when the first byte is 0x00: [flip index u16][flip mask u8]
// plaintext — the target seals the plaintext to the receiver (deterministic ephemeral key) and
// XORs one byte; a box with a non-zero mask must be rejected, an intact one accepted.
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"

using namespace pnc;

namespace {

std::optional<Bytes> independent_open(ByteView box, ByteView x_pk, ByteView x_sk) {
  if (box.size() < 48) return std::nullopt;
  const ByteView e_pk = box.subspan(0, 32);
  auto shared = fuzz::ossl_x25519(x_sk, e_pk);
  if (!shared) return std::nullopt;
  std::uint8_t k[32];
  static const std::uint8_t kZero16[16] = {};
  crypto_core_hsalsa20(k, kZero16, shared->data(), nullptr);
  std::uint8_t nonce[24];
  Bytes nonce_input(e_pk.begin(), e_pk.end());
  nonce_input.insert(nonce_input.end(), x_pk.begin(), x_pk.end());
  crypto_generichash(nonce, sizeof nonce, nonce_input.data(), nonce_input.size(), nullptr, 0);
  Bytes out(box.size() - 48);
  // NaCl layout: tag (16) || ciphertext, exactly crypto_secretbox_easy's.
  if (crypto_secretbox_open_easy(out.data(), box.data() + 32, box.size() - 32, nonce, k) != 0) return std::nullopt;
  return out;
}

// §8.1 step 5, seed-spec, restated: UTF-8; '{' => JSON object with a non-empty string dsn;
// else the whole plaintext; at most 4096 bytes, no NUL.
std::optional<std::string> expected_dsn(const Bytes& pt) {
  const std::string text(pt.begin(), pt.end());
  std::string dsn;
  if (!text.empty() && text[0] == '{') {
    if (!fuzz::strict_json_ok(fuzz::scan_json(text))) return std::nullopt;
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object() || !doc.contains("dsn") || !doc["dsn"].is_string()) return std::nullopt;
    dsn = doc["dsn"].get<std::string>();
  } else {
    dsn = text;
    // UTF-8 validity through the scanner: the bytes as a JSON string, with every ASCII byte the
    // string syntax treats specially replaced by 'x' (same UTF-8 validity as the bytes).
    std::string probe = "\"";
    for (char c : text) {
      const bool special = static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
      probe.push_back(special ? 'x' : c);
    }
    probe.push_back('"');
    if (!fuzz::scan_json(probe).valid) return std::nullopt;
  }
  if (dsn.empty() || dsn.size() > 4096 || dsn.find('\0') != std::string::npos) return std::nullopt;
  return dsn;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::reseed_randombytes(data, size);
  static const Bytes x_sk = fuzz::unhex(fuzz::golden::kV6XSk);
  static const Bytes x_pk = fuzz::unhex(fuzz::golden::kV6XPk);
  static const std::string receiver_key_b64 = fuzz::sodium_b64_encode(fuzz::unhex(fuzz::golden::kV6EdSeed));

  Bytes box;
  std::optional<bool> must_open;  // known in seal mode
  if (size > 0 && data[0] == 0x00) {
    fuzz::Input in(data + 1, size - 1);
    const std::uint16_t flip_at = in.u16();
    const std::uint8_t mask = in.u8();
    const std::string plaintext = in.rest();
    box.resize(plaintext.size() + crypto_box_SEALBYTES);
    // crypto_box_seal draws its ephemeral key from the (input-seeded) randombytes.
    crypto_box_seal(box.data(), reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size(),
                    x_pk.data());
    box[flip_at % box.size()] ^= mask;
    must_open = mask == 0;
  } else {
    box.assign(data, data + size);
  }

  auto opened = crypto::seal_open(box, x_pk, x_sk);
  const auto independent = independent_open(box, x_pk, x_sk);
  FUZZ_ASSERT(opened.ok() == independent.has_value(), "seal_open verdict differs from the independent open");
  if (must_open) FUZZ_ASSERT(opened.ok() == *must_open, "tampered box accepted or intact box rejected");
  if (opened)
    FUZZ_ASSERT(Bytes(opened->view().begin(), opened->view().end()) == *independent, "plaintexts differ");

  // The §8.1 receiver on a body carrying the box.
  const std::string body = R"({"challenge_name":"challenge_demo","sealed":")" + codec::b64_encode(box) +
                           R"(","version":1})";
  for (Profile profile : {Profile::seed_spec, Profile::sdk_compat}) {
    credentials::MemoryDsnSink sink;
    const auto reply = credentials::handle_sealed_credentials(body, receiver_key_b64, profile, sink);
    if (reply.status == 200) {
      FUZZ_ASSERT(independent.has_value(), "receiver stored a DSN from a box that does not open");
      FUZZ_ASSERT(sink.writes() == 1 && sink.value().has_value(), "success without exactly one store");
      if (profile == Profile::seed_spec) {
        const auto want = expected_dsn(*independent);
        const auto got = sink.value()->view();
        FUZZ_ASSERT(want && std::string(got.begin(), got.end()) == *want, "stored DSN differs from the §8.1 rule");
      }
    } else {
      FUZZ_ASSERT(sink.writes() == 0, "DSN stored on a failure path (N-CRED-13)");
      if (profile == Profile::seed_spec && independent)
        FUZZ_ASSERT(!expected_dsn(*independent), "valid sealed DSN rejected");
    }
  }
  return 0;
}
