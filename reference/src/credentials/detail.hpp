// Private helpers shared by the credentials sources.
#pragma once

#include <string>

#include "pnc/json.hpp"
#include "pnc/secret.hpp"

namespace pnc::credentials::detail {

// Overwrites every string (values and nested values) held by a parsed JSON document, so
// decrypted secrets do not linger in freed heap memory.
inline void wipe_strings(json::Json& j) {
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    if (!s.empty()) secure_wipe(s.data(), s.size());
  } else if (j.is_structured()) {
    for (auto& v : j) wipe_strings(v);
  }
}

inline void wipe(std::string& s) {
  if (!s.empty()) secure_wipe(s.data(), s.size());
}

}  // namespace pnc::credentials::detail
