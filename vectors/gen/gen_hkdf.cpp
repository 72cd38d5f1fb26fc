// hkdf_sha256_test.json: Wycheproof HkdfTest layout. The protocol's four HKDF uses (§4 table:
// WebSocket / HTTP session key, [HARD] directional keys, credential transfer, validator link),
// the empty-salt rule of §0.4, RFC 5869 vectors and pseudorandom inputs of every boundary size.
#include <map>

#include "common.hpp"
#include "pnc/crypto.hpp"

namespace pnc::vectors {

VectorFile gen_hkdf(const Golden& g) {
  VectorFile f("hkdf_sha256_test.json", "HKDF-SHA-256", "hkdf_test_schema_v1.json",
               {"HKDF-SHA256 (RFC 5869) with the salts and info strings of PROTOCOL.md §4 and §8.4.",
                "An empty salt is equivalent to 32 zero bytes (§0.4)."});
  f.note("Ktv", "BASIC", "Known test vector from RFC 5869 or PROTOCOL.md §13.",
         "A failure means the implementation or the test setup is broken.");
  f.note("ProtocolKey", "BASIC", "A key derivation the protocol performs, with its exact salt and info (§4).",
         "Peers derive different keys and cannot talk to each other.");
  f.note("EmptySalt", "EDGE_CASE", "Salt of length 0, which RFC 5869 §2.2 replaces by HashLen zero bytes.",
         "Peers that treat an empty salt differently derive different keys.");
  f.note("Normal", "BASIC", "Pseudorandom inputs; output sizes cover every block boundary up to 255 * 32.",
         "Keys of other lengths are derived incorrectly.");

  struct Item { Case c; Bytes ikm, salt, info; std::size_t size; Bytes okm; };
  std::map<std::size_t, std::vector<Item>> by_ikm_bits;
  auto derive = [](const Bytes& salt, const Bytes& ikm, const Bytes& info, std::size_t n) {
    const auto okm = crypto::hkdf_sha256(salt, ikm, info, n);
    return Bytes(okm.view().begin(), okm.view().end());
  };
  auto put = [&](Case c, const Bytes& ikm, const Bytes& salt, const Bytes& info, std::size_t n) {
    by_ikm_bits[ikm.size() * 8].push_back({std::move(c), ikm, salt, info, n, derive(salt, ikm, info, n)});
  };

  const Bytes shared = g.h("V1", "shared"), salt = g.h("V1", "salt");
  const Bytes info = to_bytes("platform-api-sdk-v1");
  check_eq(derive(salt, shared, info, 32), g.h("V1", "key"), "V1 K");
  put({"V1 WebSocket session key K", {"Ktv", "ProtocolKey"}, {"V1", "V10"}}, shared, salt, info, 32);
  put({"[HARD] K_c2s from the V1 inputs", {"ProtocolKey"}, {"§4"}}, shared, salt, to_bytes("platform-api-sdk-v1/c2s"), 32);
  put({"[HARD] K_s2c from the V1 inputs", {"ProtocolKey"}, {"§4"}}, shared, salt, to_bytes("platform-api-sdk-v1/s2c"), 32);
  const Bytes v7_shared = g.h("V7", "shared");
  check_eq(derive(to_bytes("platform-credential-transfer-v1"), v7_shared, to_bytes("credential-encryption"), 32),
           g.h("V7", "key"), "V7 key");
  put({"V7 credential-transfer key", {"Ktv", "ProtocolKey"}, {"V7"}}, v7_shared,
      to_bytes("platform-credential-transfer-v1"), to_bytes("credential-encryption"), 32);
  put({"validator <-> platform-api link key (no salt, informative)", {"ProtocolKey", "EmptySalt"}, {"§4"}}, shared, {},
      to_bytes("platform-api-validator-v1"), 32);
  put({"V1 inputs with an empty salt", {"EmptySalt"}, {"§0.4"}}, shared, {}, info, 32);
  put({"V1 inputs with 32 zero bytes of salt (same output as the empty salt)", {"EmptySalt"}, {"§0.4"}}, shared,
      Bytes(32, 0), info, 32);
  put({"V1 inputs with a 31-byte salt", {"ProtocolKey"}, {"N-HS-19", "N-BOOT-07"}}, shared,
      Bytes(salt.begin(), salt.end() - 1), info, 32);
  for (const auto& rv : g.rfc()["hkdf_sha256"]) {
    const Bytes ikm = unhex(rv["ikm"].get<std::string>()), s = unhex(rv["salt"].get<std::string>());
    const Bytes in = unhex(rv["info"].get<std::string>()), okm = unhex(rv["okm"].get<std::string>());
    const auto n = rv["length"].get<std::size_t>();
    check_eq(derive(s, ikm, in, n), okm, rv["rfc"].get<std::string>());
    put({rv["rfc"].get<std::string>(), {"Ktv"}, {"§0.4"}}, ikm, s, in, n);
  }
  DeterministicRng rng(std::uint64_t{0x48b4df});
  for (std::size_t n : {1u, 16u, 31u, 32u, 33u, 63u, 64u, 65u, 100u, 255u, 256u, 1000u, 8159u, 8160u}) {
    for (std::size_t ikm_len : {32u, 16u}) {
      put({"pseudorandom, " + std::to_string(ikm_len) + "-byte IKM, L = " + std::to_string(n), {"Normal"}, {"§0.4"}},
          rng.bytes(ikm_len), rng.bytes(32), rng.bytes(19), n);
    }
  }
  for (std::size_t salt_len : {1u, 31u, 33u, 64u, 65u, 200u}) {
    put({"pseudorandom, " + std::to_string(salt_len) + "-byte salt", {"Normal"}, {"§0.4"}}, rng.bytes(32),
        rng.bytes(salt_len), rng.bytes(21), 32);
  }

  for (const auto& [bits, items] : by_ikm_bits) {
    f.group("HkdfTest", {{"keySize", bits}});
    for (const auto& it : items)
      f.add(it.c, {{"ikm", hex(it.ikm)}, {"salt", hex(it.salt)}, {"info", hex(it.info)}, {"size", it.size},
                   {"okm", hex(it.okm)}});
  }
  return f;
}

}  // namespace pnc::vectors
