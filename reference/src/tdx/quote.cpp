// §9.2/§9.4 layout (v4, v5) / §9.3 structural validation. Every read goes through Reader, which checks bounds
// against the quote length first, so no input can cause an out-of-bounds access.
#include <algorithm>
#include <string>

#include "pnc/tdx_quote.hpp"

namespace pnc::tdx {
namespace {

std::uint16_t le16(ByteView b, std::size_t off) {
  return static_cast<std::uint16_t>(b[off] | (b[off + 1] << 8));
}
std::uint32_t le32(ByteView b, std::size_t off) {
  return static_cast<std::uint32_t>(b[off]) | static_cast<std::uint32_t>(b[off + 1]) << 8 |
         static_cast<std::uint32_t>(b[off + 2]) << 16 | static_cast<std::uint32_t>(b[off + 3]) << 24;
}
template <std::size_t N>
void copy_at(ByteView b, std::size_t off, ByteArray<N>& out) {
  std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(off), N, out.begin());
}

void put16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put(Bytes& out, ByteView v) { out.insert(out.end(), v.begin(), v.end()); }

Error fail(const char* code, const std::string& what) {
  return make_error(code, std::string("TDX quote: ") + what);
}

}  // namespace

Result<QuoteV4> parse_quote(ByteView q, Profile profile) {
  // Step 1: overall size. Everything below reads at most [0, 636) until the body end is known.
  if (q.size() < kMinQuoteSize)
    return fail(kTruncated, std::to_string(q.size()) + " bytes, minimum 636");
  if (q.size() > kMaxQuoteSize)
    return fail(kTooLarge, std::to_string(q.size()) + " bytes, maximum 65536");

  QuoteV4 out;
  // Step 2: header.
  out.version = le16(q, kOffVersion);
  if (out.version != kVersion4 && out.version != kVersion5)
    return fail(kBadVersion, "version " + std::to_string(out.version));
  out.att_key_type = le16(q, kOffAttKeyType);
  if (out.att_key_type != kAttKeyEcdsaP256)
    return fail(kBadKeyType, "attestation key type " + std::to_string(out.att_key_type));
  out.tee_type = le32(q, kOffTeeType);
  if (out.tee_type != kTeeTypeTdx) return fail(kBadTeeType, "TEE type " + std::to_string(out.tee_type));
  copy_at(q, kOffReserved, out.reserved);
  copy_at(q, kOffQeVendorId, out.qe_vendor_id);
  if (out.qe_vendor_id != kIntelQeVendorId) return fail(kBadQeVendor, "QE vendor id is not Intel's");
  copy_at(q, kOffUserData, out.user_data);

  // v5 body descriptor (§9.4): the type fixes the size; SGX enclave bodies (type 1) are not TDX.
  if (out.version == kVersion5) {
    out.body_type = le16(q, kOffBody);
    if (out.body_type != kBodyTypeTdReport10 && out.body_type != kBodyTypeTdReport15)
      return fail(kBadBodyType, "v5 body type " + std::to_string(out.body_type));
    const std::uint32_t size = le32(q, kOffBody + 2);
    if (size != out.body_size())
      return fail(kBadBodySize, "v5 body size " + std::to_string(size) + " for body type " +
                                    std::to_string(out.body_type));
  }
  const std::size_t body = out.body_offset();
  const std::size_t sig_len_at = out.signed_size();
  const std::size_t sig_at = sig_len_at + 4;
  if (q.size() < sig_at)
    return fail(kTruncated, std::to_string(q.size()) + " bytes, minimum " + std::to_string(sig_at));

  // Body: every field at its v4 offset moved by the v5 descriptor; all inside [0, sig_len_at).
  auto at = [body](std::size_t v4_offset) { return body + (v4_offset - kOffBody); };
  copy_at(q, at(kOffTeeTcbSvn), out.tee_tcb_svn);
  copy_at(q, at(kOffMrSeam), out.mr_seam);
  copy_at(q, at(kOffMrSignerSeam), out.mr_signer_seam);
  copy_at(q, at(kOffSeamAttributes), out.seam_attributes);
  copy_at(q, at(kOffTdAttributes), out.td_attributes);
  copy_at(q, at(kOffXfam), out.xfam);
  copy_at(q, at(kOffMrTd), out.mr_td);
  copy_at(q, at(kOffMrConfigId), out.mr_config_id);
  copy_at(q, at(kOffMrOwner), out.mr_owner);
  copy_at(q, at(kOffMrOwnerConfig), out.mr_owner_config);
  for (std::size_t i = 0; i < out.rtmr.size(); ++i) copy_at(q, at(kOffRtmr[i]), out.rtmr[i]);
  copy_at(q, at(kOffReportData), out.report_data);
  if (out.body_type == kBodyTypeTdReport15) {
    copy_at(q, body + kBodySize, out.tee_tcb_svn2);
    copy_at(q, body + kBodySize + 16, out.mr_service_td);
  }

  // Step 3: signature data length. S is compared in 64-bit arithmetic: no overflow for 2^32-1.
  const std::uint64_t s = le32(q, sig_len_at);
  if (s < kMinSigDataLen)
    return fail(kBadSigLen, "signature data length " + std::to_string(s) + " < 134");
  if (s > kMaxQuoteSize - sig_at)
    return fail(kBadSigLen, "signature data length " + std::to_string(s) + " exceeds the limit");
  const std::uint64_t end = sig_at + s;
  if (end > q.size())
    return fail(kTruncated, "quote of " + std::to_string(q.size()) + " bytes, signature data needs " +
                                std::to_string(end));
  // Zero padding after the signature data (real quote buffers) is accepted everywhere (DEC-30);
  // anything else there is a second encoding of the quote, refused by the strict profiles.
  const ByteView after = q.subspan(static_cast<std::size_t>(end));
  const auto nonzero = std::find_if(after.begin(), after.end(), [](std::uint8_t b) { return b != 0; });
  if (nonzero != after.end() && is_strict(profile))
    return fail(kTrailingBytes, "non-zero byte at offset " + std::to_string(end + static_cast<std::size_t>(nonzero - after.begin())) +
                                    ", after the signature data (" + std::to_string(after.size()) + " bytes follow it)");

  // Step 4: inside the signature data; `sd` spans exactly S bytes, so each check below is
  // against sd.size() before the read.
  ByteView sd = q.subspan(sig_at, static_cast<std::size_t>(s));
  copy_at(sd, kRelEcdsaSig, out.ecdsa_signature);
  copy_at(sd, kRelAttestKey, out.attestation_key);
  out.cert_type = le16(sd, kRelCertType);
  if (out.cert_type != kCertTypeQeReport)
    return fail(kBadCertType, "certification data type " + std::to_string(out.cert_type));
  const std::uint64_t m = le32(sd, kRelCertSize);
  if (kRelQeReport + m != s)
    return fail(kBadCertSize, "certification data size " + std::to_string(m) + " != S - 134");
  if (m < kMinCertSize)
    return fail(kBadCertSize, "certification data size " + std::to_string(m) + " < 450");
  copy_at(sd, kRelQeReport, out.qe_report);
  copy_at(sd, kRelQeReportSig, out.qe_report_signature);
  const std::uint64_t a = le16(sd, kRelQeAuthSize);
  // QE auth data plus the 2-byte inner type and 4-byte inner size must fit in S.
  if (kRelQeAuthData + a + 6 > s)
    return fail(kBadQeAuthSize, "QE authentication data size " + std::to_string(a) + " does not fit");
  const auto auth_at = kRelQeAuthData;
  const auto auth_len = static_cast<std::size_t>(a);
  out.qe_auth_data.assign(sd.begin() + static_cast<std::ptrdiff_t>(auth_at),
                          sd.begin() + static_cast<std::ptrdiff_t>(auth_at + auth_len));
  out.inner_cert_type = le16(sd, auth_at + auth_len);
  if (out.inner_cert_type != kCertTypePckChain)
    return fail(kBadInnerCertType, "inner certification data type " + std::to_string(out.inner_cert_type));
  const std::uint64_t p = le32(sd, auth_at + auth_len + 2);
  const std::size_t chain_at = auth_at + auth_len + 6;
  if (chain_at + p != s)
    return fail(kBadInnerCertSize, "PCK chain size " + std::to_string(p) + " does not end the data");
  out.pck_chain.assign(sd.begin() + static_cast<std::ptrdiff_t>(chain_at), sd.end());
  out.trailing.assign(q.begin() + static_cast<std::ptrdiff_t>(end), q.end());

  // Step 5.
  if (std::any_of(out.seam_attributes.begin(), out.seam_attributes.end(),
                  [](std::uint8_t b) { return b != 0; }))
    return fail(kSeamAttributes, "SEAMATTRIBUTES is not zero");
  return out;
}

Bytes serialize_quote(const QuoteV4& x) {
  Bytes out;
  const std::size_t a = x.qe_auth_data.size(), p = x.pck_chain.size();
  const std::size_t m = kQeReportSize + 64 + 2 + a + 2 + 4 + p;
  const std::size_t s = kRelQeReport + m;
  out.reserve(x.signed_size() + 4 + s + x.trailing.size());
  put16(out, x.version);
  put16(out, x.att_key_type);
  put32(out, x.tee_type);
  put(out, x.reserved);
  put(out, x.qe_vendor_id);
  put(out, x.user_data);
  if (x.version == kVersion5) {
    put16(out, x.body_type);
    put32(out, static_cast<std::uint32_t>(x.body_size()));
  }
  put(out, x.tee_tcb_svn);
  put(out, x.mr_seam);
  put(out, x.mr_signer_seam);
  put(out, x.seam_attributes);
  put(out, x.td_attributes);
  put(out, x.xfam);
  put(out, x.mr_td);
  put(out, x.mr_config_id);
  put(out, x.mr_owner);
  put(out, x.mr_owner_config);
  for (const auto& r : x.rtmr) put(out, r);
  put(out, x.report_data);
  if (x.body_type == kBodyTypeTdReport15) {
    put(out, x.tee_tcb_svn2);
    put(out, x.mr_service_td);
  }
  put32(out, static_cast<std::uint32_t>(s));
  put(out, x.ecdsa_signature);
  put(out, x.attestation_key);
  put16(out, x.cert_type);
  put32(out, static_cast<std::uint32_t>(m));
  put(out, x.qe_report);
  put(out, x.qe_report_signature);
  put16(out, static_cast<std::uint16_t>(a));
  put(out, x.qe_auth_data);
  put16(out, x.inner_cert_type);
  put32(out, static_cast<std::uint32_t>(p));
  put(out, x.pck_chain);
  put(out, x.trailing);
  return out;
}

}  // namespace pnc::tdx
