// P-ENV (PROTOCOL.md §14, §5.1-5.3): seal/open round trip for random inner messages, every single-bit
// flip of nonce, ciphertext or tag fails, two seals differ. Oracle: OpenSSL's ChaCha20-Poly1305
// (it opens what the reference seals and seals what the reference must open).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "pnc/envelope.hpp"
#include "pnc/json.hpp"
#include "support/prop_support.hpp"

namespace {

using namespace pnc;
using namespace pnc::prop;
using Json = nlohmann::json;


struct Parts {
  Bytes nonce;
  Bytes ct;  // ciphertext || tag
};
Parts parts_of(const std::string& frame) {
  const Json j = Json::parse(frame);
  return {*ossl_b64_decode(j.at("nonce").get<std::string>()), *ossl_b64_decode(j.at("ciphertext").get<std::string>())};
}
std::string frame_of(const Bytes& nonce, const Bytes& ct) {
  return Json{{"enc", "chacha20poly1305"}, {"nonce", ossl_b64(nonce)}, {"ciphertext", ossl_b64(ct)}}.dump();
}

RC_GTEST_PROP(PEnv, OpenSealIsIdentity, ()) {
  const Bytes key = *bytes(32);
  const Json msg = *inner_message();
  const std::string text = msg.dump();
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const auto frame = envelope::seal(key, text, rng);
  RC_ASSERT(frame.ok());
  for (Profile p : kProfiles) {
    const auto opened = envelope::open(key, *frame, p);
    RC_ASSERT(opened.ok());
    RC_ASSERT(opened->plaintext == text);
    RC_ASSERT(opened->message == msg);
  }
  // Independent check of the wire format: OpenSSL opens it with an empty AAD.
  const Parts pt = parts_of(*frame);
  RC_ASSERT(pt.nonce.size() == 12u);
  const auto plain = ossl_chacha_open(key, pt.nonce, pt.ct);
  RC_ASSERT(plain.has_value());
  RC_ASSERT(to_string(*plain) == text);
}

RC_GTEST_PROP(PEnv, OpensWhatOpenSslSeals, ()) {
  const Bytes key = *bytes(32);
  const Bytes nonce = *bytes(12);
  const Json msg = *inner_message();
  const auto opened = envelope::open(key, ossl_envelope(key, nonce, msg.dump()));
  RC_ASSERT(opened.ok());
  RC_ASSERT(opened->message == msg);
  RC_ASSERT(Bytes(opened->nonce.begin(), opened->nonce.end()) == nonce);
}

RC_GTEST_PROP(PEnv, EverySingleBitFlipFails, ()) {
  const Bytes key = *bytes(32);
  const Bytes nonce = *bytes(12);
  const std::string text = (*inner_message()).dump();
  const Parts p = parts_of(ossl_envelope(key, nonce, text));
  // Flip one bit of the nonce, the ciphertext body or the tag (N-ENV-04/05/06).
  const bool in_nonce = *rc::gen::arbitrary<bool>();
  const std::size_t bits = (in_nonce ? p.nonce.size() : p.ct.size()) * 8;
  const std::size_t bit = *rc::gen::inRange<std::size_t>(0, bits);
  const std::string frame = in_nonce ? frame_of(flip_bit(p.nonce, bit), p.ct) : frame_of(p.nonce, flip_bit(p.ct, bit));
  RC_CLASSIFY(in_nonce, "nonce");
  RC_CLASSIFY(!in_nonce && bit >= (p.ct.size() - 16) * 8, "tag");
  for (Profile prof : kProfiles) {
    const auto opened = envelope::open(key, frame, prof);
    RC_ASSERT_FALSE(opened.ok());
    RC_ASSERT(opened.error().code == std::string(envelope::kAuthFailed));
  }
}

RC_GTEST_PROP(PEnv, WrongKeyOrAadFails, ()) {
  const Bytes key = *bytes(32);
  const Bytes other = flip_bit(key, *rc::gen::inRange<std::size_t>(0, 256));
  const Bytes nonce = *bytes(12);
  const std::string text = (*inner_message()).dump();
  RC_ASSERT_FALSE(envelope::open(other, ossl_envelope(key, nonce, text)).ok());  // N-ENV-07
  const Bytes aad = *bytes_between(1, 8);
  const Bytes ct = ossl_chacha_seal(key, nonce, as_bytes(text), aad);  // N-ENV-08
  RC_ASSERT_FALSE(envelope::open(key, frame_of(nonce, ct)).ok());
}

RC_GTEST_PROP(PEnv, TwoSealsOfTheSameMessageDiffer, ()) {
  const Bytes key = *bytes(32);
  const std::string text = (*inner_message()).dump();
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>());
  const auto a = envelope::seal(key, text, rng);
  const auto b = envelope::seal(key, text, rng);
  RC_ASSERT(a.ok() && b.ok());
  RC_ASSERT(*a != *b);
  RC_ASSERT(parts_of(*a).nonce != parts_of(*b).nonce);
}

}  // namespace
