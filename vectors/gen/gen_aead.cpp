// chacha20_poly1305_test.json and xchacha20_poly1305_test.json: Wycheproof AeadTest layout.
// Golden V2 / V5 / V7 ciphertexts (envelope, HTTP body, credential transfer with and without the
// AAD rule of §8.4), RFC 8439 / BoringSSL vectors, every tag byte modified, and pseudorandom
// messages of every length 0..64 (+ block boundaries).
#include "common.hpp"
#include "pnc/crypto.hpp"

namespace pnc::vectors {
namespace {

void aead_notes(VectorFile& f) {
  f.note("Ktv", "BASIC", "Known test vector from RFC 8439, the BoringSSL set, the XChaCha draft or PROTOCOL.md §13.",
         "A failure means the implementation or the test setup is broken.");
  f.note("ProtocolVector", "BASIC", "The construction exactly as a protocol message uses it (§5.1, §6.5, §8.4).",
         "Peers cannot decrypt each other's messages.");
  f.note("Pseudorandom", "BASIC", "Pseudorandom key, nonce, AAD and message; lengths cover 0..64 and block boundaries.",
         "Messages of some lengths are encrypted incorrectly.");
  f.note("ModifiedTag", "AUTH_BYPASS", "One bit of the tag is flipped (N-ENV-04).", "Forged ciphertexts are accepted.");
  f.note("ModifiedCiphertext", "AUTH_BYPASS", "One bit of the ciphertext is flipped (N-ENV-05).",
         "Forged ciphertexts are accepted.");
  f.note("WrongAad", "AUTH_BYPASS",
         "The ciphertext was produced with a different AAD than the one given (N-CRED-10, N-ENV-08).",
         "The AAD is not authenticated.");
}

struct Aead {
  bool x;
  Result<Bytes> seal(const Bytes& k, const Bytes& n, const Bytes& m, const Bytes& a) const {
    return x ? crypto::xaead_seal(k, n, m, a) : crypto::aead_seal(k, n, m, a);
  }
};

void add_aead(VectorFile& f, const Case& c, const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& msg,
              const Bytes& ct_tag) {
  const std::size_t split = ct_tag.size() >= 16 ? ct_tag.size() - 16 : 0;
  f.add(c, {{"key", hex(key)}, {"iv", hex(iv)}, {"aad", hex(aad)}, {"msg", hex(msg)},
            {"ct", hex(Bytes(ct_tag.begin(), ct_tag.begin() + static_cast<std::ptrdiff_t>(split)))},
            {"tag", hex(Bytes(ct_tag.begin() + static_cast<std::ptrdiff_t>(split), ct_tag.end()))}});
}

void pseudorandom(VectorFile& f, const Aead& aead, std::size_t iv_len, std::uint64_t seed) {
  DeterministicRng rng(seed);
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 64; ++n) lengths.push_back(n);
  for (std::size_t n : {127u, 128u, 129u, 255u, 256u, 257u, 1024u}) lengths.push_back(n);
  for (std::size_t n : lengths) {
    const Bytes k = rng.bytes(32), iv = rng.bytes(iv_len), a = rng.bytes(n % 17), m = rng.bytes(n);
    const auto ct = aead.seal(k, iv, m, a);
    check(ct.ok(), "pseudorandom seal");
    add_aead(f, {std::to_string(n) + "-byte message, " + std::to_string(a.size()) + "-byte AAD", {"Pseudorandom"},
                 {"§0.4"}}, k, iv, a, m, ct.ok() ? ct.value() : Bytes{});
  }
}

}  // namespace

VectorFile gen_chacha(const Golden& g) {
  VectorFile f("chacha20_poly1305_test.json", "CHACHA20-POLY1305", "aead_test_schema_v1.json",
               {"ChaCha20-Poly1305 (RFC 8439, 96-bit nonce) as used by the WebSocket envelope (PROTOCOL.md",
                "§5.1), [SEED] HTTP bodies (§6.5) and the credential transfer (§8.4, AAD = e_pk)."});
  aead_notes(f);
  f.group("AeadTest", {{"ivSize", 96}, {"keySize", 256}, {"tagSize", 128}});
  const Aead aead{false};
  const Bytes k = g.h("V1", "key"), n12 = g.h("V2", "nonce"), pt = to_bytes(g.s("V2", "plaintext"));
  const Bytes ct = g.h("V2", "ct_tag_hex");
  check_eq(aead.seal(k, n12, pt, {}).value(), ct, "V2 ciphertext");
  add_aead(f, {"V2 envelope payload", {"Ktv", "ProtocolVector"}, {"V2"}}, k, n12, {}, pt, ct);
  const Bytes ct_x = g.b("V2", "aad_x_ciphertext_b64");
  check_eq(aead.seal(k, n12, pt, to_bytes("x")).value(), ct_x, "V2 AAD x ciphertext");
  add_aead(f, {"V2 payload sealed with AAD \"x\"", {"Ktv"}, {"V2", "N-ENV-08"}}, k, n12, to_bytes("x"), pt, ct_x);
  add_aead(f, {"V2 AAD-\"x\" ciphertext opened without AAD", {"WrongAad"}, {"N-ENV-08"}, invalid()}, k, n12, {}, pt, ct_x);
  add_aead(f, {"V2 ciphertext opened with AAD \"x\"", {"WrongAad"}, {"N-ENV-08"}, invalid()}, k, n12, to_bytes("x"), pt, ct);
  check_eq(g.b("V2", "tampered_tag_ciphertext_b64"), flip(ct, ct.size() - 1), "V2 tampered tag");
  for (std::size_t i = 0; i < 16; ++i)
    add_aead(f, {"V2 tag byte " + std::to_string(i) + " bit 0 flipped", {"ModifiedTag"}, {"N-ENV-04"}, invalid()}, k,
             n12, {}, pt, flip(ct, ct.size() - 16 + i));
  for (std::size_t i = 0; i < pt.size(); i += 5)
    add_aead(f, {"V2 ciphertext byte " + std::to_string(i) + " bit 0 flipped", {"ModifiedCiphertext"}, {"N-ENV-05"},
                 invalid()}, k, n12, {}, pt, flip(ct, i));
  const Bytes v5k = g.h("V5", "key"), v5n = g.h("V5", "nonce"), v5pt = to_bytes(g.s("V5", "plaintext"));
  check_eq(aead.seal(v5k, v5n, v5pt, {}).value(), g.h("V5", "ietf_ct"), "V5 ietf");
  add_aead(f, {"V5 [SEED] HTTP body", {"Ktv", "ProtocolVector"}, {"V5"}}, v5k, v5n, {}, v5pt, g.h("V5", "ietf_ct"));
  const Bytes v7k = g.h("V7", "key"), v7n = g.b("V7", "nonce_b64"), v7pt = to_bytes(g.s("V7", "plaintext"));
  const Bytes e_pk = g.b("V7", "eph_pk_b64");
  const Bytes with_aad = g.b("V7", "ct_with_aad_b64"), no_aad = g.b("V7", "ct_no_aad_b64");
  check_eq(aead.seal(v7k, v7n, v7pt, e_pk).value(), with_aad, "V7 with AAD");
  check_eq(aead.seal(v7k, v7n, v7pt, {}).value(), no_aad, "V7 without AAD");
  add_aead(f, {"V7 credential transfer, [SEED] AAD = e_pk", {"Ktv", "ProtocolVector"}, {"V7"}}, v7k, v7n, e_pk, v7pt,
           with_aad);
  add_aead(f, {"V7 platform-api ciphertext (no AAD) opened without AAD", {"Ktv", "ProtocolVector"}, {"V7", "D-25"}},
           v7k, v7n, {}, v7pt, no_aad);
  add_aead(f, {"V7 platform-api ciphertext opened with the SEED rule AAD = e_pk", {"WrongAad"}, {"N-CRED-10", "D-25"},
               invalid()}, v7k, v7n, e_pk, v7pt, no_aad);
  add_aead(f, {"V7 SEED ciphertext opened with AAD = empty", {"WrongAad"}, {"N-CRED-10"}, invalid()}, v7k, v7n, {},
           v7pt, with_aad);
  for (const auto& rv : g.rfc()["chacha20poly1305"]) {
    const Bytes rk = unhex(rv["key"].get<std::string>()), rn = unhex(rv["nonce"].get<std::string>());
    const Bytes ra = unhex(rv["aad"].get<std::string>()), rm = unhex(rv["plaintext"].get<std::string>());
    const Bytes rc = concat(unhex(rv["ciphertext"].get<std::string>()), unhex(rv["tag"].get<std::string>()));
    check_eq(aead.seal(rk, rn, rm, ra).value(), rc, rv["rfc"].get<std::string>());
    add_aead(f, {rv["rfc"].get<std::string>(), {"Ktv"}, {"§0.4"}}, rk, rn, ra, rm, rc);
  }
  pseudorandom(f, aead, 12, 0xc4ac4a);
  return f;
}

VectorFile gen_xchacha(const Golden& g) {
  VectorFile f("xchacha20_poly1305_test.json", "XCHACHA20-POLY1305", "aead_test_schema_v1.json",
               {"XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha, libsodium *_xchacha20poly1305_ietf_*), needed",
                "only to reproduce the [COMPAT] SDK HTTP-body quirk (PROTOCOL.md §6.5, D-12): nonce =",
                "n12 || 0^12. XChaCha(k, N24) = ChaCha20-Poly1305(HChaCha20(k, N24[0:16]), 0^4 || N24[16:24])."});
  aead_notes(f);
  f.group("AeadTest", {{"ivSize", 192}, {"keySize", 256}, {"tagSize", 128}});
  const Aead aead{true};
  const Bytes v5k = g.h("V5", "key"), v5pt = to_bytes(g.s("V5", "plaintext"));
  Bytes n24 = g.h("V5", "nonce");
  n24.resize(24, 0);
  const Bytes quirk = g.h("V5", "sdk_xchacha_ct");
  check_eq(aead.seal(v5k, n24, v5pt, {}).value(), quirk, "V5 xchacha");
  add_aead(f, {"V5 [COMPAT] SDK HTTP body, nonce = n12 || 0^12", {"Ktv", "ProtocolVector"}, {"V5", "D-12"}}, v5k, n24,
           {}, v5pt, quirk);
  for (std::size_t i = 0; i < 16; ++i)
    add_aead(f, {"V5 tag byte " + std::to_string(i) + " bit 0 flipped", {"ModifiedTag"}, {"N-SIG-19"}, invalid()}, v5k,
             n24, {}, v5pt, flip(quirk, quirk.size() - 16 + i));
  add_aead(f, {"V5 ciphertext byte 0 bit 0 flipped", {"ModifiedCiphertext"}, {"N-SIG-19"}, invalid()}, v5k, n24, {},
           v5pt, flip(quirk, 0));
  add_aead(f, {"V5 quirk ciphertext opened with AAD \"x\"", {"WrongAad"}, {"N-SIG-19"}, invalid()}, v5k, n24,
           to_bytes("x"), v5pt, quirk);
  // draft-irtf-cfrg-xchacha-03 §A.3.1 inputs (the generator checks the published tag).
  Bytes dk(32), dn(24);
  for (std::size_t i = 0; i < 32; ++i) dk[i] = static_cast<std::uint8_t>(0x80 + i);
  for (std::size_t i = 0; i < 24; ++i) dn[i] = static_cast<std::uint8_t>(0x40 + i);
  const Bytes da = unhex("50515253c0c1c2c3c4c5c6c7");
  const Bytes dm = to_bytes(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen "
      "would be it.");
  const Bytes dc = aead.seal(dk, dn, dm, da).value();
  check_eq(Bytes(dc.end() - 16, dc.end()), unhex("c0875924c1c7987947deafd8780acf49"), "XChaCha draft A.3.1 tag");
  add_aead(f, {"draft-irtf-cfrg-xchacha-03 A.3.1", {"Ktv"}, {"§0.4"}}, dk, dn, da, dm, dc);
  pseudorandom(f, aead, 24, 0x8c4ac4a);
  return f;
}

}  // namespace pnc::vectors
