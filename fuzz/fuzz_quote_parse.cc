// fuzz_quote_parse (PROTOCOL.md §14, §9.2-9.3): arbitrary bytes as a v4/v5 TDX quote.
// Oracle: differential against an independent re-statement of the §9.3 invariants on the raw
// bytes, v4 and v5 (§9.4) — parse_quote accepts exactly the byte strings satisfying them (zero
// padding after the signature data everywhere, DEC-30; a non-zero byte there only in
// sdk-compat); every accepted field equals the bytes at its §9.2 offset; serialize(parse(q)) == q. verify_peer_quote (mock mode, V3 nonce) never accepts
// a quote without the mock marker, a valid mock signature (recomputed with OpenSSL) and
// SHA256(N) at offset 568. ASan covers "no out-of-bounds read".
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "fuzz_support.hpp"
#include "pnc/attestation.hpp"
#include "pnc/codec.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

using namespace pnc;

namespace {

std::uint32_t le(const std::uint8_t* p, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Where a structurally valid quote keeps its body and signature data (§9.2, §9.4, DEC-30).
struct Layout {
  std::size_t body = 48;         // v4: right after the header; v5: after the 6-byte descriptor
  std::size_t signed_size = 632; // header (|| v5 descriptor) || body
};

// §9.3 steps 1-5 restated on raw bytes, v4 and v5. Returns true iff the quote is structurally
// valid; `strict` refuses a non-zero byte after the signature data (zero padding is accepted).
bool invariants_hold(const std::uint8_t* q, std::size_t n, bool strict, Layout* layout = nullptr) {
  static const std::uint8_t kIntel[16] = {0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                          0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07};
  if (n < 636 || n > 65536) return false;
  const std::uint32_t version = le(q, 2);
  if ((version != 4 && version != 5) || le(q + 2, 2) != 2 || le(q + 4, 4) != 0x81) return false;
  if (std::memcmp(q + 12, kIntel, 16) != 0) return false;
  Layout l;
  if (version == 5) {
    const std::uint32_t type = le(q + 48, 2), size = le(q + 50, 4);
    if (type == 2 && size == 584) l = {54, 638};
    else if (type == 3 && size == 648) l = {54, 702};
    else return false;
  }
  if (n < l.signed_size + 4) return false;
  const std::uint64_t s = le(q + l.signed_size, 4);
  const std::size_t sig_at = l.signed_size + 4;
  if (s < 134 || sig_at + s > n) return false;
  if (strict)
    for (std::size_t i = sig_at + s; i < n; ++i)
      if (q[i] != 0) return false;
  const std::uint8_t* sd = q + sig_at;
  if (le(sd + 128, 2) != 6) return false;
  const std::uint64_t m = le(sd + 130, 4);
  if (134 + m != s || m < 384 + 64 + 2) return false;
  const std::uint64_t a = le(sd + 134 + 384 + 64, 2);
  // After A bytes of QE auth data: inner type (2) and size (4) must fit, then P fills M exactly.
  if (384 + 64 + 2 + a + 6 > m) return false;
  const std::uint8_t* inner = sd + 134 + 384 + 64 + 2 + a;
  if (le(inner, 2) != 5) return false;
  const std::uint64_t p = le(inner + 2, 4);
  if (384 + 64 + 2 + a + 6 + p != m) return false;
  for (std::size_t i = l.body + 112; i < l.body + 120; ++i)
    if (q[i] != 0) return false;  // SEAMATTRIBUTES
  if (layout) *layout = l;
  return true;
}

template <std::size_t N>
bool at(const ByteArray<N>& field, const std::uint8_t* q, std::size_t off) {
  return std::memcmp(field.data(), q + off, N) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView quote(data, size);
  for (Profile profile : {Profile::seed_spec, Profile::sdk_compat}) {
    const bool compat = profile == Profile::sdk_compat;
    auto parsed = tdx::parse_quote(quote, profile);
    Layout l;
    const bool expected = invariants_hold(data, size, !compat, &l);
    FUZZ_ASSERT(parsed.ok() == expected, "parse_quote verdict differs from the §9.3 invariants");
    if (!parsed) continue;
    const tdx::QuoteV4& v = *parsed;
    const std::size_t b = l.body - 48, sd = l.signed_size + 4;  // shift of the body, signature data
    FUZZ_ASSERT(at(v.user_data, data, 28) && at(v.mr_td, data, b + 184) && at(v.td_attributes, data, b + 168) &&
                    at(v.report_data, data, b + 568) && at(v.rtmr[0], data, b + 376) &&
                    at(v.rtmr[3], data, b + 520) && at(v.ecdsa_signature, data, sd) &&
                    at(v.attestation_key, data, sd + 64),
                "parsed field differs from the bytes at its offset");
    const Bytes again = tdx::serialize_quote(v);
    FUZZ_ASSERT(again == Bytes(quote.begin(), quote.end()), "serialize(parse(q)) != q");
  }

  // VerifyPeerQuote in mock mode: accept => marker + mock signature + nonce binding at 568.
  static const Bytes nonce = fuzz::unhex(fuzz::golden::kV3Nonce);
  static const Bytes digest = fuzz::ossl_sha256(nonce);
  const std::string quote_b64 = codec::b64_encode(quote);
  for (Profile profile : {Profile::seed_spec, Profile::hardened}) {
    PeerQuoteCheck check;
    check.profile = profile;
    check.mode = AttestationMode::mock;
    check.quote_b64 = quote_b64;
    check.nonce = nonce;
    check.local_env = "dev";
    if (profile == Profile::hardened) check.key_binding = ByteArray<32>{};
    if (!verify_peer_quote(check)) continue;
    Layout l;
    FUZZ_ASSERT(invariants_hold(data, size, true, &l) && l.body == 48,
                "peer quote accepted without a valid v4 structure (mock quotes stay v4)");
    FUZZ_ASSERT(std::memcmp(data + 28, tdx::kMockMarker.data(), 20) == 0, "mock-mode accept without the marker");
    Bytes sig_input = to_bytes("PNC-MOCK-SIG");
    sig_input.insert(sig_input.end(), data, data + 632);
    FUZZ_ASSERT(std::memcmp(fuzz::ossl_sha512(sig_input).data(), data + 636, 64) == 0,
                "mock-mode accept without a valid mock signature");
    FUZZ_ASSERT(std::memcmp(digest.data(), data + 568, 32) == 0, "accept without SHA256(N) at 568");
  }
  return 0;
}
