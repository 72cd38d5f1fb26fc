#!/usr/bin/env python3
"""Generates quote_real_test.json: DCAP verification of real Intel TDX quotes (PROVENANCE.md) with
real collateral, at fixed times, in the Wycheproof v1 layout of vectors/testvectors_v1.

Usage: gen_quote_real.py [--check] REAL_TDX_DIR OUT_FILE [MOCK_ROOT_PEM INTEL_ROOT_PEM]
  --check: do not write; exit 1 unless OUT_FILE holds exactly what would be written.

Every expected verdict is written here from the sources' facts and Intel's rules, not computed by
the reference: dcap-qvl's verifier reports UpToDate for its sample inside the collateral window;
the window ends come from the collateral's own dates (TCB info / QE identity issueDate and
nextUpdate, the CRLs' thisUpdate / nextUpdate); a changed signed byte breaks the signature over
it; the FMSPC of each PCK certificate is read from its SGX extension below. The reference
consumes the file (vectors/tests/consume/consume_quote_real.cpp) and OpenSSL re-checks it
(vectors/tests/crosscheck/check_quote_real.cpp). The output is deterministic.
"""
import calendar
import json
import sys
import time
from pathlib import Path

SOURCE = {"name": "gen_quote_real.py", "version": "1.0"}

PROVENANCE = [
    {"id": "dcap-qvl/tdx_quote", "repository": "Phala-Network/dcap-qvl",
     "commit": "9bffe30b4da53acc05f2e3a36fafc0f6418973b8", "path": "sample/tdx_quote", "licence": "MIT",
     "what": "v4 TDX quote (5006 bytes: 4936 bytes of quote, then zero padding) captured on Intel hardware"},
    {"id": "dcap-qvl/tdx_quote_collateral.json", "repository": "Phala-Network/dcap-qvl",
     "commit": "9bffe30b4da53acc05f2e3a36fafc0f6418973b8", "path": "sample/tdx_quote_collateral.json",
     "licence": "MIT",
     "what": "Intel PCS collateral of that quote (FMSPC B0C06F000000); dcap-qvl reports UpToDate inside its window"},
    {"id": "dstack/quote-report.json", "repository": "Dstack-TEE/dstack",
     "commit": "312dc605ebaaf93372534ffb135ea011533d28e9", "path": "dstack/verifier/fixtures/quote-report.json",
     "licence": "CC0-1.0",
     "what": "v4 TDX quote of a dstack CVM (FMSPC 90C06F000000, PCK certificate from 2025-09-16), member \"quote\" (hex)"},
    {"id": "go-tdx-guest/ccel/cos-113-tdx-quote.dat", "repository": "google/go-tdx-guest",
     "commit": "91f9a52f36c7a6ce140d5f13a2fb4ca03b61349c", "path": "testing/testdata/ccel/cos-113-tdx-quote.dat",
     "licence": "Apache-2.0",
     "what": "v4 TDX quote of a cloud VM read through configfs-tsm (8000-byte buffer, zero padding; FMSPC "
             "00806F050000, PCK certificate from 2024-07-02)"},
]

# The dcap-qvl collateral's windows (its own dates): the latest start and the earliest end. A CRL
# is expired from its nextUpdate second on (RFC 5280 §5.1.2.5: the next CRL is due by then; OpenSSL's
# X509_cmp_time treats equal as past), a TCB info / QE identity only after its nextUpdate (Intel QVL).
QE_IDENTITY_ISSUE = "2025-06-19T10:32:27Z"   # latest start (TCB info 10:16:03, PCK CRL 10:00:35)
PCK_CRL_NEXT = "2025-07-19T10:00:35Z"        # earliest end (TCB info 10:16:03, QE identity 10:32:27)
TCB_INFO_NEXT = "2025-07-19T10:16:03Z"
INSIDE = "2025-07-01T00:00:00Z"


def unix(rfc3339):
    return calendar.timegm(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ"))


def utc(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def sgx_fmspc(quote):
    """FMSPC of the PCK leaf (first PEM certificate of the certification data): the OCTET STRING of
    6 bytes after OID 1.2.840.113741.1.13.1.4 in its DER."""
    import base64
    text = quote[quote.index(b"-----BEGIN CERTIFICATE-----"):]
    body = text.split(b"-----END CERTIFICATE-----")[0].split(b"-----\n", 1)[1]
    der = base64.b64decode(b"".join(body.split()))
    marker = bytes.fromhex("060a2a864886f84d010d01040406")
    i = der.index(marker) + len(marker)
    return der[i:i + 6].hex()


def flip(quote, offset, mask=0x01):
    b = bytearray(quote)
    b[offset] ^= mask
    return bytes(b)


NOTES = {
    "Valid": ("BASIC", "A genuine quote with its own collateral at a time inside every validity window.",
              "Genuine quotes from Intel hardware are refused."),
    "ValidityBoundary": ("EDGE_CASE",
                         "The verification time is the first or last second of the collateral's common window "
                         "(TCB info / QE identity issueDate..nextUpdate, CRL thisUpdate..nextUpdate).",
                         "Collateral is used outside its window, or refused inside it."),
    "CollateralExpired": ("MISSING_STEP", "The verification time is after a collateral document's or CRL's nextUpdate.",
                          "Stale TCB info, QE identity or revocation lists are trusted."),
    "CollateralNotYetValid": ("MISSING_STEP", "The verification time is before a collateral document's issueDate.",
                              "Collateral from the future is trusted (clock not checked)."),
    "QuoteSignature": ("AUTH_BYPASS", "One byte covered by the attestation key's signature (header, body or "
                       "the signature itself) is changed.", "Altered quotes, e.g. another REPORTDATA, are accepted."),
    "QeReportSignature": ("AUTH_BYPASS", "One byte of the QE report (signed by the PCK key) is changed.",
                          "A forged QE report, hence a forged attestation key, is accepted."),
    "Truncated": ("EDGE_CASE", "The quote is cut short inside its signature data.",
                  "Out-of-bounds reads or a crash on short input."),
    "TrailingBytes": ("EDGE_CASE", "A non-zero byte in the padding after the signature data, which no signature covers.",
                      "Unsigned data travels with an accepted quote (strict profiles refuse it)."),
    "TcbPolicy": ("FUNCTIONALITY", "The TCB status is established but the verifier's policy does not accept it.",
                  "A policy that names statuses is ignored."),
    "WrongCollateral": ("MODIFIED_PARAMETER", "A genuine quote of another platform (other FMSPC) against this "
                        "collateral.", "TCB info of one platform is applied to another."),
    "CertificateValidity": ("MISSING_STEP", "The verification time is outside a PCK chain certificate's validity.",
                            "Certificates are used outside their validity period."),
    "AlteredCollateral": ("AUTH_BYPASS", "One character of the signed TCB info text is changed.",
                          "Forged TCB levels (e.g. OutOfDate made UpToDate) are accepted."),
    "UntrustedRoot": ("MISSING_STEP", "The only trust anchor is another root (the project's mock root), not Intel's.",
                      "Chains are not anchored in the configured root."),
}


def main(argv):
    check = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    if len(argv) not in (3, 5):
        print(__doc__)
        return 2
    data = Path(argv[1])
    out = Path(argv[2])
    repo = Path(__file__).resolve().parents[2]
    mock_root = Path(argv[3]) if len(argv) == 5 else repo / "mock-tdx/data/mock-root-ca.pem"
    intel_root = Path(argv[4]) if len(argv) == 5 else repo / "mock-tdx/data/intel-sgx-root-ca.pem"

    quote = (data / "dcap-qvl/tdx_quote").read_bytes()
    collateral = json.loads((data / "dcap-qvl/tdx_quote_collateral.json").read_text())
    dstack_quote = bytes.fromhex(json.loads((data / "dstack/quote-report.json").read_text())["quote"])
    ccel_quote = (data / "go-tdx-guest/ccel/cos-113-tdx-quote.dat").read_bytes()
    sig_len = int.from_bytes(quote[632:636], "little")
    quote_end = 636 + sig_len
    assert quote[0] == 4 and quote_end < len(quote) and not any(quote[quote_end:]), "dcap-qvl quote layout"
    assert sgx_fmspc(quote) == json.loads(collateral["tcb_info"])["fmspc"].lower()
    assert sgx_fmspc(dstack_quote) != sgx_fmspc(quote) and sgx_fmspc(ccel_quote) != sgx_fmspc(quote)

    default = ["SWHardeningNeeded", "UpToDate"]
    tests = []

    def case(comment, flags, q, quote_source, mutation, at, result, status, check="", reason="", accept=default):
        tests.append({"comment": comment, "flags": flags, "quote": q.hex(), "quoteSource": quote_source,
                      "mutation": mutation, "now": unix(at), "nowUtc": at, "acceptedStatuses": accept,
                      "result": result, "status": status, "check": check, "reason": reason})

    src = "dcap-qvl/tdx_quote"
    g1 = []
    tests = g1
    case("dcap-qvl sample inside the collateral window: UpToDate", ["Valid"], quote, src, None, INSIDE, "valid",
         "UpToDate")
    case("first second of the common window (QE identity issueDate)", ["ValidityBoundary"], quote, src, None,
         QE_IDENTITY_ISSUE, "valid", "UpToDate")
    case("last second of the common window (one second before the PCK CRL's nextUpdate)", ["ValidityBoundary"],
         quote, src, None, utc(unix(PCK_CRL_NEXT) - 1), "valid", "UpToDate")
    case("one second before the QE identity's issueDate", ["CollateralNotYetValid"], quote, src, None,
         utc(unix(QE_IDENTITY_ISSUE) - 1), "invalid", "UpToDate", "qe_identity_window", "dcap.collateral_not_yet_valid")
    case("at the PCK CRL's nextUpdate", ["CollateralExpired"], quote, src, None,
         PCK_CRL_NEXT, "invalid", "UpToDate", "pck_chain", "dcap.crl_expired")
    case("one second after the TCB info's nextUpdate (the PCK CRL has expired too)", ["CollateralExpired"], quote, src,
         None, utc(unix(TCB_INFO_NEXT) + 1), "invalid", "UpToDate", "tcb_info_window", "dcap.collateral_expired")
    case("quote signature: first byte of r flipped", ["QuoteSignature"], flip(quote, 636), src,
         "byte 636 (ECDSA signature r[0]) ^= 0x01", INSIDE, "invalid", "UpToDate", "quote_signature",
         "dcap.quote_signature")
    case("one signed byte changed: REPORTDATA[0]", ["QuoteSignature"], flip(quote, 568), src,
         "byte 568 (REPORTDATA[0]) ^= 0x01", INSIDE, "invalid", "UpToDate", "quote_signature", "dcap.quote_signature")
    case("one signed byte changed: header user_data", ["QuoteSignature"], flip(quote, 28), src,
         "byte 28 (header user_data[0]) ^= 0x01", INSIDE, "invalid", "UpToDate", "quote_signature",
         "dcap.quote_signature")
    case("QE report changed: MRENCLAVE[0]", ["QeReportSignature"], flip(quote, 636 + 134 + 64), src,
         "byte 834 (QE report MRENCLAVE[0]) ^= 0x01", INSIDE, "invalid", "UpToDate", "qe_report_signature",
         "dcap.qe_report_signature")
    case("truncated to 1000 bytes", ["Truncated"], quote[:1000], src, "first 1000 bytes only", INSIDE, "invalid", None,
         "quote_structure", "tdx.truncated")
    case("non-zero byte in the zero padding after the signature data", ["TrailingBytes"],
         flip(quote, len(quote) - 1), src, f"byte {len(quote) - 1} (last padding byte) = 0x01", INSIDE, "invalid",
         None, "quote_structure", "tdx.trailing_bytes")
    case("policy accepts only OutOfDate: UpToDate refused", ["TcbPolicy"], quote, src, None, INSIDE, "invalid",
         "UpToDate", "tcb_status", "dcap.tcb_status_rejected", ["OutOfDate"])
    case("configfs-tsm quote (FMSPC 00806F050000) against dcap-qvl's collateral (B0C06F000000)", ["WrongCollateral"],
         ccel_quote, "go-tdx-guest/ccel/cos-113-tdx-quote.dat", None, INSIDE, "invalid", None, "fmspc",
         "dcap.fmspc_mismatch")
    case("dstack quote whose PCK certificate (2025-09-16) is newer than the verification time", ["CertificateValidity"],
         dstack_quote, "dstack/quote-report.json", None, INSIDE, "invalid", None, "pck_chain",
         "dcap.cert_not_yet_valid")

    altered = dict(collateral)
    assert '"tcbEvaluationDataNumber":17' in altered["tcb_info"]
    altered["tcb_info"] = altered["tcb_info"].replace('"tcbEvaluationDataNumber":17', '"tcbEvaluationDataNumber":18', 1)
    g2 = []
    tests = g2
    case("TCB info text altered after signing (tcbEvaluationDataNumber 17 -> 18)", ["AlteredCollateral"], quote, src,
         None, INSIDE, "invalid", "UpToDate", "tcb_info_signature", "dcap.tcb_info_signature")
    g3 = []
    tests = g3
    case("trust anchor is the mock root: Intel's TCB signing chain does not reach it", ["UntrustedRoot"], quote, src,
         None, INSIDE, "invalid", "UpToDate", "tcb_info_chain", "dcap.tcb_signing_chain_untrusted")

    def group(root_name, root_pem, coll, coll_source, cases):
        return {"type": "DcapVerify", "source": SOURCE, "rootCa": root_name, "rootCaPem": root_pem,
                "collateralSource": coll_source, "collateral": coll, "tests": cases}

    intel = intel_root.read_text()
    groups = [group("intel-sgx", intel, collateral, "dcap-qvl/tdx_quote_collateral.json", g1),
              group("intel-sgx", intel, altered, "dcap-qvl/tdx_quote_collateral.json, tcb_info altered", g2),
              group("mock", mock_root.read_text(), collateral, "dcap-qvl/tdx_quote_collateral.json", g3)]
    n = 0
    for g in groups:
        numbered = []
        for t in g["tests"]:
            n += 1
            numbered.append({"tcId": n, **t})
        g["tests"] = numbered
    used = sorted({f for g in groups for t in g["tests"] for f in t["flags"]})
    doc = {
        "algorithm": "PNC-TDX-DCAP",
        "schema": "pnc_quote_real_schema_v1.json",
        "numberOfTests": n,
        "header": [
            "Offline DCAP verification (PROTOCOL.md §3.7 step 3; Intel's Quote Verification Library semantics) of",
            "real TDX quotes captured on Intel hardware, with the real Intel PCS collateral published with them",
            "(`provenance`: source repository, commit, path and licence of every input). Verify: the quote",
            "(`quote`, hex; zero padding after the signature data is part of the captured bytes) against the",
            "group's `collateral` (dcap-qvl's JSON object) trusting only `rootCaPem`, every window judged at `now`",
            "(Unix seconds), seed-spec quote structure rules, TCB statuses in `acceptedStatuses` accepted.",
            "`status` is the TCB status the evaluation establishes (null when it cannot run); `check` and",
            "`reason` name the first failing check and its code (tdx_dcap.hpp; \"\" for valid cases).",
            "`mutation` says which bytes of the source quote were changed (null = byte-for-byte the source).",
        ],
        "notes": {k: {"bugType": NOTES[k][0], "description": NOTES[k][1], "effect": NOTES[k][2]} for k in used},
        "provenance": PROVENANCE,
        "testGroups": groups,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print(f"{out}: {'identical to' if same else 'DIFFERS from'} the generator's output ({n} tests)")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {n} tests")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
