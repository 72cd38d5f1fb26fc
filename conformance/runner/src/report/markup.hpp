// Escaping shared by the XML and HTML reports. Text from a misbehaving SUT may hold any byte:
// control characters XML 1.0 forbids become U+FFFD, invalid UTF-8 is replaced the same way.
#pragma once

#include <string>
#include <string_view>

namespace pnc::conf {

std::string markup_escape(std::string_view text);

}  // namespace pnc::conf
