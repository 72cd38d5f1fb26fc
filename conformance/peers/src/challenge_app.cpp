// pnc-ref-challenge's logic: the SDK HTTP surface (§1.2) and the WebSocket server session
// (§3 handshake, §5 envelopes, the §5.4 messages a challenge answers).
#include "challenge_app.hpp"

#include "mutant_channel.hpp"
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
      : app_(app),
        cfg_(app.config()),
        rng_(needs_key_capture(cfg_.mutant) ? 1 : 0),
        router_(cfg_.profile, rng_, app.clock()) {
    handshake::ServerConfig sc;
    sc.profile = cfg_.profile;
    sc.mode = app.quotes().mode;
    sc.env_mode = cfg_.env_mode;
    sc.dcap = app.quotes().dcap.get();
    hs_.emplace(std::move(sc), rng_, *app.quotes().provider);
    register_handlers();
  }

  Actions on_open() override {
    Actions a;
    const std::size_t handshake_limit =
        is_strict(cfg_.profile) ? std::min(handshake::kMaxHandshakeFrameBytes, cfg_.max_message)
                                : cfg_.max_message;
    a.read_limit = handshake_limit;
    if (hs_->deadline_applies() && cfg_.mutant != Mutant::no_deadline) {
      a.arm_timer_ms = cfg_.handshake_deadline_ms;
    }
    return a;
  }

  Actions on_text(std::string_view frame) override {
    if (channel_) return encrypted_text(frame);
    if (hs_->state() == handshake::ServerState::await_begin) begin_frame_ = std::string(frame);
    const bool awaiting_ok = hs_->state() == handshake::ServerState::sent_response;
    handshake::Step step = hs_->on_text(frame);
    if (awaiting_ok && cfg_.mutant == Mutant::skip_zero_check && step.error &&
        step.error->code == handshake::kLowOrderKey) {
      return establish_with_zero_secret(frame);
    }
    Actions a = from_step(std::move(step));
    if (channel_ && cfg_.mutant == Mutant::accept_replay) capture_recv_key(frame);
    return a;
  }

  Actions on_binary() override {
    if (cfg_.mutant == Mutant::accept_binary) return {};
    if (channel_) return from_outcome(channel_->receive_binary());
    return from_step(hs_->on_binary());
  }

  Actions on_timer() override {
    if (channel_) return {};
    return from_step(hs_->on_timeout());
  }

 private:
  static bool needs_key_capture(Mutant m) { return m == Mutant::accept_replay; }

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

  // accept-replay: the receive key, re-derived from the captured chal_sk (first 32-byte draw).
  void capture_recv_key(std::string_view ok_frame) {
    const Secret<32>* chal_sk = rng_.draw(0);
    auto val_pub = b64_member(begin_frame_, "val_x25519_pub");
    auto salt = ok_salt(ok_frame);
    if (chal_sk && val_pub && salt) {
      if (auto shared = crypto::x25519(chal_sk->view(), *val_pub)) {
        auto keys = derive_session_keys(shared->view(), *salt, channel_->directional(), true);
        replay_blind_key_.emplace(std::move(keys.recv));
      }
    }
    rng_.forget();  // forward secrecy: no copy of chal_sk survives the handshake
  }

  // skip-zero-check: the handshake refused the all-zero shared secret; carry on with it.
  Actions establish_with_zero_secret(std::string_view ok_frame) {
    Actions a;
    auto salt = ok_salt(ok_frame);
    if (!salt) {
      a.close = CloseFrame{kClosePolicy, handshake::kMissingSalt};
      return a;
    }
    const ByteArray<32> zero{};
    const bool directional = cfg_.profile == Profile::hardened && ok_directional(ok_frame);
    auto keys = derive_session_keys(zero, *salt, directional, true);
    channel_.emplace(directional ? envelope::Channel(cfg_.profile, keys.send, keys.recv)
                                 : envelope::Channel(cfg_.profile, keys.send));
    enter_encrypted(a);
    return a;
  }

  Actions encrypted_text(std::string_view frame) {
    if (replay_blind_key_) {
      return from_outcome(open_without_replay_check(*replay_blind_key_, frame, cfg_.profile));
    }
    return from_outcome(channel_->receive_text(frame));
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

  ChallengeApp& app_;
  const ChallengeConfig& cfg_;
  RecordingRng rng_;
  router::Router router_;
  std::optional<handshake::ServerHandshake> hs_;
  std::optional<envelope::Channel> channel_;
  std::optional<Secret<32>> replay_blind_key_;
  std::string begin_frame_;
  std::vector<Json> outbox_;
};

std::optional<miner_token::TokenInfo> alg_none_identity(const net::Headers& headers) {
  auto token = net::find_header(headers, "X-Miner-Token");
  if (!token) return std::nullopt;
  const auto dot1 = token->find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token->find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  auto header = codec::b64url_decode(token->substr(0, dot1));
  auto payload = codec::b64url_decode(token->substr(dot1 + 1, dot2 - dot1 - 1));
  if (!header || !payload) return std::nullopt;
  auto h = json::parse_object(pnc::to_string(*header), Profile::sdk_compat);
  auto p = json::parse_object(pnc::to_string(*payload), Profile::sdk_compat);
  if (!h || !p) return std::nullopt;
  auto alg = json::get_string(*h, "alg");
  if (!alg) return std::nullopt;
  std::string lower = *alg;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "none") return std::nullopt;
  auto str = [&](const char* name) { return json::get_string(*p, name).ok() ? *json::get_string(*p, name) : std::string(); };
  return miner_token::TokenInfo{str("uid"), str("miner_hotkey"), str("job_id"), str("challenge_id"),
                                str("job_type")};
}

}  // namespace

Result<std::unique_ptr<ChallengeApp>> ChallengeApp::create(ChallengeConfig config) {
  std::unique_ptr<ChallengeApp> app(new ChallengeApp(std::move(config)));
  const auto& cfg = app->config_;
  if (cfg.env_mode != "dev" && cfg.env_mode != "prod") {
    return make_error("peer.bad_env", "--env must be dev or prod");
  }
  auto quotes = make_quote_setup(cfg.tdx, cfg.env_mode, cfg.mutant, cfg.profile, app->clock_);
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
    app->token_config_ = vc;
  }
  return app;
}

std::unique_ptr<SessionLogic> ChallengeApp::new_session() {
  return std::make_unique<ChallengeSession>(*this);
}

signed_http::VerifierOptions ChallengeApp::verifier_options() const {
  signed_http::VerifierOptions o;
  o.profile = config_.profile;
  o.compat = signed_http::CompatVerifier::sdk_presence_only;  // the SDK's own check (D-14)
  o.sdk_dev_mode = config_.sdk_dev_mode;
  o.max_body_bytes = config_.max_message;
  return o;
}

net::HttpResponse ChallengeApp::http(const net::HttpRequest& request) {
  const std::string_view path = request.path();
  if (path == "/sdk/health" && request.method == "GET") {
    return reply(200, Json{{"status", "ready"}});
  }
  if (path == "/sdk/weights" && request.method == "POST") return weights(request);
  if (config_.admin) {
    if (path == "/sdk/admin/db/credentials" && request.method == "POST") return credentials(request);
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
  auto v = verify_signed(sessions_, clock_, verifier_options(), config_.mutant,
                         to_signed_request(request));
  if (!v.ok()) return signed_failure(config_.profile, v);
  auto body = json::parse(pnc::to_string(v.body), Profile::sdk_compat);
  if (!v.body.empty() && (!body || !body->is_object())) {
    return reply(400, Json{{"detail", "invalid JSON body"}});
  }
  // No weights handler is registered in the reference challenge (§1.2).
  return reply(200, Json{{"weights", Json::object()}, {"meta", {{"policy", "custom_required"}}}});
}

net::HttpResponse ChallengeApp::credentials(const net::HttpRequest& request) {
  auto v = verify_signed(sessions_, clock_, verifier_options(), config_.mutant,
                         to_signed_request(request));
  if (!v.ok()) return signed_failure(config_.profile, v);
  std::lock_guard lock(sink_mu_);
  auto r = credentials::handle_sealed_credentials(pnc::to_string(v.body), config_.receiver_key_b64,
                                                  config_.profile, sink_);
  secure_wipe(v.body.data(), v.body.size());
  if (r.status == 200) ready_ = true;
  return reply_text(r.status, std::move(r.body));
}

net::HttpResponse ChallengeApp::public_route(const net::HttpRequest& request,
                                             std::string_view name) {
  static const std::vector<std::string> kRoutes = {"whoami", "echo", "get_agent_status",
                                                   "list_agents", "list_agent_jobs"};
  std::optional<miner_token::TokenInfo> info;
  if (config_.mutant == Mutant::accept_alg_none) info = alg_none_identity(request.headers);
  if (!info) {
    miner_token::IdentityOptions options;
    options.challenge_id = config_.challenge_id;
    options.routes = kRoutes;
    options.token_verifier = token_config_ ? &*token_config_ : nullptr;
    options.clock = &clock_;
    if (config_.mutant == Mutant::trust_verified_headers) {
      options.authenticated_by_signed_request = true;
    } else if (net::find_header(request.headers, signed_http::kHdrSignature)) {
      // [SEED] §7.4: X-Verified-* count only on a signed request from a trusted proxy key.
      auto signed_request = to_signed_request(request);
      auto v = verify_signed(sessions_, clock_, verifier_options(), config_.mutant, signed_request);
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
    info = std::move(*resolved);
  } else if (std::find(kRoutes.begin(), kRoutes.end(), name) == kRoutes.end()) {
    return reply(404, Json{{"detail", "public handler not found"}});
  }
  Json token_info = miner_token::to_json(*info);
  if (name == "whoami") return reply(200, token_info);
  if (name == "echo") return reply(200, Json{{"token_info", token_info}, {"body", request.body}});
  return reply(200, Json{{"result", {{"route", std::string(name)}, {"token_info", token_info}}}});
}

}  // namespace pnc::peers
