// Target "challenge", after the handshake: the freshness of what the SUT draws (§0.4, §4, §5.1),
// the encrypted phase (§5.3, §12.5) and WebSocket transport rules (§3.1, §10). The runner
// establishes a session with a valid handshake, proves that it answers (liveness probe), then
// sends one deviating frame and compares what the SUT does with the spec's expectation for the
// profile: close code, "dropped, connection alive", or processed.
#include <functional>

#include "cases/case_builders.hpp"
#include "cases/catalogue_sections.hpp"
#include "cases/challenge_session.hpp"
#include "cases/challenge_ws_support.hpp"
#include "cases/text.hpp"
#include "pnc/codec.hpp"
#include "pnc/net/ws_frame.hpp"

namespace pnc::conf {

namespace {

using json::Json;
using K = WsExpect::Kind;

// Established session, then one frame built from the channel; observe per profile.
Case envelope_case(std::string id, std::string title, ExpectFn expect, std::function<std::string(Context&, Conn&)> frame) {
  Case c = ws_case(Target::challenge, std::move(id), std::move(title), Mechanism::envelope, expect);
  c.run = [expect, frame](Context& ctx) {
    auto conn = establish(ctx);
    if (!conn) return Outcome::blocked(conn.error().message);
    // First prove the session works, so that a later silence means "dropped", not "broken".
    if (auto p = probe(ctx, *conn); !p.empty()) return Outcome::blocked("the established session does not answer: " + p);
    const std::string text = frame(ctx, *conn);
    if (auto e = send_text(ctx, *conn, text); !e.empty()) return Outcome::fail(e);
    return judge_reaction(ctx, *conn, expect(ctx.profile, *ctx.sut));
  };
  return c;
}

// V2-shaped envelope JSON with members edited, sealed under the session's sending key.
std::string envelope_json(Context& ctx, Conn& conn, const std::string& plaintext, const std::function<void(Json&)>& edit) {
  auto sealed = conn.channel->seal(plaintext, challenge_of(ctx).rng());
  Json env = Json::parse(*sealed);
  edit(env);
  return json::dump(env);
}

std::string b64_flip(const std::string& b64, std::size_t index_from_end) {
  Bytes b = *codec::b64_decode(b64);
  b[b.size() - 1 - index_from_end] ^= 0x01;
  return codec::b64_encode(b);
}

// Raw AEAD envelope with a given key/construction (N-ENV-07/08/09).
std::string raw_envelope(ByteView key, const Bytes& nonce12, const std::string& plaintext, ByteView aad, bool xchacha) {
  Result<Bytes> ct = xchacha ? [&] {
    Bytes n24 = nonce12;
    n24.resize(24, 0);
    return crypto::xaead_seal(key, n24, as_bytes(plaintext), aad);
  }()
                             : crypto::aead_seal(key, nonce12, as_bytes(plaintext), aad);
  return json::dump(Json{{"enc", "chacha20poly1305"}, {"nonce", codec::b64_encode(nonce12)}, {"ciphertext", codec::b64_encode(*ct)}});
}

const ProfileExpect kEnvDrop = ProfileExpect::strict_compat(WsExpect::closes(1008), WsExpect::alive());
const ProfileExpect kEnvMalformed = ProfileExpect::strict_compat(WsExpect::closes(1007), WsExpect::alive());

}  // namespace

// Freshness of what the SUT draws (§0.4 CSPRNG, §4 chal_sk per connection, §5.1 nonce per
// envelope): randomness quality is not observable, repetition is.
std::vector<Case> freshness_cases() {
  std::vector<Case> out;
  {
    Case c = ws_case(Target::challenge, "FRESH.chal-pub", "the SUT's X25519 key differs on each of 3 connections (§4: chal_sk fresh per connection)",
                     Mechanism::key_exchange, per_profile(ProfileExpect::all(WsExpect::responds())));
    c.expected.clear();
    c.expected_default = "3 attestation_responses with 3 different X25519 public keys";
    c.run = [](Context& ctx) {
      std::vector<std::string> keys;
      for (int i = 0; i < 3; ++i) {
        auto conn = answered(ctx);
        if (!conn) return Outcome::blocked(conn.error().message);
        keys.push_back(codec::hex_encode(conn->script->chal_pub()));
        for (int j = 0; j < i; ++j)
          if (keys[static_cast<std::size_t>(j)] == keys.back())
            return Outcome::fail("connections " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                                 " got the same X25519 public key " + keys.back());
      }
      return Outcome::pass("3 connections, 3 different X25519 public keys");
    };
    out.push_back(std::move(c));
  }
  {
    Case c = ws_case(Target::challenge, "FRESH.envelope-nonce", "the SUT's envelope nonces differ and are not a counter (§5.1: fresh random per envelope)",
                     Mechanism::envelope, per_profile(ProfileExpect::all(WsExpect::accepted())));
    c.expected.clear();
    c.expected_default = "4 answers under 4 different nonces, not consecutive integers";
    c.run = [](Context& ctx) {
      auto conn = establish(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      std::vector<Bytes> nonces;
      for (int i = 0; i < 4; ++i) {
        const std::string id = "fresh-" + std::to_string(i);
        if (auto e = send_text(ctx, *conn, *conn->channel->seal(probe_request(id), challenge_of(ctx).rng())); !e.empty())
          return Outcome::blocked(e);
        const net::Frame answer = conn->ws->receive(ctx.timeout);
        if (answer.kind != net::FrameKind::text) return Outcome::blocked("request " + id + " was not answered");
        auto doc = json::parse(answer.data, Profile::sdk_compat);
        auto nonce = doc && doc->is_object() ? codec::b64_decode(string_member(*doc, "nonce"), Profile::sdk_compat)
                                             : Result<Bytes>(make_error("envelope.not_json", "not a JSON object"));
        if (!nonce || nonce->size() != 12)
          return Outcome::blocked("the answer to " + id + " is not an envelope with a 12-byte nonce: " + clip(answer.data, 120));
        for (std::size_t j = 0; j < nonces.size(); ++j)
          if (nonces[j] == *nonce)
            return Outcome::fail("answers " + std::to_string(j + 1) + " and " + std::to_string(i + 1) + " use the same nonce " +
                                 codec::hex_encode(*nonce) + " (a validator's §5.3 R6 cache refuses the second as a replay)");
        nonces.push_back(std::move(*nonce));
      }
      // A counter in either byte order: each nonce the previous one plus one.
      const auto as_counter = [&](bool little) {
        for (std::size_t i = 1; i < nonces.size(); ++i) {
          Bytes next = nonces[i - 1];
          for (std::size_t k = 0; k < next.size(); ++k) {
            auto& b = next[little ? k : next.size() - 1 - k];
            if (++b != 0) break;
          }
          if (next != nonces[i]) return false;
        }
        return true;
      };
      if (as_counter(true) || as_counter(false))
        return Outcome::fail("the 4 nonces count up by one (" + codec::hex_encode(nonces.front()) + " ...): a counter, not random");
      return Outcome::pass("4 answers, 4 different nonces, no counter");
    };
    out.push_back(std::move(c));
  }
  return out;
}

// The encrypted phase (§5.3, §12.5): envelopes the SUT must drop or refuse, and positive controls.
std::vector<Case> encrypted_phase_cases() {
  std::vector<Case> out;
  auto plain = [](const std::string& type) { return json::dump(Json{{"type", type}, {"message_id", "m-1"}}); };
  {
    // The positive controls must be answered: override the frame+judge with a direct check.
    auto positive = [](std::string id, std::string title, std::function<std::string(Context&, Conn&, const std::string&)> build) {
      Case c = ws_case(Target::challenge, std::move(id), std::move(title), Mechanism::envelope, per_profile(ProfileExpect::all(WsExpect::accepted())));
      c.run = [build](Context& ctx) {
        auto conn = establish(ctx);
        if (!conn) return Outcome::blocked(conn.error().message);
        const std::string frame = build(ctx, *conn, "ctl-1");
        if (auto e = send_text(ctx, *conn, frame); !e.empty()) return Outcome::fail(e);
        for (int i = 0; i < 8; ++i) {
          const net::Frame f = conn->ws->receive(ctx.timeout);
          if (f.kind != net::FrameKind::text) return Outcome::fail("no answer to the request (" + observe(*conn->ws, Millis(1)).describe() + ")");
          auto r = conn->channel->receive_text(f.data);
          if (r.delivered() && is_probe_answer(r.opened.message, "ctl-1")) return Outcome::pass("answered");
        }
        return Outcome::fail("no db_version_response");
      };
      return c;
    };
    out.push_back(positive("ENV-OK.extra-members", "positive control: envelope with extra unknown members",
                           [](Context& ctx, Conn& c, const std::string& id) {
                             return envelope_json(ctx, c, probe_request(id), [](Json& e) { e["extra"] = "ignored"; });
                           }));
    out.push_back(positive("ENV-OK.member-order", "positive control: members in another order", [](Context& ctx, Conn& c, const std::string& id) {
      const Json e = Json::parse(*c.channel->seal(probe_request(id), challenge_of(ctx).rng()));
      return "{\"ciphertext\":\"" + e["ciphertext"].get<std::string>() + "\",\"nonce\":\"" + e["nonce"].get<std::string>() +
             "\",\"enc\":\"chacha20poly1305\"}";
    }));
  }
  out.push_back(envelope_case("ENV-OK.type-only", "positive control: plaintext {\"type\":\"x\"} is accepted (connection stays open)",
                              per_profile(ProfileExpect::all(WsExpect::alive())),
                              [](Context& ctx, Conn& c) { return *c.channel->seal("{\"type\":\"x\"}", challenge_of(ctx).rng()); }));
  for (const auto& [suffix, value] : std::vector<std::pair<std::string, Json>>{
           {"mixed-case", "ChaCha20Poly1305"}, {"dash", "chacha20-poly1305"}, {"xchacha", "xchacha20poly1305"}, {"empty", ""}, {"missing", nullptr}}) {
    out.push_back(envelope_case("N-ENV-01." + suffix, "enc = " + (value.is_null() ? std::string("missing") : "\"" + value.get<std::string>() + "\""),
                                per_profile(kEnvDrop), [value = value, plain](Context& ctx, Conn& c) {
                                  return envelope_json(ctx, c, plain("db_version_request"), [&](Json& e) {
                                    if (value.is_null()) e.erase("enc");
                                    else e["enc"] = value;
                                  });
                                }));
  }
  for (std::size_t n : {std::size_t{11}, std::size_t{13}, std::size_t{24}}) {
    out.push_back(envelope_case("N-ENV-02." + std::to_string(n), "nonce decoding to " + std::to_string(n) + " bytes", per_profile(kEnvDrop),
                                [n, plain](Context& ctx, Conn& c) {
                                  return envelope_json(ctx, c, plain("db_version_request"), [n](Json& e) { e["nonce"] = b64_resize(e["nonce"], n); });
                                }));
  }
  out.push_back(envelope_case("N-ENV-03", "ciphertext of 15 bytes (shorter than a tag)", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return envelope_json(ctx, c, plain("db_version_request"), [](Json& e) { e["ciphertext"] = b64_resize(e["ciphertext"], 15); });
  }));
  out.push_back(envelope_case("N-ENV-04", "last tag byte XOR 0x01", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return envelope_json(ctx, c, plain("db_version_request"), [](Json& e) { e["ciphertext"] = b64_flip(e["ciphertext"], 0); });
  }));
  out.push_back(envelope_case("N-ENV-05.flip", "one ciphertext byte flipped", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return envelope_json(ctx, c, plain("db_version_request"), [](Json& e) { e["ciphertext"] = b64_flip(e["ciphertext"], 20); });
  }));
  out.push_back(envelope_case("N-ENV-05.truncated", "ciphertext truncated by 1 byte", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return envelope_json(ctx, c, plain("db_version_request"), [](Json& e) {
      Bytes b = *codec::b64_decode(e["ciphertext"].get<std::string>());
      b.pop_back();
      e["ciphertext"] = codec::b64_encode(b);
    });
  }));
  out.push_back(envelope_case("N-ENV-05.appended", "1 byte appended to the ciphertext", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return envelope_json(ctx, c, plain("db_version_request"), [](Json& e) {
      Bytes b = *codec::b64_decode(e["ciphertext"].get<std::string>());
      b.push_back(0);
      e["ciphertext"] = codec::b64_encode(b);
    });
  }));
  out.push_back(envelope_case("N-ENV-06", "correct ciphertext, nonce changed", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return envelope_json(ctx, c, plain("db_version_request"), [](Json& e) { e["nonce"] = b64_flip(e["nonce"], 0); });
  }));
  out.push_back(envelope_case("N-ENV-07", "encrypted under a different key", per_profile(kEnvDrop), [plain](Context& ctx, Conn&) {
    Rng& rng = challenge_of(ctx).rng();
    return raw_envelope(rng.bytes(32), rng.bytes(12), plain("db_version_request"), {}, false);
  }));
  // N-ENV-08/09 need the session key itself (the client-to-server key).
  out.push_back(envelope_case("N-ENV-08", "sealed with non-empty AAD \"x\"", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return raw_envelope(c.script->c2s_key(), challenge_of(ctx).rng().bytes(12), plain("db_version_request"), as_bytes("x"), false);
  }));
  out.push_back(envelope_case("N-ENV-09", "XChaCha20-Poly1305 with nonce || 0^12 (HTTP-body quirk)", per_profile(kEnvDrop), [plain](Context& ctx, Conn& c) {
    return raw_envelope(c.script->c2s_key(), challenge_of(ctx).rng().bytes(12), plain("db_version_request"), {}, true);
  }));
  {
    const ProfileExpect expect = ProfileExpect::strict_compat(WsExpect::closes(1008), WsExpect::accepted());
    Case c = ws_case(Target::challenge, "N-ENV-10", "byte-identical replay of an accepted envelope", Mechanism::envelope, per_profile(expect));
    c.run = [expect](Context& ctx) {
      auto conn = establish(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      const std::string frame = *conn->channel->seal(probe_request("replay-1"), challenge_of(ctx).rng());
      if (auto e = send_text(ctx, *conn, frame); !e.empty()) return Outcome::fail(e);
      const net::Frame first = conn->ws->receive(ctx.timeout);
      if (first.kind != net::FrameKind::text) return Outcome::blocked("the original envelope was not answered");
      (void)conn->channel->receive_text(first.data);
      if (auto e = send_text(ctx, *conn, frame); !e.empty()) return Outcome::fail(e);
      const WsExpect want = expect.of(ctx.profile);
      if (want.kind != K::accepted) return judge_close(want, observe(*conn->ws, ctx.timeout));
      const Observation obs = first_message(*conn->ws, ctx.timeout);
      if (obs.texts.empty()) return Outcome::fail("the replay was not answered: " + obs.describe(), want.describe());
      return Outcome::pass("the replayed request was answered again (COMPAT quirk, D-10)");
    };
    out.push_back(std::move(c));
  }
  {
    const ProfileExpect expect = ProfileExpect::strict_compat(WsExpect::closes(1008), WsExpect::alive());
    Case c = ws_case(Target::challenge, "N-ENV-11", "reflection: an envelope the SUT sent, echoed back", Mechanism::envelope, per_profile(expect));
    c.run = [expect](Context& ctx) {
      auto conn = establish(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      if (auto e = send_text(ctx, *conn, *conn->channel->seal(probe_request("refl-1"), challenge_of(ctx).rng())); !e.empty())
        return Outcome::fail(e);
      const net::Frame answer = conn->ws->receive(ctx.timeout);
      if (answer.kind != net::FrameKind::text) return Outcome::blocked("the request was not answered");
      (void)conn->channel->receive_text(answer.data);
      if (auto e = send_text(ctx, *conn, answer.data); !e.empty()) return Outcome::fail(e);
      return judge_reaction(ctx, *conn, expect.of(ctx.profile));
    };
    out.push_back(std::move(c));
  }
  for (const auto& [suffix, text] : std::vector<std::pair<std::string, std::string>>{
           {"not-json", "not json at all"}, {"array", "[1,2,3]"}, {"no-type", "{\"message_id\":\"m\"}"}, {"type-number", "{\"type\":5}"}}) {
    Case c = envelope_case("N-ENV-12." + suffix, "decrypts, but the plaintext is " + suffix, per_profile(kEnvMalformed),
                           [text = text](Context& ctx, Conn& conn) { return *conn.channel->seal(text, challenge_of(ctx).rng()); });
    // [COMPAT] only a non-object is dropped; an object without `type` is still processed.
    out.push_back(std::move(c));
  }
  {
    const WsExpect want = WsExpect::closes(1009);
    Case c = ws_case(Target::challenge, "N-ENV-13", "envelope frame larger than 16 MiB", Mechanism::envelope, per_profile(ProfileExpect::all(want)));
    c.run = [plain, want](Context& ctx) {
      auto conn = establish(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      const std::string env = *conn->channel->seal(plain("db_version_request"), challenge_of(ctx).rng());
      const std::string prefix = env.substr(0, env.size() - 1) + ",\"padding\":\"";
      return judge_close(want, send_oversized(*conn->ws, prefix, 16u * 1024u * 1024u + 1, "\"}", ctx.timeout));
    };
    c.exclusive = true;
    out.push_back(std::move(c));
  }
  for (const char* member : {"enc", "nonce", "ciphertext"}) {
    const std::string m = member;
    out.push_back(envelope_case("N-ENV-14." + m, "member " + m + " is a number", per_profile(kEnvDrop), [m, plain](Context& ctx, Conn& c) {
      return envelope_json(ctx, c, plain("db_version_request"), [m](Json& e) { e[m] = 7; });
    }));
  }
  out.push_back(envelope_case("N-HS-22", "a plaintext attestation_begin after the handshake completed", per_profile(kEnvDrop),
                              [](Context&, Conn& c) { return json::dump(c.script->begin(false)); }));
  return out;
}

// WebSocket transport (§3.1 binary frames, §10 message size).
std::vector<Case> transport_cases() {
  std::vector<Case> out;
  {
    const ProfileExpect expect = ProfileExpect::strict_compat(WsExpect::closes(1003), WsExpect::alive());
    Case c = ws_case(Target::challenge, "T-BINARY.encrypted-phase", "binary frame after the handshake (§3.1)", Mechanism::transport,
                     per_profile(expect));
    c.run = [expect](Context& ctx) {
      auto conn = establish(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      const std::string frame = *conn->channel->seal(probe_request("bin"), challenge_of(ctx).rng());
      if (auto s = conn->ws->send_binary(as_bytes(frame), ctx.timeout); !s) return Outcome::fail("sending failed: " + s.error().message);
      return judge_reaction(ctx, *conn, expect.of(ctx.profile));
    };
    out.push_back(std::move(c));
  }
  {
    const WsExpect want = WsExpect::closes(1009);
    Case c = ws_case(Target::challenge, "T-OVERSIZE.100MiB", "a frame header announcing 100 MiB (§10: larger than 16 MiB)", Mechanism::transport,
                     per_profile(ProfileExpect::all(want)));
    c.run = [want](Context& ctx) {
      auto conn = connect(ctx);
      if (!conn) return Outcome::blocked(conn.error().message);
      // 100 MiB announced and streamed until the SUT closes: §10 says a larger message is
      // closed with 1009, not when (at the header, or once the limit is crossed, or at the end).
      const Observation obs = send_oversized(*conn->ws, {}, 100ull * 1024u * 1024u, {}, ctx.timeout);
      return judge_close(want, obs);
    };
    c.exclusive = true;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace pnc::conf
