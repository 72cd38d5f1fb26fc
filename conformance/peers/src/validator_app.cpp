// pnc-ref-validator's logic: bootstrap verifier, signed-request verifier and the WS client role.
#include "validator_app.hpp"

#include <chrono>

#include "mutant_channel.hpp"
#include "pnc/crypto.hpp"
#include "pnc/handshake.hpp"
#include "pnc/json.hpp"
#include "pnc/net/ws_client.hpp"
#include "pnc/router.hpp"

namespace pnc::peers {

using json::Json;

Result<std::unique_ptr<ValidatorApp>> ValidatorApp::create(ValidatorConfig config) {
  std::unique_ptr<ValidatorApp> app(new ValidatorApp(std::move(config)));
  const auto& cfg = app->config_;
  if (cfg.env_mode != "dev" && cfg.env_mode != "prod") {
    return make_error("peer.bad_env", "--env must be dev or prod");
  }
  auto quotes = make_quote_setup(cfg.tdx, cfg.env_mode, cfg.mutant, cfg.profile, app->clock_);
  if (!quotes) return quotes.error();
  app->quotes_ = std::move(*quotes);
  for (const auto& spec : cfg.sessions) {
    auto st = add_session(app->sessions_, spec, app->clock_.now(), cfg.session_lifetime);
    if (!st) return st.error();
  }
  bootstrap::QuoteCheck check = app->quotes_.dcap ? bootstrap::dcap_quote_check(*app->quotes_.dcap)
                                                  : bootstrap::mock_quote_check();
  bootstrap::AttestVerifierOptions options;
  options.profile = cfg.profile;
  options.session_lifetime = cfg.session_lifetime;
  app->attest_ = std::make_unique<bootstrap::AttestVerifier>(app->nonces_, app->sessions_, check,
                                                             app->clock_, app->rng_, options);
  return app;
}

namespace {
net::HttpResponse from_reply(const bootstrap::Reply& r) {
  net::HttpResponse out;
  out.status = r.status;
  if (r.ok()) {
    out.headers.emplace_back("Content-Type", "application/json");
    out.body = r.body;
  } else {
    out.headers.emplace_back("X-Reason", r.reason);  // for the runner; the body stays empty (§2.5)
  }
  return out;
}
}  // namespace

net::HttpResponse ValidatorApp::http(const net::HttpRequest& request) {
  const std::string_view path = request.path();
  if (request.method == "POST" && path == "/attestation/challenge") {
    return from_reply(attest_->challenge());
  }
  if (request.method == "POST" && path == "/attest") {
    auto content_type = net::find_header(request.headers, "Content-Type");
    return from_reply(attest_->attest(content_type, request.body));
  }
  if (request.method == "POST" &&
      (path == "/results/heartbeat" || path == "/results/logs" || path == "/results/submit")) {
    signed_http::VerifierOptions options;
    options.profile = config_.profile;
    options.compat = signed_http::CompatVerifier::val_middleware;
    options.max_body_bytes = config_.max_message;
    auto v = verify_signed(sessions_, clock_, options, config_.mutant, to_signed_request(request));
    if (!v.ok()) {
      net::HttpResponse out;
      out.status = v.status;
      out.headers.emplace_back("X-Reason", v.reason);  // VAL answers with an empty body
      return out;
    }
    auto parsed = json::parse(pnc::to_string(v.body), Profile::sdk_compat);
    Json answer = Json::object();
    answer["accepted"] = true;
    answer["path"] = std::string(path);
    answer["decrypted"] = v.decrypted;
    answer["body"] = parsed ? *parsed : Json();
    return net::json_response(200, json::dump(answer));
  }
  net::HttpResponse out;
  out.status = 404;
  return out;
}

namespace {

Json script_message(const std::string& name) {
  if (name == "db_version") return Json{{"type", "db_version_request"}};
  if (name == "migrations") return Json{{"type", "migrations_request"}};
  if (name == "job") {
    return Json{{"type", "job_execute"}, {"job_id", "job-1"}, {"job_name", "demo"},
                {"payload", {{"n", 1}}}};
  }
  if (name == "job_fail") {
    return Json{{"type", "job_execute"}, {"job_id", "job-2"}, {"job_name", "fail"},
                {"payload", Json::object()}};
  }
  if (name == "orm_ready") return Json{{"type", "orm_ready"}};
  if (name == "weight_request") {
    return Json{{"type", "weight_request"}, {"block", 1}, {"timestamp", 1700000000}};
  }
  return Json();
}

// Messages to which the reference challenge sends an answer.
bool expects_answer(const std::string& name) {
  return name == "db_version" || name == "migrations" || name == "job" || name == "job_fail";
}

std::string close_line(const net::Frame& f) {
  if (f.kind == net::FrameKind::close) {
    return "client closed " + std::to_string(f.close_code) + " " + f.close_reason;
  }
  return "client closed " + std::to_string(f.close_code) + " " + f.error;
}

}  // namespace

bool run_client(ValidatorApp& app, const ClientRun& run,
                const std::function<void(const std::string&)>& log) {
  const auto& cfg = app.config();
  const auto connect_timeout = net::Millis{run.connect_timeout_ms};
  net::WsClientOptions ws_options;
  ws_options.max_message = cfg.max_message;
  auto connected = net::WsClient::connect(run.url, connect_timeout, ws_options);
  if (!connected) {
    log("client failed " + connected.error().code + " " + connected.error().message);
    return false;
  }
  net::WsClient& ws = **connected;
  // draws: N, val_sk, salt (accept-replay re-derives the key from val_sk and the salt)
  RecordingRng rng(cfg.mutant == Mutant::accept_replay ? 3 : 0);
  handshake::ClientConfig cc;
  cc.profile = cfg.profile;
  cc.mode = app.quotes().mode;
  cc.env_mode = cfg.env_mode;
  cc.dcap = app.quotes().dcap.get();
  cc.validator_hotkey = cfg.hotkey;
  handshake::ClientHandshake hs(cc, rng, app.quotes().provider.get());

  const bool deadline = hs.deadline_applies() && cfg.mutant != Mutant::no_deadline;
  // Without a protocol deadline a wait is still bounded (no network wait without a timeout).
  const auto handshake_end = std::chrono::steady_clock::now() +
                             net::Millis{deadline ? cfg.handshake_deadline_ms : 300000};
  auto perform = [&](const handshake::Step& step) -> bool {
    for (const auto& frame : step.send) {
      if (!ws.send_text(frame, connect_timeout).ok()) return false;
    }
    if (step.close) {
      (void)ws.close(step.close->code, step.close->reason, connect_timeout);
      log("client failed " + (step.error ? step.error->code : std::string("hs.closed")) + " " +
          (step.cause ? step.cause->code : std::string()));
      return false;
    }
    return true;
  };
  if (!perform(hs.start())) return false;
  std::string response_frame;
  while (hs.state() == handshake::ClientState::sent_begin) {
    const auto left = std::chrono::duration_cast<net::Millis>(handshake_end -
                                                              std::chrono::steady_clock::now());
    net::Frame f = ws.receive(std::max(left, net::Millis{0}));
    handshake::Step step;
    if (f.kind == net::FrameKind::timeout) {
      step = hs.on_timeout();
      if (!step.close) {
        log("client failed hs.deadline no deadline in this profile");
        return false;
      }
    } else if (f.kind == net::FrameKind::text) {
      response_frame = f.data;
      step = hs.on_text(f.data);
    } else if (f.kind == net::FrameKind::binary) {
      if (cfg.mutant == Mutant::accept_binary) continue;
      step = hs.on_binary();
    } else {
      log(close_line(f));
      return false;
    }
    if (!perform(step)) return false;
    if (step.error && hs.state() == handshake::ClientState::closed) {
      log("client failed " + step.error->code);
      return false;
    }
  }
  auto channel = hs.take_session();
  if (!channel) {
    log("client failed hs.no_session");
    return false;
  }
  std::optional<Secret<32>> replay_blind_key;
  if (cfg.mutant == Mutant::accept_replay) {
    auto chal_pub = b64_member(response_frame, "chal_x25519_pub");
    if (rng.draw(1) && rng.draw(2) && chal_pub) {
      if (auto shared = crypto::x25519(rng.draw(1)->view(), *chal_pub)) {
        auto keys = derive_session_keys(shared->view(), rng.draw(2)->view(),
                                        channel->directional(), false);
        replay_blind_key.emplace(std::move(keys.recv));
      }
    }
    rng.forget();
  }
  log("client established");

  router::Router router(cfg.profile, rng, app.clock());
  bool ok = true;
  for (const auto& name : run.script) {
    Json msg = script_message(name);
    if (msg.is_null()) {
      log("client failed client.unknown_script_step " + name);
      ok = false;
      break;
    }
    std::optional<Result<Json>> answer;
    auto stamped = router.request(std::move(msg), [&](Result<Json> r) { answer.emplace(std::move(r)); });
    if (!stamped) {
      ok = false;
      break;
    }
    auto sealed = channel->seal_json(*stamped, rng);
    if (!sealed || !ws.send_text(*sealed, connect_timeout).ok()) {
      log("client failed client.send");
      ok = false;
      break;
    }
    if (!expects_answer(name)) continue;
    const auto reply_end = std::chrono::steady_clock::now() + net::Millis{run.reply_timeout_ms};
    while (!answer) {
      const auto left = std::chrono::duration_cast<net::Millis>(reply_end -
                                                                std::chrono::steady_clock::now());
      if (left <= net::Millis{0}) break;
      net::Frame f = ws.receive(left);
      if (f.kind == net::FrameKind::timeout) break;
      if (f.kind == net::FrameKind::close || f.kind == net::FrameKind::error) {
        log(close_line(f));
        return false;
      }
      envelope::Outcome out =
          f.kind == net::FrameKind::binary
              ? (cfg.mutant == Mutant::accept_binary ? envelope::Outcome{} : channel->receive_binary())
          : replay_blind_key ? open_without_replay_check(*replay_blind_key, f.data, cfg.profile)
                             : channel->receive_text(f.data);
      if (out.action == envelope::Outcome::Action::close) {
        const CloseFrame close = out.close.value_or(CloseFrame{kClosePolicy, "envelope"});
        (void)ws.close(close.code, close.reason, connect_timeout);
        log("client failed " + (out.error ? out.error->code : std::string("env.close")));
        return false;
      }
      if (!out.delivered()) continue;
      log("client recv " + json::dump(out.opened.message));
      (void)router.receive(out.opened.message);
    }
    if (!answer) {
      log("client failed client.no_answer " + name);
      ok = false;
      break;
    }
  }
  (void)ws.close(kCloseNormal, "done", connect_timeout);
  if (ok) log("client done");
  return ok;
}

}  // namespace pnc::peers
