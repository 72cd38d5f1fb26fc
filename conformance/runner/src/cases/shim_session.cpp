#include "cases/shim_session.hpp"

#include <algorithm>
#include <thread>

#include "cases/text.hpp"

namespace pnc::conf {

namespace {
constexpr std::size_t kMaxAnswerBytes = 64u * 1024u * 1024u;  // a quote or a 16 MiB body in hex
}

ShimSession::ShimSession(std::string command, std::string log_path, Millis timeout, Millis startup)
    : command_(std::move(command)), log_path_(std::move(log_path)), timeout_(timeout), startup_(std::max(startup, timeout)) {}

ShimSession::~ShimSession() { stop(); }

void ShimSession::stop() {
  if (child_.running()) (void)child_.write_line(R"({"id":0,"op":"shutdown","profile":"seed-spec","args":{}})", Millis(100));
  child_.stop();
  healthy_ = false;
}

Status ShimSession::start() {
  child_.stop();
  ChildProcess::Options options;
  options.pipe_stdio = true;
  options.log_path = log_path_;
  auto child = ChildProcess::start(command_, options);
  if (!child) return child.error();
  child_ = std::move(*child);
  healthy_ = true;
  auto hello = exchange("hello", {{"protocol", 1}}, Profile::seed_spec, startup_);
  if (!hello) {
    healthy_ = false;
    return make_error("shim.no_hello", "the shim did not answer hello: " + hello.error().message);
  }
  if (hello->kind == ShimAnswer::Kind::ok && hello->result.is_object()) {
    identity_ = string_member(hello->result, "name");
    if (identity_.empty()) identity_ = "shim";
    const std::string version = string_member(hello->result, "version");
    if (!version.empty()) identity_ += " " + version;
  } else {
    identity_ = executable_name(command_);
  }
  return {};
}

Result<ShimAnswer> ShimSession::call(const std::string& op, const json::Json& args, Profile profile) {
  if (!healthy_ || !child_.running()) {
    ++restarts_;
    if (auto s = start(); !s) return make_error("shim.down", "the shim could not be (re)started: " + s.error().message);
  }
  auto answer = exchange(op, args, profile, timeout_);
  if (!answer) {
    // Whatever state the shim is in now, the next call starts a fresh one.
    // A shim that closed its output is usually exiting: give it a moment to be reaped so the
    // report can say how it ended.
    if (answer.error().code == "shim.read")
      for (int i = 0; i < 40 && child_.running(); ++i) std::this_thread::sleep_for(Millis(5));
    const bool exited = !child_.running();
    std::string why = answer.error().message;
    if (exited) why += " (the shim " + child_.describe_exit() + ")";
    child_.stop();
    healthy_ = false;
    return make_error(answer.error().code, why);
  }
  return answer;
}

Result<ShimAnswer> ShimSession::call_if_healthy(const std::string& op, const json::Json& args, Profile profile) {
  if (!healthy_ || !child_.running()) return make_error("shim.down", "the shim is not running");
  return call(op, args, profile);
}

json::Json shim_request(int id, const std::string& op, const json::Json& args, Profile profile) {
  return {{"id", id}, {"op", op}, {"profile", std::string(to_string(profile))}, {"args", args}};
}

Result<ShimAnswer> parse_shim_answer(std::string_view line, int id) {
  auto doc = json::parse_object(line, Profile::sdk_compat);
  if (!doc) return make_error("shim.garbage", "the answer is not a JSON object: " + doc.error().message);
  const json::Json& a = *doc;
  if (!a.contains("id") || a["id"] != id)
    return make_error("shim.garbage", "the answer's id does not match the request's (" + std::to_string(id) + ")");
  const auto status = a.contains("status") && a["status"].is_string() ? a["status"].get<std::string>() : "";
  ShimAnswer out;
  if (status == "ok") {
    out.kind = ShimAnswer::Kind::ok;
    out.result = a.contains("result") ? a["result"] : json::Json::object();
    if (!out.result.is_object()) return make_error("shim.garbage", "\"result\" is not an object");
  } else if (status == "error") {
    out.kind = ShimAnswer::Kind::error;
    out.error = a.contains("error") && a["error"].is_string() ? a["error"].get<std::string>() : "(no reason)";
  } else if (status == "unimplemented") {
    out.kind = ShimAnswer::Kind::unimplemented;
  } else {
    return make_error("shim.garbage", "unknown status \"" + status + "\"");
  }
  return out;
}

Result<ShimAnswer> ShimSession::exchange(const std::string& op, const json::Json& args, Profile profile, Millis timeout) {
  const int id = next_id_++;
  if (auto s = child_.write_line(json::dump(shim_request(id, op, args, profile)), timeout); !s)
    return make_error("shim.write", "cannot send the request: " + s.error().message);
  auto line = child_.read_line(timeout, kMaxAnswerBytes);
  if (!line) {
    if (line.error().code == "proc.timeout")
      return make_error("shim.timeout", "no answer within " + std::to_string(timeout.count()) + " ms");
    return make_error("shim.read", line.error().message);
  }
  return parse_shim_answer(*line, id);
}

}  // namespace pnc::conf
