#include "operations.hpp"

#include "bootstrap_ops.hpp"
#include "handshake_sessions.hpp"
#include "op_support.hpp"

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

#include "pnc/attestation.hpp"
#include "pnc/clock.hpp"
#include "pnc/codec.hpp"
#include "pnc/credentials.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/handshake.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/signed_http.hpp"
#include "pnc/tdx_eventlog.hpp"
#include "pnc/tdx_mock.hpp"
#include "pnc/tdx_quote.hpp"
#include "pnc/tdx_signed.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::shim {

namespace {

using Op = std::function<Answer(const Json& args, Profile profile)>;

// ---- primitives ----

Answer op_x25519(const Json& a, Profile) {
  auto shared = crypto::x25519(hex(a, "private"), hex(a, "public"));
  if (!shared) return rejected(shared.error());
  return ok({{"shared", hexs(shared->view())}});
}

Answer op_x25519_public(const Json& a, Profile) {
  const Bytes sk = hex(a, "private");
  if (sk.size() != 32) return rejected(crypto::kBadLength);
  return ok({{"public", hexs(crypto::x25519_from_secret(sk).pub)}});
}

Answer op_ed25519_public(const Json& a, Profile) {
  const Bytes seed = hex(a, "seed");
  if (seed.size() != 32) return rejected(crypto::kBadLength);
  return ok({{"public", hexs(crypto::ed25519_from_seed(seed).pub)}});
}

Answer op_ed25519_sign(const Json& a, Profile) {
  const Bytes seed = hex(a, "seed");
  if (seed.size() != 32) return rejected(crypto::kBadLength);
  return ok({{"sig", hexs(crypto::ed25519_sign(seed, hex(a, "msg")))}});
}

Answer op_ed25519_verify(const Json& a, Profile) {
  auto s = crypto::ed25519_verify(hex(a, "pk"), hex(a, "msg"), hex(a, "sig"));
  if (!s) return rejected(s.error());
  return ok(Json::object());
}

Answer op_ed25519_to_x25519(const Json& a, Profile) {
  if (a.contains("seed")) {
    const Bytes seed = hex(a, "seed");
    if (seed.size() != 32) return rejected(crypto::kBadLength);
    return ok({{"private", hexs(crypto::ed25519_seed_to_x25519(seed).view())}});
  }
  auto pk = crypto::ed25519_public_to_x25519(hex(a, "pk"));
  if (!pk) return rejected(pk.error());
  return ok({{"public", hexs(*pk)}});
}

Answer op_hkdf(const Json& a, Profile) {
  const auto size = integer(a, "size");
  if (size <= 0 || size > 255 * 32) return rejected(crypto::kBadLength);
  auto okm = crypto::hkdf_sha256(hex(a, "salt"), hex(a, "ikm"), hex(a, "info"), static_cast<std::size_t>(size));
  return ok({{"okm", hexs(okm.view())}});
}

bool is_xchacha(const Json& a) {
  const std::string alg = text(a, "alg");
  if (alg == "xchacha20poly1305") return true;
  if (alg == "chacha20poly1305") return false;
  throw BadRequest("unknown alg " + alg);
}

Answer op_aead_encrypt(const Json& a, Profile) {
  const bool x = is_xchacha(a);
  auto out = x ? crypto::xaead_seal(hex(a, "key"), hex(a, "iv"), hex(a, "msg"), hex(a, "aad"))
               : crypto::aead_seal(hex(a, "key"), hex(a, "iv"), hex(a, "msg"), hex(a, "aad"));
  if (!out) return rejected(out.error());
  const std::size_t split = out->size() - crypto::kAeadTagBytes;
  return ok({{"ct", hexs(ByteView(*out).first(split))}, {"tag", hexs(ByteView(*out).subspan(split))}});
}

Answer op_aead_decrypt(const Json& a, Profile) {
  const bool x = is_xchacha(a);
  Bytes sealed = hex(a, "ct");
  const Bytes tag = hex(a, "tag");
  sealed.insert(sealed.end(), tag.begin(), tag.end());
  auto out = x ? crypto::xaead_open(hex(a, "key"), hex(a, "iv"), sealed, hex(a, "aad"))
               : crypto::aead_open(hex(a, "key"), hex(a, "iv"), sealed, hex(a, "aad"));
  if (!out) return rejected(out.error());
  return ok({{"msg", hexs(*out)}});
}

Answer op_hchacha20(const Json& a, Profile) {
  auto out = crypto::hchacha20(hex(a, "key"), hex(a, "input"));
  if (!out) return rejected(out.error());
  return ok({{"subkey", hexs(out->view())}});
}

Answer op_sha256(const Json& a, Profile) { return ok({{"digest", hexs(crypto::sha256(hex(a, "msg")))}}); }
Answer op_sha384(const Json& a, Profile) { return ok({{"digest", hexs(crypto::sha384(hex(a, "msg")))}}); }
Answer op_sha512(const Json& a, Profile) { return ok({{"digest", hexs(crypto::sha512(hex(a, "msg")))}}); }

// ---- encodings ----

Answer op_b64_decode(const Json& a, Profile p) {
  auto out = a.contains("length") ? codec::b64_decode_exact(text(a, "text"), static_cast<std::size_t>(integer(a, "length")), p)
                                  : codec::b64_decode(text(a, "text"), p);
  if (!out) return rejected(out.error());
  return ok({{"bytes", hexs(*out)}});
}

Answer op_b64url_decode(const Json& a, Profile) {
  auto out = codec::b64url_decode(text(a, "text"));
  if (!out) return rejected(out.error());
  return ok({{"bytes", hexs(*out)}});
}

Answer op_hex_decode(const Json& a, Profile p) {
  auto out = a.contains("length") ? codec::hex_decode_exact(text(a, "text"), static_cast<std::size_t>(integer(a, "length")), p)
                                  : codec::hex_decode(text(a, "text"), p);
  if (!out) return rejected(out.error());
  return ok({{"bytes", hexs(*out)}});
}

Answer op_json_parse(const Json& a, Profile p) {
  const bool object = a.contains("object") && a.at("object").is_boolean() && a.at("object").get<bool>();
  auto out = object ? json::parse_object(text(a, "text"), p) : json::parse(text(a, "text"), p);
  if (!out) return rejected(out.error());
  return ok(Json::object());
}

// ---- handshake / envelope ----

Answer op_ws_session_key(const Json& a, Profile) {
  auto shared = crypto::x25519(hex(a, "private"), hex(a, "public"));
  if (!shared) return rejected(shared.error());
  std::string_view info = handshake::kInfo;
  if (a.contains("direction")) {
    const std::string d = text(a, "direction");
    if (d == "c2s") info = handshake::kInfoC2S;
    else if (d == "s2c") info = handshake::kInfoS2C;
    else throw BadRequest("direction must be c2s or s2c");
  }
  const auto* f = active_faults();
  auto key = handshake::session_key(*shared, hex(a, "salt"), info, f != nullptr ? &f->handshake : nullptr);
  return ok({{"key", hexs(key.view())}});
}

Answer op_report_data_ws(const Json& a, Profile) { return ok({{"report_data", hexs(ws_report_data(hex(a, "nonce")))}}); }
Answer op_report_data_http(const Json& a, Profile) {
  return ok({{"report_data", hexs(http_report_data(text(a, "nonce_text")))}});
}

Answer op_envelope_seal(const Json& a, Profile) {
  auto env = envelope::seal_with_nonce(hex(a, "key"), hex(a, "nonce"), text(a, "plaintext"));
  if (!env) return rejected(env.error());
  return ok({{"envelope", *env}});
}

Answer op_envelope_open(const Json& a, Profile p) {
  auto opened = envelope::open(hex(a, "key"), text(a, "envelope"), p);
  if (!opened) return rejected(opened.error());
  return ok({{"plaintext", opened->plaintext}});
}

// ---- signed HTTP ----

Answer op_canonical_string(const Json& a, Profile) {
  return ok({{"canonical", signed_http::canonical_string(text(a, "method"), text(a, "path"), hex(a, "body"),
                                                         text(a, "timestamp"), text(a, "nonce"),
                                                         text(a, "session_token"))}});
}

Answer op_signed_request_sign(const Json& a, Profile p) {
  FixedClock clock(0);
  SystemRng rng;
  signed_http::SignerOptions options;
  options.profile = p;
  signed_http::Signer signer(hex(a, "seed"), text(a, "session_token"), std::nullopt, clock, rng, options);
  auto req = signer.sign_body(text(a, "method"), text(a, "target"), hex(a, "body"), text(a, "content_type"),
                              text(a, "timestamp"), text(a, "nonce"));
  if (!req) return rejected(req.error());
  Json headers = Json::object();
  for (const auto& [k, v] : req->headers) headers[k] = v;
  return ok({{"headers", headers}});
}

signed_http::HttpRequest request_of(const Json& r) {
  signed_http::HttpRequest req;
  req.method = text(r, "method");
  req.target = text(r, "target");
  if (auto fill = r.find("body_fill"); fill != r.end() && fill->is_object()) {
    // A large body described instead of sent: `length` bytes of `byte` (hex).
    const Bytes byte = hex(*fill, "byte");
    const auto length = integer(*fill, "length");
    if (byte.size() != 1 || length < 0 || length > (64 << 20)) throw BadRequest("body_fill must be one byte, length <= 64 MiB");
    req.body.assign(static_cast<std::size_t>(length), byte[0]);
  } else {
    req.body = hex(r, "body");
  }
  auto it = r.find("headers");
  if (it == r.end() || !it->is_array()) throw BadRequest("headers must be an array of [name, value]");
  for (const auto& h : *it) {
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string())
      throw BadRequest("headers must be an array of [name, value]");
    req.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  }
  return req;
}

Answer op_signed_request_verify(const Json& a, Profile p) {
  signed_http::SessionTable sessions;
  FixedClock clock(integer(a, "now"));
  auto list = a.find("sessions");
  if (list == a.end() || !list->is_array()) throw BadRequest("sessions must be an array");
  for (const auto& s : *list) {
    signed_http::Session session;
    session.ed_public = hex(s, "public_key");
    if (auto k = opt_hex(s, "aead_key")) session.aead_key = Secret<32>(*k);
    session.expires_at = integer(s, "expires_at");
    if (auto st = sessions.add(text(s, "token"), std::move(session), 0); !st) throw BadRequest(st.error().message);
  }
  signed_http::VerifierOptions options;
  options.profile = p;
  if (const auto* f = active_faults()) options.faults = &f->signed_http;
  if (a.contains("compat_verifier") && text(a, "compat_verifier") == "sdk_presence_only")
    options.compat = signed_http::CompatVerifier::sdk_presence_only;
  signed_http::Verifier verifier(sessions, clock, options);
  if (auto earlier = a.find("replay"); earlier != a.end() && earlier->is_array())
    for (const auto& r : *earlier) (void)verifier.verify(request_of(r));
  const auto result = verifier.verify(request_of(a));
  return ok({{"status", result.status}, {"reason", result.reason}});
}

signed_http::BodyCipher cipher_of(const Json& a) {
  const std::string c = text(a, "cipher");
  if (c == "ietf") return signed_http::BodyCipher::ietf;
  if (c == "sdk_xchacha") return signed_http::BodyCipher::sdk_xchacha;
  throw BadRequest("cipher must be ietf or sdk_xchacha");
}

Answer op_body_encrypt(const Json& a, Profile) {
  auto body = signed_http::encrypt_body_with_nonce(hex(a, "key"), hex(a, "nonce"), hex(a, "plaintext"), cipher_of(a));
  if (!body) return rejected(body.error());
  return ok({{"body", *body}});
}

Answer op_body_decrypt(const Json& a, Profile) {
  auto plain = signed_http::decrypt_body(hex(a, "key"), text(a, "body"), cipher_of(a));
  if (!plain) return rejected(plain.error());
  return ok({{"plaintext", hexs(*plain)}});
}

// ---- miner token ----

Answer op_miner_token_verify(const Json& a, Profile) {
  miner_token::VerifierConfig config;
  const Bytes pk = hex(a, "issuer_public");
  if (pk.size() != 32) throw BadRequest("issuer_public must be 32 bytes");
  std::copy(pk.begin(), pk.end(), config.issuer_public_key.begin());
  config.issuer = text(a, "issuer");
  config.audience = text(a, "audience");
  if (a.contains("leeway")) config.leeway = integer(a, "leeway");
  if (const auto* f = active_faults()) config.faults = &f->miner_token;
  miner_token::JtiReplayCache cache;
  if (a.value("replay_cache", false)) config.replay_cache = &cache;
  FixedClock clock(integer(a, "now"));
  if (auto earlier = a.find("earlier"); earlier != a.end() && earlier->is_array())
    for (const auto& t : *earlier)
      if (t.is_string()) (void)miner_token::verify(t.get<std::string>(), config, clock);
  auto claims = miner_token::verify(text(a, "token"), config, clock);
  if (!claims) return rejected(claims.error());
  return ok({{"token_info", miner_token::to_json(miner_token::token_info(*claims))}});
}

// §7.4: token_info for /sdk/public/{route} from the request headers; error = 401 or 404.
Answer op_identity_resolve(const Json& a, Profile p) {
  miner_token::Headers headers;
  auto list = a.find("headers");
  if (list == a.end() || !list->is_array()) throw BadRequest("headers must be an array of [name, value]");
  for (const auto& h : *list) {
    if (!h.is_array() || h.size() != 2 || !h[0].is_string() || !h[1].is_string())
      throw BadRequest("headers must be an array of [name, value]");
    headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  }
  miner_token::IdentityOptions options;
  if (const auto* f = active_faults()) options.faults = &f->miner_token;
  if (auto it = a.find("challenge_id"); it != a.end() && it->is_string()) options.challenge_id = it->get<std::string>();
  auto routes = a.find("routes");
  if (routes == a.end() || !routes->is_array()) throw BadRequest("routes must be an array of names");
  for (const auto& r : *routes) {
    if (!r.is_string()) throw BadRequest("routes must be an array of names");
    options.routes.push_back(r.get<std::string>());
  }
  auto flag = [&](const char* name) {
    auto it = a.find(name);
    if (it == a.end() || !it->is_boolean()) throw BadRequest(std::string("missing boolean argument ") + name);
    return it->get<bool>();
  };
  options.authenticated_by_signed_request = flag("authenticated_by_signed_request");
  auto info = miner_token::resolve_identity(p, text(a, "route"), headers, flag("dev_mode"), options);
  if (!info) return rejected(info.error());
  return ok({{"token_info", miner_token::to_json(*info)}});
}

// ---- credentials ----

Answer op_sealed_box_open(const Json& a, Profile) {
  auto plain = crypto::seal_open(hex(a, "sealed"), hex(a, "recipient_public"), hex(a, "recipient_private"));
  if (!plain) return rejected(plain.error());
  return ok({{"plaintext", hexs(plain->view())}});
}

Answer op_sealed_credentials(const Json& a, Profile p) {
  std::optional<std::string> key;
  if (auto it = a.find("receiver_key_b64"); it != a.end() && it->is_string()) key = it->get<std::string>();
  credentials::MemoryDsnSink sink;
  const auto* f = active_faults();
  const auto reply = credentials::handle_sealed_credentials(text(a, "body"), key, p, sink, {}, f != nullptr ? &f->credentials : nullptr);
  Json result = {{"status", reply.status}, {"body", reply.body}};
  // Vectors carry test DSNs only; a real shim would not echo a credential anywhere.
  if (reply.status == 200 && sink.value()) result["dsn"] = to_string(sink.value()->view());
  return ok(result);
}

credentials::AadMode aad_of(const Json& a) {
  const std::string m = text(a, "aad_mode");
  if (m == "seed") return credentials::AadMode::seed;
  if (m == "platform_api") return credentials::AadMode::platform_api;
  throw BadRequest("aad_mode must be seed or platform_api");
}

Answer op_credential_transfer_encrypt(const Json& a, Profile) {
  auto enc = credentials::encrypt_credentials_with(hex(a, "recipient_public"), as_bytes(text(a, "plaintext")),
                                                   hex(a, "ephemeral_private"), hex(a, "nonce"), aad_of(a));
  if (!enc) return rejected(enc.error());
  return ok({{"encrypted_data", hexs(enc->encrypted_data)}, {"ephemeral_public_key", hexs(enc->ephemeral_public_key)}});
}

Answer op_credential_transfer_decrypt(const Json& a, Profile p) {
  auto creds = credentials::decrypt_credentials(text(a, "response"), hex(a, "recipient_private"), aad_of(a), p);
  if (!creds) return rejected(creds.error());
  Json out = Json::object();
  for (const auto& [k, v] : *creds) out[k] = to_string(v.view());
  return ok({{"credentials", out}});
}

// ---- TDX ----

Answer op_quote_parse(const Json& a, Profile p) {
  auto q = tdx::parse_quote(hex(a, "quote"), p);
  if (!q) return rejected(q.error());
  Json out = {{"version", q->version},     {"tee_type", q->tee_type}, {"user_data", hexs(q->user_data)},
              {"mr_td", hexs(q->mr_td)},   {"report_data", hexs(q->report_data)},
              {"debug", q->debug()}};
  for (std::size_t i = 0; i < 4; ++i) out["rtmr" + std::to_string(i)] = hexs(q->rtmr[i]);
  return ok(out);
}

Answer op_quote_verify_peer(const Json& a, Profile p) {
  PeerQuoteCheck check;
  check.profile = p;
  const std::string mode = text(a, "mode");
  if (mode != "mock" && mode != "prod") throw BadRequest("mode must be mock or prod");
  check.mode = mode == "mock" ? AttestationMode::mock : AttestationMode::prod;
  const std::string quote_b64 = text(a, "quote_b64");
  check.quote_b64 = quote_b64;
  if (auto it = a.find("event_log"); it != a.end() && it->is_string()) check.event_log = it->get<std::string>();
  const Bytes nonce = hex(a, "nonce");
  check.nonce = nonce;
  check.local_env = text(a, "local_env");
  if (auto kb = opt_hex(a, "key_binding")) {
    if (kb->size() != 32) throw BadRequest("key_binding must be 32 bytes");
    ByteArray<32> binding{};
    std::copy(kb->begin(), kb->end(), binding.begin());
    check.key_binding = binding;
  }
  if (auto it = a.find("expected_compose_hash"); it != a.end() && it->is_string())
    check.expected_compose_hash = it->get<std::string>();
  StubDcap dcap(a.contains("dcap") && text(a, "dcap") == "accept");
  check.dcap = &dcap;
  if (const auto* f = active_faults()) check.faults = &f->handshake.quote;
  auto s = verify_peer_quote(check);
  if (!s) return rejected(s.error());
  return ok(Json::object());
}

// §3.7 in prod mode with a real signature check as the DCAP step: the quote's PCK chain must end
// in `root_ca_pem`, certificates valid at `now`; then (strict profiles) `rtmrs` against the quote.
// The signature check runs in every profile and its verdict is in every answer (DEC-38): strict
// refusals at the DCAP step name its code, sdk-compat (no cryptographic check, §3.7 [COMPAT] 4)
// keeps its verdict but reports what the check found instead of a bare ok.
Answer op_signed_quote_verify(const Json& a, Profile p) {
  FixedClock clock(integer(a, "now"));
  tdx::SignedQuoteConfig config;
  config.trusted_roots_pem = {text(a, "root_ca_pem")};
  config.clock = &clock;
  config.profile = p;
  tdx::SignedQuoteVerifier dcap(config);
  const std::string signature = [&]() -> std::string {
    auto q = codec::b64_decode(text(a, "quote_b64"), Profile::sdk_compat);
    if (!q) return q.error().code;
    auto s = tdx::verify_signed_quote(*q, config);
    return s ? "ok" : s.error().code;
  }();
  PeerQuoteCheck check;
  check.profile = p;
  check.mode = AttestationMode::prod;
  const std::string quote_b64 = text(a, "quote_b64");
  check.quote_b64 = quote_b64;
  if (auto it = a.find("event_log"); it != a.end() && it->is_string()) check.event_log = it->get<std::string>();
  const Bytes nonce = hex(a, "nonce");
  check.nonce = nonce;
  check.local_env = text(a, "local_env");
  if (auto kb = opt_hex(a, "key_binding")) {
    if (kb->size() != 32) throw BadRequest("key_binding must be 32 bytes");
    ByteArray<32> binding{};
    std::copy(kb->begin(), kb->end(), binding.begin());
    check.key_binding = binding;
  }
  check.dcap = &dcap;
  if (const auto* f = active_faults()) check.faults = &f->handshake.quote;
  if (auto s = verify_peer_quote(check); !s) {
    if (s.error().code == attest_errc::kDcap && signature != "ok") return rejected(s.error().code + ": " + signature);
    return rejected(s.error());
  }
  if (auto it = a.find("rtmrs"); it != a.end() && it->is_object() && is_strict(p)) {
    auto q = codec::b64_decode(quote_b64);
    if (!q) return rejected(q.error());
    auto parsed = tdx::parse_quote(*q, p);
    if (!parsed) return rejected(parsed.error());
    if (auto s = tdx::check_rtmrs(*it, *parsed); !s) return rejected(s.error());
  }
  return ok({{"signature", signature}});
}

Answer op_mock_quote(const Json& a, Profile) {
  tdx::MockParams params;
  if (a.contains("env_mode")) params.env_mode = text(a, "env_mode");
  const auto ev = tdx::mock_quote_v4(hex(a, "nonce"), params);
  return ok({{"quote", hexs(ev.quote)}, {"event_log", ev.event_log ? Json(*ev.event_log) : Json(nullptr)}, {"rtmrs", ev.rtmrs}});
}

Answer op_event_log_replay(const Json& a, Profile p) {
  auto events = tdx::parse_event_log(text(a, "event_log"), p);
  if (!events) return rejected(events.error());
  const auto rtmrs = tdx::replay_rtmrs(*events);
  Json out = Json::object();
  for (std::size_t i = 0; i < rtmrs.size(); ++i) out["rtmr" + std::to_string(i)] = hexs(rtmrs[i]);
  return ok(out);
}

Answer op_env_mode_extract(const Json& a, Profile p) {
  auto env = tdx::extract_env_mode(text(a, "event_log"), p);
  return ok({{"env_mode", env ? Json(*env) : Json(nullptr)}});
}

// Hands out given bytes as "randomness": lets a setup step seal with a chosen nonce.
class FixedBytes final : public Rng {
 public:
  explicit FixedBytes(Bytes b) : b_(std::move(b)) {}
  void fill(std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < b_.size() ? b_[i] : 0;
  }

 private:
  Bytes b_;
};

// One connection's receive side (§5.3 incl. R6): setup steps ("receive" a frame, "send" a
// plaintext under a given nonce), then the frame under test (optionally padded with trailing
// whitespace to pad_to bytes, or as a binary frame).
Answer op_channel_receive(const Json& a, Profile p) {
  const Bytes key = hex(a, "key");
  if (key.size() != 32) throw BadRequest("key must be 32 bytes");
  envelope::Channel::Options options;
  if (const auto* f = active_faults()) options.faults = &f->envelope;
  envelope::Channel channel(p, Secret<32>(key), options);
  if (auto it = a.find("setup"); it != a.end() && it->is_array()) {
    for (const auto& step : *it) {
      const std::string op = text(step, "op");
      if (op == "receive") {
        (void)channel.receive_text(text(step, "frame"));
      } else if (op == "send") {
        FixedBytes nonce(hex(step, "nonce"));
        if (!channel.seal(text(step, "plaintext"), nonce)) throw BadRequest("setup send failed");
      } else {
        throw BadRequest("setup op must be receive or send");
      }
    }
  }
  envelope::Outcome out;
  if (auto b = a.find("binary"); b != a.end() && b->is_boolean() && b->get<bool>()) {
    out = channel.receive_binary();
  } else {
    std::string frame = text(a, "frame");
    if (auto it = a.find("pad_to"); it != a.end() && it->is_number_unsigned() && it->get<std::size_t>() > frame.size())
      frame.append(it->get<std::size_t>() - frame.size(), ' ');
    out = channel.receive_text(frame);
  }
  if (!out.delivered()) return rejected(out.error ? out.error->code : std::string("env.dropped"));
  return ok({{"plaintext", out.opened.plaintext}});
}

Answer op_json_member(const Json& a, Profile p) {
  auto doc = json::parse_object(text(a, "text"), p);
  if (!doc) return rejected(doc.error());
  const std::string member = text(a, "member"), kind = text(a, "kind");
  Status s;
  if (kind == "string") s = json::get_string(*doc, member).ok() ? Status{} : Status(json::get_string(*doc, member).error());
  else if (kind == "int") s = json::get_int(*doc, member).ok() ? Status{} : Status(json::get_int(*doc, member).error());
  else if (kind == "object") s = json::get_object(*doc, member).ok() ? Status{} : Status(json::get_object(*doc, member).error());
  else throw BadRequest("kind must be string, int or object");
  if (!s) return rejected(s.error());
  return ok(Json::object());
}

Answer op_credential_receive(const Json& a, Profile p) {
  credentials::MemoryDsnSink sink;
  auto s = credentials::receive_credentials(text(a, "response"), hex(a, "recipient_private"), aad_of(a), sink, p);
  if (!s) return rejected(s.error());
  return ok({{"dsn", sink.value() ? to_string(sink.value()->view()) : std::string()}});
}

Answer op_credential_request_parse(const Json& a, Profile p) {
  auto r = credentials::parse_credential_request(text(a, "body"), p);
  if (!r) return rejected(r.error());
  return ok({{"challenge_id", r->challenge_id}, {"public_key", hexs(r->public_key)}});
}

Answer op_runtime_event_digest(const Json& a, Profile) {
  return ok({{"digest", hexs(tdx::runtime_event_digest(text(a, "event"), hex(a, "payload")))}});
}

Answer op_rtmr3_check(const Json& a, Profile p) {
  auto q = tdx::parse_quote(hex(a, "quote"), p);
  if (!q) return rejected(q.error());
  auto events = tdx::parse_event_log(text(a, "event_log"), p);
  if (!events) return rejected(events.error());
  auto s = tdx::check_rtmr3_replay(*events, *q);
  if (!s) return rejected(s.error());
  return ok(Json::object());
}

Answer op_rtmrs_check(const Json& a, Profile p) {
  auto q = tdx::parse_quote(hex(a, "quote"), p);
  if (!q) return rejected(q.error());
  auto it = a.find("rtmrs");
  if (it == a.end()) throw BadRequest("missing rtmrs");
  auto s = tdx::check_rtmrs(*it, *q);
  if (!s) return rejected(s.error());
  return ok(Json::object());
}

Answer op_compose_hash_check(const Json& a, Profile p) {
  std::optional<std::string> log;
  if (auto it = a.find("event_log"); it != a.end() && it->is_string()) log = it->get<std::string>();
  auto s = tdx::check_compose_hash(log, text(a, "expected"), p);
  if (!s) return rejected(s.error());
  return ok(Json::object());
}

Answer op_hello(const Json&, Profile) {
  return ok({{"name", kShimName}, {"version", kShimVersion}, {"protocol", kProtocolVersion}});
}

const std::map<std::string, Op>& operations() {
  static const std::map<std::string, Op> ops = {
      {"hello", op_hello},
      {"x25519", op_x25519},
      {"x25519_public", op_x25519_public},
      {"ed25519_public", op_ed25519_public},
      {"ed25519_sign", op_ed25519_sign},
      {"ed25519_verify", op_ed25519_verify},
      {"ed25519_to_x25519", op_ed25519_to_x25519},
      {"hkdf_sha256", op_hkdf},
      {"aead_encrypt", op_aead_encrypt},
      {"aead_decrypt", op_aead_decrypt},
      {"hchacha20", op_hchacha20},
      {"sha256", op_sha256},
      {"sha384", op_sha384},
      {"sha512", op_sha512},
      {"b64_decode", op_b64_decode},
      {"b64url_decode", op_b64url_decode},
      {"hex_decode", op_hex_decode},
      {"json_parse", op_json_parse},
      {"ws_session_key", op_ws_session_key},
      {"report_data_ws", op_report_data_ws},
      {"report_data_http", op_report_data_http},
      {"envelope_seal", op_envelope_seal},
      {"envelope_open", op_envelope_open},
      {"canonical_string", op_canonical_string},
      {"signed_request_sign", op_signed_request_sign},
      {"signed_request_verify", op_signed_request_verify},
      {"body_encrypt", op_body_encrypt},
      {"body_decrypt", op_body_decrypt},
      {"miner_token_verify", op_miner_token_verify},
      {"identity_resolve", op_identity_resolve},
      {"handshake_start", op_handshake_start},
      {"handshake_input", op_handshake_input},
      {"handshake_probe", op_handshake_probe},
      {"handshake_end", op_handshake_end},
      {"sealed_box_open", op_sealed_box_open},
      {"sealed_credentials", op_sealed_credentials},
      {"credential_transfer_encrypt", op_credential_transfer_encrypt},
      {"credential_transfer_decrypt", op_credential_transfer_decrypt},
      {"quote_parse", op_quote_parse},
      {"quote_verify_peer", op_quote_verify_peer},
      {"signed_quote_verify", op_signed_quote_verify},
      {"attest_request", op_attest_request},
      {"attest_response", op_attest_response},
      {"nonce_response", op_nonce_response},
      {"mock_quote", op_mock_quote},
      {"event_log_replay", op_event_log_replay},
      {"env_mode_extract", op_env_mode_extract},
      {"credential_receive", op_credential_receive},
      {"channel_receive", op_channel_receive},
      {"json_member", op_json_member},
      {"credential_request_parse", op_credential_request_parse},
      {"runtime_event_digest", op_runtime_event_digest},
      {"rtmr3_check", op_rtmr3_check},
      {"rtmrs_check", op_rtmrs_check},
      {"compose_hash_check", op_compose_hash_check},
  };
  return ops;
}

}  // namespace

namespace {
const testing::Faults* g_faults = nullptr;
}  // namespace

void set_faults(const testing::Faults* faults) { g_faults = faults; }
const testing::Faults* active_faults() { return g_faults; }

std::string answer(std::string_view request_line) {
  Json reply = Json::object();
  // The request comes from the runner: parsed leniently about depth, strictly about shape.
  auto request = json::parse_object(request_line, Profile::sdk_compat);
  if (!request) {
    reply = {{"id", nullptr}, {"status", "error"}, {"error", "shim.bad_request: " + request.error().message}};
    return json::dump(reply);
  }
  const Json& req = *request;
  reply["id"] = req.contains("id") ? req.at("id") : Json(nullptr);
  try {
    const std::string op = text(req, "op");
    Profile profile = Profile::seed_spec;
    if (req.contains("profile")) {
      auto p = parse_profile(text(req, "profile"));
      if (!p) throw BadRequest("unknown profile");
      profile = *p;
    }
    const Json args = req.contains("args") && req.at("args").is_object() ? req.at("args") : Json::object();
    const auto& ops = operations();
    auto it = ops.find(op);
    if (it == ops.end()) {
      reply["status"] = "unimplemented";
      return json::dump(reply);
    }
    Answer a = it->second(args, profile);
    if (a.unimplemented) {
      reply["status"] = "unimplemented";
    } else if (a.result) {
      reply["status"] = "ok";
      reply["result"] = std::move(*a.result);
    } else {
      reply["status"] = "error";
      reply["error"] = a.error;
    }
  } catch (const BadRequest& e) {
    reply["status"] = "error";
    reply["error"] = std::string("shim.bad_request: ") + e.what();
  } catch (const std::exception& e) {
    reply["status"] = "error";
    reply["error"] = std::string("shim.internal: ") + e.what();
  }
  return json::dump(reply);
}

}  // namespace pnc::shim
