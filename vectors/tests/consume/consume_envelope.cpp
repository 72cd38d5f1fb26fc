// Consumer of envelope_test.json: one Channel per case under the run's profile; `setup` steps
// first, then the case's frame (text, or binary when `binary` is set).
#include "fixed_rng.hpp"
#include "pnc/envelope.hpp"
#include "runner.hpp"

namespace pnc::vectors {

Verdict run_envelope(const Json&, const Json& t, Profile p) {
  const Secret<32> key(hex_field(t, "key"));
  envelope::Channel ch(p, key);
  if (t.contains("setup")) {
    for (const auto& step : t["setup"]) {
      if (step["op"] == "receive") {
        if (!ch.receive_text(str_field(step, "frame")).delivered()) return {false, "setup frame not delivered"};
      } else {
        FixedRng rng(hex_field(step, "nonce"));
        const auto sent = ch.seal(str_field(step, "plaintext"), rng);
        if (!sent.ok() || sent.value() != str_field(step, "frame")) return {false, "setup send differs"};
      }
    }
  }
  std::string frame = str_field(t, "frame");
  if (t.contains("padTo")) frame.resize(t["padTo"].get<std::size_t>(), ' ');
  const auto out = t.value("binary", false) ? ch.receive_binary() : ch.receive_text(frame);
  if (!out.delivered()) return {false, {}};
  return {true, out.opened.plaintext == str_field(t, "msg") ? "" : "plaintext differs"};
}

}  // namespace pnc::vectors
