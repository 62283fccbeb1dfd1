#!/bin/bash
# The portal's HTML pages in headless Chromium (Debian's chromium + playwright-core from npm):
# report form -> reporter page -> registrar login -> inbox -> acknowledge, resolve -> SLA page.
. "$(dirname "$0")/lib.sh"
# playwright-core, pinned by tests/browser/package-lock.json, installed once per lock file
LOCK="$SSR_SOURCE/tests/browser/package-lock.json"
NM="${XDG_CACHE_HOME:-$HOME/.cache}/ssrwatch-browser/$(sha256sum "$LOCK" | cut -c1-16)"
if [ ! -f "$NM/node_modules/playwright-core/package.json" ]; then
	mkdir -p "$NM"
	cp "$SSR_SOURCE/tests/browser/package.json" "$LOCK" "$NM/"
	(cd "$NM" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
NODE_PATH="$NM/node_modules" python3 "$SSR_SOURCE/tests/integration/portal/browser_test.py" \
	"$SSRWATCH" "$T/portal.db" "$T"
