// DsnSink implementations (§8.5): the process environment and wiped memory.
#include <algorithm>
#include <cstdlib>

#include "pnc/credentials.hpp"

namespace pnc::credentials {

Status EnvDsnSink::store(ByteView dsn) {
  if (std::find(dsn.begin(), dsn.end(), std::uint8_t{0}) != dsn.end())
    return make_error(kStoreFailed, "DSN contains NUL; cannot be an environment value");
  SecretBytes value(dsn.size() + 1);  // NUL-terminated copy, wiped on return (setenv copies)
  std::copy(dsn.begin(), dsn.end(), value.data());
  value.data()[dsn.size()] = 0;
  const std::string name(kDsnEnvVar);
  if (::setenv(name.c_str(), reinterpret_cast<const char*>(value.data()), 1) != 0)
    return make_error(kStoreFailed, "setenv SDK_DB_DSN failed");
  return {};
}

Status MemoryDsnSink::store(ByteView dsn) {
  value_ = SecretBytes(dsn);
  ++writes_;
  return {};
}

}  // namespace pnc::credentials
