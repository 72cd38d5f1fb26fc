// Deterministic ECDSA P-256 on OpenSSL's EC / BIGNUM primitives (ecdsa.hpp).
#include "pnc/mock_tdx/ecdsa.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <initializer_list>
#include <memory>
#include <new>

#include "pnc/crypto.hpp"

namespace pnc::mock_tdx {
namespace {

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct BnCtxFree { void operator()(BN_CTX* p) const { BN_CTX_free(p); } };
struct GroupFree { void operator()(EC_GROUP* p) const { EC_GROUP_free(p); } };
struct PointFree { void operator()(EC_POINT* p) const { EC_POINT_free(p); } };
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;
using Point = std::unique_ptr<EC_POINT, PointFree>;

// On valid, fixed-size inputs these OpenSSL calls fail only when memory runs out: reported like
// any other allocation failure, never as a verdict.
void need(bool ok, const char* /*what*/) {
  if (!ok) throw std::bad_alloc();
}

const EC_GROUP* p256() {
  static const std::unique_ptr<EC_GROUP, GroupFree> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  need(group != nullptr, "EC_GROUP_new_by_curve_name");
  return group.get();
}
const BIGNUM* order() { return EC_GROUP_get0_order(p256()); }

Bn bn(ByteView big_endian) {
  Bn b(BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr));
  need(b != nullptr, "BN_bin2bn");
  return b;
}
Bn bn_new() {
  Bn b(BN_new());
  need(b != nullptr, "BN_new");
  return b;
}
ByteArray<32> to32(const BIGNUM* b) {
  ByteArray<32> out{};
  need(BN_bn2binpad(b, out.data(), 32) == 32, "BN_bn2binpad");
  return out;
}
BnCtx ctx_new() {
  BnCtx c(BN_CTX_new());
  need(c != nullptr, "BN_CTX_new");
  return c;
}

// 1 <= v < n
bool in_range(const BIGNUM* v) { return !BN_is_zero(v) && !BN_is_negative(v) && BN_cmp(v, order()) < 0; }

ByteArray<64> public_point(const BIGNUM* d, BN_CTX* ctx) {
  Point p(EC_POINT_new(p256()));
  need(p != nullptr, "EC_POINT_new");
  need(EC_POINT_mul(p256(), p.get(), d, nullptr, nullptr, ctx) == 1, "EC_POINT_mul");
  Bn x = bn_new(), y = bn_new();
  need(EC_POINT_get_affine_coordinates(p256(), p.get(), x.get(), y.get(), ctx) == 1, "get_affine_coordinates");
  ByteArray<64> xy{};
  const auto xb = to32(x.get()), yb = to32(y.get());
  std::copy(xb.begin(), xb.end(), xy.begin());
  std::copy(yb.begin(), yb.end(), xy.begin() + 32);
  return xy;
}

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// DER INTEGER of a non-negative big-endian magnitude: minimal, 0x00 prefix when the top bit is set.
void der_uint(Bytes& out, ByteView magnitude) {
  std::size_t i = 0;
  while (i + 1 < magnitude.size() && magnitude[i] == 0) ++i;
  const bool pad = (magnitude[i] & 0x80) != 0;
  out.push_back(0x02);
  out.push_back(static_cast<std::uint8_t>(magnitude.size() - i + (pad ? 1 : 0)));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), magnitude.begin() + static_cast<std::ptrdiff_t>(i), magnitude.end());
}

}  // namespace

P256Key P256Key::from_label(std::string_view label) {
  const std::uint8_t sep = 0x00;
  const auto h = crypto::sha512(cat({as_bytes(kKeyDomain), ByteView(&sep, 1), as_bytes(label)}));
  BnCtx ctx = ctx_new();
  Bn wide = bn(h), n_minus_1(BN_dup(order())), d = bn_new();
  need(n_minus_1 != nullptr && BN_sub_word(n_minus_1.get(), 1) == 1, "BN_sub_word");
  need(BN_mod(d.get(), wide.get(), n_minus_1.get(), ctx.get()) == 1, "BN_mod");
  need(BN_add_word(d.get(), 1) == 1, "BN_add_word");
  P256Key key;
  key.d_ = to32(d.get());
  key.q_ = public_point(d.get(), ctx.get());
  return key;
}

Result<P256Key> P256Key::from_scalar(ByteView d32) {
  if (d32.size() != 32) return make_error(kBadScalar, "P-256 scalar must be 32 bytes");
  Bn d = bn(d32);
  if (!in_range(d.get())) return make_error(kBadScalar, "P-256 scalar not in [1, n-1]");
  BnCtx ctx = ctx_new();
  P256Key key;
  std::copy(d32.begin(), d32.end(), key.d_.begin());
  key.q_ = public_point(d.get(), ctx.get());
  return key;
}

ByteArray<64> P256Key::sign(ByteView message) const {
  const auto h1 = crypto::sha256(message);
  for (unsigned i = 0;; ++i) {
    auto sig = ecdsa_sign_with_k(d_, h1, rfc6979_nonce(d_, h1, i));
    if (sig) return *sig;  // r = 0 or s = 0 (probability ~2^-256): next RFC 6979 candidate
  }
}

ByteArray<32> rfc6979_nonce(const ByteArray<32>& d, const ByteArray<32>& h1, unsigned index) {
  // bits2octets(h1) = int2octets(bits2int(h1) mod q); bits2int is the identity for qlen = hlen.
  BnCtx ctx = ctx_new();
  Bn h = bn(h1), hq = bn_new();
  need(BN_nnmod(hq.get(), h.get(), order(), ctx.get()) == 1, "BN_nnmod");
  const auto h1q = to32(hq.get());
  const std::uint8_t zero = 0x00, one = 0x01;

  ByteArray<32> v{}, k{};
  v.fill(0x01);
  k = crypto::hmac_sha256(k, cat({v, ByteView(&zero, 1), d, h1q}));
  v = crypto::hmac_sha256(k, v);
  k = crypto::hmac_sha256(k, cat({v, ByteView(&one, 1), d, h1q}));
  v = crypto::hmac_sha256(k, v);
  while (true) {
    v = crypto::hmac_sha256(k, v);  // T = V: one block is qlen bits
    Bn candidate = bn(v);
    if (in_range(candidate.get())) {
      if (index == 0) return v;
      --index;
    }
    k = crypto::hmac_sha256(k, cat({v, ByteView(&zero, 1)}));
    v = crypto::hmac_sha256(k, v);
  }
}

Result<ByteArray<64>> ecdsa_sign_with_k(const ByteArray<32>& d, const ByteArray<32>& digest,
                                        const ByteArray<32>& k) {
  BnCtx ctx = ctx_new();
  Bn kb = bn(k), db = bn(d), e = bn(digest);
  if (!in_range(kb.get())) return make_error(kBadNonce, "k not in [1, n-1]");
  if (!in_range(db.get())) return make_error(kBadScalar, "d not in [1, n-1]");
  // R = k·G, r = x(R) mod n
  Point rp(EC_POINT_new(p256()));
  need(rp != nullptr, "EC_POINT_new");
  need(EC_POINT_mul(p256(), rp.get(), kb.get(), nullptr, nullptr, ctx.get()) == 1, "EC_POINT_mul");
  Bn x = bn_new(), r = bn_new();
  need(EC_POINT_get_affine_coordinates(p256(), rp.get(), x.get(), nullptr, ctx.get()) == 1, "get_affine");
  need(BN_nnmod(r.get(), x.get(), order(), ctx.get()) == 1, "BN_nnmod");
  if (BN_is_zero(r.get())) return make_error(kBadNonce, "r = 0");
  // s = k^-1 (e + r·d) mod n
  Bn kinv = bn_new(), rd = bn_new(), sum = bn_new(), s = bn_new();
  need(BN_mod_inverse(kinv.get(), kb.get(), order(), ctx.get()) != nullptr, "BN_mod_inverse");
  need(BN_mod_mul(rd.get(), r.get(), db.get(), order(), ctx.get()) == 1, "BN_mod_mul");
  need(BN_mod_add(sum.get(), e.get(), rd.get(), order(), ctx.get()) == 1, "BN_mod_add");
  need(BN_mod_mul(s.get(), kinv.get(), sum.get(), order(), ctx.get()) == 1, "BN_mod_mul");
  if (BN_is_zero(s.get())) return make_error(kBadNonce, "s = 0");
  ByteArray<64> rs{};
  const auto rb = to32(r.get()), sb = to32(s.get());
  std::copy(rb.begin(), rb.end(), rs.begin());
  std::copy(sb.begin(), sb.end(), rs.begin() + 32);
  return rs;
}

Bytes ecdsa_der(const ByteArray<64>& rs) {
  Bytes body;
  der_uint(body, ByteView(rs).first(32));
  der_uint(body, ByteView(rs).subspan(32, 32));
  Bytes out{0x30, static_cast<std::uint8_t>(body.size())};  // at most 2 * 35 = 70 bytes: short form
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace pnc::mock_tdx
