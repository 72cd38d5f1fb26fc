// The network catalogues by spec section: one function per section (or per group of cases that
// share a driver), declared here file by file. challenge_cases() (challenge_cases.cpp) and
// validator_cases() (validator_cases.cpp) append them in catalogue order, the order reports list
// the cases in.
#pragma once

#include <vector>

#include "core/case.hpp"

namespace pnc::conf {

// ---- target "challenge", WebSocket: challenge_handshake_cases.cpp
std::vector<Case> valid_handshake_cases();     // HS-OK.*, HS-QUOTE (§3.5-§3.7)
std::vector<Case> first_frame_cases();         // N-HS-01..07 (§3.5 S1-S2, §12.4)
std::vector<Case> begin_quote_cases();         // N-HS-08..17, N-Q-*.ws (§3.5 S3, §3.7, §12.9)
std::vector<Case> begin_encoding_cases();      // N-HS-28, N-ENC-* of attestation_begin (§10, §12.1)
std::vector<Case> low_order_key_cases();       // N-X-01.* (§12.2)
std::vector<Case> attestation_ok_cases();      // N-HS-18..21, N-ENC-* of attestation_ok (§3.5 S6)
std::vector<Case> handshake_deadline_cases();  // N-HS-23.* (§3.5 S0, §3.9)
// ---- target "challenge", WebSocket after the handshake: challenge_envelope_cases.cpp
std::vector<Case> freshness_cases();           // FRESH.* (§0.4, §4, §5.1)
std::vector<Case> encrypted_phase_cases();     // ENV-OK.*, N-ENV-*, N-HS-22 (§5.3, §12.5)
std::vector<Case> transport_cases();           // T-BINARY.*, T-OVERSIZE.* (§3.1, §10)
// ---- target "challenge", HTTP: challenge_{signed_http,credential,body,identity}_cases.cpp
std::vector<Case> signed_request_cases();      // SIG-OK, N-SIG-* (§6.4, §12.6)
std::vector<Case> credential_cases();          // CRED-OK, N-CRED-01..09, N-X-05.* (§8.1, §12.8)
std::vector<Case> malformed_body_cases();      // N-BODY-01.* (§6.8)
std::vector<Case> credential_refusal_cases();  // N-CRED-07.dsn-*, N-CRED-13.* (§8.1)
std::vector<Case> identity_cases();            // N-TOK-*, TOK-OK.*, D-37 (§7.4, §12.7)

// ---- target "validator", WebSocket: validator_ws_cases.cpp
std::vector<Case> client_handshake_cases();    // VHS-OK, N-X-02.*, N-HS-24..26 (§3.6, §12.2)
std::vector<Case> client_quote_cases();        // N-HS-09/10/13/17.client, N-Q-11.client, N-HS-27 (§3.6 C4, §3.7)
std::vector<Case> client_deadline_cases();     // N-HS-23.client (§3.5 S0, §3.9)
std::vector<Case> client_envelope_cases();     // N-ENV-*.client, T-BINARY.client (§5.3, §3.1)
// ---- target "validator", HTTP: validator_http_cases.cpp
std::vector<Case> bootstrap_cases();           // BOOT-OK, N-BOOT-01..06, N-X-03.* (§2.5, §12.10)
std::vector<Case> refused_attest_cases();      // N-BOOT-08.*, N-BODY-02.attest.* (§2.5, §6.8)
std::vector<Case> signed_results_cases();      // SIG-OK/N-SIG-*.validator, N-BODY-03.results-submit.* (§6.4, §6.8)

}  // namespace pnc::conf
