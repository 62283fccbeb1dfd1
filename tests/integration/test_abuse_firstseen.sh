#!/bin/bash
# abuse ingest: the first-seen index holds delegations only.  The zone pass adds every counted
# owner to one set of hash runs, which serve the statistics (an unsorted zone's proof) and the
# first-seen index; an owner with DS and no NS is counted there but is no delegation, so such a
# zone is read again for the index.  Checked through zone_first_seen: a domain that is DS-only
# on the first day and delegated on the second was first seen on the second; in sorted and
# shuffled zones, with and without DS-only owners.
. "$(dirname "$0")/lib.sh"
ds="12345 13 2 0f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100"
zone() { # zone FILE DAY2(0/1) SHUFFLE(0/1) DSONLY(0/1)
	{
		echo "alpha. 86400 IN SOA ns.alpha. h.alpha. 2026112301 1800 900 604800 86400"
		echo "alpha. 86400 IN NS ns.alpha."
		{
			for i in $(seq 1 400); do echo "n$i.alpha. 3600 IN NS ns1.host$((i % 7)).net."; done
			echo "a.alpha. 3600 IN NS ns1.host.net."
			if [ "$2" = 1 ] || [ "$4" = 0 ]; then
				echo "b.alpha. 3600 IN NS ns1.host.net."
			fi
			echo "b.alpha. 3600 IN DS $ds"
			echo "c.alpha. 3600 IN NS ns1.host.net."
			echo "c.alpha. 3600 IN DS $ds"
			[ "$2" = 1 ] && echo "d.alpha. 3600 IN NS ns1.host.net."
			true
		} | if [ "$3" = 1 ]; then
			# grouped but not sorted: whole owners shuffled (b's two records stay together)
			awk '{print $1 "\t" $0}' | sort -k1,1 | awk -F'\t' '{o=$1; sub(/^[^\t]*\t/, ""); r[o]=r[o] $0 "\n"} END {for (k in r) printf "%s", r[k]}'
		else
			LC_ALL=C sort -s -k1,1
		fi
	} >"$1"
}
printf 'http://a.alpha/x\nhttp://b.alpha/x\nhttp://c.alpha/x\nhttp://d.alpha/x\n' >"$T/feed.urls"
for shuffle in 0 1; do
	for dsonly in 1 0; do
		rm -rf "$T/f.db" "$T/f.db.index"
		for day in 0 1; do
			zone "$T/z$day.zone" "$day" "$shuffle" "$dsonly"
			expect_rc 0 "$SSRWATCH" -v abuse ingest --store "$T/f.db" --date "2026-11-2$((3 + day))" \
				--allow-date-mismatch --zone "$T/z$day.zone" --feed "phishing:f:$T/feed.urls"
			if [ "$day" = 0 ] && [ "$dsonly" = 1 ]; then
				expect_grep "$T/err" "1 owners with DS and no NS: read again for the first-seen index"
			else
				grep -q "read again for the first-seen index" "$T/err" &&
					fail "shuffle $shuffle dsonly $dsonly day $day: read again" || ok
			fi
			grep -q "distinct hashes for" "$T/err" && fail "index count: $(cat "$T/err")" || ok
			if [ "$shuffle" = 1 ]; then
				expect_grep "$T/err" "owners not in order but each in one run"
			else
				grep -q "owners not in order" "$T/err" && fail "the sorted zone is not" || ok
			fi
			grep -q "second pass with an in-memory owner index" "$T/err" &&
				fail "shuffle $shuffle dsonly $dsonly day $day: a second pass" || ok
		done
		expect_rc 0 "$SSRWATCH" abuse listings --store "$T/f.db" --date 2026-11-24
		got=$(python3 -c 'import csv,sys; print(" ".join(r["domain"] + "=" + r["zone_first_seen"] for r in csv.DictReader(open(sys.argv[1]))))' "$T/out")
		b=2026-11-23
		[ "$dsonly" = 1 ] && b=2026-11-24
		expect_eq "$got" "a.alpha=2026-11-23 b.alpha=$b c.alpha=2026-11-23 d.alpha=2026-11-24" \
			"shuffle $shuffle dsonly $dsonly: first seen"
	done
done
finish
