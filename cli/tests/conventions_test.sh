#!/bin/sh
# The command-line conventions every installed binary follows (DEC-81, issue 15, clig.dev / GNU):
#   --help       exit 0, shows at least one example ("Examples:" and a line starting with the tool)
#   --version    exit 0, "<tool> <X.Y.Z> (commit <hex or unknown>...)" on stdout
#   unknown flag exit 2, a message on stderr naming the flag, nothing on stdout
# usage: conventions_test.sh BINARY
set -u
bin=$1
tool=$(basename "$bin")
fail() { echo "FAIL [$tool]: $*" >&2; exit 1; }
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

"$bin" --help > "$scratch/out" 2> "$scratch/err"
rc=$?
[ "$rc" -eq 0 ] || fail "--help exited $rc: $(cat "$scratch/err")"
grep -q '^Examples:' "$scratch/out" || fail "--help shows no 'Examples:' section"
grep -Eq "^ +$tool( |\$)" "$scratch/out" || fail "--help shows no example command line starting with $tool"

"$bin" --version > "$scratch/out" 2> "$scratch/err"
rc=$?
[ "$rc" -eq 0 ] || fail "--version exited $rc: $(cat "$scratch/err")"
grep -Eq "^$tool [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{40}(-dirty)?|unknown)[,)]" "$scratch/out" ||
  fail "--version printed '$(cat "$scratch/out")', want '$tool X.Y.Z (commit <40 hex>[-dirty]...)'"

"$bin" --no-such-flag-xyz > "$scratch/out" 2> "$scratch/err"
rc=$?
[ "$rc" -eq 2 ] || fail "an unknown flag exited $rc, want 2: $(cat "$scratch/err")"
grep -q -- '--no-such-flag-xyz' "$scratch/err" || fail "the usage error does not name the flag: '$(cat "$scratch/err")'"
[ ! -s "$scratch/out" ] || fail "a usage error wrote to stdout: '$(cat "$scratch/out")'"
echo "ok: $tool --help (with examples) 0, --version 0, unknown flag 2 with a message"
