#!/bin/sh
# Fuzz campaigns (docs/campaigns.md), small budgets, against the bundled challenge peer or, when
# PEER is pnc-ref-shim, against the reference shim (fuzz --target shim) or, when PEER is
# pnc-ref-validator, against the bundled validator (fuzz --target validator):
#   correct PROFILE RUNS        the correct peer / shim, two workers (--jobs 2): exit 0, no finding,
#                               report files headed NO FINDINGS (FINDINGS for a mutant)
#   mutant NAME PROFILE RUNS    a mutant: exit 1 within RUNS executions (the campaign stops at its
#                               first finding), a finding file whose replay against the same
#                               mutant fails again (exit 1) and, for the shim and the validator,
#                               passes (exit 0) against the correct one
#   malformed                   replay of a malformed finding file: exit 2 naming the error
#   help                        fuzz --help and replay --help show examples
#   shim-usage                  fuzz --target shim misuse: exit 2 naming the error
#   validator-usage             fuzz / replay --target validator misuse: exit 2 naming the error
# usage: campaign_test.sh RUNNER PEER DIR MODE ARGS...
set -u
runner=$1 peer=$2 dir=$3 mode=$4
shift 4
rm -rf "$dir" && mkdir -p "$dir"
target=challenge
case $(basename "$peer") in pnc-ref-shim*) target=shim ;; pnc-ref-validator*) target=validator ;; esac
. "$(dirname "$0")/campaign_test_lib.sh"
cmd() {
  if [ $target = shim ]; then echo "$peer --mutant $1"; return; fi
  if [ $target = validator ]; then bundled_validator_cmd "$peer" "$1"; return; fi
  bundled_challenge_cmd "$peer" "$1"
}
# A validator that drops a frame (sdk-compat) costs one wait per frame: shorter there.
timeout_ms() { if [ "$target:$1" = validator:sdk-compat ]; then echo 500; else echo 1000; fi; }
fail() { echo "FAIL: $*"; exit 1; }
case $mode in
  correct)
    profile=$1 runs=$2
    # Two workers, each with its own SUT process: together the same executions as one.
    "$runner" fuzz --target $target --cmd "$(cmd none)" --profile "$profile" --seed 11 --runs "$runs" --jobs 2 \
      --findings-dir "$dir/findings" --corpus-dir "$dir/corpus" --timeout-ms "$(timeout_ms "$profile")" --junit "$dir/junit.xml" \
      --report-dir "$dir/report" >"$dir/out" 2>"$dir/err"
    rc=$?
    cat "$dir/out"
    [ $rc -eq 0 ] || { tail -5 "$dir/err"; fail "the correct peer ($profile) gave exit $rc, expected 0"; }
    grep -q ", 0 findings" "$dir/out" || fail "summary does not say 0 findings"
    grep -q ": $runs execs in" "$dir/out" || fail "the two workers did not run $runs executions together"
    [ -z "$(ls "$dir/findings"/*.json 2>/dev/null)" ] || fail "finding files written for the correct peer"
    [ -n "$(ls "$dir/corpus")" ] || fail "the corpus did not grow"
    junit_failures "$dir/junit.xml" 0
    campaign_report "$dir/report" fuzz "NO FINDINGS" "$runs"
    ;;
  mutant)
    name=$1 profile=$2 runs=$3
    "$runner" fuzz --target $target --cmd "$(cmd "$name")" --profile "$profile" --seed 11 --runs "$runs" \
      --max-findings 1 --findings-dir "$dir/findings" --timeout-ms 1000 --junit "$dir/junit.xml" --report-dir "$dir/report" \
      >"$dir/out" 2>"$dir/err"
    rc=$?
    cat "$dir/out"
    [ $rc -eq 1 ] || { tail -5 "$dir/err"; fail "mutant $name ($profile): exit $rc, expected 1 (findings)"; }
    junit_failures "$dir/junit.xml" 1
    campaign_report "$dir/report" fuzz FINDINGS
    first=$(ls "$dir/findings"/*.json 2>/dev/null | head -1)
    [ -n "$first" ] || fail "no finding file written"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"]=="pnc-campaign-finding" and d["version"]==1 and d["input"]["scenario"], d' "$first" \
      || fail "finding file lacks format/version/input"
    "$runner" replay "$first" --cmd "$(cmd "$name")" --timeout-ms 1000 >"$dir/replay.out" 2>&1
    rc=$?
    cat "$dir/replay.out"
    [ $rc -eq 1 ] || fail "replay of $first against mutant $name: exit $rc, expected 1"
    if [ $target != challenge ]; then
      "$runner" replay "$first" --cmd "$(cmd none)" >"$dir/replay-correct.out" 2>&1
      rc=$?
      cat "$dir/replay-correct.out"
      [ $rc -eq 0 ] || fail "replay of $first against the correct $target: exit $rc, expected 0"
    fi
    ;;
  shim-usage)
    expect2() {  # expect2 CODE ARGS...: exit 2 and the error code named
      code=$1
      shift
      "$runner" "$@" >"$dir/out" 2>&1
      rc=$?
      [ $rc -eq 2 ] && grep -q "$code" "$dir/out" || fail "$*: exit $rc, expected 2 naming $code: $(cat "$dir/out")"
    }
    expect2 "needs --cmd" fuzz --target shim --runs 1
    expect2 "cli.shim_url" fuzz --target shim --url ws://127.0.0.1:9 --runs 1
    expect2 "vectors.missing" fuzz --target shim --cmd "$(cmd none)" --vectors-dir "$dir/nowhere" --runs 1
    expect2 "unknown operation" fuzz --target shim --cmd "$(cmd none)" --scenarios no_such_op --runs 1
    expect2 "setup.shim" fuzz --target shim --cmd "$dir/no-such-shim" --runs 1 --startup-timeout-ms 2000
    "$peer" --mutant melted </dev/null >"$dir/out" 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q "unknown mutant" "$dir/out" || fail "pnc-ref-shim --mutant melted: exit $rc"
    "$peer" --mutant weights-500 </dev/null >"$dir/out" 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q "no routes" "$dir/out" || fail "pnc-ref-shim --mutant weights-500: exit $rc"
    ;;
  validator-usage)
    expect2() {  # expect2 TEXT ARGS...: exit 2 and TEXT named
      text=$1
      shift
      "$runner" "$@" >"$dir/out" 2>&1
      rc=$?
      [ $rc -eq 2 ] && grep -q -- "$text" "$dir/out" || fail "$*: exit $rc, expected 2 naming $text: $(cat "$dir/out")"
    }
    expect2 "needs --cmd" fuzz --target validator --runs 1
    expect2 "it has no --url" fuzz --target validator --url ws://127.0.0.1:9 --runs 1
    expect2 "unknown scenario \"ws-session\"" fuzz --target validator --cmd "$(cmd none)" --scenarios ws-session --runs 1
    echo '{"format": "pnc-campaign-finding", "version": 1, "target": "validator", "profile": "seed-spec",
           "input": {"scenario": "validator-session", "mutations": []}}' >"$dir/f.json"
    expect2 "needs --cmd" replay "$dir/f.json" --url ws://127.0.0.1:9
    # A validator that never connects: a setup error, named, at once.
    expect2 "setup.sut" fuzz --target validator --cmd /bin/true --runs 2 --timeout-ms 300 --startup-timeout-ms 1000
    ;;
  malformed)
    echo '{"format": "pnc-campaign-finding", "version": 1, "target": "challenge", "profile": "seed-spec",
           "input": {"scenario": "ws-session", "mutations": [{"op": "melt", "step": 0}]}}' >"$dir/bad.json"
    "$runner" replay "$dir/bad.json" --cmd "$(cmd none)" >"$dir/out" 2>&1
    rc=$?
    cat "$dir/out"
    [ $rc -eq 2 ] || fail "malformed finding: exit $rc, expected 2"
    grep -q 'finding.bad_mutation' "$dir/out" || fail "the error is not named"
    echo 'not json' >"$dir/bad2.json"
    "$runner" replay "$dir/bad2.json" --url ws://127.0.0.1:9 >"$dir/out2" 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q 'finding.not_json' "$dir/out2" || fail "non-JSON finding: exit $rc, $(cat "$dir/out2")"
    "$runner" fuzz --url ws://127.0.0.1:9 --shard 4/4 >"$dir/out3" 2>&1
    rc=$?
    [ $rc -eq 2 ] && grep -q 'shard' "$dir/out3" || fail "bad --shard: exit $rc, $(cat "$dir/out3")"
    ;;
  help)
    "$runner" fuzz --help >"$dir/fuzz" 2>&1 || fail "fuzz --help exit $?"
    grep -q "Examples:" "$dir/fuzz" && grep -q -- "--findings-dir" "$dir/fuzz" && grep -q "ws-session" "$dir/fuzz" || fail "fuzz --help lacks examples"
    "$runner" replay --help >"$dir/replay" 2>&1 || fail "replay --help exit $?"
    grep -q "Example:" "$dir/replay" || fail "replay --help lacks an example"
    ;;
  *) fail "unknown mode $mode" ;;
esac
echo PASS
