// Consumer of sealed_box_test.json: seal_open, the Ed25519 -> X25519 conversion, and
// handle_sealed_credentials with a pre-seeded MemoryDsnSink (rejections must leave it untouched).
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "runner.hpp"

namespace pnc::vectors {

Verdict run_sealed_box(const Json& g, const Json& t, Profile p) {
  const std::string type = g["type"].get<std::string>();
  if (type == "SealOpen") {
    const auto r = crypto::seal_open(hex_field(t, "sealed"), hex_field(g, "recipientPublic"), hex_field(g, "recipientPrivate"));
    if (!r.ok()) return {false, {}};
    return {true, compare("msg", r->view(), hex_field(t, "msg"))};
  }
  if (type == "Ed25519ToX25519") {
    const auto xp = crypto::ed25519_public_to_x25519(hex_field(t, "edPublic"));
    if (!xp.ok()) return {false, {}};
    std::string m = compare("x25519Public", xp.value(), hex_field(t, "x25519Public"));
    if (m.empty() && t.contains("edSeed")) {
      const auto xs = crypto::ed25519_seed_to_x25519(hex_field(t, "edSeed"));
      m = compare("x25519Private", xs.view(), hex_field(t, "x25519Private"));
      // P-SEAL: X25519(x_sk, 9) == EdPkToX25519(ed_pk).
      if (m.empty()) m = compare("X25519(x_sk, 9)", crypto::x25519_from_secret(xs.view()).pub, xp.value());
    }
    return {true, m};
  }
  credentials::MemoryDsnSink sink;
  const std::string before = "postgresql://previous@db/keep";
  sink.set(as_bytes(before));
  std::optional<std::string> key;
  if (!t["receiverKeyB64"].is_null()) key = t["receiverKeyB64"].get<std::string>();
  const auto reply = credentials::handle_sealed_credentials(str_field(t, "body"), key, p, sink);
  if (reply.status != 200) {
    const bool untouched = sink.writes() == 0 && sink.value() && to_string(sink.value()->view()) == before;
    std::string m = untouched ? "" : "SDK_DB_DSN changed on a rejected request (N-CRED-13)";
    if (m.empty() && is_strict(p) && p == Profile::seed_spec && reply.status != t["status"].get<int>())
      m = "status " + std::to_string(reply.status) + ", want " + std::to_string(t["status"].get<int>());
    if (!m.empty()) return {true, m};  // reported as a mismatch whatever the expected result
    return {false, {}};
  }
  if (!sink.value()) return {true, "accepted without storing a DSN"};
  return {true, to_string(sink.value()->view()) == str_field(t, "dsn") ? "" : "stored DSN differs"};
}

}  // namespace pnc::vectors
