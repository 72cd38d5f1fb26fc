// ed25519_test.json: Wycheproof EddsaVerify layout, one group per public key. Strict verification
// of §0.4: golden V4/V9 signatures, S + L and other S >= L, every signature byte and message
// byte modified, wrong lengths, small-order / non-canonical R and A (§12.3), RFC 8032 vectors and
// pseudorandom keys.
#include "common.hpp"
#include "pnc/crypto.hpp"
#include "spec_tables.hpp"

namespace pnc::vectors {
namespace {

OJson key_group(const Bytes& pk) {
  return {{"publicKey", {{"type", "EDDSAPublicKey"}, {"curve", "edwards25519"}, {"keySize", 255}, {"pk", hex(pk)}}},
          {"publicKeyDer", "302a300506032b6570032100" + hex(pk)}};
}

}  // namespace

VectorFile gen_ed25519(const Golden& g) {
  VectorFile f("ed25519_test.json", "EDDSA", "eddsa_verify_schema_v1.json",
               {"Ed25519 (RFC 8032, pure) with the strict verification of PROTOCOL.md §0.4: S >= L,",
                "non-canonical or small-order A and R are rejected (libsodium >= 1.0.16,",
                "ed25519-dalek verify_strict). Used by signed requests (§6) and MinerTokens (§7)."});
  f.note("Ktv", "BASIC", "Known test vector from RFC 8032 or PROTOCOL.md §13.",
         "A failure means the implementation or the test setup is broken.");
  f.note("Valid", "BASIC", "A valid signature by a pseudorandom key.", "Valid signatures are rejected.");
  f.note("SignatureMalleability", "SIGNATURE_MALLEABILITY",
         "S >= L (S + L, S = L, S = 2^256 - 1). Strict verification requires S < L (N-ED-01, N-ED-02).",
         "A second valid encoding of a signature exists: replay caches keyed by signature are bypassed.");
  f.note("ModifiedSignature", "AUTH_BYPASS", "One bit of R or S is flipped (N-ED-05).",
         "Forged signatures are accepted.");
  f.note("ModifiedMessage", "AUTH_BYPASS", "One bit of the message is flipped (N-ED-05).",
         "Signatures do not bind the message.");
  f.note("WrongKey", "AUTH_BYPASS", "A valid signature by a different key (N-ED-05).",
         "Signatures do not bind the signer.");
  f.note("InvalidSignatureLength", "EDGE_CASE", "The signature is 63 or 65 bytes (N-ED-06).",
         "Truncated or padded signatures are accepted.");
  f.note("SmallOrderPublicKey", "AUTH_BYPASS",
         "A is a small-order or non-canonical encoding of §12.3 (N-ED-03). Lenient (non-strict) "
         "verifiers such as OpenSSL may accept a signature with R = identity, S = 0 under it.",
         "Anyone can produce signatures that verify under a weak key.");
  f.note("SmallOrderR", "MALLEABILITY", "R is a small-order or non-canonical encoding of §12.3 (N-ED-04).",
         "Signatures become malleable; strict verifiers reject them.");

  const Bytes seed = g.h("V4", "seed"), pk = g.h("V4", "pk");
  const std::string canonical = g.s("V4", "canonical"), canonical_empty = g.s("V4", "canonical_empty");
  const Bytes msg = to_bytes(canonical), msg_empty = to_bytes(canonical_empty);
  const Bytes sig = g.b("V4", "sig_b64"), sig_empty = g.b("V4", "sig_empty_b64");
  const auto sign = [](const Bytes& s, const Bytes& m) {
    const auto sg = crypto::ed25519_sign(s, m);
    return Bytes(sg.begin(), sg.end());
  };
  check_eq(sign(seed, msg), sig, "V4 signature");
  check_eq(sign(seed, msg_empty), sig_empty, "V4 empty-body signature");
  auto add = [&](const Case& c, const Bytes& m, const Bytes& s) {
    f.add(c, {{"msg", hex(m)}, {"sig", hex(s)}});
  };

  // The V4 key: golden signatures and every single-fault mutation of them.
  f.group("EddsaVerify", key_group(pk));
  add({"V4 canonical string", {"Ktv"}, {"V4"}}, msg, sig);
  add({"V4 empty body, empty session token", {"Ktv"}, {"V4"}}, msg_empty, sig_empty);
  const Bytes s_plus_l = g.b("V4", "sig_s_plus_l_b64");
  add({"V4 with S + L (golden non-canonical signature)", {"SignatureMalleability"}, {"N-ED-01", "N-SIG-16", "V4"},
       invalid()}, msg, s_plus_l);
  Bytes s_eq_l(sig.begin(), sig.begin() + 32);
  for (auto b : unhex(kEd25519OrderLE)) s_eq_l.push_back(b);
  add({"S = L", {"SignatureMalleability"}, {"N-ED-02"}, invalid()}, msg, s_eq_l);
  Bytes s_max(sig.begin(), sig.begin() + 32);
  s_max.resize(64, 0xff);
  add({"S = 2^256 - 1", {"SignatureMalleability"}, {"N-ED-02"}, invalid()}, msg, s_max);
  for (std::size_t i = 0; i < 64; ++i)
    add({std::string(i < 32 ? "R" : "S") + " byte " + std::to_string(i % 32) + " bit 0 flipped",
         {"ModifiedSignature"}, {"N-ED-05"}, invalid()}, msg, flip(sig, i));
  add({"R byte 31 bit 7 (x sign) flipped", {"ModifiedSignature"}, {"N-ED-05"}, invalid()}, msg, flip(sig, 31, 0x80));
  for (std::size_t i = 0; i < msg.size(); i += 4)
    add({"message byte " + std::to_string(i) + " bit 0 flipped", {"ModifiedMessage"}, {"N-ED-05", "N-SIG-08"},
         invalid()}, flip(msg, i), sig);
  add({"message with a trailing LF", {"ModifiedMessage"}, {"N-ED-05", "N-SIG-12"}, invalid()},
      concat(msg, {0x0a}), sig);
  add({"empty message", {"ModifiedMessage"}, {"N-ED-05"}, invalid()}, {}, sig);
  add({"signature of the same message by the V9 issuer key", {"WrongKey"}, {"N-ED-05", "N-SIG-14"}, invalid()},
      msg, sign(g.h("V9", "issuer_seed"), msg));
  add({"signature truncated to 63 bytes", {"InvalidSignatureLength"}, {"N-ED-06"}, invalid()}, msg,
      Bytes(sig.begin(), sig.end() - 1));
  add({"signature with one byte appended (65 bytes)", {"InvalidSignatureLength"}, {"N-ED-06"}, invalid()}, msg,
      concat(sig, {0x00}));
  add({"empty signature", {"InvalidSignatureLength"}, {"N-ED-06"}, invalid()}, msg, {});
  for (std::size_t i = 0; i < kBadEd25519Points.size(); ++i) {
    Bytes r = unhex(kBadEd25519Points[i]);
    r.insert(r.end(), sig.begin() + 32, sig.end());
    add({"R = §12.3 encoding #" + std::to_string(i + 1), {"SmallOrderR"}, {"N-ED-04"}, invalid()}, msg, r);
    Bytes r0 = unhex(kBadEd25519Points[i]);
    r0.resize(64, 0);
    add({"R = §12.3 encoding #" + std::to_string(i + 1) + ", S = 0", {"SmallOrderR"}, {"N-ED-04"}, invalid()}, msg, r0);
  }

  // §12.3 weak public keys: the V4 signature, and R = identity, S = 0 (which satisfies the
  // cofactorless equation whenever [k]A is the identity, e.g. always for A = identity).
  Bytes identity_zero = unhex(kBadEd25519Points[0]);
  identity_zero.resize(64, 0);
  for (std::size_t i = 0; i < kBadEd25519Points.size(); ++i) {
    const Bytes a = unhex(kBadEd25519Points[i]);
    check(!crypto::ed25519_public_key_is_valid(a), "§12.3 key accepted as valid");
    f.group("EddsaVerify", key_group(a));
    const std::string name = "A = §12.3 encoding #" + std::to_string(i + 1);
    add({name + ", V4 signature", {"SmallOrderPublicKey"}, {"N-ED-03"}, invalid()}, msg, sig);
    add({name + ", R = identity, S = 0", {"SmallOrderPublicKey"}, {"N-ED-03"}, invalid()}, msg, identity_zero);
    add({name + ", R = identity, S = 0, empty message", {"SmallOrderPublicKey"}, {"N-ED-03"}, invalid()}, {},
        identity_zero);
  }

  // RFC 8032 §7.1 vectors (one group per key).
  for (const auto& rv : g.rfc()["ed25519"]) {
    const Bytes rs = unhex(rv["seed"].get<std::string>()), rp = unhex(rv["public"].get<std::string>());
    const Bytes rm = unhex(rv["message"].get<std::string>()), rsig = unhex(rv["signature"].get<std::string>());
    check_eq(sign(rs, rm), rsig, rv["rfc"].get<std::string>());
    f.group("EddsaVerify", key_group(rp));
    add({rv["rfc"].get<std::string>(), {"Ktv"}, {"§0.4"}}, rm, rsig);
    add({rv["rfc"].get<std::string>() + ", last S byte bit 0 flipped", {"ModifiedSignature"}, {"N-ED-05"}, invalid()},
        rm, flip(rsig, 63));
  }

  // Pseudorandom keys and messages of assorted lengths.
  DeterministicRng rng(std::uint64_t{0xed25519});
  for (int k = 0; k < 8; ++k) {
    const Bytes s = rng.bytes(32);
    const auto kp = crypto::ed25519_from_seed(s);
    f.group("EddsaVerify", key_group(Bytes(kp.pub.begin(), kp.pub.end())));
    for (std::size_t len : {0u, 1u, 13u, 32u, 64u, 100u, 255u}) {
      const Bytes m = rng.bytes(len);
      add({"pseudorandom key " + std::to_string(k + 1) + ", " + std::to_string(len) + "-byte message", {"Valid"},
           {"§0.4"}}, m, sign(s, m));
    }
    const Bytes m = rng.bytes(40);
    add({"pseudorandom key " + std::to_string(k + 1) + ", signature of another message", {"ModifiedMessage"},
         {"N-ED-05"}, invalid()}, m, sign(s, rng.bytes(40)));
  }
  return f;
}

}  // namespace pnc::vectors
