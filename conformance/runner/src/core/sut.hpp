// The SUT description (--sut FILE, JSON, documented in docs/report-format.md §SUT description):
// what the runner cannot observe about a system under test. Without a file the runner assumes
// mock attestation, environment "dev" and every endpoint; keys it does not know make the cases
// that need them SKIPPED with that reason, never silently passed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/runner_tdx.hpp"
#include "pnc/attestation.hpp"
#include "pnc/miner_token.hpp"
#include "pnc/result.hpp"
#include "pnc/types.hpp"

namespace pnc::conf {

// A signed-request identity the SUT trusts (§6.4 "provisioned trust"): the runner signs with it.
struct TrustedSigner {
  std::string session_token;
  Bytes seed;  // Ed25519 seed, 32 bytes
};

// The MinerToken issuer the SUT verifies against (§7.2): the runner issues tokens with it.
struct TokenIssuer {
  Bytes seed;  // 32 bytes
  std::string issuer = "platform-api";
  std::string audience = "challenge_demo";
};

// Claims a SUT verifying tokens of `issuer` accepts (§7.2): its iss / aud / challenge_id, a fixed
// miner, iat = now - 10, exp = now + lifetime; jti is left to the caller (a fresh UUID per token).
miner_token::MinerClaims accepted_claims(const TokenIssuer& issuer, std::int64_t now, std::int64_t lifetime);

// §3.5 S0: [SEED] a 30-second handshake deadline.
inline constexpr std::int64_t kSpecHandshakeDeadlineMs = 30000;

inline constexpr std::string_view kUnnamedSut = "unnamed SUT";  // a SUT description without a name

struct SutDescription {
  std::string name = std::string(kUnnamedSut);
  AttestationMode mode = AttestationMode::mock;
  bool signed_mock = false;  // "signed-mock": prod checks, ECDSA-signed mock quotes, mock PKI root
  std::string env_mode = "dev";
  bool sdk_dev_mode = false;  // [COMPAT] SDK_DEV_MODE=true (dev identity on public routes)
  bool admin = true;      // CHALLENGE_ADMIN: /sdk/admin/*, /sdk/public/*, sealed credentials
  bool public_routes = true;
  bool weights = true;    // POST /sdk/weights
  std::vector<std::string> public_route_names = {"whoami"};
  // §3.5 S0 (configurable on test SUTs); nullopt: the SUT declares it has none (JSON null).
  std::optional<std::int64_t> handshake_deadline_ms = kSpecHandshakeDeadlineMs;
  std::optional<std::string> compose_hash;     // the compose hash the SUT reports / expects (hex)
  std::optional<TrustedSigner> signer;
  std::optional<TrustedSigner> proxy_signer;   // the platform-api proxy key the SUT trusts (§7.4)
  std::optional<Bytes> sealed_key_seed;        // the seed behind SDK_EPHEMERAL_SK_B64
  std::optional<TokenIssuer> token_issuer;
  std::optional<std::string> bootstrap_url;    // validator SUT: its HTTP base for §2 and §6
  // The runner's own quote source (run --tdx), set from the command line, never from the file.
  std::shared_ptr<const RunnerTdx> runner_tdx;
};

// "mock", "signed-mock" or "prod": the attestation the reports name (report.json attestation_mode).
std::string attestation_mode_name(const SutDescription& sut);
// The SUT's name in reports: the description's own name, else `identity` (the shim's hello
// name, the started program's basename or the URL: never a command line, whose arguments may
// carry secrets).
std::string sut_report_name(const SutDescription& sut, const std::string& identity);

// What a case may need; a SUT without it makes the case SKIPPED with need_reason().
enum class Need {
  mock_mode,
  prod_mode,
  admin,
  public_routes,
  weights,
  signer,
  proxy_signer,
  sealed_key,
  token_issuer,
  compose_hash,
  bootstrap,
  runner_quotes,  // mock, signed-mock, or prod with the runner on a TDX host (run --tdx configfs|dstack)
  signed_mock,    // the runner can sign an edited quote that the SUT's prod verifier trusts (mock PKI)
};
bool has(const SutDescription& sut, Need need);
// A need the SUT's declared configuration answers (attestation mode, optional endpoint groups):
// without it the case does not apply, rather than being untested for want of a key.
bool is_configuration(Need need);
std::string need_reason(Need need);

Result<SutDescription> parse_sut_description(std::string_view json_text);
Result<SutDescription> load_sut_description(const std::string& path);

}  // namespace pnc::conf
