#!/bin/sh
# Every conformance case covers a requirement of docs/PROTOCOL.md or is listed in requirements.json
# "cases_without_requirement" with a reason (DEC-84). Then the check itself can fail: with one
# listed entry removed, its cases are named; with an entry matching nothing, that is named.
# usage: every_case_traced_test.sh RUNNER REQUIREMENTS_JSON WORKDIR
set -u
runner=$1 requirements=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1

out=$("$runner" coverage --check --requirements "$requirements" 2>&1)
rc=$?
printf '%s\n' "$out" | grep 'untraced:' | head -n 40
[ "$rc" -eq 0 ] || fail "coverage --check exited $rc"
printf '%s\n' "$out" | grep -q '^every case traced: ' || fail "no 'every case traced' line"
printf '%s\n' "$out" | grep '^every case traced: '

# The check can fail: drop the first entry (its cases become untraced), add one matching nothing.
python3 - "$requirements" "$work/broken.json" <<'PY' > "$work/dropped" || exit 1
import json, sys
doc = json.load(open(sys.argv[1]))
entries = doc["cases_without_requirement"]
first = next(iter(entries))
del entries[first]
entries["NO-SUCH-CASE-*"] = "matches nothing"
json.dump(doc, open(sys.argv[2], "w"), indent=1)
print(first)
PY
dropped=$(cat "$work/dropped")
out=$("$runner" coverage --check --requirements "$work/broken.json" 2>&1)
rc=$?
[ "$rc" -eq 1 ] || fail "coverage --check with '$dropped' unlisted exited $rc, want 1"
printf '%s\n' "$out" | grep -q '^untraced: case .* covers no requirement and is not listed' ||
  fail "the cases of '$dropped' were not named as untraced"
printf '%s\n' "$out" | grep -q '"NO-SUCH-CASE-\*" matches no case' || fail "a dangling entry was not named"
echo "ok: every case traced; the check fails when '$dropped' is unlisted"
