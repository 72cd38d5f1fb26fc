# Sourced by the campaign and property test scripts (they set $runner and $dir and define fail).

# The --cmd template that starts the bundled challenge peer with every key the runner makes, in
# mock TDX: `bundled_challenge_cmd PEER MUTANT` (none: the correct peer).
bundled_challenge_cmd() {
  echo "$1 --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx mock --admin --handshake-deadline-ms 30000" \
       "--session {signer_token}:{signer_public_b64} --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64}" \
       "--proxy-session {proxy_token} --miner-token-issuer {issuer_public_b64} --miner-token-iss {issuer} --challenge-id {audience}" \
       "--mutant $2"
}

# The same for the bundled validator peer (it connects to the runner's challenge at {ws_url}).
bundled_validator_cmd() {
  echo "$1 --listen 127.0.0.1:0 --profile {profile} --env {env_mode} --tdx mock --handshake-deadline-ms 30000" \
       "--connect {ws_url} --script db_version,job --reply-timeout-ms 5000 --expected-compose-hash {compose_hash}" \
       "--mutant $2"
}

# `check EXPECTED_EXIT PATTERN ARGS...`: `pnc-conformance properties ARGS` exits so and prints
# PATTERN (output in $dir/u.out).
check() {
  want=$1 pattern=$2
  shift 2
  "$runner" properties "$@" >"$dir/u.out" 2>&1
  rc=$?
  [ $rc -eq "$want" ] || { cat "$dir/u.out"; fail "properties $*: exit $rc, expected $want"; }
  grep -q -- "$pattern" "$dir/u.out" || { cat "$dir/u.out"; fail "properties $*: output lacks '$pattern'"; }
}

# `rerun_reproduce FINDING`: runs the finding file's printed reproduce command; its exit in $rc,
# its output in $dir/again.out.
rerun_reproduce() {
  again=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reproduce"])' "$1")
  eval "set -- ${again#pnc-conformance }"
  "$runner" "$@" >"$dir/again.out" 2>&1
  rc=$?
}

# `junit_failures FILE N`: a JUnit file whose suite has exactly N failures (and N >= 1 testcases
# or a single passing one).
junit_failures() {
  python3 - "$1" "$2" <<'PY' || fail "$1: not a JUnit file with $2 failures"
import sys, xml.etree.ElementTree as E
suite = E.parse(sys.argv[1]).getroot()[0]
assert suite.get("failures") == sys.argv[2] and int(suite.get("tests")) >= 1, suite.attrib
PY
}
