#!/bin/bash
# abuse ingest + report on a generated world with planted abuse: every metric against an
# independent reference (abuse_reference.py), byte-identical reruns, re-ingest replaces, failed
# ingests leave the store as it was, CSV carries the JSON's numbers, the HTML renders in
# headless Chromium with its charts and tables.
. "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
W=$T/world
expect_rc 0 "$SSRWATCH" gen abuse --dir "$W" --domains 20000 --snapshots 5 --registrars 20
db=$T/a.db
ingest() { # ingest DATE [extra args]
	local d=$1; shift
	local zones=()
	for z in "$W"/zones/*-"$d".zone; do zones+=(--zone "$z"); done
	"$SSRWATCH" abuse ingest --store "$db" --date "$d" "${zones[@]}" \
		--feed "phishing:op:$W/feeds/$d/phishing.urls" \
		--feed "malware:uh:$W/feeds/$d/malware.csv" \
		--feed "spam:sh:$W/feeds/$d/spam.txt" \
		--feed "botnet_cc:c2:$W/feeds/$d/botnet.hosts" \
		--registrations "$W/registrations/$d.csv" \
		--registrars "$W/registrars.csv" --prices "$W/prices.csv" "$@"
}
dump() { sqlite3 "$db" .dump | grep -v stored_at | md5sum; md5sum < "$db.index/alpha.fsi"; }
mapfile -t dates < "$W/dates.txt"
for d in "${dates[@]:0:4}"; do expect_rc 0 ingest "$d"; done
# re-ingesting a date replaces it: same report
expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-Q3 --format json --output "$T/r0.json"
expect_rc 0 ingest "${dates[3]}"
expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-Q3 --format json --output "$T/r1.json"
expect_eq "$(cmp -s "$T/r0.json" "$T/r1.json" && echo same)" same "re-ingest of a date replaces"
expect_eq "$(sqlite3 "$db" "select count(*) from abuse_snapshot where snapshot_date='${dates[3]}'")" 4 "snapshot rows per date"
# failed ingests: the store (and the first-seen index) stay exactly as they were
before=$(dump)
last=${dates[4]}
printf '# nothing\n10.0.0.1\n' > "$T/empty.txt"
expect_rc 1 ingest "$last" --feed "spam:empty:$T/empty.txt"
expect_grep "$T/err" "feed .*empty.txt.*no valid lines"
expect_rc 2 ingest "$last" --feed "ransom:x:$T/empty.txt"
expect_grep "$T/err" "unknown category 'ransom'"
expect_rc 1 ingest 2099-01-01
expect_grep "$T/err" "in the future"
expect_rc 1 "$SSRWATCH" abuse ingest --store "$db" --date 2026-11-01 --zone "$W/zones/alpha-$last.zone" \
	--feed "spam:sh:$W/feeds/$last/spam.txt"
expect_grep "$T/err" "SOA serial [0-9]+ names $last, not the snapshot date 2026-11-01"
printf 'domain,first_seen,category\nfoo.alpha,2027-01-01,malware\n' > "$T/late.csv"
expect_rc 1 ingest "$last" --feed "malware:late:$T/late.csv"
expect_grep "$T/err" "late.csv' line 2: first seen 2027-01-01, after the snapshot date"
printf 'domain,registrar_id\n' > "$T/regs.csv"
expect_rc 1 ingest "$last" --registrations "$T/regs.csv"
expect_grep "$T/err" "registrations .*regs.csv.*no valid row"
printf 'tld,price,currency,date\nalpha,abc,USD,2026-07-01\n' > "$T/prices.csv"
expect_rc 1 ingest "$last" --prices "$T/prices.csv"
expect_grep "$T/err" "prices .*prices.csv' line 2: bad price 'abc'"
printf 'ID,Registrar Name\n1001,Good\nx12,Bad\n' > "$T/rl.csv"
expect_rc 1 ingest "$last" --registrars "$T/rl.csv"
expect_grep "$T/err" "registrar list .*rl.csv' line 3: bad id 'x12'"
printf '# feeds\nphishing op %s\nransomware rw x.txt\n' "$W/feeds/$last/phishing.urls" > "$T/feeds.conf"
expect_rc 1 "$SSRWATCH" abuse ingest --store "$db" --date "$last" --zone "$W/zones/alpha-$last.zone" \
	--feeds-config "$T/feeds.conf"
expect_grep "$T/err" "feeds config .*feeds.conf' line 3: unknown category 'ransomware'"
expect_rc 2 "$SSRWATCH" abuse ingest --store "$db" --date "$last" --zone "$W/zones/alpha-$last.zone" \
	--feed "phishing:op"
expect_grep "$T/err" "feed 'phishing:op': expected CATEGORY:NAME:FILE"
expect_rc 1 ingest "$last" --zone "$W/zones/alpha-$last.zone"
expect_grep "$T/err" "zone 'alpha' is given twice"
cp "$W/zones/alpha-$last.zone" "$T/bad.zone"
echo 'broken IN NS' >> "$T/bad.zone"
zs=()
for z in "$W"/zones/*-"$last".zone; do [ "${z##*/}" = "alpha-$last.zone" ] || zs+=(--zone "$z"); done
expect_rc 1 "$SSRWATCH" abuse ingest --store "$db" --date "$last" --zone "$T/bad.zone" "${zs[@]}" \
	--feed "spam:sh:$W/feeds/$last/spam.txt"
expect_grep "$T/err" "bad.zone' line"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
expect_eq "$(dump)" "$before" "failed ingests changed nothing"
expect_eq "$(ls "$db.index")" "alpha.fsi
bravo.fsi
charlie.fsi
delta.fsi" "no temporary index files left"
# the last snapshot, then the reports
expect_rc 0 ingest "$last" --show-rejects 2
expect_grep "$T/err" "phishing.urls' line 2: ip_literal: 'http://192.0.2.5/login'"
for f in json csv html; do
	expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-Q3 --format $f --output "$T/q3.$f"
	expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-Q3 --format $f --output "$T/q3b.$f"
done
for f in json csv html; do expect_eq "$(cmp -s "$T/q3.$f" "$T/q3b.$f" && echo same)" same "same inputs, same $f bytes"; done
expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-07-01..2026-09-30 --format json --output "$T/q3r.json"
expect_eq "$(json_get "$T/q3r.json" "d['totals']")" "$(json_get "$T/q3.json" "d['totals']")" "FROM..TO is the quarter"
# every metric against the independent reference
expect_rc 0 python3 "$here/abuse_reference.py" "$W" "$T/q3.json" 2026-07-01 2026-09-30
expect_grep "$T/out" "all [0-9]+ values match"
# CSV carries the JSON's numbers
want=$(json_get "$T/q3.json" "[t for t in d['tlds'] if t['tld']=='delta'][0]['rate_per_10k']")
expect_grep "$T/q3.csv" "^tlds\[delta\]\.rate_per_10k,$want\$"
want=$(json_get "$T/q3.json" "d['outliers']['registrars']['flagged']")
expect_grep "$T/q3.csv" "^outliers\.registrars\.flagged,$want\$"
expect_eq "$(grep -c '' "$T/q3.csv")" "$(python3 -c "
import json,sys
def n(v): return sum(n(x) for x in (v.values() if isinstance(v,dict) else v)) if isinstance(v,(dict,list)) else 1
print(n(json.load(open(sys.argv[1])))+1)" "$T/q3.json")" "one CSV row per JSON number"
# a month and an empty period
expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-08 --format json --output "$T/aug.json"
expect_eq "$(json_get "$T/aug.json" "d['snapshots']")" "['2026-08-03', '2026-08-17', '2026-08-31']" "snapshots in August"
expect_rc 1 "$SSRWATCH" abuse report --store "$db" --period 2025-Q1 --format json
expect_grep "$T/err" "no abuse snapshot between 2025-01-01 and 2025-03-31"
expect_rc 2 "$SSRWATCH" abuse report --store "$db" --period 2026-Q5
# the HTML: self-contained, and it renders with its charts and tables
expect_eq "$(grep -Eco '(src|href)="(https?:)?//' "$T/q3.html" || true)" 0 "no external assets"
for id in chart-top-tlds chart-top-registrars chart-series chart-lorenz chart-price-tlds-USD \
	outliers-tlds outliers-registrars methodology; do
	expect_grep "$T/q3.html" "id=\"$id\""
done
# in headless Chromium (Debian's, through python3-selenium): charts and tables render, the
# time axis carries the snapshot dates, nothing overflows a 1280-pixel window
if /usr/bin/python3 "$SSR_SOURCE/tests/browser/report_check.py" "$T/q3.html" "$T/q3.json" >"$T/rc.out" 2>&1; then
	ok
else
	fail "report in the browser: $(cat "$T/rc.out")"
fi
# prices in two currencies, each with two dates: the latest per currency counts, once
{
	echo "tld,price,currency,date"
	for t in alpha bravo charlie delta; do echo "$t,1.00,EUR,2026-06-01"; done
	n=2
	for t in alpha bravo charlie delta; do echo "$t,$n.50,EUR,2026-06-15"; n=$((n + 3)); done
} > "$T/eur.csv"
expect_rc 0 ingest "$last" --prices "$T/eur.csv"
expect_rc 0 "$SSRWATCH" abuse report --store "$db" --period 2026-Q3 --format json --output "$T/cur.json"
expect_eq "$(json_get "$T/cur.json" "[(c['currency'], c['n']) for c in d['prices']['tlds']]")" \
	"[('EUR', 4), ('USD', 4)]" "one price per TLD and currency"
expect_eq "$(json_get "$T/cur.json" "sorted((p['subject'], p['price'], p['price_date']) for p in d['prices']['tlds'][0]['points'])")" \
	"[('alpha', 2.5, '2026-06-15'), ('bravo', 5.5, '2026-06-15'), ('charlie', 8.5, '2026-06-15'), ('delta', 11.5, '2026-06-15')]" \
	"the latest EUR price counts"
expect_eq "$(json_get "$T/cur.json" "d['prices']['tlds'][1]")" "$(json_get "$T/q3.json" "d['prices']['tlds'][0]")" \
	"USD analysis unchanged by EUR prices"
# readers do not create a store
expect_rc 1 "$SSRWATCH" abuse report --store "$T/none.db" --period 2026-Q3
expect_grep "$T/err" "store '.*none.db': no such file"
expect_eq "$(ls "$T/none.db" 2>/dev/null || echo absent)" absent "report created no store"
finish
