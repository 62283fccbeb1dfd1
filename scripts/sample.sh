#!/bin/bash
# The main job on generated data: a sample TLD world over several snapshot dates, ingested into
# a store, and the quarterly abuse report.  Usage: scripts/sample.sh SSRWATCH OUTDIR [DOMAINS]
set -euo pipefail
ssrwatch=$1
out=$2
domains=${3:-100000}
rm -rf "$out/world" "$out/sample.db" "$out/sample.db.index" "$out/sample.db-wal" "$out/sample.db-shm"
mkdir -p "$out"
"$ssrwatch" gen abuse --dir "$out/world" --domains "$domains"
w=$out/world
while read -r date; do
	zones=()
	for z in "$w"/zones/*-"$date".zone; do zones+=(--zone "$z"); done
	"$ssrwatch" abuse ingest --store "$out/sample.db" --date "$date" "${zones[@]}" \
		--feed "phishing:openphish-like:$w/feeds/$date/phishing.urls" \
		--feed "malware:urlhaus-like:$w/feeds/$date/malware.csv" \
		--feed "spam:spamhaus-like:$w/feeds/$date/spam.txt" \
		--feed "botnet_cc:c2-hosts:$w/feeds/$date/botnet.hosts" \
		--registrations "$w/registrations/$date.csv" \
		--registrars "$w/registrars.csv" --prices "$w/prices.csv"
done < "$w/dates.txt"
# misleading names (SSR2 Rec 19): generated brands, a zone with planted look-alikes, and the
# sample TLD zones of the last date, scanned into the same store for that date
last=$(tail -n 1 "$w/dates.txt")
"$ssrwatch" gen names --dir "$out/names" --brands 200 --delegations 20000 --seed 1
lastzones=("$w"/zones/*-"$last".zone)
"$ssrwatch" names scan --brands "$out/names/brands.txt" --store "$out/sample.db" --date "$last" \
	--format csv --output "$out/names-$last.csv" "$out/names/zone.txt" "${lastzones[@]}"
echo "misleading names: $(($(wc -l < "$out/names-$last.csv") - 1)) look-alikes in $out/names-$last.csv; the first ones, checked back:"
"$ssrwatch" names check --quiet --brands "$out/names/brands.txt" \
	$(awk -F, 'NR > 1 && NR <= 9 { print $1 }' "$out/names-$last.csv")
"$ssrwatch" abuse report --store "$out/sample.db" --period 2026-Q3 --format json --output "$out/abuse-2026-Q3.json"
"$ssrwatch" abuse report --store "$out/sample.db" --period 2026-Q3 --format csv --output "$out/abuse-2026-Q3.csv"
"$ssrwatch" abuse report --store "$out/sample.db" --period 2026-Q3 --output "$out/abuse-2026-Q3.html"
echo
echo "quarterly abuse report: $out/abuse-2026-Q3.html (JSON: $out/abuse-2026-Q3.json, CSV: $out/abuse-2026-Q3.csv)"
