#!/usr/bin/env python3
"""Validate XARF reports against the XARF project's published v4 JSON Schemas (tests/data/xarf,
draft 2020-12; Debian's python3-jsonschema).  Every argument is a JSON file holding one report
or a list of them.  Prints each failure with the report's category/type and the schema path;
exit 1 if any report fails.
usage: xarf_validate.py SCHEMA_DIR FILE..."""
import json
import os
import sys

import jsonschema
from jsonschema import Draft202012Validator

try:  # jsonschema >= 4.18
    from referencing import Registry, Resource
except ImportError:  # Debian 12's 4.10
    Registry = None


def load_validator(root):
    store = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.endswith(".json"):
                d = json.load(open(os.path.join(dirpath, f)))
                store[d["$id"]] = d
    master = store["https://xarf.org/schemas/v4/xarf-v4-master.json"]
    fc = Draft202012Validator.FORMAT_CHECKER
    if Registry is not None:
        reg = Registry().with_resources(
            (k, Resource.from_contents(v)) for k, v in store.items())
        return Draft202012Validator(master, registry=reg, format_checker=fc)
    resolver = jsonschema.RefResolver.from_schema(master, store=store)
    return Draft202012Validator(master, resolver=resolver, format_checker=fc)


def main():
    v = load_validator(sys.argv[1])
    bad = total = 0
    for path in sys.argv[2:]:
        data = json.load(open(path))
        for rep in data if isinstance(data, list) else [data]:
            total += 1
            errs = sorted(v.iter_errors(rep), key=lambda e: list(e.absolute_path))
            if errs:
                bad += 1
                for e in errs[:10]:
                    print("%s %s/%s: %s at %s (schema %s)" % (
                        os.path.basename(path), rep.get("category"), rep.get("type"),
                        e.message[:200], "/".join(map(str, e.absolute_path)) or "(top)",
                        "/".join(map(str, e.absolute_schema_path))[:120]))
    print("xarf: %d reports, %d invalid" % (total, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
