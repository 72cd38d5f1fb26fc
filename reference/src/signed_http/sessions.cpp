// V7 nonce cache and the session table shared with the bootstrap verifier.
#include "pnc/signed_http.hpp"

namespace pnc::signed_http {

NonceCache::NonceCache(std::size_t capacity, std::int64_t retention)
    : capacity_(capacity), retention_(retention) {}

void NonceCache::purge(std::int64_t now) {
  // Entries leave only once strictly older than the retention (kept >= retention seconds).
  // A clock that steps back only keeps entries longer, never shorter.
  auto expired = [&](std::int64_t inserted) {  // unsigned difference: no overflow on any clock
    return now > inserted && static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(inserted) >
                                 static_cast<std::uint64_t>(retention_);
  };
  while (!order_.empty() && expired(order_.front().first)) {
    set_.erase(order_.front().second);
    order_.pop_front();
  }
}

NonceCache::Insert NonceCache::check_and_insert(std::string_view nonce, std::int64_t now) {
  purge(now);
  std::string key(nonce);
  if (set_.count(key) != 0) return Insert::replayed;
  if (set_.size() >= capacity_) return Insert::full;  // refuse; never evict an unexpired entry
  set_.insert(key);
  order_.emplace_back(now, std::move(key));
  return Insert::inserted;
}

SessionTable::SessionTable(std::size_t max_sessions, std::size_t nonce_capacity)
    : max_sessions_(max_sessions), nonce_capacity_(nonce_capacity) {}

void SessionTable::purge_expired(std::int64_t now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now >= it->second.session.expires_at)
      it = sessions_.erase(it);
    else
      ++it;
  }
}

Status SessionTable::add(std::string token, Session session, std::int64_t now) {
  std::lock_guard lock(mu_);
  if (sessions_.count(token) != 0) return make_error(errc::kSessionExists, "session token already registered");
  if (sessions_.size() >= max_sessions_) purge_expired(now);
  if (sessions_.size() >= max_sessions_) return make_error(errc::kSessionTableFull, "session table full");
  sessions_.emplace(std::move(token), Entry{std::move(session), NonceCache(nonce_capacity_)});
  return {};
}

std::optional<Session> SessionTable::find(std::string_view token) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  return it->second.session;
}

NonceCache::Insert SessionTable::check_and_insert_nonce(std::string_view token,
                                                        std::string_view nonce, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return NonceCache::Insert::replayed;
  return it->second.nonces.check_and_insert(nonce, now);
}

bool SessionTable::remove(std::string_view token) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return false;
  sessions_.erase(it);
  return true;
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace pnc::signed_http
