#!/bin/bash
# gen feed and gen registrations: deterministic, every shape read back by abuse ingest with
# exact counts, registrations agree across snapshots, bad input refused.
. "$(dirname "$0")/lib.sh"
z=$T/z.zone
"$SSRWATCH" gen zone --origin example --delegations 5000 --seed 3 --output "$z"
# every delegation once when entries >= delegations, nothing absent, no noise
expect_rc 0 "$SSRWATCH" gen feed --zone "$z" --entries 9000 --shape domains --absent 0 --noise 0 --output "$T/all.txt"
expect_eq "$(grep -vc '^#' "$T/all.txt")" 5000 "all delegations listed"
expect_eq "$(grep -v '^#' "$T/all.txt" | sort -u | wc -l)" 5000 "each once"
# same options, same bytes; another seed, other bytes
for shape in urls domains csv hosts; do
	expect_rc 0 "$SSRWATCH" gen feed --zone "$z" --entries 1000 --shape $shape --seed 7 --output "$T/a.$shape"
	expect_rc 0 "$SSRWATCH" gen feed --zone "$z" --entries 1000 --shape $shape --seed 7 --output "$T/b.$shape"
	expect_eq "$(cmp -s "$T/a.$shape" "$T/b.$shape" && echo same)" same "$shape deterministic"
done
expect_rc 0 "$SSRWATCH" gen feed --zone "$z" --entries 1000 --seed 8 --output "$T/c.urls"
expect_eq "$(cmp -s "$T/a.urls" "$T/c.urls" && echo same || echo differ)" differ "seed matters"
expect_eq "$(head -1 "$T/a.csv")" "domain,first_seen,category" "csv header"
# each shape through abuse ingest: 1000 entries, no noise, nothing absent -> 1000 listed in zone
for shape in urls domains csv hosts; do
	expect_rc 0 "$SSRWATCH" gen feed --zone "$z" --entries 1000 --shape $shape --absent 0 --noise 0 --output "$T/e.$shape"
	rm -rf "$T/s.db"*
	expect_rc 0 "$SSRWATCH" abuse ingest --store "$T/s.db" --date 2026-11-23 --allow-date-mismatch \
		--zone "$z" --feed "malware:$shape:$T/e.$shape" --format json
	expect_eq "$(json_get "$T/out" 'd["zones"][0]["listed_in_zone"]')" 1000 "$shape: all listed in zone"
done
# absent names and noise: counted where they belong
expect_rc 0 "$SSRWATCH" gen feed --zone "$z" --entries 2000 --absent 0.25 --noise 0.1 --output "$T/n.urls"
rm -rf "$T/s.db"*
expect_rc 0 "$SSRWATCH" abuse ingest --store "$T/s.db" --date 2026-11-23 --allow-date-mismatch \
	--zone "$z" --feed "phishing:n:$T/n.urls" --format json
rejected=$(json_get "$T/out" 'd["feeds"][0]["rejected"]')
absent=$(json_get "$T/out" 'd["zones"][0]["listed_not_in_zone"]')
expect_eq "$(( rejected > 100 && rejected < 300 ))" 1 "about 10% rejected (got $rejected)"
expect_eq "$(( absent > 350 && absent < 650 ))" 1 "about 25% not delegated (got $absent)"
# registrations: one row per delegation; a domain keeps its registrar and date across zones
expect_rc 0 "$SSRWATCH" gen registrations --zone "$z" --registrars 20 --registrar-list "$T/rl.csv" --output "$T/r1.csv"
expect_eq "$(wc -l < "$T/r1.csv")" 5001 "header + one row per delegation"
expect_eq "$(wc -l < "$T/rl.csv")" 21 "registrar list"
"$SSRWATCH" gen zone --origin example --delegations 6000 --seed 3 --output "$T/z2.zone"
expect_rc 0 "$SSRWATCH" gen registrations --zone "$T/z2.zone" --registrars 20 --output "$T/r2.csv"
common=$(join -t, <(tail -n +2 "$T/r1.csv" | sort) <(tail -n +2 "$T/r2.csv" | sort) | wc -l)
agree=$(join -t, <(tail -n +2 "$T/r1.csv" | sort) <(tail -n +2 "$T/r2.csv" | sort) | awk -F, '$2==$4 && $3==$5' | wc -l)
expect_eq "$(( common > 4000 ))" 1 "snapshots share domains ($common)"
expect_eq "$agree" "$common" "shared domains keep registrar and created date"
top=$(tail -n +2 "$T/r1.csv" | cut -d, -f2 | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
expect_eq "$top" 1000 "Zipf: the first registrar holds the most"
rm -rf "$T/s.db"*
expect_rc 0 "$SSRWATCH" abuse ingest --store "$T/s.db" --date 2026-11-23 --allow-date-mismatch \
	--zone "$z" --feed "phishing:a:$T/e.urls" --registrations "$T/r1.csv" --registrars "$T/rl.csv" --format json
expect_eq "$(sqlite3 "$T/s.db" 'select sum(domains) from registrar_domains')" 5000 "every domain attributed"
# bad input
printf 'a.example. NS ns.x.\n' > "$T/nosoa.zone"
expect_rc 1 "$SSRWATCH" gen feed --zone "$T/nosoa.zone"
expect_grep "$T/err" "nosoa.zone.*does not start with a SOA"
expect_rc 2 "$SSRWATCH" gen feed --zone "$z" --entries 0
expect_rc 2 "$SSRWATCH" gen feed --zone "$z" --shape xml
expect_grep "$T/err" "unknown shape 'xml'"
# --unsorted: the same records as the sorted zone of the seed, the delegations shuffled; zone
# stats counts it in one pass (each owner in one run) with the sorted zone's figures
for f in "" --unsorted; do
	expect_rc 0 "$SSRWATCH" gen zone --origin example --delegations 20000 --seed 9 $f \
		--output "$T/o$f.zone"
done
expect_eq "$(sort "$T/o.zone" | md5sum)" "$(sort "$T/o--unsorted.zone" | md5sum)" "--unsorted: the same records"
expect_eq "$(cmp -s "$T/o.zone" "$T/o--unsorted.zone" && echo same || echo other)" other "--unsorted: another order"
for f in "" --unsorted; do
	expect_rc 0 "$SSRWATCH" -v zone stats --format json --threads 1 "$T/o$f.zone"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [z.pop("file") for z in d]; print(json.dumps(d, sort_keys=True))' "$T/out" >"$T/o$f.json"
done
expect_grep "$T/err" "owners not in order but each in one run: counted in one pass"
expect_eq "$(cmp -s "$T/o.json" "$T/o--unsorted.json" && echo same)" same "unsorted zone: the sorted zone's figures"
expect_rc 2 "$SSRWATCH" gen feed --entries 5
expect_grep "$T/err" "--zone is required"
expect_rc 2 "$SSRWATCH" gen feed --zone "$z" --absent 1.5
expect_grep "$T/err" "bad share '1.5' \(0 to 1\)"
expect_rc 2 "$SSRWATCH" gen zone --ds-share -0.1
expect_grep "$T/err" "bad share '-0.1'"
expect_rc 2 "$SSRWATCH" gen feed --zone "$z" --absent 0.7 --noise 0.5
expect_grep "$T/err" "--absent plus --noise is more than 1"
expect_rc 2 "$SSRWATCH" gen registrations --zone "$z" --registrars 0
expect_grep "$T/err" "bad --registrars '0'"
expect_rc 1 "$SSRWATCH" gen registrations --zone "$T/missing.zone"
expect_grep "$T/err" "missing.zone"
expect_rc 1 "$SSRWATCH" gen feed --zone "$z" --output /nonexistent/dir/f.txt
expect_grep "$T/err" "cannot write '/nonexistent/dir/f.txt'"
finish
