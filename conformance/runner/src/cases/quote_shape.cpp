#include "cases/quote_shape.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "pnc/crypto.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::conf {

namespace {

// §9.2: REPORTDATA of a v4 quote starts at 568; the upstream mocks write SHA256(N) at 584
// (SDK / VAL, overlapping writes) or 368 (API), §9.6.
constexpr std::size_t kReportDataV4 = 568;
constexpr std::size_t kUpstreamSdkOffset = 584;
constexpr std::size_t kUpstreamApiOffset = 368;
constexpr std::size_t kUpstreamMockSize = 1024;
constexpr std::size_t kUserDataOffset = 28;  // §9.2 header: user_data [28, 48)

std::string hex16(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

std::vector<std::size_t> digest_offsets(ByteView quote, ByteView digest) {
  std::vector<std::size_t> out;
  if (quote.size() < digest.size()) return out;
  for (std::size_t o = 0; o + digest.size() <= quote.size(); ++o)
    if (std::equal(digest.begin(), digest.end(), quote.begin() + static_cast<std::ptrdiff_t>(o))) out.push_back(o);
  return out;
}

}  // namespace

std::string describe_quote_shape(ByteView quote, ByteView nonce) {
  std::string out = std::to_string(quote.size()) + " bytes";
  if (quote.size() < 2) return out + ", too short to carry a version field";
  const unsigned version = quote[0] | (static_cast<unsigned>(quote[1]) << 8);
  if (version == 4 || version == 5) out += ", a TDX v" + std::to_string(version) + " quote";
  else out += ", not a TDX v4/v5 quote (version field " + hex16(version) + ")";

  const std::string_view marker = tdx::kMockMarker;
  if (quote.size() >= kUserDataOffset + marker.size() &&
      std::equal(marker.begin(), marker.end(), quote.begin() + kUserDataOffset))
    out += ", carrying the mock marker (§9.6)";

  if (quote.size() == kUpstreamMockSize && std::all_of(quote.begin(), quote.end(), [](std::uint8_t b) { return b == '0'; }))
    return out + "; 1024 x '0': the upstream Python test mock (§9.6)";

  const auto digest = crypto::sha256(nonce);
  const auto at = digest_offsets(quote, ByteView(digest.data(), digest.size()));
  if (at.empty()) return out + "; SHA256(N) is nowhere in the quote";
  if (std::find(at.begin(), at.end(), kReportDataV4) != at.end()) return out + "; SHA256(N) at offset 568 (REPORTDATA)";
  std::string where;
  for (std::size_t o : at) where += (where.empty() ? "" : ", ") + std::to_string(o);
  out += "; SHA256(N) complete only at offset " + where;
  if (quote.size() == kUpstreamMockSize && at.size() == 1 && at.front() == kUpstreamSdkOffset)
    out += ": an upstream-style mock quote (SDK / VAL mock, §9.6, D-03)";
  else if (quote.size() == kUpstreamMockSize && at.size() == 1 && at.front() == kUpstreamApiOffset)
    out += ": an upstream API mock quote (§9.6, D-03)";
  else
    out += ", not at REPORTDATA (568, D-03)";
  return out;
}

}  // namespace pnc::conf
