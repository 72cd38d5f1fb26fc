// Cross-checks of quote_structure_test.json and eventlog_test.json with OpenSSL's SHA-2: the
// report_data bindings, the mock signature and QE-report hash of §9.6, runtime-event digests and
// RTMR replay (§9.5).
#include "crosscheck.hpp"

namespace xcheck {
namespace {

Bytes slice(const Bytes& b, std::size_t off, std::size_t n) {
  if (off + n > b.size()) return {};
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(off), b.begin() + static_cast<std::ptrdiff_t>(off + n));
}
// §9.6: ECDSA field = SHA512("PNC-MOCK-SIG" || Q[0:632)).
bool mock_signature_ok(const Bytes& q) {
  return q.size() >= 700 && sha512(cat(bytes("PNC-MOCK-SIG"), slice(q, 0, 632))) == slice(q, 636, 64);
}
// §9.2: QE report_data[0:32] = SHA256(attestation key || QE auth data) (A at +582, data at +584).
bool qe_hash_ok(const Bytes& q) {
  if (q.size() < 636 + 584) return false;
  const std::size_t a = q[636 + 582] | (std::size_t{q[636 + 583]} << 8);
  const Bytes data = slice(q, 636 + 584, a);
  return data.size() == a && sha256(cat(slice(q, 636 + 64, 64), data)) == slice(q, 636 + 134 + 320, 32);
}
std::optional<std::vector<Bytes>> replay(const std::string& log_text) {
  const Json log = Json::parse(log_text, nullptr, false);
  if (!log.is_array()) return std::nullopt;
  std::vector<Bytes> rtmr(4, Bytes(48, 0));
  for (const auto& e : log) {
    if (!e.is_object() || !e.contains("imr") || !e["imr"].is_number_integer()) return std::nullopt;
    const auto imr = e["imr"].get<long>();
    const auto d = unhex(e.value("digest", ""));
    if (imr < 0 || imr > 3 || !d || d->size() != 48) return std::nullopt;
    rtmr[static_cast<std::size_t>(imr)] = sha384(cat(rtmr[static_cast<std::size_t>(imr)], *d));
  }
  return rtmr;
}

}  // namespace

Outcome check_quote(const Json& g, const Json& t) {
  const std::string type = g["type"].get<std::string>();
  if (type == "ReportData") {
    const std::string n = s(t, "nonce");
    const Bytes digest = t["kind"] == "ws" ? sha256(unhex(n).value_or(Bytes{})) : sha256(bytes(n));
    return agree(cat(digest, Bytes(32, 0)) == h(t, "reportData"), valid(t), "report_data");
  }
  const Bytes q = h(t, "quote");
  if (type == "QuoteParse") {
    // Valid quotes: OpenSSL recomputes the mock signature and the QE report hash of §9.6.
    if (!valid(t)) return skip();
    return agree(mock_signature_ok(q) && qe_hash_ok(q), true, "mock signature / QE report hash");
  }
  const bool binding_ok = slice(q, 568, 32) == sha256(h(t, "nonce"));
  if (has_flag(t, "NonceBinding")) return agree(binding_ok, false, "REPORTDATA[0:32] == SHA256(N)");
  if (has_flag(t, "MockPolicy") && q.size() >= 700 && slice(q, 12, 16) == unhex("939a7233f79c4ca9940a0db3957f0607") &&
      slice(q, 28, 20) == bytes("PNC-MOCK-TDX-QUOTE-1"))
    return agree(mock_signature_ok(q), false, "mock signature");
  if (!valid(t)) return skip();
  const bool mock = t["mode"] == "mock";
  return agree(binding_ok && (!mock || mock_signature_ok(q)), true, "binding and mock signature");
}

Outcome check_eventlog(const Json& g, const Json& t) {
  const std::string type = g["type"].get<std::string>();
  if (type == "RuntimeEventDigest") {
    const Bytes in = cat(cat(cat(Bytes{0x01, 0x00, 0x00, 0x08}, bytes(":" + s(t, "event") + ":")), h(t, "payload")), {});
    return agree(sha384(in) == h(t, "digest"), valid(t), "digest");
  }
  if (type == "RtmrReplay") {
    if (!valid(t) || t.contains("padTo")) return skip();
    const auto r = replay(s(t, "eventLog"));
    if (!r) return bad("log not replayable");
    for (std::size_t i = 0; i < 4; ++i)
      if (hex((*r)[i]) != t["rtmrs"][i].get<std::string>()) return bad("rtmr" + std::to_string(i) + " differs");
    return openssl_ok();
  }
  if (type == "Rtmr3Check") {
    const auto r = replay(s(t, "eventLog"));
    const bool match = r && (*r)[3] == slice(h(g, "quote"), 520, 48);
    return agree(match, valid(t), "RTMR3 replay");
  }
  return skip();  // rtmrs shape, environment and compose-hash rules are not cryptographic
}

}  // namespace xcheck
