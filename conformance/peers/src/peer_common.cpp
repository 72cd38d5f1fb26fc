// Shared peer plumbing: provisioning parsers, quote setup per --tdx, mutant-aware signed-request
// verification, the WebSocket adapter and the signal-driven serve loop.
#include "peer_common.hpp"

#include <signal.h>

#include <charconv>
#include <cstdio>

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

// nonce-at-584: the quote's SHA256(N) moves from report_data[0:32] (offset 568) to offset 584,
// where only upstream's lenient scan finds it. The mock signature is recomputed so that nothing
// else about the quote is wrong.
class NonceAt584Provider final : public QuoteProvider {
 public:
  explicit NonceAt584Provider(std::unique_ptr<QuoteProvider> inner) : inner_(std::move(inner)) {}
  Result<Evidence> get_quote(const ByteArray<64>& report_data) override {
    auto ev = inner_->get_quote(report_data);
    if (!ev || ev->quote.size() < 632) return ev;
    Bytes& q = ev->quote;
    std::copy(report_data.begin(), report_data.begin() + 32, q.begin() + 584);
    std::fill(q.begin() + 568, q.begin() + 584, std::uint8_t{0});
    tdx::reseal_mock_signature(q);
    return ev;
  }

 private:
  std::unique_ptr<QuoteProvider> inner_;
};

}  // namespace

Result<QuoteSetup> make_quote_setup(std::string_view tdx, const std::string& env_mode,
                                    Mutant mutant, Profile profile, const Clock& clock) {
  QuoteSetup setup;
  tdx::MockParams params;
  params.env_mode = env_mode;
  if (tdx == "mock") {
    setup.mode = AttestationMode::mock;
    setup.provider = std::make_unique<tdx::MockQuoteProvider>(params);
  } else if (tdx == "signed-mock") {
    // Production verification path (ECDSA + PCK chain) against the mock PKI root.
    setup.mode = AttestationMode::prod;
    setup.provider = std::make_unique<mock_tdx::SignedQuoteProvider>(params);
    tdx::SignedQuoteConfig config;
    config.trusted_roots_pem = {mock_tdx::mock_root_ca().pem};
    config.clock = &clock;
    config.profile = profile;
    setup.dcap = std::make_unique<tdx::SignedQuoteVerifier>(std::move(config));
  } else {
    return make_error("peer.bad_tdx", "--tdx must be mock or signed-mock");
  }
  if (mutant == Mutant::nonce_at_584) {
    setup.provider = std::make_unique<NonceAt584Provider>(std::move(setup.provider));
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

signed_http::VerifyResult verify_signed(signed_http::SessionTable& sessions, const Clock& clock,
                                        const signed_http::VerifierOptions& options, Mutant mutant,
                                        const signed_http::HttpRequest& request) {
  std::optional<FixedClock> request_time;
  const Clock* effective_clock = &clock;
  if (mutant == Mutant::ignore_timestamp) {
    // V2 passes for any timestamp when "now" is the request's own timestamp.
    if (auto ts = request.header(signed_http::kHdrTimestamp)) {
      std::int64_t value = 0;
      const auto [end, ec] = std::from_chars(ts->data(), ts->data() + ts->size(), value);
      if (ec == std::errc{} && end == ts->data() + ts->size()) {
        request_time.emplace(value);
        effective_clock = &*request_time;
      }
    }
  }
  if (mutant == Mutant::accept_http_replay) {
    // V7 always passes against a fresh, empty nonce cache holding just this session.
    signed_http::SessionTable scratch(1);
    if (auto token = request.header(signed_http::kHdrSessionToken)) {
      if (auto session = sessions.find(*token)) {
        (void)scratch.add(std::string(*token), std::move(*session), effective_clock->now());
      }
    }
    return signed_http::Verifier(scratch, *effective_clock, options).verify(request);
  }
  return signed_http::Verifier(sessions, *effective_clock, options).verify(request);
}

void WsSessionAdapter::apply(net::WsConnection& conn, Actions actions) {
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
