// pnc-ref-validator's logic: bootstrap verifier, signed-request verifier and the WS client role.
#include "validator_app.hpp"

#include <algorithm>
#include <chrono>

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
  auto quotes = make_quote_setup(cfg.tdx, cfg.env_mode, cfg.profile, app->clock_, cfg.host_quotes,
                                 &cfg.faults.reference.handshake.quote);
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
  options.faults = &cfg.faults.reference.bootstrap;
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
    options.faults = &config_.faults.reference.signed_http;
    auto v = signed_http::Verifier(sessions_, clock_, options).verify(to_signed_request(request));
    if (!v.ok()) {
      net::HttpResponse out;
      out.status = v.status;
      out.headers.emplace_back("X-Reason", v.reason);  // VAL answers with an empty body
      return out;
    }
    auto parsed = json::parse(pnc::to_string(v.body), Profile::sdk_compat);
    if (config_.faults.results_payload_server_error && !(parsed && parsed->is_object())) {
      net::HttpResponse out;
      out.status = 500;  // the handler's uncaught decode error
      return out;
    }
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

using Log = std::function<void(const std::string&)>;

net::Millis until(std::chrono::steady_clock::time_point end) {
  const auto left = std::chrono::duration_cast<net::Millis>(end - std::chrono::steady_clock::now());
  return std::max(left, net::Millis{0});
}

// Sends a handshake step's frames and performs its close (logged); false when it closed.
bool perform(net::WsClient& ws, const handshake::Step& step, net::Millis io_timeout, const Log& log) {
  for (const auto& frame : step.send) {
    if (!ws.send_text(frame, io_timeout).ok()) return false;
  }
  if (step.close) {
    (void)ws.close(step.close->code, step.close->reason, io_timeout);
    log("client failed " + (step.error ? step.error->code : std::string("hs.closed")) + " " +
        (step.cause ? step.cause->code : std::string()));
    return false;
  }
  return true;
}

// §3.6 C1-C5 against the challenge; the session Channel, or nullopt (already logged).
std::optional<envelope::Channel> attest_challenge(ValidatorApp& app, net::WsClient& ws, Rng& rng,
                                                  const ClientRun& run, const Log& log) {
  const auto& cfg = app.config();
  const net::Millis io_timeout{run.connect_timeout_ms};
  handshake::ClientConfig cc;
  cc.profile = cfg.profile;
  cc.mode = app.quotes().mode;
  cc.env_mode = cfg.env_mode;
  cc.dcap = app.quotes().dcap.get();
  cc.validator_hotkey = cfg.hotkey;
  cc.expected_compose_hash = cfg.expected_compose_hash;
  cc.faults = &cfg.faults.reference.handshake;
  cc.envelope_faults = &cfg.faults.reference.envelope;
  handshake::ClientHandshake hs(cc, rng, app.quotes().provider.get());
  const auto end = std::chrono::steady_clock::now() +
                   net::Millis{hs.deadline_applies() ? cfg.handshake_deadline_ms : run.no_deadline_wait_ms};
  if (!perform(ws, hs.start(), io_timeout, log)) return std::nullopt;
  while (hs.state() == handshake::ClientState::sent_begin) {
    const net::Frame f = ws.receive(until(end));
    handshake::Step step;
    if (f.kind == net::FrameKind::timeout) {
      step = hs.on_timeout();
      if (!step.close) {
        log("client failed hs.deadline no deadline in this profile");
        return std::nullopt;
      }
    } else if (f.kind == net::FrameKind::text) {
      step = hs.on_text(f.data);
    } else if (f.kind == net::FrameKind::binary) {
      step = hs.on_binary();
    } else {
      log(close_line(f));
      return std::nullopt;
    }
    if (!perform(ws, step, io_timeout, log)) return std::nullopt;
    if (step.error && hs.state() == handshake::ClientState::closed) {
      log("client failed " + step.error->code);
      return std::nullopt;
    }
  }
  auto channel = hs.take_session();
  if (!channel) log("client failed hs.no_session");
  return channel;
}

// Reads until `answer` is set, the reply timeout passes or the connection fails. False when
// the connection is over (already logged).
bool await_answer(net::WsClient& ws, envelope::Channel& channel, router::Router& router,
                  const std::optional<Result<Json>>& answer, const ClientRun& run, const Log& log) {
  const auto end = std::chrono::steady_clock::now() + net::Millis{run.reply_timeout_ms};
  while (!answer) {
    const net::Frame f = ws.receive(until(end));
    if (f.kind == net::FrameKind::timeout) return true;
    if (f.kind == net::FrameKind::close || f.kind == net::FrameKind::error) {
      log(close_line(f));
      return false;
    }
    const envelope::Outcome out =
        f.kind == net::FrameKind::binary ? channel.receive_binary() : channel.receive_text(f.data);
    if (out.action == envelope::Outcome::Action::close) {
      const CloseFrame close = out.close.value_or(CloseFrame{kClosePolicy, "envelope"});
      (void)ws.close(close.code, close.reason, net::Millis{run.connect_timeout_ms});
      log("client failed " + (out.error ? out.error->code : std::string("env.close")));
      return false;
    }
    if (!out.delivered()) continue;
    log("client recv " + json::dump(out.opened.message));
    (void)router.receive(out.opened.message);
  }
  return true;
}

}  // namespace

bool run_client(ValidatorApp& app, const ClientRun& run, const Log& log) {
  const net::Millis io_timeout{run.connect_timeout_ms};
  net::WsClientOptions ws_options;
  ws_options.max_message = app.config().max_message;
  auto connected = net::WsClient::connect(run.url, io_timeout, ws_options);
  if (!connected) {
    log("client failed " + connected.error().code + " " + connected.error().message);
    return false;
  }
  net::WsClient& ws = **connected;
  SystemRng rng;
  auto channel = attest_challenge(app, ws, rng, run, log);
  if (!channel) return false;
  log("client established");

  router::Router router(app.config().profile, rng, app.clock());
  // A failed step ends the script; the connection then closes normally (1000 "done") unless
  // it is already over.
  bool connection_over = false;
  const auto run_step = [&](const std::string& name) {
    Json msg = script_message(name);
    if (msg.is_null()) {
      log("client failed client.unknown_script_step " + name);
      return false;
    }
    std::optional<Result<Json>> answer;
    auto stamped = router.request(std::move(msg), [&](Result<Json> r) { answer.emplace(std::move(r)); });
    if (!stamped) return false;
    auto sealed = channel->seal_json(*stamped, rng);
    if (!sealed || !ws.send_text(*sealed, io_timeout).ok()) {
      log("client failed client.send");
      return false;
    }
    if (!expects_answer(name) || answer) return true;
    connection_over = !await_answer(ws, *channel, router, answer, run, log);
    if (connection_over) return false;
    if (!answer) log("client failed client.no_answer " + name);
    return answer.has_value();
  };
  bool ok = true;
  for (const auto& name : run.script) {
    if (!run_step(name)) {
      ok = false;
      break;
    }
  }
  if (connection_over) return false;
  (void)ws.close(kCloseNormal, "done", io_timeout);
  if (ok) log("client done");
  return ok;
}

}  // namespace pnc::peers
