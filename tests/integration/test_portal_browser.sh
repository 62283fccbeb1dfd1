#!/bin/bash
# The portal's HTML pages in headless Chromium (Debian's chromium + playwright-core from npm):
# report form -> reporter page -> registrar login -> inbox -> acknowledge, resolve -> SLA page.
. "$(dirname "$0")/lib.sh"
. "$SSR_SOURCE/tests/browser/setup.sh"
NODE_PATH="$NM/node_modules" python3 "$SSR_SOURCE/tests/integration/portal/browser_test.py" \
	"$SSRWATCH" "$T/portal.db" "$T"
