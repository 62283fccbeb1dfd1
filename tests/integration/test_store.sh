#!/usr/bin/env bash
# --store: one row per zone and date, re-runs replace, a failed run stores nothing and loses
# nothing; zone history shows the series.
. "$(dirname "$0")/lib.sh"
db="$T/s.db"
"$SSRWATCH" gen zone --origin hist --delegations 3000 --seed 1 --output "$T/d1.zone"
"$SSRWATCH" gen zone --origin hist --delegations 3500 --seed 2 --ds-share 0.5 --output "$T/d2.zone"
expect_rc 0 "$SSRWATCH" zone stats --store "$db" --date 2026-11-01 "$T/d1.zone"
expect_rc 0 "$SSRWATCH" zone stats --store "$db" --date 2026-11-01 "$T/d1.zone"
expect_rc 0 "$SSRWATCH" zone stats --store "$db" --date 2026-11-02 "$T/d2.zone"
expect_eq "$(sqlite3 "$db" 'select count(*) from zone_snapshot')" 2 "re-run does not duplicate"
expect_eq "$(sqlite3 "$db" 'PRAGMA user_version')" 15 "schema version"
# a bad zone: exit 1, nothing stored, earlier rows kept
printf '$ORIGIN hist.\n@ 60 SOA a. b. 9 2 3 4 5\na NS ns1.x.\nb A 1.2.3.999\n' > "$T/bad.zone"
expect_rc 1 "$SSRWATCH" zone stats --store "$db" --date 2026-11-03 "$T/bad.zone"
expect_eq "$(sqlite3 "$db" 'select count(*) from zone_snapshot')" 2 "failed run stores nothing"
expect_rc 0 "$SSRWATCH" zone history --store "$db" --format json
expect_eq "$(json_get "$T/out" 'len(d)')" 2 "history rows"
expect_eq "$(json_get "$T/out" 'd[0]["delegations"]')" 3000 "first snapshot"
expect_eq "$(json_get "$T/out" 'd[1]["delegations"]')" 3500 "second snapshot"
expect_eq "$(json_get "$T/out" 'd[1]["signed_share"] > 0.45')" True "signed share rises"
expect_rc 0 "$SSRWATCH" zone history --store "$db" --zone hist
expect_grep "$T/out" '^hist +2026-11-02 +2026112301 +3500'
expect_rc 0 "$SSRWATCH" zone history --store "$db" --zone nosuch --format csv
expect_eq "$(wc -l < "$T/out")" 1 "csv header only for an unknown zone"
# a store written by the previous release (schema 2, tests/data/store-v2.sql) is migrated on
# open: nothing lost, and its report is byte-identical to the one that release wrote
sqlite3 "$T/v2.db" < "$SSR_TEST_DATA/store-v2.sql"
expect_eq "$(sqlite3 "$T/v2.db" 'PRAGMA user_version')" 2 "fixture is schema 2"
# its rows as `abuse listings` will print them (sqlite3's CSV quoting is the same)
{
	echo "tld,snapshot_date,domain,listed,in_zone,categories,feeds,feed_first_seen,zone_first_seen,created,registrar"
	sqlite3 -csv "$T/v2.db" "SELECT tld, snapshot_date, domain, listed, in_zone, categories, feeds,
		feed_first_seen, zone_first_seen, created, registrar FROM abuse_listing ORDER BY tld, domain, snapshot_date"
} | tr -d '\r' >"$T/v2-rows.csv"
expect_eq "$(($(wc -l < "$T/v2-rows.csv") > 10))" 1 "fixture has listings"
expect_rc 0 "$SSRWATCH" abuse report --store "$T/v2.db" --period 2026-Q3 --format json --output "$T/v2.json"
expect_eq "$(sqlite3 "$T/v2.db" 'PRAGMA user_version')" 15 "migrated to the current schema"
expect_rc 0 "$SSRWATCH" abuse listings --store "$T/v2.db" --output "$T/v2-parts.csv"
expect_eq "$(cmp "$T/v2-rows.csv" "$T/v2-parts.csv" 2>&1 && echo same)" same "every listing kept, value for value"
expect_eq "$(sqlite3 "$T/v2.db" "SELECT count(*) FROM sqlite_master WHERE name = 'abuse_listing'")" 0 \
	"the one-row-per-domain table dropped"
expect_rc 0 "$SSRWATCH" abuse listings --store "$T/v2.db" --tld alpha --date 2026-07-06
expect_eq "$(cut -d, -f1,2 "$T/out" | sort -u | tr '\n' ' ')" "alpha,2026-07-06 tld,snapshot_date " "listings of one TLD and date"
expect_eq "$(cmp "$T/v2.json" "$SSR_TEST_DATA/store-v2-report.json" 2>&1 && echo same)" same \
	"report unchanged by the migration"
# a damaged listing part: the report and the listings fail naming it, nothing printed as done
cp "$T/v2.db" "$T/bad.db"
sqlite3 "$T/bad.db" "UPDATE abuse_listing_part SET data = substr(data, 1, length(data) - 9) WHERE part = 0 AND rowid = (SELECT min(rowid) FROM abuse_listing_part)"
expect_rc 1 "$SSRWATCH" abuse report --store "$T/bad.db" --period 2026-Q3 --format json --output "$T/bad.json"
expect_grep "$T/err" "abuse listing part 0 of '[a-z]+' [0-9-]+ offset [0-9]+: "
[ ! -e "$T/bad.json" ] && ok || fail "a failed report left its output"
expect_rc 1 "$SSRWATCH" abuse listings --store "$T/bad.db" --output "$T/bad.csv"
[ ! -e "$T/bad.csv" ] && ok || fail "failed listings left their output"
# bad command lines and a missing store: usage errors, or the store named
expect_rc 2 "$SSRWATCH" abuse listings --tld alpha
expect_grep "$T/err" "--store is required"
expect_rc 2 "$SSRWATCH" abuse listings --store "$T/v2.db" extra
expect_grep "$T/err" "unexpected argument 'extra'"
expect_rc 1 "$SSRWATCH" abuse listings --store "$T/none.db"
expect_grep "$T/err" "store '$T/none.db': no such file"
finish
