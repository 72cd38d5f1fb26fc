#!/usr/bin/env python3
"""Validates every vectors/testvectors_v1/*.json file against the JSON Schema it names in its
`schema` member (vectors/schemas/), plus the invariants a schema cannot express: the file name
ends in _test.json, numberOfTests equals the number of tests, tcIds run 1..N, every flag has a
note and every note is used, and the total reaches --min-total.

Usage: validate_schemas.py <schemas dir> <vector files dir> [--min-total N]
"""
import glob
import json
import os
import sys

import jsonschema


def make_validator(schema, store):
    cls = jsonschema.Draft7Validator
    cls.check_schema(schema)
    try:  # jsonschema >= 4.18: the `referencing` registry
        from referencing import Registry, Resource
        registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in store.items())
        return cls(schema, registry=registry)
    except ImportError:  # Debian 12's python3-jsonschema 4.10
        resolver = jsonschema.RefResolver(base_uri=schema.get("$id", ""), referrer=schema, store=store)
        return cls(schema, resolver=resolver)


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    schemas_dir, files_dir = argv[1], argv[2]
    min_total = int(argv[argv.index("--min-total") + 1]) if "--min-total" in argv else 0
    store = {}
    for path in glob.glob(os.path.join(schemas_dir, "*.json")):
        with open(path, encoding="utf-8") as f:
            store[os.path.basename(path)] = json.load(f)
    errors, total = [], 0
    files = sorted(glob.glob(os.path.join(files_dir, "*.json")))
    if not files:
        errors.append("no vector files in " + files_dir)
    for path in files:
        name = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if not name.endswith("_test.json"):
            errors.append(f"{name}: file name must end in _test.json")
        schema_name = doc.get("schema")
        if schema_name not in store:
            errors.append(f"{name}: unknown schema {schema_name!r}")
            continue
        validator = make_validator(store[schema_name], store)
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))[:20]:
            errors.append(f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        tests = [t for g in doc.get("testGroups", []) for t in g.get("tests", [])]
        total += len(tests)
        if doc.get("numberOfTests") != len(tests):
            errors.append(f"{name}: numberOfTests {doc.get('numberOfTests')} != {len(tests)} tests")
        if [t.get("tcId") for t in tests] != list(range(1, len(tests) + 1)):
            errors.append(f"{name}: tcIds are not 1..{len(tests)} in order")
        used = {flag for t in tests for flag in t.get("flags", [])}
        notes = set(doc.get("notes", {}))
        for flag in sorted(used - notes):
            errors.append(f"{name}: flag {flag} has no note")
        for flag in sorted(notes - used):
            errors.append(f"{name}: note {flag} is never used")
        print(f"{name}: {len(tests)} tests, schema {schema_name}: {'ok' if not errors else 'see errors'}")
    print(f"total: {total} tests in {len(files)} files")
    if total < min_total:
        errors.append(f"total {total} < required {min_total}")
    for e in errors:
        print("ERROR:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
