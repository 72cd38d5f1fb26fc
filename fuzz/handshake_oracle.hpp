// Shared oracle pieces of the three handshake targets: the configuration byte, a stub DCAP
// verifier, independent decoding of handshake members and an independent check that an
// established session really holds K = HKDF(salt, X25519(...)) (§4) in the right directions.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"

namespace pnc::fuzz {

// Production DCAP is an interface (§0.5); the targets stub it to accept or refuse everything
// so that prod mode is explored on both sides of the DCAP decision.
class StubDcap final : public DcapVerifier {
 public:
  explicit StubDcap(bool accept) : accept_(accept) {}
  Status verify(ByteView) override {
    if (accept_) return {};
    return make_error(attest_errc::kDcap, "stub DCAP refuses");
  }

 private:
  bool accept_;
};

// Configuration byte: bits 0-1 profile (seed-spec, sdk-compat, hardened, seed-spec), bit 2
// mock mode, bit 3 stub DCAP accepts, bit 4 local env "prod" (else "dev"), bit 5 client: own
// quote provider present.
struct HsConfig {
  Profile profile = Profile::seed_spec;
  AttestationMode mode = AttestationMode::prod;
  bool dcap_accepts = false;
  std::string env = "dev";
  bool own_quote = false;
  static HsConfig decode(std::uint8_t c) {
    HsConfig h;
    const int p = c & 3;
    h.profile = p == 1 ? Profile::sdk_compat : p == 2 ? Profile::hardened : Profile::seed_spec;
    h.mode = (c & 4) != 0 ? AttestationMode::mock : AttestationMode::prod;
    h.dcap_accepts = (c & 8) != 0;
    h.env = (c & 16) != 0 ? "prod" : "dev";
    h.own_quote = (c & 32) != 0;
    return h;
  }
};

inline nlohmann::json parse_any(std::string_view text) { return nlohmann::json::parse(text, nullptr, false); }

inline std::string str_member(const nlohmann::json& j, const char* name) {
  if (!j.is_object() || !j.contains(name) || !j[name].is_string()) return {};
  return j[name].get<std::string>();
}

// A member decoded as B64 of exactly `n` bytes: libsodium (strict) or the sdk-compat decoder.
inline std::optional<Bytes> b64_member(const nlohmann::json& j, const char* name, Profile profile,
                                       std::size_t n) {
  if (!j.is_object() || !j.contains(name) || !j[name].is_string()) return std::nullopt;
  const std::string text = j[name].get<std::string>();
  std::optional<Bytes> out;
  if (is_strict(profile)) {
    out = sodium_b64(text);
  } else if (auto r = codec::b64_decode(text, profile)) {
    out = *r;
  }
  if (!out || (n != 0 && out->size() != n)) return std::nullopt;
  return out;
}

// §3.4: report_data of a quote (B64 text) at 568: SHA256(N) || binding-or-zero (strict).
inline bool quote_bound(std::string_view quote_b64, ByteView nonce, const std::optional<Bytes>& upper) {
  auto q = sodium_b64(quote_b64);
  if (!q || q->size() < 632) return false;
  const Bytes digest = ossl_sha256(nonce);
  if (std::memcmp(q->data() + 568, digest.data(), 32) != 0) return false;
  if (!upper) return true;
  return std::memcmp(q->data() + 600, upper->data(), 32) == 0;
}

// The §9.6 mock checks a strict mock-mode verifier must have made: marker, mock signature.
inline bool mock_quote_genuine(std::string_view quote_b64) {
  auto q = sodium_b64(quote_b64);
  if (!q || q->size() < 700) return false;
  if (std::memcmp(q->data() + 28, "PNC-MOCK-TDX-QUOTE-1", 20) != 0) return false;
  Bytes in = to_bytes("PNC-MOCK-SIG");
  in.insert(in.end(), q->begin(), q->begin() + 632);
  return std::memcmp(ossl_sha512(in).data(), q->data() + 636, 64) == 0;
}

inline bool has_mock_marker(std::string_view quote_b64) {
  auto q = sodium_b64(quote_b64);
  return q && q->size() >= 48 && std::memcmp(q->data() + 28, "PNC-MOCK-TDX-QUOTE-1", 20) == 0;
}

// SHA256("pnc-kx-v1" || parts...) — the [HARD] key binding of §3.4.
inline Bytes kx_binding(ByteView a, ByteView b = {}) {
  Bytes in = to_bytes("pnc-kx-v1");
  in.insert(in.end(), a.begin(), a.end());
  in.insert(in.end(), b.begin(), b.end());
  return ossl_sha256(in);
}

// An envelope sealed with OpenSSL under `key` (fixed probe nonce).
inline std::string probe_envelope(ByteView key, std::string_view plaintext) {
  static const Bytes nonce(12, 0xA5);
  const Bytes ct = ossl_chacha_seal(key, nonce, as_bytes(plaintext));
  return R"({"enc":"chacha20poly1305","nonce":")" + sodium_b64_encode(nonce) + R"(","ciphertext":")" +
         sodium_b64_encode(ct) + R"("})";
}

// Opens an envelope text with OpenSSL under `key` (no strictness, just the AEAD).
inline std::optional<std::string> ossl_open_envelope(ByteView key, std::string_view frame) {
  const auto doc = parse_any(frame);
  auto n = b64_member(doc, "nonce", Profile::seed_spec, 12);
  auto c = b64_member(doc, "ciphertext", Profile::seed_spec, 0);
  if (!n || !c) return std::nullopt;
  auto pt = ossl_chacha_open(key, *n, *c);
  if (!pt) return std::nullopt;
  return std::string(pt->begin(), pt->end());
}

// The session keys of §4 derived independently: {receive key, send key} for one side.
struct SessionKeys {
  Bytes recv;
  Bytes send;
};
inline SessionKeys derive_keys(Profile profile, ByteView salt, ByteView shared, bool server_side) {
  if (profile != Profile::hardened) {
    Bytes k = ossl_hkdf_sha256(salt, shared, "platform-api-sdk-v1", 32);
    return {k, k};
  }
  Bytes c2s = ossl_hkdf_sha256(salt, shared, "platform-api-sdk-v1/c2s", 32);
  Bytes s2c = ossl_hkdf_sha256(salt, shared, "platform-api-sdk-v1/s2c", 32);
  return server_side ? SessionKeys{c2s, s2c} : SessionKeys{s2c, c2s};
}

// The established Channel holds exactly `keys`: it delivers a probe sealed under keys.recv and
// what it seals opens under keys.send. Returns the nonce of that sealed reply: the channel has
// now sent it, so a model of §5.3 R6 must count it (an envelope arriving with it is a reflection).
inline Bytes check_session_keys(envelope::Channel& channel, const SessionKeys& keys, Rng& rng) {
  const std::string probe = R"({"type":"fuzz_probe","message_id":"p1"})";
  auto out = channel.receive_text(probe_envelope(keys.recv, probe));
  FUZZ_ASSERT(out.delivered() && out.opened.plaintext == probe, "session does not hold the independently derived key");
  auto sealed = channel.seal(R"({"type":"fuzz_reply"})", rng);
  FUZZ_ASSERT(sealed.ok(), "session cannot seal");
  auto opened = ossl_open_envelope(keys.send, *sealed);
  FUZZ_ASSERT(opened && *opened == R"({"type":"fuzz_reply"})", "session seals under another key");
  auto nonce = b64_member(parse_any(*sealed), "nonce", Profile::seed_spec, 12);
  FUZZ_ASSERT(nonce.has_value(), "sealed reply without a 12-byte nonce");
  return *nonce;
}

}  // namespace pnc::fuzz
