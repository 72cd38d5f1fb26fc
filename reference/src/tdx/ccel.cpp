// TCG crypto-agile event log and ACPI CCEL table (tdx_ccel.hpp). A cursor checks every read
// against the data length first, so any byte string yields events or a named error.
#include <cstring>
#include <map>
#include <numeric>
#include <string>

#include "pnc/tdx_ccel.hpp"

namespace pnc::tdx {
namespace {

constexpr std::size_t kSha1Size = 20;
constexpr std::uint32_t kEndOfLog = 0xFFFFFFFFu;
constexpr char kSpecIdSignature[] = "Spec ID Event03";  // 16 bytes with its NUL
constexpr std::size_t kSpecIdFixedSize = 16 + 4 + 1 + 1 + 1 + 1 + 4;  // up to numberOfAlgorithms
constexpr std::size_t kCcelTableSize = 56;

class Cursor {
 public:
  explicit Cursor(ByteView data) : data_(data) {}
  bool has(std::size_t n) const { return n <= data_.size() - pos_; }
  std::size_t pos() const { return pos_; }
  std::uint64_t le(std::size_t n) {  // caller checked has(n)
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  ByteView take(std::size_t n) {  // caller checked has(n)
    const ByteView out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

Error truncated(const Cursor& c, const char* what) {
  return make_error(kCcelTruncated, std::string("CCEL log: ") + what + " at offset " + std::to_string(c.pos()) +
                                        " runs past the end of the data");
}

// The Spec ID event's digest sizes per algorithm (TCG_EfiSpecIDEvent).
Result<std::map<std::uint16_t, std::uint16_t>> parse_spec_id(ByteView event) {
  if (event.size() < kSpecIdFixedSize || std::memcmp(event.data(), kSpecIdSignature, sizeof kSpecIdSignature) != 0)
    return make_error(kCcelBadHeader, "CCEL log: the first event is not a \"Spec ID Event03\" event");
  Cursor c(event.subspan(kSpecIdFixedSize - 4));
  const auto count = c.le(4);
  std::map<std::uint16_t, std::uint16_t> sizes;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!c.has(4)) return make_error(kCcelBadHeader, "CCEL log: Spec ID algorithm list truncated");
    const auto alg = static_cast<std::uint16_t>(c.le(2));
    sizes[alg] = static_cast<std::uint16_t>(c.le(2));
  }
  if (sizes.count(kTpmAlgSha384) == 0 || sizes[kTpmAlgSha384] != 48)
    return make_error(kCcelNoSha384, "CCEL log: no SHA-384 digest bank declared");
  return sizes;
}

}  // namespace

Result<std::vector<Event>> parse_ccel_log(ByteView log) {
  if (log.size() > kMaxCcelBytes) return make_error(kCcelTooLarge, "CCEL log larger than 16 MiB");
  Cursor c(log);
  // Header event, TCG_PCClientPCREvent (SHA-1 format): index, type, digest[20], size, data.
  if (!c.has(4 + 4 + kSha1Size + 4)) return truncated(c, "the Spec ID event");
  c.le(4);
  const auto header_type = c.le(4);
  c.take(kSha1Size);
  const auto header_size = c.le(4);
  if (header_type != kEvNoAction)
    return make_error(kCcelBadHeader, "CCEL log: the first event is not an EV_NO_ACTION Spec ID event");
  if (!c.has(header_size)) return truncated(c, "the Spec ID event data");
  auto sizes = parse_spec_id(c.take(static_cast<std::size_t>(header_size)));
  if (!sizes) return sizes.error();

  std::vector<Event> events;
  while (c.has(4)) {
    const auto start = c.pos();
    const auto mr_index = static_cast<std::uint32_t>(c.le(4));
    if (mr_index == kEndOfLog) break;
    if (!c.has(8)) return truncated(c, "an event header");
    Event ev;
    ev.event_type = static_cast<std::uint32_t>(c.le(4));
    const auto digest_count = c.le(4);
    bool has_sha384 = false;
    for (std::uint64_t i = 0; i < digest_count; ++i) {
      if (!c.has(2)) return truncated(c, "a digest");
      const auto alg = static_cast<std::uint16_t>(c.le(2));
      const auto it = sizes->find(alg);
      if (it == sizes->end())
        return make_error(kCcelBadAlgorithm, "CCEL log: event at offset " + std::to_string(start) +
                                                 " has a digest of undeclared algorithm " + std::to_string(alg));
      if (!c.has(it->second)) return truncated(c, "a digest");
      const ByteView d = c.take(it->second);
      if (alg == kTpmAlgSha384) {
        std::copy(d.begin(), d.end(), ev.digest.begin());
        has_sha384 = true;
      }
    }
    if (!c.has(4)) return truncated(c, "an event size");
    const auto size = c.le(4);
    if (!c.has(size)) return truncated(c, "event data");
    const ByteView data = c.take(static_cast<std::size_t>(size));
    if (ev.event_type == kEvNoAction) continue;
    if (mr_index < 1 || mr_index > kImrCount)
      return make_error(kCcelBadMrIndex, "CCEL log: event at offset " + std::to_string(start) + " extends MR index " +
                                             std::to_string(mr_index) + " (RTMRs are 1..4)");
    if (!has_sha384)
      return make_error(kCcelNoSha384, "CCEL log: event at offset " + std::to_string(start) + " has no SHA-384 digest");
    ev.imr = mr_index - 1;
    ev.payload.assign(data.begin(), data.end());
    events.push_back(std::move(ev));
  }
  return events;
}

Result<CcelTable> parse_ccel_table(ByteView t) {
  if (t.size() < kCcelTableSize || std::memcmp(t.data(), "CCEL", 4) != 0)
    return make_error(kCcelBadTable, "not an ACPI CCEL table (signature or size)");
  Cursor c(t);
  c.take(4);
  const auto length = c.le(4);
  if (length != t.size()) return make_error(kCcelBadTable, "CCEL table length field != data size");
  // ACPI: all bytes of the table sum to zero modulo 256.
  if (std::accumulate(t.begin(), t.end(), 0u) % 256 != 0) return make_error(kCcelBadTable, "CCEL table checksum");
  Cursor body(t.subspan(36));
  CcelTable out;
  out.cc_type = static_cast<std::uint8_t>(body.le(1));
  out.cc_subtype = static_cast<std::uint8_t>(body.le(1));
  body.le(2);
  out.log_area_length = body.le(8);
  out.log_area_address = body.le(8);
  return out;
}

}  // namespace pnc::tdx
