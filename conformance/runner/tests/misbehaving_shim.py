#!/usr/bin/env python3
"""A deliberately misbehaving shim for the runner's robustness tests.

usage: misbehaving_shim.py MODE   where MODE is one of
  crash-second   answers hello, then exits with status 3 on the next request
  hang           answers hello, then never answers again
  garbage        answers hello, then answers "this is not json"
  wrong-id       answers hello, then answers with another id
  huge           answers hello, then a 70 MiB line
  good           answers every x25519 request like the golden V1 vector
  established    every handshake machine claims a session at once and sends nothing
  refusing       every handshake machine refuses its first input
"""
import json
import sys
import time

mode = sys.argv[1]
first = True
for line in sys.stdin:
    req = json.loads(line)
    if req.get("op") == "shutdown":
        break
    if req.get("op") == "hello" or mode == "good":
        res = {"name": "misbehaving", "version": mode} if req.get("op") == "hello" else {"shared": "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"}
        print(json.dumps({"id": req["id"], "status": "ok", "result": res}), flush=True)
        continue
    if mode in ("established", "refusing"):
        op = req.get("op")
        if op in ("handshake_start", "handshake_input"):
            state = "established" if mode == "established" else ("closed" if op == "handshake_input" else "handshaking")
            print(json.dumps({"id": req["id"], "status": "ok", "result": {"sent": [], "state": state, "close": None}}), flush=True)
        elif op == "handshake_probe" and mode == "established":
            print(json.dumps({"id": req["id"], "status": "ok", "result": {"plaintext": "{}"}}), flush=True)
        elif op == "handshake_end":
            print(json.dumps({"id": req["id"], "status": "ok", "result": {}}), flush=True)
        else:
            print(json.dumps({"id": req["id"], "status": "error", "error": "refused"}), flush=True)
        continue
    if mode == "crash-second":
        sys.exit(3)
    if mode == "hang":
        time.sleep(3600)
    if mode == "garbage":
        print("this is not json", flush=True)
    if mode == "wrong-id":
        print(json.dumps({"id": req["id"] + 1000, "status": "ok", "result": {}}), flush=True)
    if mode == "huge":
        sys.stdout.write("x" * (70 * 1024 * 1024) + "\n")
        sys.stdout.flush()
