// pnc-ref-challenge's logic: the SDK HTTP surface (§1.2) and the WebSocket server session
// (§3 handshake, §5 envelopes, the §5.4 messages a challenge answers).
#include "challenge_app.hpp"

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"
#include "pnc/router.hpp"

namespace pnc::peers {

using json::Json;

namespace {

net::HttpResponse reply(int status, const Json& body) {
  return net::json_response(status, json::dump(body));
}

net::HttpResponse reply_text(int status, std::string body) {
  return net::json_response(status, std::move(body));
}

// The demo migration served when CHALLENGE_ADMIN is on (§5.4 migrations_response).
Json demo_migrations() {
  const std::string sql = "CREATE TABLE IF NOT EXISTS demo (id INTEGER PRIMARY KEY, value TEXT);";
  const auto digest = crypto::sha256(as_bytes(sql));
  return Json::array({Json{{"version", "001"},
                           {"name", "001_init"},
                           {"sql", sql},
                           {"checksum", codec::hex_encode(digest)}}});
}

Json demo_permissions() {
  return Json{{"demo",
               {{"table_name", "demo"},
                {"readable_columns", {"id", "value"}},
                {"writable_columns", {"value"}},
                {"allowed_operations", {"select", "insert"}},
                {"allow_aggregations", false},
                {"max_rows", 100}}}};
}

// One WebSocket connection of the challenge: ServerHandshake, then Channel + Router.
class ChallengeSession final : public SessionLogic {
 public:
  explicit ChallengeSession(ChallengeApp& app)
      : cfg_(app.config()), router_(cfg_.profile, rng_, app.clock()) {
    handshake::ServerConfig sc;
    sc.profile = cfg_.profile;
    sc.mode = app.quotes().mode;
    sc.env_mode = cfg_.env_mode;
    sc.dcap = app.quotes().dcap.get();
    sc.faults = &cfg_.faults.reference.handshake;
    sc.envelope_faults = &cfg_.faults.reference.envelope;
    hs_.emplace(std::move(sc), rng_, *app.quotes().provider);
    register_handlers();
  }

  Actions on_open() override {
    Actions a;
    const std::size_t handshake_limit =
        is_strict(cfg_.profile) ? std::min(handshake::kMaxHandshakeFrameBytes, cfg_.max_message)
                                : cfg_.max_message;
    a.read_limit = handshake_limit;
    if (hs_->deadline_applies())
      a.arm_timer_ms = cfg_.faults.handshake_deadline_halved ? cfg_.handshake_deadline_ms / 2 : cfg_.handshake_deadline_ms;
    return a;
  }

  Actions on_text(std::string_view frame) override {
    if (channel_) return from_outcome(channel_->receive_text(frame));
    return from_step(hs_->on_text(frame));
  }

  Actions on_binary() override {
    if (channel_) return from_outcome(channel_->receive_binary());
    return from_step(hs_->on_binary());
  }

  Actions on_timer() override {
    if (channel_) return {};
    return from_step(hs_->on_timeout());
  }

 private:
  void register_handlers() {
    router_.on("migrations_request", [this](const Json& m) {
      const bool admin = cfg_.admin;
      Json payload{{"migrations", admin ? demo_migrations() : Json::array()},
                   {"db_version", admin ? cfg_.db_version : std::int64_t{1}}};
      outbox_.push_back(router::Router::reply_to(
          m, Json{{"type", "migrations_response"}, {"payload", std::move(payload)}}));
    });
    router_.on("db_version_request", [this](const Json& m) {
      outbox_.push_back(router::Router::reply_to(
          m, Json{{"type", "db_version_response"}, {"payload", {{"db_version", cfg_.db_version}}}}));
    });
    router_.on("orm_ready", [this](const Json&) {
      if (!cfg_.orm_permissions || !cfg_.challenge_id) return;
      Json msg{{"type", "orm_permissions"},
               {"challenge_id", *cfg_.challenge_id},
               {"permissions", demo_permissions()}};
      // [SEED] both top-level members and a payload copy (D-27); [COMPAT] top level only.
      if (is_strict(cfg_.profile)) {
        msg["payload"] = Json{{"challenge_id", *cfg_.challenge_id}, {"permissions", demo_permissions()}};
      }
      outbox_.push_back(std::move(msg));
    });
    router_.on("job_execute", [this](const Json& m) {
      Json result{{"type", "job_result"}, {"job_id", m.contains("job_id") ? m["job_id"] : Json()}};
      const Json job_name = m.contains("job_name") ? m["job_name"] : Json();
      if (job_name.is_string() && job_name.get<std::string>() == "fail") {
        result["error"] = "job failed";
      } else {
        result["result"] = Json{{"job_name", job_name},
                                {"payload", m.contains("payload") ? m["payload"] : Json()}};
      }
      outbox_.push_back(router::Router::reply_to(m, std::move(result)));
    });
  }

  Actions from_step(handshake::Step step) {
    Actions a;
    a.send = std::move(step.send);
    a.close = std::move(step.close);
    if (step.close) a.cancel_timer = true;
    if (step.established) {
      channel_ = hs_->take_session();
      enter_encrypted(a);
    }
    return a;
  }

  void enter_encrypted(Actions& a) {
    a.cancel_timer = true;
    a.read_limit = cfg_.max_message;
  }

  Actions from_outcome(envelope::Outcome outcome) {
    Actions a;
    if (outcome.action == envelope::Outcome::Action::close) {
      a.close = outcome.close.value_or(CloseFrame{kClosePolicy, "envelope"});
      return a;
    }
    if (!outcome.delivered()) return a;
    (void)router_.receive(outcome.opened.message);
    for (auto& msg : outbox_) {
      auto sealed = channel_->seal_json(msg, rng_);
      if (!sealed) {  // 2^32 envelopes used: close and let the client reconnect (§5.2)
        a.close = CloseFrame{kCloseNormal, sealed.error().code};
        break;
      }
      a.send.push_back(std::move(*sealed));
    }
    outbox_.clear();
    return a;
  }

  const ChallengeConfig& cfg_;
  SystemRng rng_;
  router::Router router_;
  std::optional<handshake::ServerHandshake> hs_;
  std::optional<envelope::Channel> channel_;
  std::vector<Json> outbox_;
};

}  // namespace

Result<std::unique_ptr<ChallengeApp>> ChallengeApp::create(ChallengeConfig config) {
  std::unique_ptr<ChallengeApp> app(new ChallengeApp(std::move(config)));
  const auto& cfg = app->config_;
  if (cfg.env_mode != "dev" && cfg.env_mode != "prod") {
    return make_error("peer.bad_env", "--env must be dev or prod");
  }
  auto quotes = make_quote_setup(cfg.tdx, cfg.env_mode, cfg.profile, app->clock_, cfg.host_quotes,
                                 &cfg.faults.reference.handshake.quote);
  if (!quotes) return quotes.error();
  app->quotes_ = std::move(*quotes);
  const auto now = app->clock_.now();
  for (const auto& spec : cfg.sessions) {
    if (auto st = add_session(app->sessions_, spec, now, cfg.session_lifetime); !st) return st.error();
  }
  for (std::size_t i = 0; i < cfg.trusted_proxy_keys.size(); ++i) {
    const std::string token = i == 0 ? cfg.proxy_session : cfg.proxy_session + "-" + std::to_string(i + 1);
    auto st = add_session(app->sessions_, token + ":" + cfg.trusted_proxy_keys[i], now,
                          cfg.session_lifetime);
    if (!st) return st.error();
    auto key = codec::b64_decode_exact(cfg.trusted_proxy_keys[i], 32);
    ByteArray<32> pk{};
    std::copy(key->begin(), key->end(), pk.begin());
    app->trusted_proxy_keys_.push_back(pk);
  }
  if (cfg.miner_token_issuer_pk) {
    auto key = codec::b64_decode_exact(*cfg.miner_token_issuer_pk, 32);
    if (!key) return make_error("peer.bad_issuer", "--miner-token-issuer must be B64 of 32 bytes");
    miner_token::VerifierConfig vc;
    std::copy(key->begin(), key->end(), vc.issuer_public_key.begin());
    vc.issuer = cfg.miner_token_iss;
    vc.audience = cfg.challenge_id.value_or("");
    vc.replay_cache = &app->jti_cache_;
    vc.faults = &cfg.faults.reference.miner_token;
    app->token_config_ = vc;
  }
  return app;
}

std::unique_ptr<SessionLogic> ChallengeApp::new_session() {
  return std::make_unique<ChallengeSession>(*this);
}

signed_http::VerifyResult ChallengeApp::verify_signed(const signed_http::HttpRequest& request) {
  signed_http::VerifierOptions o;
  o.profile = config_.profile;
  o.compat = signed_http::CompatVerifier::sdk_presence_only;  // the SDK's own check (D-14)
  o.sdk_dev_mode = config_.sdk_dev_mode;
  o.max_body_bytes = config_.max_message;
  o.faults = &config_.faults.reference.signed_http;
  return signed_http::Verifier(sessions_, clock_, o).verify(request);
}

net::HttpResponse ChallengeApp::http(const net::HttpRequest& request) {
  const std::string_view path = request.path();
  if (path == "/sdk/health" && request.method == "GET") {
    return reply(200, Json{{"status", "ready"}});
  }
  if (path == "/sdk/weights" && request.method == "POST") return weights(request);
  if (config_.admin) {
    if (path == "/sdk/admin/db/credentials" && request.method == "POST") return credentials(request);
    if (path == "/sdk/admin/dsn_digests" && request.method == "GET") {
      // A challenge-defined admin route (§1.2) of this test peer: which DSNs were ever stored,
      // as SHA-256 digests (never the DSN), so that a runner can see a refused request stored none.
      return reply(200, Json{{"dsn_digests", sink_.digests()}});
    }
    constexpr std::string_view kPublic = "/sdk/public/";
    if (path.substr(0, kPublic.size()) == kPublic &&
        (request.method == "GET" || request.method == "POST")) {
      return public_route(request, path.substr(kPublic.size()));
    }
  }
  return reply(404, Json{{"detail", "Not Found"}});
}

namespace {
net::HttpResponse signed_failure(Profile profile, const signed_http::VerifyResult& v) {
  if (!is_strict(profile) && v.status == 401) {
    return reply(401, Json{{"detail", "Missing signed headers"}});
  }
  return reply(v.status, Json{{"detail", v.reason}});
}
}  // namespace

net::HttpResponse ChallengeApp::weights(const net::HttpRequest& request) {
  if (config_.faults.weights_server_error) {
    return reply(500, Json{{"detail", "Internal Server Error"}});  // the weights-500 mutant
  }
  auto v = verify_signed(to_signed_request(request));
  if (!v.ok()) return signed_failure(config_.profile, v);
  return weights_body(v);
}

// §6.8: [SEED]/[HARD] the body is a §0.3 JSON object whose `jobs` is an array, else 400;
// [COMPAT] an empty body or any JSON object is processed, anything else is 400.
net::HttpResponse ChallengeApp::weights_body(const signed_http::VerifyResult& v) const {
  const std::string text = pnc::to_string(v.body);
  if (!config_.faults.weights_accept_any_body) {
    if (is_strict(config_.profile)) {
      auto body = json::parse_object(text, config_.profile);
      if (!body) return reply(400, Json{{"detail", "invalid JSON body"}});
      auto jobs = body->find("jobs");
      if (jobs == body->end() || !jobs->is_array()) return reply(400, Json{{"detail", "jobs must be an array"}});
    } else {
      auto body = json::parse(text, Profile::sdk_compat);
      if (!text.empty() && (!body || !body->is_object())) return reply(400, Json{{"detail", "invalid JSON body"}});
    }
  }
  // No weights handler is registered in the reference challenge (§1.2).
  return reply(200, Json{{"weights", Json::object()}, {"meta", {{"policy", "custom_required"}}}});
}

Status DigestRecordingSink::store(ByteView dsn) {
  std::lock_guard lock(mu_);
  if (auto s = inner_.store(dsn); !s) return s;
  digests_.push_back(codec::hex_encode(crypto::sha256(dsn)));
  return {};
}

std::vector<std::string> DigestRecordingSink::digests() const {
  std::lock_guard lock(mu_);
  return digests_;
}

net::HttpResponse ChallengeApp::credentials(const net::HttpRequest& request) {
  auto v = verify_signed(to_signed_request(request));
  if (!v.ok()) return signed_failure(config_.profile, v);
  std::lock_guard lock(sink_mu_);
  auto r = credentials::handle_sealed_credentials(pnc::to_string(v.body), config_.receiver_key_b64,
                                                  config_.profile, sink_, {},
                                                  &config_.faults.reference.credentials);
  secure_wipe(v.body.data(), v.body.size());
  if (r.status == 200) ready_ = true;
  return reply_text(r.status, std::move(r.body));
}

net::HttpResponse ChallengeApp::public_route(const net::HttpRequest& request,
                                             std::string_view name) {
  static const std::vector<std::string> kRoutes = {"whoami", "echo", "get_agent_status",
                                                   "list_agents", "list_agent_jobs"};
  miner_token::IdentityOptions options;
  options.challenge_id = config_.challenge_id;
  options.routes = kRoutes;
  options.token_verifier = token_config_ ? &*token_config_ : nullptr;
  options.clock = &clock_;
  options.faults = &config_.faults.reference.miner_token;
  if (net::find_header(request.headers, signed_http::kHdrSignature)) {
    // [SEED] §7.4: X-Verified-* count only on a signed request from a trusted proxy key.
    auto signed_request = to_signed_request(request);
    auto v = verify_signed(signed_request);
    auto pk = codec::b64_decode_exact(signed_request.header(signed_http::kHdrPublicKey).value_or(""), 32);
    if (v.ok() && pk) {
      for (const auto& trusted : trusted_proxy_keys_) {
        if (std::equal(trusted.begin(), trusted.end(), pk->begin())) {
          options.authenticated_by_signed_request = true;
        }
      }
    }
  }
  auto resolved = miner_token::resolve_identity(config_.profile, name, request.headers,
                                                config_.sdk_dev_mode, options);
  if (!resolved) {
    auto r = miner_token::identity_error_reply(resolved.error());
    return reply_text(r.status, std::move(r.body));
  }
  Json token_info = miner_token::to_json(*resolved);
  if (name == "whoami") return reply(200, token_info);
  if (name == "echo") return reply(200, Json{{"token_info", token_info}, {"body", request.body}});
  return reply(200, Json{{"result", {{"route", std::string(name)}, {"token_info", token_info}}}});
}

}  // namespace pnc::peers
