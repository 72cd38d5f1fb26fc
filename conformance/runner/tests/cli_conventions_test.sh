#!/bin/sh
# pnc-conformance's command-line conventions (issue 15, clig.dev): one named check per ctest.
# Each check asserts the exit status and a message substring.
# usage: cli_conventions_test.sh RUNNER SHIM WORKDIR CHECK
set -u
runner=$1 shim=$2 work=$3/$4 check=$4
fail() { echo "FAIL [$check]: $*" >&2; exit 1; }
# expect STATUS SUBSTRING CMD...: runs CMD, asserts its exit status and that stdout+stderr contain SUBSTRING.
expect() {
  want=$1 text=$2
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  [ "$rc" -eq "$want" ] || fail "exit $rc, want $want: $*
$out"
  case $out in *"$text"*) ;; *) fail "output lacks \"$text\": $*
$out" ;; esac
}
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
quick="run --target shim --cmd $shim --filter V1*"

case $check in
version)
  expect 0 "pnc-conformance 0.1.0 (commit " "$runner" --version ;;
usage_errors)
  expect 2 "--bogus" "$runner" run --bogus
  expect 2 "nope" "$runner" run --profile nope
  expect 2 "--timeout-ms" "$runner" run --timeout-ms 1
  expect 2 "subcommand" "$runner"
  expect 2 "--pubkey" "$runner" verify-report somewhere ;;
sut_unknown_member)
  printf '{"name": "x", "sealed_seed": "%s"}\n' 0000000000000000000000000000000000000000000000000000000000000000 > sut.json
  expect 2 'unknown member "sealed_seed" (did you mean "sealed_key_seed"?)' "$runner" $quick --sut sut.json
  printf '{"endpoints": {"weight": false}}\n' > nested.json
  expect 2 'SUT description, endpoints: unknown member "weight" (did you mean "weights"?)' "$runner" $quick --sut nested.json
  printf '{"$comment": "allowed", "name": "x"}\n' > comment.json
  expect 0 "RESULT: PASS" "$runner" $quick --sut comment.json ;;
expectations_unknown_member)
  printf '{"expected_failure": {"N-HS-01": "typo"}}\n' > exp.json
  expect 2 'unknown member "expected_failure" (did you mean "expected_failures"?)' "$runner" $quick --expectations exp.json ;;
expectations_glob_warning)
  printf '{"expected_failures": {"NOPE-*": "matches nothing", "V1*": "matches"}}\n' > exp.json
  expect 0 'warning: expectations glob "NOPE-*" matches no case of the shim target' "$runner" $quick --expectations exp.json
  case $out in *'"V1*" matches no case'*) fail "a matching glob was reported: $out" ;; esac ;;
url_with_cmd)
  expect 2 "--url excludes --cmd" "$runner" run --target challenge --url ws://127.0.0.1:1 --cmd "$shim" ;;
report_dir_checked)
  : > not-a-dir
  # Refused before the shim starts: no shim.log appears, and the run takes no time.
  expect 2 "--report-dir not-a-dir/sub: cannot create it" "$runner" $quick --report-dir not-a-dir/sub
  [ ! -e not-a-dir/sub/shim.log ] || fail "the run started"
  expect 2 "--report-dir /proc/pnc-no-such-dir: cannot create it" "$runner" $quick --report-dir /proc/pnc-no-such-dir ;;
no_color)
  # A terminal (script(1)) would get colour; NO_COLOR turns it off, --no-color too.
  expect 0 "CERTIFICATE" script -qec "$runner $quick" /dev/null
  printf '%s' "$out" | grep -q "$(printf '\033')\[" || fail "no colour on a terminal: $out"
  expect 0 "CERTIFICATE" script -qec "NO_COLOR=1 $runner $quick" /dev/null
  printf '%s' "$out" | grep -q "$(printf '\033')\[3" && fail "colour despite NO_COLOR: $out"
  expect 0 "CERTIFICATE" script -qec "$runner $quick --no-color" /dev/null
  printf '%s' "$out" | grep -q "$(printf '\033')\[3" && fail "colour despite --no-color: $out"
  : ;;
quiet)
  "$runner" $quick -q > out.txt 2> err.txt || fail "quiet run exited $?"
  [ "$(wc -l < out.txt)" -eq 1 ] || fail "--quiet printed more than one line: $(cat out.txt)"
  grep -q "PASS" out.txt || fail "--quiet summary lacks the result: $(cat out.txt)"
  [ ! -s err.txt ] || fail "--quiet wrote to stderr: $(cat err.txt)" ;;
help)
  expect 0 "Examples:" "$runner" --help
  expect 0 "Exit status (run):" "$runner" --help
  expect 0 "130/143" "$runner" --help
  expect 0 "--sign-key" "$runner" run --help ;;
*)
  fail "unknown check" ;;
esac
echo "ok: $check"
