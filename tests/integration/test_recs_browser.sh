#!/bin/bash
# The recommendation tracker's pages in headless Chromium (Debian's chromium, chromium-driver and
# python3-selenium): the public dashboard and filters, an editor's status changes (refused ones
# with the rule, evidence, verified) and the history, CSRF and the editor role enforced.
# SSR_TEST_KEEP=DIR keeps the work directory (screenshots of a failure) in DIR.
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$SSR_SOURCE/tests/integration/portal/recs_browser_test.py" "$SSRWATCH" "$T/portal.db" "$T" ||
	{ [ -z "${SSR_TEST_KEEP:-}" ] || cp -r "$T" "$SSR_TEST_KEEP"; false; }
