#!/bin/sh
# SIGINT / SIGTERM during a pnc-bench run (issue 15, DEC-81): the load stops, the results so far
# are printed and written to --report-dir, and the exit status is 128 + signal (130 / 143), long
# before the 60 s --duration. The target is the bundled pnc-ref-challenge on a loopback port.
# usage: interrupt_test.sh PNC_BENCH PNC_REF_CHALLENGE WORKDIR
set -u
bench=$1 peer=$2 work=$3
. "$(dirname "$0")/peer_lib.sh"
rm -rf "$work" && mkdir -p "$work" || exit 1
"$peer" --listen 127.0.0.1:0 --tdx mock > "$work/peer.log" 2>&1 &
peer_pid=$!
trap 'kill "$peer_pid" 2>/dev/null; wait "$peer_pid" 2>/dev/null' EXIT
port=$(port_of "$work/peer.log") || fail "the challenge did not start: $(cat "$work/peer.log")"

for sig in INT TERM; do
  want=130; [ "$sig" = TERM ] && want=143
  out="$work/$sig"
  start=$(date +%s)
  "$bench" --url "ws://127.0.0.1:$port" --connections 2 --duration 60 --quiet --report-dir "$out" \
    > "$out.stdout" 2> "$out.stderr" &
  pid=$!
  sleep 1.5
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  [ "$rc" -eq "$want" ] || fail "SIG$sig: exit $rc, want $want: $(cat "$out.stderr")"
  [ "$elapsed" -lt 20 ] || fail "SIG$sig: took $elapsed s to stop"
  grep -q "SIG$sig: stopping the load" "$out.stderr" || fail "SIG$sig: no message on stderr: $(cat "$out.stderr")"
  grep -q "^pnc-bench ws " "$out.stdout" || fail "SIG$sig: no results table: $(cat "$out.stdout")"
  [ -s "$out/bench.json" ] || fail "SIG$sig: no bench.json written"
  echo "ok: SIG$sig: exit $rc after ${elapsed}s, results printed and written"
done
