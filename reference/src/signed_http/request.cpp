// HttpRequest helpers and the §6.2 canonical string.
#include <algorithm>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/signed_http.hpp"
#include "signed_http/internal.hpp"

namespace pnc::signed_http {

bool detail::iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (detail::iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

std::size_t HttpRequest::header_count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(
      headers.begin(), headers.end(), [&](const Header& h) { return detail::iequals(h.first, name); }));
}

void HttpRequest::remove_header(std::string_view name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const Header& h) { return detail::iequals(h.first, name); }),
                headers.end());
}

void HttpRequest::set_header(std::string_view name, std::string value) {
  remove_header(name);
  headers.emplace_back(std::string(name), std::move(value));
}

std::string_view HttpRequest::path() const {
  std::string_view t = target;
  return t.substr(0, t.find_first_of("?#"));
}

std::string canonical_string(std::string_view method, std::string_view path, ByteView body,
                             std::string_view timestamp, std::string_view nonce,
                             std::string_view session_token) {
  const auto digest = crypto::sha256(body);
  std::string out;
  out.reserve(method.size() + path.size() + 64 + timestamp.size() + nonce.size() +
              session_token.size() + 5);
  out.append(method).push_back('\n');
  out.append(path).push_back('\n');
  out.append(codec::hex_encode(digest)).push_back('\n');
  out.append(timestamp).push_back('\n');
  out.append(nonce).push_back('\n');
  out.append(session_token);
  return out;
}

}  // namespace pnc::signed_http
