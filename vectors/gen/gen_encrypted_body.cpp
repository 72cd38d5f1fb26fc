// encrypted_body_test.json: the §6.5 HTTP body envelope. BodyEncrypt: the exact envelope a sender
// produces for a given nonce with the [SEED] IETF construction or the [COMPAT] SDK XChaCha quirk
// (D-12, golden V5). BodyDecrypt: what a receiver using one construction accepts (N-SIG-19).
#include "common.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::vectors {
namespace {

using signed_http::BodyCipher;
const char* name_of(BodyCipher c) { return c == BodyCipher::ietf ? "ietf" : "sdk_xchacha"; }

}  // namespace

VectorFile gen_encrypted_body(const Golden& g) {
  VectorFile f("encrypted_body_test.json", "PNC-ENCRYPTED-BODY", "pnc_encrypted_body_schema_v1.json",
               {"Encrypted HTTP bodies (PROTOCOL.md §6.5). `construction` ietf = ChaCha20-Poly1305(key, n12)",
                "([SEED], what VAL decrypts); sdk_xchacha = XChaCha20-Poly1305(key, n12 || 0^12) still labelled",
                "chacha20poly1305 (the SDK sender, D-12). BodyEncrypt: sealing `msg` with `nonce` must give `body`",
                "exactly. BodyDecrypt: opening `body` must give `msg` (valid) or fail (invalid)."});
  f.note("Ktv", "BASIC", "The golden values of PROTOCOL.md §13 V5.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A correctly sealed body.", "Valid bodies are refused.");
  f.note("EmptyPlaintext", "EDGE_CASE", "Empty plaintext: the ciphertext is the 16-byte tag alone (§6.3 D-18).",
         "Empty bodies cannot be exchanged.");
  f.note("WrongConstruction", "WRONG_PRIMITIVE", "Sealed with the other construction (N-SIG-19, D-12).",
         "Two constructions are accepted under one label.");
  f.note("ModifiedCiphertext", "AUTH_BYPASS", "Tag, ciphertext or nonce modified.", "Forged bodies are accepted.");
  f.note("BadEnvelope", "MISSING_STEP", "Not a JSON object with string enc/nonce/ciphertext, wrong lengths, wrong label.",
         "Malformed bodies reach the handler.");

  const Bytes k = g.h("V5", "key"), n12 = g.h("V5", "nonce");
  const std::string pt = g.s("V5", "plaintext");
  auto seal = [&](const Bytes& key, const Bytes& nonce, const std::string& m, BodyCipher c) {
    auto r = signed_http::encrypt_body_with_nonce(key, nonce, to_bytes(m), c);
    check(r.ok(), "encrypt_body");
    return r.ok() ? r.value() : std::string{};
  };
  const std::string ietf = seal(k, n12, pt, BodyCipher::ietf), quirk = seal(k, n12, pt, BodyCipher::sdk_xchacha);
  check_eq(ietf, R"({"enc":"chacha20poly1305","nonce":")" + b64(n12) + R"(","ciphertext":")" + b64(g.h("V5", "ietf_ct")) + "\"}",
           "V5 ietf body");
  check_eq(quirk, R"({"enc":"chacha20poly1305","nonce":")" + b64(n12) + R"(","ciphertext":")" + b64(g.h("V5", "sdk_xchacha_ct")) + "\"}",
           "V5 quirk body");

  DeterministicRng rng(std::uint64_t{0xb0d1});
  for (BodyCipher c : {BodyCipher::ietf, BodyCipher::sdk_xchacha}) {
    f.group("BodyEncrypt", {{"construction", name_of(c)}});
    auto add = [&](const Case& cs, const Bytes& key, const Bytes& nonce, const std::string& m) {
      f.add(cs, {{"key", hex(key)}, {"nonce", hex(nonce)}, {"msg", m}, {"body", seal(key, nonce, m, c)}});
    };
    add({"V5 plaintext", {"Ktv"}, {"V5", c == BodyCipher::ietf ? "§6.5" : "D-12"}}, k, n12, pt);
    add({"empty plaintext", {"EmptyPlaintext"}, {"§6.3", "D-18"}}, k, n12, "");
    for (int i = 0; i < 10; ++i) {
      const std::string m = R"({"score":0.)" + std::to_string(i) + R"(,"logs":")" + hex(rng.bytes(static_cast<std::size_t>(i * 9))) + "\"}";
      add({"pseudorandom body " + std::to_string(i + 1), {"Valid"}, {"§6.5"}}, rng.bytes(32), rng.bytes(12), m);
    }
  }
  for (BodyCipher c : {BodyCipher::ietf, BodyCipher::sdk_xchacha}) {
    const BodyCipher other = c == BodyCipher::ietf ? BodyCipher::sdk_xchacha : BodyCipher::ietf;
    const std::string mine = c == BodyCipher::ietf ? ietf : quirk;
    f.group("BodyDecrypt", {{"construction", name_of(c)}});
    auto add = [&](const Case& cs, const std::string& body, const std::string& m, const Bytes& key) {
      f.add(cs, {{"key", hex(key)}, {"body", body}, {"msg", m}});
    };
    add({"V5 body of this construction", {"Ktv"}, {"V5"}}, mine, pt, k);
    add({"V5 body of the other construction", {"WrongConstruction"}, {"N-SIG-19", "D-12"}, invalid()},
        c == BodyCipher::ietf ? quirk : ietf, pt, k);
    add({"empty plaintext", {"EmptyPlaintext"}, {"D-18"}}, seal(k, n12, "", c), "", k);
    add({"empty plaintext of the other construction", {"WrongConstruction"}, {"D-12"}, invalid()}, seal(k, n12, "", other), "", k);
    const Bytes ct = (c == BodyCipher::ietf) ? g.h("V5", "ietf_ct") : g.h("V5", "sdk_xchacha_ct");
    auto env = [&](const std::string& enc, const Bytes& nonce, const Bytes& cbytes) {
      return R"({"enc":")" + enc + R"(","nonce":")" + b64(nonce) + R"(","ciphertext":")" + b64(cbytes) + "\"}";
    };
    add({"last tag byte flipped", {"ModifiedCiphertext"}, {"N-SIG-19"}, invalid()}, env("chacha20poly1305", n12, flip(ct, ct.size() - 1)), pt, k);
    add({"first ciphertext byte flipped", {"ModifiedCiphertext"}, {"N-SIG-19"}, invalid()}, env("chacha20poly1305", n12, flip(ct, 0)), pt, k);
    add({"nonce byte flipped", {"ModifiedCiphertext"}, {"N-SIG-19"}, invalid()}, env("chacha20poly1305", flip(n12, 5), ct), pt, k);
    add({"another key", {"ModifiedCiphertext"}, {"N-SIG-19"}, invalid()}, mine, pt, flip(k, 0));
    add({"enc = xchacha20poly1305", {"BadEnvelope"}, {"§6.5", "D-20"}, invalid()}, env("xchacha20poly1305", n12, ct), pt, k);
    add({"enc = \"\"", {"BadEnvelope"}, {"§6.5"}, invalid()}, env("", n12, ct), pt, k);
    for (std::size_t n : {11u, 13u, 24u})
      add({"nonce of " + std::to_string(n) + " bytes", {"BadEnvelope"}, {"N-ENC-05"}, invalid()}, env("chacha20poly1305", Bytes(n, 0xa0), ct), pt, k);
    add({"ciphertext of 15 bytes", {"BadEnvelope"}, {"N-ENV-03"}, invalid()}, env("chacha20poly1305", n12, Bytes(ct.begin(), ct.begin() + 15)), pt, k);
    add({"extra member and other member order", {"Valid"}, {"§6.5"}},
        R"({"ciphertext":")" + b64(ct) + R"(","x":1,"nonce":")" + b64(n12) + R"(","enc":"chacha20poly1305"})", pt, k);
    for (const std::string bad : {"", "null", "[]", R"({"score":0.5})", R"({"enc":"chacha20poly1305","nonce":1,"ciphertext":"AAAA"})",
                                  R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr"})"})
      add({"not an envelope: " + (bad.empty() ? std::string("empty body") : bad), {"BadEnvelope"}, {"§6.5", "N-ENV-14"}, invalid()}, bad, pt, k);
  }
  return f;
}

}  // namespace pnc::vectors
