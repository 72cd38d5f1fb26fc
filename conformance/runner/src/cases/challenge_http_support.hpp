// What the challenge target's HTTP cases share (challenge_signed_http_cases.cpp,
// challenge_credential_cases.cpp, challenge_body_cases.cpp, challenge_identity_cases.cpp): sending
// a request, signing one as the trusted signer, the expected status per profile and its
// judgement, and sealed credential bodies.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cases/http_result.hpp"
#include "core/case.hpp"
#include "pnc/json.hpp"
#include "pnc/signed_http.hpp"

namespace pnc::conf {

// One request to the SUT's HTTP address (the case's observation: status and body, or no answer).
HttpResult send_request(Context& ctx, const signed_http::HttpRequest& req);
// A request whose body the SUT should refuse early (N-SIG-20, an oversize §6.8 body): written
// over a raw connection in chunks, reading between chunks, so that an early 413 is seen even
// though the SUT then resets the connection while the rest of the body is in flight.
HttpResult send_large_request(Context& ctx, const signed_http::HttpRequest& req);

// A fresh random UUID (X-Nonce values, unique DSNs).
std::string fresh_uuid(Context& ctx);

// A POST of `body` to `target` signed by `who` with the current time (+ `skew` seconds) and
// `nonce` (a fresh UUID when not given), as §6.4 describes.
signed_http::HttpRequest signed_request(Context& ctx, const TrustedSigner& who, const std::string& target, std::string body,
                                        std::int64_t skew = 0, std::optional<std::string> nonce = std::nullopt);

// Expected status per profile; `also` lists statuses the spec equally allows.
struct StatusExpect {
  int seed = 401;
  int compat = 200;
  std::set<int> also;
  int of(Profile p) const { return is_strict(p) ? seed : compat; }
};
inline const StatusExpect kStrict401Compat200{401, 200, {}};  // [SEED]/[HARD] 401, [COMPAT] 200
inline const StatusExpect kAll200{200, 200, {}};
inline const StatusExpect kAll401{401, 401, {}};

// PASS when `r` has status `want` (or one of `also`) and, when given, the §8.1 `detail` text; a
// 5xx FAILs whatever was expected (DEC-52), an unsent request is BLOCKED.
Outcome judge_status(const HttpResult& r, int want, const std::set<int>& also, const std::string& detail = {});

// A case of the challenge target's HTTP side: the expected status per profile in words, and the
// driver `run` gets the expectation.
Case http_case(std::string id, std::string title, Mechanism mechanism, StatusExpect e, std::vector<Need> needs,
               std::function<Outcome(Context&, const StatusExpect&)> run);

inline const std::string kWeights = "/sdk/weights";
inline const std::string kCredentials = "/sdk/admin/db/credentials";

// `plaintext` sealed to the SUT's credential key (SUT description: sealed_key_seed) as §8.1 seals.
Bytes seal_to_sut(Context& ctx, std::string_view plaintext);
// A credentials request body {"sealed", "challenge_name", "version"}; `extra` overrides members
// ("__erase__" removes one).
std::string cred_body(const Bytes& sealed, json::Json extra = json::Json::object());
// A DSN no other case stores: its SHA-256 identifies this case's request among concurrent ones.
std::string unique_dsn(Context& ctx);

}  // namespace pnc::conf
