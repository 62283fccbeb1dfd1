#!/usr/bin/env bash
# Golden reports: the same input gives byte-identical output in every format.
# SSR_UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing).
. "$(dirname "$0")/lib.sh"
g="$SSR_TEST_DATA/golden"
cd "$SSR_TEST_DATA/.."
"$SSRWATCH" gen zone --origin golden --delegations 5000 --seed 7 --signed --output "$T/golden.zone"
cp "$T/golden.zone" data/golden-input.tmp.zone
trap 'rm -f "$SSR_TEST_DATA/golden-input.tmp.zone"; rm -rf "$T"' EXIT
check() { # name cmd...
	local name=$1; shift
	"$@" > "$T/$name"
	if [ "${SSR_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$T/$name" "$g/$name"; fi
	if cmp -s "$T/$name" "$g/$name"; then ok; else fail "$name differs from golden: $(diff "$g/$name" "$T/$name" | head -20)"; fi
}
for f in table json csv; do
	check "ssrtest.$f" "$SSRWATCH" zone stats --format $f data/ssrtest.signed.zone
	check "generated.$f" "$SSRWATCH" zone stats --format $f data/golden-input.tmp.zone
done
# the generator itself is golden (determinism across builds)
expect_eq "$(sha256sum < "$T/golden.zone" | cut -c1-64)" "$(cat "$g/generated.sha256")" "generator output"
finish
