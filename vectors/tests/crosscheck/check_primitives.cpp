// Cross-checks of the Wycheproof-layout primitive files and of codec_test.json.
#include <algorithm>

#include "crosscheck.hpp"
#include "pnc/spec_tables.hpp"

namespace xcheck {
namespace {

bool in_table(const Bytes& b, const auto& table) {
  const std::string x = hex(b);
  return std::any_of(table.begin(), table.end(), [&](std::string_view e) { return e == x; });
}

}  // namespace

Outcome check_x25519(const Json&, const Json& t) {
  const auto shared = x25519(h(t, "private"), h(t, "public"));
  if (valid(t)) {
    if (!shared) return bad("OpenSSL refuses the exchange");
    return *shared == h(t, "shared") ? openssl_ok() : bad("shared secret differs: " + hex(*shared));
  }
  // Invalid = all-zero shared secret: OpenSSL refuses it (or computes zeros), and the key is a §12.2 point.
  if (shared && *shared != Bytes(32, 0)) return bad("OpenSSL computes a non-zero secret " + hex(*shared));
  if (!in_table(h(t, "public"), pnc::spec::kLowOrderX25519Hex)) return bad("public key not in §12.2");
  return openssl_ok();
}

Outcome check_ed25519(const Json& g, const Json& t) {
  const Bytes pk = h(g["publicKey"], "pk"), sig = h(t, "sig");
  const bool ok = ed25519_verify(pk, h(t, "msg"), sig);
  if (ok == valid(t)) return openssl_ok();
  // Strict-only rules: OpenSSL's cofactorless check does not refuse small-order A / R. The spec
  // table decides those cases.
  const bool weak_a = has_flag(t, "SmallOrderPublicKey") && in_table(pk, pnc::spec::kBadEd25519PointsHex);
  const bool weak_r = has_flag(t, "SmallOrderR") && sig.size() == 64 &&
                      in_table(Bytes(sig.begin(), sig.begin() + 32), pnc::spec::kBadEd25519PointsHex);
  if (!valid(t) && (weak_a || weak_r)) return spec_ok();
  return agree(ok, valid(t), "signature");
}

Outcome check_hkdf(const Json&, const Json& t) {
  const auto okm = hkdf_sha256(h(t, "salt"), h(t, "ikm"), h(t, "info"), t["size"].get<std::size_t>());
  if (!okm) return bad("OpenSSL HKDF failed");
  return agree(*okm == h(t, "okm"), valid(t), "okm");
}

Outcome check_aead(const Json& g, const Json& t) {
  const bool x = g["ivSize"] == 192;
  const Bytes key = h(t, "key"), iv = h(t, "iv"), aad = h(t, "aad"), msg = h(t, "msg");
  const Bytes ct = cat(h(t, "ct"), h(t, "tag"));
  const auto opened = x ? xchacha_open(key, iv, aad, ct) : chacha_open(key, iv, aad, ct);
  if (!valid(t)) return agree(opened.has_value(), false, "open");
  if (!opened || *opened != msg) return bad("OpenSSL does not open to msg");
  const auto sealed = x ? xchacha_seal(key, iv, aad, msg) : chacha_seal(key, iv, aad, msg);
  return sealed && *sealed == ct ? openssl_ok() : bad("OpenSSL seals to other bytes");
}

Outcome check_codec(const Json& g, const Json& t) {
  const std::string type = g["type"].get<std::string>();
  if (type == "JsonParse" || type == "JsonMember") return skip();  // OpenSSL has no JSON
  const std::string in = s(t, "input");
  std::optional<Bytes> out = type == "Base64Decode"    ? b64_strict(in)
                             : type == "HexDecode"     ? hex_openssl(in)
                                                       : b64url_strict(in);
  if (out && t.contains("size") && t["size"].is_number() && out->size() != t["size"].get<std::size_t>()) out.reset();
  if (!valid(t)) return agree(out.has_value(), false, "decode");
  if (!out) return bad("OpenSSL-based strict decode rejects");
  return *out == h(t, "output") ? openssl_ok() : bad("decoded bytes differ");
}

}  // namespace xcheck
