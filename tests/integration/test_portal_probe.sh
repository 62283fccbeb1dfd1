#!/bin/bash
# The portal probed on loopback: bodies refused from their headers, capped form fields, bad
# file names and media types, per-address connection limit and header deadline, the SQLite WAL
# under sustained writes, the stats cache, revocation, self-made CSRF tokens, non-UTF-8 paths,
# and XARF exports against the published schemas (Debian's python3 with python3-jsonschema).
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$SSR_SOURCE/tests/integration/portal/probe_test.py" "$SSRWATCH" "$T/portal.db" "$T"
