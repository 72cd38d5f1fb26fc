#!/usr/bin/env python3
"""ctest cases for pnc-tdx against the real data of vectors/real-tdx (PROVENANCE.md).

Usage: cli_cases.py PNC_TDX REAL_TDX_DIR WORK_DIR CASE
Expected values come from the data: the sources' facts (dcap-qvl: UpToDate inside the collateral
window), the quotes' own fields read here with struct at Intel's documented offsets, and the exit
codes pnc-tdx --help documents (0 ok, 1 refused, 2 usage).
"""
import base64
import json
import subprocess
import sys
from pathlib import Path

BIN, DATA, WORK, CASE = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
WORK.mkdir(parents=True, exist_ok=True)
QUOTE = DATA / "dcap-qvl" / "tdx_quote"
COLLATERAL = DATA / "dcap-qvl" / "tdx_quote_collateral.json"
INSIDE = "2025-07-01T00:00:00Z"  # inside every window of the dcap-qvl collateral
AFTER = "1752920164"             # one second after the TCB info's nextUpdate 2025-07-19T10:16:03Z


def run(*args, stdin=None):
    r = subprocess.run([BIN, *map(str, args)], input=stdin, capture_output=True, timeout=60)
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")


def expect(cond, what, out="", err=""):
    if not cond:
        print(f"FAIL: {what}\nstdout: {out[:2000]}\nstderr: {err[:2000]}")
        sys.exit(1)


def rtmrs_of(quote: bytes):
    """RTMR0..3 at Intel's offsets: body at 48 (v4) or 54 (v5), RTMRs at body + 328 + 48*i."""
    body = 54 if quote[0] == 5 else 48
    return [quote[body + 328 + 48 * i: body + 376 + 48 * i].hex() for i in range(4)]


def write(name, data):
    p = WORK / name
    p.write_bytes(data)
    return p


def case_parse_real():
    # Every real quote, every profile, every field: vectors/real-tdx/independent_parse.py.
    r = subprocess.run([sys.executable, str(DATA / "independent_parse.py"), BIN, str(DATA), str(WORK)],
                       capture_output=True, text=True, timeout=300)
    expect(r.returncode == 0, "independent parse differs", r.stdout, r.stderr)


def case_parse_encodings():
    raw = QUOTE.read_bytes()
    want = raw[568:632].hex()  # REPORTDATA of a v4 quote
    for name, data in [("hex", raw.hex().encode()), ("hex0x", b"0x" + raw.hex().upper().encode() + b"\n"),
                       ("hexspaced", " ".join(raw.hex()[i:i + 64] for i in range(0, len(raw.hex()), 64)).encode()),
                       ("b64", base64.b64encode(raw) + b"\n")]:
        rc, out, err = run("parse", write(f"q.{name}", data))
        expect(rc == 0 and json.loads(out)["report_data"] == want, f"parse {name}", out, err)
    rc, out, err = run("parse", "-", stdin=base64.b64encode(raw))
    expect(rc == 0 and json.loads(out)["report_data"] == want, "parse stdin", out, err)
    doc = json.loads(out)
    expect(doc["trailing_size"] == len(raw) - 636 - int.from_bytes(raw[632:636], "little")
           and doc["trailing_all_zero"], "padding length", out)


def case_verify_real():
    rc, out, err = run("verify", QUOTE, "--collateral", COLLATERAL, "--at", INSIDE)
    doc = json.loads(out)
    expect(rc == 0 and doc["verified"] and doc["status"] == "UpToDate", "verify dcap-qvl sample", out, err)
    expect(all(c["ok"] for c in doc["checks"]) and len(doc["checks"]) >= 20, "every check ok", out)
    names = {c["name"] for c in doc["checks"]}
    for n in ("quote_signature", "qe_report_signature", "qe_report_binding", "pck_chain", "tcb_info_signature",
              "qe_identity_signature", "fmspc", "tcb_level", "tcb_status"):
        expect(n in names, f"check {n} reported", out)
    rc2, out2, _ = run("verify", QUOTE, "--collateral", COLLATERAL, "--at", "1751328000")  # same time, Unix
    expect(rc2 == 0 and json.loads(out2)["at"] == 1751328000, "--at seconds", out2)


def case_verify_refusals():
    # One changed signed byte.
    raw = bytearray(QUOTE.read_bytes())
    raw[300] ^= 1
    rc, out, err = run("verify", write("changed.dat", bytes(raw)), "--collateral", COLLATERAL, "--at", INSIDE)
    expect(rc == 1 and json.loads(out)["error"] == "dcap.quote_signature", "changed byte", out, err)
    expect("dcap.quote_signature" in err, "error on stderr", out, err)
    # Expired collateral: refused, the status still reported.
    rc, out, err = run("verify", QUOTE, "--collateral", COLLATERAL, "--at", AFTER)
    doc = json.loads(out)
    failed = {c["name"]: c.get("error") for c in doc["checks"] if not c["ok"]}
    expect(rc == 1 and failed.get("tcb_info_window") == "dcap.collateral_expired" and doc["status"] == "UpToDate",
           "expired", out, err)
    # Policy: a status outside --accept.
    rc, out, err = run("verify", QUOTE, "--collateral", COLLATERAL, "--at", INSIDE, "--accept", "OutOfDate")
    doc = json.loads(out)
    expect(rc == 1 and doc["status"] == "UpToDate" and doc["error"] == "dcap.tcb_status_rejected", "policy", out, err)
    rc, out, err = run("verify", QUOTE, "--collateral", COLLATERAL, "--at", INSIDE, "--accept", "any")
    expect(rc == 0, "--accept any", out, err)
    # Another root: the PCK chain is untrusted.
    rc, out, err = run("verify", QUOTE, "--collateral", COLLATERAL, "--at", INSIDE, "--root",
                       DATA.parent.parent / "mock-tdx" / "data" / "mock-root-ca.pem")
    failed = {c["name"]: c.get("error") for c in json.loads(out)["checks"] if not c["ok"]}
    expect(rc == 1 and failed.get("pck_chain") == "dcap.pck_chain_untrusted", "foreign root", out, err)


def case_replay_ccel():
    quote = (DATA / "go-tdx-guest" / "ccel" / "cos-113-tdx-quote.dat").read_bytes()
    rc, out, err = run("replay-log", DATA / "go-tdx-guest" / "ccel" / "ccel_data.dat")
    doc = json.loads(out)
    expect(rc == 0 and [doc[f"rtmr{i}"] for i in range(4)] == rtmrs_of(quote), "CCEL replay", out, err)


def case_replay_dstack():
    for name in ("quote-report.json", "tdx-lite-getquote.json"):
        src = json.loads((DATA / "dstack" / name).read_text())
        log = src["event_log"] if isinstance(src["event_log"], str) else json.dumps(src["event_log"])
        rc, out, err = run("replay-log", write(name + ".log", log.encode()))
        doc = json.loads(out)
        expect(rc == 0 and [doc[f"rtmr{i}"] for i in range(4)] == rtmrs_of(bytes.fromhex(src["quote"])),
               f"dstack replay {name}", out, err)
        rc2, out2, _ = run("replay-log", DATA / "dstack" / name)  # the whole answer object
        expect(rc2 == 0 and json.loads(out2)["rtmr3"] == doc["rtmr3"], f"dstack object {name}", out2)


def case_bad_input():
    raw = QUOTE.read_bytes()
    cases = [
        (["parse", write("trunc.dat", raw[:700])], 1, "tdx.truncated"),
        (["parse", write("badhex.txt", b"0xzz11")], 1, "input.encoding"),
        (["parse", write("empty.dat", b"")], 1, "tdx.truncated"),
        (["verify", QUOTE, "--collateral", write("garbage.json", b"{not json"), "--at", INSIDE], 1,
         "dcap.collateral_format"),
        (["verify", QUOTE, "--collateral", write("partial.json", b'{"pck_crl": "00"}'), "--at", INSIDE], 1,
         "dcap.collateral_format"),
        (["verify", write("trunc2.dat", raw[:1000]), "--collateral", COLLATERAL, "--at", INSIDE], 1, "tdx."),
        (["replay-log", write("garbage.log", b"\x01\x02\x03")], 1, "tdx.ccel."),
        (["replay-log", write("badlog.json", b'[{"imr": 9}]')], 1, "tdx.log."),
    ]
    for args, want_rc, want_code in cases:
        rc, out, err = run(*args)
        expect(rc == want_rc and json.loads(out)["error"].startswith(want_code) and want_code in err,
               f"{args[0]} {args[1]}", out, err)


def case_usage():
    for args in (["parse", WORK / "no-such-file"], ["verify", QUOTE], ["frob"], [], ["parse"],
                 ["verify", QUOTE, "--collateral", COLLATERAL, "--at", "yesterday"],
                 ["verify", QUOTE, "--collateral", COLLATERAL, "--accept", "Fine"],
                 ["parse", QUOTE, "--profile", "lax"], ["parse", QUOTE, "--bogus"]):
        rc, out, err = run(*args)
        expect(rc == 2 and err.strip() != "", f"usage {args}", out, err)
    for args in (["parse", WORK], ["replay-log", WORK], ["verify", QUOTE, "--collateral", WORK]):  # a directory
        rc, out, err = run(*args)
        expect(rc == 2 and "input.unreadable" in err and "is a directory" in err, f"directory {args}", out, err)
    rc, out, err = run("--help")
    expect(rc == 0 and "Examples:" in out and "Exit status" in out and "replay-log" in out, "--help", out, err)
    rc, out, err = run("verify", "--help")
    expect(rc == 0 and "--collateral" in out and "--accept" in out and "--at" in out, "verify --help", out, err)
    rc, out, err = run("--version")
    expect(rc == 0 and out.startswith("pnc-tdx "), "--version", out, err)


globals()["case_" + CASE]()
print(f"ok {CASE}")
