#!/bin/sh
# Properties against a shim (pnc-conformance properties, docs/campaigns.md), small budgets:
#   correct PROFILE RUNS             the reference shim: exit 0, every property PASS, report files
#                                    headed NO FINDINGS (FINDINGS for a mutant)
#   mutant NAME PROFILE PROP RUNS    `pnc-ref-shim --mutant NAME`: exit 1, exactly PROP fails (the
#                                    property naming the mutant's mechanism), a finding file with the
#                                    shrunk calls, and its reproduce command fails again (exit 1)
#                                    while the same command against the correct shim passes
#   usage                            misuse exits 2 naming the error; --help shows examples
# usage: properties_test.sh RUNNER SHIM DIR MODE ARGS...
set -u
runner=$1 shim=$2 dir=$3 mode=$4
shift 4
rm -rf "$dir" && mkdir -p "$dir"
what="$mode $*"
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/campaign_test_lib.sh"
case $mode in
  correct)
    profile=$1 runs=$2
    "$runner" properties --cmd "$shim" --profile "$profile" --runs "$runs" --findings-dir "$dir/findings" --report-dir "$dir/report" \
      >"$dir/out" 2>"$dir/err"
    rc=$?
    cat "$dir/out"
    [ $rc -eq 0 ] || { tail -5 "$dir/err"; fail "the correct shim ($profile) gave exit $rc, expected 0"; }
    grep -q " 0 failed, 0 skipped, 0 inconclusive" "$dir/out" || fail "summary does not say 0 failed, 0 skipped, 0 inconclusive"
    [ "$(grep -c '^PASS ' "$dir/out")" -ge 22 ] || fail "fewer than 22 properties passed"
    [ -z "$(ls "$dir/findings"/property-*.json 2>/dev/null)" ] || fail "finding files written for the correct shim"
    campaign_report "$dir/report" properties "NO FINDINGS"
    ;;
  mutant)
    name=$1 profile=$2 prop=$3 runs=$4
    "$runner" properties --cmd "$shim --mutant $name" --profile "$profile" --runs "$runs" --findings-dir "$dir/findings" \
      --report-dir "$dir/report" >"$dir/out" 2>"$dir/err"
    rc=$?
    cat "$dir/out"
    [ $rc -eq 1 ] || { tail -5 "$dir/err"; fail "mutant $name ($profile): exit $rc, expected 1"; }
    failed=$(grep '^FAIL ' "$dir/out" | awk '{print $2}' | tr '\n' ' ')
    [ "$failed" = "$prop " ] || fail "mutant $name: failed properties '$failed', expected exactly '$prop'"
    campaign_report "$dir/report" properties FINDINGS
    file="$dir/findings/property-$(echo "$prop" | tr -c 'A-Za-z0-9\n-' '_').json"
    python3 - "$file" "$prop" <<'PY' || fail "finding file $file is not a property finding of $prop"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "pnc-property-finding/1" and d["property"] == sys.argv[2], d
assert d["calls"] and all(c["sut"] != c["reference"] for c in d["calls"][-1:]) or "accepted" in d["failure"], d
assert d["reproduce"].startswith("pnc-conformance properties "), d
PY
    # The printed reproduce command runs the shrunk failure again: still failing against the
    # mutant, passing against the correct shim.
    rerun_reproduce "$file"
    [ $rc -eq 1 ] || { cat "$dir/again.out"; fail "reproduce command against mutant $name: exit $rc, expected 1"; }
    "$runner" properties --cmd "$shim" --profile "$profile" --runs "$runs" --properties "$prop" >"$dir/correct.out" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { cat "$dir/correct.out"; fail "$prop against the correct shim: exit $rc, expected 0"; }
    ;;
  usage)
    check 0 "Examples:" --help
    check 0 "P-ENV.bit-flip" --help
    check 2 "cmd" --profile seed-spec
    check 2 "property or family \"P-NOPE\"" --cmd "$shim" --properties P-NOPE
    check 2 "profile" --cmd "$shim" --profile strict
    check 2 "report-dir /proc/pnc-no-such-dir" --cmd "$shim" --report-dir /proc/pnc-no-such-dir  # checked before the run
    check 2 "the shim did not start" --cmd /nonexistent/shim --startup-timeout-ms 2000
    check 0 "PASS P-ENV.seal-open" --cmd "$shim" --properties P-ENV --runs 5
    # A shim that hangs or dies fails the property (shim-failed), in bounded time, and the run goes on.
    here=$(cd "$(dirname "$0")" && pwd)
    check 1 "FAIL P-KX.x25519 .*shim-failed" --cmd "python3 $here/misbehaving_shim.py hang" --properties P-KX --timeout-ms 300
    grep -q "^FAIL P-KX.hkdf" "$dir/u.out" || { cat "$dir/u.out"; fail "the run stopped after the first failed property"; }
    check 1 "shim-failed" --cmd "python3 $here/misbehaving_shim.py crash-second" --properties P-B64 --timeout-ms 1000
    check 1 "shim-failed" --cmd "python3 $here/misbehaving_shim.py garbage" --properties P-SEAL --timeout-ms 1000
    ;;
  *) fail "unknown mode $mode" ;;
esac
echo "ok: $what"
