// Private helpers shared by the signed_http sources.
#pragma once

#include <string_view>

namespace pnc::signed_http::detail {

bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive

}  // namespace pnc::signed_http::detail
