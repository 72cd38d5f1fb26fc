#!/bin/sh
# pnc-bench compare (issue 16): two bundled pnc-ref-challenge processes on loopback ports, B
# slowed by --reply-delay-ms; two rounds of a few connections each. Checks the structure of the
# output (the table's rows and columns, compare.json's figures with both sides and the ratio,
# the server CPU of both from --pid-a/--pid-b), never the timings.
# usage: compare_test.sh PNC_BENCH PNC_REF_CHALLENGE WORKDIR
set -u
bench=$1 peer=$2 work=$3
. "$(dirname "$0")/peer_lib.sh"
rm -rf "$work" && mkdir -p "$work" || exit 1
"$peer" --listen 127.0.0.1:0 --tdx mock > "$work/a.log" 2>&1 &
pid_a=$!
"$peer" --listen 127.0.0.1:0 --tdx mock --reply-delay-ms 2 > "$work/b.log" 2>&1 &
pid_b=$!
trap 'kill "$pid_a" "$pid_b" 2>/dev/null; wait "$pid_a" "$pid_b" 2>/dev/null' EXIT
port_a=$(port_of "$work/a.log") || fail "challenge A did not start: $(cat "$work/a.log")"
port_b=$(port_of "$work/b.log") || fail "challenge B did not start: $(cat "$work/b.log")"

"$bench" compare --a "ws://127.0.0.1:$port_a" --b "ws://127.0.0.1:$port_b" --label-a plain --label-b slowed \
  --pid-a "$pid_a" --pid-b "$pid_b" --rounds 2 --round-count 6 -c 2 --quiet --report-dir "$work/out" \
  > "$work/stdout" 2> "$work/stderr"
rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc: $(cat "$work/stderr") $(cat "$work/stdout")"
out="$work/stdout"
grep -q "^pnc-bench compare  A = plain (ws://127.0.0.1:$port_a/sdk/ws)  B = slowed" "$out" || fail "no header: $(cat "$out")"
grep -q "2 rounds per target" "$out" || fail "round count not reported: $(cat "$out")"
grep -q "^figure .*A median \[min-max\] .*B median \[min-max\] .*B/A median \[min-max\]" "$out" || fail "no column header"
for fig in handshakes_per_s round_trips_per_s handshake_p50_ms handshake_p99_ms round_trip_p50_ms \
           server_cpu_ms_per_conn client_cpu_ms_per_conn errors; do
  grep -q "^$fig " "$out" || fail "no row $fig: $(cat "$out")"
done
# Every rate row carries three "median [min-max]" cells (A, B and the ratio).
n=$(grep -E "^handshakes_per_s +[0-9.]+ \[[0-9.]+-[0-9.]+\] +[0-9.]+ \[[0-9.]+-[0-9.]+\] +[0-9.]+ \[[0-9.]+-[0-9.]+\]" "$out" | wc -l)
[ "$n" -eq 1 ] || fail "handshakes_per_s row is not A, B, B/A with spreads: $(grep '^handshakes_per_s' "$out")"
grep -q "^errors: A 0, B 0" "$out" || fail "errors: $(cat "$out")"
[ -s "$work/out/compare.html" ] || fail "no compare.html"
python3 - "$work/out/compare.json" <<'PY' || fail "compare.json structure"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["a"]["label"] == "plain" and j["b"]["label"] == "slowed", j["a"]
assert j["load"]["rounds"] == 2 and j["load"]["order"] == "ABBA", j["load"]
names = [f["name"] for f in j["figures"]]
assert "handshakes_per_s" in names and "server_cpu_ms_per_conn" in names, names
for f in j["figures"]:
    assert len(f["rounds_a"]) == 2 and len(f["rounds_b"]) == 2, f
    # /proc CPU times tick at 10 ms: with a tiny budget a CPU figure may be 0 (no ratio then).
    sides = ("a", "b", "ratio_b_over_a") if f["name"] == "handshakes_per_s" else ("a", "b")
    if f["name"] in ("handshakes_per_s", "server_cpu_ms_per_conn", "client_cpu_ms_per_conn"):
        for side in sides:
            s = f[side]
            assert s is not None and s["n"] == 2 and s["min"] <= s["median"] <= s["max"], (f["name"], side, s)
PY
echo "ok: compare table and compare.json well formed"
