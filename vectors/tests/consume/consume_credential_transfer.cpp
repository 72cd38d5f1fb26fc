// Consumer of credential_transfer_test.json: encrypt_credentials_with + build_credential_response
// (exact output), decrypt_credentials, receive_credentials and parse_credential_request.
#include "pnc/credentials.hpp"
#include "runner.hpp"

namespace pnc::vectors {

Verdict run_credential_transfer(const Json& g, const Json& t, Profile p) {
  const std::string type = g["type"].get<std::string>();
  const auto mode = g.value("aadMode", "seed") == "seed" ? credentials::AadMode::seed : credentials::AadMode::platform_api;
  if (type == "CredentialEncrypt") {
    const auto e = credentials::encrypt_credentials_with(hex_field(t, "recipientPublic"), as_bytes(str_field(t, "msg")),
                                                         hex_field(t, "ephemeralPrivate"), hex_field(t, "nonce"), mode);
    if (!e.ok()) return {false, {}};
    const Json got = Json::parse(credentials::build_credential_response(e.value(), "0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0"));
    return {true, got == Json::parse(str_field(t, "response")) ? "" : "response differs: " + got.dump()};
  }
  if (type == "CredentialDecrypt") {
    const auto r = credentials::decrypt_credentials(str_field(t, "response"), hex_field(g, "recipientPrivate"), mode, p);
    if (!r.ok()) return {false, {}};
    Json got = Json::object();
    for (const auto& [k, v] : r.value()) got[k] = to_string(v.view());
    return {true, got == t["credentials"] ? "" : "credentials differ: " + got.dump()};
  }
  if (type == "CredentialReceive") {
    credentials::MemoryDsnSink sink;
    const auto s = credentials::receive_credentials(str_field(t, "response"), hex_field(g, "recipientPrivate"), mode, sink, p);
    if (!s.ok()) return {false, sink.writes() == 0 ? "" : "sink written on failure"};
    return {true, sink.value() && to_string(sink.value()->view()) == str_field(t, "dsn") ? "" : "stored DSN differs"};
  }
  return {credentials::parse_credential_request(str_field(t, "body"), p).ok(), {}};
}

}  // namespace pnc::vectors
