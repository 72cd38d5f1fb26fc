// Placeholder self-check: replaced once every reference module exists.
#include <cstdio>

#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"

int main() {
  auto k = pnc::crypto::sha256(pnc::as_bytes("abc"));
  std::printf("pnc-selfcheck: sha256(abc) = %s\n", pnc::codec::hex_encode(k).c_str());
  return 0;
}
