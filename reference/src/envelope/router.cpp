#include "pnc/router.hpp"

#include <utility>

namespace pnc::router {
namespace {

const json::Json* find(const json::Json& obj, const char* name) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

// A usable id: a non-empty string (other JSON types never match a pending string id).
std::string id_of(const json::Json* v) {
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace

Router::Router(Profile profile, Rng& rng, const Clock& clock, std::int64_t timeout_seconds)
    : profile_(profile), rng_(rng), clock_(clock), timeout_(timeout_seconds) {}

Result<json::Json> Router::stamp(json::Json message) {
  if (!message.is_object()) return make_error(kBadMessage, "router: message must be a JSON object");
  if (!json::has(message, "message_id")) {
    // SDK format: "msg_" + counter + "_" + first 8 hex chars of a UUIDv4 (all random bits).
    ++counter_;
    message["message_id"] = "msg_" + std::to_string(counter_) + "_" + rng_.uuid_v4().substr(0, 8);
  }
  return message;
}

Result<json::Json> Router::request(json::Json message, Completion done) {
  if (closed_) return make_error(kClosed, "router: connection closed");
  auto stamped = stamp(std::move(message));
  if (!stamped) return stamped;
  const json::Json& id_value = (*stamped)["message_id"];
  std::string id = id_of(&id_value);
  if (id.empty()) return make_error(kBadMessageId, "router: request message_id must be a non-empty string");
  if (is_strict(profile_) && id.size() > kMaxMessageIdLength)
    return make_error(kBadMessageId, "router: message_id longer than 128 characters");
  if (pending_.count(id) != 0) return make_error(kDuplicateId, "router: message_id already pending");
  pending_.emplace(id, Pending{clock_.now() + timeout_, std::move(done)});
  return stamped;
}

json::Json Router::reply_to(const json::Json& request_message, json::Json response) {
  const json::Json* id = find(request_message, "message_id");
  response["message_id"] = id != nullptr ? *id : json::Json(nullptr);
  return response;
}

void Router::on(const std::string& type, Handler handler) {
  handlers_[type].push_back(std::move(handler));
}

std::string Router::correlation_id(const json::Json& message) {
  std::string id = id_of(find(message, "message_id"));
  if (id.empty()) id = id_of(find(message, "query_id"));
  if (id.empty()) {
    const json::Json* payload = find(message, "payload");
    if (payload != nullptr) id = id_of(find(*payload, "query_id"));
  }
  return id;
}

Dispatch Router::receive(const json::Json& message) {
  Dispatch d;
  if (!message.is_object()) return d;
  const std::string type = id_of(find(message, "type"));
  const std::string id = correlation_id(message);
  if (!id.empty()) {
    auto it = pending_.find(id);
    if (it != pending_.end()) {
      Completion done = std::move(it->second.done);
      pending_.erase(it);  // before the callback, which may issue new requests
      d.correlated = true;
      if (type == "error") {
        const json::Json* err = find(message, "error");
        std::string text = err != nullptr && err->is_string() ? err->get<std::string>()
                                                               : std::string(kDefaultErrorText);
        if (text.empty()) text = kDefaultErrorText;
        done(make_error(kPeerError, text));
      } else {
        done(message);
      }
    }
  }
  if (!type.empty()) {
    auto h = handlers_.find(type);
    if (h != handlers_.end()) {
      // Copy: a handler may register further handlers.
      auto list = h->second;
      for (auto& fn : list) {
        fn(message);
        ++d.handlers_run;
      }
    }
  }
  return d;
}

std::size_t Router::expire() {
  const std::int64_t now = clock_.now();
  std::vector<Completion> expired;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now >= it->second.deadline) {
      expired.push_back(std::move(it->second.done));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& done : expired) done(make_error(kTimeout, "router: request timed out"));
  return expired.size();
}

std::size_t Router::close() {
  closed_ = true;
  std::vector<Completion> cancelled;
  for (auto& [id, p] : pending_) cancelled.push_back(std::move(p.done));
  pending_.clear();
  for (auto& done : cancelled) done(make_error(kCancelled, "router: connection closed"));
  return cancelled.size();
}

}  // namespace pnc::router
