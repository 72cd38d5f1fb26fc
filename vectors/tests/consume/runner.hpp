// The consumer side of the vector files: one run function per mechanism feeds a test case to the
// reference library under a profile and reports whether the reference accepted it and whether
// its outputs matched the case's expected outputs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pnc/types.hpp"

namespace pnc::vectors {

using Json = nlohmann::json;

struct Verdict {
  bool accepted = false;
  std::string mismatch;  // non-empty: accepted, but an output differs from the expected one
};

// group: the test group (members other than `tests`); test: one test case.
using RunFn = Verdict (*)(const Json& group, const Json& test, Profile profile);

struct Mechanism {
  std::string_view file;
  RunFn run;
};
const std::vector<Mechanism>& mechanisms();

// Case-field helpers (decoded with the test-support decoders, independent of pnc::codec).
Bytes hex_field(const Json& test, std::string_view name);
std::string str_field(const Json& test, std::string_view name);
std::string hexs(ByteView b);  // lowercase hex for messages
// "" when equal, else a message naming the field.
std::string compare(std::string_view what, ByteView got, ByteView want);

Verdict run_x25519(const Json&, const Json&, Profile);
Verdict run_ed25519(const Json&, const Json&, Profile);
Verdict run_hkdf(const Json&, const Json&, Profile);
Verdict run_aead(const Json&, const Json&, Profile);
Verdict run_codec(const Json&, const Json&, Profile);
Verdict run_envelope(const Json&, const Json&, Profile);
Verdict run_handshake(const Json&, const Json&, Profile);
Verdict run_signed_request(const Json&, const Json&, Profile);
Verdict run_encrypted_body(const Json&, const Json&, Profile);
Verdict run_miner_token(const Json&, const Json&, Profile);
Verdict run_sealed_box(const Json&, const Json&, Profile);
Verdict run_credential_transfer(const Json&, const Json&, Profile);
Verdict run_quote(const Json&, const Json&, Profile);
Verdict run_eventlog(const Json&, const Json&, Profile);
Verdict run_quote_signed(const Json&, const Json&, Profile);
Verdict run_bootstrap(const Json&, const Json&, Profile);

}  // namespace pnc::vectors
