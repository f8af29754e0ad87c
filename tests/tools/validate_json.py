#!/usr/bin/python3
"""Validates a JSON document against a JSON Schema (draft 2020-12).

Usage: validate_json.py SCHEMA INSTANCE
Exit 0 when valid; 1 with every violation listed (path and message) otherwise. The other
schemas next to SCHEMA are known by their $id, so a schema can refer to a shared one.
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    schema_path, instance_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(instance_path, encoding="utf-8") as f:
        instance = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    known = {}
    for path in pathlib.Path(schema_path).resolve().parent.glob("*.schema.json"):
        with open(path, encoding="utf-8") as f:
            other = json.load(f)
        known[other.get("$id", path.as_uri())] = other
    resolver = jsonschema.RefResolver.from_schema(schema, store=known)
    validator = validator_class(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    for error in errors:
        location = "/".join(str(p) for p in error.path) or "(root)"
        print(f"{instance_path}: {location}: {error.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
