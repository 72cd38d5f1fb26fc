// verify_signed_quote (tdx_signed.hpp): a v4 quote with real signature data, built here with
// OpenSSL's own key generation, X509_sign and EVP_DigestSign (independent of the code under test
// and of mock-tdx's deterministic signer), accepted with its root at a time inside the validity
// window and rejected, each with its own code, for every signature, binding, chain and policy
// fault; Intel's root rejects it; SignedQuoteVerifier plugs into verify_peer_quote in prod mode.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "tdx_oracle.hpp"

namespace pnc::tdx {
namespace {

using namespace pnc::tdx_test;

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
using Pkey = std::shared_ptr<EVP_PKEY>;
using Cert = std::shared_ptr<X509>;

constexpr std::int64_t kNotBefore = 1700000000;  // 2023-11-14
constexpr std::int64_t kNotAfter = 1900000000;   // 2030-03-17
constexpr std::int64_t kNow = 1800000000;        // 2027-01-15, inside

Pkey gen_key() {
  Pkey k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), PkeyFree{});
  EXPECT_TRUE(k);
  return k;
}

ByteArray<64> pub_xy(EVP_PKEY* k) {
  unsigned char buf[65] = {};
  std::size_t len = 0;
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len), 1);
  EXPECT_EQ(len, 65u);
  EXPECT_EQ(buf[0], 0x04);
  ByteArray<64> xy{};
  std::copy(buf + 1, buf + 65, xy.begin());
  return xy;
}

// OpenSSL ECDSA (random k), converted to the quote's raw r || s.
ByteArray<64> sign_raw(EVP_PKEY* k, ByteView msg) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  std::size_t len = 0;
  EXPECT_EQ(EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, k), 1);
  EXPECT_EQ(EVP_DigestSign(md, nullptr, &len, msg.data(), msg.size()), 1);
  Bytes der(len);
  EXPECT_EQ(EVP_DigestSign(md, der.data(), &len, msg.data(), msg.size()), 1);
  EVP_MD_CTX_free(md);
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  EXPECT_NE(sig, nullptr);
  ByteArray<64> rs{};
  EXPECT_EQ(BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs.data(), 32), 32);
  EXPECT_EQ(BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs.data() + 32, 32), 32);
  ECDSA_SIG_free(sig);
  return rs;
}

void add_ext(X509* x, X509* issuer, int nid, const char* value) {
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, issuer, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &v3, nid, value);
  ASSERT_NE(ext, nullptr) << value;
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
}

struct CertSpec {
  std::string cn;
  bool ca = false;
  std::int64_t not_before = kNotBefore, not_after = kNotAfter;
  const char* key_usage = nullptr;  // default: CA or leaf usage
};

// issuer == nullptr: self-signed with `key`.
Cert make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  static long serial = 1;
  Cert x(X509_new(), X509Free{});
  X509_set_version(x.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial++);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : name);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(spec.not_after));
  X509_set_pubkey(x.get(), key);
  X509* iss = issuer ? issuer : x.get();
  add_ext(x.get(), iss, NID_basic_constraints, spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_ext(x.get(), iss, NID_key_usage,
          spec.key_usage ? spec.key_usage
                         : (spec.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation"));
  add_ext(x.get(), iss, NID_subject_key_identifier, "hash");
  add_ext(x.get(), iss, NID_authority_key_identifier, "keyid:always");
  EXPECT_GT(X509_sign(x.get(), issuer ? issuer_key : key, EVP_sha256()), 0);
  return x;
}

std::string pem(X509* x) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), x);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// A three-level PKI (root -> intermediate -> PCK leaf) from OpenSSL's CSPRNG.
struct Pki {
  Pkey root_key = gen_key(), int_key = gen_key(), leaf_key = gen_key();
  Cert root = make_cert({"Test Root CA", true}, root_key.get(), nullptr, nullptr);
  Cert inter = make_cert({"Test PCK Platform CA", true}, int_key.get(), root.get(), root_key.get());
  Cert leaf = make_cert({"Test PCK Certificate", false}, leaf_key.get(), inter.get(), int_key.get());
  std::string chain() const { return pem(leaf.get()) + pem(inter.get()) + pem(root.get()); }
  std::string root_pem() const { return pem(root.get()); }
};

// What a quote builder may change between the steps, to aim at one check.
struct Build {
  std::function<void(QuoteV4&)> body;           // before anything is bound or signed
  std::function<void(QuoteV4&)> before_qe_sig;  // after the QE binding, before the QE signature
  std::optional<std::string> chain;             // default: pki.chain()
  EVP_PKEY* qe_signer = nullptr;                // default: the PCK leaf key
  EVP_PKEY* quote_signer = nullptr;             // default: the attestation key
};

// MockQuoteV4's body for the V3 nonce without the mock marker, with real signature data: a fresh
// attestation key, QE report bound to it and signed by the PCK leaf, the PEM chain.
Bytes build_quote(const Pki& pki, const Build& b = {}) {
  auto base = parse_quote(mock_quote_v4(v3_nonce()).quote);
  EXPECT_TRUE(base);
  QuoteV4 q = *base;
  q.user_data = {};
  const Pkey ak = gen_key();
  q.attestation_key = pub_xy(ak.get());
  q.qe_auth_data.assign(32, 0x5a);
  q.pck_chain = to_bytes(b.chain ? *b.chain : pki.chain());
  if (b.body) b.body(q);
  q.qe_report = {};
  q.qe_report[0] = 0x0f;  // some non-zero CPUSVN, so that the report is not all zero
  const Bytes binding = ossl_sha256(cat(q.attestation_key, q.qe_auth_data));
  std::copy(binding.begin(), binding.end(), q.qe_report.begin() + 320);
  if (b.before_qe_sig) b.before_qe_sig(q);
  q.qe_report_signature = sign_raw(b.qe_signer ? b.qe_signer : pki.leaf_key.get(), q.qe_report);
  Bytes bytes = serialize_quote(q);
  put_at(bytes, 636, sign_raw(b.quote_signer ? b.quote_signer : ak.get(), slice(bytes, 0, 632)));
  return bytes;
}

class Fixture : public ::testing::Test {
 protected:
  Status verify(ByteView q, std::int64_t now = kNow) { return verify_with(q, {pki.root_pem()}, now); }
  Status verify_with(ByteView q, std::vector<std::string> roots, std::int64_t now = kNow) {
    FixedClock clock(now);
    SignedQuoteConfig cfg;
    cfg.trusted_roots_pem = std::move(roots);
    cfg.clock = &clock;
    return verify_signed_quote(q, cfg);
  }
  static std::string code(const Status& s) { return s ? std::string("ok") : s.error().code; }

  Pki pki;
};

TEST_F(Fixture, AcceptsAGenuinelySignedQuoteWithItsRoot) {
  const Bytes q = build_quote(pki);
  ASSERT_TRUE(parse_quote(q));
  EXPECT_EQ(code(verify(q)), "ok");
  EXPECT_EQ(code(verify(q, kNotBefore)), "ok");  // notBefore is inclusive
  EXPECT_EQ(code(verify(q, kNotAfter - 1)), "ok");
  EXPECT_EQ(code(verify(q, kNotAfter)), kSigCertExpired);  // OpenSSL: the notAfter second has expired
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST_F(Fixture, TrustAnchorsAreOnlyTheConfiguredRoots) {
  const Bytes q = build_quote(pki);
  EXPECT_EQ(code(verify_with(q, {std::string(intel_sgx_root_ca_pem())})), kSigChainUntrusted);
  Pki other;
  EXPECT_EQ(code(verify_with(q, {other.root_pem()})), kSigChainUntrusted);
  EXPECT_EQ(code(verify_with(q, {other.root_pem(), pki.root_pem()})), "ok");
  EXPECT_EQ(code(verify_with(q, {other.root_pem() + pki.root_pem()})), "ok");  // one PEM, two roots
  // The chain's own root does not count: only the configured store does.
  EXPECT_EQ(code(verify_with(q, {std::string(intel_sgx_root_ca_pem()), other.root_pem()})), kSigChainUntrusted);
}

TEST_F(Fixture, CertificateDatesFollowTheInjectedClock) {
  const Bytes q = build_quote(pki);
  EXPECT_EQ(code(verify(q, kNotBefore - 1)), kSigCertNotYetValid);
  EXPECT_EQ(code(verify(q, kNotAfter + 1)), kSigCertExpired);
  EXPECT_EQ(code(verify(q, 0)), kSigCertNotYetValid);
  EXPECT_EQ(code(verify(q, 4102444800)), kSigCertExpired);  // 2100-01-01
}

TEST_F(Fixture, ExpiredOrNotYetValidLeafAndIntermediate) {
  auto with_leaf = [&](CertSpec spec) {
    Cert leaf = make_cert(spec, pki.leaf_key.get(), pki.inter.get(), pki.int_key.get());
    Build b;
    b.chain = pem(leaf.get()) + pem(pki.inter.get()) + pem(pki.root.get());
    return build_quote(pki, b);
  };
  EXPECT_EQ(code(verify(with_leaf({"Leaf", false, kNotBefore, kNow - 1}))), kSigCertExpired);
  EXPECT_EQ(code(verify(with_leaf({"Leaf", false, kNow + 1, kNotAfter}))), kSigCertNotYetValid);
  EXPECT_EQ(code(verify(with_leaf({"Leaf", false, kNotBefore, kNow + 1}))), "ok");
  Cert inter = make_cert({"Test PCK Platform CA", true, kNotBefore, kNow - 1}, pki.int_key.get(), pki.root.get(),
                         pki.root_key.get());
  Build b;
  b.chain = pem(pki.leaf.get()) + pem(inter.get()) + pem(pki.root.get());
  const Status s = verify(build_quote(pki, b));
  EXPECT_EQ(code(s), kSigCertExpired);
  EXPECT_NE(s.error().message.find("depth 1"), std::string::npos) << s.error().message;
}

TEST_F(Fixture, QuoteSignatureByTheAttestationKey) {
  Bytes q = build_quote(pki);
  Bytes bad = q;
  bad[636] ^= 0x01;  // r
  EXPECT_EQ(code(verify(bad)), kSigQuote);
  bad = q;
  bad[636 + 63] ^= 0x80;  // s
  EXPECT_EQ(code(verify(bad)), kSigQuote);
  bad = q;
  bad[184] ^= 0x01;  // one MRTD byte after signing (N-HS-17 on a signed quote)
  EXPECT_EQ(code(verify(bad)), kSigQuote);
  bad = q;
  std::fill(bad.begin() + 636, bad.begin() + 700, 0);  // r = s = 0
  EXPECT_EQ(code(verify(bad)), kSigQuote);
  const Pkey other = gen_key();
  Build b;
  b.quote_signer = other.get();
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigQuote);
}

TEST_F(Fixture, AttestationKeyMustBeAP256Point) {
  for (std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0x01}, std::uint8_t{0xff}}) {
    Build b;
    b.body = [fill](QuoteV4& q) { q.attestation_key.fill(fill); };
    EXPECT_EQ(code(verify(build_quote(pki, b))), kSigBadAttestKey) << int(fill);
  }
  Build b;  // a valid x with y negated (p - y) is on the curve; y + 1 is not
  b.body = [](QuoteV4& q) { q.attestation_key[63] ^= 0x01; };
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigBadAttestKey);
}

TEST_F(Fixture, QeReportDataBindsTheAttestationKey) {
  Build b;
  b.before_qe_sig = [](QuoteV4& q) { q.qe_report[320] ^= 0x01; };
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigQeBinding);
  b.before_qe_sig = [](QuoteV4& q) { q.qe_report[383] = 0x01; };  // upper half must be zero
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigQeBinding);
  b.before_qe_sig = [](QuoteV4& q) { q.qe_auth_data[0] ^= 0x01; };  // auth data changed after binding
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigQeBinding);
}

TEST_F(Fixture, QeReportSignatureByThePckLeaf) {
  Build b;
  b.qe_signer = pki.int_key.get();
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigQeReport);
  Bytes q = build_quote(pki);
  q[636 + 134 + 16] ^= 0x01;  // a QE report byte after signing
  EXPECT_EQ(code(verify(q)), kSigQeReport);
  q = build_quote(pki);
  q[636 + 518] ^= 0x01;  // the QE report signature itself
  EXPECT_EQ(code(verify(q)), kSigQeReport);
}

TEST_F(Fixture, ChainShapeAndIssuers) {
  const std::string leaf = pem(pki.leaf.get()), inter = pem(pki.inter.get()), root = pem(pki.root.get());
  auto with_chain = [&](std::string chain) {
    Build b;
    b.chain = std::move(chain);
    return build_quote(pki, b);
  };
  // Real quotes end the PEM list with a NUL; whitespace between blocks is fine.
  EXPECT_EQ(code(verify(with_chain(leaf + inter + root + std::string(1, '\0')))), "ok");
  EXPECT_EQ(code(verify(with_chain(leaf + "\n\n" + inter + "\r\n" + root + "\n\n"))), "ok");
  EXPECT_EQ(code(verify(with_chain(leaf + inter))), "ok");  // the root comes from the store
  EXPECT_EQ(code(verify(with_chain(leaf + root))), kSigChainUntrusted);  // intermediate missing
  // Leaf first: here the CA is taken as the PCK leaf, and its keyUsage has no digitalSignature.
  EXPECT_EQ(code(verify(with_chain(inter + leaf + root))), kSigBadPckKey);
  EXPECT_EQ(code(verify(with_chain("PNC-MOCK-PCK-CHAIN"))), kSigChainParse);
  EXPECT_EQ(code(verify(with_chain(""))), kSigChainParse);
  EXPECT_EQ(code(verify(with_chain("x" + leaf + inter + root))), kSigChainParse);
  EXPECT_EQ(code(verify(with_chain(leaf + inter + root + "trailing"))), kSigChainParse);
  EXPECT_EQ(code(verify(with_chain(leaf.substr(0, leaf.size() / 2)))), kSigChainParse);
  std::string corrupt = leaf;
  corrupt[100] = corrupt[100] == 'A' ? 'B' : 'A';  // base64 still, DER or signature broken
  EXPECT_NE(code(verify(with_chain(corrupt + inter + root))), "ok");
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += leaf;
  EXPECT_EQ(code(verify(with_chain(nine))), kSigChainParse);

  // A leaf under the intermediate's name, signed by another key; an intermediate that is no CA;
  // a chain anchored in a different root that has the same name as the configured one.
  const Pkey forger = gen_key();
  Cert forged = make_cert({"Test PCK Certificate"}, pki.leaf_key.get(), pki.inter.get(), forger.get());
  EXPECT_EQ(code(verify(with_chain(pem(forged.get()) + inter + root))), kSigChainUntrusted);
  Cert not_ca = make_cert({"Test PCK Platform CA", false, kNotBefore, kNotAfter, "critical,keyCertSign"},
                          pki.int_key.get(), pki.root.get(), pki.root_key.get());
  Cert leaf2 = make_cert({"Test PCK Certificate"}, pki.leaf_key.get(), not_ca.get(), pki.int_key.get());
  EXPECT_EQ(code(verify(with_chain(pem(leaf2.get()) + pem(not_ca.get()) + root))), kSigChainUntrusted);
  const Pkey evil_key = gen_key();
  Cert evil_root = make_cert({"Test Root CA", true}, evil_key.get(), nullptr, nullptr);
  Cert evil_inter = make_cert({"Test PCK Platform CA", true}, pki.int_key.get(), evil_root.get(), evil_key.get());
  Cert evil_leaf = make_cert({"Test PCK Certificate"}, pki.leaf_key.get(), evil_inter.get(), pki.int_key.get());
  EXPECT_EQ(code(verify(with_chain(pem(evil_leaf.get()) + pem(evil_inter.get()) + pem(evil_root.get())))),
            kSigChainUntrusted);
}

TEST_F(Fixture, PckLeafKeyMustBeP256WithDigitalSignature) {
  Pkey p384(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"), PkeyFree{});
  Cert leaf = make_cert({"Test PCK Certificate"}, p384.get(), pki.inter.get(), pki.int_key.get());
  Build b;
  b.chain = pem(leaf.get()) + pem(pki.inter.get());
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigBadPckKey);
  Cert no_ds = make_cert({"Test PCK Certificate", false, kNotBefore, kNotAfter, "critical,keyAgreement"},
                         pki.leaf_key.get(), pki.inter.get(), pki.int_key.get());
  b.chain = pem(no_ds.get()) + pem(pki.inter.get());
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigBadPckKey);
}

TEST_F(Fixture, PolicyMockMarkerAndDebug) {
  Build b;
  b.body = [](QuoteV4& q) { std::copy(kMockMarker.begin(), kMockMarker.end(), q.user_data.begin()); };
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigMockMarker);
  EXPECT_EQ(code(verify(v8_quote())), kSigMockMarker);  // MockQuoteV4 itself
  b.body = [](QuoteV4& q) { q.td_attributes[0] |= kTdAttrDebugBit; };
  EXPECT_EQ(code(verify(build_quote(pki, b))), kSigDebug);
  b.body = [](QuoteV4& q) { q.td_attributes[0] = 0xfe; };  // other attribute bits are not policy here
  EXPECT_EQ(code(verify(build_quote(pki, b))), "ok");
}

TEST_F(Fixture, StructureComesFirstWithTheParserCodes) {
  const Bytes q = build_quote(pki);
  EXPECT_EQ(code(verify(slice(q, 0, 635))), kTruncated);
  EXPECT_EQ(code(verify(slice(q, 0, q.size() - 1))), kTruncated);
  Bytes longer = q;
  longer.push_back(0x01);  // a non-zero byte: zero padding is accepted (DEC-30)
  EXPECT_EQ(code(verify(longer)), kTrailingBytes);
  FixedClock clock(kNow);
  SignedQuoteConfig cfg{{pki.root_pem()}, &clock, nullptr, Profile::sdk_compat};
  EXPECT_EQ(code(verify_signed_quote(longer, cfg)), "ok");  // GTG-style tolerance in sdk-compat
  Bytes v = q;
  wr16(v, 0, 3);
  EXPECT_EQ(code(verify(v)), kBadVersion);
}

TEST_F(Fixture, ConfigurationErrors) {
  const Bytes q = build_quote(pki);
  SignedQuoteConfig cfg;
  cfg.trusted_roots_pem = {pki.root_pem()};
  EXPECT_EQ(code(verify_signed_quote(q, cfg)), kSigConfig);  // no clock
  EXPECT_EQ(code(verify_with(q, {})), kSigConfig);
  EXPECT_EQ(code(verify_with(q, {"not a certificate"})), kSigConfig);
  EXPECT_EQ(code(verify_with(q, {""})), kSigConfig);
}

class StubCollateral final : public CollateralVerifier {
 public:
  explicit StubCollateral(bool accept) : accept_(accept) {}
  Status check(const QuoteV4& quote, const std::vector<Bytes>& chain) override {
    ++calls;
    seen_chain = chain;
    seen_mrtd = Bytes(quote.mr_td.begin(), quote.mr_td.end());
    if (accept_) return {};
    return make_error("tcb.out_of_date", "stub: TCB level OutOfDate");
  }
  int calls = 0;
  std::vector<Bytes> seen_chain;
  Bytes seen_mrtd;

 private:
  bool accept_;
};

Bytes der(X509* x) {
  unsigned char* raw = nullptr;
  const int n = i2d_X509(x, &raw);
  Bytes out(raw, raw + n);
  OPENSSL_free(raw);
  return out;
}

TEST_F(Fixture, CollateralRunsLastBehindItsInterface) {
  const Bytes q = build_quote(pki);
  FixedClock clock(kNow);
  StubCollateral yes(true), no(false);
  SignedQuoteConfig cfg{{pki.root_pem()}, &clock, &yes, Profile::seed_spec};
  EXPECT_EQ(code(verify_signed_quote(q, cfg)), "ok");
  ASSERT_EQ(yes.calls, 1);
  ASSERT_EQ(yes.seen_chain.size(), 3u);
  EXPECT_EQ(yes.seen_chain[0], der(pki.leaf.get()));
  EXPECT_EQ(yes.seen_chain[2], der(pki.root.get()));
  EXPECT_EQ(yes.seen_mrtd, slice(q, 184, 48));
  cfg.collateral = &no;
  const Status s = verify_signed_quote(q, cfg);
  EXPECT_EQ(code(s), kSigCollateral);
  EXPECT_NE(s.error().message.find("tcb.out_of_date"), std::string::npos);
  Bytes bad = q;
  bad[636] ^= 1;
  EXPECT_EQ(code(verify_signed_quote(bad, cfg)), kSigQuote);
  EXPECT_EQ(no.calls, 1);  // not reached when a signature fails
}

TEST_F(Fixture, PlugsIntoVerifyPeerQuoteAsTheProdDcapStep) {
  const Bytes q = build_quote(pki);
  const Evidence mock = mock_quote_v4(v3_nonce());
  FixedClock clock(kNow);
  SignedQuoteVerifier good({{pki.root_pem()}, &clock, nullptr, Profile::seed_spec});
  SignedQuoteVerifier intel({{std::string(intel_sgx_root_ca_pem())}, &clock, nullptr, Profile::seed_spec});
  const Bytes nonce = v3_nonce();
  std::string b64(4 * ((q.size() + 2) / 3) + 1, '\0');
  b64.resize(static_cast<std::size_t>(
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), q.data(), static_cast<int>(q.size()))));
  PeerQuoteCheck check;
  check.mode = AttestationMode::prod;
  check.quote_b64 = b64;
  check.event_log = mock.event_log;
  check.nonce = nonce;
  check.local_env = "dev";
  check.dcap = &good;
  EXPECT_TRUE(verify_peer_quote(check));
  check.dcap = &intel;
  const Status s = verify_peer_quote(check);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, attest_errc::kDcap);
  EXPECT_NE(s.error().message.find(kSigChainUntrusted), std::string::npos) << s.error().message;
}

TEST(IntelRoot, IsTheGenuineSelfSignedIntelSgxRootCa) {
  const std::string_view text = intel_sgx_root_ca_pem();
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(x, nullptr);
  // Intel's published SHA-256 fingerprint of IntelSGXRootCA.der.
  EXPECT_EQ(test::to_hex(ossl_sha256(der(x))), "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
  char* subject = X509_NAME_oneline(X509_get_subject_name(x), nullptr, 0);
  EXPECT_STREQ(subject, "/CN=Intel SGX Root CA/O=Intel Corporation/L=Santa Clara/ST=CA/C=US");
  OPENSSL_free(subject);
  EVP_PKEY* key = X509_get0_pubkey(x);
  EXPECT_EQ(X509_verify(x, key), 1);  // self-signed
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), 2524607999), 0);  // 2049-12-31T23:59:59Z
  X509_free(x);
}

}  // namespace
}  // namespace pnc::tdx
