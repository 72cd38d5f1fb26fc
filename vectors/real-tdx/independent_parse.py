#!/usr/bin/env python3
"""Independent parse of the real TDX quotes in this directory, written from Intel's
sgx_quote_4.h / sgx_quote_5.h layout (not from the reference's C++), and a comparison with
`pnc-tdx parse` for every quote in every profile.

Usage: independent_parse.py PNC_TDX_BINARY DATA_DIR
Exit 0 when every field the reference prints equals this script's value; 1 otherwise.
"""
import json
import struct
import subprocess
import sys
from pathlib import Path

# (file, how to read it, trailing bytes are non-zero text)
QUOTES = [
    ("go-tdx-guest/tdx_prod_quote_SPR_E4.dat", "raw", True),
    ("go-tdx-guest/quote_v5_sample.dat", "raw", False),
    ("go-tdx-guest/ccel/cos-113-tdx-quote.dat", "raw", False),
    ("dcap-qvl/tdx_quote", "raw", False),
    ("dstack/quote-report.json", "dstack", False),
    ("dstack/tdx-lite-getquote.json", "dstack", False),
]

# TD report 1.0 fields in order (name, size); TD report 1.5 appends tee_tcb_svn2 and mr_service_td.
TD_REPORT_10 = [
    ("tee_tcb_svn", 16), ("mr_seam", 48), ("mr_signer_seam", 48), ("seam_attributes", 8),
    ("td_attributes", 8), ("xfam", 8), ("mr_td", 48), ("mr_config_id", 48), ("mr_owner", 48),
    ("mr_owner_config", 48), ("rtmr0", 48), ("rtmr1", 48), ("rtmr2", 48), ("rtmr3", 48),
    ("report_data", 64),
]
TD_REPORT_15_EXTRA = [("tee_tcb_svn2", 16), ("mr_service_td", 48)]


def load(path: Path, kind: str) -> bytes:
    if kind == "raw":
        return path.read_bytes()
    return bytes.fromhex(json.loads(path.read_text())["quote"])


def parse(q: bytes) -> dict:
    version, key_type, tee_type = struct.unpack_from("<HHI", q, 0)
    out = {
        "version": version,
        "att_key_type": key_type,
        "tee_type": tee_type,
        "qe_vendor_id": q[12:28].hex(),
        "user_data": q[28:48].hex(),
    }
    pos = 48
    fields = list(TD_REPORT_10)
    if version == 5:
        body_type, body_size = struct.unpack_from("<HI", q, 48)
        out["body_type"] = body_type
        pos = 54
        if body_type == 3:
            fields += TD_REPORT_15_EXTRA
        assert body_size == sum(n for _, n in fields), "v5 body size"
    else:
        out["body_type"] = 2
    for name, size in fields:
        out[name] = q[pos:pos + size].hex()
        pos += size
    out["signed_size"] = pos
    (sig_len,) = struct.unpack_from("<I", q, pos)
    sd = q[pos + 4:pos + 4 + sig_len]
    out["signature_data_length"] = sig_len
    out["ecdsa_signature"] = sd[0:64].hex()
    out["attestation_key"] = sd[64:128].hex()
    out["qe_report"] = sd[134:518].hex()
    out["qe_report_signature"] = sd[518:582].hex()
    (auth_len,) = struct.unpack_from("<H", sd, 582)
    out["qe_auth_data"] = sd[584:584 + auth_len].hex()
    (chain_len,) = struct.unpack_from("<I", sd, 584 + auth_len + 2)
    out["pck_chain_size"] = chain_len
    out["trailing_size"] = len(q) - (pos + 4 + sig_len)
    return out


def main() -> int:
    binary, data = sys.argv[1], Path(sys.argv[2])
    failures = 0
    for name, kind, nonzero_tail in QUOTES:
        quote = load(data / name, kind)
        expected = parse(quote)
        tmp = Path(sys.argv[3] if len(sys.argv) > 3 else ".") / (Path(name).name + ".bin")
        tmp.write_bytes(quote)
        for profile in ("seed-spec", "hardened", "sdk-compat"):
            run = subprocess.run([binary, "parse", str(tmp), "--profile", profile], capture_output=True,
                                 text=True, timeout=60)
            refused = nonzero_tail and profile != "sdk-compat"
            if refused:
                answer = json.loads(run.stdout)
                ok = run.returncode == 1 and answer.get("error") == "tdx.trailing_bytes"
                print(f"{'ok  ' if ok else 'FAIL'} {name} [{profile}] refused: {answer.get('error')}")
                failures += not ok
                continue
            if run.returncode != 0:
                print(f"FAIL {name} [{profile}] exit {run.returncode}: {run.stdout} {run.stderr}")
                failures += 1
                continue
            got = json.loads(run.stdout)
            diff = [k for k, v in expected.items() if got.get(k) != v]
            print(f"{'ok  ' if not diff else 'FAIL'} {name} [{profile}] v{expected['version']} "
                  f"body {expected['body_type']}, {len(expected)} fields" + (f", differ: {diff}" if diff else ""))
            failures += bool(diff)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
