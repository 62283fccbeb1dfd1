#!/usr/bin/env python3
"""Every public function that returns an error code (SSR_CHECK in include/ssrwatch/) says which
codes in its comment ("Errors:", an SSR_E... name, or "Returns ..."), or its header states them
for every function in it ("Errors of every function here").  Part of lint/conventions."""
import glob
import re
import sys

missing = []
for path in sorted(glob.glob("include/ssrwatch/*.h")):
    text = open(path).read()
    if "Errors of every function here" in text:
        continue
    for m in re.finditer(r"^(?:int|ssize_t) (ssr_\w+)\([^;]*?SSR_CHECK[^;]*;", text, re.M | re.S):
        before = text[: m.start()]
        # the comment above, possibly shared with the prototypes between it and this one
        c = re.search(r"/\*(?:(?!\*/).)*\*/\s*(?:(?:int|void|ssize_t|bool|const char \*|char \*)"
                      r"[^;/]*;\s*)*$", before, re.S)
        doc = c.group(0) if c else ""
        if not re.search(r"Errors|SSR_E[A-Z]+|Returns", doc):
            missing.append("%s: %s" % (path, m.group(1)))
if missing:
    print("public functions without their error codes documented:")
    print("\n".join(missing))
    sys.exit(1)
