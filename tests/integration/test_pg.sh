#!/bin/bash
# The same work on PostgreSQL (a real server CTest starts on loopback, tests/pg/harness.sh) and
# on SQLite: zone history, then a whole abuse world ingested snapshot by snapshot; the reports
# must be byte-identical in every format.  A failed ingest leaves the PostgreSQL store and its
# first-seen index exactly as they were; a newer schema is refused.
. "$(dirname "$0")/lib.sh"
: "${SSR_PG_STATE:?run through ctest: SSR_PG_STATE names the test server}"
: "${SSR_PG_HARNESS:?}"
pg=$(bash "$SSR_PG_HARNESS" createdb "$SSR_PG_STATE" "it_pg_$$")
lite=$T/a.db
pgidx=$T/pg.index

# zone history
"$SSRWATCH" gen zone --origin hist --delegations 2000 --seed 1 --output "$T/d1.zone"
"$SSRWATCH" gen zone --origin hist --delegations 2500 --seed 2 --ds-share 0.5 --output "$T/d2.zone"
for s in "$lite" "$pg"; do
	expect_rc 0 "$SSRWATCH" zone stats --store "$s" --date 2026-11-01 "$T/d1.zone"
	expect_rc 0 "$SSRWATCH" zone stats --store "$s" --date 2026-11-01 "$T/d1.zone"
	expect_rc 0 "$SSRWATCH" zone stats --store "$s" --date 2026-11-02 "$T/d2.zone"
	expect_rc 0 "$SSRWATCH" zone history --store "$s" --format json
	cp "$T/out" "$T/hist-${s##*/}.json"
done
expect_eq "$(json_get "$T/hist-a.db.json" 'len(d)')" 2 "history rows"
expect_eq "$(cmp -s "$T/hist-a.db.json" "$T/hist-it_pg_$$.json" && echo same)" same \
	"zone history identical on both stores"

# abuse: the same world into both stores
W=$T/world
expect_rc 0 "$SSRWATCH" gen abuse --dir "$W" --domains 20000 --snapshots 5 --registrars 20
ingest() { # ingest STORE DATE [extra args]
	local s=$1 d=$2; shift 2
	local zones=() idx=()
	for z in "$W"/zones/*-"$d".zone; do zones+=(--zone "$z"); done
	[ "$s" = "$pg" ] && idx=(--index-dir "$pgidx")
	"$SSRWATCH" abuse ingest --store "$s" "${idx[@]}" --date "$d" "${zones[@]}" \
		--feed "phishing:op:$W/feeds/$d/phishing.urls" \
		--feed "malware:uh:$W/feeds/$d/malware.csv" \
		--feed "spam:sh:$W/feeds/$d/spam.txt" \
		--feed "botnet_cc:c2:$W/feeds/$d/botnet.hosts" \
		--registrations "$W/registrations/$d.csv" \
		--registrars "$W/registrars.csv" --prices "$W/prices.csv" "$@"
}
pgdump() {
	local t
	for t in abuse_snapshot abuse_listing_part registrar_domains registrar price zone_snapshot ssr_meta; do
		psql -qAt "$pg" -c "SELECT (to_jsonb(x) - 'stored_at')::text AS r FROM $t x ORDER BY r"
	done | md5sum
	cat "$pgidx"/*.fsi | md5sum
}
mapfile -t dates < "$W/dates.txt"
for d in "${dates[@]:0:4}"; do
	expect_rc 0 ingest "$lite" "$d"
	expect_rc 0 ingest "$pg" "$d"
done
# PostgreSQL needs a place for the first-seen index
expect_rc 2 "$SSRWATCH" abuse ingest --store "$pg" --date "${dates[4]}" \
	--zone "$W/zones/alpha-${dates[4]}.zone" --feed "spam:sh:$W/feeds/${dates[4]}/spam.txt"
expect_grep "$T/err" "index-dir"
# a failed ingest on PostgreSQL: nothing stored, nothing lost, index untouched
before=$(pgdump)
last=${dates[4]}
printf '# nothing\n10.0.0.1\n' > "$T/empty.txt"
expect_rc 1 ingest "$pg" "$last" --feed "spam:empty:$T/empty.txt"
expect_grep "$T/err" "no valid lines"
cp "$W/zones/alpha-$last.zone" "$T/bad.zone"
echo 'broken IN NS' >> "$T/bad.zone"
zs=()
for z in "$W"/zones/*-"$last".zone; do [ "${z##*/}" = "alpha-$last.zone" ] || zs+=(--zone "$z"); done
expect_rc 1 "$SSRWATCH" abuse ingest --store "$pg" --index-dir "$pgidx" --date "$last" \
	--zone "$T/bad.zone" "${zs[@]}" --feed "spam:sh:$W/feeds/$last/spam.txt"
expect_grep "$T/err" "bad.zone' line"
printf 'tld,price,currency,date\nalpha,abc,USD,2026-07-01\n' > "$T/prices.csv"
expect_rc 1 ingest "$pg" "$last" --prices "$T/prices.csv"
expect_eq "$(pgdump)" "$before" "failed ingests changed nothing on PostgreSQL"
expect_eq "$(psql -qAt "$pg" -c "SELECT count(*) FROM abuse_snapshot WHERE snapshot_date = '$last'")" 0 \
	"no snapshot of the failed date"
# the last snapshot, twice on PostgreSQL (re-ingest replaces)
expect_rc 0 ingest "$lite" "$last"
expect_rc 0 ingest "$pg" "$last"
expect_rc 0 ingest "$pg" "$last"
expect_eq "$(psql -qAt "$pg" -c "SELECT count(*) FROM abuse_snapshot")" \
	"$(sqlite3 "$lite" 'SELECT count(*) FROM abuse_snapshot')" "snapshot rows"
# the listings (compressed parts in both stores) read back identical, row for row
expect_rc 0 "$SSRWATCH" abuse listings --store "$pg" --output "$T/pg-listings.csv"
expect_rc 0 "$SSRWATCH" abuse listings --store "$lite" --output "$T/lite-listings.csv"
expect_eq "$(cmp "$T/pg-listings.csv" "$T/lite-listings.csv" 2>&1 && echo same)" same "listing rows"
expect_eq "$(($(wc -l < "$T/pg-listings.csv") > 100))" 1 "listing rows stored"
expect_eq "$(psql -qAt "$pg" -c "SELECT encode(data, 'hex') FROM abuse_listing_part ORDER BY tld, snapshot_date, part" | md5sum)" \
	"$(sqlite3 "$lite" 'SELECT lower(hex(data)) FROM abuse_listing_part ORDER BY tld, snapshot_date, part' | md5sum)" "listing parts byte-identical"
expect_eq "$(cmp -s "$pgidx/alpha.fsi" "$lite.index/alpha.fsi" && echo same)" same \
	"first-seen index identical"
for fmt in json csv html; do
	expect_rc 0 "$SSRWATCH" abuse report --store "$lite" --period 2026-Q3 --format $fmt --output "$T/lite.$fmt"
	expect_rc 0 "$SSRWATCH" abuse report --store "$pg" --period 2026-Q3 --format $fmt --output "$T/pg.$fmt"
	expect_eq "$(cmp "$T/lite.$fmt" "$T/pg.$fmt" 2>&1 && echo same)" same "$fmt report identical"
done
expect_eq "$(json_get "$T/pg.json" 'd["totals"]["abused"] > 0')" True "the report has abuse in it"
# a newer schema is refused and left as it is
psql -q "$pg" -c "UPDATE ssr_meta SET value = '99' WHERE key = 'schema_version'"
expect_rc 1 "$SSRWATCH" abuse report --store "$pg" --period 2026-Q3
expect_grep "$T/err" "newer"
expect_eq "$(psql -qAt "$pg" -c "SELECT value FROM ssr_meta WHERE key = 'schema_version'")" 99 "left as it is"
# a database that does not exist
expect_rc 1 "$SSRWATCH" abuse report --store "${pg%/*}/no_such_db" --period 2026-Q3
expect_grep "$T/err" "cannot connect.*no_such_db"
psql -q "${pg%/*}/postgres" -c "DROP DATABASE \"it_pg_$$\"" || true
finish
