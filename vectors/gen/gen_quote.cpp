// quote_structure_test.json: TDX DCAP v4 quotes (PROTOCOL.md §9.2-§9.3) built from MockQuoteV4
// (golden V8). QuoteParse: every structural rule and off-by-one length of §12.9 (N-Q-01..08);
// mutations inside [0, 632) re-seal the mock signature so the intended check rejects.
// PeerQuoteVerify: §3.7 VerifyPeerQuote per profile (N-Q-09..13, N-HS-08..16). ReportData: V3.
#include <cstring>

#include "common.hpp"
#include "pnc/attestation.hpp"
#include "pnc/crypto.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"

namespace pnc::vectors {
namespace {

void put_le(Bytes& q, std::size_t off, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n && off + i < q.size(); ++i) q[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
Bytes resealed(Bytes q) {
  tdx::reseal_mock_signature(q);
  return q;
}

}  // namespace

VectorFile gen_quote(const Golden& g) {
  VectorFile f("quote_structure_test.json", "PNC-TDX-QUOTE", "pnc_quote_schema_v1.json",
               {"Intel TDX DCAP quote v4 structure (PROTOCOL.md §9.2-§9.3), the peer-quote check VerifyPeerQuote",
                "(§3.7-§3.8) and the nonce -> report_data bindings (§3.4, §2.3). Quotes are MockQuoteV4 (§9.6,",
                "golden V8) or mutations of it; `dcap` is the stubbed production DCAP verdict (accept/reject) used",
                "in prod mode. `keyBinding` is the [HARD] expected REPORTDATA[32:64] (§3.4)."});
  f.note("Ktv", "BASIC", "The golden values of PROTOCOL.md §13 V3 / V8.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A structurally valid quote / a passing peer check.", "Valid quotes are refused.");
  f.note("Truncated", "EDGE_CASE", "Shorter than 636 or 636 + S, or larger than 65536 (N-Q-01, §10).", "Out-of-bounds reads.");
  f.note("TrailingBytes", "MALLEABILITY", "Non-zero bytes after the signature data (N-Q-02); sdk-compat (GTG) tolerates "
         "them. Zero padding is valid in every profile (real quote buffers, DEC-30).",
         "Several encodings of one quote exist.");
  f.note("BadHeader", "MODIFIED_PARAMETER", "Version, TEE type, key type or QE vendor not TDX v4/v5 / ECDSA P-256 / Intel "
         "(N-Q-03..05); version 5 over a v4 layout has no valid v5 body descriptor.",
         "Non-TDX evidence is accepted as TDX.");
  f.note("BadSizes", "EDGE_CASE", "S, M, A or P inconsistent, or a wrong certification type (N-Q-06, N-Q-07).",
         "Out-of-bounds reads while parsing.");
  f.note("SeamAttributes", "MODIFIED_PARAMETER", "SEAMATTRIBUTES non-zero (N-Q-08).", "A non-TDX-1.0 module is accepted.");
  f.note("NonceBinding", "AUTH_BYPASS", "REPORTDATA does not carry SHA256(N) at 568 (N-Q-09, N-HS-09..12, D-03).",
         "Replayed quotes are accepted.");
  f.note("KeyBinding", "AUTH_BYPASS", "[HARD] REPORTDATA[32:64] is not the key binding of §3.4 (N-Q-10, D-04).",
         "A man in the middle can swap the key exchange.");
  f.note("ProdPolicy", "AUTH_BYPASS", "Debug TD, mock marker or failed DCAP in prod mode (N-Q-11, N-Q-12, N-HS-16).",
         "Debuggable or fake TDs pass as production.");
  f.note("MockPolicy", "AUTH_BYPASS", "Mock mode: missing marker or wrong mock signature (N-Q-13, N-HS-17).",
         "Arbitrary bytes pass as a mock quote.");
  f.note("Environment", "MISSING_STEP", "Environment-mode isolation of §3.8 (N-HS-13..15, D-07, D-08).",
         "A dev peer joins a prod network.");
  f.note("ComposeHash", "MISSING_STEP", "The compose-hash check of §9.5 (N-HS-27).", "Another application image is accepted.");

  const Bytes nonce = g.h("V3", "nonce_hex");
  const auto ev = tdx::mock_quote_v4(nonce);
  const Bytes v8 = ev.quote;
  const std::string log = ev.event_log.value_or("");
  check_eq(v8, g.b("V8", "quote_b64"), "V8 quote");
  check_eq(log, g.s("V8", "event_log"), "V8 event log");
  const auto parsed = tdx::parse_quote(v8).value();
  const std::size_t S = 640;

  // ---------------- QuoteParse ----------------
  f.group("QuoteParse");
  auto qp = [&](const Case& c, const Bytes& q) { f.add(c, {{"quote", hex(q)}}); };
  qp({"V8 MockQuoteV4", {"Ktv"}, {"V8", "§9.3"}}, v8);
  for (std::size_t n : {std::size_t{0}, std::size_t{47}, std::size_t{48}, std::size_t{631}, std::size_t{632}, std::size_t{635},
                        std::size_t{636}, std::size_t{636 + 133}, 636 + S - 1})
    qp({"truncated to " + std::to_string(n) + " bytes", {"Truncated"}, {"N-Q-01"}, invalid()}, Bytes(v8.begin(), v8.begin() + static_cast<std::ptrdiff_t>(n)));
  qp({"one non-zero byte appended", {"TrailingBytes"}, {"N-Q-02"}, strict_reject()}, concat(v8, {1}));
  qp({"one zero byte appended (padding)", {"Valid"}, {"N-Q-02", "DEC-30"}}, concat(v8, {0}));
  qp({"70 zero bytes appended (a real quote buffer's padding)", {"Valid"}, {"N-Q-02", "DEC-30"}}, concat(v8, Bytes(70, 0)));
  for (std::uint64_t v : {0u, 3u, 5u, 0xffffu}) {
    Bytes q = v8;
    put_le(q, 0, v, 2);
    qp({"version " + std::to_string(v), {"BadHeader"}, {"N-Q-03"}, invalid()}, resealed(q));
  }
  for (std::uint64_t t : {0u, 0x80u, 0x82u, 0x81000000u}) {
    Bytes q = v8;
    put_le(q, 4, t, 4);
    qp({"TEE type " + std::to_string(t), {"BadHeader"}, {"N-Q-04"}, invalid()}, resealed(q));
  }
  for (std::uint64_t k : {1u, 3u}) {
    Bytes q = v8;
    put_le(q, 2, k, 2);
    qp({"attestation key type " + std::to_string(k), {"BadHeader"}, {"N-Q-05"}, invalid()}, resealed(q));
  }
  qp({"QE vendor id byte 0 changed", {"BadHeader"}, {"§9.3"}, invalid()}, resealed(flip(v8, 12)));
  qp({"reserved header bytes non-zero (opaque)", {"Valid"}, {"§9.2"}}, resealed(flip(v8, 8)));
  for (std::uint64_t s : {std::uint64_t{S + 1}, std::uint64_t{0}, std::uint64_t{133}, std::uint64_t{0xffffffff}, std::uint64_t{S - 1}}) {
    Bytes q = v8;
    put_le(q, 632, s, 4);
    qp({"signature data length S = " + std::to_string(s), {"BadSizes"}, {"N-Q-06"}, invalid()}, q);
  }
  {
    Bytes q = v8;
    put_le(q, 636 + 128, 5, 2);
    qp({"outer certification type 5", {"BadSizes"}, {"N-Q-07"}, invalid()}, q);
    Bytes m_plus = v8, m_minus = v8;
    put_le(m_plus, 636 + 130, 507, 4);
    put_le(m_minus, 636 + 130, 505, 4);
    qp({"certification size M one too large", {"BadSizes"}, {"N-Q-07"}, invalid()}, m_plus);
    qp({"certification size M one too small", {"BadSizes"}, {"N-Q-07"}, invalid()}, m_minus);
    Bytes a_big = v8;
    put_le(a_big, 636 + 582, 0xffff, 2);
    qp({"QE auth data size A larger than the rest", {"BadSizes"}, {"N-Q-07"}, invalid()}, a_big);
    Bytes a_plus = v8;
    put_le(a_plus, 636 + 582, 33, 2);
    qp({"QE auth data size A one too large", {"BadSizes"}, {"N-Q-07"}, invalid()}, a_plus);
    const std::size_t inner = 636 + 584 + 32;
    Bytes inner6 = v8;
    put_le(inner6, inner, 6, 2);
    qp({"inner certification type 6", {"BadSizes"}, {"N-Q-07"}, invalid()}, inner6);
    Bytes p_plus = v8, p_minus = v8;
    put_le(p_plus, inner + 2, 19, 4);
    put_le(p_minus, inner + 2, 17, 4);
    qp({"PCK chain size P one too large", {"BadSizes"}, {"N-Q-07"}, invalid()}, p_plus);
    qp({"PCK chain size P one too small", {"BadSizes"}, {"N-Q-07"}, invalid()}, p_minus);
  }
  qp({"SEAMATTRIBUTES byte 0 = 1", {"SeamAttributes"}, {"N-Q-08"}, invalid()}, resealed(flip(v8, 160)));
  qp({"SEAMATTRIBUTES byte 7 = 0x80", {"SeamAttributes"}, {"N-Q-08"}, invalid()}, resealed(flip(v8, 167, 0x80)));
  qp({"TDATTRIBUTES DEBUG set (structurally valid)", {"Valid"}, {"§9.3"}}, resealed(flip(v8, 168)));
  for (std::size_t total : {std::size_t{65536}, std::size_t{65537}}) {
    tdx::QuoteV4 big = parsed;
    big.pck_chain.resize(big.pck_chain.size() + (total - v8.size()), 'P');
    Bytes q = tdx::serialize_quote(big);
    check(q.size() == total, "big quote size");
    tdx::reseal_mock_signature(q);
    qp({"quote of " + std::to_string(total) + " bytes", {total == 65536 ? "Valid" : "Truncated"}, {"§10", "§9.3"},
        total == 65536 ? valid() : invalid()}, q);
  }

  // ---------------- PeerQuoteVerify ----------------
  f.group("PeerQuoteVerify");
  auto pv = [&](const Case& c, const Bytes& q, const std::string& mode, const std::string& local_env,
                const std::optional<std::string>& elog, const std::string& dcap = "accept",
                const std::optional<Bytes>& key_binding = std::nullopt, const std::optional<std::string>& compose = std::nullopt,
                const Bytes& n = {}) {
    f.add(c, {{"quote", hex(q)}, {"nonce", hex(n.empty() ? nonce : n)}, {"mode", mode}, {"localEnv", local_env},
              {"eventLog", elog ? OJson(*elog) : OJson(nullptr)}, {"dcap", dcap},
              {"keyBinding", key_binding ? OJson(hex(*key_binding)) : OJson(nullptr)},
              {"expectedComposeHash", compose ? OJson(*compose) : OJson(nullptr)}});
  };
  const Expect no_binding{"valid", "valid", "invalid"};  // hardened needs the key binding
  pv({"V8 in mock mode, dev", {"Ktv"}, {"V8", "§3.7"}, no_binding}, v8, "mock", "dev", log);
  ByteArray<32> kb{};
  for (std::size_t i = 0; i < 32; ++i) kb[i] = static_cast<std::uint8_t>(0xb0 + i);
  tdx::MockParams with_kb;
  with_kb.key_binding = kb;
  const auto bound = tdx::mock_quote_v4(nonce, with_kb);
  const Bytes kbb(kb.begin(), kb.end());
  pv({"[HARD] quote with the expected key binding", {"Valid"}, {"§3.4", "N-Q-10"}}, bound.quote, "mock", "dev", bound.event_log, "accept", kbb);
  pv({"[HARD] key binding differs in one byte", {"KeyBinding"}, {"N-Q-10", "D-04"}, hard_reject()}, bound.quote, "mock", "dev",
     bound.event_log, "accept", flip(kbb, 31));
  pv({"REPORTDATA[32:64] garbage, no binding expected", {"KeyBinding"}, {"N-Q-10"}, hard_reject()}, bound.quote, "mock", "dev",
     bound.event_log);
  {
    for (std::size_t off : {576u, 584u}) {
      tdx::QuoteV4 q = parsed;
      q.report_data.fill(0);
      Bytes b = tdx::serialize_quote(q);
      const auto d = crypto::sha256(nonce);
      std::copy(d.begin(), d.end(), b.begin() + static_cast<std::ptrdiff_t>(off));
      tdx::reseal_mock_signature(b);
      pv({"SHA256(N) at " + std::to_string(off) + " only", {"NonceBinding"}, {"N-Q-09", "N-HS-10", "N-HS-11", "D-03"},
          strict_reject()}, b, "mock", "dev", log);
    }
  }
  pv({"quote for another nonce (replayed)", {"NonceBinding"}, {"N-HS-09"}, invalid()}, v8, "mock", "dev", log, "accept",
     std::nullopt, std::nullopt, flip(nonce, 0));
  {
    const auto http = tdx::mock_quote_v4_for(http_report_data(g.s("V3", "nonce_hex")));
    pv({"HTTP-style binding SHA256(ASCII hex N) on WebSocket", {"NonceBinding"}, {"N-HS-12", "D-02"}, invalid()}, http.quote,
       "mock", "dev", http.event_log);
  }
  pv({"quote of 1023 bytes", {"Truncated"}, {"N-HS-08"}, invalid()}, Bytes(v8.begin(), v8.begin() + 1023), "mock", "dev", log);
  // prod-mode checks on a quote without the mock marker (a stand-in for a real quote; DCAP stubbed).
  tdx::QuoteV4 real = parsed;
  real.user_data.fill(0);
  const Bytes prod_q = resealed(tdx::serialize_quote(real));
  tdx::MockParams prod_params;
  prod_params.env_mode = "prod";
  const auto prod_ev = tdx::mock_quote_v4(nonce, prod_params);
  tdx::QuoteV4 prod_real = tdx::parse_quote(prod_ev.quote).value();
  prod_real.user_data.fill(0);
  const Bytes prod_q2 = resealed(tdx::serialize_quote(prod_real));
  const std::string prod_log = prod_ev.event_log.value_or("");
  pv({"prod: unmarked quote, DCAP accepts, environment prod", {"Valid"}, {"§3.7"}, no_binding}, prod_q2, "prod", "prod", prod_log);
  pv({"prod: DCAP rejects", {"ProdPolicy"}, {"§3.7"}, strict_reject()}, prod_q2, "prod", "prod", prod_log, "reject");
  pv({"prod: mock marker present", {"ProdPolicy"}, {"N-Q-12", "N-HS-16"}, strict_reject()}, prod_ev.quote, "prod", "prod", prod_log);
  {
    tdx::QuoteV4 dbg = prod_real;
    dbg.td_attributes[0] |= 1;
    pv({"prod: TDATTRIBUTES DEBUG set", {"ProdPolicy"}, {"N-Q-11"}, strict_reject()}, resealed(tdx::serialize_quote(dbg)), "prod",
       "prod", prod_log);
  }
  pv({"prod: event log without environment information", {"Environment"}, {"N-HS-15", "D-08"}, strict_reject()}, prod_q, "prod",
     "prod", std::nullopt);
  pv({"prod: environment-mode event says dev", {"Environment"}, {"N-HS-13", "§3.8"}, strict_reject()}, prod_q, "prod", "prod", log);
  pv({"prod: object log {\"environment_mode\":\"dev\"}", {"Environment"}, {"N-HS-13"}, invalid()}, prod_q, "prod", "prod",
     std::string(R"({"environment_mode":"dev"})"));
  pv({"prod: object log {\"dev_mode\":true}", {"Environment"}, {"N-HS-14"}, invalid()}, prod_q, "prod", "prod",
     std::string(R"({"dev_mode":true})"));
  pv({"mock: environment-mode event dev, local prod", {"Environment"}, {"N-HS-13", "§3.8"}, strict_reject()}, v8, "mock", "prod", log);
  pv({"mock: no event log (undefined passes in mock mode)", {"Environment"}, {"D-08"}, no_binding}, v8, "mock", "dev", std::nullopt);
  pv({"mock: quote without the mock marker", {"MockPolicy"}, {"§9.6"}, strict_reject()}, prod_q, "mock", "dev", log);
  {
    Bytes zeroed = v8;
    std::fill(zeroed.begin() + 636, zeroed.begin() + 700, 0);
    pv({"mock: mock signature zeroed", {"MockPolicy"}, {"N-Q-13"}, strict_reject()}, zeroed, "mock", "dev", log);
    pv({"mock: one body byte flipped, signature not resealed", {"MockPolicy"}, {"N-HS-17"}, strict_reject()}, flip(v8, 200), "mock",
       "dev", log);
  }
  const std::string compose = "3b5f55eda6eaeb815ba66ab6995bedc1575fb3b690337d5ec9623cfa1adbc9f6";
  pv({"expected compose hash matches", {"ComposeHash"}, {"§9.5"}, no_binding}, v8, "mock", "dev", log, "accept", std::nullopt, compose);
  pv({"expected compose hash differs", {"ComposeHash"}, {"N-HS-27"}, invalid()}, v8, "mock", "dev", log, "accept", std::nullopt,
     std::string(64, '0'));

  // ---------------- ReportData ----------------
  f.group("ReportData");
  auto rd = [&](const Case& c, const std::string& kind, const std::string& nonce_text) {
    const ByteArray<64> r = kind == "ws" ? ws_report_data(unhex(nonce_text)) : http_report_data(nonce_text);
    f.add(c, {{"kind", kind}, {"nonce", nonce_text}, {"reportData", hex(Bytes(r.begin(), r.end()))}});
  };
  const std::string v3 = g.s("V3", "nonce_hex");
  const auto v3_ws = ws_report_data(nonce);
  check_eq(Bytes(v3_ws.begin(), v3_ws.begin() + 32), g.h("V3", "rd_ws"), "V3 ws");
  rd({"V3 WebSocket binding SHA256(decoded N)", {"Ktv"}, {"V3", "§3.4"}}, "ws", v3);
  rd({"V3 HTTP binding SHA256(ASCII N)", {"Ktv"}, {"V3", "§2.3", "D-02"}}, "http", v3);
  DeterministicRng rng(std::uint64_t{0x3d});
  for (int i = 0; i < 6; ++i) {
    const std::string n = hex(rng.bytes(32));
    rd({"pseudorandom nonce " + std::to_string(i + 1) + " (ws)", {"Valid"}, {"§3.4"}}, "ws", n);
    rd({"pseudorandom nonce " + std::to_string(i + 1) + " (http)", {"Valid"}, {"§2.3"}}, "http", n);
  }
  return f;
}

}  // namespace pnc::vectors
