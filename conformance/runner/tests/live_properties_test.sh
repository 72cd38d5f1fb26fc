#!/bin/sh
# Properties over live sessions with a bundled peer (pnc-conformance properties --target
# challenge|validator, docs/campaigns.md), small budgets:
#   correct PROFILE RUNS                  the correct peer: exit 0, every property PASS
#   mutant NAME PROFILE RUNS PROP...      the peer's `--mutant NAME`: exit 1, exactly the
#                                         properties PROP... fail, each with a finding file whose
#                                         frames show the difference; its reproduce command fails
#                                         again against the mutant
#   usage                                 misuse exits 2 naming the error; an SUT whose handshake
#                                         cannot complete blocks the properties (exit 2, BLOCKED);
#                                         challenge: without a trusted signer the P-SIG ones are SKIPPED
# usage: live_properties_test.sh RUNNER PEER TARGET DIR MODE ARGS...
set -u
runner=$1 peer=$2 target=$3 dir=$4 mode=$5
shift 5
rm -rf "$dir" && mkdir -p "$dir"
what="$target $mode $*"
. "$(dirname "$0")/campaign_test_lib.sh"
fail() { echo "FAIL: $*"; exit 1; }
props() { "$runner" properties --target "$target" "$@"; }
# The bundled peer of the target, correct (none) or a mutant.
peer_cmd() {
  if [ "$target" = validator ]; then bundled_validator_cmd "$peer" "$1"; else bundled_challenge_cmd "$peer" "$1"; fi
}
if [ "$target" = validator ]; then all_props=6; else all_props=11; fi
# A correct SUT answers at once: a long wait only matters to a machine under load. A validator
# that drops a frame (sdk-compat) costs one wait per frame: shorter there.
correct_timeout() {
  case "$target:$1" in
    validator:sdk-compat) echo 500 ;;
    validator:*) echo 1000 ;;
    *) echo 3000 ;;
  esac
}
case $mode in
  correct)
    profile=$1 runs=$2
    props --cmd "$(peer_cmd none)" --profile "$profile" --runs "$runs" --findings-dir "$dir/findings" \
      --timeout-ms "$(correct_timeout "$profile")" --junit "$dir/junit.xml" >"$dir/out" 2>"$dir/err"
    rc=$?
    cat "$dir/out"
    [ $rc -eq 0 ] || { tail -5 "$dir/err"; fail "the correct peer ($profile) gave exit $rc, expected 0"; }
    grep -q " 0 failed, 0 skipped, 0 inconclusive" "$dir/out" || fail "summary does not say 0 failed, 0 skipped, 0 inconclusive"
    [ "$(grep -c "^PASS " "$dir/out")" -ge $all_props ] || fail "fewer than $all_props properties passed"
    [ -z "$(ls "$dir/findings"/property-*.json 2>/dev/null)" ] || fail "finding files written for the correct peer"
    python3 - "$dir/junit.xml" $all_props <<'PY' || fail "junit.xml does not list every property as passed"
import sys, xml.etree.ElementTree as E
suite = E.parse(sys.argv[1]).getroot()[0]
assert int(suite.get("tests")) >= int(sys.argv[2]) and suite.get("failures") == "0" and suite.get("errors") == "0", suite.attrib
PY
    ;;
  mutant)
    name=$1 profile=$2 runs=$3
    shift 3
    want=$(echo "$@" | tr ' ' '\n' | sort | tr '\n' ' ')
    # A mutant that stays silent where the reference answers costs one wait per shrinking step.
    props --cmd "$(peer_cmd "$name")" --profile "$profile" --runs "$runs" --findings-dir "$dir/findings" \
      --timeout-ms 1000 --junit "$dir/junit.xml" >"$dir/out" 2>"$dir/err"
    rc=$?
    cat "$dir/out"
    [ $rc -eq 1 ] || { tail -5 "$dir/err"; fail "mutant $name ($profile): exit $rc, expected 1"; }
    failed=$(grep '^FAIL ' "$dir/out" | awk '{print $2}' | sort | tr '\n' ' ')
    [ "$failed" = "$want" ] || fail "mutant $name: failed properties '$failed', expected exactly '$want'"
    for prop in "$@"; do
      file="$dir/findings/property-$(echo "$prop" | tr -c 'A-Za-z0-9\n-' '_').json"
      python3 - "$file" "$prop" "$target" <<'PY' || fail "finding file $file is not a live property finding of $prop"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "pnc-property-finding/1" and d["property"] == sys.argv[2] and d["target"] == sys.argv[3], d
last = d["calls"][-1]
assert last["sut"] != last["reference"] or "generator defect" not in d["failure"], d
assert d["reproduce"].startswith("pnc-conformance properties --target " + sys.argv[3] + " "), d
# The session token is a credential: a finding file shows where a tampered one differs, never it.
tokens = [v for c in d["calls"] for n, v in (c["args"].get("headers") or []) if n.lower() == "x-session-token"]
assert all(v.startswith("<") and v.endswith(">") for v in tokens), tokens
PY
    done
    python3 - "$dir/junit.xml" "$@" <<'PY' || fail "junit.xml does not list exactly the failed properties"
import sys, xml.etree.ElementTree as E
cases = E.parse(sys.argv[1]).getroot()[0].iter("testcase")
failed = sorted(c.get("name").split(" ")[0] for c in cases if c.find("failure") is not None)
assert failed == sorted(sys.argv[2:]), failed
PY
    # The first failing property's reproduce command runs the shrunk failure again.
    first=$(echo "$want" | awk '{print $1}')
    file="$dir/findings/property-$(echo "$first" | tr -c 'A-Za-z0-9\n-' '_').json"
    rerun_reproduce "$file"
    [ $rc -eq 1 ] || { cat "$dir/again.out"; fail "reproduce command against mutant $name: exit $rc, expected 1"; }
    ;;
  usage)
    if [ "$target" = validator ]; then
      check 0 "P-SESSION.validator-sequence" --help
      check 2 "needs --cmd" --target validator --runs 1
      check 2 "it has no --url" --target validator --url ws://127.0.0.1:9 --runs 1
      check 2 "unknown validator property or family \"P-SIG\"" --target validator --cmd /bin/true --properties P-SIG
      # A validator that never connects: a setup error, named, at once.
      check 2 "setup.sut" --target validator --cmd /bin/true --runs 1 --timeout-ms 300 --startup-timeout-ms 1000
      # A hardened validator refuses the seed-spec challenge's response: the envelope properties
      # are BLOCKED (their precondition), the response property FAILS (its subject).
      hardened=$(peer_cmd none | sed 's/{profile}/hardened/')
      check 2 "BLOCKED P-ENV.validator-bit-flip: precondition failed" --target validator --cmd "$hardened" --profile seed-spec \
        --runs 3 --properties P-ENV.validator-bit-flip --timeout-ms 500
      echo "ok: $what"
      exit 0
    fi
    check 0 "P-SESSION.sequence" --help
    check 2 "needs --url" --target challenge --runs 1
    check 2 "for --target challenge" --cmd /bin/true --sut "$dir/my-sut.json"
    check 2 "unknown challenge property or family \"P-TOK\"" --target challenge --url ws://127.0.0.1:9 --properties P-TOK
    check 2 "" --target challenge --url ws://127.0.0.1:9 --cmd x
    # Nothing listens on port 9: the SUT cannot be reached (a setup error, named).
    check 2 "setup.unreachable" --target challenge --url ws://127.0.0.1:9 --runs 1 --timeout-ms 300 --startup-timeout-ms 1000
    # A SUT whose handshake cannot complete (a hardened peer refuses a seed-spec attestation_begin):
    # the properties are BLOCKED, not FAILED.
    hardened=$(bundled_challenge_cmd "$peer" none | sed 's/{profile}/hardened/')
    check 2 "BLOCKED P-ENV.live-round-trip: precondition failed" --target challenge --cmd "$hardened" --profile seed-spec \
      --runs 3 --properties P-ENV.live-round-trip --timeout-ms 500
    check 0 "PASS P-ENV.live-replay" --target challenge --cmd "$(bundled_challenge_cmd "$peer" none)" --properties P-ENV.live-replay --runs 5
    # An SUT reached by --url without a description: the signed-HTTP properties are SKIPPED (no
    # trusted signer is known), the session properties run.
    "$peer" --listen 127.0.0.1:0 --tdx mock --profile seed-spec >"$dir/peer.out" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null' EXIT
    for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q listening "$dir/peer.out" && break; sleep 0.5; done
    addr=$(grep -oE '127\.0\.0\.1:[0-9]+' "$dir/peer.out" | head -1)
    check 0 "SKIPPED P-SIG.live-window: no signed-request identity" --target challenge --url "ws://$addr" --runs 5
    grep -q "^PASS P-SESSION.sequence" "$dir/u.out" || { cat "$dir/u.out"; fail "the session properties did not run"; }
    kill $pid
    ;;
  *) fail "unknown mode $mode" ;;
esac
echo "ok: $what"
