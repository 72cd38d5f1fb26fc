// §9.6 mock quotes: the normative MockQuoteV4 and the upstream shapes.
#include <algorithm>
#include <string>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/json.hpp"
#include "pnc/secret.hpp"
#include "pnc/tdx_mock.hpp"

namespace pnc::tdx {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMockAuthDataSize = 32;

Bytes concat(std::string_view label, ByteView data) {
  Bytes out(label.begin(), label.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

void write_at(Bytes& quote, std::size_t offset, ByteView data) {
  if (offset + data.size() <= quote.size())
    std::copy(data.begin(), data.end(), quote.begin() + static_cast<std::ptrdiff_t>(offset));
}

// SDK/VAL mocks write SHA256(N) at 568, 576 and 584 in that order: the writes overlap.
Bytes upstream_overlapping_quote(ByteView nonce, Rng& rng) {
  Bytes quote = rng.bytes(kUpstreamMockSize);
  const auto digest = crypto::sha256(nonce);
  for (std::size_t off : {std::size_t{568}, std::size_t{576}, std::size_t{584}}) write_at(quote, off, digest);
  return quote;
}

struct UpstreamEvent {
  std::uint64_t type;
  std::string name, payload;
};

// The VAL/API mock log: four imr-3 events with plain-string payloads.
std::vector<UpstreamEvent> upstream_events(std::string_view hotkey, Rng& rng,
                                           const std::optional<std::string>& compose_hash) {
  const auto hk = crypto::sha256(as_bytes(hotkey));
  return {
      {1, "app-id", "validator-" + std::string(hotkey.substr(0, 16))},
      {2, "instance-id", "instance-" + rng.uuid_v4().substr(0, 8)},
      {3, "compose-hash", compose_hash ? *compose_hash : "dev-" + codec::hex_encode(ByteView(hk).first(16))},
      {4, "dev-mode", "true"},
  };
}

// type_bytes: 8 for VAL (LE64), 4 for API (LE32).
Measurement upstream_digest(const UpstreamEvent& e, int type_bytes) {
  Bytes msg;
  for (int i = 0; i < type_bytes; ++i) msg.push_back(static_cast<std::uint8_t>(e.type >> (8 * i)));
  msg.push_back(':');
  msg.insert(msg.end(), e.name.begin(), e.name.end());
  msg.push_back(':');
  msg.insert(msg.end(), e.payload.begin(), e.payload.end());
  return crypto::sha384(msg);
}

// RTMR1/2 of the VAL/API mocks: one extension of a label zero-padded to 48 bytes.
Measurement padded_label_rtmr(std::string_view label) {
  Measurement pad{};
  std::copy_n(label.begin(), std::min(label.size(), pad.size()), pad.begin());
  return rtmr_extend(Measurement{}, pad);
}

Evidence upstream_array_mock(Bytes quote, std::string_view hotkey, Rng& rng,
                             const std::optional<std::string>& compose_hash, bool api) {
  Json log = Json::array();
  Measurement rtmr3{};
  for (const auto& e : upstream_events(hotkey, rng, compose_hash)) {
    const auto digest = upstream_digest(e, api ? 4 : 8);
    const std::string digest_hex = codec::hex_encode(digest);
    log.push_back(Json{{"imr", 3}, {"event_type", e.type}, {"digest", digest_hex},
                       {"event", e.name}, {"event_payload", e.payload}});
    // VAL extends with the digest's hex text (quirk); API with the raw digest.
    rtmr3 = api ? rtmr_extend(rtmr3, digest) : rtmr_extend(rtmr3, as_bytes(digest_hex));
  }
  Json rtmrs = Json::array({codec::hex_encode(Measurement{}), codec::hex_encode(padded_label_rtmr("kernel")),
                            codec::hex_encode(padded_label_rtmr("initrd")), codec::hex_encode(rtmr3)});
  return Evidence{std::move(quote), log.dump(-1, ' ', false, Json::error_handler_t::replace), std::move(rtmrs)};
}

}  // namespace

std::vector<Event> mock_events(const MockParams& params) {
  const Bytes app_id(20, 0x11), instance_id(20, 0x22);
  const ByteArray<32> compose = params.compose_hash ? *params.compose_hash : crypto::sha256(as_bytes("mock-compose"));
  return {runtime_event("app-id", app_id), runtime_event("compose-hash", compose),
          runtime_event("instance-id", instance_id),
          runtime_event("environment-mode", as_bytes(params.env_mode))};
}

Measurement mock_rtmr(unsigned index) {
  return rtmr_extend(Measurement{}, crypto::sha384(as_bytes("mock-rtmr" + std::to_string(index))));
}

Evidence mock_quote_v4_for(const ByteArray<64>& report_data, const MockParams& params) {
  const auto events = mock_events(params);
  QuoteV4 q;
  std::copy(kMockMarker.begin(), kMockMarker.end(), q.user_data.begin());
  q.mr_seam = crypto::sha384(as_bytes("mock-mr-seam"));
  q.mr_td = params.mr_td ? *params.mr_td : crypto::sha384(as_bytes("mock-mr-td"));
  q.rtmr[0] = params.rtmr0 ? *params.rtmr0 : mock_rtmr(0);
  q.rtmr[1] = params.rtmr1 ? *params.rtmr1 : mock_rtmr(1);
  q.rtmr[2] = params.rtmr2 ? *params.rtmr2 : mock_rtmr(2);
  q.rtmr[3] = replay_rtmrs(events)[kRuntimeImr];
  q.report_data = report_data;
  q.attestation_key = crypto::sha512(as_bytes(kMockAkLabel));
  q.qe_auth_data.resize(kMockAuthDataSize);
  for (std::size_t i = 0; i < kMockAuthDataSize; ++i) q.qe_auth_data[i] = static_cast<std::uint8_t>(i);
  Bytes hashed(q.attestation_key.begin(), q.attestation_key.end());
  hashed.insert(hashed.end(), q.qe_auth_data.begin(), q.qe_auth_data.end());
  const auto qe_hash = crypto::sha256(hashed);
  std::copy(qe_hash.begin(), qe_hash.end(), q.qe_report.begin() + kQeReportDataOffset);
  q.pck_chain = to_bytes(kMockPckChain);
  Bytes quote = serialize_quote(q);
  reseal_mock_signature(quote);  // the signature covers the final [0, 632)
  return Evidence{std::move(quote), event_log_json(events), rtmrs_json(q.rtmr)};
}

Evidence mock_quote_v4(ByteView nonce, const MockParams& params) {
  return mock_quote_v4_for(ws_report_data(nonce, params.key_binding), params);
}

ByteArray<64> mock_signature(ByteView quote) {
  if (quote.size() < kSignedSize) return {};
  return crypto::sha512(concat(kMockSigLabel, quote.first(kSignedSize)));
}

bool mock_signature_valid(ByteView quote, std::size_t compared_bytes) {
  const std::size_t at = kOffSigData + kRelEcdsaSig;
  if (quote.size() < at + 64) return false;
  // Mock quotes are version 4 (DEC-30): in v5, Q[636:700) is not the signature field.
  if (quote[kOffVersion] != kVersion4 || quote[kOffVersion + 1] != 0) return false;
  const auto expected = mock_signature(quote);
  const std::size_t n = std::min<std::size_t>(compared_bytes, 64);
  return ct_equal(quote.subspan(at, n), ByteView(expected).first(n));
}

void reseal_mock_signature(Bytes& quote) {
  if (quote.size() < kOffSigData + 64) return;
  write_at(quote, kOffSigData + kRelEcdsaSig, mock_signature(quote));
}

bool has_mock_marker(const QuoteV4& quote) {
  return std::equal(kMockMarker.begin(), kMockMarker.end(), quote.user_data.begin(), quote.user_data.end());
}

Evidence sdk_mock_quote(ByteView nonce, Rng& rng, const SdkMockOptions& options) {
  Bytes quote = upstream_overlapping_quote(nonce, rng);
  Json log = Json::object();
  log["dev_mode"] = true;
  log["environment_mode"] = options.env_mode;
  if (options.fallback) {
    log["compose-hash"] = options.compose_hash ? *options.compose_hash : "dev-mode-fallback";
    return Evidence{std::move(quote), log.dump(-1, ' ', false, Json::error_handler_t::replace), Json::object()};
  }
  log["compose-hash"] = options.compose_hash ? *options.compose_hash : "dev-mode-mock";
  log["app-id"] = "challenge-" + (options.challenge_id ? *options.challenge_id : std::string("term-challenge"));
  log["instance-id"] = "instance-" + codec::hex_encode(rng.bytes(8));
  Json rtmrs = Json::object();
  for (int i = 0; i < 4; ++i) rtmrs["rtmr" + std::to_string(i)] = codec::hex_encode(rng.bytes(48));
  return Evidence{std::move(quote), log.dump(-1, ' ', false, Json::error_handler_t::replace), std::move(rtmrs)};
}

Evidence val_mock_quote(ByteView nonce, std::string_view hotkey, Rng& rng,
                        const std::optional<std::string>& compose_hash) {
  Bytes quote = upstream_overlapping_quote(nonce, rng);
  return upstream_array_mock(std::move(quote), hotkey, rng, compose_hash, /*api=*/false);
}

Evidence api_mock_quote(ByteView nonce, std::string_view hotkey, Rng& rng,
                        const std::optional<std::string>& compose_hash) {
  Bytes quote = rng.bytes(kUpstreamMockSize);
  write_at(quote, 368, crypto::sha256(nonce));  // API's mock offset matches no verifier
  return upstream_array_mock(std::move(quote), hotkey, rng, compose_hash, /*api=*/true);
}

Evidence python_test_mock_quote() {
  Json rtmrs = Json::array();
  for (int i = 0; i < 4; ++i) rtmrs.push_back(std::string(96, '0'));
  return Evidence{Bytes(kUpstreamMockSize, '0'), std::string(R"({"environment_mode": "dev"})"), std::move(rtmrs)};
}

MockQuoteProvider::MockQuoteProvider(MockParams params)
    : params_(std::move(params)), template_(mock_quote_v4_for(ByteArray<64>{}, params_)) {}

Result<Evidence> MockQuoteProvider::get_quote(const ByteArray<64>& report_data) {
  // REPORTDATA is inside [0, 632), so the signature is recomputed after writing it.
  Evidence ev = template_;
  write_at(ev.quote, kOffReportData, report_data);
  reseal_mock_signature(ev.quote);
  return ev;
}

}  // namespace pnc::tdx
