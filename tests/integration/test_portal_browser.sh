#!/bin/bash
# The portal's HTML pages in headless Chromium (Debian's chromium, chromium-driver and
# python3-selenium): report form -> reporter page -> registrar login -> inbox -> acknowledge,
# resolve -> SLA page.  Debian's own python3 runs it: python3-selenium lives there.
# SSR_TEST_KEEP=DIR keeps the work directory (screenshots of a failure) in DIR.
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$SSR_SOURCE/tests/integration/portal/browser_test.py" "$SSRWATCH" "$T/portal.db" "$T" ||
	{ [ -z "${SSR_TEST_KEEP:-}" ] || cp -r "$T" "$SSR_TEST_KEEP"; false; }
