// Deterministic ECDSA P-256 (ecdsa.hpp): NIST CAVS SigGen answers with NIST's k, RFC 6979 A.2.5
// nonces and signatures (tests/data/ecdsa_p256_sha256.json), OpenSSL verifies what it signs, and
// the label-derived keys follow their formula (checked with OpenSSL's own EC arithmetic).
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pnc/mock_tdx/ecdsa.hpp"
#include "pnc/testkit/files.hpp"
#include "support/vectors.hpp"

namespace pnc::mock_tdx {
namespace {

using nlohmann::json;
using test::hex;
using test::to_hex;

const json& vectors() {
  static const json doc =
      json::parse(testkit::read_text(std::string(PNC_MOCK_TDX_TEST_DATA_DIR) + "/ecdsa_p256_sha256.json"));
  return doc;
}

template <std::size_t N>
ByteArray<N> arr(const std::string& h) {
  const Bytes b = hex(h);
  ByteArray<N> a{};
  EXPECT_EQ(b.size(), N);
  std::copy_n(b.begin(), std::min(N, b.size()), a.begin());
  return a;
}

Bytes ossl_sha(const EVP_MD* md, ByteView data) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned n = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr), 1);
  return out;
}

// OpenSSL's verifier on an uncompressed x || y key and an r || s signature.
bool ossl_verify(const ByteArray<64>& xy, ByteView msg, const ByteArray<64>& rs) {
  unsigned char point[65];
  point[0] = 0x04;
  std::copy(xy.begin(), xy.end(), point + 1);
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                         OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
                         OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EXPECT_EQ(EVP_PKEY_fromdata_init(ctx), 1);
  EXPECT_EQ(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params), 1);
  EVP_PKEY_CTX_free(ctx);
  const Bytes der = ecdsa_der(rs);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key), 1);
  const bool ok = EVP_DigestVerify(md, der.data(), der.size(), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  return ok;
}

TEST(MockTdxEcdsa, NistSigGenWithExplicitK) {
  const json& cases = vectors()["nist_siggen"];
  ASSERT_EQ(cases.size(), 15u);
  for (const auto& c : cases) {
    const Bytes msg = hex(c["msg"].get<std::string>());
    const auto d = arr<32>(c["d"].get<std::string>());
    const auto digest = arr<32>(to_hex(ossl_sha(EVP_sha256(), msg)));
    auto sig = ecdsa_sign_with_k(d, digest, arr<32>(c["k"].get<std::string>()));
    ASSERT_TRUE(sig);
    EXPECT_EQ(to_hex(ByteView(*sig).first(32)), c["r"].get<std::string>());
    EXPECT_EQ(to_hex(ByteView(*sig).subspan(32)), c["s"].get<std::string>());
    auto key = P256Key::from_scalar(d);
    ASSERT_TRUE(key);
    EXPECT_EQ(to_hex(key->public_xy()), c["qx"].get<std::string>() + c["qy"].get<std::string>());
  }
}

TEST(MockTdxEcdsa, Rfc6979AppendixA25) {
  const json& v = vectors()["rfc6979"];
  const auto x = arr<32>(v["x"].get<std::string>());
  auto key = P256Key::from_scalar(x);
  ASSERT_TRUE(key);
  EXPECT_EQ(to_hex(key->public_xy()), v["ux"].get<std::string>() + v["uy"].get<std::string>());
  ASSERT_EQ(v["signatures"].size(), 2u);
  for (const auto& s : v["signatures"]) {
    const Bytes msg = hex(s["message_hex"].get<std::string>());
    const auto h1 = arr<32>(to_hex(ossl_sha(EVP_sha256(), msg)));
    EXPECT_EQ(to_hex(rfc6979_nonce(x, h1)), s["k"].get<std::string>());
    const auto sig = key->sign(msg);
    EXPECT_EQ(to_hex(sig), s["r"].get<std::string>() + s["s"].get<std::string>());
    EXPECT_TRUE(ossl_verify(key->public_xy(), msg, sig));
  }
}

TEST(MockTdxEcdsa, LaterRfc6979CandidatesDifferAndStayInRange) {
  const auto x = arr<32>(vectors()["rfc6979"]["x"].get<std::string>());
  const auto h1 = arr<32>(to_hex(ossl_sha(EVP_sha256(), as_bytes("sample"))));
  const auto k0 = rfc6979_nonce(x, h1, 0), k1 = rfc6979_nonce(x, h1, 1), k2 = rfc6979_nonce(x, h1, 2);
  EXPECT_NE(k0, k1);
  EXPECT_NE(k1, k2);
  EXPECT_EQ(rfc6979_nonce(x, h1, 1), k1);  // deterministic
}

TEST(MockTdxEcdsa, LabelKeysFollowTheirFormula) {
  // d = (SHA512("PNC-MOCK-TDX-KEY-v1" || 0x00 || label) mod (n - 1)) + 1, Q = d·G: recomputed
  // with OpenSSL's BIGNUM and EC_POINT arithmetic.
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  BN_CTX* ctx = BN_CTX_new();
  for (const char* label : {"root-ca", "pck-platform-ca", "pck-leaf", "attestation-key", ""}) {
    Bytes input = to_bytes("PNC-MOCK-TDX-KEY-v1");
    input.push_back(0x00);
    const Bytes l = to_bytes(label);
    input.insert(input.end(), l.begin(), l.end());
    const Bytes h = ossl_sha(EVP_sha512(), input);
    BIGNUM* wide = BN_bin2bn(h.data(), static_cast<int>(h.size()), nullptr);
    BIGNUM* nm1 = BN_dup(EC_GROUP_get0_order(group));
    BN_sub_word(nm1, 1);
    BIGNUM* d = BN_new();
    BN_mod(d, wide, nm1, ctx);
    BN_add_word(d, 1);
    Bytes expect_d(32);
    BN_bn2binpad(d, expect_d.data(), 32);
    EC_POINT* q = EC_POINT_new(group);
    EC_POINT_mul(group, q, d, nullptr, nullptr, ctx);
    Bytes point(65);
    EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, point.data(), point.size(), ctx);

    const P256Key key = P256Key::from_label(label);
    EXPECT_EQ(to_hex(key.scalar()), to_hex(expect_d)) << label;
    EXPECT_EQ(to_hex(key.public_xy()), to_hex(ByteView(point).subspan(1))) << label;
    EC_POINT_free(q);
    BN_free(d);
    BN_free(nm1);
    BN_free(wide);
  }
  BN_CTX_free(ctx);
  EC_GROUP_free(group);
}

TEST(MockTdxEcdsa, SignaturesAreDeterministicAndVerifyWithOpenSsl) {
  const P256Key key = P256Key::from_label("attestation-key");
  for (std::size_t n : {0u, 1u, 55u, 632u, 4096u}) {
    Bytes msg(n);
    for (std::size_t i = 0; i < n; ++i) msg[i] = static_cast<std::uint8_t>(i * 7 + 3);
    const auto a = key.sign(msg), b = key.sign(msg);
    EXPECT_EQ(a, b);
    EXPECT_TRUE(ossl_verify(key.public_xy(), msg, a)) << n;
    Bytes other = msg;
    other.push_back(0);
    EXPECT_FALSE(ossl_verify(key.public_xy(), other, a)) << n;
  }
  EXPECT_NE(P256Key::from_label("a").public_xy(), P256Key::from_label("b").public_xy());
}

TEST(MockTdxEcdsa, RangeChecksAndDerEncoding) {
  EXPECT_FALSE(P256Key::from_scalar(Bytes(32, 0)));
  EXPECT_FALSE(P256Key::from_scalar(Bytes(31, 1)));
  const auto n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");  // SEC 2 order
  EXPECT_FALSE(P256Key::from_scalar(n));
  Bytes n_minus_1 = n;
  n_minus_1.back() -= 1;
  EXPECT_TRUE(P256Key::from_scalar(n_minus_1));
  const auto d = arr<32>(vectors()["rfc6979"]["x"].get<std::string>());
  EXPECT_EQ(ecdsa_sign_with_k(d, ByteArray<32>{}, ByteArray<32>{}).error().code, kBadNonce);

  // DER: minimal INTEGERs, a 0x00 prefix exactly when the top bit is set.
  ByteArray<64> rs{};
  rs[31] = 0x01;
  rs[32] = 0x80;
  EXPECT_EQ(to_hex(ecdsa_der(rs)), "3026020101022100" + std::string("80") + std::string(62, '0'));
  const unsigned char* p = nullptr;
  const Bytes der = ecdsa_der(arr<64>(vectors()["rfc6979"]["signatures"][0]["r"].get<std::string>() +
                                      vectors()["rfc6979"]["signatures"][0]["s"].get<std::string>()));
  p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(p, der.data() + der.size());
  unsigned char* re = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &re);
  EXPECT_EQ(Bytes(re, re + len), der);  // OpenSSL re-encodes it identically: canonical DER
  OPENSSL_free(re);
  ECDSA_SIG_free(sig);
}

}  // namespace
}  // namespace pnc::mock_tdx
