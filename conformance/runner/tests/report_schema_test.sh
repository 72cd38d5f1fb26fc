#!/bin/sh
# report.json against docs/report.schema.json: a filtered shim run with a SUT description and a
# waiver (PARTIAL headline, every input recorded), plus any report.json given (the full shim runs).
# usage: report_schema_test.sh RUNNER SHIM SCHEMA WORKDIR [REPORT.json...]
set -eu
runner=$1 shim=$2 schema=$3 work=$4
shift 4
here=$(dirname "$0")
rm -rf "$work"
mkdir -p "$work"
printf '{"name": "reference shim", "attestation_mode": "signed-mock"}\n' > "$work/sut.json"
printf '{"expected_failures": {"V9*": "example waiver, matches passing cases only"}}\n' > "$work/expectations.json"
"$runner" run --target shim --cmd "$shim" --filter 'V*' --sut "$work/sut.json" \
  --expectations "$work/expectations.json" --report-dir "$work/filtered" --quiet
python3 "$here/validate_report.py" "$schema" "$work/filtered/report.json" "$@"
report=$work/filtered/report.json
python3 - "$report" "$work/sut.json" <<'PY'
import hashlib, json, sys
report = json.load(open(sys.argv[1]))
sut_sha = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert report["headline"]["verdict"] == "PARTIAL", report["headline"]
assert any("--filter 'V*'" in r for r in report["headline"]["reasons"]), report["headline"]
assert report["attestation_mode"] == "signed-mock"
assert report["inputs"]["sut_file"] == {"name": "sut.json", "sha256": sut_sha}, report["inputs"]["sut_file"]
assert report["inputs"]["waivers"][0]["glob"] == "V9*"
assert report["inputs"]["waivers"][0]["cases"] == []  # the V9 cases PASS: nothing was waived
print("filtered report: PARTIAL, inputs recorded")
PY
