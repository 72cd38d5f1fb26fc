#!/usr/bin/env python3
"""pnc-python-shim: the stdio shim protocol (conformance/shim/README.md) on PyNaCl + cryptography.

One JSON request per line on stdin, one JSON answer per line on stdout; logs go to stderr.
Run it under the conformance runner:
    pnc-conformance run --target shim --cmd 'python3 conformance/shim/examples/python/pnc_shim.py'
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pncshim.codec import Rejected  # noqa: E402
from pncshim.ops import OPS  # noqa: E402


def answer(request):
    """The answer object for one parsed request."""
    ident = request.get("id") if isinstance(request, dict) else None
    if not isinstance(request, dict) or not isinstance(ident, int):
        return {"id": ident, "status": "error", "error": "shim.bad_request"}
    op = OPS.get(request.get("op"))
    if op is None:
        return {"id": ident, "status": "unimplemented"}
    args = request.get("args") if isinstance(request.get("args"), dict) else {}
    try:
        return {"id": ident, "status": "ok", "result": op(args, request.get("profile", "seed-spec"))}
    except Rejected as err:
        return {"id": ident, "status": "error", "error": str(err)}
    except Exception as err:  # a bug in this shim: report it as a refusal, never crash the run
        print(f"pnc_shim: {request.get('op')}: {type(err).__name__}: {err}", file=sys.stderr)
        return {"id": ident, "status": "error", "error": f"shim.internal: {type(err).__name__}"}


def main():
    stdin = sys.stdin.buffer
    out = sys.stdout
    for raw in stdin:
        # surrogateescape keeps invalid UTF-8 inside JSON strings byte-exact (codec.wire_bytes).
        line = raw.decode("utf-8", "surrogateescape").strip("\r\n")
        if not line:
            continue
        try:
            request = json.loads(line)
        except ValueError:
            print("pnc_shim: a request line is not JSON", file=sys.stderr)
            continue
        if isinstance(request, dict) and request.get("op") == "shutdown":
            return
        out.write(json.dumps(answer(request), ensure_ascii=True, separators=(",", ":")) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
