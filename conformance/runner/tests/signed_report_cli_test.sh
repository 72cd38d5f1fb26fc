#!/bin/sh
# `run --sign-key` then `verify-report`: a valid signature exits 0, one changed byte of report.json
# exits 1, a usage error (bad --pubkey) exits 2. Key pair: RFC 8032 §7.1 TEST 1.
# usage: signed_report_cli_test.sh RUNNER SHIM WORKDIR
set -u
runner=$1 shim=$2 work=$3
seed=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
pub=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
echo "$seed" > "$work/key.hex"
"$runner" run --target shim --cmd "$shim" --filter 'V1*' --report-dir "$work/r" --sign-key "$work/key.hex" --quiet \
  || fail "signed run exited $?"
[ -f "$work/r/report.json.sig" ] || fail "no report.json.sig"
grep -q "\"public_key\": \"$pub\"" "$work/r/report.json" || fail "report.json does not name the signing key"
out=$("$runner" verify-report "$work/r" --pubkey "$pub" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "verify of an untouched report exited $rc: $out"
echo "$pub" > "$work/pub.hex"
"$runner" verify-report "$work/r" --pubkey "$work/pub.hex" >/dev/null 2>&1 || fail "verify with a key file failed"
# One byte changed: the first "PASS" becomes "PASs".
sed '0,/"PASS"/s//"PASs"/' "$work/r/report.json" > "$work/tampered" && cp "$work/tampered" "$work/r/report.json"
cmp -s "$work/tampered" "$work/r/report.json" || fail "could not tamper"
out=$("$runner" verify-report "$work/r" --pubkey "$pub" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "verify of a tampered report exited $rc (want 1): $out"
echo "$out" | grep -q "does not match its signature" || fail "no reason given: $out"
out=$("$runner" verify-report "$work/r" --pubkey nothex 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bad --pubkey exited $rc (want 2): $out"
echo "0123" > "$work/short.hex"
out=$("$runner" run --target shim --cmd "$shim" --filter 'V1*' --report-dir "$work/r2" --sign-key "$work/short.hex" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "a bad signing key exited $rc (want 2): $out"
echo "$out" | grep -q "64 hex characters" || fail "bad key message: $out"
echo "signed report round trip, tamper and usage checks passed"
