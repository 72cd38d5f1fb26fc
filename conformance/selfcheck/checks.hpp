// The self-check's scenarios: golden vectors, then per profile one full run of every mechanism
// through the reference (handshake + encrypted exchange, replay handling, bootstrap + signed
// request, MinerToken, sealed credentials, credential transfer, quote verification).
#pragma once

#include <nlohmann/json.hpp>

#include "pnc/types.hpp"
#include "report.hpp"

namespace pnc::selfcheck {

void check_golden_vectors(Report& report, const nlohmann::json& vectors);
void check_profile(Report& report, Profile profile);

}  // namespace pnc::selfcheck
