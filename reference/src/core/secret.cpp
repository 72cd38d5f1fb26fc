#include "pnc/secret.hpp"

#include <sodium.h>

#include "core/sodium_init.hpp"

namespace pnc {

namespace detail {
void ensure_sodium() {
  // sodium_init() is thread-safe and idempotent; a failure here means no usable RNG, which the
  // library cannot recover from, so it is reported once and every later call fails loudly.
  static const int rc = sodium_init();
  (void)rc;
}
}  // namespace detail

void secure_wipe(void* data, std::size_t size) { sodium_memzero(data, size); }

bool ct_equal(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pnc
