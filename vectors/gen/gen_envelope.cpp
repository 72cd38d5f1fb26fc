// envelope_test.json: the encrypted envelope of PROTOCOL.md §5.1-§5.3 received by one connection
// (a Channel under the run's profile): golden V2, every mutation of §12.5 (N-ENV-01..14), the
// base64/JSON strictness of §12.1 applied to the frame and to the inner message, replay and
// reflection sequences (R6), the 16 MiB frame limit and the inner-message catalogue of §5.4.
#include "common.hpp"
#include "pnc/crypto.hpp"
#include "pnc/envelope.hpp"
#include "pnc/chosen_randomness.hpp"

namespace pnc::vectors {
namespace {

std::string frame_of(const std::string& enc, const Bytes& nonce, const Bytes& ct) {
  return R"({"enc":")" + enc + R"(","nonce":")" + b64(nonce) + R"(","ciphertext":")" + b64(ct) + "\"}";
}

}  // namespace

VectorFile gen_envelope(const Golden& g) {
  VectorFile f("envelope_test.json", "PNC-ENVELOPE", "pnc_envelope_schema_v1.json",
               {"One received WebSocket text frame per test (PROTOCOL.md §5.3 R1-R7) on a fresh connection",
                "holding `key`. `setup` steps run first on the same connection: `receive` (a frame that must be",
                "delivered) or `send` (seal `plaintext` with `nonce`; the result must equal `frame`).",
                "`padTo` appends JSON whitespace to `frame` up to that many bytes. valid = delivered to the",
                "application; invalid = not delivered (seed-spec/hardened close the connection, sdk-compat",
                "drops the frame)."});
  f.note("Ktv", "BASIC", "The golden envelope of PROTOCOL.md §13 V2.", "Interoperability is broken.");
  f.note("PositiveControl", "BASIC", "A valid envelope in an unusual but legal form (§12.5 positive controls, §5.4).",
         "Valid traffic is dropped.");
  f.note("BadEnc", "MODIFIED_PARAMETER", "`enc` is not exactly \"chacha20poly1305\" (N-ENV-01).",
         "Algorithm confusion.");
  f.note("BadLength", "EDGE_CASE", "Nonce not 12 bytes or ciphertext shorter than a tag (N-ENV-02, N-ENV-03).",
         "Out-of-bounds reads or nonce misuse.");
  f.note("ModifiedCiphertext", "AUTH_BYPASS", "Tag, ciphertext, nonce, key or AAD differ from the sealing (N-ENV-04..08).",
         "Forged or corrupted messages are delivered.");
  f.note("WrongConstruction", "WRONG_PRIMITIVE", "XChaCha20-Poly1305 with nonce || 0^12 (the HTTP-body quirk, N-ENV-09).",
         "Two constructions are accepted for one label.");
  f.note("Replay", "MISSING_STEP", "A nonce received before on this connection (N-ENV-10, R6). sdk-compat accepts (D-10).",
         "Replayed messages are processed twice.");
  f.note("Reflection", "MISSING_STEP", "A nonce this endpoint sent, echoed back (N-ENV-11, R6). sdk-compat accepts.",
         "An endpoint processes its own messages.");
  f.note("BadPlaintext", "MISSING_STEP", "The decrypted message is not a JSON object with a string `type` (N-ENV-12, R7).",
         "Malformed inner messages reach the handlers.");
  f.note("TooLarge", "EDGE_CASE", "A frame over 16 MiB; exactly 16 MiB is allowed (N-ENV-13, §10).",
         "Memory exhaustion.");
  f.note("WrongMemberType", "MISSING_STEP", "`enc`, `nonce` or `ciphertext` missing or not a string (N-ENV-14, R2).",
         "Type confusion.");
  f.note("EncodingLeniency", "MALLEABILITY",
         "Non-canonical base64 or lenient JSON in the frame or the inner message (§12.1). sdk-compat accepts (quirk).",
         "Several encodings of one message exist.");
  f.note("InvalidJson", "EDGE_CASE", "The frame is not (strict) JSON or not an object (R1, N-ENC-08..11).",
         "Parser confusion.");
  f.note("BinaryFrame", "EDGE_CASE", "A binary frame (§3.1): seed-spec closes 1003, sdk-compat ignores it.",
         "Binary data reaches the JSON layer.");

  const Bytes k = g.h("V1", "key"), n12 = g.h("V2", "nonce");
  const std::string pt = g.s("V2", "plaintext"), v2 = g.s("V2", "envelope");
  const Bytes ct = g.h("V2", "ct_tag_hex");
  auto seal = [&](const Bytes& key, const Bytes& nonce, const std::string& plaintext) {
    auto r = envelope::seal_with_nonce(key, nonce, plaintext);
    check(r.ok(), "envelope seal");
    return r.ok() ? r.value() : std::string{};
  };
  check_eq(seal(k, n12, pt), v2, "V2 envelope");
  f.group("EnvelopeReceive");
  auto add = [&](const Case& c, const std::string& frame, const std::string& msg, OJson extra = OJson::object(),
                 const Bytes& key = {}) {
    OJson fields = {{"key", hex(key.empty() ? k : key)}};
    for (const auto& [kk, v] : extra.items()) fields[kk] = v;
    fields["frame"] = frame;
    fields["msg"] = msg;
    f.add(c, fields);
  };

  add({"V2 envelope", {"Ktv"}, {"V2", "§5.1"}}, v2, pt);
  add({"extra unknown member", {"PositiveControl"}, {"§12.5"}},
      R"({"enc":"chacha20poly1305","x":[1,{"y":null}],"nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + b64(ct) + "\"}", pt);
  add({"members in reverse order with whitespace", {"PositiveControl"}, {"§12.5"}},
      "{ \"ciphertext\" : \"" + b64(ct) + "\",\n \"nonce\" : \"oKGio6Slpqeoqaqr\",\t\"enc\":\"chacha20poly1305\" }", pt);
  add({"plaintext {\"type\":\"x\"}", {"PositiveControl"}, {"§12.5"}}, seal(k, n12, R"({"type":"x"})"), R"({"type":"x"})");
  const std::vector<std::string> catalogue = {
      R"({"type":"migrations_request"})",
      R"({"type":"db_version_request","message_id":"msg_1_0a1b2c3d"})",
      R"({"type":"orm_ready","schema":"challenge_demo"})",
      R"({"type":"orm_permissions_ack","status":"success"})",
      R"({"type":"orm_result","result":{"rows":[{"id":1}],"row_count":1,"execution_time_ms":3},"query_id":"123e4567-e89b-12d3-a456-426614174000","message_id":"123e4567-e89b-12d3-a456-426614174000"})",
      R"({"type":"error","error":"boom","message":"boom","query_id":"q"})",
      R"({"type":"job_execute","job_id":"job-1","job_name":null,"payload":{"n":1}})",
      R"({"type":"validator_status_update","compose_hash":"abc","validators":[{"hotkey":"5Grwva","status":"active"}]})",
      R"({"type":"weight_request","block":123,"timestamp":1700000000})",
      R"({"type":"job_result","job_id":"job-1","result":{"score":0.5}})",
      R"({"type":"get_validator_count","payload":{"compose_hash":"abc"}})",
      R"({"type":"heartbeat","payload":{}})",
      R"({"type":"t\u00e9st","note":"\u2603 non-ASCII escaped"})",
  };
  for (std::size_t i = 0; i < catalogue.size(); ++i)
    add({"inner message catalogue #" + std::to_string(i + 1), {"PositiveControl"}, {"§5.4"}},
        seal(k, n12, catalogue[i]), catalogue[i]);

  // N-ENV-01: the enc label.
  for (std::string enc : {"ChaCha20Poly1305", "chacha20-poly1305", "xchacha20poly1305", "", "chacha20poly1305 ",
                          "CHACHA20POLY1305", "chacha20poly1305-dir"})
    add({"enc = \"" + enc + "\"", {"BadEnc"}, {"N-ENV-01"}, invalid()}, frame_of(enc, n12, ct), pt);
  add({"enc missing", {"WrongMemberType"}, {"N-ENV-01", "N-ENV-14"}, invalid()},
      R"({"nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + b64(ct) + "\"}", pt);
  // N-ENV-02 / 03.
  for (std::size_t n : {0u, 11u, 13u, 24u})
    add({"nonce of " + std::to_string(n) + " bytes", {"BadLength"}, {"N-ENV-02", "N-ENC-05"}, invalid()},
        frame_of("chacha20poly1305", Bytes(n, 0xa0), ct), pt);
  for (std::size_t n : {0u, 1u, 15u})
    add({"ciphertext of " + std::to_string(n) + " bytes", {"BadLength"}, {"N-ENV-03"}, invalid()},
        frame_of("chacha20poly1305", n12, Bytes(ct.begin(), ct.begin() + static_cast<std::ptrdiff_t>(n))), pt);
  // N-ENV-04..09.
  add({"V2 tag last byte ^ 0x01 (golden)", {"ModifiedCiphertext"}, {"N-ENV-04", "V2"}, invalid()},
      frame_of("chacha20poly1305", n12, g.b("V2", "tampered_tag_ciphertext_b64")), pt);
  for (std::size_t i : {0u, 20u, 45u})
    add({"ciphertext byte " + std::to_string(i) + " flipped", {"ModifiedCiphertext"}, {"N-ENV-05"}, invalid()},
        frame_of("chacha20poly1305", n12, flip(ct, i)), pt);
  add({"ciphertext truncated by one byte", {"ModifiedCiphertext"}, {"N-ENV-05"}, invalid()},
      frame_of("chacha20poly1305", n12, Bytes(ct.begin(), ct.end() - 1)), pt);
  add({"one byte appended to the ciphertext", {"ModifiedCiphertext"}, {"N-ENV-05"}, invalid()},
      frame_of("chacha20poly1305", n12, concat(ct, {0x00})), pt);
  for (std::size_t i : {0u, 11u})
    add({"nonce byte " + std::to_string(i) + " changed", {"ModifiedCiphertext"}, {"N-ENV-06"}, invalid()},
        frame_of("chacha20poly1305", flip(n12, i), ct), pt);
  Bytes other_salt = g.h("V1", "salt");
  other_salt[0] ^= 0x01;
  const auto k_other = crypto::hkdf_sha256_32(other_salt, g.h("V1", "shared"), "platform-api-sdk-v1");
  add({"sealed under HKDF(V1 with another salt)", {"ModifiedCiphertext"}, {"N-ENV-07"}, invalid()},
      seal(Bytes(k_other.view().begin(), k_other.view().end()), n12, pt), pt);
  add({"sealed with AAD \"x\" (golden)", {"ModifiedCiphertext"}, {"N-ENV-08", "V2"}, invalid()},
      frame_of("chacha20poly1305", n12, g.b("V2", "aad_x_ciphertext_b64")), pt);
  Bytes n24 = n12;
  n24.resize(24, 0);
  add({"XChaCha20-Poly1305 with nonce || 0^12", {"WrongConstruction"}, {"N-ENV-09", "D-12"}, invalid()},
      frame_of("chacha20poly1305", n12, crypto::xaead_seal(k, n24, to_bytes(pt)).value()), pt);
  // N-ENV-10 / 11: R6.
  add({"byte-identical replay of V2", {"Replay"}, {"N-ENV-10", "D-10"}, strict_reject()}, v2, pt,
      {{"setup", OJson::array({{{"op", "receive"}, {"frame", v2}}})}});
  const std::string other_pt = R"({"type":"db_version_request"})";
  add({"a different message under a nonce received before", {"Replay"}, {"N-ENV-10"}, strict_reject()},
      seal(k, n12, other_pt), other_pt, {{"setup", OJson::array({{{"op", "receive"}, {"frame", v2}}})}});
  const Bytes n_other = unhex("0102030405060708090a0b0c");
  const std::string second = seal(k, n_other, other_pt);
  add({"two distinct nonces (no replay)", {"PositiveControl"}, {"N-ENV-10"}}, second, other_pt,
      {{"setup", OJson::array({{{"op", "receive"}, {"frame", v2}}})}});
  add({"reflection of an envelope this endpoint sent", {"Reflection"}, {"N-ENV-11"}, strict_reject()}, v2, pt,
      {{"setup", OJson::array({{{"op", "send"}, {"nonce", hex(n12)}, {"plaintext", pt}, {"frame", v2}}})}});
  add({"after sending, a different nonce is accepted", {"PositiveControl"}, {"N-ENV-11"}}, second, other_pt,
      {{"setup", OJson::array({{{"op", "send"}, {"nonce", hex(n12)}, {"plaintext", pt}, {"frame", v2}}})}});
  // N-ENV-12: R7.
  add({"plaintext not JSON", {"BadPlaintext"}, {"N-ENV-12"}, invalid()}, seal(k, n12, "hello"), "hello");
  add({"plaintext a JSON array", {"BadPlaintext"}, {"N-ENV-12"}, invalid()}, seal(k, n12, R"([{"type":"x"}])"),
      R"([{"type":"x"}])");
  add({"plaintext empty", {"BadPlaintext"}, {"N-ENV-12"}, invalid()}, seal(k, n12, ""), "");
  add({"plaintext without `type`", {"BadPlaintext"}, {"N-ENV-12", "§5.3"}, strict_reject()},
      seal(k, n12, R"({"message_id":"m1"})"), R"({"message_id":"m1"})");
  add({"plaintext with a non-string `type`", {"BadPlaintext"}, {"N-ENV-12"}, strict_reject()},
      seal(k, n12, R"({"type":5})"), R"({"type":5})");
  add({"plaintext with a duplicate `type`", {"EncodingLeniency"}, {"N-ENV-12", "N-ENC-09"}, strict_reject()},
      seal(k, n12, R"({"type":"a","type":"b"})"), R"({"type":"a","type":"b"})");
  add({"plaintext with NaN", {"BadPlaintext"}, {"N-ENV-12", "DEC-01"}, invalid()}, seal(k, n12, R"({"type":"a","v":NaN})"),
      R"({"type":"a","v":NaN})");
  // N-ENV-13: the frame limit (padded with JSON whitespace, which is still valid JSON).
  add({"frame of exactly 16 MiB", {"PositiveControl"}, {"N-ENV-13", "§10"}}, v2, pt, {{"padTo", 16777216}});
  add({"frame of 16 MiB + 1", {"TooLarge"}, {"N-ENV-13", "§10"}, invalid()}, v2, pt, {{"padTo", 16777217}});
  // N-ENV-14: member types.
  for (const auto& [name, frame] : std::vector<std::pair<std::string, std::string>>{
           {"enc = 1", R"({"enc":1,"nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + b64(ct) + "\"}"},
           {"enc = null", R"({"enc":null,"nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + b64(ct) + "\"}"},
           {"nonce = []", R"({"enc":"chacha20poly1305","nonce":[],"ciphertext":")" + b64(ct) + "\"}"},
           {"nonce = 0", R"({"enc":"chacha20poly1305","nonce":0,"ciphertext":")" + b64(ct) + "\"}"},
           {"ciphertext = null", R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":null})"},
           {"ciphertext = {}", R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":{}})"},
           {"nonce missing", R"({"enc":"chacha20poly1305","ciphertext":")" + b64(ct) + "\"}"},
           {"ciphertext missing", R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr"})"}})
    add({name, {"WrongMemberType"}, {"N-ENV-14", "N-ENC-12"}, invalid()}, frame, pt);
  // §12.1 on the frame.
  const std::string ct64 = b64(ct);
  add({"LF inside the base64 nonce", {"EncodingLeniency"}, {"N-ENC-01"}, strict_reject()},
      R"({"enc":"chacha20poly1305","nonce":"oKGio6Sl\npqeoqaqr","ciphertext":")" + ct64 + "\"}", pt);
  add({"space inside the base64 ciphertext", {"EncodingLeniency"}, {"N-ENC-01"}, strict_reject()},
      R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + ct64.substr(0, 10) + " " +
          ct64.substr(10) + "\"}", pt);
  {
    // A 65-byte plaintext gives 81 = 3 * 27 bytes: pick 62 bytes (2 spare bits) for trailing-bit tests.
    const std::string pt62 = R"({"type":"orm_ready","schema":"challenge_demo","x":"0123456"})";
    const std::string ok = seal(k, n12, pt62);
    const Bytes c62 = crypto::aead_seal(k, n12, to_bytes(pt62)).value();
    check(c62.size() % 3 == 1, "62-byte ciphertext length");
    std::string enc = b64(c62);  // ends with "=="; the symbol before has 4 spare bits
    const std::size_t last = enc.size() - 3;
    enc[last] = static_cast<char>(enc[last] == 'A' ? 'B' : enc[last] + 1);
    add({"ciphertext with non-canonical trailing bits", {"EncodingLeniency"}, {"N-ENC-03"}, strict_reject()},
        R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + enc + "\"}", pt62);
    add({"canonical counterpart of the previous case", {"PositiveControl"}, {"N-ENC-03"}}, ok, pt62);
  }
  add({"ciphertext without padding", {"EncodingLeniency"}, {"N-ENC-02"}, invalid()},
      R"({"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + ct64.substr(0, ct64.size() - 1) + "\"}",
      pt);
  add({"duplicate `enc` member (last one valid)", {"EncodingLeniency"}, {"N-ENC-09"}, strict_reject()},
      R"({"enc":"x","enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + ct64 + "\"}", pt);
  add({"duplicate `enc` member (last one invalid)", {"BadEnc"}, {"N-ENC-09"}, invalid()},
      R"({"enc":"chacha20poly1305","enc":"x","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + ct64 + "\"}", pt);
  add({"frame is a JSON array", {"InvalidJson"}, {"N-ENC-08", "R1"}, invalid()}, "[" + v2 + "]", pt);
  add({"frame is not JSON", {"InvalidJson"}, {"N-ENC-10", "R1"}, invalid()}, v2.substr(0, v2.size() - 1), pt);
  add({"frame with NaN in an unknown member", {"InvalidJson"}, {"N-ENC-10", "DEC-01"}, invalid()},
      R"({"x":NaN,"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + ct64 + "\"}", pt);
  add({"unknown member nested 65 deep", {"EncodingLeniency"}, {"N-ENC-11"}, strict_reject()},
      R"({"x":)" + std::string(64, '[') + std::string(64, ']') +
          R"(,"enc":"chacha20poly1305","nonce":"oKGio6Slpqeoqaqr","ciphertext":")" + ct64 + "\"}", pt);
  add({"binary frame carrying the V2 bytes", {"BinaryFrame"}, {"§3.1"}, invalid()}, v2, pt, {{"binary", true}});

  // Pseudorandom keys and inner messages.
  DeterministicRng rng(std::uint64_t{0xe4e10be});
  for (int i = 0; i < 24; ++i) {
    const Bytes key = rng.bytes(32), nonce = rng.bytes(12);
    const std::string msg = R"({"type":"job_result","job_id":")" + hex(rng.bytes(static_cast<std::size_t>(i * 7))) + "\"}";
    add({"pseudorandom key and message " + std::to_string(i + 1), {"PositiveControl"}, {"§5.1"}},
        seal(key, nonce, msg), msg, OJson::object(), key);
  }
  return f;
}

}  // namespace pnc::vectors
