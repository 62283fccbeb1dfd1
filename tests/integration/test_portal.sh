#!/bin/bash
# The portal end to end on SQLite: intake, dedup, bad input, routing through fixture RDAP servers
# (404, broken, 503, timeout, retry), authorisation, actions, kill -9 under load, SIGTERM.
. "$(dirname "$0")/lib.sh"
python3 "$SSR_SOURCE/tests/integration/portal/portal_test.py" "$SSRWATCH" "$T/portal.db" "$T"
