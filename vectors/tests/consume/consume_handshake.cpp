// Consumer of handshake_test.json: drives ServerHandshake or ClientHandshake with the case's
// randomness, a MockQuoteV4 provider and a stub DCAP verifier; checks establishment, the frames
// sent (seed-spec) and that the derived session opens the probe envelope.
#include "fixed_rng.hpp"
#include "pnc/handshake.hpp"
#include "pnc/tdx_mock.hpp"
#include "runner.hpp"

namespace pnc::vectors {
namespace {

class AcceptDcap final : public DcapVerifier {
 public:
  Status verify(ByteView) override { return {}; }
};

template <class Machine>
Verdict drive(Machine& m, std::vector<std::string> sent, const Json& t, Profile p) {
  for (const auto& in : t["inputs"]) {
    handshake::Step st;
    if (in.contains("binary")) st = m.on_binary();
    else if (in.contains("timeout")) st = m.deadline_applies() ? m.on_timeout() : handshake::Step{};
    else {
      std::string frame = in["text"].get<std::string>();
      if (in.contains("padTo")) frame.resize(in["padTo"].get<std::size_t>(), ' ');
      st = m.on_text(frame);
    }
    for (auto& fr : st.send) sent.push_back(std::move(fr));
    if (st.close) break;
  }
  auto session = m.take_session();
  if (!session) return {false, {}};
  if (p == Profile::seed_spec && t.contains("sent") && Json(sent) != t["sent"]) return {true, "frames sent differ"};
  if (p != Profile::hardened && t.contains("probe") && !session->receive_text(t["probe"].get<std::string>()).delivered())
    return {true, "session key does not open the probe envelope"};
  return {true, {}};
}

}  // namespace

Verdict run_handshake(const Json& g, const Json& t, Profile p) {
  const Json& cfg = t["config"];
  FixedRng rng(hex_field(t, "rng"));
  tdx::MockParams own;
  own.env_mode = cfg["envMode"].get<std::string>();
  tdx::MockQuoteProvider provider(own);
  AcceptDcap dcap;
  const auto mode = cfg["mode"] == "prod" ? AttestationMode::prod : AttestationMode::mock;
  if (g["role"] == "server") {
    handshake::ServerConfig sc;
    sc.profile = p;
    sc.mode = mode;
    sc.env_mode = own.env_mode;
    sc.dcap = &dcap;
    handshake::ServerHandshake s(sc, rng, provider);
    return drive(s, {}, t, p);
  }
  handshake::ClientConfig cc;
  cc.profile = p;
  cc.mode = mode;
  cc.env_mode = own.env_mode;
  cc.dcap = &dcap;
  if (cfg.contains("expectedComposeHash")) cc.expected_compose_hash = cfg["expectedComposeHash"].get<std::string>();
  handshake::ClientHandshake c(cc, rng, &provider);
  auto first = c.start();
  if (first.close) return {false, {}};
  return drive(c, std::move(first.send), t, p);
}

}  // namespace pnc::vectors
