// sealed_box_test.json: libsodium crypto_box_seal as §8.2 specifies (SealOpen), the Ed25519 ->
// X25519 conversion of §8.3, and Mechanism A, the sealed DSN receiver of §8.1 (N-CRED-01..09,
// N-CRED-13, N-X-05, golden V6).
#include "common.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "spec_tables.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::vectors {

VectorFile gen_sealed_box(const Golden& g) {
  VectorFile f("sealed_box_test.json", "PNC-SEALED-BOX", "pnc_sealed_box_schema_v1.json",
               {"Sealed boxes (PROTOCOL.md §8.2, libsodium crypto_box_seal), the Ed25519 -> X25519 conversion",
                "(§8.3) and the sealed-DSN receiver POST /sdk/admin/db/credentials (§8.1, Mechanism A).",
                "SealedCredentials: `receiverKeyB64` is SDK_EPHEMERAL_SK_B64 (B64 of the Ed25519 seed) in seed-spec",
                "and sdk-compat, B64 of the X25519 secret itself in hardened (D-24). `status` is the seed-spec HTTP",
                "status; a rejected request must leave SDK_DB_DSN unchanged (N-CRED-13)."});
  f.note("Ktv", "BASIC", "The golden values of PROTOCOL.md §13 V6 or RFC 8032 keys.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A valid sealed box, key or request.", "Valid input is refused.");
  f.note("ModifiedBox", "AUTH_BYPASS", "One bit of the ephemeral key, tag or ciphertext flipped (N-CRED-02).",
         "Forged credentials are accepted.");
  f.note("WrongRecipient", "AUTH_BYPASS", "Sealed to another key (N-CRED-03).", "Credentials for another party are accepted.");
  f.note("ShortBox", "EDGE_CASE", "Shorter than crypto_box_SEALBYTES = 48 (N-CRED-01).", "Out-of-bounds reads.");
  f.note("LowOrderEphemeral", "MISSING_STEP", "The ephemeral key is one of the 14 low-order points of §12.2 (N-X-05).",
         "A known shared secret decrypts the box.");
  f.note("WeakEdKey", "EDGE_CASE", "A small-order or non-canonical Ed25519 key of §12.3: the conversion must fail (§8.3).",
         "A weak key is silently converted.");
  f.note("BadRequest", "MISSING_STEP", "Request body or receiver key not as §8.1 steps 2-4 require (N-CRED-04..06).",
         "Malformed requests change state.");
  f.note("BadPayload", "MISSING_STEP", "The decrypted payload is not a usable DSN (N-CRED-07, 08, §8.1 step 5).",
         "Garbage is stored as the database DSN.");
  f.note("VersionRule", "EDGE_CASE", "[SEED] version is an integer 1-16 or a 1-2 digit string; sdk-compat uses Python str().",
         "Unexpected migration targets.");
  f.note("DsnLimit", "EDGE_CASE", "[SEED] DSN of at most 4096 bytes without NUL (§8.1 step 5, §10).", "Environment corruption.");

  const Bytes ed_seed = g.h("V6", "ed_seed"), ed_pk = g.h("V6", "ed_pk");
  const Bytes x_sk = g.h("V6", "x25519_sk"), x_pk = g.h("V6", "x25519_pk");
  const Bytes eph_sk = g.h("V6", "eph_sk"), sealed = g.b("V6", "sealed_b64");
  const std::string pt = g.s("V6", "plaintext");
  auto seal = [&](const Bytes& to, const std::string& m, const Bytes& e) {
    auto r = crypto::seal_with_ephemeral(to, as_bytes(m), e);
    check(r.ok(), "seal_with_ephemeral");
    return r.ok() ? r.value() : Bytes{};
  };
  check_eq(seal(x_pk, pt, eph_sk), sealed, "V6 sealed");
  const auto conv_sk = crypto::ed25519_seed_to_x25519(ed_seed);
  check_eq(Bytes(conv_sk.view().begin(), conv_sk.view().end()), x_sk, "V6 x_sk");

  // ---- SealOpen ----
  f.group("SealOpen", {{"recipientPrivate", hex(x_sk)}, {"recipientPublic", hex(x_pk)}});
  auto open_case = [&](const Case& c, const Bytes& box, const std::string& m) {
    f.add(c, {{"sealed", hex(box)}, {"msg", hex(m)}});
  };
  open_case({"V6 sealed DSN", {"Ktv"}, {"V6"}}, sealed, pt);
  open_case({"empty message (48 bytes)", {"Valid"}, {"§8.2"}}, seal(x_pk, "", eph_sk), "");
  for (std::size_t i : {0u, 31u, 32u, 47u, 48u, 83u})
    open_case({"byte " + std::to_string(i) + " flipped (" + (i < 32 ? "ephemeral key" : i < 48 ? "tag" : "ciphertext") + ")",
               {"ModifiedBox"}, {"N-CRED-02"}, invalid()}, flip(sealed, i), pt);
  open_case({"47 bytes", {"ShortBox"}, {"N-CRED-01"}, invalid()}, Bytes(sealed.begin(), sealed.begin() + 47), "");
  open_case({"empty", {"ShortBox"}, {"N-CRED-01"}, invalid()}, {}, "");
  open_case({"truncated by one byte", {"ModifiedBox"}, {"N-CRED-02"}, invalid()}, Bytes(sealed.begin(), sealed.end() - 1), pt);
  open_case({"sealed to the V1 challenge key", {"WrongRecipient"}, {"N-CRED-03"}, invalid()}, seal(g.h("V1", "chal_pub"), pt, eph_sk), pt);
  for (std::size_t i = 0; i < kLowOrderX25519.size(); ++i) {
    Bytes box = unhex(kLowOrderX25519[i]);
    box.insert(box.end(), sealed.begin() + 32, sealed.end());
    open_case({"ephemeral key = low-order point #" + std::to_string(i + 1), {"LowOrderEphemeral"}, {"N-X-05"}, invalid()}, box, pt);
  }
  DeterministicRng rng(std::uint64_t{0x5ea1});
  for (int i = 0; i < 12; ++i) {
    const std::string m = "postgresql://user" + std::to_string(i) + ":" + hex(rng.bytes(static_cast<std::size_t>(i * 3))) + "@db:5432/x";
    open_case({"pseudorandom ephemeral " + std::to_string(i + 1), {"Valid"}, {"§8.2"}}, seal(x_pk, m, rng.bytes(32)), m);
  }

  // ---- Ed25519ToX25519 ----
  f.group("Ed25519ToX25519");
  auto conv = [&](const Case& c, const Bytes& seed, const Bytes& pk) {
    OJson fields = {{"edPublic", hex(pk)}};
    if (!seed.empty()) {
      fields["edSeed"] = hex(seed);
      const auto xs = crypto::ed25519_seed_to_x25519(seed);
      fields["x25519Private"] = hex(Bytes(xs.view().begin(), xs.view().end()));
    }
    const auto xp = crypto::ed25519_public_to_x25519(pk);
    if (xp.ok()) fields["x25519Public"] = hex(Bytes(xp->begin(), xp->end()));
    check(xp.ok() == (c.expect.seed == "valid"), "conversion outcome " + c.comment);
    f.add(c, fields);
  };
  conv({"V6 / RFC 8032 test 1 key", {"Ktv"}, {"V6", "§8.3"}}, ed_seed, ed_pk);
  for (const auto& rv : g.rfc()["ed25519"])
    conv({rv["rfc"].get<std::string>() + " key", {"Ktv"}, {"§8.3"}}, unhex(rv["seed"].get<std::string>()),
         unhex(rv["public"].get<std::string>()));
  for (int i = 0; i < 10; ++i) {
    const Bytes s = rng.bytes(32);
    const auto kp = crypto::ed25519_from_seed(s);
    conv({"pseudorandom seed " + std::to_string(i + 1), {"Valid"}, {"P-SEAL", "§8.3"}}, s, Bytes(kp.pub.begin(), kp.pub.end()));
  }
  for (std::size_t i = 0; i < kBadEd25519Points.size(); ++i)
    conv({"§12.3 encoding #" + std::to_string(i + 1), {"WeakEdKey"}, {"§8.3", "N-ED-03"}, invalid()}, {}, unhex(kBadEd25519Points[i]));

  // ---- SealedCredentials (Mechanism A receiver) ----
  f.group("SealedCredentials");
  const std::string key_b64 = g.s("V6", "sdk_ephemeral_sk_b64");
  const std::string x_sk_b64 = codec::b64_encode(x_sk);
  auto body = [](const std::string& sealed_b64, const std::string& rest = R"("challenge_name":"challenge_demo","version":1)") {
    return R"({"sealed":")" + sealed_b64 + R"(",)" + rest + "}";
  };
  auto creds = [&](const Case& c, const std::string& b, const std::optional<std::string>& key, int status,
                   const std::string& dsn = "") {
    OJson fields = {{"body", b}, {"receiverKeyB64", key ? OJson(*key) : OJson(nullptr)}, {"status", status}};
    if (!dsn.empty()) fields["dsn"] = dsn;
    f.add(c, fields);
  };
  const Expect not_hard{"valid", "valid", "invalid"};  // hardened reads the key as an X25519 secret (D-24)
  const std::string dsn = "postgresql://u:p@db:5432/x";
  creds({"V6 request", {"Ktv"}, {"V6", "§8.1"}, not_hard}, body(b64(sealed)), key_b64, 200, dsn);
  creds({"V6 request, receiver key = the X25519 secret (hardened, D-24)", {"Valid"}, {"D-24"}, Expect{"invalid", "invalid", "valid"}},
        body(b64(sealed)), x_sk_b64, 400, dsn);
  creds({"47-byte sealed box", {"ShortBox"}, {"N-CRED-01"}, invalid()}, body(b64(Bytes(sealed.begin(), sealed.begin() + 47))), key_b64, 400);
  for (std::size_t i : {0u, 40u, 60u})
    creds({"V6 with byte " + std::to_string(i) + " flipped", {"ModifiedBox"}, {"N-CRED-02"}, invalid()},
          body(b64(flip(sealed, i))), key_b64, 400);
  creds({"sealed to another recipient", {"WrongRecipient"}, {"N-CRED-03"}, invalid()},
        body(b64(seal(g.h("V1", "chal_pub"), pt, eph_sk))), key_b64, 400);
  creds({"SDK_EPHEMERAL_SK_B64 unset", {"BadRequest"}, {"N-CRED-04"}, invalid()}, body(b64(sealed)), std::nullopt, 500);
  creds({"SDK_EPHEMERAL_SK_B64 empty", {"BadRequest"}, {"N-CRED-04"}, invalid()}, body(b64(sealed)), std::string(), 500);
  creds({"SDK_EPHEMERAL_SK_B64 of 31 bytes", {"BadRequest"}, {"N-CRED-05"}, invalid()}, body(b64(sealed)),
        codec::b64_encode(Bytes(ed_seed.begin(), ed_seed.end() - 1)), 400);
  creds({"SDK_EPHEMERAL_SK_B64 of 64 bytes (libsodium secret key)", {"BadRequest"}, {"N-CRED-05"}, invalid()}, body(b64(sealed)),
        codec::b64_encode(concat(ed_seed, ed_pk)), 400);
  for (const auto& [name, b] : std::vector<std::pair<std::string, std::string>>{
           {"`sealed` missing", R"({"challenge_name":"challenge_demo","version":1})"},
           {"`challenge_name` missing", R"({"sealed":")" + b64(sealed) + R"(","version":1})"},
           {"`version` missing", R"({"sealed":")" + b64(sealed) + R"(","challenge_name":"challenge_demo"})"},
           {"`version` null", body(b64(sealed), R"("challenge_name":"challenge_demo","version":null)")},
           {"`challenge_name` empty", body(b64(sealed), R"("challenge_name":"","version":1)")},
           {"`sealed` empty", body("")},
           {"body not JSON", "sealed=" + b64(sealed)},
           {"body a JSON array", "[]"}})
    creds({name, {"BadRequest"}, {"N-CRED-06"}, invalid()}, b, key_b64, 400);
  for (const auto& [v, strict_ok] : std::vector<std::pair<std::string, bool>>{
           {"16", true}, {"\"1\"", true}, {"\"16\"", true}, {"17", false}, {"true", false}, {"1.0", false},
           {"\"01\"", false}, {"\"v1\"", false}, {"\"117\"", false}})
    creds({"version " + v, {"VersionRule"}, {"§8.1"}, strict_ok ? not_hard : Expect{"invalid", "valid", "invalid"}},
          body(b64(sealed), R"("challenge_name":"challenge_demo","version":)" + v), key_b64, strict_ok ? 200 : 400, dsn);
  auto payload_case = [&](const Case& c, const std::string& plaintext, int status, const std::string& want_dsn = "") {
    creds(c, body(b64(seal(x_pk, plaintext, eph_sk))), key_b64, status, want_dsn);
  };
  for (const std::string p : {R"({"dsn": ""})", R"({"other": 1})", R"({"dsn": 5})", R"({broken json)", R"({"dsn": null})", ""})
    payload_case({"payload " + (p.empty() ? std::string("empty") : p), {"BadPayload"}, {"N-CRED-07"}, invalid()}, p, 400);
  payload_case({"payload bytes FF FE (not UTF-8)", {"BadPayload"}, {"N-CRED-08"}, invalid()}, "\xff\xfe", 400);
  payload_case({"raw DSN string (not JSON)", {"Valid"}, {"N-CRED-09"}, not_hard}, dsn, 200, dsn);
  payload_case({"JSON with dsn and extra members", {"Valid"}, {"§8.1"}, not_hard},
               R"({"dsn":"postgresql://a@b/c","database_url":"ignored"})", 200, "postgresql://a@b/c");
  const std::string long_dsn = "postgresql://u@h/" + std::string(4096 - 17, 'd');
  payload_case({"DSN of 4096 bytes", {"DsnLimit"}, {"§8.1", "§10"}, not_hard}, long_dsn, 200, long_dsn);
  payload_case({"DSN of 4097 bytes", {"DsnLimit"}, {"§8.1", "§10"}, Expect{"invalid", "valid", "invalid"}}, long_dsn + "d",
               400, long_dsn + "d");
  payload_case({"DSN with a NUL byte", {"DsnLimit"}, {"§8.1"}, Expect{"invalid", "valid", "invalid"}},
               std::string("postgresql://u@h/x\0y", 20), 400, std::string("postgresql://u@h/x\0y", 20));
  return f;
}

}  // namespace pnc::vectors
