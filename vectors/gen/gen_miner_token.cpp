// miner_token_test.json: the [SEED] MinerToken of PROTOCOL.md §7 verified per §7.2 (base case V9
// at now = 1700000100, issuer key V9, iss "platform-api", aud "challenge_demo"): every step, every
// time boundary (exp/leeway, iat, nbf, lifetime), the 4096-byte limit and the jti replay cache
// (N-TOK-01..13); then the challenge-side identity resolution of §7.4 (N-TOK-14, 15, D-23, D-37).
#include "common.hpp"
#include "pnc/codec.hpp"
#include "pnc/crypto.hpp"
#include "pnc/miner_token.hpp"

namespace pnc::vectors {
namespace {

using miner_token::MinerClaims;
constexpr std::int64_t kNow = 1700000100;

MinerClaims v9_claims() {
  MinerClaims c;
  c.iss = "platform-api";
  c.aud = c.challenge_id = "challenge_demo";
  c.miner_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  c.uid = "7";
  c.job_id = "job-1";
  c.job_type = "";
  c.iat = 1700000000;
  c.exp = 1700000300;
  c.jti = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  return c;
}

OJson info_json(const miner_token::TokenInfo& i) {
  return {{"uid", i.uid}, {"miner_hotkey", i.miner_hotkey}, {"job_id", i.job_id}, {"challenge_id", i.challenge_id},
          {"job_type", i.job_type}};
}

// S + L (little-endian 256-bit addition; the result stays below 2^256 for real signatures).
Bytes s_plus_l(Bytes sig, const Bytes& l) {
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned v = sig[32 + i] + l[i] + carry;
    sig[32 + i] = static_cast<std::uint8_t>(v & 0xff);
    carry = v >> 8;
  }
  return sig;
}

}  // namespace

VectorFile gen_miner_token(const Golden& g) {
  VectorFile f("miner_token_test.json", "PNC-MINER-TOKEN", "pnc_miner_token_schema_v1.json",
               {"MinerToken (PROTOCOL.md §7.1-§7.2, [SEED]; no upstream component has one, D-22, so every",
                "profile verifies it the same way). MinerTokenVerify: verify `token` at `now` with the group's",
                "configuration; `previous` tokens are verified first on the same replay cache. valid cases give",
                "`tokenInfo`. IdentityResolve: §7.4 token_info for /sdk/public/{route} from the request headers."});
  f.note("Ktv", "BASIC", "The golden token of PROTOCOL.md §13 V9.", "Interoperability is broken.");
  f.note("Valid", "BASIC", "A valid token or identity.", "Valid requests are refused.");
  f.note("TimeWindow", "EDGE_CASE", "exp/iat/nbf at and beyond the 30-second leeway, lifetime 3600 (N-TOK-01..05).",
         "Expired or future tokens are accepted, or valid ones refused.");
  f.note("BadHeader", "AUTH_BYPASS", "alg/typ/crit/kid not as §7.1 requires (N-TOK-06).",
         "Algorithm confusion (alg none, HS256 with the public key).");
  f.note("BadSignature", "AUTH_BYPASS", "Signature by another key, truncated, S + L, or over other data (N-TOK-07, 08).",
         "Forged tokens are accepted.");
  f.note("BadEncoding", "MALLEABILITY", "Non-canonical base64url, wrong segment count, length limit (N-TOK-09, 10).",
         "Several encodings of one token exist; parser confusion.");
  f.note("BadClaims", "MISSING_STEP", "A required claim missing, of the wrong type or format (N-TOK-11).",
         "Tokens without an identity are accepted.");
  f.note("WrongAudience", "AUTH_BYPASS", "aud / challenge_id / iss not as configured (N-TOK-12).",
         "A token for one challenge is accepted by another.");
  f.note("Replay", "MISSING_STEP", "A jti seen before (N-TOK-13).", "Tokens are replayed.");
  f.note("UnauthenticatedIdentity", "AUTH_BYPASS",
         "X-Verified-* headers without proxy authentication (N-TOK-14, D-23). sdk-compat trusts them (quirk).",
         "Anyone can impersonate any miner.");
  f.note("MissingIdentity", "MISSING_STEP", "No identity on a protected route, or an unknown route (N-TOK-15).",
         "Anonymous calls reach miner handlers.");

  const Bytes seed = g.h("V9", "issuer_seed"), other_seed = g.h("V4", "seed");
  const std::string v9 = g.s("V9", "token");
  {
    auto t = miner_token::issue(v9_claims(), seed);
    check(t.ok() && t.value() == v9, "V9 token");
    check_eq(miner_token::claims_json(v9_claims()), g.s("V9", "payload"), "V9 payload");
  }
  const OJson config = {{"issuerPublicKey", g.s("V9", "issuer_pk")}, {"issuer", "platform-api"},
                        {"audience", "challenge_demo"}, {"leeway", 30}};
  auto sign_raw = [&](const std::string& header, const std::string& payload, const Bytes& s = {}) {
    auto r = miner_token::sign_compact(header, payload, s.empty() ? seed : s);
    check(r.ok(), "sign_compact");
    return r.ok() ? r.value() : std::string{};
  };
  const std::string hdr = miner_token::header_json();
  auto with = [&](auto mutate) {
    MinerClaims c = v9_claims();
    mutate(c);
    return sign_raw(hdr, miner_token::claims_json(c));
  };
  const miner_token::TokenInfo v9_info = miner_token::token_info(v9_claims());

  for (bool cache : {false, true}) {
    OJson group = config;
    group["replayCache"] = cache;
    f.group("MinerTokenVerify", group);
    auto add = [&](const Case& c, const std::string& token, std::int64_t now, const MinerClaims* claims = nullptr,
                   OJson extra = OJson::object()) {
      OJson fields = {{"token", token}, {"now", now}};
      for (const auto& [k, v] : extra.items()) fields[k] = v;
      if (c.expect.seed == "valid") fields["tokenInfo"] = info_json(claims ? miner_token::token_info(*claims) : v9_info);
      f.add(c, fields);
    };
    add({"V9 token at 1700000100", {"Ktv"}, {"V9"}}, v9, kNow);
    if (cache) {
      add({"V9 token presented twice", {"Replay"}, {"N-TOK-13"}, invalid()}, v9, kNow, nullptr,
          {{"previous", OJson::array({v9})}});
      const std::string other_jti = with([](MinerClaims& c) { c.jti = "00112233445566778899aabbccddeeff"; });
      MinerClaims oc = v9_claims();
      oc.jti = "00112233445566778899aabbccddeeff";
      add({"different jti after V9", {"Valid"}, {"N-TOK-13"}}, other_jti, kNow, &oc, {{"previous", OJson::array({v9})}});
      add({"V9 replayed after its expiry window", {"TimeWindow"}, {"N-TOK-01", "N-TOK-13"}, invalid()}, v9, 1700000331,
          nullptr, {{"previous", OJson::array({v9})}});
      continue;
    }
    add({"V9 token presented twice without a replay cache", {"Valid"}, {"N-TOK-13", "§7.2"}}, v9, kNow, nullptr,
        {{"previous", OJson::array({v9})}});
    for (std::int64_t now : {1700000000LL, 1700000299LL, 1700000300LL, 1700000329LL})
      add({"verifier time " + std::to_string(now), {"Valid"}, {"N-TOK-02"}}, v9, now);
    for (std::int64_t now : {1700000330LL, 1700000331LL, 1800000000LL})
      add({"verifier time " + std::to_string(now), {"TimeWindow"}, {"N-TOK-01"}, invalid()}, v9, now);
    add({"verifier time 1699999970 (iat - leeway)", {"Valid"}, {"N-TOK-03"}}, v9, 1699999970);
    add({"verifier time 1699999969 (iat beyond leeway)", {"TimeWindow"}, {"N-TOK-03"}, invalid()}, v9, 1699999969);
    for (std::int64_t d : {30LL, 31LL}) {
      MinerClaims c = v9_claims();
      c.iat = kNow + d;
      c.exp = c.iat + 300;
      add({"iat = now + " + std::to_string(d), {d == 30 ? "Valid" : "TimeWindow"}, {"N-TOK-03"}, d == 30 ? valid() : invalid()},
          with([&](MinerClaims& m) { m = c; }), kNow, &c);
      MinerClaims n = v9_claims();
      n.nbf = kNow + d;
      add({"nbf = now + " + std::to_string(d), {d == 30 ? "Valid" : "TimeWindow"}, {"N-TOK-04"}, d == 30 ? valid() : invalid()},
          with([&](MinerClaims& m) { m = n; }), kNow, &n);
    }
    for (std::int64_t life : {3600LL, 3601LL, 0LL, -1LL}) {
      MinerClaims c = v9_claims();
      c.exp = c.iat + life;
      const bool ok = life == 3600;
      add({"exp - iat = " + std::to_string(life), {ok ? "Valid" : "TimeWindow"}, {"N-TOK-05"}, ok ? valid() : invalid()},
          with([&](MinerClaims& m) { m = c; }), kNow, &c);
    }
    // N-TOK-06: header.
    const std::string payload = miner_token::claims_json(v9_claims());
    for (const std::string h : {R"({"alg":"HS256","typ":"MinerToken"})", R"({"alg":"eddsa","typ":"MinerToken"})",
                                R"({"alg":"Ed25519","typ":"MinerToken"})", R"({"alg":"ES256","typ":"MinerToken"})",
                                R"({"alg":"none","typ":"MinerToken"})", R"({"alg":"EdDSA","typ":"JWT"})",
                                R"({"alg":"EdDSA"})", R"({"typ":"MinerToken"})",
                                R"({"alg":"EdDSA","crit":["exp"],"typ":"MinerToken"})",
                                R"({"alg":"EdDSA","kid":5,"typ":"MinerToken"})",
                                R"({"alg":"EdDSA","alg":"EdDSA","typ":"MinerToken"})", R"(["EdDSA"])", "EdDSA"})
      add({"header " + h, {"BadHeader"}, {"N-TOK-06"}, invalid()}, sign_raw(h, payload), kNow);
    add({"alg none with an empty signature segment", {"BadHeader"}, {"N-TOK-06"}, invalid()},
        codec::b64url_encode(as_bytes(R"({"alg":"none","typ":"MinerToken"})")) + "." +
            codec::b64url_encode(as_bytes(payload)) + ".", kNow);
    add({"header with kid and extra members", {"Valid"}, {"§7.1"}},
        sign_raw(R"({"alg":"EdDSA","kid":"k1","typ":"MinerToken","x":1})", payload), kNow);
    // N-TOK-07 / 08.
    const auto dot = v9.rfind('.');
    const Bytes sig = codec::b64url_decode(v9.substr(dot + 1)).value();
    const std::string signing_input = v9.substr(0, dot);
    add({"signature by another key", {"BadSignature"}, {"N-TOK-07"}, invalid()}, sign_raw(hdr, payload, other_seed), kNow);
    add({"signature truncated to 63 bytes", {"BadSignature"}, {"N-TOK-07"}, invalid()},
        signing_input + "." + codec::b64url_encode(Bytes(sig.begin(), sig.end() - 1)), kNow);
    add({"signature with S + L", {"BadSignature"}, {"N-TOK-07", "N-ED-01"}, invalid()},
        signing_input + "." + codec::b64url_encode(s_plus_l(sig, unhex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"))), kNow);
    for (std::size_t i : {0u, 31u, 32u, 63u})
      add({"signature byte " + std::to_string(i) + " flipped", {"BadSignature"}, {"N-TOK-07"}, invalid()},
          signing_input + "." + codec::b64url_encode(flip(sig, i)), kNow);
    MinerClaims mod = v9_claims();
    mod.uid = "8";
    add({"payload re-encoded with uid 8, old signature", {"BadSignature"}, {"N-TOK-08"}, invalid()},
        v9.substr(0, v9.find('.') + 1) + codec::b64url_encode(as_bytes(miner_token::claims_json(mod))) + "." +
            v9.substr(dot + 1), kNow);
    // N-TOK-09 / 10.
    add({"signature segment with '=' padding", {"BadEncoding"}, {"N-TOK-09"}, invalid()}, v9 + "==", kNow);
    {
      std::string std_alpha = v9;
      for (auto& c : std_alpha) c = c == '-' ? '+' : c == '_' ? '/' : c;
      add({"'+' and '/' instead of '-' and '_'", {"BadEncoding"}, {"N-TOK-09"}, invalid()}, std_alpha, kNow);
      std::string nc = v9;  // the last symbol of the 64-byte signature has 4 spare bits
      nc.back() = nc.back() == 'A' ? 'B' : static_cast<char>(nc.back() + 1);
      add({"signature segment with non-canonical trailing bits", {"BadEncoding"}, {"N-TOK-09"}, invalid()}, nc, kNow);
    }
    add({"two segments", {"BadEncoding"}, {"N-TOK-10"}, invalid()}, signing_input, kNow);
    add({"four segments", {"BadEncoding"}, {"N-TOK-10"}, invalid()}, v9 + ".AAAA", kNow);
    add({"empty payload segment", {"BadEncoding"}, {"N-TOK-10"}, invalid()},
        v9.substr(0, v9.find('.')) + ".." + v9.substr(dot + 1), kNow);
    add({"empty token", {"BadEncoding"}, {"N-TOK-10"}, invalid()}, "", kNow);
    add({"token with a leading space", {"BadEncoding"}, {"N-TOK-09"}, invalid()}, " " + v9, kNow);
    {
      // Pad the payload with an ignored claim until the token is exactly 4096, then 4097 bytes.
      for (std::size_t want : {std::size_t{4096}, std::size_t{4097}}) {
        std::string token;
        for (std::size_t pad = 0; pad < 4000 && token.size() != want; ++pad) {
          std::string p = payload;
          p.insert(p.size() - 1, ",\"zpad\":\"" + std::string(pad, 'p') + "\"");
          token = sign_raw(hdr, p);
          if (token.size() > want) break;
        }
        check(token.size() == want, "padded token length " + std::to_string(want));
        add({"token of exactly " + std::to_string(want) + " bytes", {want == 4096 ? "Valid" : "BadEncoding"},
             {"N-TOK-10", "§10"}, want == 4096 ? valid() : invalid()}, token, kNow);
      }
    }
    // N-TOK-11 / 12.
    auto drop = [&](const std::string& member) {
      auto j = nlohmann::json::parse(payload);
      j.erase(member);
      return sign_raw(hdr, j.dump());
    };
    for (const std::string m : {"miner_hotkey", "exp", "aud", "iat", "iss", "jti", "uid", "challenge_id", "job_id", "job_type"})
      add({"claim " + m + " missing", {"BadClaims"}, {"N-TOK-11"}, invalid()}, drop(m), kNow);
    auto replace = [&](const std::string& member, const nlohmann::json& value) {
      auto j = nlohmann::json::parse(payload);
      j[member] = value;
      return sign_raw(hdr, j.dump());
    };
    add({"exp as a string", {"BadClaims"}, {"N-TOK-11"}, invalid()}, replace("exp", "1700000300"), kNow);
    add({"iat as a float", {"BadClaims"}, {"N-TOK-11"}, invalid()}, replace("iat", 1700000000.5), kNow);
    add({"uid as a number", {"BadClaims"}, {"N-TOK-11"}, invalid()}, replace("uid", 7), kNow);
    add({"miner_hotkey empty", {"BadClaims"}, {"N-TOK-11", "§7.1"}, invalid()}, replace("miner_hotkey", ""), kNow);
    add({"miner_hotkey of 65 chars", {"BadClaims"}, {"§7.1"}, invalid()}, replace("miner_hotkey", std::string(65, 'h')), kNow);
    {
      MinerClaims c = v9_claims();
      c.miner_hotkey = std::string(64, 'h');
      add({"miner_hotkey of 64 chars", {"Valid"}, {"§7.1"}}, with([&](MinerClaims& m) { m = c; }), kNow, &c);
      for (std::size_t n : {15u, 16u, 128u, 129u}) {
        MinerClaims j = v9_claims();
        j.jti = std::string(n, 'j');
        const bool ok = n == 16 || n == 128;
        add({"jti of " + std::to_string(n) + " chars", {ok ? "Valid" : "BadClaims"}, {"§7.1"}, ok ? valid() : invalid()},
            replace("jti", j.jti), kNow, &j);
      }
    }
    add({"payload is a JSON array", {"BadClaims"}, {"N-TOK-11"}, invalid()}, sign_raw(hdr, "[1]"), kNow);
    add({"payload with a duplicate claim", {"BadClaims"}, {"N-TOK-11", "N-ENC-09"}, invalid()},
        sign_raw(hdr, payload.substr(0, payload.size() - 1) + R"(,"uid":"8"})"), kNow);
    add({"unknown extra claim (ignored)", {"Valid"}, {"§7.1"}}, replace("extra", "x"), kNow);
    add({"aud = other_challenge", {"WrongAudience"}, {"N-TOK-12"}, invalid()}, replace("aud", "other_challenge"), kNow);
    add({"challenge_id = other_challenge", {"WrongAudience"}, {"N-TOK-12"}, invalid()},
        replace("challenge_id", "other_challenge"), kNow);
    add({"aud and challenge_id = other_challenge", {"WrongAudience"}, {"N-TOK-12"}, invalid()},
        with([](MinerClaims& c) { c.aud = c.challenge_id = "other_challenge"; }), kNow);
    add({"iss = someone-else", {"WrongAudience"}, {"N-TOK-12"}, invalid()}, replace("iss", "someone-else"), kNow);
    add({"aud in another case", {"WrongAudience"}, {"N-TOK-12"}, invalid()},
        with([](MinerClaims& c) { c.aud = c.challenge_id = "Challenge_demo"; }), kNow);
  }

  // §7.4 identity resolution. Route "submit" is a registered handler; "list_agents" is read-only.
  f.group("IdentityResolve", {{"challengeId", "challenge_demo"}, {"routes", {"submit", "list_agents"}}});
  auto ident = [&](const Case& c, const std::string& route, const OJson& headers, bool dev, bool signed_req) {
    OJson fields = {{"route", route}, {"headers", headers}, {"devMode", dev}, {"authenticatedBySignedRequest", signed_req}};
    // Expected token_info per profile where the profile accepts (from the §7.4 table).
    OJson infos = OJson::object();
    for (Profile p : {Profile::seed_spec, Profile::sdk_compat}) {
      miner_token::Headers h;
      for (const auto& kv : headers) h.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
      miner_token::IdentityOptions o;
      o.challenge_id = "challenge_demo";
      o.routes = {"submit", "list_agents"};
      o.authenticated_by_signed_request = signed_req;
      auto r = miner_token::resolve_identity(p, route, h, dev, o);
      const std::string want = p == Profile::seed_spec ? c.expect.seed : c.expect.compat;
      check(r.ok() == (want == "valid"), "identity case " + c.comment + " under " + std::string(to_string(p)));
      if (r.ok()) infos[std::string(to_string(p))] = info_json(r.value());
    }
    fields["tokenInfo"] = infos;
    f.add(c, fields);
  };
  const OJson verified = OJson::array({OJson::array({"X-Verified-Miner-Hotkey", "5Grwva-attacker"}), OJson::array({"X-Job-Id", "job-9"})});
  ident({"X-Verified-Miner-Hotkey from an unauthenticated client", {"UnauthenticatedIdentity"}, {"N-TOK-14", "D-23"},
         strict_reject()}, "submit", verified, false, false);
  ident({"X-Verified-Miner-Hotkey on a proxy-signed request", {"Valid"}, {"§7.4"}}, "submit", verified, false, true);
  ident({"no identity, prod, protected route", {"MissingIdentity"}, {"N-TOK-15"}, invalid()}, "submit", OJson::array(), false, false);
  ident({"no identity, read-only route", {"Valid"}, {"D-37"}}, "list_agents", OJson::array(), false, false);
  ident({"X-Miner-Hotkey on a read-only route", {"Valid"}, {"D-37"}}, "list_agents",
        OJson::array({OJson::array({"X-Miner-Hotkey", "5Miner"})}), false, false);
  ident({"no identity, dev mode", {"Valid"}, {"§7.4"}}, "submit", OJson::array({OJson::array({"X-Miner-Hotkey", "5Dev"})}), true, false);
  ident({"unknown route with a verified identity", {"MissingIdentity"}, {"§7.4"}, invalid()}, "nope", verified, false, true);
  ident({"empty X-Verified-Miner-Hotkey", {"MissingIdentity"}, {"N-TOK-15"}, invalid()}, "submit",
        OJson::array({OJson::array({"X-Verified-Miner-Hotkey", ""})}), false, false);
  ident({"lower-case x-verified-miner-hotkey, unauthenticated", {"UnauthenticatedIdentity"}, {"N-TOK-14"}, strict_reject()},
        "submit", OJson::array({OJson::array({"x-verified-miner-hotkey", "5Grwva"})}), false, false);
  return f;
}

}  // namespace pnc::vectors
