// x25519_test.json: Wycheproof XdhComp layout. RFC 7748 / golden V1 key pairs, the 14 low-order
// points of §12.2 (every profile aborts on an all-zero shared secret), non-canonical u, and
// pseudorandom pairs.
#include "common.hpp"
#include "pnc/crypto.hpp"
#include "spec_tables.hpp"

namespace pnc::vectors {

VectorFile gen_x25519(const Golden& g) {
  VectorFile f("x25519_test.json", "XDH", "xdh_comp_schema_v1.json",
               {"X25519 (RFC 7748) as used by the WebSocket key exchange (PROTOCOL.md §4), the",
                "credential transfer (§8.4) and the sealed box (§8.2). Every party of the protocol",
                "rejects an all-zero shared secret (§0.4, §12.2): such cases are invalid and carry",
                "shared = 32 zero bytes, the value X25519 itself computes."});
  f.note("Ktv", "BASIC", "Known test vector from RFC 7748 or PROTOCOL.md §13.",
         "A failure means the implementation or the test setup is broken.");
  f.note("Normal", "BASIC", "Pseudorandom key pair from the generator's fixed seed.",
         "A failure means X25519 is computed incorrectly.");
  f.note("ZeroSharedSecret", "MISSING_STEP",
         "The public key is one of the 14 low-order encodings of §12.2; the shared secret is all "
         "zero and the protocol requires aborting the exchange.",
         "Accepting it lets an attacker force a known session key (N-X-01..05, D-33).");
  f.note("NonCanonicalPublic", "EDGE_CASE",
         "The u-coordinate has bit 255 set or is >= p. RFC 7748 §5 masks bit 255 and reduces mod p; "
         "the result equals the canonical computation.",
         "Rejecting it breaks interoperability; computing something else breaks key agreement.");

  f.group("XdhComp", {{"curve", "curve25519"}});
  auto add = [&](const Case& c, const Bytes& priv, const Bytes& pub, const Bytes& shared) {
    f.add(c, {{"public", hex(pub)}, {"private", hex(priv)}, {"shared", hex(shared)}});
  };
  auto compute = [](const Bytes& sk, const Bytes& pk) {
    auto r = crypto::x25519(sk, pk);
    return r.ok() ? Bytes(r->view().begin(), r->view().end()) : Bytes{};
  };

  const Bytes val_sk = g.h("V1", "val_sk"), chal_sk = g.h("V1", "chal_sk");
  const Bytes val_pub = g.h("V1", "val_pub"), chal_pub = g.h("V1", "chal_pub");
  const Bytes shared = g.h("V1", "shared");
  check_eq(compute(val_sk, chal_pub), shared, "V1 shared (val side)");
  check_eq(compute(chal_sk, val_pub), shared, "V1 shared (chal side)");
  add({"V1 validator side", {"Ktv"}, {"V1", "V10"}}, val_sk, chal_pub, shared);
  add({"V1 challenge side", {"Ktv"}, {"V1", "V10"}}, chal_sk, val_pub, shared);
  const Bytes v6_eph = g.h("V6", "eph_sk"), v6_x_pk = g.h("V6", "x25519_pk");
  add({"V6 sealed-box ephemeral with recipient key", {"Ktv"}, {"V6"}}, v6_eph, v6_x_pk,
      compute(v6_eph, v6_x_pk));
  for (const auto& rv : g.rfc()["x25519"]) {
    const Bytes sk = unhex(rv["scalar"].get<std::string>()), u = unhex(rv["u"].get<std::string>());
    const Bytes out = unhex(rv["out"].get<std::string>());
    check_eq(compute(sk, u), out, rv["rfc"].get<std::string>());
    add({rv["rfc"].get<std::string>(), {"Ktv"}, {"§0.4"}}, sk, u, out);
  }

  // §12.2 low-order points against the V1 secrets and the V6/V7 ephemeral secrets.
  const Bytes zeros(32, 0);
  const std::vector<std::pair<std::string, Bytes>> secrets = {
      {"V1 val_sk", val_sk}, {"V1 chal_sk", chal_sk}, {"V6 eph_sk", v6_eph}};
  for (const auto& [name, sk] : secrets) {
    for (std::size_t i = 0; i < kLowOrderX25519.size(); ++i) {
      const Bytes pub = unhex(kLowOrderX25519[i]);
      check(!crypto::x25519(sk, pub).ok(), "low-order point accepted");
      add({"low-order public key #" + std::to_string(i + 1) + " (§12.2) with " + name,
           {"ZeroSharedSecret"}, {"N-X-01", "N-X-02", "N-X-03", "N-X-04", "N-X-05", "D-33"},
           invalid()},
          sk, pub, zeros);
    }
  }

  // Non-canonical encodings of valid u-coordinates.
  Bytes chal_pub_hi = chal_pub;
  chal_pub_hi[31] |= 0x80;
  add({"V1 chal_pub with bit 255 set", {"NonCanonicalPublic"}, {"§0.4"}}, val_sk, chal_pub_hi, shared);
  Bytes val_pub_hi = val_pub;
  val_pub_hi[31] |= 0x80;
  add({"V1 val_pub with bit 255 set", {"NonCanonicalPublic"}, {"§0.4"}}, chal_sk, val_pub_hi, shared);
  // u = p + 9 and u = 2^255 + 9 (bit 255 set, reduced) both mean u = 9: the result is the public key.
  const Bytes p_plus_9 = unhex("f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  Bytes nine(32, 0);
  nine[0] = 9;
  Bytes nine_hi = nine;
  nine_hi[31] = 0x80;
  add({"u = p + 9 (non-canonical base point)", {"NonCanonicalPublic"}, {"§0.4"}}, val_sk, p_plus_9,
      compute(val_sk, nine));
  add({"u = 9 with bit 255 set", {"NonCanonicalPublic"}, {"§0.4"}}, chal_sk, nine_hi,
      Bytes(chal_pub));

  DeterministicRng rng(std::uint64_t{0x7825519});
  for (int i = 0; i < 64; ++i) {
    const Bytes a = rng.bytes(32), b = rng.bytes(32);
    const auto kp = crypto::x25519_from_secret(b);
    const Bytes pub(kp.pub.begin(), kp.pub.end());
    add({"pseudorandom pair " + std::to_string(i + 1), {"Normal"}, {"§0.4"}}, a, pub, compute(a, pub));
  }
  return f;
}

}  // namespace pnc::vectors
