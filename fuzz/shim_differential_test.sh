#!/bin/sh
# fuzz_shim_differential (fuzz_shim_differential.cc) over 1,500 fixed inputs (seeded bytes):
#   correct   against the reference shim: exit 0, no finding file
#   mutant    against `pnc-ref-shim --mutant cred-version-16-refused` (a bug no fixed case names):
#             an abort with a FINDING and a finding file whose `pnc-conformance replay` fails
#             against the mutant (exit 1) and passes against the reference shim (exit 0)
# usage: shim_differential_test.sh FUZZER SHIM RUNNER DIR MODE [LIBFUZZER-LINK-FLAG]
# (the last argument, present for libFuzzer binaries, makes the run a -runs=0 replay)
set -u
fuzzer=$1 shim=$2 runner=$3 dir=$4 mode=$5
libfuzzer=${6:-}
mutant="$shim --mutant cred-version-16-refused"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$dir" && mkdir -p "$dir/inputs" "$dir/findings"
python3 - "$dir/inputs" <<'PY'
import random, sys
r = random.Random(7)
for i in range(1500):
    with open(f"{sys.argv[1]}/input-{i:04d}", "wb") as f:
        f.write(bytes(r.randrange(256) for _ in range(r.randrange(1, 24))))
PY
run() {  # run SHIM-COMMAND: every input once, output in $dir/out, exit status in $rc
  if [ -n "$libfuzzer" ]; then set -- "$1" -runs=0; else set -- "$1"; fi
  cmd=$1
  shift
  PNC_SHIM_CMD=$cmd PNC_FINDINGS_DIR=$dir/findings "$fuzzer" "$@" "$dir/inputs" >"$dir/out" 2>&1
  rc=$?
}
case $mode in
  correct)
    run "$shim"
    [ $rc -eq 0 ] || { tail -20 "$dir/out"; fail "against the reference shim: exit $rc, expected 0"; }
    [ -z "$(ls "$dir/findings")" ] || fail "finding files written for the reference shim"
    ;;
  mutant)
    run "$mutant"
    [ $rc -ne 0 ] && grep -q "^FINDING " "$dir/out" || { tail -20 "$dir/out"; fail "the mutant shim: exit $rc without a FINDING"; }
    grep "^FINDING \|^  " "$dir/out" | head -8
    file=$(ls "$dir/findings"/finding-*.json 2>/dev/null | head -1)
    [ -n "$file" ] || fail "no finding file written"
    "$runner" replay "$file" --cmd "$mutant" >"$dir/replay.out" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "$dir/replay.out"; fail "replay against the mutant: exit $rc, expected 1"; }
    "$runner" replay "$file" --cmd "$shim" >"$dir/replay-correct.out" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { cat "$dir/replay-correct.out"; fail "replay against the reference shim: exit $rc, expected 0"; }
    ;;
  *) fail "unknown mode $mode" ;;
esac
echo PASS
