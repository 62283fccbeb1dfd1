#!/usr/bin/env bash
# Bad input: exit 1 with file:line:reason; --keep-going skips, counts and reports.
. "$(dirname "$0")/lib.sh"
printf '$ORIGIN t.\n@ 60 SOA a. b. 1 2 3 4 5\na NS ns1.x.\nb 1w2q NS ns1.x.\nc A 1.2.3.999\nd NS ns1.x.\n' > "$T/x.zone"
for engine in auto zscanner; do
	expect_rc 1 "$SSRWATCH" zone stats --engine $engine "$T/x.zone"
	expect_grep "$T/err" "^ssrwatch: zone '$T/x.zone' line 4: "
	expect_eq "$(wc -c < "$T/out")" 0 "no report on failure ($engine)"
	expect_rc 0 "$SSRWATCH" zone stats --engine $engine --keep-going --format json "$T/x.zone"
	expect_grep "$T/err" "skipped 2 bad records"
	expect_eq "$(json_get "$T/out" 'd[0]["errors"]')" 2 "errors counted ($engine)"
	expect_eq "$(json_get "$T/out" 'd[0]["delegations"]')" 2 "good records kept ($engine)"
done
expect_grep "$T/err" "line 5: "
# a zone not grouped by owner is read twice: each bad record is still reported once and the
# summary agrees with the JSON
printf '$ORIGIN t.\n@ 60 SOA a. b. 1 2 3 4 5\na NS ns1.x.\nb 1w2q NS ns1.x.\nb NS ns1.x.\nc A 1.2.3.999\na DS 1 8 2 00\n' > "$T/u.zone"
expect_rc 0 "$SSRWATCH" zone stats --keep-going --format json "$T/u.zone"
expect_eq "$(json_get "$T/out" 'd[0]["owner_index"]')" memory "second pass ran"
expect_eq "$(grep -c 'warning: zone' "$T/err")" 2 "each bad record reported once"
expect_grep "$T/err" "skipped 2 bad records"
# types newer than the installed libzscanner: counted, never a failure
printf '$ORIGIN t.\n@ 60 SOA a. b. 1 2 3 4 5\n@ WALLET "pay" "x"\n_dsync DSYNC CDS NOTIFY 53 n.t.\nh HHIT AAEC\n' > "$T/new.zone"
expect_rc 0 "$SSRWATCH" zone stats --format json "$T/new.zone"
expect_eq "$(json_get "$T/out" 'd[0]["records"]["by_type"]["DSYNC"]')" 1 "DSYNC counted"
expect_eq "$(json_get "$T/out" 'd[0]["records"]["by_type"]["WALLET"]')" 1 "WALLET counted"
expect_eq "$(json_get "$T/out" 'd[0]["records"]["unvalidated_rdata"]')" "{'HHIT': 1}" "HHIT unvalidated"
expect_grep "$T/err" "1 HHIT records \(type 67\) counted with their rdata not validated"
# --max-errors 0 prints only the summary
expect_rc 0 "$SSRWATCH" zone stats --keep-going --max-errors 0 "$T/x.zone"
expect_eq "$(grep -c 'warning' "$T/err" || true)" 0 "--max-errors 0"
# a bad file among good ones: --keep-going reports the good ones and exits 1
expect_rc 1 "$SSRWATCH" zone stats --keep-going --format json "$T/nope.zone" "$SSR_TEST_DATA/ssrtest.signed.zone"
expect_eq "$(json_get "$T/out" 'len(d)')" 1 "good zone still reported"
# binary garbage never crashes
python3 -c "import random,sys; r=random.Random(7); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(20000)))" > "$T/garbage.zone"
expect_rc 1 "$SSRWATCH" zone stats "$T/garbage.zone"
expect_grep "$T/err" "^ssrwatch: zone '$T/garbage.zone'"
finish
