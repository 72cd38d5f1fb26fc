#!/bin/sh
# A --cmd challenge SUT that exits at once (issue 15): reported as the named precondition failure
# setup.sut_exited without waiting out the 20 s startup allowance with its exit status, exit 2, and the SUT log it names
# still exists afterwards, holding the SUT's output. Both with --report-dir (sut.log) and without
# (a temporary log the runner keeps).
# usage: sut_exits_at_once_test.sh RUNNER WORKDIR
set -u
runner=$1 work=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
now_ms() { date +%s%3N; }

check() {  # check LABEL WANT_EXIT_TEXT CMD_TEMPLATE [runner args...]
  label=$1 want=$2 cmd=$3
  shift 3
  t0=$(now_ms)
  "$runner" run --target challenge --cmd "$cmd" --startup-timeout-ms 20000 "$@" > "$work/$label.out" 2> "$work/$label.err"
  rc=$?
  elapsed=$(( $(now_ms) - t0 ))
  err=$(cat "$work/$label.err")
  [ "$rc" -eq 2 ] || fail "$label: exit $rc, want 2: $err"
  # 20 s of startup allowance, yet the answer comes before it: the runner noticed the exit rather
  # than timing out. The bound is half the allowance, not a speed goal (ASan builds are slow).
  [ "$elapsed" -lt 10000 ] || fail "$label: took $elapsed ms (want < 10000 ms, half the startup allowance): $err"
  case $err in *"[setup.sut_exited]"*) ;; *) fail "$label: not the named precondition failure setup.sut_exited: $err" ;; esac
  case $err in *"precondition failed: the SUT $want"*) ;; *) fail "$label: lacks 'the SUT $want': $err" ;; esac
  log=$(printf '%s\n' "$err" | sed -n 's/.*log kept: \([^;)]*\).*/\1/p' | head -n 1)
  [ -n "$log" ] || fail "$label: names no log: $err"
  [ -s "$log" ] || fail "$label: the log $log named in the error does not exist (or is empty)"
  echo "ok: $label: exit 2 in $elapsed ms; $log kept"
}

# A program that does not exist (sh reports "not found", status 127).
check missing "exited with status 127 (command not found)" "pnc-no-such-sdk-binary --port {port}" --report-dir "$work/report"
[ "$log" = "$work/report/sut.log" ] || fail "with --report-dir the log is $log, want $work/report/sut.log"
grep -q "pnc-no-such-sdk-binary" "$log" || fail "sut.log lacks the shell's message: $(cat "$log")"
# A SUT that prints a reason and exits 3; no --report-dir: the temporary log is kept and named.
check exits3 "exited with status 3" "sh -c 'echo cannot bind {host}:{port}: config missing; exit 3'"
grep -q "config missing" "$log" || fail "the kept log lacks the SUT's output: $(cat "$log")"
case $(cat "$work/exits3.err") in *"last line: cannot bind"*) ;; *) fail "the error does not quote the SUT's last line" ;; esac
rm -f "$log"
# A SUT that must print "listening on" (no {port}) and exits first: the same named failure.
check nolisten "exited with status 4" "sh -c 'echo starting; exit 4'"
rm -f "$log"
