#!/usr/bin/env python3
"""Validates report.json files against docs/report.schema.json (Debian's python3-jsonschema).

usage: validate_report.py SCHEMA REPORT.json...   exit 0: all valid; 1: a report is invalid.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    status = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        for e in errors:
            print(f"{path}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}", file=sys.stderr)
        if errors:
            status = 1
        else:
            print(f"{path}: valid (format_version {report['format_version']}, {report['headline']['verdict']})")
    return status


if __name__ == "__main__":
    sys.exit(main())
