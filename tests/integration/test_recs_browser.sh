#!/bin/bash
# The recommendation tracker's pages in headless Chromium: the public dashboard and filters, an
# editor's status changes (refused ones with the rule, evidence, verified) and the history, CSRF
# and the editor role enforced.
. "$(dirname "$0")/lib.sh"
. "$SSR_SOURCE/tests/browser/setup.sh"
NODE_PATH="$NM/node_modules" python3 "$SSR_SOURCE/tests/integration/portal/recs_browser_test.py" \
	"$SSRWATCH" "$T/portal.db" "$T"
