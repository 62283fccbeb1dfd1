#!/usr/bin/env bash
# abuse ingest in shards (issue 23): for three successive snapshots (so the previous snapshot's
# open listings and the first-seen index are in play), shards of 1..8 merged in several orders
# and groupings store exactly what one ingest stores (every table row, the first-seen index
# files, the summary); one zone cut in byte ranges as well as several zones given whole; and the
# merges that must be refused are (feeds or store changed since the shards ran, a shard missing,
# states of another engine), each naming the file and storing nothing.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
cd "$T"
expect_rc 0 "$S" gen abuse --dir W --domains 20000 --snapshots 3 --registrars 20
mapfile -t dates <W/dates.txt
args() { # DATE DB ZONE... : the ingest's arguments
	local d=$1 db=$2
	shift 2
	local zs=()
	for z in "$@"; do zs+=(--zone "$z"); done
	echo --store "$db" --date "$d" "${zs[@]}" \
		--feed "phishing:op:W/feeds/$d/phishing.urls" \
		--feed "malware:uh:W/feeds/$d/malware.csv" \
		--feed "spam:sh:W/feeds/$d/spam.txt" \
		--feed "botnet_cc:c2:W/feeds/$d/botnet.hosts" \
		--registrations "W/registrations/$d.csv" \
		--registrars W/registrars.csv --prices W/prices.csv
}
# the store without its time stamps, and the first-seen index files
dump() {
	sqlite3 "$1" .dump | sed -E "s/,'[0-9-]+T[0-9:]+Z'//g" | md5sum
	for f in "$1".index/*.fsi; do printf '%s ' "${f##*/}"; md5sum <"$f"; done
}
shards() { # DB DATE N PREFIX ZONE...: N shard states PREFIX-i.state
	local db=$1 d=$2 n=$3 p=$4
	shift 4
	for i in $(seq 1 "$n"); do
		# shellcheck disable=SC2046
		expect_rc 0 "$S" abuse ingest $(args "$d" "$db" "$@") --shard "$i/$n" \
			--save-state "$p-$i.state" --threads 2
	done
}

# ---- several zones given whole, three snapshots, N = 1..8 ---------------------------------------
for N in 1 3 8; do
	rm -rf single.db* m.db*
	for d in "${dates[@]}"; do
		zones=(W/zones/*-"$d".zone)
		# shellcheck disable=SC2046
		expect_rc 0 "$S" abuse ingest $(args "$d" single.db "${zones[@]}") --format json
		cp "$T/out" single.json
		shards m.db "$d" "$N" "a$N" "${zones[@]}"
		case $N in
		3) expect_rc 0 "$S" merge --format json "a$N-3.state" "a$N-1.state" "a$N-2.state" ;;
		8)
			expect_rc 0 "$S" merge --save-state g1.state "a$N-8.state" "a$N-2.state" "a$N-5.state"
			expect_rc 0 "$S" merge --save-state g2.state "a$N-1.state" g1.state
			expect_rc 0 "$S" merge --format json "a$N-4.state" g2.state "a$N-7.state" \
				"a$N-3.state" "a$N-6.state"
			;;
		*) expect_rc 0 "$S" merge --format json "a$N"-*.state ;;
		esac
		expect_eq "$(cmp -s "$T/out" single.json && echo same)" same "N=$N $d: summary identical"
		expect_eq "$(dump m.db)" "$(dump single.db)" "N=$N $d: store and index identical"
	done
done
expect_eq "$(sqlite3 m.db "select count(*) from abuse_snapshot")" 12 "three snapshots of four zones"
expect_rc 0 "$S" abuse listings --store m.db --output listings.csv
# columns: tld,snapshot_date,domain,listed,in_zone,categories,feeds(quoted when a list),...
older=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["zone_first_seen"] and r["zone_first_seen"] < r["snapshot_date"]))' listings.csv)
expect_eq "$((older > 0))" 1 "first-seen days from the earlier snapshots ($older)"
tracked=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["listed"] == "0"))' listings.csv)
expect_eq "$((tracked > 0))" 1 "listings tracked from the previous snapshot ($tracked)"

# ---- one zone cut in byte ranges ------------------------------------------------------------------
rm -rf single.db* m.db*
for d in "${dates[@]}"; do
	# shellcheck disable=SC2046
	expect_rc 0 "$S" abuse ingest $(args "$d" single.db W/zones/delta-"$d".zone) --format json
	cp "$T/out" single.json
	shards m.db "$d" 5 c W/zones/delta-"$d".zone
	expect_rc 0 "$S" merge --format json $(ls c-*.state | sort -r)
	expect_eq "$(cmp -s "$T/out" single.json && echo same)" same "cut in 5, $d: summary identical"
	expect_eq "$(dump m.db)" "$(dump single.db)" "cut in 5, $d: store and index identical"
done
# the merge into another store than the one the shards read (--store): its previous snapshots
# differ, so the listings tracked from them would too
rm -rf other.db*
expect_rc 1 "$S" merge --store other.db --format json c-1.state c-2.state c-3.state c-4.state c-5.state
expect_grep "$T/err" "the store's previous snapshots changed since the shards ran"
expect_eq "$(sqlite3 other.db "select count(*) from abuse_snapshot")" 0 "nothing stored in the other store"

# ---- refused ------------------------------------------------------------------------------------
d=${dates[2]}
before=$(dump m.db)
expect_rc 1 "$S" merge c-1.state c-2.state c-4.state c-5.state
expect_grep "$T/err" "shard 3 of 5 missing"
# a snapshot was stored since the shards ran: their previous listings are not the store's
rm -rf r.db*
# shellcheck disable=SC2046
expect_rc 0 "$S" abuse ingest $(args "${dates[0]}" r.db W/zones/delta-"${dates[0]}".zone)
shards r.db "$d" 2 p W/zones/delta-"$d".zone
# shellcheck disable=SC2046
expect_rc 0 "$S" abuse ingest $(args "${dates[1]}" r.db W/zones/delta-"${dates[1]}".zone)
expect_rc 1 "$S" merge p-1.state p-2.state
expect_grep "$T/err" "state 'p-1.state': the store's previous snapshots changed since the shards ran"
# a feed changed since the shards ran
cp -r W W2
# shellcheck disable=SC2046
for i in 1 2; do
	expect_rc 0 "$S" abuse ingest $(args "$d" m.db W2/zones/delta-"$d".zone | sed "s#W/#W2/#g") \
		--shard "$i/2" --save-state "f-$i.state"
done
echo "extra-domain-$RANDOM.alpha" >>"W2/feeds/$d/spam.txt"
expect_rc 1 "$S" merge f-1.state f-2.state
expect_grep "$T/err" "state 'f-1.state': the feeds changed since the shards ran"
# a zone changed since
cp W/zones/delta-"$d".zone W2/zones/delta-"$d".zone
echo "zz-late 3600 NS ns1.example.net." >>"W2/zones/delta-$d.zone"
expect_rc 1 "$S" merge f-1.state f-2.state
expect_grep "$T/err" "f-1.state"
# a zone stats state among them
"$S" gen zone --delegations 500 --seed 4 --output z.zone >/dev/null 2>&1
expect_rc 0 "$S" zone stats --shard 1/2 --save-state z-1.state z.zone
expect_rc 1 "$S" merge c-1.state z-1.state
expect_grep "$T/err" "another engine"
# a corrupted hash list: a flipped byte is caught by the CRC, never stored
cp c-2.state bad.state
printf '\xff' | dd of=bad.state bs=1 seek=$(($(stat -c %s bad.state) - 40)) conv=notrunc 2>/dev/null
expect_rc 1 "$S" merge c-1.state bad.state c-3.state c-4.state c-5.state
expect_grep "$T/err" "bad.state"
expect_eq "$(dump m.db)" "$before" "refused merges stored nothing"
# usage
expect_rc 2 "$S" abuse ingest $(args "$d" m.db W/zones/delta-"$d".zone) --shard 1/2
expect_grep "$T/err" "--shard and --save-state go together"
expect_rc 1 "$S" abuse ingest $(args "$d" m.db W/zones/delta-"$d".zone) --shard 4/2 --save-state x.state
expect_grep "$T/err" "bad --shard '4/2'"
expect_eq "$(ls x.state* 2>/dev/null | wc -l)" 0 "no state from a refused shard"
finish
