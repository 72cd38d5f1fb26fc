#include "cases/challenge_ws_support.hpp"

#include "pnc/codec.hpp"

namespace pnc::conf {

Outcome judge_reaction(Context& ctx, Conn& conn, const WsExpect& e) {
  using K = WsExpect::Kind;
  const std::string expected = e.describe(true);
  switch (e.kind) {
    case K::responds: {
      const Observation obs = first_message(*conn.ws, ctx.timeout);
      if (obs.saw_type("attestation_response")) return Outcome::pass("attestation_response");
      return Outcome::fail(obs.describe(), expected);
    }
    case K::alive: {
      const std::string problem = probe(ctx, conn);
      if (problem.empty()) return Outcome::pass("frame dropped, liveness probe answered");
      return Outcome::fail(problem, expected);
    }
    case K::accepted: {
      const std::string problem = probe(ctx, conn);
      if (problem.empty()) return Outcome::pass("accepted and processed");
      return Outcome::fail(problem, expected);
    }
    default:
      return judge_close(e, observe(*conn.ws, ctx.timeout), true);
  }
}

std::string b64_resize(const std::string& b64, std::size_t n) {
  Bytes b = *codec::b64_decode(b64);
  b.resize(n, 0x41);
  return codec::b64_encode(b);
}

}  // namespace pnc::conf
