// Shared peer plumbing: provisioning parsers, quote setup per --tdx, the WebSocket adapter (with
// the slow-SUT reply delay) and the signal-driven serve loop.
#include "peer_common.hpp"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "pnc/codec.hpp"
#include "pnc/mock_tdx/evidence.hpp"
#include "pnc/mock_tdx/pki.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_signed.hpp"

namespace pnc::peers {

Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
  auto url = net::parse_url("http://" + std::string(text));
  if (!url || url->target != "/" || text.find(':') == std::string_view::npos) {
    return make_error("peer.bad_listen", "--listen must be HOST:PORT");
  }
  return std::make_pair(url->host, url->port);
}

Status add_session(signed_http::SessionTable& table, std::string_view spec, std::int64_t now,
                   std::int64_t lifetime) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) {
    return make_error("peer.bad_session", "--session must be TOKEN:PK_B64[:AEAD_KEY_B64]");
  }
  auto pk = codec::b64_decode_exact(parts[1], 32);
  if (!pk) return make_error("peer.bad_session", "session public key must be B64 of 32 bytes");
  signed_http::Session session;
  session.ed_public = std::move(*pk);
  session.expires_at = now + lifetime;
  if (parts.size() == 3) {
    auto key = codec::b64_decode_exact(parts[2], 32);
    if (!key) return make_error("peer.bad_session", "session AEAD key must be B64 of 32 bytes");
    session.aead_key.emplace(*key);
    secure_wipe(key->data(), key->size());
  }
  return table.add(std::string(parts[0]), std::move(session), now);
}

namespace {

// The upstream SDK's quote source when no dstack socket is present: none. The handshake then
// falls back to the SDK's own mock quote ([COMPAT] §3.5 S4).
class NoQuoteService final : public QuoteProvider {
 public:
  Result<Evidence> get_quote(const ByteArray<64>&) override {
    return make_error("peer.no_quote_service", "no quote service (upstream-mock)");
  }
};

}  // namespace

bool is_tdx_source(std::string_view tdx) {
  return tdx == "mock" || tdx == "signed-mock" || tdx == "upstream-mock" || tdx == "configfs" || tdx == "dstack";
}

namespace {

// Production verification path (ECDSA + PCK chain) against one root.
std::unique_ptr<DcapVerifier> signed_quote_verifier(std::string root_pem, Profile profile, const Clock& clock,
                                                    const testing::QuoteFaults* faults) {
  tdx::SignedQuoteConfig config;
  config.faults = faults;
  config.trusted_roots_pem = {std::move(root_pem)};
  config.clock = &clock;
  config.profile = profile;
  return std::make_unique<tdx::SignedQuoteVerifier>(std::move(config));
}

}  // namespace

Result<QuoteSetup> make_quote_setup(std::string_view tdx, const std::string& env_mode,
                                    Profile profile, const Clock& clock, const HostQuoteOptions& host,
                                    const testing::QuoteFaults* faults) {
  QuoteSetup setup;
  tdx::MockParams params;
  params.env_mode = env_mode;
  if (tdx == "mock") {
    setup.mode = AttestationMode::mock;
    setup.provider = std::make_unique<tdx::MockQuoteProvider>(params);
  } else if (tdx == "signed-mock") {
    setup.mode = AttestationMode::prod;
    setup.provider = std::make_unique<mock_tdx::SignedQuoteProvider>(params);
    setup.dcap = signed_quote_verifier(mock_tdx::mock_root_ca().pem, profile, clock, faults);
  } else if (tdx == "configfs" || tdx == "dstack") {
    setup.mode = AttestationMode::prod;
    if (tdx == "configfs") setup.provider = std::make_unique<providers::ConfigfsTsmProvider>(host.configfs);
    else setup.provider = std::make_unique<providers::DstackQuoteProvider>(host.dstack);
    setup.dcap = signed_quote_verifier(std::string(tdx::intel_sgx_root_ca_pem()), profile, clock, faults);
  } else if (tdx == "upstream-mock") {
    if (profile != Profile::sdk_compat) {
      return make_error("peer.bad_tdx", "--tdx upstream-mock needs --profile sdk-compat");
    }
    setup.mode = AttestationMode::mock;
    setup.provider = std::make_unique<NoQuoteService>();
  } else {
    return make_error("peer.bad_tdx", "--tdx must be mock, signed-mock, upstream-mock, configfs or dstack");
  }
  return setup;
}

signed_http::HttpRequest to_signed_request(const net::HttpRequest& request) {
  signed_http::HttpRequest out;
  out.method = request.method;
  out.target = request.target;
  out.headers = request.headers;
  out.body = to_bytes(request.body);
  return out;
}

void delay_reply(std::int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void WsSessionAdapter::apply(net::WsConnection& conn, Actions actions) const {
  if (!actions.send.empty() || actions.close) delay_reply(reply_delay_ms_);
  if (actions.read_limit) conn.set_read_limit(*actions.read_limit);
  if (actions.cancel_timer) conn.cancel_timer();
  if (actions.arm_timer_ms) conn.set_timer(net::Millis{*actions.arm_timer_ms});
  for (auto& frame : actions.send) conn.send_text(std::move(frame));
  if (actions.close) conn.close(actions.close->code, actions.close->reason);
}

void block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a peer that vanished must not kill us mid-write
}

void request_stop() { kill(getpid(), SIGUSR1); }

int serve_until_signal(net::ServerOptions options,
                       const std::function<void(std::uint16_t)>& on_started) {
  auto server = net::Server::start(std::move(options));
  if (!server) {
    std::fprintf(stderr, "cannot start: %s\n", server.error().message.c_str());
    return 2;
  }
  const auto& host = (*server)->host();
  const bool v6 = host.find(':') != std::string::npos;
  std::printf("listening on %s%s%s:%u\n", v6 ? "[" : "", host.c_str(), v6 ? "]" : "",
              static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);
  if (on_started) on_started((*server)->port());
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  (*server)->stop();
  return 0;
}

}  // namespace pnc::peers
