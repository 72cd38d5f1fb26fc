#!/usr/bin/env python3
"""ctest cases: mock DCAP collateral (pnc-mock-tdx collateral) verified by pnc-tdx verify.

Usage: collateral_cases.py MOCK_TDX PNC_TDX MOCK_ROOT_PEM WORK_DIR FAULT CHECK CODE STATUS
  FAULT  "" = the good collateral set
  CHECK  the check of pnc-tdx's JSON that must fail ("" = every check passes)
  CODE   the dcap.* error it must fail with, which is also the verdict ("" = verified, exit 0)
  STATUS the TCB status pnc-tdx must still report ("" = null)
The quote is the signed mock quote (pnc-mock-tdx quote --mode signed); the time is
2026-01-01T00:00:00Z, inside every window of the good set (mock-tdx/README.md).
"""
import json
import subprocess
import sys
from pathlib import Path

MOCK, PNC_TDX, ROOT, WORK = sys.argv[1:5]
# Each of the last four arguments carries a trailing "-" so that an empty value survives ctest.
FAULT, CHECK, CODE, STATUS = (a[:-1] for a in sys.argv[5:9])
WORK = Path(WORK)
WORK.mkdir(parents=True, exist_ok=True)
NONCE = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
AT = "2026-01-01T00:00:00Z"


def run(*args):
    return subprocess.run([*map(str, args)], capture_output=True, timeout=120)


def fail(what, r=None):
    print("FAIL:", what)
    if r is not None:
        print("stdout:", r.stdout.decode(errors="replace")[:4000])
        print("stderr:", r.stderr.decode(errors="replace")[:2000])
    sys.exit(1)


q = run(MOCK, "quote", "--nonce", NONCE, "--env", "prod", "--mode", "signed", "--format", "raw")
if q.returncode != 0:
    fail("pnc-mock-tdx quote", q)
(WORK / "quote.bin").write_bytes(q.stdout)

c = run(MOCK, "collateral", *(["--fault", FAULT] if FAULT else []))
if c.returncode != 0:
    fail("pnc-mock-tdx collateral", c)
(WORK / "collateral.json").write_bytes(c.stdout)
collateral = json.loads(c.stdout)
for member in ("pck_crl_issuer_chain", "root_ca_crl", "pck_crl", "tcb_info_issuer_chain", "tcb_info",
               "tcb_info_signature", "qe_identity_issuer_chain", "qe_identity", "qe_identity_signature"):
    if member not in collateral:
        fail(f"collateral lacks {member}", c)

v = run(PNC_TDX, "verify", WORK / "quote.bin", "--collateral", WORK / "collateral.json", "--root", ROOT, "--at", AT)
try:
    doc = json.loads(v.stdout)
except ValueError:
    fail("pnc-tdx verify printed no JSON", v)
checks = {ch["name"]: ch for ch in doc["checks"]}

if CODE == "":
    if v.returncode != 0 or not doc["verified"] or not all(ch["ok"] for ch in doc["checks"]):
        fail("expected the quote to verify", v)
    if doc["fmspc"] != "504e43000000":
        fail("FMSPC of the mock PCK leaf", v)
else:
    if v.returncode != 1 or doc["verified"]:
        fail(f"expected exit 1 (refused), got {v.returncode}", v)
    if doc.get("error") != CODE:
        fail(f"expected verdict {CODE}, got {doc.get('error')}", v)
    if CHECK not in checks or checks[CHECK].get("error") != CODE:
        fail(f"expected check {CHECK} to fail with {CODE}", v)
if (doc["status"] or "") != STATUS:
    fail(f"expected status {STATUS!r}, got {doc['status']!r}", v)
print(f"ok: fault={FAULT or '(none)'} verdict={doc.get('error', 'verified')} status={doc['status']}")
