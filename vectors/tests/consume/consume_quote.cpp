// Consumer of quote_structure_test.json: parse_quote (and serialize_quote round trip),
// verify_peer_quote with a stub DCAP verifier, and the report_data helpers.
#include "pnc/attestation.hpp"
#include "pnc/tdx_quote.hpp"
#include "runner.hpp"
#include "pnc/testkit/oracles.hpp"
#include "support/vectors.hpp"

namespace pnc::vectors {
namespace {

// Test-side base64 (OpenSSL, the toolkit's): the check takes the quote as it arrives on the wire.
std::string b64(ByteView b) { return testkit::ossl_b64(b); }

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
