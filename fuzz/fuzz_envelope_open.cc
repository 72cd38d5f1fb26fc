// fuzz_envelope_open (PROTOCOL.md §14, §5.1-5.3): arbitrary frame text, fixed K (vector V1).
// Oracle: differential against a direct open — nlohmann for the JSON, libsodium's strict base64,
// OpenSSL's ChaCha20-Poly1305 — plus the independent JSON scanner for the §0.3 strictness rules:
// seed-spec accepts exactly the frames the direct path accepts (same nonce, same plaintext), a
// Channel delivers the same frame once and rejects its replay, sdk-compat never accepts a frame
// whose tag does not verify.
// Input: a raw frame; or, when the first byte is 0x00, a 12-byte nonce followed by a plaintext
// that the target seals itself with OpenSSL, so the fuzzer also explores the R7 plaintext rules.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "pnc/codec.hpp"
#include "pnc/envelope.hpp"

using namespace pnc;
using NJson = nlohmann::json;

namespace {

struct Direct {
  Bytes nonce;
  std::string plaintext;
};

// The whole of §5.3 R1-R5 and R7 for seed-spec, written without the reference.
std::optional<Direct> direct_open(ByteView key, std::string_view frame) {
  if (!fuzz::strict_json_ok(fuzz::scan_json(frame))) return std::nullopt;
  const NJson doc = NJson::parse(frame, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  for (const char* m : {"enc", "nonce", "ciphertext"})
    if (!doc.contains(m) || !doc[m].is_string()) return std::nullopt;
  if (doc["enc"].get<std::string>() != "chacha20poly1305") return std::nullopt;
  auto nonce = fuzz::sodium_b64(doc["nonce"].get<std::string>());
  auto ct = fuzz::sodium_b64(doc["ciphertext"].get<std::string>());
  if (!nonce || !ct || nonce->size() != 12 || ct->size() < 16) return std::nullopt;
  auto pt = fuzz::ossl_chacha_open(key, *nonce, *ct);
  if (!pt) return std::nullopt;
  const std::string text(pt->begin(), pt->end());
  if (!fuzz::strict_json_ok(fuzz::scan_json(text))) return std::nullopt;
  const NJson inner = NJson::parse(text, nullptr, false);
  if (!inner.is_object() || !inner.contains("type") || !inner["type"].is_string()) return std::nullopt;
  return Direct{*nonce, text};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Bytes key = fuzz::unhex(fuzz::golden::kV1Key);
  std::string frame;
  if (size > 0 && data[0] == 0x00) {
    fuzz::Input in(data + 1, size - 1);
    Bytes nonce = in.bytes(12);
    nonce.resize(12, 0);
    const std::string plaintext = in.rest();
    const Bytes ct = fuzz::ossl_chacha_seal(key, nonce, as_bytes(plaintext));
    frame = R"({"enc":"chacha20poly1305","nonce":")" + fuzz::sodium_b64_encode(nonce) + R"(","ciphertext":")" +
            fuzz::sodium_b64_encode(ct) + R"("})";
  } else {
    frame.assign(reinterpret_cast<const char*>(data), size);
  }

  const auto direct = direct_open(key, frame);
  auto opened = envelope::open(key, frame, Profile::seed_spec);
  FUZZ_ASSERT(opened.ok() == direct.has_value(), "seed-spec envelope verdict differs from the direct open");
  if (opened) {
    FUZZ_ASSERT(opened->plaintext == direct->plaintext, "plaintext differs from OpenSSL's");
    FUZZ_ASSERT(Bytes(opened->nonce.begin(), opened->nonce.end()) == direct->nonce, "nonce differs");
  }

  // The same frame through a strict Channel: delivered once, then rejected as a replay.
  envelope::Channel channel(Profile::seed_spec, Secret<32>(key));
  auto first = channel.receive_text(frame);
  FUZZ_ASSERT(first.delivered() == opened.ok(), "Channel and open() disagree");
  if (first.delivered()) {
    auto second = channel.receive_text(frame);
    FUZZ_ASSERT(!second.delivered() && second.error && second.error->code == envelope::kReplay,
                "replayed envelope not rejected as a replay");
  } else {
    FUZZ_ASSERT(first.action == envelope::Outcome::Action::close && first.close, "strict failure without close");
  }

  // hardened opens exactly like seed-spec (one key); sdk-compat never accepts a frame whose
  // AEAD does not open under K: its lenient base64 (pnc::codec, DEC-03) feeds OpenSSL here.
  auto hardened = envelope::open(key, frame, Profile::hardened);
  FUZZ_ASSERT(hardened.ok() == opened.ok(), "hardened and seed-spec disagree on a single-key envelope");
  auto lenient = envelope::open(key, frame, Profile::sdk_compat);
  if (lenient) {
    const NJson doc = NJson::parse(frame, nullptr, false);  // last duplicate wins, as in Python
    FUZZ_ASSERT(doc.is_object() && doc["enc"] == "chacha20poly1305", "sdk-compat accepted a bad enc");
    auto nonce = codec::b64_decode(doc["nonce"].get<std::string>(), Profile::sdk_compat);
    auto ct = codec::b64_decode(doc["ciphertext"].get<std::string>(), Profile::sdk_compat);
    FUZZ_ASSERT(nonce && ct, "sdk-compat accepted undecodable members");
    auto pt = fuzz::ossl_chacha_open(key, *nonce, *ct);
    FUZZ_ASSERT(pt && std::string(pt->begin(), pt->end()) == lenient->plaintext,
                "sdk-compat accepted an envelope OpenSSL cannot open");
    if (opened) FUZZ_ASSERT(lenient->plaintext == opened->plaintext, "profiles decrypt differently");
  }
  return 0;
}
