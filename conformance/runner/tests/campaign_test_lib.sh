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

# `campaign_report DIR KIND WORD [EXECUTIONS]`: DIR (a campaign's --report-dir) holds report.json
# valid against docs/report.schema.json, of KIND, with headline WORD (and EXECUTIONS, if given),
# junit.xml and report.html (no certificate.html: a campaign certifies nothing).
campaign_report() {
  here=$(dirname "$0")
  python3 "$here/validate_report.py" "$here/../../../docs/report.schema.json" "$1/report.json" >/dev/null \
    || fail "$1/report.json does not validate against docs/report.schema.json"
  python3 - "$1/report.json" "$2" "$3" "${4:-}" <<'PY' || fail "$1/report.json: not a $2 report headed $3 ${4:-}"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == sys.argv[2] and d["headline"]["verdict"] == sys.argv[3], (d["kind"], d["headline"])
assert any("certifies nothing" in r for r in d["headline"]["reasons"]), d["headline"]
assert sys.argv[4] == "" or d["campaign"]["executions"] == int(sys.argv[4]), d["campaign"]
PY
  [ -s "$1/junit.xml" ] && [ -s "$1/report.html" ] && [ ! -e "$1/certificate.html" ] \
    || fail "$1: expected junit.xml and report.html (and no certificate.html)"
}
