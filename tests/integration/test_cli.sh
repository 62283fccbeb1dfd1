#!/usr/bin/env bash
# CLI contract: --version, --help everywhere, exit codes 0 / 1 / 2, error format.
. "$(dirname "$0")/lib.sh"
expect_rc 0 "$SSRWATCH" --version
expect_grep "$T/out" '^ssrwatch [0-9]+\.[0-9]+\.[0-9]+$'
for c in "--help" "zone --help" "zone stats --help" "zone history --help" "gen --help" "gen zone --help"; do
	# shellcheck disable=SC2086
	expect_rc 0 "$SSRWATCH" $c
	expect_grep "$T/out" 'usage: ssrwatch'
done
expect_rc 2 "$SSRWATCH"
expect_rc 2 "$SSRWATCH" frobnicate
expect_grep "$T/err" "^ssrwatch: unknown command 'frobnicate'"
expect_rc 2 "$SSRWATCH" zone stats
expect_grep "$T/err" 'no zone file given'
expect_rc 2 "$SSRWATCH" zone stats --format yaml x.zone
expect_grep "$T/err" "unknown format 'yaml'"
expect_rc 2 "$SSRWATCH" zone stats --bogus x.zone
expect_rc 2 "$SSRWATCH" zone stats --date 2026-13-45 x.zone
expect_rc 2 "$SSRWATCH" gen zone --delegations -5
expect_rc 2 "$SSRWATCH" gen zone --ds-share 1.5
expect_rc 2 "$SSRWATCH" zone history
expect_rc 2 "$SSRWATCH" zone stats --threads 0 x.zone
expect_grep "$T/err" "bad --threads '0'"
expect_rc 1 "$SSRWATCH" zone stats "$T/missing.zone"
expect_grep "$T/err" "^ssrwatch: zone '$T/missing.zone': no such file"
expect_rc 1 "$SSRWATCH" zone history --store "$T/missing.db"
expect_grep "$T/err" "no such file"
# progress: forced on, it reports bytes, rate and ETA on stderr; --quiet keeps stderr empty
"$SSRWATCH" gen zone --delegations 2000 --output "$T/p.zone"
expect_rc 0 "$SSRWATCH" zone stats --progress "$T/p.zone"
expect_grep "$T/err" 'ETA [0-9]{2}:[0-9]{2}'
expect_grep "$T/err" '100\.0%'
expect_rc 0 "$SSRWATCH" zone stats --quiet "$T/p.zone"
expect_eq "$(wc -c < "$T/err")" 0 "--quiet"
finish
