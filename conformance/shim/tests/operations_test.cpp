// The reference shim answers the protocol's example exchange (README.md) exactly, never crashes or
// answers without the request id on malformed requests, and reports what signed_quote_verify found.
#include <fstream>

#include <gtest/gtest.h>

#include "operations.hpp"
#include "pnc/codec.hpp"
#include "pnc/json.hpp"

namespace {

using pnc::json::Json;

Json ask(const std::string& line) {
  auto parsed = pnc::json::parse_object(pnc::shim::answer(line));
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? *parsed : Json::object();
}

TEST(ShimOperations, HelloNamesTheShim) {
  const Json a = ask(R"({"id":1,"op":"hello","profile":"seed-spec","args":{"protocol":1}})");
  EXPECT_EQ(a["id"], 1);
  EXPECT_EQ(a["status"], "ok");
  EXPECT_EQ(a["result"]["name"], "pnc-ref-shim");
  EXPECT_EQ(a["result"]["protocol"], 1);
}

TEST(ShimOperations, X25519GoldenV1) {
  const Json a = ask(R"({"id":2,"op":"x25519","profile":"seed-spec","args":{"private":"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a","public":"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"}})");
  EXPECT_EQ(a["status"], "ok");
  EXPECT_EQ(a["result"]["shared"], "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
}

TEST(ShimOperations, LowOrderKeyIsAnErrorAnswer) {
  const Json a = ask(R"({"id":3,"op":"x25519","profile":"seed-spec","args":{"private":"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a","public":"0100000000000000000000000000000000000000000000000000000000000000"}})");
  EXPECT_EQ(a["id"], 3);
  EXPECT_EQ(a["status"], "error");
  EXPECT_EQ(a["error"], "x25519.all_zero");
}

TEST(ShimOperations, TruncatedQuoteIsRejected) {
  const Json a = ask(R"({"id":4,"op":"quote_parse","profile":"seed-spec","args":{"quote":"0400"}})");
  EXPECT_EQ(a["status"], "error");
  EXPECT_EQ(a["error"], "tdx.truncated");
}

TEST(ShimOperations, UnknownOpIsUnimplemented) {
  const Json a = ask(R"({"id":5,"op":"frobnicate","profile":"seed-spec","args":{}})");
  EXPECT_EQ(a["id"], 5);
  EXPECT_EQ(a["status"], "unimplemented");
}

TEST(ShimOperations, MalformedRequestsGetAnErrorNotACrash) {
  for (const char* line : {"not json", "[1,2]", R"({"id":6})", R"({"id":7,"op":5})",
                           R"({"id":8,"op":"x25519","args":{"private":"zz","public":"00"}})",
                           R"({"id":9,"op":"x25519","profile":"nope","args":{}})",
                           R"({"id":10,"op":"hkdf_sha256","args":{"ikm":"","salt":"","info":"","size":-1}})"}) {
    const Json a = ask(line);
    EXPECT_EQ(a["status"], "error") << line;
  }
}

TEST(ShimOperations, ProfileChangesDecoderStrictness) {
  // N-ENC-03: non-canonical trailing bits: rejected in seed-spec, accepted in sdk-compat.
  EXPECT_EQ(ask(R"({"id":1,"op":"b64_decode","profile":"seed-spec","args":{"text":"AAF="}})")["status"], "error");
  EXPECT_EQ(ask(R"({"id":1,"op":"b64_decode","profile":"sdk-compat","args":{"text":"AAF="}})")["status"], "ok");
}

TEST(ShimOperations, HandshakeSessionsAreNamedAndBounded) {
  // Input to a session that was never started (or already ended) is a bad request, not a crash.
  EXPECT_EQ(ask(R"({"id":1,"op":"handshake_input","profile":"seed-spec","args":{"session":"none","text":"{}"}})")["status"], "error");
  const std::string start =
      R"({"id":2,"op":"handshake_start","profile":"seed-spec","args":{"session":"S","role":"server","mode":"mock","env_mode":"dev","rng":"00"}})";
  const Json started = ask(start);
  ASSERT_EQ(started["status"], "ok") << started.dump();
  EXPECT_EQ(started["result"]["state"], "handshaking");
  EXPECT_EQ(started["result"]["sent"], Json::array());  // the server speaks second (§3.2)
  // No key before the handshake: the probe is refused.
  EXPECT_EQ(ask(R"({"id":3,"op":"handshake_probe","profile":"seed-spec","args":{"session":"S","frame":"{}"}})")["status"], "error");
  // §3.5 S1: a first frame that is not attestation_begin closes the session (seed-spec: 1008).
  const Json wrong = ask(R"({"id":4,"op":"handshake_input","profile":"seed-spec","args":{"session":"S","text":"{\"type\":\"attestation_ok\"}"}})");
  ASSERT_EQ(wrong["status"], "ok") << wrong.dump();
  EXPECT_EQ(wrong["result"]["state"], "closed");
  EXPECT_EQ(wrong["result"]["close"], 1008);
  EXPECT_EQ(ask(R"({"id":5,"op":"handshake_end","profile":"seed-spec","args":{"session":"S"}})")["status"], "ok");
  EXPECT_EQ(ask(R"({"id":6,"op":"handshake_input","profile":"seed-spec","args":{"session":"S","timeout":true}})")["status"], "error");
  // Unbounded session ids cannot grow the shim: the oldest are evicted.
  for (int i = 0; i < 100; ++i) {
    std::string line = start;
    line.replace(line.find("\"S\""), 3, "\"S" + std::to_string(i) + "\"");
    ASSERT_EQ(ask(line)["status"], "ok");
  }
  EXPECT_EQ(ask(R"({"id":7,"op":"handshake_input","profile":"seed-spec","args":{"session":"S0","timeout":true}})")["status"], "error");
  EXPECT_EQ(ask(R"({"id":8,"op":"handshake_input","profile":"seed-spec","args":{"session":"S99","timeout":true}})")["status"], "ok");
}

TEST(ShimOperations, IdentityResolveFollowsTheProfileTable) {
  // §7.4: X-Verified-Miner-Hotkey from an unauthenticated client: [SEED] 401, [COMPAT] trusted (D-23).
  const std::string args =
      R"("args":{"route":"submit","headers":[["X-Verified-Miner-Hotkey","5Abc"]],"dev_mode":false,"authenticated_by_signed_request":false,"challenge_id":"c1","routes":["submit"]}})";
  EXPECT_EQ(ask(R"({"id":1,"op":"identity_resolve","profile":"seed-spec",)" + args)["status"], "error");
  const Json compat = ask(R"({"id":2,"op":"identity_resolve","profile":"sdk-compat",)" + args);
  ASSERT_EQ(compat["status"], "ok") << compat.dump();
  EXPECT_EQ(compat["result"]["token_info"]["uid"], "verified-uid");
  EXPECT_EQ(compat["result"]["token_info"]["miner_hotkey"], "5Abc");
  EXPECT_EQ(compat["result"]["token_info"]["challenge_id"], "c1");
  EXPECT_EQ(ask(R"({"id":3,"op":"identity_resolve","profile":"seed-spec","args":{"route":"submit"}})")["status"], "error");
}

}  // namespace

// signed_quote_verify runs the signature step in every profile and says what it found: the quote of
// quote_signed_test.json #36 (body-flip: MRTD changed after signing) fails it with
// tdx.sig.quote_signature (the file's `detail`). Strict profiles refuse with that code next to
// attest.dcap_failed; sdk-compat keeps the spec's verdict (§3.7 [COMPAT] 4: no cryptographic check,
// the file says valid) but reports the failed signature instead of a bare ok (DEC-38).
Json signed_quote_case(int tc_id) {
  std::ifstream in(std::string(PNC_VECTORS_DIR) + "/testvectors_v1/quote_signed_test.json");
  const Json file = Json::parse(in);
  for (const auto& group : file["testGroups"])
    for (const auto& t : group["tests"])
      if (t["tcId"] == tc_id) return Json{{"group", group}, {"test", t}};
  ADD_FAILURE() << "no tcId " << tc_id;
  return Json::object();
}

Json ask_signed_quote_verify(const Json& c, const char* profile) {
  const auto& t = c["test"];
  auto quote = pnc::codec::hex_decode(t["quote"].get<std::string>());
  EXPECT_TRUE(quote.ok());
  Json args = {{"quote_b64", pnc::codec::b64_encode(*quote)}, {"nonce", t["nonce"]}, {"local_env", t["localEnv"]},
               {"root_ca_pem", c["group"]["rootCaPem"]}, {"now", t["now"]}, {"event_log", t["eventLog"]},
               {"key_binding", t["keyBinding"]}, {"rtmrs", t["rtmrs"]}};
  return ask(Json{{"id", 11}, {"op", "signed_quote_verify"}, {"profile", profile}, {"args", args}}.dump());
}

TEST(ShimOperations, SignedQuoteVerifyNeverSkipsTheSignatureSilently) {
  const Json flipped = signed_quote_case(36);
  ASSERT_EQ(flipped["test"]["detail"], "tdx.sig.quote_signature");
  ASSERT_EQ(flipped["test"]["profiles"]["sdk-compat"], "valid");
  for (const char* strict : {"seed-spec", "hardened"}) {
    const Json a = ask_signed_quote_verify(flipped, strict);
    EXPECT_EQ(a["status"], "error") << strict;
    EXPECT_EQ(a["error"], "attest.dcap_failed: tdx.sig.quote_signature") << strict;
  }
  const Json compat = ask_signed_quote_verify(flipped, "sdk-compat");
  EXPECT_EQ(compat["status"], "ok");
  EXPECT_EQ(compat["result"].value("signature", "<missing>"), "tdx.sig.quote_signature");

  const Json valid = signed_quote_case(1);
  for (const char* profile : {"seed-spec", "sdk-compat"}) {
    const Json a = ask_signed_quote_verify(valid, profile);
    EXPECT_EQ(a["status"], "ok") << profile << " " << a.dump();
    EXPECT_EQ(a["result"].value("signature", "<missing>"), "ok") << profile;
  }
}
