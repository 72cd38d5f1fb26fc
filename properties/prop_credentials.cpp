// P-CRED (PROTOCOL.md §14, §8.4): the credential transfer round-trips with AAD = e_pk ([SEED]) and
// fails across AAD rules in both directions (the platform-api interop failure, D-25), plus near
// misses on every field. Oracle: OpenSSL decrypts the sender's output from the spec's recipe
// (X25519, HKDF salt/info of §8.4, ChaCha20-Poly1305 with AAD = e_pk).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "pnc/credentials.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;
namespace cr = pnc::credentials;
using Json = nlohmann::json;

rc::Gen<std::map<std::string, std::string>> credential_map() {
  // A few (key, value) pairs over a small key set; repeated keys collapse (last wins).
  return rc::gen::map(
      rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 7),
                      [](std::size_t n) {
                        return rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
                            n, rc::gen::pair(rc::gen::element<std::string>("database_url", "async_database_url",
                                                                           "schema_name", "challenge_id", "dsn", "x"),
                                             string_of("abcdefghijklmnopqrstuvwxyz0123456789:/@._-?=&", 0, 60)));
                      }),
      [](const std::vector<std::pair<std::string, std::string>>& pairs) {
        std::map<std::string, std::string> m;
        for (const auto& [k, val] : pairs) m[k] = val;
        return m;
      });
}

std::map<std::string, std::string> plain(const cr::CredentialMap& m) {
  std::map<std::string, std::string> out;
  for (const auto& [k, val] : m) out[k] = to_string(val.view());
  return out;
}

RC_GTEST_PROP(PCred, RoundTripWithSeedAadAndOpenSslAgrees, ()) {
  const Bytes x_sk = *bytes(32);
  const Bytes x_pk = ossl_x25519_public(x_sk);
  const auto creds = *credential_map();
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const auto enc = cr::encrypt_credentials(x_pk, creds, rng, cr::AadMode::seed);
  RC_ASSERT(enc.ok());
  const std::string response = cr::build_credential_response(*enc, "123e4567-e89b-12d3-a456-426614174000");
  const auto dec = cr::decrypt_credentials(response, x_sk, cr::AadMode::seed);
  RC_ASSERT(dec.ok());
  RC_ASSERT(plain(*dec) == creds);
  // Independent recipe: X25519 -> HKDF(salt, info) -> ChaCha20-Poly1305(AAD = e_pk).
  const Bytes e_pk(enc->ephemeral_public_key.begin(), enc->ephemeral_public_key.end());
  const auto shared = ossl_x25519(x_sk, e_pk);
  RC_ASSERT(shared.has_value());
  const Bytes key = ossl_hkdf_sha256(as_bytes("platform-credential-transfer-v1"), *shared, as_bytes("credential-encryption"), 32);
  const auto opened = ossl_chacha_open(key, enc->nonce, enc->encrypted_data, e_pk);
  RC_ASSERT(opened.has_value());
  RC_ASSERT(Json::parse(to_string(*opened)) == Json(creds));
}

RC_GTEST_PROP(PCred, AadRulesDoNotCrossOver, ()) {
  const Bytes x_sk = *bytes(32);
  const Bytes x_pk = ossl_x25519_public(x_sk);
  const auto creds = *credential_map();
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const bool seed_sender = *rc::gen::arbitrary<bool>();
  const auto send_mode = seed_sender ? cr::AadMode::seed : cr::AadMode::platform_api;
  const auto other_mode = seed_sender ? cr::AadMode::platform_api : cr::AadMode::seed;
  const auto enc = cr::encrypt_credentials(x_pk, creds, rng, send_mode);
  RC_ASSERT(enc.ok());
  const std::string response = cr::build_credential_response(*enc, "123e4567-e89b-12d3-a456-426614174000");
  RC_ASSERT(cr::decrypt_credentials(response, x_sk, send_mode).ok());
  const auto crossed = cr::decrypt_credentials(response, x_sk, other_mode);
  RC_ASSERT_FALSE(crossed.ok());
  RC_ASSERT(crossed.error().code == std::string(cr::kTransferAuth));
}

RC_GTEST_PROP(PCred, NearMissResponsesFailAndLeaveTheSinkUntouched, ()) {
  const Bytes x_sk = *bytes(32);
  const Bytes x_pk = ossl_x25519_public(x_sk);
  std::map<std::string, std::string> creds = {{"database_url", *string_of("abcdefgh:/@", 1, 40)}};
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const auto enc = *cr::encrypt_credentials(x_pk, creds, rng, cr::AadMode::seed);
  Json resp = Json::parse(cr::build_credential_response(enc, "123e4567-e89b-12d3-a456-426614174000"));
  Json& ec = resp["encrypted_credentials"];
  const Bytes e_pk(enc.ephemeral_public_key.begin(), enc.ephemeral_public_key.end());
  const Bytes nonce(enc.nonce.begin(), enc.nonce.end());
  const int what = *rc::gen::inRange(0, 6);
  RC_TAG(what);
  switch (what) {
    case 0: ec["encrypted_data"] = ossl_b64(flip_bit(enc.encrypted_data, *rc::gen::inRange<std::size_t>(0, 8 * enc.encrypted_data.size()))); break;
    case 1: ec["nonce"] = ossl_b64(flip_bit(nonce, *rc::gen::inRange<std::size_t>(0, 96))); break;
    case 2: ec["ephemeral_public_key"] = ossl_b64(flip_bit(e_pk, *rc::gen::inRange<std::size_t>(0, 255))); break;
    case 3: ec["ephemeral_public_key"] = ossl_b64(*rc::gen::elementOf(low_order_x25519())); break;  // N-X-04
    case 4: ec["nonce"] = ossl_b64(*bytes(*rc::gen::element<std::size_t>(11, 13))); break;              // N-CRED-11
    default: ec["encrypted_data"] = ossl_b64(*bytes_between(0, 15)); break;
  }
  cr::MemoryDsnSink sink;
  sink.set(as_bytes("unchanged"));
  RC_ASSERT_FALSE(cr::receive_credentials(resp.dump(), x_sk, cr::AadMode::seed, sink).ok());
  RC_ASSERT(sink.writes() == 0);  // N-CRED-13
  RC_ASSERT(to_string(sink.value()->view()) == "unchanged");
}

}  // namespace
