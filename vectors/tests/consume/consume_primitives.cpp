// Consumers of the Wycheproof-layout primitive files: x25519, ed25519, hkdf_sha256,
// chacha20_poly1305 and xchacha20_poly1305 (the group's ivSize selects the AEAD).
#include "pnc/crypto.hpp"
#include "runner.hpp"

namespace pnc::vectors {

Verdict run_x25519(const Json&, const Json& t, Profile) {
  const auto r = crypto::x25519(hex_field(t, "private"), hex_field(t, "public"));
  if (!r.ok()) return {false, {}};
  return {true, compare("shared", r->view(), hex_field(t, "shared"))};
}

Verdict run_ed25519(const Json& g, const Json& t, Profile) {
  const Bytes pk = hex_field(g["publicKey"], "pk");
  return {crypto::ed25519_verify(pk, hex_field(t, "msg"), hex_field(t, "sig")).ok(), {}};
}

Verdict run_hkdf(const Json&, const Json& t, Profile) {
  const auto okm = crypto::hkdf_sha256(hex_field(t, "salt"), hex_field(t, "ikm"), hex_field(t, "info"),
                                       t["size"].get<std::size_t>());
  return {true, compare("okm", okm.view(), hex_field(t, "okm"))};
}

Verdict run_aead(const Json& g, const Json& t, Profile) {
  const bool x = g["ivSize"].get<int>() == 192;
  const Bytes key = hex_field(t, "key"), iv = hex_field(t, "iv"), aad = hex_field(t, "aad");
  Bytes ct = hex_field(t, "ct");
  const Bytes tag = hex_field(t, "tag");
  ct.insert(ct.end(), tag.begin(), tag.end());
  const auto opened = x ? crypto::xaead_open(key, iv, ct, aad) : crypto::aead_open(key, iv, ct, aad);
  if (!opened.ok()) return {false, {}};
  std::string mismatch = compare("msg", opened.value(), hex_field(t, "msg"));
  // Sealing is deterministic: it must reproduce ct || tag exactly.
  const auto sealed = x ? crypto::xaead_seal(key, iv, opened.value(), aad) : crypto::aead_seal(key, iv, opened.value(), aad);
  if (mismatch.empty()) mismatch = sealed.ok() ? compare("ct||tag", sealed.value(), ct) : "seal failed";
  return {true, mismatch};
}

}  // namespace pnc::vectors
