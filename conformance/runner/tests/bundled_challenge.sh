# Sourced by the campaign test scripts: the --cmd template that starts the bundled challenge peer
# with every key the runner makes, in mock TDX; `bundled_challenge_cmd PEER MUTANT` (none: correct).
bundled_challenge_cmd() {
  echo "$1 --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx mock --admin --handshake-deadline-ms 30000" \
       "--session {signer_token}:{signer_public_b64} --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64}" \
       "--proxy-session {proxy_token} --miner-token-issuer {issuer_public_b64} --miner-token-iss {issuer} --challenge-id {audience}" \
       "--mutant $2"
}
