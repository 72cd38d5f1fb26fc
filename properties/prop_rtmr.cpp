// P-RTMR (PROTOCOL.md §14, §9.5): replaying a random list of events equals iterated SHA-384
// extension per IMR; order matters; runtime-event digests follow the dstack V1 formula; the
// event-log JSON round-trips. Oracle: OpenSSL SHA-384 applied as §9.5 states.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/tdx_eventlog.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;

rc::Gen<tdx::Event> event() {
  return rc::gen::apply(
      [](std::uint32_t imr, std::string name, Bytes payload) {
        tdx::Event e = tdx::runtime_event(name, payload);
        e.imr = imr;
        return e;
      },
      rc::gen::inRange<std::uint32_t>(0, 4), string_of("abcdefghijklmnopqrstuvwxyz-", 1, 20), bytes_between(0, 40));
}

Bytes v1_digest(const std::string& name, const Bytes& payload) {
  Bytes in = {0x01, 0x00, 0x00, 0x08};  // LE32(0x08000001)
  in.push_back(':');
  in.insert(in.end(), name.begin(), name.end());
  in.push_back(':');
  in.insert(in.end(), payload.begin(), payload.end());
  return ossl_sha384(in);
}

std::array<Bytes, 4> model_replay(const std::vector<tdx::Event>& events) {
  std::array<Bytes, 4> mr;
  for (auto& m : mr) m = Bytes(48, 0);
  for (const auto& e : events) {
    Bytes in = mr[e.imr];
    in.insert(in.end(), e.digest.begin(), e.digest.end());
    mr[e.imr] = ossl_sha384(in);
  }
  return mr;
}

RC_GTEST_PROP(PRtmr, RuntimeDigestIsDstackV1, ()) {
  const std::string name = *string_of("abcdefghijklmnopqrstuvwxyz-", 0, 30);
  const Bytes payload = *bytes_between(0, 64);
  const auto d = tdx::runtime_event_digest(name, payload);
  RC_ASSERT(Bytes(d.begin(), d.end()) == v1_digest(name, payload));
}

RC_GTEST_PROP(PRtmr, ReplayIsIteratedExtension, ()) {
  const auto events = *rc::gen::container<std::vector<tdx::Event>>(event());
  const auto got = tdx::replay_rtmrs(events);
  const auto want = model_replay(events);
  for (std::size_t i = 0; i < 4; ++i) RC_ASSERT(Bytes(got[i].begin(), got[i].end()) == want[i]);
  RC_ASSERT(tdx::runtime_digests_consistent(events));
  // The JSON form round-trips (§9.5 member types).
  const auto parsed = tdx::parse_event_log(tdx::event_log_json(events));
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed->size() == events.size());
  const auto again = tdx::replay_rtmrs(*parsed);
  RC_ASSERT(again == got);
}

RC_GTEST_PROP(PRtmr, OrderMatters, ()) {
  auto events = *rc::gen::mapcat(rc::gen::inRange<std::size_t>(2, 8), [](std::size_t n) { return rc::gen::container<std::vector<tdx::Event>>(n, event()); });
  const std::size_t i = *rc::gen::inRange<std::size_t>(0, events.size());
  const std::size_t j = (i + *rc::gen::inRange<std::size_t>(1, events.size())) % events.size();
  // Distinct events (distinct digests) on one register, so the swap is observable.
  events[j] = tdx::runtime_event(events[i].event + "-other", events[j].payload);
  for (auto& e : events) e.imr = 3;
  const auto before = tdx::replay_rtmrs(events);
  std::swap(events[i], events[j]);
  const auto after = tdx::replay_rtmrs(events);
  RC_ASSERT(before[3] != after[3]);
}

RC_GTEST_PROP(PRtmr, AlteredDigestIsInconsistent, ()) {
  auto events = *rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 6), [](std::size_t n) { return rc::gen::container<std::vector<tdx::Event>>(n, event()); });
  for (auto& e : events) e.imr = 3;
  const std::size_t i = *rc::gen::inRange<std::size_t>(0, events.size());
  const std::size_t bit = *rc::gen::inRange<std::size_t>(0, 384);
  events[i].digest[bit / 8] = static_cast<std::uint8_t>(events[i].digest[bit / 8] ^ (1u << (bit % 8)));
  RC_ASSERT_FALSE(tdx::runtime_digests_consistent(events));  // N-Q-15
}

}  // namespace
