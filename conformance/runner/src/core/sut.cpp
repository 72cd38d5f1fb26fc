#include "core/sut.hpp"
#include "core/read_file.hpp"

#include <fstream>
#include <sstream>

#include "pnc/codec.hpp"
#include "core/known_members.hpp"
#include "pnc/json.hpp"

namespace pnc::conf {

bool has(const SutDescription& sut, Need need) {
  switch (need) {
    case Need::mock_mode: return sut.mode == AttestationMode::mock;
    case Need::prod_mode: return sut.mode == AttestationMode::prod;
    case Need::admin: return sut.admin;
    case Need::public_routes: return sut.public_routes && !sut.public_route_names.empty();
    case Need::weights: return sut.weights;
    case Need::signer: return sut.signer.has_value();
    case Need::proxy_signer: return sut.proxy_signer.has_value();
    case Need::sealed_key: return sut.sealed_key_seed.has_value();
    case Need::token_issuer: return sut.token_issuer.has_value();
    case Need::compose_hash: return sut.compose_hash.has_value();
    case Need::bootstrap: return sut.bootstrap_url.has_value();
    case Need::runner_quotes:
      return sut.mode == AttestationMode::mock || sut.signed_mock || (sut.runner_tdx && sut.runner_tdx->provider);
    case Need::signed_mock: return sut.signed_mock;
  }
  return false;
}

miner_token::MinerClaims accepted_claims(const TokenIssuer& issuer, std::int64_t now, std::int64_t lifetime) {
  miner_token::MinerClaims claims;
  claims.iss = issuer.issuer;
  claims.aud = issuer.audience;
  claims.challenge_id = issuer.audience;
  claims.miner_hotkey = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  claims.uid = "7";
  claims.iat = now - 10;
  claims.exp = now + lifetime;
  return claims;
}

bool is_configuration(Need need) {
  switch (need) {
    case Need::mock_mode:
    case Need::prod_mode:
    case Need::runner_quotes:
    case Need::signed_mock:
    case Need::admin:
    case Need::public_routes:
    case Need::weights: return true;
    default: return false;
  }
}

std::string attestation_mode_name(const SutDescription& sut) {
  return sut.signed_mock ? "signed-mock" : std::string(to_string(sut.mode));
}

std::string sut_report_name(const SutDescription& sut, const std::string& identity) {
  return sut.name.empty() || sut.name == kUnnamedSut ? identity : sut.name;
}

std::string need_reason(Need need) {
  switch (need) {
    case Need::mock_mode: return "needs a SUT in mock attestation mode (SUT description: attestation_mode)";
    case Need::prod_mode: return "needs a SUT in prod attestation mode (SUT description: attestation_mode)";
    case Need::admin: return "the SUT has no admin endpoints (SUT description: endpoints.admin)";
    case Need::public_routes: return "the SUT has no public endpoints (SUT description: endpoints.public)";
    case Need::weights: return "the SUT has no /sdk/weights endpoint (SUT description: endpoints.weights)";
    case Need::signer: return "no signed-request identity the SUT trusts is known (SUT description: trusted_signer)";
    case Need::proxy_signer: return "no proxy key the SUT trusts is known (SUT description: proxy_signer)";
    case Need::sealed_key: return "the SUT's sealed-credential key is unknown (SUT description: sealed_key_seed)";
    case Need::token_issuer: return "the SUT's MinerToken issuer is unknown (SUT description: miner_token)";
    case Need::compose_hash: return "no expected compose hash is known (SUT description: compose_hash)";
    case Need::runner_quotes: return "needs a mock or signed-mock SUT: the runner cannot produce genuine Intel-signed quotes (on a TDX host: run --tdx configfs|dstack)";
    case Need::signed_mock: return "needs a signed-mock SUT (SUT description: attestation_mode): the runner can re-sign an edited quote only under the mock PKI, not Intel's";
    case Need::bootstrap: return "no HTTP bootstrap address for the validator SUT (--bootstrap-url or SUT description: bootstrap_url)";
  }
  return "unknown need";
}

namespace {

Result<Bytes> hex32(const json::Json& obj, const char* name) {
  auto text = json::get_string(obj, name);
  if (!text) return text.error();
  auto bytes = codec::hex_decode_exact(*text, 32);
  if (!bytes) return make_error("sut.bad_field", std::string(name) + " must be 64 hex characters");
  return bytes;
}

Error bad(const std::string& what) { return make_error("sut.bad_field", what); }

}  // namespace

Result<SutDescription> parse_sut_description(std::string_view json_text) {
  auto doc = json::parse_object(json_text);
  if (!doc) return make_error("sut.bad_json", "SUT description: " + doc.error().message);
  const json::Json& j = *doc;
  SutDescription sut;
  // Every member the format knows (docs/report-format.md): anything else is a typo.
  const std::pair<const char*, std::vector<std::string_view>> shapes[] = {
      {nullptr, {"name", "attestation_mode", "env_mode", "sdk_dev_mode", "endpoints", "public_routes",
                 "handshake_deadline_ms", "compose_hash", "trusted_signer", "proxy_signer", "sealed_key_seed",
                 "miner_token", "bootstrap_url"}},
      {"endpoints", {"admin", "public", "weights"}},
      {"trusted_signer", {"session_token", "seed"}},
      {"proxy_signer", {"session_token", "seed"}},
      {"miner_token", {"issuer_seed", "issuer", "audience"}},
  };
  for (const auto& [member, known] : shapes) {
    const bool top = member == nullptr;
    if (!top && !j.contains(member)) continue;
    const std::string where = top ? "SUT description" : std::string("SUT description, ") + member;
    if (auto s = check_known_members(top ? j : j.at(member), known, where, "sut.unknown_member"); !s) return s.error();
  }
  try {
    if (j.contains("name")) sut.name = j.at("name").get<std::string>();
    if (j.contains("attestation_mode")) {
      const auto mode = j.at("attestation_mode").get<std::string>();
      if (mode == "mock") sut.mode = AttestationMode::mock;
      else if (mode == "prod") sut.mode = AttestationMode::prod;
      else if (mode == "signed-mock") {
        sut.mode = AttestationMode::prod;
        sut.signed_mock = true;
      } else return bad("attestation_mode must be \"mock\", \"signed-mock\" or \"prod\"");
    }
    if (j.contains("env_mode")) sut.env_mode = j.at("env_mode").get<std::string>();
    if (j.contains("sdk_dev_mode")) sut.sdk_dev_mode = j.at("sdk_dev_mode").get<bool>();
    if (j.contains("endpoints")) {
      const auto& e = j.at("endpoints");
      if (e.contains("admin")) sut.admin = e.at("admin").get<bool>();
      if (e.contains("public")) sut.public_routes = e.at("public").get<bool>();
      if (e.contains("weights")) sut.weights = e.at("weights").get<bool>();
    }
    if (j.contains("public_routes")) sut.public_route_names = j.at("public_routes").get<std::vector<std::string>>();
    if (j.contains("handshake_deadline_ms")) {
      if (j.at("handshake_deadline_ms").is_null()) {
        sut.handshake_deadline_ms.reset();  // "no deadline"
      } else {
        sut.handshake_deadline_ms = j.at("handshake_deadline_ms").get<std::int64_t>();
        if (*sut.handshake_deadline_ms <= 0) return bad("handshake_deadline_ms must be positive or null (no deadline)");
      }
    }
    if (j.contains("compose_hash")) sut.compose_hash = j.at("compose_hash").get<std::string>();
    if (j.contains("trusted_signer")) {
      const auto& s = j.at("trusted_signer");
      TrustedSigner signer;
      signer.session_token = s.at("session_token").get<std::string>();
      auto seed = hex32(s, "seed");
      if (!seed) return seed.error();
      signer.seed = std::move(*seed);
      sut.signer = std::move(signer);
    }
    if (j.contains("proxy_signer")) {
      const auto& s = j.at("proxy_signer");
      TrustedSigner signer;
      signer.session_token = s.at("session_token").get<std::string>();
      auto seed = hex32(s, "seed");
      if (!seed) return seed.error();
      signer.seed = std::move(*seed);
      sut.proxy_signer = std::move(signer);
    }
    if (j.contains("sealed_key_seed")) {
      auto seed = hex32(j, "sealed_key_seed");
      if (!seed) return seed.error();
      sut.sealed_key_seed = std::move(*seed);
    }
    if (j.contains("miner_token")) {
      const auto& t = j.at("miner_token");
      TokenIssuer issuer;
      auto seed = hex32(t, "issuer_seed");
      if (!seed) return seed.error();
      issuer.seed = std::move(*seed);
      if (t.contains("issuer")) issuer.issuer = t.at("issuer").get<std::string>();
      if (t.contains("audience")) issuer.audience = t.at("audience").get<std::string>();
      sut.token_issuer = std::move(issuer);
    }
    if (j.contains("bootstrap_url")) sut.bootstrap_url = j.at("bootstrap_url").get<std::string>();
  } catch (const std::exception& e) {
    // nlohmann's type errors: a member of the wrong JSON type.
    return bad(std::string("SUT description: ") + e.what());
  }
  return sut;
}

Result<SutDescription> load_sut_description(const std::string& path) {
  const auto text = read_file(path);
  if (!text) return make_error("sut.unreadable", "cannot read SUT description " + path);
  return parse_sut_description(*text);
}

}  // namespace pnc::conf
