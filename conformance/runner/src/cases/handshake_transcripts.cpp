#include "cases/handshake_transcripts.hpp"

#include <algorithm>
#include <optional>

#include "cases/shim_session.hpp"
#include "cases/text.hpp"

namespace pnc::conf {

namespace {

using json::Json;

// Frames compare as parsed JSON: member order and spacing are the implementation's choice.
bool same_frame(const Json& want, const Json& got) {
  if (!want.is_string() || !got.is_string()) return want == got;
  auto w = json::parse(want.get_ref<const std::string&>(), Profile::sdk_compat);
  auto g = json::parse(got.get_ref<const std::string&>(), Profile::sdk_compat);
  return w && g ? *w == *g : want == got;
}

std::string show(const Json& v) { return clip(v.is_string() ? v.get<std::string>() : v.dump(), 160); }

// Where the machine stands after the inputs.
struct Transcript {
  std::string state = "handshaking";  // handshaking | established | closed
  std::string reason;                 // the shim's reason when it refused
  Json sent = Json::array();
};

}  // namespace

Outcome run_handshake_transcript(Context& ctx, const Json& group, const Json& test, const std::string& expected,
                                 const std::string& session) {
  auto* shim = dynamic_cast<ShimSession*>(ctx.session);
  if (shim == nullptr) return Outcome::fail("no shim session (runner misconfiguration)");
  const Json config = test.value("config", Json::object());
  Json start = {{"session", session},
                {"role", string_member(group, "role")},
                {"mode", string_member(config, "mode")},
                {"env_mode", string_member(config, "envMode")},
                {"rng", string_member(test, "rng")},
                {"dcap", "accept"}};  // the vectors' prod mode stubs DCAP with an accepting verifier
  if (config.contains("expectedComposeHash")) start["expected_compose_hash"] = config.at("expectedComposeHash");

  Transcript t;
  // One step: an Outcome when the case is decided by the exchange itself (shim fault, unimplemented).
  auto step = [&](const char* op, const Json& args) -> std::optional<Outcome> {
    auto answer = shim->call(op, args, ctx.profile);
    if (!answer) return Outcome::fail(std::string(op) + ": " + answer.error().message);
    if (answer->kind == ShimAnswer::Kind::unimplemented) return Outcome{Verdict::unimplemented, std::string("the shim does not implement ") + op, {}};
    if (answer->kind == ShimAnswer::Kind::error) {  // the machine refused the input: closed
      t.state = "closed";
      t.reason = answer->error;
      return std::nullopt;
    }
    const Json& r = answer->result;
    if (r.contains("sent") && r.at("sent").is_array())
      for (const auto& f : r.at("sent")) t.sent.push_back(f);
    t.state = string_member(r, "state");
    if (t.state != "handshaking" && t.state != "established" && t.state != "closed")
      return Outcome::fail(std::string(op) + " answered state \"" + clip(t.state, 40) + "\" (handshaking, established or closed)");
    t.reason = string_member(r, "reason");
    return std::nullopt;
  };
  auto judge = [&]() -> Outcome {
    if (auto decided = step("handshake_start", start)) return *decided;
    for (const auto& in : test.value("inputs", Json::array())) {
      if (t.state == "closed") break;  // a closed connection receives nothing more
      Json args = {{"session", session}};
      if (in.contains("binary")) args["binary"] = true;
      else if (in.contains("timeout")) args["timeout"] = true;
      else {
        args["text"] = string_member(in, "text");
        if (in.contains("padTo")) args["pad_to"] = in.at("padTo");
      }
      if (auto decided = step("handshake_input", args)) return *decided;
    }
    const bool established = t.state == "established";
    const std::string why = t.reason.empty() ? "" : " (" + clip(t.reason, 80) + ")";
    if (expected == "acceptable") return Outcome::pass(established ? "session established (acceptable)" : "refused" + why + " (acceptable)");
    if (expected == "invalid") {
      if (established) return Outcome::fail("the session was established", "the machine refuses the transcript");
      return Outcome::pass("refused" + why);
    }
    if (!established) return Outcome::fail("no session: state " + t.state + why, "the session is established");
    if (ctx.profile == Profile::seed_spec && test.contains("sent")) {
      const Json& want = test.at("sent");
      for (std::size_t i = 0; i < std::max(want.size(), t.sent.size()); ++i) {
        if (i >= t.sent.size()) return Outcome::fail("sent " + std::to_string(t.sent.size()) + " frames", "frame " + std::to_string(i + 1) + " = " + show(want[i]));
        if (i >= want.size()) return Outcome::fail("sent an extra frame " + show(t.sent[i]), "only the " + std::to_string(want.size()) + " recorded frames");
        if (!same_frame(want[i], t.sent[i]))
          return Outcome::fail("frame " + std::to_string(i + 1) + " sent = " + show(t.sent[i]), "frame " + std::to_string(i + 1) + " = " + show(want[i]));
      }
    }
    if (ctx.profile != Profile::hardened && test.contains("probe")) {
      auto answer = shim->call("handshake_probe", {{"session", session}, {"frame", string_member(test, "probe")}}, ctx.profile);
      if (!answer) return Outcome::fail("handshake_probe: " + answer.error().message);
      if (answer->kind == ShimAnswer::Kind::unimplemented) return Outcome{Verdict::unimplemented, "the shim does not implement handshake_probe", {}};
      if (answer->kind == ShimAnswer::Kind::error)
        return Outcome::fail("the session key does not open the probe envelope (" + clip(answer->error, 80) + ")",
                             "the derived session delivers the probe envelope");
    }
    return Outcome::pass("session established" + std::string(test.contains("probe") && ctx.profile != Profile::hardened ? ", probe delivered" : ""));
  };
  Outcome out = judge();
  // Free the shim's machine; a shim that just failed is restarted anyway, so do not wake it.
  (void)shim->call_if_healthy("handshake_end", {{"session", session}}, ctx.profile);
  return out;
}

}  // namespace pnc::conf
