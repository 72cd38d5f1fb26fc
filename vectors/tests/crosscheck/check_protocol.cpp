// Cross-checks of the protocol files: the cryptographic part of each case recomputed with
// OpenSSL (AEAD opens, signatures over the canonical string, key derivations). Cases whose
// verdict rests on a non-cryptographic rule (JSON shape, time, replay, lengths) are skipped.
#include <algorithm>
#include <cctype>

#include "crosscheck.hpp"
#include "pnc/spec_tables.hpp"

namespace xcheck {
namespace {

const Json* parse_obj(const std::string& text, Json& holder) {
  holder = Json::parse(text, nullptr, false);
  return holder.is_object() ? &holder : nullptr;
}

// A §5.1 envelope decoded with OpenSSL base64: nullopt unless enc/nonce/ciphertext are well formed.
struct Env {
  Bytes nonce, ct;
};
std::optional<Env> envelope_of(const std::string& text, std::string_view want_enc = "chacha20poly1305") {
  Json j;
  if (!parse_obj(text, j)) return std::nullopt;
  for (const char* m : {"enc", "nonce", "ciphertext"})
    if (!j.contains(m) || !j[m].is_string()) return std::nullopt;
  if (j["enc"] != want_enc) return std::nullopt;
  auto n = b64_strict(j["nonce"].get<std::string>()), c = b64_strict(j["ciphertext"].get<std::string>());
  if (!n || !c || n->size() != 12 || c->size() < 16) return std::nullopt;
  return Env{*n, *c};
}

bool low_order(const Bytes& pub) {
  const std::string x = hex(pub);
  return std::any_of(pnc::spec::kLowOrderX25519Hex.begin(), pnc::spec::kLowOrderX25519Hex.end(),
                     [&](std::string_view e) { return e == x; });
}

std::optional<Bytes> session_key(const Bytes& sk, const Bytes& peer, const Bytes& salt, std::string_view info) {
  const auto shared = x25519(sk, peer);
  if (!shared) return std::nullopt;
  return hkdf_sha256(salt, *shared, bytes(info), 32);
}

}  // namespace

Outcome check_envelope(const Json&, const Json& t) {
  const auto env = envelope_of(s(t, "frame"));
  const bool crypto_flag = has_flag(t, "ModifiedCiphertext") || has_flag(t, "WrongConstruction");
  if (!valid(t) && !crypto_flag) return skip();
  if (!env) return valid(t) ? bad("envelope not decodable with OpenSSL base64") : skip();
  const auto pt = chacha_open(h(t, "key"), env->nonce, {}, env->ct);
  if (!valid(t)) return agree(pt.has_value(), false, "envelope open");
  return pt && *pt == bytes(s(t, "msg")) ? openssl_ok() : bad("OpenSSL does not open the envelope to msg");
}

Outcome check_signed_request(const Json& g, const Json& t) {
  const Json& r = t["request"];
  auto header = [&](const char* name) -> std::optional<std::string> {
    for (const auto& hv : r["headers"]) {
      std::string n = hv[0].get<std::string>();
      std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string want = name;
      std::transform(want.begin(), want.end(), want.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (n == want) return hv[1].get<std::string>();
    }
    return std::nullopt;
  };
  const bool crypto_flag = has_flag(t, "ModifiedRequest") || has_flag(t, "WrongCanonical") ||
                           has_flag(t, "SignatureMalleability") || has_flag(t, "WrongKey") || has_flag(t, "Ktv");
  if (!valid(t) && !crypto_flag && !has_flag(t, "EncryptedBody")) return skip();
  const auto token = header("X-Session-Token"), pk_b64 = header("X-Public-Key"), ts = header("X-Timestamp"),
             nonce = header("X-Nonce"), sig_b64 = header("X-Signature");
  if (!token || !pk_b64 || !ts || !nonce || !sig_b64) return valid(t) ? bad("header missing") : skip();
  Bytes body = r.contains("bodyFill") ? Bytes(r["bodyFill"]["length"].get<std::size_t>(), 0x20) : bytes(s(r, "body"));
  std::string path = s(r, "target");
  path = path.substr(0, path.find_first_of("?#"));
  const std::string canonical = s(r, "method") + "\n" + path + "\n" + hex(sha256(body)) + "\n" + *ts + "\n" + *nonce + "\n" + *token;
  const auto pk = b64_strict(*pk_b64), sig = b64_strict(*sig_b64);
  const bool sig_ok = pk && sig && ed25519_verify(*pk, bytes(canonical), *sig);
  const Json* session = nullptr;
  for (const auto& ss : g["sessions"])
    if (ss["token"] == *token) session = &ss;
  const bool key_ok = session && pk && b64_strict(s(*session, "publicKey")) == pk;
  if (has_flag(t, "EncryptedBody")) {
    if (!sig_ok || !key_ok) return skip();
    const auto env = envelope_of(s(r, "body"));
    const Bytes key = session->at("aeadKey").is_string() ? h(*session, "aeadKey") : Bytes{};
    if (!valid(t)) {
      if (key.empty() || !env) return skip();  // label / no-key rules are not cryptographic
      return agree(chacha_open(key, env->nonce, {}, env->ct).has_value(), false, "body open");
    }
    if (!env) return bad("body is not an envelope");
    const auto pt = chacha_open(key, env->nonce, {}, env->ct);
    return pt && *pt == bytes(s(t, "msg")) ? openssl_ok() : bad("OpenSSL does not decrypt the body to msg");
  }
  if (valid(t)) return sig_ok && key_ok ? openssl_ok() : bad("signature or key binding fails under OpenSSL");
  if (!crypto_flag) return skip();
  return agree(sig_ok && key_ok, false, "signature and key binding");
}

Outcome check_encrypted_body(const Json& g, const Json& t) {
  const bool x = g["construction"] == "sdk_xchacha";
  const Bytes key = h(t, "key");
  auto open = [&](const Env& e) {
    return x ? xchacha_open(key, cat(e.nonce, Bytes(12, 0)), {}, e.ct) : chacha_open(key, e.nonce, {}, e.ct);
  };
  if (g["type"] == "BodyEncrypt") {
    const Bytes n = h(t, "nonce"), m = bytes(s(t, "msg"));
    const auto ct = x ? xchacha_seal(key, cat(n, Bytes(12, 0)), {}, m) : chacha_seal(key, n, {}, m);
    if (!ct) return bad("OpenSSL seal failed");
    const std::string body = R"({"enc":"chacha20poly1305","nonce":")" + b64(n) + R"(","ciphertext":")" + b64(*ct) + "\"}";
    return agree(body == s(t, "body"), valid(t), "body");
  }
  const auto env = envelope_of(s(t, "body"));
  if (!env) return valid(t) ? bad("body not decodable") : skip();
  const auto pt = open(*env);
  if (!valid(t)) {
    if (!has_flag(t, "ModifiedCiphertext") && !has_flag(t, "WrongConstruction")) return skip();
    return agree(pt.has_value(), false, "body open");
  }
  return pt && *pt == bytes(s(t, "msg")) ? openssl_ok() : bad("OpenSSL does not open the body to msg");
}

Outcome check_miner_token(const Json& g, const Json& t) {
  if (g["type"] != "MinerTokenVerify") return skip();
  if (!valid(t) && !has_flag(t, "BadSignature")) return skip();
  const std::string token = s(t, "token");
  const auto d1 = token.find('.'), d2 = token.rfind('.');
  if (d1 == std::string::npos || d1 == d2) return valid(t) ? bad("not three segments") : skip();
  const auto sig = b64url_strict(token.substr(d2 + 1));
  const bool ok = sig && ed25519_verify(h(g, "issuerPublicKey"), bytes(token.substr(0, d2)), *sig);
  if (!valid(t)) return agree(ok, false, "token signature");
  if (!ok) return bad("OpenSSL does not verify the token signature");
  // The claims the token carries must be the expected token_info.
  Json payload;
  const auto p = b64url_strict(token.substr(d1 + 1, d2 - d1 - 1));
  if (!p || !parse_obj(std::string(p->begin(), p->end()), payload)) return bad("payload not decodable");
  for (const auto& [k, v] : t["tokenInfo"].items())
    if (payload.value(k, Json()) != v) return bad("claim " + k + " differs from tokenInfo");
  return openssl_ok();
}

Outcome check_sealed_box(const Json& g, const Json& t) {
  const std::string type = g["type"].get<std::string>();
  if (type == "SealOpen") {
    // OpenSSL has no XSalsa20-Poly1305: it confirms only the low-order refusal and the key pair.
    if (has_flag(t, "LowOrderEphemeral")) {
      const Bytes box = h(t, "sealed");
      return agree(x25519(h(g, "recipientPrivate"), Bytes(box.begin(), box.begin() + 32)).has_value(), false, "ephemeral DH");
    }
    return skip();
  }
  if (type == "Ed25519ToX25519") {
    if (!valid(t)) {
      const std::string pk = s(t, "edPublic");
      const auto& tab = pnc::spec::kBadEd25519PointsHex;
      return std::find(tab.begin(), tab.end(), pk) != tab.end() ? spec_ok() : skip();
    }
    if (!t.contains("edSeed")) return skip();
    // §8.3: x_sk = clamp(SHA512(seed)[0:32]); x_pk = X25519(x_sk, 9) must equal the converted ed_pk.
    Bytes xs = sha512(h(t, "edSeed"));
    xs.resize(32);
    xs[0] &= 248;
    xs[31] = static_cast<std::uint8_t>((xs[31] & 127) | 64);
    const auto xp = x25519_public(xs);
    return agree(xs == h(t, "x25519Private") && xp && *xp == h(t, "x25519Public"), true, "conversion");
  }
  return skip();
}

Outcome check_credential_transfer(const Json& g, const Json& t) {
  const std::string type = g["type"].get<std::string>();
  const bool seed_aad = g.value("aadMode", "seed") == "seed";
  const Bytes salt = bytes("platform-credential-transfer-v1");
  constexpr std::string_view info = "credential-encryption";
  if (type == "CredentialRequestParse") {
    if (!has_flag(t, "LowOrderKey")) return skip();
    Json body;
    parse_obj(s(t, "body"), body);
    const auto pk = b64_strict(body.value("public_key", ""));
    return pk && low_order(*pk) && !x25519(Bytes(32, 0x42), *pk) ? openssl_ok() : bad("key not refused");
  }
  if (type == "CredentialEncrypt") {
    const Bytes to = h(t, "recipientPublic"), esk = h(t, "ephemeralPrivate"), n = h(t, "nonce");
    const auto key = session_key(esk, to, salt, info);
    if (!valid(t)) return agree(key.has_value(), false, "sender DH");
    const auto epk = x25519_public(esk);
    if (!key || !epk) return bad("OpenSSL key derivation failed");
    const auto ct = chacha_seal(*key, n, seed_aad ? *epk : Bytes{}, bytes(s(t, "msg")));
    Json resp;
    if (!ct || !parse_obj(s(t, "response"), resp)) return bad("seal failed");
    const Json& e = resp["encrypted_credentials"];
    return agree(e.value("encrypted_data", "") == b64(*ct) && e.value("ephemeral_public_key", "") == b64(*epk) &&
                     e.value("nonce", "") == b64(n), true, "response");
  }
  const bool crypto_flag = has_flag(t, "AadMismatch") || has_flag(t, "ModifiedCiphertext") || has_flag(t, "LowOrderKey");
  if (!valid(t) && !crypto_flag) return skip();
  Json resp;
  if (!parse_obj(s(t, "response"), resp) || !resp.contains("encrypted_credentials")) return valid(t) ? bad("response") : skip();
  const Json& e = resp["encrypted_credentials"];
  const auto epk = b64_strict(e.value("ephemeral_public_key", "")), n = b64_strict(e.value("nonce", "")),
             ct = b64_strict(e.value("encrypted_data", ""));
  if (!epk || !n || !ct) return valid(t) ? bad("fields") : skip();
  const auto key = session_key(h(g, "recipientPrivate"), *epk, salt, info);
  const auto pt = key ? chacha_open(*key, *n, seed_aad ? *epk : Bytes{}, *ct) : std::nullopt;
  if (!valid(t)) return agree(pt.has_value(), false, "credential open");
  Json plain;
  if (!pt || !parse_obj(std::string(pt->begin(), pt->end()), plain)) return bad("OpenSSL does not open the credentials");
  if (type == "CredentialDecrypt") return agree(plain == t["credentials"], true, "credentials");
  const std::string dsn = plain.contains("dsn") ? plain.value("dsn", "") : plain.value("database_url", "");
  return agree(dsn == s(t, "dsn"), true, "dsn");
}

Outcome check_handshake(const Json& g, const Json& t) {
  const bool server = g["role"] == "server";
  const Bytes rng = h(t, "rng");
  const Json& inputs = t["inputs"];
  if (inputs.empty() || !inputs[0].contains("text")) return skip();
  Json first;
  if (!parse_obj(inputs[0]["text"].get<std::string>(), first)) return skip();
  // The peer's public key: the client's val_x25519_pub (server role) or the challenge's chal_x25519_pub.
  const auto peer = b64_strict(first.value(server ? "val_x25519_pub" : "chal_x25519_pub", ""));
  if (has_flag(t, "LowOrderKey")) {
    if (!peer || !low_order(*peer)) return bad("not a §12.2 key");
    const Bytes sk = server ? Bytes(rng.begin(), rng.begin() + 32) : Bytes(rng.begin() + 32, rng.begin() + 64);
    return agree(x25519(sk, *peer).has_value(), false, "DH with a low-order key");
  }
  if (!valid(t) || !t.contains("probe") || !peer) return skip();
  // K = HKDF(salt, X25519(own secret, peer), "platform-api-sdk-v1") must open the probe envelope.
  Bytes sk, salt;
  if (server) {
    sk.assign(rng.begin(), rng.begin() + 32);
    Json ok;
    if (inputs.size() < 2 || !parse_obj(inputs[inputs.size() - 1].value("text", ""), ok)) return skip();
    salt = b64_strict(ok.value("hkdf_salt", "")).value_or(Bytes{});
  } else {
    sk.assign(rng.begin() + 32, rng.begin() + 64);
    salt.assign(rng.begin() + 64, rng.begin() + 96);
  }
  const auto key = session_key(sk, *peer, salt, "platform-api-sdk-v1");
  const auto env = envelope_of(s(t, "probe"));
  if (!key || !env) return bad("OpenSSL cannot derive K");
  return agree(chacha_open(*key, env->nonce, {}, env->ct).has_value(), true, "probe under K");
}

}  // namespace xcheck
