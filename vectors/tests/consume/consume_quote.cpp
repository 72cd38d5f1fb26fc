// Consumer of quote_structure_test.json: parse_quote (and serialize_quote round trip),
// verify_peer_quote with a stub DCAP verifier, and the report_data helpers.
#include "pnc/attestation.hpp"
#include "pnc/tdx_quote.hpp"
#include "runner.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {
namespace {

class StubDcap final : public DcapVerifier {
 public:
  explicit StubDcap(bool accept) : accept_(accept) {}
  Status verify(ByteView) override {
    if (accept_) return {};
    return make_error("dcap.stub_reject", "stub DCAP verifier rejects");
  }

 private:
  bool accept_;
};

// Test-side base64 (the check takes the quote as it arrives on the wire).
std::string b64(ByteView b) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{b[i]} << 16) | (i + 1 < b.size() ? std::uint32_t{b[i + 1]} << 8 : 0) |
                            (i + 2 < b.size() ? std::uint32_t{b[i + 2]} : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < b.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < b.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

}  // namespace

Verdict run_quote(const Json& g, const Json& t, Profile p) {
  const std::string type = g["type"].get<std::string>();
  if (type == "QuoteParse") {
    const Bytes q = hex_field(t, "quote");
    const auto r = tdx::parse_quote(q, p);
    if (!r.ok()) return {false, {}};
    return {true, tdx::serialize_quote(r.value()) == q ? "" : "serialize(parse(q)) != q"};
  }
  if (type == "ReportData") {
    const std::string n = str_field(t, "nonce");
    const ByteArray<64> rd = t["kind"] == "ws" ? ws_report_data(test::hex(n)) : http_report_data(n);
    return {true, compare("reportData", rd, hex_field(t, "reportData"))};
  }
  const std::string quote_b64 = b64(hex_field(t, "quote"));
  const Bytes nonce = hex_field(t, "nonce");
  StubDcap dcap(t["dcap"] == "accept");
  PeerQuoteCheck c;
  c.profile = p;
  c.mode = t["mode"] == "prod" ? AttestationMode::prod : AttestationMode::mock;
  c.quote_b64 = quote_b64;
  if (!t["eventLog"].is_null()) c.event_log = t["eventLog"].get<std::string>();
  c.nonce = nonce;
  c.local_env = str_field(t, "localEnv");
  if (!t["keyBinding"].is_null()) {
    ByteArray<32> kb{};
    const Bytes b = hex_field(t, "keyBinding");
    std::copy(b.begin(), b.end(), kb.begin());
    c.key_binding = kb;
  }
  if (!t["expectedComposeHash"].is_null()) c.expected_compose_hash = t["expectedComposeHash"].get<std::string>();
  c.dcap = &dcap;
  return {verify_peer_quote(c).ok(), {}};
}

}  // namespace pnc::vectors
