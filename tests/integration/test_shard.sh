#!/usr/bin/env bash
# Shards and merge (issue 23) through the real binary: zone stats in 1..8 shards, merged in
# several orders and groupings, byte-identical to the single run in every format; several
# files (compressed among them) assigned whole; and every bad merge refused with the file named
# and nothing written.
. "$(dirname "$0")/lib.sh"
S=$SSRWATCH
cd "$T"
"$S" gen zone --delegations 30000 --signed --seed 3 --output z.zone >/dev/null 2>&1
for fmt in json csv table; do
	"$S" zone stats --threads 1 --format $fmt z.zone >single.$fmt
done

# ---- one file in N byte-range shards ----------------------------------------------------------
for N in 1 2 3 5 8; do
	for i in $(seq 1 $N); do
		expect_rc 0 "$S" zone stats --shard "$i/$N" --save-state "s$N-$i.state" z.zone
	done
	# in order, reversed, shuffled
	expect_rc 0 "$S" merge --format json s$N-*.state
	expect_eq "$(cmp -s "$T/out" single.json && echo same)" same "N=$N in order: json identical"
	expect_rc 0 "$S" merge --format csv $(ls s$N-*.state | sort -r)
	expect_eq "$(cmp -s "$T/out" single.csv && echo same)" same "N=$N reversed: csv identical"
	expect_rc 0 "$S" merge --output merged.table $(ls s$N-*.state | shuf --random-source=<(yes))
	expect_eq "$(cmp -s merged.table single.table && echo same)" same "N=$N shuffled: table identical"
done
# groupings: (1,3) (2) (4) and ((4,2),(1)),(3): partial merges saved, merged again
expect_rc 0 "$S" merge --save-state g13.state s5-1.state s5-3.state
expect_rc 0 "$S" merge --save-state g42.state s5-4.state s5-2.state
expect_rc 0 "$S" merge --save-state g421.state g42.state s5-1.state
expect_rc 0 "$S" merge --format json g13.state s5-2.state s5-4.state s5-5.state
expect_eq "$(cmp -s "$T/out" single.json && echo same)" same "grouping (1,3)+2+4+5"
expect_rc 0 "$S" merge --format json s5-5.state s5-3.state g421.state
expect_eq "$(cmp -s "$T/out" single.json && echo same)" same "grouping ((4,2),1)+3+5"
# the partial merges overlap: shard 1 in both
expect_rc 1 "$S" merge g13.state g421.state s5-5.state
expect_grep "$T/err" "shard 1 of 5 is also in"

# ---- several files: whole files balanced by size; a compressed one ----------------------------
for s in 1 2 3 4; do
	"$S" gen zone --origin t$s --delegations $((s * 2500)) --seed $s --output f$s.zone >/dev/null 2>&1
done
gzip -k f3.zone
F="f1.zone f2.zone f3.zone.gz f4.zone"
"$S" zone stats --threads 1 --format json $F >multi.json
for N in 2 3 6; do
	for i in $(seq 1 $N); do
		expect_rc 0 "$S" zone stats --shard "$i/$N" --save-state "m$N-$i.state" $F
	done
	expect_rc 0 "$S" merge --format json $(ls m$N-*.state | sort -r)
	expect_eq "$(cmp -s "$T/out" multi.json && echo same)" same "4 files in $N shards"
done
# --store: the merged snapshots, as zone stats --store writes them
expect_rc 0 "$S" zone stats --threads 1 --format json --store one.db --date 2026-12-01 $F
expect_rc 0 "$S" merge --store merged.db --date 2026-12-01 --format json m3-*.state
expect_eq "$(sqlite3 merged.db 'SELECT zone, snapshot_date, delegations, metrics FROM zone_snapshot ORDER BY zone' | sha256sum)" \
	"$(sqlite3 one.db 'SELECT zone, snapshot_date, delegations, metrics FROM zone_snapshot ORDER BY zone' | sha256sum)" "stored snapshots identical"

# ---- names scan: a zone in byte ranges, two zones whole; the store as the single scan's -------
"$S" gen names --dir nw --brands 300 --delegations 30000 --plants 4 --seed 7 >/dev/null 2>&1
"$S" gen names --dir nw2 --brands 100 --tld net --delegations 8000 --seed 8 >/dev/null 2>&1
gzip -k nw2/zone.txt
for fmt in csv json table; do
	"$S" names scan --quiet --brands nw/brands.txt --format $fmt nw/zone.txt >nsingle.$fmt
done
for N in 1 2 3 8; do
	for i in $(seq 1 $N); do
		expect_rc 0 "$S" names scan --quiet --brands nw/brands.txt --shard "$i/$N" --save-state "n$N-$i.state" nw/zone.txt
	done
	for fmt in csv json table; do
		expect_rc 0 "$S" merge --format $fmt $(ls n$N-*.state | sort -r)
		expect_eq "$(cmp -s "$T/out" nsingle.$fmt && echo same)" same "names scan in $N shards: $fmt identical"
	done
done
"$S" names scan --quiet --brands nw/brands.txt --format csv nw/zone.txt nw2/zone.txt.gz >nmulti.csv
for i in 1 2 3; do
	expect_rc 0 "$S" names scan --quiet --brands nw/brands.txt --shard "$i/3" --save-state "nm-$i.state" nw/zone.txt nw2/zone.txt.gz
done
expect_rc 0 "$S" merge --format csv nm-2.state nm-3.state nm-1.state
expect_eq "$(cmp -s "$T/out" nmulti.csv && echo same)" same "names scan of two zones in 3 shards"
expect_rc 0 "$S" names scan --quiet --brands nw/brands.txt --store nsingle.db --date 2026-12-01 nw/zone.txt nw2/zone.txt.gz
expect_rc 0 "$S" merge --store nmerged.db --date 2026-12-01 nm-*.state
for t in names_scan names_match; do
	expect_eq "$(sqlite3 nmerged.db "SELECT * FROM $t ORDER BY 1, 2, 3, 4" | sha256sum)" \
		"$(sqlite3 nsingle.db "SELECT * FROM $t ORDER BY 1, 2, 3, 4" | sha256sum)" "stored $t identical"
done
expect_rc 0 "$S" names scan --quiet --brands nw2/brands.txt --shard 2/3 --save-state nb.state nw/zone.txt nw2/zone.txt.gz
expect_rc 1 "$S" merge nm-1.state nb.state nm-3.state
expect_grep "$T/err" "state 'nb.state': other options"

# ---- captures: shards of the flows (every capture read; a flow's packets in one shard) --------
"$S" gen pcap --output c.pcap --queries 30000 --tcp-holes 40 --root-zone root.zone >/dev/null 2>&1
editcap -c 12000 c.pcap part.pcap >/dev/null # TCP streams and fragments cross the files
P=$(ls part_*.pcap)
# the single runs with one thread (one reader decoding everything)
"$S" traffic stats --threads 1 --format json $P >tsingle.json
"$S" traffic stats --threads 1 $P >tsingle.yaml
"$S" traffic stats --threads 1 --approx --interval hour --format json $P >tapprox.json
"$S" traffic collisions --threads 1 --root-zone root.zone --format csv $P >csingle.csv
"$S" traffic trust-anchors --threads 1 $P >asingle.json
# ---- one reader, 2..5 decoding threads (issue 24): the same bytes -------------------------------
for t in 2 3 5; do
	expect_rc 0 "$S" traffic stats --threads $t --format json $P
	expect_eq "$(cmp -s "$T/out" tsingle.json && echo same)" same "traffic stats, $t threads: json identical"
	expect_rc 0 "$S" traffic stats --threads $t $P
	expect_eq "$(cmp -s "$T/out" tsingle.yaml && echo same)" same "traffic stats, $t threads: yaml identical"
	expect_rc 0 "$S" traffic stats --threads $t --approx --interval hour --format json $P
	expect_eq "$(cmp -s "$T/out" tapprox.json && echo same)" same "approximate, $t threads: identical"
	expect_rc 0 "$S" traffic collisions --threads $t --root-zone root.zone --format csv $P
	expect_eq "$(cmp -s "$T/out" csingle.csv && echo same)" same "collisions, $t threads: identical"
	expect_rc 0 "$S" traffic trust-anchors --threads $t $P
	expect_eq "$(cmp -s "$T/out" asingle.json && echo same)" same "trust anchors, $t threads: identical"
done
# threads inside shards: 3 shards of 2 threads each, merged
for i in 1 2 3; do
	expect_rc 0 "$S" traffic stats --threads 2 --shard "$i/3" --save-state "tt-$i.state" $P
done
expect_rc 0 "$S" merge --format json tt-2.state tt-1.state tt-3.state
expect_eq "$(cmp -s "$T/out" tsingle.json && echo same)" same "3 shards of 2 threads: identical"
for N in 1 3 4; do
	for i in $(seq 1 $N); do
		expect_rc 0 "$S" traffic stats --shard "$i/$N" --save-state "t$N-$i.state" $P
	done
	expect_rc 0 "$S" merge --format json $(ls t$N-*.state | sort -r)
	expect_eq "$(cmp -s "$T/out" tsingle.json && echo same)" same "traffic stats in $N shards: json identical"
	expect_rc 0 "$S" merge t$N-*.state
	expect_eq "$(cmp -s "$T/out" tsingle.yaml && echo same)" same "traffic stats in $N shards: yaml identical"
done
for i in 1 2 3; do
	expect_rc 0 "$S" traffic stats --approx --interval hour --shard "$i/3" --save-state "ta-$i.state" $P
	expect_rc 0 "$S" traffic collisions --root-zone root.zone --shard "$i/3" --save-state "tc-$i.state" $P
	expect_rc 0 "$S" traffic trust-anchors --shard "$i/3" --save-state "tn-$i.state" $P
done
expect_rc 0 "$S" merge --format json ta-3.state ta-1.state ta-2.state
expect_eq "$(cmp -s "$T/out" tapprox.json && echo same)" same "approximate hourly stats identical"
expect_rc 0 "$S" merge --format csv tc-2.state tc-3.state tc-1.state
expect_eq "$(cmp -s "$T/out" csingle.csv && echo same)" same "collisions identical"
expect_rc 0 "$S" merge tn-*.state
expect_eq "$(cmp -s "$T/out" asingle.json && echo same)" same "trust anchors identical"
expect_rc 0 "$S" merge --save-state tg.state t4-1.state t4-4.state
expect_rc 0 "$S" merge --format json t4-3.state tg.state t4-2.state
expect_eq "$(cmp -s "$T/out" tsingle.json && echo same)" same "traffic grouping"
expect_rc 1 "$S" merge t4-1.state s5-2.state
expect_grep "$T/err" "state 's5-2.state': another engine than 't4-1.state'"
expect_rc 1 "$S" merge ta-1.state t3-2.state t3-3.state
expect_grep "$T/err" "other options"

# ---- RSSAC047 vantage-point states (their own format, a VP a shard): merge = the month's report
"$S" gen rss-states --month 2026-11 --vps 3 --rsis 3 --days 2 --out "$T/rs" >/dev/null 2>&1
"$S" rss report --month 2026-11 --format json --output rsingle.json "$T"/rs/vp*.state
expect_rc 0 "$S" merge --month 2026-11 --format json "$T/rs/vp03-2026-11.state" "$T/rs/vp01-2026-11.state" "$T/rs/vp02-2026-11.state"
expect_eq "$(cmp -s "$T/out" rsingle.json && echo same)" same "merge of VP states: the month's report"
expect_rc 0 "$S" merge --save-state rs12.state "$T/rs/vp01-2026-11.state" "$T/rs/vp02-2026-11.state"
expect_rc 0 "$S" merge --month 2026-11 --format json rs12.state "$T/rs/vp03-2026-11.state"
expect_eq "$(cmp -s "$T/out" rsingle.json && echo same)" same "VP states grouped"

# ---- refused: each an error naming the file, nothing written ------------------------------------
expect_rc 1 "$S" merge --output never.json s5-1.state s5-2.state s5-4.state s5-5.state
expect_grep "$T/err" "shard 3 of 5 missing"
expect_eq "$(ls never.json* 2>/dev/null | wc -l)" 0 "no output from a failed merge"
expect_rc 1 "$S" merge s5-1.state s3-2.state
expect_grep "$T/err" "state 's3-2.state': another shard count than 's5-1.state'"
expect_rc 0 "$S" zone stats --top 5 --shard 2/5 --save-state top5.state z.zone
expect_rc 1 "$S" merge s5-1.state top5.state
expect_grep "$T/err" "state 'top5.state': other options"
expect_rc 0 "$S" zone stats --date 2026-01-01 --shard 2/5 --save-state dated.state z.zone
expect_rc 1 "$S" merge s5-1.state dated.state
expect_grep "$T/err" "state 'dated.state': another date"
expect_rc 0 "$S" zone stats --shard 2/5 --save-state other.state f1.zone
expect_rc 1 "$S" merge s5-1.state other.state
expect_grep "$T/err" "state 'other.state': other inputs"
head -c 2000 s5-2.state >cut.state
expect_rc 1 "$S" merge s5-1.state cut.state
expect_grep "$T/err" "state 'cut.state' offset [0-9]+:"
cp s5-2.state flip.state
printf 'Z' | dd of=flip.state bs=1 seek=3000 conv=notrunc 2>/dev/null
expect_rc 1 "$S" merge s5-1.state flip.state
expect_grep "$T/err" "state 'flip.state' offset [0-9]+: checksum mismatch"
cat s5-2.state x 2>/dev/null >long.state || cp s5-2.state long.state
printf 'extra' >>long.state
expect_rc 1 "$S" merge s5-1.state long.state
expect_grep "$T/err" "state 'long.state'"
echo 'not a state' >junk.state
expect_rc 1 "$S" merge junk.state
expect_grep "$T/err" "state 'junk.state': not an ssrwatch state"
expect_rc 1 "$S" merge nothere.state
expect_grep "$T/err" "state 'nothere.state': cannot open"
# a zone whose $ORIGIN changes inside: the shards do not fit; an unsorted one cannot be split
{
	echo '$ORIGIN example.'
	echo '$TTL 3600'
	echo '@ SOA a. b. 1 2 3 4 5'
	echo '@ NS ns1.example.'
	for i in $(seq 1 300); do echo "d$i NS ns$((i % 7)).host$((i % 13)).net."; done
	echo '$TTL 60'
	for i in $(seq 301 600); do echo "d$i NS ns$((i % 7)).host$((i % 13)).net."; done
} >ttl.zone
for i in 1 2; do "$S" zone stats --shard $i/2 --save-state ttl$i.state ttl.zone; done
expect_rc 1 "$S" merge ttl1.state ttl2.state
expect_grep "$T/err" "zone 'ttl.zone': shard 2 began with another \\\$ORIGIN or \\\$TTL than shard 1 ended with"
{
	echo '$ORIGIN example.'
	echo '@ 3600 SOA a. b. 1 2 3 4 5'
	for i in $(seq 1 400); do echo "d$((i % 200)) 3600 NS ns$i.host.net."; done
} >unsorted.zone
for i in 1 2 3; do "$S" zone stats --shard $i/3 --save-state u$i.state unsorted.zone; done
expect_rc 1 "$S" merge u1.state u2.state u3.state
expect_grep "$T/err" "zone 'unsorted.zone': an owner's records are in two places of the file"
# a zone out of order but grouped (registry dumps in insertion order): the shards carry their
# owners' hashes, the merge proves no owner in two places and gives the single run's bytes
"$S" gen zone --delegations 20000 --seed 5 --unsorted --output shuffled.zone >/dev/null 2>&1
"$S" zone stats --threads 1 --format json shuffled.zone >shuffled.json
for i in 1 2 3; do expect_rc 0 "$S" zone stats --shard $i/3 --save-state sh$i.state shuffled.zone; done
expect_rc 0 "$S" merge --format json sh3.state sh1.state sh2.state
expect_eq "$(cmp -s "$T/out" shuffled.json && echo same)" same "a shuffled zone in 3 shards: identical"
# usage errors
expect_rc 2 "$S" zone stats --shard 0/3 --save-state x.state z.zone
expect_grep "$T/err" "bad --shard '0/3'"
expect_rc 2 "$S" zone stats --shard 1/3 z.zone
expect_grep "$T/err" "--shard needs --save-state"
expect_rc 2 "$S" zone stats --shard 1/3 --save-state x.state --keep-going z.zone
expect_rc 1 "$S" zone stats --shard 1/2 --save-state x.state - <z.zone
expect_grep "$T/err" "standard input cannot be sharded"
expect_rc 2 "$S" merge --format xml s5-1.state s5-2.state s5-3.state s5-4.state s5-5.state
expect_grep "$T/err" "bad format 'xml'"
expect_rc 2 "$S" names scan --brands nw/brands.txt --shard 3/2 --save-state x.state nw/zone.txt
expect_grep "$T/err" "bad --shard '3/2'"
expect_rc 2 "$S" names scan --brands nw/brands.txt --shard 1/2 nw/zone.txt
expect_grep "$T/err" "--shard needs --save-state"
expect_rc 2 "$S" traffic stats --shard 1/x --save-state x.state c.pcap
expect_grep "$T/err" "bad --shard '1/x'"
expect_rc 2 "$S" traffic collisions --root-zone root.zone --shard 1/2 c.pcap
expect_grep "$T/err" "--shard needs --save-state"
expect_rc 1 "$S" traffic stats --shard 1/2 --save-state x.state nothere.pcap
expect_eq "$(ls x.state* 2>/dev/null | wc -l)" 0 "no state from a refused shard"
finish
