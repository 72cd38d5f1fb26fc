#!/usr/bin/env python3
"""Builds bench/run's report folder: README.md (ratio table, load table, memory) and index.html
(the same, with the load runs' inline-SVG charts). Inputs are the files bench/run wrote into the
folder: micro.json (Google Benchmark), memory.json (pnc-bench-memory), load-*.json (pnc-bench),
machine.json. Standard library only."""
import html
import json
import pathlib
import sys

LIMIT = 1.2

# Where the time goes for operations above the 1.2x goal, from callgrind profiles
# (valgrind --tool=callgrind, instruction counts; bench/profile reproduces them).
NOTES = {
    "crypto.ed25519_sign": "pnc::crypto::ed25519_sign takes the 32-byte seed and re-derives the key pair "
                           "(crypto_sign_seed_keypair: SHA-512 + a base-point multiplication) on every call; "
                           "raw signs with a cached 64-byte secret key.",
    "crypto.ed25519_verify": "pnc::crypto::ed25519_verify first runs crypto_core_ed25519_is_valid_point "
                             "(prime-order-subgroup check = a full scalar multiplication by L), then "
                             "crypto_sign_verify_detached; that extra check is the strict-verification rule, "
                             "about as expensive as the verification itself.",
    "signed_http.sign": "Signer::sign = ed25519_sign (key pair re-derived from the seed, see crypto.ed25519_sign) "
                        "plus a strict JSON parse of the payload (sign() checks it is JSON) and Rng::uuid_v4.",
    "signed_http.verify_with_nonce_cache": "ed25519_verify's subgroup check (crypto_core_ed25519_is_valid_point, "
                                           "44% of Verifier::verify_strict; see crypto.ed25519_verify); base64, "
                                           "canonical string, session lookup and nonce cache together are ~2%.",
    "miner_token.issue": "ed25519_sign re-derives the key pair from the seed (see crypto.ed25519_sign); the claims "
                         "format checks (UTF-8 code points) are small.",
    "miner_token.verify_with_jti_cache": "ed25519_verify's subgroup check (see crypto.ed25519_verify) and the "
                                         "strict-JSON SAX layer on header and payload.",
    "tdx.verify_mock_quote": "the event log is parsed twice: tdx::parse_event_log for the RTMR3 replay (47%: strict "
                             "JSON layer, every event copied into an Event, payload hex-decoded) and again by "
                             "extract_env_mode in check_environment (42%); base64 decode of the quote 23%.",
    "tdx.quote_parse": "parse_quote copies every field into QuoteV4 (qe_auth_data and pck_chain into vectors); the "
                       "raw side validates in place. Absolute cost is below a microsecond.",
    "handshake.server_side": "X25519 (keypair + shared) is 34% of the server's instructions; the rest is JSON: "
                             "strict parse of attestation_begin 28%, the event log parsed twice inside "
                             "verify_peer_quote (parse_event_log 14% + extract_env_mode 12%), JSON dump 6%; "
                             "MockQuoteProvider rebuilds the whole MockQuoteV4 (~20 constant hashes) 10% where only "
                             "REPORTDATA and the mock signature change.",
    "handshake.client_side": "Same as the server side: the validator's own MockQuoteV4 rebuilt from scratch, "
                             "verify_peer_quote's double event-log parse.",
    "handshake.full_exchange": "Both sides' mock-quote rebuilds and verify_peer_quote (see handshake.server_side).",
    "credentials.sealed_open": "receiver_secret converts the seed with crypto_sign_seed_keypair (an Ed25519 "
                               "base-point multiplication whose public key is discarded: 22% of the time) before "
                               "crypto_sign_ed25519_sk_to_curve25519; raw hashes the seed directly. Then "
                               "x25519_from_secret and crypto_box_seal_open as raw.",
    "credentials.transfer_decrypt": "strict JSON layer on the response and the plaintext, CredentialMap of "
                                    "SecretBytes.",
    "tdx.verify_signed_quote": "the configured root PEM is parsed on every call (SignedQuoteConfig holds PEM text): "
                               "14% of the time, as each d2i_X509 decodes its key through OSSL_DECODER; plus an "
                               "EVP_PKEY_public_check on the attestation key (6%). Chain parse 42%, X509_verify_cert "
                               "18%, the two ECDSA verifications 17%.",
    "tdx.event_log_parse_replay.64_events": "strict JSON layer and per-event copies into tdx::Event "
                                            "(payload hex-decoded even when only digests are replayed).",
    "tdx.rtmr_replay.64_events": "rtmr_extend builds a Bytes (heap) for mr || digest before hashing.",
    "decode.b64_nonce12": "fixed cost of the Result<Bytes> (a heap vector + variant) around sodium_base642bin; raw "
                          "decodes into a stack buffer. Tens of nanoseconds in absolute terms.",
    "decode.b64url_sig64": "as decode.b64_nonce12: Result<Bytes> allocation plus the strict b64url alphabet / "
                           "length pre-check.",
    "decode.hex_nonce32": "as decode.b64_nonce12: Result<Bytes> allocation around sodium_hex2bin.",
    "envelope.open.64B": "fixed per-frame costs dominate small frames: two strict-JSON parses (the frame, then the "
                         "inner message, each through the SAX layer), strict base64 pre-checks, the Opened value "
                         "(plaintext string + parsed object); they vanish from 1 KiB up.",
    "decode.b64_quote": "strict canonical-form check before sodium_base642bin and a Result<Bytes> copy.",
    "decode.json_attestation_begin": "the strict SAX layer (duplicate members, depth, UTF-8) in front of "
                                     "nlohmann's DOM builder.",
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def micro_rows(micro):
    """{op: {"pnc": us, "raw": us}} from Google Benchmark JSON (median aggregate if present)."""
    times = {}
    for b in micro.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        agg = b.get("aggregate_name")
        if agg and agg != "median":
            continue
        name = b.get("run_name", b["name"])
        op, _, side = name.rpartition("/")
        if side not in ("pnc", "raw"):
            continue
        unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
        times.setdefault(op, {})[side] = b["cpu_time"] * unit
    return times


def fmt_us(v):
    return f"{v:,.3f}" if v < 10 else f"{v:,.1f}"


def ratio_table(times):
    lines = ["| operation | pnc µs | raw µs | pnc / raw | ≤ 1.2x | where the time goes (callgrind) |",
             "|---|---:|---:|---:|:---:|---|"]
    over = []
    for op in sorted(times):
        t = times[op]
        if "pnc" not in t or "raw" not in t:
            lines.append(f"| {op} | {t.get('pnc', '-')} | {t.get('raw', '-')} | – | – | missing side |")
            continue
        r = t["pnc"] / t["raw"] if t["raw"] > 0 else float("inf")
        ok = r <= LIMIT
        if not ok:
            over.append(op)
        note = "" if ok else NOTES.get(op, "see the callgrind profile")
        lines.append(f"| {op} | {fmt_us(t['pnc'])} | {fmt_us(t['raw'])} | {r:.2f} | {'yes' if ok else '**no**'} | {note} |")
    return "\n".join(lines), over


def load_rows(runs):
    lines = ["| run | connections | completed | handshakes/s | round trips/s | handshake p50 / p99 ms | "
             "round trip p99 ms | errors | server CPU ms / connection |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in runs:
        hs = r["latency"]["handshake"]
        hs_text = f"{hs['p50_ms']:.2f} / {hs['p99_ms']:.2f}" if hs["samples"] else "–"
        rt = r["latency"]["round_trip"]
        cpu = r.get("server", {}).get("cpu_ms_per_unit")
        mode = r["target"]["mode"]
        rate = r["handshakes_per_second"] if mode == "ws" else r["round_trips_per_second"]
        lines.append(
            f"| {name} | {r['load']['connections']} | {r['connections_ok']} | {rate:,.0f} | "
            f"{r['round_trips_per_second']:,.0f} | {hs_text} | {rt['p99_ms']:.2f} | "
            f"{r['errors_total']} | {'' if cpu is None else f'{cpu:.3f}'} |")
    return "\n".join(lines)


def main():
    out = pathlib.Path(sys.argv[1])
    machine = load(out / "machine.json") if (out / "machine.json").exists() else {}
    md = ["# Benchmark report", ""]
    md.append(f"Machine: {machine.get('cpu', '?')}, nproc {machine.get('nproc', '?')}, "
              f"{machine.get('kernel', '')}; load average at start {machine.get('loadavg', '?')}; "
              f"commit {machine.get('commit', '?')}; {machine.get('date', '')}.")
    md.append("")
    if (out / "micro.json").exists():
        times = micro_rows(load(out / "micro.json"))
        table, over = ratio_table(times)
        md += ["## Part 1: protocol operations vs the raw primitives", "",
               "CPU time per operation (median of the repetitions), seed-spec profile, mock mode. *raw* = the "
               "same operation written directly on libsodium / OpenSSL (+ nlohmann::json where it reads or "
               "writes JSON), with per-process constants prepared once (bench/micro/raw.hpp). "
               f"Goal: pnc / raw ≤ {LIMIT}. Machine load (other builds) inflates and scatters sub-microsecond "
               "rows; re-run on a quiet machine for the README figures.", "", table, "",
               f"{len(times) - len(over)} of {len(times)} operations within {LIMIT}x; above: "
               + (", ".join(over) if over else "none") + ".", ""]
    if (out / "memory.json").exists():
        md += ["## Memory", "", "| cache / object | entry | bytes per entry |", "|---|---|---:|"]
        for m in load(out / "memory.json"):
            md.append(f"| {m['cache']} | {m['entry']} | {m['bytes_per_entry']:.1f} |")
        md.append("")
    runs = []
    for p in sorted(out.glob("load-*.json")):
        runs.append((p.stem.removeprefix("load-"), load(p)))
    if runs:
        md += ["## Part 2: pnc-bench against the bundled challenge", "", load_rows(runs), ""]
        for name, r in runs:
            s = r.get("server", {})
            if "rss_held_bytes" in s and s.get("held_connections"):
                per = (s["rss_held_bytes"] - s["rss_before_bytes"]) / s["held_connections"]
                md.append(f"Memory ({name}): server RSS {s['rss_before_bytes']:,} B idle, "
                          f"{s['rss_held_bytes']:,} B with {s['held_connections']} connections open after the "
                          f"handshake: {per:,.0f} B per connection.")
        md.append("")
        md.append("Charts: index.html (and load-*.html).")
    if (out / "compare.txt").exists():  # pnc-bench compare (bench/run: the bundled challenge vs itself)
        md += ["", "## Side by side (pnc-bench compare)", "", "```",
               (out / "compare.txt").read_text(encoding="utf-8").rstrip(), "```",
               "", "Both latency histograms: compare.html."]
    if (out / "notes.md").exists():
        md += ["", (out / "notes.md").read_text(encoding="utf-8")]
    text = "\n".join(md) + "\n"
    (out / "README.md").write_text(text, encoding="utf-8")

    page = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Benchmark report</title>",
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{white-space:pre-wrap;"
            "background:#f6f6f6;padding:1em}iframe{width:100%;height:900px;border:1px solid #ccc}</style>"
            "</head><body><pre>", html.escape(text), "</pre>"]
    for p in sorted(out.glob("load-*.html")) + sorted(out.glob("compare.html")):
        body = p.read_text(encoding="utf-8")
        start, end = body.find("<body>"), body.rfind("</body>")
        page.append(f"<h2>{html.escape(p.stem)}</h2>")
        page.append(body[start + 6:end] if start >= 0 and end > start else "")
    page.append("</body></html>")
    (out / "index.html").write_text("\n".join(page), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
