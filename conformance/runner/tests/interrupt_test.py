#!/usr/bin/env python3
"""SIGTERM / SIGINT during `pnc-conformance run` against a challenge SUT started from --cmd: exit
143 / 130, report.json marked interrupted (PARTIAL headline), and the SUT's process group gone with
its port released (docs/report-format.md, "Interruption").

usage: interrupt_test.py RUNNER CHALLENGE_PEER WORKDIR
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time


def marked_pids(mark: str) -> list:
    """Processes whose environment carries `mark` (only the SUT the test started has it)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if mark.encode() in f.read():
                    pids.append(int(entry))
        except OSError:
            pass
    return pids


def wait_for(predicate, limit_s: float, what: str):
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def run_and_interrupt(runner: str, peer: str, work: str, sig: int) -> None:
    name = signal.Signals(sig).name
    mark = f"PNC_INTERRUPT_TEST_MARK={os.getpid()}-{name}"
    report_dir = os.path.join(work, name)
    shutil.rmtree(report_dir, ignore_errors=True)
    cmd = (f"{mark} exec {peer} --listen 127.0.0.1:0 --profile {{profile}} --env {{env_mode}} --tdx mock --admin"
           " --handshake-deadline-ms {deadline_ms} --session {signer_token}:{signer_public_b64}"
           " --ed25519-seed {sealed_seed_hex} --trust-key {proxy_public_b64} --proxy-session {proxy_token}"
           " --miner-token-issuer {issuer_public_b64} --miner-token-iss {issuer} --challenge-id {audience}")
    proc = subprocess.Popen([runner, "run", "--target", "challenge", "--cmd", cmd, "--report-dir", report_dir,
                             "--no-color", "-j", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        log = os.path.join(report_dir, "sut.log")

        def listening():
            try:
                with open(log, encoding="utf-8", errors="replace") as f:
                    m = re.search(r"listening on 127\.0\.0\.1:(\d+)", f.read())
                    return int(m.group(1)) if m else None
            except OSError:
                return None

        port = wait_for(listening, 30, "the SUT to listen")
        pids = wait_for(lambda: marked_pids(mark), 10, "the SUT's process")
        pgids = {os.getpgid(p) for p in pids}
        assert proc.pid not in pgids, "the SUT must run in its own process group"
        time.sleep(1.0)  # some cases complete, most do not
        assert proc.poll() is None, "the run ended before the signal"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    want = 128 + sig
    assert proc.returncode == want, f"{name}: exit {proc.returncode}, want {want}\n{err[-2000:]}"
    assert "RESULT: INTERRUPTED" in out, out[-2000:]
    assert "the run was interrupted" in out, out[-2000:]
    with open(os.path.join(report_dir, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    assert report["interrupted"] is True
    assert report["passed"] is False
    assert report["headline"]["verdict"] in ("PARTIAL", "NOT CONFORMANT"), report["headline"]
    assert any("interrupted" in r for r in report["headline"]["reasons"]), report["headline"]
    assert len(report["cases"]) < report["inputs"]["catalogue_cases"], "an interrupted run cannot hold every case"
    # No case may blame the SUT for being stopped under it.
    for c in report["cases"]:
        assert "interrupted" not in c["observed"], c
    # The SUT's group is gone and its port is free.
    for pgid in pgids:
        try:
            os.killpg(pgid, 0)
            raise AssertionError(f"process group {pgid} still exists")
        except ProcessLookupError:
            pass
    assert not marked_pids(mark), "a SUT process survived"
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))  # raises if the SUT still holds it
    print(f"{name}: exit {want}, {len(report['cases'])} of {report['inputs']['catalogue_cases']} cases reported, "
          f"SUT group {sorted(pgids)} gone, port {port} free")


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runner, peer, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    run_and_interrupt(runner, peer, work, signal.SIGTERM)
    run_and_interrupt(runner, peer, work, signal.SIGINT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
