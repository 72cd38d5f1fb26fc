// credential_transfer_test.json: Mechanism B of PROTOCOL.md §8.4 (golden V7): the sender's exact
// output (CredentialEncrypt), the receiver under both AAD rules (CredentialDecrypt: N-CRED-10..12,
// N-X-04), where the DSN ends up (CredentialReceive, §8.5) and the issuer's request validation
// (CredentialRequestParse, D-43).
#include <map>

#include "common.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "spec_tables.hpp"

namespace pnc::vectors {
namespace {

using credentials::AadMode;
const char* aad_name(AadMode m) { return m == AadMode::seed ? "seed" : "platform_api"; }
const std::string kChallengeId = "0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0";

}  // namespace

VectorFile gen_credential_transfer(const Golden& g) {
  VectorFile f("credential_transfer_test.json", "PNC-CREDENTIAL-TRANSFER", "pnc_credential_transfer_schema_v1.json",
               {"Credential transfer (PROTOCOL.md §8.4): X25519 + HKDF(\"platform-credential-transfer-v1\",",
                "\"credential-encryption\") + ChaCha20-Poly1305. `aadMode` seed = AAD e_pk (the SDK receiver),",
                "platform_api = no AAD (what platform-api sends, D-25). `response` is the issuer's 200 body."});
  f.note("Ktv", "BASIC", "The golden values of PROTOCOL.md §13 V7.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A valid transfer.", "Valid credentials are refused.");
  f.note("AadMismatch", "AUTH_BYPASS", "Sealed under another AAD rule or AAD value (N-CRED-10, N-CRED-12, D-25).",
         "The ephemeral key is not authenticated / the two peers cannot interoperate.");
  f.note("BadField", "EDGE_CASE", "A response field of the wrong length or encoding (N-CRED-11).", "Out-of-bounds reads.");
  f.note("LowOrderKey", "MISSING_STEP", "A low-order X25519 key of §12.2 (N-X-04).", "A known shared secret decrypts the credentials.");
  f.note("ModifiedCiphertext", "AUTH_BYPASS", "Ciphertext, nonce or recipient key changed.", "Forged credentials are accepted.");
  f.note("BadPlaintext", "MISSING_STEP", "The decrypted plaintext is not a JSON object of strings / has no DSN (§8.4, §8.5).",
         "Garbage credentials are used.");
  f.note("BadRequest", "MISSING_STEP", "The credential request is malformed (§8.4, D-43).", "Credentials are issued to a bad key.");

  const Bytes rsk = g.h("V7", "recipient_sk"), rpk = g.b("V7", "recipient_pk_b64");
  const Bytes esk = g.h("V7", "eph_sk"), epk = g.b("V7", "eph_pk_b64"), n12 = g.b("V7", "nonce_b64");
  const std::string pt = g.s("V7", "plaintext");
  auto encrypt = [&](const Bytes& to, const std::string& m, const Bytes& e, const Bytes& n, AadMode a) {
    auto r = credentials::encrypt_credentials_with(to, as_bytes(m), e, n, a);
    check(r.ok(), "encrypt_credentials_with");
    return r.ok() ? r.value() : credentials::EncryptedCredentials{};
  };
  auto response = [&](const credentials::EncryptedCredentials& e) { return credentials::build_credential_response(e, kChallengeId); };
  const auto v7_seed = encrypt(rpk, pt, esk, n12, AadMode::seed), v7_api = encrypt(rpk, pt, esk, n12, AadMode::platform_api);
  check_eq(v7_seed.encrypted_data, g.b("V7", "ct_with_aad_b64"), "V7 with AAD");
  check_eq(v7_api.encrypted_data, g.b("V7", "ct_no_aad_b64"), "V7 no AAD");
  const OJson v7_map = OJson::parse(pt);

  for (AadMode mode : {AadMode::seed, AadMode::platform_api}) {
    f.group("CredentialEncrypt", {{"aadMode", aad_name(mode)}});
    auto enc = [&](const Case& c, const Bytes& to, const std::string& m, const Bytes& e, const Bytes& n) {
      f.add(c, {{"recipientPublic", hex(to)}, {"ephemeralPrivate", hex(e)}, {"nonce", hex(n)}, {"msg", m},
                {"response", response(encrypt(to, m, e, n, mode))}});
    };
    enc({"V7", {"Ktv"}, {"V7"}}, rpk, pt, esk, n12);
    DeterministicRng rng(mode == AadMode::seed ? std::uint64_t{0xc7ed} : std::uint64_t{0xc7ee});
    for (int i = 0; i < 6; ++i) {
      const std::string m = R"({"database_url":"postgresql://u)" + std::to_string(i) + R"(@db/x","schema_name":"challenge_)" +
                            hex(rng.bytes(4)) + "\"}";
      const auto kp = crypto::x25519_from_secret(rng.bytes(32));
      enc({"pseudorandom " + std::to_string(i + 1), {"Valid"}, {"§8.4"}}, Bytes(kp.pub.begin(), kp.pub.end()), m, rng.bytes(32), rng.bytes(12));
    }
    f.add({"sender refuses the low-order recipient key #1", {"LowOrderKey"}, {"N-X-04", "§8.4"}, invalid()},
          {{"recipientPublic", std::string(kLowOrderX25519[0])}, {"ephemeralPrivate", hex(esk)}, {"nonce", hex(n12)}, {"msg", pt}, {"response", ""}});
  }

  for (AadMode mode : {AadMode::seed, AadMode::platform_api}) {
    const bool seed_mode = mode == AadMode::seed;
    f.group("CredentialDecrypt", {{"aadMode", aad_name(mode)}, {"recipientPrivate", hex(rsk)}});
    auto dec = [&](const Case& c, const std::string& resp) { f.add(c, {{"response", resp}, {"credentials", v7_map}}); };
    dec({"V7 sealed with this AAD rule", {"Ktv"}, {"V7"}}, response(seed_mode ? v7_seed : v7_api));
    dec({"V7 sealed with the other AAD rule", {"AadMismatch"}, {"N-CRED-10", "D-25"}, invalid()}, response(seed_mode ? v7_api : v7_seed));
    {
      const auto key = crypto::hkdf_sha256_32(as_bytes("platform-credential-transfer-v1"), crypto::x25519(esk, rpk)->view(),
                                              "credential-encryption");
      credentials::EncryptedCredentials e = v7_seed;
      e.encrypted_data = crypto::aead_seal(key.view(), n12, as_bytes(pt), g.h("V6", "x25519_pk")).value();
      dec({"AAD = a different 32-byte key", {"AadMismatch"}, {"N-CRED-12"}, invalid()}, response(e));
    }
    const auto& base = seed_mode ? v7_seed : v7_api;
    auto with_json = [&](auto mutate) {
      auto j = nlohmann::ordered_json::parse(response(base));
      mutate(j["encrypted_credentials"]);
      return j.dump();
    };
    for (std::size_t n : {11u, 13u})
      dec({"nonce of " + std::to_string(n) + " bytes", {"BadField"}, {"N-CRED-11"}, invalid()},
          with_json([&](auto& e) { e["nonce"] = b64(Bytes(n, 0x0c)); }));
    dec({"ephemeral_public_key of 31 bytes", {"BadField"}, {"N-CRED-11"}, invalid()},
        with_json([&](auto& e) { e["ephemeral_public_key"] = b64(Bytes(epk.begin(), epk.end() - 1)); }));
    dec({"ephemeral_public_key of 33 bytes", {"BadField"}, {"N-CRED-11"}, invalid()},
        with_json([&](auto& e) { e["ephemeral_public_key"] = b64(concat(epk, {0})); }));
    dec({"ciphertext of 15 bytes", {"BadField"}, {"N-CRED-11"}, invalid()},
        with_json([&](auto& e) { e["encrypted_data"] = b64(Bytes(base.encrypted_data.begin(), base.encrypted_data.begin() + 15)); }));
    dec({"encrypted_data missing", {"BadField"}, {"N-CRED-11"}, invalid()}, with_json([&](auto& e) { e.erase("encrypted_data"); }));
    dec({"nonce not a string", {"BadField"}, {"N-CRED-11", "N-ENC-12"}, invalid()}, with_json([&](auto& e) { e["nonce"] = 12; }));
    for (std::size_t i = 0; i < kLowOrderX25519.size(); ++i)
      dec({"ephemeral_public_key = low-order point #" + std::to_string(i + 1), {"LowOrderKey"}, {"N-X-04", "N-CRED-11"}, invalid()},
          with_json([&](auto& e) { e["ephemeral_public_key"] = b64(unhex(kLowOrderX25519[i])); }));
    dec({"ciphertext byte 0 flipped", {"ModifiedCiphertext"}, {"§8.4"}, invalid()},
        with_json([&](auto& e) { e["encrypted_data"] = b64(flip(base.encrypted_data, 0)); }));
    dec({"tag last byte flipped", {"ModifiedCiphertext"}, {"§8.4"}, invalid()},
        with_json([&](auto& e) { e["encrypted_data"] = b64(flip(base.encrypted_data, base.encrypted_data.size() - 1)); }));
    dec({"nonce byte flipped", {"ModifiedCiphertext"}, {"§8.4"}, invalid()}, with_json([&](auto& e) { e["nonce"] = b64(flip(n12, 3)); }));
    dec({"sealed to another recipient", {"ModifiedCiphertext"}, {"§8.4"}, invalid()},
        response(encrypt(g.h("V1", "val_pub"), pt, esk, n12, mode)));
    for (const std::string p : {R"(["x"])", R"({"database_url":5})", "not json", R"({"a":{"b":"c"}})"})
      dec({"plaintext " + p, {"BadPlaintext"}, {"§8.4"}, invalid()}, response(encrypt(rpk, p, esk, n12, mode)));
  }

  f.group("CredentialReceive", {{"aadMode", "seed"}, {"recipientPrivate", hex(rsk)}});
  auto recv = [&](const Case& c, const std::string& m, const std::string& dsn) {
    OJson fields = {{"response", response(encrypt(rpk, m, esk, n12, AadMode::seed))}};
    if (!dsn.empty()) fields["dsn"] = dsn;
    f.add(c, fields);
  };
  recv({"V7: database_url only", {"Ktv"}, {"V7", "§8.5"}}, pt, "postgresql://u:p@db:5432/x");
  recv({"dsn and database_url: dsn wins", {"Valid"}, {"§8.5", "D-26"}}, R"({"database_url":"postgresql://a@b/c","dsn":"postgresql://d@e/f"})", "postgresql://d@e/f");
  recv({"neither dsn nor database_url", {"BadPlaintext"}, {"§8.5"}, invalid()}, R"({"schema_name":"challenge_x"})", "");

  f.group("CredentialRequestParse");
  auto req = [&](const Case& c, const std::string& body) { f.add(c, {{"body", body}}); };
  const std::string pk_b64 = b64(rpk);
  req({"valid request", {"Valid"}, {"§8.4"}}, R"({"challenge_id":")" + kChallengeId + R"(","public_key":")" + pk_b64 + "\"}");
  req({"valid request with migrations", {"Valid"}, {"§8.4"}},
      R"({"challenge_id":")" + kChallengeId + R"(","public_key":")" + pk_b64 + R"(","migrations":[]})");
  req({"migrations not an array", {"BadRequest"}, {"§8.4"}, invalid()},
      R"({"challenge_id":")" + kChallengeId + R"(","public_key":")" + pk_b64 + R"(","migrations":{}})");
  req({"challenge_id not a UUID", {"BadRequest"}, {"§8.4", "D-43"}, invalid()}, R"({"challenge_id":"challenge_demo","public_key":")" + pk_b64 + "\"}");
  req({"challenge_id missing", {"BadRequest"}, {"§8.4"}, invalid()}, R"({"public_key":")" + pk_b64 + "\"}");
  req({"public_key missing", {"BadRequest"}, {"§8.4"}, invalid()}, R"({"challenge_id":")" + kChallengeId + "\"}");
  for (std::size_t n : {31u, 33u})
    req({"public_key of " + std::to_string(n) + " bytes", {"BadRequest"}, {"N-ENC-05"}, invalid()},
        R"({"challenge_id":")" + kChallengeId + R"(","public_key":")" + b64(Bytes(n, 7)) + "\"}");
  for (std::size_t i = 0; i < kLowOrderX25519.size(); ++i)
    req({"public_key = low-order point #" + std::to_string(i + 1), {"LowOrderKey"}, {"N-X-04"}, invalid()},
        R"({"challenge_id":")" + kChallengeId + R"(","public_key":")" + b64(unhex(kLowOrderX25519[i])) + "\"}");
  return f;
}

}  // namespace pnc::vectors
