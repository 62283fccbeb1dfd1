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
"$ssrwatch" abuse report --store "$out/sample.db" --period 2026-Q3 --format json --output "$out/abuse-2026-Q3.json"
"$ssrwatch" abuse report --store "$out/sample.db" --period 2026-Q3 --format csv --output "$out/abuse-2026-Q3.csv"
"$ssrwatch" abuse report --store "$out/sample.db" --period 2026-Q3 --output "$out/abuse-2026-Q3.html"
echo
echo "quarterly abuse report: $out/abuse-2026-Q3.html (JSON: $out/abuse-2026-Q3.json, CSV: $out/abuse-2026-Q3.csv)"
