// The mock PCK PKI (pki.hpp): X.509 v3 certificates written in DER by hand and signed with the
// deterministic ECDSA of ecdsa.cpp.
#include "pnc/mock_tdx/pki.hpp"

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "der.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"

namespace pnc::mock_tdx {
namespace {

constexpr std::string_view kOidEcdsaSha256 = "1.2.840.10045.4.3.2";
constexpr std::string_view kOidEcPublicKey = "1.2.840.10045.2.1";
constexpr std::string_view kOidPrime256v1 = "1.2.840.10045.3.1.7";
constexpr std::string_view kOidCn = "2.5.4.3";
constexpr std::string_view kOidO = "2.5.4.10";
constexpr std::string_view kOidSkid = "2.5.29.14";
constexpr std::string_view kOidKeyUsage = "2.5.29.15";
constexpr std::string_view kOidBasicConstraints = "2.5.29.19";
constexpr std::string_view kOidAkid = "2.5.29.35";
constexpr std::string_view kOidSgx = "1.2.840.113741.1.13.1";

Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes sgx_entry(const std::string& suffix, ByteView value) {
  return der::sequence({der::oid(std::string(kOidSgx) + suffix), value});
}

Bytes uncompressed(const ByteArray<64>& xy) {
  Bytes p{0x04};
  p.insert(p.end(), xy.begin(), xy.end());
  return p;
}

// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value.
Bytes key_id(const ByteArray<64>& xy) {
  const Bytes point = uncompressed(xy);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(point.data(), point.size(), md, &n, EVP_sha1(), nullptr) != 1) throw std::bad_alloc();
  return Bytes(md, md + n);
}

Bytes name(std::string_view cn) {
  return der::sequence({der::set({der::sequence({der::oid(kOidCn), der::utf8_string(cn)})}),
                        der::set({der::sequence({der::oid(kOidO), der::utf8_string(kPkiOrganization)})})});
}

Bytes extension(std::string_view oid, bool critical, ByteView value) {
  if (critical) return der::sequence({der::oid(oid), der::boolean(true), der::octet_string(value)});
  return der::sequence({der::oid(oid), der::octet_string(value)});
}

Bytes serial(std::string_view label) {
  const auto h = crypto::sha256(to_bytes("PNC-MOCK-TDX-SERIAL:" + std::string(label)));
  Bytes s(h.begin(), h.begin() + 16);
  s[0] = static_cast<std::uint8_t>((s[0] & 0x7f) | 0x40);  // positive, 16 significant bytes
  return s;
}

std::string to_pem(ByteView der_bytes) {
  const std::string b64 = codec::b64_encode(der_bytes);
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

CertificateSpec root_spec(const P256Key& key, std::string serial_label) {
  CertificateSpec s;
  s.serial_label = std::move(serial_label);
  s.subject_cn = s.issuer_cn = kRootCn;
  s.ca = true;
  s.path_len = 1;
  s.subject_public = s.issuer_public = key.public_xy();
  s.signer = &key;
  return s;
}

CertificateSpec intermediate_spec(const P256Key& key, const P256Key& issuer, std::string serial_label) {
  CertificateSpec s;
  s.serial_label = std::move(serial_label);
  s.subject_cn = kIntermediateCn;
  s.issuer_cn = kRootCn;
  s.ca = true;
  s.path_len = 0;
  s.subject_public = key.public_xy();
  s.issuer_public = issuer.public_xy();
  s.signer = &issuer;
  return s;
}

CertificateSpec leaf_spec(const P256Key& issuer, std::string serial_label) {
  CertificateSpec s;
  s.serial_label = std::move(serial_label);
  s.subject_cn = kLeafCn;
  s.issuer_cn = kIntermediateCn;
  s.subject_public = leaf_key().public_xy();
  s.issuer_public = issuer.public_xy();
  s.signer = &issuer;
  s.sgx_extensions = true;
  return s;
}

}  // namespace

Bytes pck_sgx_extension_value() {
  // Intel's layout (SGX PCK Certificate and CRL Profile): PPID, TCB {comp01..16, pcesvn, cpusvn},
  // PCE-ID, FMSPC, SGX Type (0 = Standard).
  const auto ppid_hash = crypto::sha256(as_bytes("PNC-MOCK-PPID"));
  const Bytes ppid(ppid_hash.begin(), ppid_hash.begin() + 16);
  std::vector<Bytes> tcb;
  Bytes cpusvn;
  for (unsigned i = 0; i < 16; ++i) {
    tcb.push_back(sgx_entry(".2." + std::to_string(i + 1), der::small_integer(kPckSgxComponents[i])));
    cpusvn.push_back(kPckSgxComponents[i]);
  }
  tcb.push_back(sgx_entry(".2.17", der::small_integer(kPckPceSvn)));
  tcb.push_back(sgx_entry(".2.18", der::octet_string(cpusvn)));
  const Bytes fmspc = std::move(codec::hex_decode_exact(kPckFmspcHex, 6)).value();
  const Bytes pce_id = std::move(codec::hex_decode_exact(kPckPceIdHex, 2)).value();
  return der::tlv(0x30, concat({sgx_entry(".1", der::octet_string(ppid)), sgx_entry(".2", der::tlv(0x30, concat(tcb))),
                                sgx_entry(".3", der::octet_string(pce_id)), sgx_entry(".4", der::octet_string(fmspc)),
                                sgx_entry(".5", der::tlv(0x0a, Bytes{0x00}))}));
}

Certificate make_certificate(const CertificateSpec& spec) {
  const Bytes alg = der::sequence({der::oid(kOidEcdsaSha256)});
  const Bytes spki = der::sequence({der::sequence({der::oid(kOidEcPublicKey), der::oid(kOidPrime256v1)}),
                                    der::bit_string(uncompressed(spec.subject_public))});
  // keyUsage: CAs keyCertSign (bit 5) + cRLSign (bit 6) = 0x06, 1 unused bit; leaves
  // digitalSignature (bit 0) + nonRepudiation (bit 1) = 0xC0, 6 unused bits (as Intel's PCK certs).
  const Bytes key_usage = spec.ca ? der::bit_string(Bytes{0x06}, 1) : der::bit_string(Bytes{0xc0}, 6);
  Bytes bc_body;
  if (spec.ca) {
    bc_body = der::boolean(true);
    if (spec.path_len) {
      const Bytes pl = der::small_integer(*spec.path_len);
      bc_body.insert(bc_body.end(), pl.begin(), pl.end());
    }
  }
  const Bytes basic_constraints = der::tlv(0x30, bc_body);  // CA:FALSE = empty SEQUENCE (DEFAULT)
  std::vector<Bytes> ext_list = {
      extension(kOidBasicConstraints, true, basic_constraints), extension(kOidKeyUsage, true, key_usage),
      extension(kOidSkid, false, der::octet_string(key_id(spec.subject_public))),
      extension(kOidAkid, false, der::sequence({der::implicit_primitive(0, key_id(spec.issuer_public))}))};
  if (spec.sgx_extensions) ext_list.push_back(extension(kOidSgx, false, pck_sgx_extension_value()));
  const Bytes extensions = der::explicit_tag(3, der::tlv(0x30, concat(ext_list)));
  const Bytes tbs = der::sequence({der::explicit_tag(0, der::small_integer(2)), der::integer(serial(spec.serial_label)),
                                   alg, name(spec.issuer_cn),
                                   der::sequence({der::time(spec.not_before), der::time(spec.not_after)}),
                                   name(spec.subject_cn), spki, extensions});
  const Bytes signature = ecdsa_der(spec.signer->sign(tbs));
  Certificate cert;
  cert.der = der::sequence({tbs, alg, der::bit_string(signature)});
  cert.pem = to_pem(cert.der);
  return cert;
}

const P256Key& root_key() {
  static const P256Key k = P256Key::from_label(kRootKeyLabel);
  return k;
}
const P256Key& intermediate_key() {
  static const P256Key k = P256Key::from_label(kIntermediateKeyLabel);
  return k;
}
const P256Key& leaf_key() {
  static const P256Key k = P256Key::from_label(kLeafKeyLabel);
  return k;
}

const P256Key& tcb_signing_key() {
  static const P256Key k = P256Key::from_label(kTcbSigningKeyLabel);
  return k;
}

const Certificate& mock_tcb_signing_cert() {
  static const Certificate c = [] {
    CertificateSpec s;
    s.serial_label = "tcb-signing";
    s.subject_cn = kTcbSigningCn;
    s.issuer_cn = kRootCn;
    s.subject_public = tcb_signing_key().public_xy();
    s.issuer_public = root_key().public_xy();
    s.signer = &root_key();
    return make_certificate(s);
  }();
  return c;
}

const Certificate& mock_root_ca() {
  static const Certificate c = make_certificate(root_spec(root_key(), "root-ca"));
  return c;
}
const Certificate& mock_intermediate_ca() {
  static const Certificate c = make_certificate(intermediate_spec(intermediate_key(), root_key(), "pck-platform-ca"));
  return c;
}
const Certificate& mock_pck_leaf() {
  static const Certificate c = make_certificate(leaf_spec(intermediate_key(), "pck-leaf"));
  return c;
}

std::string pck_chain_pem(ChainVariant variant) {
  const std::string& leaf = mock_pck_leaf().pem;
  const std::string& inter = mock_intermediate_ca().pem;
  const std::string& root = mock_root_ca().pem;
  switch (variant) {
    case ChainVariant::normal:
      return leaf + inter + root;
    case ChainVariant::leaf_expired: {
      CertificateSpec s = leaf_spec(intermediate_key(), "pck-leaf-expired");
      s.not_before = kExpiredNotBefore;
      s.not_after = kExpiredNotAfter;
      return make_certificate(s).pem + inter + root;
    }
    case ChainVariant::leaf_not_yet_valid: {
      CertificateSpec s = leaf_spec(intermediate_key(), "pck-leaf-not-yet-valid");
      s.not_before = kFutureNotBefore;
      return make_certificate(s).pem + inter + root;
    }
    case ChainVariant::intermediate_expired: {
      CertificateSpec s = intermediate_spec(intermediate_key(), root_key(), "pck-platform-ca-expired");
      s.not_before = kExpiredNotBefore;
      s.not_after = kExpiredNotAfter;
      return leaf + make_certificate(s).pem + root;
    }
    case ChainVariant::wrong_root: {
      const P256Key impostor_root = P256Key::from_label(kImpostorRootKeyLabel);
      const P256Key impostor_inter = P256Key::from_label(kImpostorIntermediateKeyLabel);
      const Certificate r = make_certificate(root_spec(impostor_root, "impostor-root-ca"));
      const Certificate i =
          make_certificate(intermediate_spec(impostor_inter, impostor_root, "impostor-pck-platform-ca"));
      const Certificate l = make_certificate(leaf_spec(impostor_inter, "impostor-pck-leaf"));
      return l.pem + i.pem + r.pem;
    }
    case ChainVariant::missing_intermediate:
      return leaf + root;
    case ChainVariant::forged_leaf: {
      const P256Key forger = P256Key::from_label(kForgerKeyLabel);
      CertificateSpec s = leaf_spec(intermediate_key(), "forged-pck-leaf");
      s.signer = &forger;  // issuer name and key identifier say "intermediate"; the signature does not
      return make_certificate(s).pem + inter + root;
    }
    case ChainVariant::intermediate_not_ca: {
      CertificateSpec s = intermediate_spec(intermediate_key(), root_key(), "pck-platform-ca-not-ca");
      s.ca = false;
      s.path_len.reset();
      return leaf + make_certificate(s).pem + root;
    }
  }
  return leaf + inter + root;
}

}  // namespace pnc::mock_tdx
