// Private: libsodium must be initialised once before any primitive is used.
#pragma once

namespace pnc::detail {
void ensure_sodium();
}  // namespace pnc::detail
