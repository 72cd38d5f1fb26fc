#!/bin/sh
# Renamed flags keep their old spelling (DEC-82): the old spelling still works, warns on stderr
# naming the new one, and cannot be combined with the new one (exit 2).
# usage: aliases_test.sh RUNNER SHIM SELFCHECK BENCH
set -u
runner=$1 shim=$2 selfcheck=$3 bench=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
quick="run --target shim --cmd $shim --filter V1* -q"

# expect STATUS TEXT CMD...: exit status and a substring of stdout + stderr.
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
expect 0 "warning: --deadline-ms is deprecated, use --handshake-deadline-ms" "$runner" $quick --deadline-ms 600
expect 2 "excludes" "$runner" $quick --deadline-ms 600 --handshake-deadline-ms 700
expect 2 "--handshake-deadline-ms" "$runner" $quick --deadline-ms 10
expect 0 "PASS" "$runner" $quick --handshake-deadline-ms 600
expect 2 "loopback only" "$runner" run --target validator --listen 192.0.2.1:5000
expect 2 "HOST:PORT" "$runner" run --target validator --listen 5000
expect 0 "warning: --failures-only is deprecated, use --quiet" "$selfcheck" --failures-only --profile seed-spec
expect 0 "passed" "$selfcheck" -q --profile seed-spec
expect 2 "bench.no_limit" "$bench" --env-mode dev --url ws://127.0.0.1:9
expect 2 "warning: --env-mode is deprecated, use --env" "$bench" --env-mode dev --url ws://127.0.0.1:9
expect 2 "excludes" "$bench" --json x.json --report-dir d --url ws://127.0.0.1:9 --count 1
echo "ok: deprecated spellings work, warn and exclude their replacements"
