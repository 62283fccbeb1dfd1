# Sourced by the browser tests: playwright-core, pinned by tests/browser/package-lock.json,
# installed once per lock file into the user's cache; sets NM (its node_modules parent).
LOCK="$SSR_SOURCE/tests/browser/package-lock.json"
NM="${XDG_CACHE_HOME:-$HOME/.cache}/ssrwatch-browser/$(sha256sum "$LOCK" | cut -c1-16)"
if [ ! -f "$NM/node_modules/playwright-core/package.json" ]; then
	mkdir -p "$NM"
	cp "$SSR_SOURCE/tests/browser/package.json" "$LOCK" "$NM/"
	(cd "$NM" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
